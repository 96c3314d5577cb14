"""Renders a party-format letter as .docx (docxtpl on templates_docx/cong-van.docx) and as PDF
(WeasyPrint on templates/documents/cong_van_pdf.html). Knows no domain app: it reads plain attributes."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

DOCX_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "cong-van.docx"


def place_date(place: str, day) -> str:
    """“Đà Lạt, ngày 14 tháng 01 năm 2023” (a draft without a date keeps blanks to fill by hand)."""
    if day is None:
        return f"{place}, ngày     tháng     năm     "
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def context(doc) -> dict:
    return {
        "parent_name": doc.parent_name.upper(),
        "issuer_name": doc.issuer_name.upper(),
        "reference": doc.reference if doc.number else f"     -{doc.kind}/{doc.symbol}",
        "subject": doc.subject,
        "place_date": place_date(doc.place, doc.issued_on),
        "salutation": _salutation(doc.salutation),
        "body": _lines(doc.body),
        "attachment_note": doc.attachment_note,
        "copies_to": _lines(doc.copies_to),
        "signature_lines": doc.signature_lines,
        "signer_name": doc.signer_name,
        "is_draft": not doc.number,
    }


def _salutation(text: str) -> list[str]:
    lines = _lines(text)
    if len(lines) <= 1:
        return [f"Kính gửi: {lines[0] if lines else ''}"]
    return ["Kính gửi:"] + [f"- {line.lstrip('- ')}," for line in lines[:-1]] + [f"- {lines[-1].lstrip('- ')}."]


def docx_bytes(doc) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(DOCX_TEMPLATE))
    tpl.render(context(doc), autoescape=True)
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()


def pdf_bytes(doc) -> bytes:
    from weasyprint import HTML

    html = render_to_string("documents/cong_van_pdf.html", context(doc))
    return HTML(string=html).write_pdf()


def store_files(doc) -> None:
    """Keep the issued files as they were issued (later template edits do not change them)."""
    stem = f"{doc.year}-{doc.kind}-{uuid.uuid4().hex[:12]}"
    doc.docx_file.save(f"{stem}.docx", ContentFile(docx_bytes(doc)), save=False)
    doc.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes(doc)), save=False)
    doc.save(update_fields=["docx_file", "pdf_file"])
