"""The demo signs (`manage.py load_demo`, so `make run`): a test CA made at load and installed as a trust root, the
province's and the bloc's signing certificates stored encrypted, the demo's letter signed with a green badge, a
personal certificate written for the token flow — and `manage.py sign_pdf` stands in for the token's software.
A second load changes nothing."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from sangtao.campaigns import domain as campaigns
from sangtao.campaigns.models import Campaign, Document, IncomingDocument
from sangtao.common.models import AuditEvent
from sangtao.orgs.models import Organization
from sangtao.signatures import demo
from sangtao.signatures.models import SigningCertificate, TrustRoot

from .conftest import badges


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.SANGTAO_DEMO_SIGNING_DIR = str(tmp_path / "demo-ky-so")
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_letters_come_out_signed_and_a_second_load_changes_nothing(loaded, login):
    root = TrustRoot.objects.get()
    assert root.subject == "CA THỬ NGHIỆM — không dùng thật"
    held = {
        c.organization.code: c for c in SigningCertificate.objects.filter(active=True).select_related("organization")
    }
    assert set(held) == {"LD", "LD-DUK"} and held["LD"].email == "btctu@lamdong.gov.vn"
    assert held["LD"].issuer == "Sáng tạo — dữ liệu mẫu"
    p12 = demo.demo_dir() / "truong-van-hai.p12"
    assert p12.exists() and "truong-van-hai.p12" in loaded and "sign_pdf" in loaded

    inbox = login("duk.canbo").get("/van-ban-den/").content.decode()  # the province's demo letter, as received
    assert "BTCTU" in inbox and badges(inbox) == ["valid_trusted"] and 'class="badge ok"' in inbox

    before = (
        TrustRoot.objects.count(),
        SigningCertificate.objects.count(),
        AuditEvent.objects.count(),
        p12.read_bytes(),
    )
    call_command("load_demo", stdout=StringIO())
    after = (
        TrustRoot.objects.count(),
        SigningCertificate.objects.count(),
        AuditEvent.objects.count(),
        p12.read_bytes(),
    )
    assert after == before


def test_the_demo_secretary_signs_a_waiting_letter_with_sign_pdf(loaded, login, tmp_path):
    campaign = Campaign.objects.get(code="DK-2027")
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=Organization.objects.get(code="LD-DUK"))
    assert doc.signer_name == demo.PERSONAL["cn"]  # the bloc's secretary signs its letters
    Document.objects.filter(pk=doc.pk).update(token_signing=True)
    doc = campaigns.issue_document(actor=None, document=Document.objects.get(pk=doc.pk))
    officer = login("duk.canbo")
    (tmp_path / "vao.pdf").write_bytes(b"".join(officer.get(f"/van-ban/{doc.pk}/pdf/").streaming_content))
    out = StringIO()
    call_command(
        "sign_pdf",
        "--p12",
        str(demo.demo_dir() / demo.PERSONAL["file"]),
        "--passphrase",
        demo.DEMO_PASSPHRASE,
        str(tmp_path / "vao.pdf"),
        str(tmp_path / "ra.pdf"),
        stdout=out,
    )
    assert "Trương Văn Hải" in out.getvalue()
    signed = SimpleUploadedFile("ra.pdf", (tmp_path / "ra.pdf").read_bytes())
    r = officer.post(f"/van-ban/{doc.pk}/ky-ca-nhan/", {"file": signed})
    assert "Đã nhận bản ký số của Trương Văn Hải" in officer.get(r["Location"]).content.decode()
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and IncomingDocument.objects.filter(document=doc).exists()
    inbox = login("capnuoc.canbo").get("/van-ban-den/").content.decode()
    assert doc.reference in inbox and "valid_trusted" in inbox


def test_sign_pdf_says_why_it_cannot_sign(loaded, tmp_path):

    (tmp_path / "vao.pdf").write_bytes(b"%PDF-1.4")
    p12 = str(demo.demo_dir() / demo.PERSONAL["file"])
    with pytest.raises(CommandError, match="sai mật khẩu"):
        call_command(
            "sign_pdf", "--p12", p12, "--passphrase", "sai", str(tmp_path / "vao.pdf"), str(tmp_path / "ra.pdf")
        )
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command(
            "sign_pdf", "--p12", p12, "--passphrase", demo.DEMO_PASSPHRASE, str(tmp_path / "khong-co.pdf"), "ra.pdf"
        )
