"""Evidence files: checked by content, refused with a clear message leaving no file and no row, stored
under generated names, served only through a permission check."""

import errno
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangtao.reports import domain
from sangtao.reports.models import Evidence
from tests.conftest import make_user
from tests.reports.conftest import PDF, PNG, docx_bytes, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(accepted, users, media):
    return domain.start_report(actor=users["capnuoc.canbo"], registration=accepted)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def bomb(main="word/document.xml", lie=False) -> bytes:
    """110 MB of zeros (about 110 KB zipped). With `lie`, the headers claim 1000 bytes: zipfile then
    stops at the declared size and the CRC check refuses the member, so nothing large is ever inflated."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main, "<x/>")
        z.writestr("media/huge.bin", b"\0" * (110 * 2**20))
    data = out.getvalue()
    if lie:
        data = data.replace((110 * 2**20).to_bytes(4, "little"), (1000).to_bytes(4, "little"))
    return data


BAD = [
    ("bao-cao.pdf", PNG, "không phải PDF"),
    ("anh.png", PDF, "không phải ảnh PNG"),
    ("anh.jpg", PNG, "không phải ảnh JPEG"),
    ("bang.xlsx", docx_bytes(), "không phải tài liệu .xlsx"),
    ("van-ban.docx", b"PK\x03\x04 not really a zip", "không phải tài liệu .docx"),
    ("van-ban.docx", bomb(), "Tệp nén bên trong quá lớn"),
    ("so-lieu.xlsx", bomb("xl/workbook.xml"), "Tệp nén bên trong quá lớn"),
    ("so-lieu.xlsx", bomb("xl/workbook.xml", lie=True), "không phải tài liệu .xlsx"),
    ("so-do.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "Chỉ nhận tệp"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "Chỉ nhận tệp"),
    ("trang.pdf.html", b"%PDF-1.4 <html>", "Chỉ nhận tệp"),
    ("khong-duoi", PDF, "Chỉ nhận tệp"),
    (".htaccess", b"x", "Tên tệp không hợp lệ"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[f"{i}-{b[0]}" for i, b in enumerate(BAD)])
def test_bad_upload_is_refused_leaving_nothing(report, users, media, name, data, message):
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError, match=message):
        domain.add_evidence(actor=users["capnuoc.canbo"], report=report, upload=upload, claim="section:done")
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_file_over_the_limit_and_report_over_its_total(report, users, media, settings):
    settings.SANGTAO_EVIDENCE_MAX_FILE_MB = 1
    settings.SANGTAO_EVIDENCE_MAX_REPORT_MB = 2
    big = PDF + b"0" * (2**20)
    with pytest.raises(Exception, match="Tệp quá lớn \\(tối đa 1 MB\\)"):
        domain.add_evidence(
            actor=users["capnuoc.canbo"], report=report, upload=SimpleUploadedFile("a.pdf", big), claim="section:done"
        )
    part = PDF + b"0" * (800 * 1024)
    for i in range(2):
        domain.add_evidence(
            actor=users["capnuoc.canbo"],
            report=report,
            upload=SimpleUploadedFile(f"{i}.pdf", part),
            claim="section:done",
        )
    with pytest.raises(domain.ReportError, match="tối đa 2 MB \\(đã dùng 1,6 MB\\)"):
        domain.add_evidence(
            actor=users["capnuoc.canbo"], report=report, upload=SimpleUploadedFile("3.pdf", part), claim="section:done"
        )
    assert Evidence.objects.count() == 2 and len(stored_files(media)) == 2


def test_a_path_in_the_name_never_reaches_the_disk(report, users, media):
    ev = domain.add_evidence(
        actor=users["capnuoc.canbo"],
        report=report,
        claim="section:done",
        upload=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    assert ev.file.name.startswith("evidence/") and "bien-ban" not in ev.file.name  # a generated name
    # Django keeps only the last part of a name sent with a path; our name check refuses what is left.
    for name in ("..\\..\\windows\\win.ini.pdf", "a/../../etc/passwd.pdf"):
        with pytest.raises(Exception, match="Tên tệp không hợp lệ"):
            domain.add_evidence(
                actor=users["capnuoc.canbo"], report=report, claim="section:done", upload=_raw_named(name, PDF)
            )
    assert all(str(p).startswith(str(media)) for p in stored_files(media))
    assert Evidence.objects.count() == 1


def _raw_named(name, data):
    upload = SimpleUploadedFile("x.pdf", data)
    upload._name = name  # bypass the basename that the multipart parser applies
    return upload


def test_claim_must_be_a_section_or_an_indicator_of_this_report(report, users, media):
    with pytest.raises(domain.ReportError, match="Chọn nội dung"):
        domain.add_evidence(
            actor=users["capnuoc.canbo"],
            report=report,
            upload=SimpleUploadedFile("a.pdf", PDF),
            claim="indicator:999999",
        )
    ind = report.results.first().indicator_id
    ev = domain.add_evidence(
        actor=users["capnuoc.canbo"], report=report, upload=SimpleUploadedFile("a.pdf", PDF), claim=f"indicator:{ind}"
    )
    assert ev.sha256 and ev.size == len(PDF)


def test_upload_through_http_keeps_the_typed_text_when_the_file_is_refused(report, login, media):
    c = login("capnuoc.canbo")
    url = reverse("reports:edit", kwargs={"reg_pk": report.registration_id})
    typed = "Ban hành kế hoạch số 7-KH/ĐU; thành lập tổ công tác; đây là nội dung người dùng vừa gõ."
    r = c.post(
        url,
        {
            "s_done": typed,
            "claim": "section:done",
            "version": report.version,
            "file": SimpleUploadedFile("anh.png", PDF),
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert typed in body and "Nội dung tệp không phải ảnh PNG." in body
    report.refresh_from_db()
    assert report.sections["done"] == typed and Evidence.objects.count() == 0
    # The page carries the new version: saving again is not refused as stale.
    r = c.post(url, {"s_done": typed + " Thêm.", "version": report.version, "save": "1"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.sections["done"].endswith("Thêm.")


def test_bad_number_keeps_the_form(report, login, media):
    c = login("capnuoc.canbo")
    ind = report.results.first().indicator_id
    r = c.post(
        reverse("reports:edit", kwargs={"reg_pk": report.registration_id}),
        {"s_done": "Nội dung đã gõ", f"a_{ind}": "tám mươi", "version": report.version},
    )
    assert r.status_code == 200 and "Nội dung đã gõ" in r.content.decode() and "Nhập một số" in r.content.decode()


def test_vietnamese_decimal_input(report, login, media):
    c = login("capnuoc.canbo")
    ind = report.results.first().indicator_id
    r = c.post(
        reverse("reports:edit", kwargs={"reg_pk": report.registration_id}),
        {"s_done": "x", f"a_{ind}": "1.234,5", "version": report.version, "save": "1"},
    )
    assert r.status_code == 302
    assert str(report.results.first().achieved) == "1234.50"


def test_other_organizations_get_404_for_the_report_and_each_file(report, users, demo, login, media):
    officer = users["capnuoc.canbo"]
    ev = domain.add_evidence(
        actor=officer, report=report, upload=SimpleUploadedFile("a.pdf", PDF), claim="section:done"
    )
    rep = domain.submit(actor=officer, report=fill(report, officer))
    make_user("ldg.officer", "officer", demo["LD-LDG"])
    make_user("dl.officer", "officer", demo["DUK-DL"])  # a sibling unit in the same bloc
    for outsider in ("ldg.officer", "dl.officer", "lacduong.canbo"):
        c = login(outsider)
        for url in (
            reverse("reports:detail", kwargs={"pk": rep.pk}),
            reverse("reports:side_by_side", kwargs={"pk": rep.pk}),
            reverse("reports:evidence", kwargs={"pk": ev.pk}),
            reverse("reports:for_registration", kwargs={"reg_pk": rep.registration_id}),
        ):
            assert c.get(url).status_code == 404, (outsider, url)
    # The receiving level reads it and downloads the file as an attachment, never inline.
    r = login("duk.canbo").get(reverse("reports:evidence", kwargs={"pk": ev.pk}))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff" and b"".join(r.streaming_content) == PDF
    assert login("duk.thamdinh").get(reverse("reports:side_by_side", kwargs={"pk": rep.pk})).status_code == 200


def test_a_draft_stays_with_its_writers(report, login, media):
    url = reverse("reports:detail", kwargs={"pk": report.pk})
    assert login("capnuoc.canbo").get(url).status_code == 200
    # Appraisers and leaders above read a report once it is sent, not while it is written. (Officers above
    # may write for a unit — as with registrations, e.g. typing in a paper report — so they see it.)
    assert login("duk.thamdinh").get(url).status_code == 404
    assert login("tinhuy.lanhdao").get(url).status_code == 404


def test_a_full_disk_gives_a_clear_error_and_leaves_nothing_half_written(report, users, media, login, monkeypatch):

    def full_disk(self, name, content):

        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            fh.write(content.read()[:10])  # half the file reached the disk…
        raise OSError(errno.ENOSPC, "No space left on device")  # …then the disk was full

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    with pytest.raises(domain.ReportError, match=r"ENOSPC.*kho lưu trữ đầy"):
        domain.add_evidence(
            actor=users["capnuoc.canbo"],
            report=report,
            claim="section:done",
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
        )
    assert Evidence.objects.count() == 0 and stored_files(media) == []
    r = login("capnuoc.canbo").post(
        reverse("reports:edit", kwargs={"reg_pk": report.registration_id}),
        {
            "s_done": "Nội dung vừa gõ không được mất.",
            "claim": "section:done",
            "version": report.version,
            "file": SimpleUploadedFile("bien-ban.pdf", PDF),
        },
    )
    body = r.content.decode()
    assert "kho lưu trữ đầy" in body and "Nội dung vừa gõ không được mất." in body
    assert stored_files(media) == []
