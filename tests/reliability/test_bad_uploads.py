"""A corpus of bad uploads (more than 50): wrong content for the extension, forbidden types, broken and
disguised archives, tricky names. Every one is refused with a message, and leaves no row and no file."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sangtao.reports import domain
from sangtao.reports.models import Evidence
from tests.reports.conftest import PDF, PNG

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
EXE = b"MZ\x90\x00" + b"\x00" * 60
TEXT = "Biên bản nghiệm thu".encode()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<wb/>"})
CONTENTS = {
    "pdf": PDF,
    "png": PNG,
    "jpeg": JPEG,
    "gif": GIF,
    "html": HTML,
    "svg": SVG,
    "exe": EXE,
    "text": TEXT,
    "empty": b"",
    "plain-zip": zipped({"a.txt": b"x"}),
    "docx": DOCX,
    "xlsx": XLSX,
    "truncated-docx": DOCX[: len(DOCX) // 2],
    "pdf-in-zip": zipped({"a.pdf": PDF}),
}
ALLOWED = {".pdf": {"pdf"}, ".png": {"png"}, ".jpg": {"jpeg"}, ".jpeg": {"jpeg"}, ".docx": {"docx"}, ".xlsx": {"xlsx"}}

CASES = []
for ext, good in ALLOWED.items():
    for kind, data in CONTENTS.items():
        if kind not in good:
            CASES.append((f"minh-chung{ext}", data))
for ext in (
    ".svg",
    ".html",
    ".htm",
    ".exe",
    ".js",
    ".php",
    ".sh",
    ".bat",
    ".gif",
    ".webp",
    ".tiff",
    ".zip",
    ".rar",
    ".7z",
    ".doc",
    ".xls",
    ".txt",
    ".csv",
    ".xml",
    ".docm",
    ".xlsm",
):
    CASES.append((f"tep{ext}", PDF))
CASES += [("khong-duoi", PDF), (".pdf", PDF), (".an.pdf", PDF), ("bao-cao.pdf.exe", EXE), ("anh.PNG.html", HTML)]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50, len(CASES)


@pytest.mark.django_db
def test_every_bad_upload_is_refused_leaving_nothing(accepted, users, media):
    report = domain.start_report(actor=users["capnuoc.canbo"], registration=accepted)
    accepted_by_mistake = []
    for name, data in CASES:
        try:
            domain.add_evidence(
                actor=users["capnuoc.canbo"], report=report, claim="section:done", upload=SimpleUploadedFile(name, data)
            )
        except ValidationError as exc:
            assert exc.messages and exc.messages[0], name
        else:
            accepted_by_mistake.append(name)
    assert accepted_by_mistake == []
    assert Evidence.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []
