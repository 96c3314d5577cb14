"""{% signature_badge file %}: the stored signature check of a PDF, as a badge with details."""

from django import template

from sangtao.signatures.models import Verification

register = template.Library()


@register.inclusion_tag("documents/_signature_badge.html")
def signature_badge(file_or_record):
    """Accepts a FieldFile, a storage name, or a Verification. Reads the stored result (never re-verifies);
    a PDF stored before checks existed shows “chưa kiểm tra”, other files show nothing."""
    if isinstance(file_or_record, Verification):
        return {"v": file_or_record, "is_pdf": True}
    name = getattr(file_or_record, "name", file_or_record) or ""
    if not str(name).lower().endswith(".pdf"):
        return {"v": None, "is_pdf": False}
    return {"v": Verification.objects.filter(path=name).order_by("-checked_at").first(), "is_pdf": True}
