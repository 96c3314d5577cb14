"""Uploads are checked by their content, not their name (PDF, Office Open XML, images)."""

from __future__ import annotations

import uuid
import zipfile
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# name suffix -> (content type, check)
OOXML_MAIN = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
}
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # an archive bomb disguised as .docx/.xlsx is refused
MAX_MEMBERS = 5000


def sniff(name: str, data: bytes, allowed: set[str]) -> str:
    """The content type of an upload whose content matches its extension; raises ValidationError."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValidationError(_("Tên tệp không hợp lệ."))
    if suffix not in allowed:
        raise ValidationError(_("Chỉ nhận tệp %(a)s.") % {"a": ", ".join(sorted(allowed))})
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("Nội dung tệp không phải PDF."))
        return "application/pdf"
    if suffix in (".jpg", ".jpeg"):
        if not data.startswith(b"\xff\xd8\xff"):
            raise ValidationError(_("Nội dung tệp không phải ảnh JPEG."))
        return "image/jpeg"
    if suffix == ".png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValidationError(_("Nội dung tệp không phải ảnh PNG."))
        return "image/png"
    if suffix in OOXML_MAIN:
        check_office(data, suffix)
        return {
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[suffix]
    raise ValidationError(_("Chỉ nhận tệp %(a)s.") % {"a": ", ".join(sorted(allowed))})


def check_office(data: bytes, suffix: str) -> None:
    """An Office Open XML document (.docx, .xlsx) by its content, and not an archive bomb; raises ValidationError.
    Every upload of such a file passes here: evidence and attachments through `sniff`, and every workbook
    that is parsed (tree import, whole-campaign import, from the web or the command line) through
    `check_workbook`, before anything reads it."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if OOXML_MAIN[suffix] not in names or "[Content_Types].xml" not in names:
                raise ValidationError(_("Nội dung tệp không phải tài liệu %(s)s.") % {"s": suffix})
            _check_expansion(archive)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError):
        raise ValidationError(_("Nội dung tệp không phải tài liệu %(s)s.") % {"s": suffix}) from None


def check_workbook(data: bytes) -> None:
    check_office(data, ".xlsx")


def _check_expansion(archive: zipfile.ZipFile) -> None:
    """Refuse an archive bomb: decompress every member (never trusting the sizes its headers declare)
    and stop as soon as the total passes the limit, or when it holds an absurd number of members."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValidationError(_("Tệp nén bên trong quá lớn."))
    total = 0
    for info in members:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > MAX_UNCOMPRESSED:
                    raise ValidationError(_("Tệp nén bên trong quá lớn."))


def read_checked(upload, allowed: set[str], max_bytes: int) -> tuple[bytes, str, str]:
    """Read an uploaded file and check it: size, then content against its extension. Returns
    (data, content type, a generated storage name keeping only the extension)."""

    if upload is None:
        raise ValidationError(_("Chưa chọn tệp."))
    if upload.size > max_bytes:
        raise ValidationError(_("Tệp quá lớn (tối đa %(n)d MB).") % {"n": max_bytes // 2**20})
    data = upload.read()
    content_type = sniff(upload.name, data, allowed)
    return data, content_type, f"{uuid.uuid4().hex}.{upload.name.rsplit('.', 1)[-1].lower()}"
