"""Renders a party-format document (công văn, báo cáo, thông báo…) as .docx (docxtpl on templates_docx/cong-van.docx)
and as PDF (WeasyPrint on templates/documents/cong_van_pdf.html), laid out alike. Knows no domain app: it reads
plain attributes of the document (docs/rules.md D1–D9)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from docx.shared import Mm

DOCX_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "cong-van.docx"
NBSP = "\u00a0"
TYPE_NAMES = {
    "BC": "BÁO CÁO",
    "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN",
    "BB": "BIÊN BẢN",
    "TTr": "TỜ TRÌNH",
    "KH": "KẾ HOẠCH",
    "QĐ": "QUYẾT ĐỊNH",
    "PCĐ": "PHIẾU CHẤM ĐIỂM",
}
TABLE_MARK = "[BẢNG]"  # where a document's table stands in its body (annex {"inline": true, …})
_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z]|PHẦN [IVXLC]+)\.\s+\S")


def place_date(place: str, day) -> str:
    """“Đà Lạt, ngày 14 tháng 01 năm 2023” (a draft without a date keeps blanks to fill by hand)."""
    if day is None:
        return f"{place}, ngày{NBSP * 5}tháng{NBSP * 5}năm{NBSP * 5}"
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def keep_last_words(text: str) -> str:
    """A header line never wraps leaving one word alone (“… DOANH NGHIỆP / TỈNH”): its last two words are joined
    by a non-breaking space."""
    words = text.split()
    if len(words) < 3:
        return text
    return " ".join([*words[:-2], f"{words[-2]}{NBSP}{words[-1]}"])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def is_heading(line: str) -> bool:
    """“I. KẾT QUẢ ĐĂNG KÝ”, “1.” is not one: a Roman numeral (or PHẦN …) followed by upper-case words."""
    if not _HEADING.match(line):
        return False
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _split_at_table(lines: list[str], table) -> tuple[list[str], list[str]]:
    """The body's lines before and after its “[BẢNG]” line (all after when there is no table in the body)."""
    if table and TABLE_MARK in lines:
        at = lines.index(TABLE_MARK)
        return lines[:at], lines[at + 1 :]
    return [], [line for line in lines if line != TABLE_MARK]


def left_signature(doc) -> dict | None:
    """A biên bản's second signer (the secretary), on the left where a letter lists “Nơi nhận”: the lines of
    that field, the last being the name (docs/rules.md D10)."""
    lines = _lines(doc.copies_to)
    if doc.kind != "BB" or not lines:
        return None
    return {"lines": [line.upper() for line in lines[:-1]], "name": lines[-1]}


def context(doc) -> dict:
    annex = getattr(doc, "annex", None) or None
    table = annex if annex and annex.get("inline") else None
    before, after = _split_at_table(_lines(doc.body), table)
    before = [{"text": line, "heading": is_heading(line)} for line in before]
    paragraphs = [{"text": line, "heading": is_heading(line)} for line in after]
    salutation = _salutation(doc.salutation)
    return {
        "parent_name": keep_last_words(doc.parent_name.upper()),
        "issuer_name": keep_last_words(doc.issuer_name.upper()),
        "reference": doc.reference if doc.number else f"{NBSP * 6}-{doc.kind}/{doc.symbol}",
        "type_name": TYPE_NAMES.get(doc.kind, ""),
        "subject": doc.subject,
        "place_date": place_date(doc.place, doc.issued_on),
        "salutation": salutation,
        "salutation_single": len(salutation) == 1,
        "body_before": before,
        "table": table,
        "body": paragraphs[:-1],
        "body_last": paragraphs[-1:],
        "paragraphs": paragraphs,
        "attachment_note": doc.attachment_note,
        "copies_to": _lines(doc.copies_to),
        "signature_lines": doc.signature_lines,
        "signer_name": doc.signer_name,
        "is_draft": not doc.number,
        "annex": None if table else annex,
        "left_signature": left_signature(doc),
        "margins": margins_mm(),
    }


def margins_mm() -> dict:
    """Page margins in mm (top, bottom, left, right) from SANGTAO_DOCUMENT_MARGINS_MM; sources differ (SPEC §8a)."""
    top, bottom, left, right = getattr(settings, "SANGTAO_DOCUMENT_MARGINS_MM", (20, 20, 30, 15))
    return {"top": top, "bottom": bottom, "left": left, "right": right}


def _salutation(text: str) -> list[str]:
    lines = _lines(text)
    if not lines:  # a biên bản or a score sheet is addressed to nobody
        return []
    if len(lines) == 1:
        return [f"Kính gửi: {lines[0] if lines else ''}"]
    return ["Kính gửi:"] + [f"- {line.lstrip('- ')}," for line in lines[:-1]] + [f"- {lines[-1].lstrip('- ')}."]


def docx_bytes(doc) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(DOCX_TEMPLATE))
    ctx = context(doc)
    tpl.render(ctx, autoescape=True)
    section = tpl.docx.sections[0]
    m = ctx["margins"]
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()


def pdf_bytes(doc) -> bytes:
    from weasyprint import HTML

    html = render_to_string("documents/cong_van_pdf.html", context(doc))
    return HTML(string=html).write_pdf()


def file_stem(doc) -> str:
    """“436-CV-ĐUK” (issued) or “du-thao-CV-ĐUK” (draft), as a file name."""
    base = f"{doc.number}-{doc.kind}-{doc.symbol}" if doc.number else f"du-thao-{doc.kind}-{doc.symbol}"
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in base)


def ascii_name(name: str) -> str:
    """The same name without diacritics (Đ → D), for clients that ignore RFC 5987's filename*."""
    folded = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in folded if ord(ch) < 128 and not unicodedata.combining(ch)) or "van-ban"


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download whose name may hold Vietnamese letters: an ASCII filename and the
    exact name as RFC 5987 filename*."""
    header = content_disposition_header(True, filename)
    if "filename*=" in header:
        header = f'attachment; filename="{ascii_name(filename)}"; ' + header.split("; ", 1)[1]
    return header


def store_files(doc) -> None:
    """Keep the issued files as they were issued (later template edits do not change them)."""
    stem = f"{doc.year}-{doc.kind}-{uuid.uuid4().hex[:12]}"
    doc.docx_file.save(f"{stem}.docx", ContentFile(docx_bytes(doc)), save=False)
    doc.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes(doc)), save=False)
    doc.save(update_fields=["docx_file", "pdf_file"])
