"""The audit trail of signature checks as a committee clerk reads it: which file (the name it was uploaded under),
of which registration or letter, the result in words — never the storage name the app gave it, which stays a
technical detail in a title shown on hovering."""

import datetime as dt
import re
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

from sangtao.campaigns import domain as campaigns
from sangtao.common import audit
from sangtao.registrations.models import RegistrationAttachment
from sangtao.signatures import domain
from sangtao.signatures.models import Verification

from .conftest import sign, unit_registration
from .pki import PASSPHRASE, pki

AUDIT = "/to-chuc/nhat-ky/"
STORED = re.compile(r"\b(?:registrations|documents|attachments|evidence|appraisals|signatures)/[\w./-]+\.pdf")


class _Text(HTMLParser):
    """The text a reader sees: the content of the elements, not their attributes (a title shows on hovering)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts.append(" " if tag in ("td", "th", "div", "p", "br", "li") else "")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


def signature_rows(html: str) -> list[str]:
    """The audit table's rows of signature checks, as HTML."""
    return [row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.DOTALL) if "Kiểm tra chữ ký số" in row]


def test_admin_reads_a_signature_check_in_words(trusted, campaign, demo, login):
    reg = unit_registration(campaign, demo)
    upload = SimpleUploadedFile("Biên bản họp chi bộ.pdf", sign(pki().organization))
    r = login("capnuoc.canbo").post(f"/dang-ky/{reg.pk}/dinh-kem/", {"file": upload})
    assert r.status_code == 302
    stored = RegistrationAttachment.objects.get(registration=reg).file.name
    assert stored.startswith("registrations/") and Verification.objects.get(path=stored).status == "valid_trusted"

    page = login("btctu.quantri").get(AUDIT)
    assert page.status_code == 200
    html = page.content.decode()
    [row] = signature_rows(html)
    text = visible(row)
    assert "“Biên bản họp chi bộ.pdf” (kèm đăng ký mô hình “Mô hình ký số”)" in text, text
    assert "trạng thái: chữ ký hợp lệ" in text and "người ký:" in text, text
    assert not STORED.search(visible(html)), STORED.search(visible(html))  # nowhere on the page, no storage name
    assert "valid_trusted" not in visible(html)
    assert f'title="tệp lưu trữ: {stored}"' in row  # the technical detail, on hovering
    # the admin who filters the trail to the signature checks reads the same
    filtered = login("btctu.quantri").get(AUDIT, {"action": "signature."}).content.decode()
    assert "Biên bản họp chi bộ.pdf" in visible(filtered)


def test_a_signed_letter_is_named_by_its_number(trusted, campaign, demo, login):
    domain.upload_certificate(actor=None, organization=demo["LD"], data=pki().organization.p12(), passphrase=PASSPHRASE)
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD"])
    doc = campaigns.issue_document(actor=None, document=doc, on=dt.date(2023, 2, 23))
    html = login("btctu.quantri").get(AUDIT).content.decode()
    rows = signature_rows(html)
    assert rows and all(f"Bản PDF của văn bản đi “{doc.reference} — " in visible(row) for row in rows), rows
    assert "Ký số văn bản" in visible(html) and "Chi tiết kỹ thuật" in visible(html)
    # the certificate it was signed with: whose, until when, its serial on hovering
    upload = next(row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.DOTALL) if "Tải lên chứng thư số" in row)
    assert "chủ chứng thư: Ban Tổ chức Tỉnh ủy Lâm Đồng" in visible(upload) and "hiệu lực đến:" in visible(upload)
    assert "not after" not in visible(upload) and 'title="số hiệu chứng thư: ' in upload
    assert not STORED.search(visible(html))
    assert f"tệp lưu trữ: {doc.pdf_file.name}" in html  # in the titles


def test_a_check_recorded_before_reads_without_its_storage_name(demo, login):
    """A row written before the checks named their file (“<storage name>: <code>”, the storage name as the file)."""
    record = Verification.objects.create(path="registrations/2026/abc.pdf", sha256="0" * 64, status="modified")
    audit.record(
        "signature.verify",
        obj=record,
        object_repr="registrations/2026/abc.pdf: modified",
        changes={"status": "modified", "file": "registrations/2026/abc.pdf"},
    )
    html = login("btctu.quantri").get(AUDIT).content.decode()
    [row] = signature_rows(html)
    text = visible(row)
    assert "Một tệp PDF đã lưu" in text and "trạng thái: đã sửa sau khi ký" in text, text
    assert "registrations/2026/abc.pdf" not in text and "modified" not in text
    assert 'title="tệp lưu trữ: registrations/2026/abc.pdf"' in row
