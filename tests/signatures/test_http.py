"""Through HTTP: an administrator uploads the organization's certificate, the province installs its trust
root, and anyone uploads a PDF to see its signature badge — each case of the issue with its expected badge."""

import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from sangtao.campaigns.models import Document
from sangtao.documents import signing
from sangtao.signatures import domain
from sangtao.signatures.models import SigningCertificate, TrustRoot, Verification

from .conftest import append_text_update, flip_a_byte, letter_pdf, sign
from .pki import PASSPHRASE, pki


def upload(client, url, data: bytes, name: str, **extra):

    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def badge_status(html: str) -> list[str]:
    return re.findall(r'data-signature-status="([a-z_]+)"', html)


@pytest.fixture
def root_installed(demo, login):
    r = upload(login("btctu.quantri"), "/chu-ky-so/chung-thu-goc/", pki().root.pem, "goc.pem")
    assert r.status_code == 302, r.content.decode()[:2000]
    return TrustRoot.objects.get()


def test_province_admin_installs_a_trust_root_others_cannot(demo, login):
    assert login("duk.canbo").get("/chu-ky-so/chung-thu-goc/").status_code == 403
    assert upload(login("duk.canbo"), "/chu-ky-so/chung-thu-goc/", pki().root.pem, "goc.pem").status_code == 403
    client = login("btctu.quantri")
    r = upload(client, "/chu-ky-so/chung-thu-goc/", b"khong phai chung thu", "goc.pem")
    assert r.status_code == 200 and "Không đọc được chứng thư" in r.content.decode()
    upload(client, "/chu-ky-so/chung-thu-goc/", pki().root.pem, "goc.pem")
    assert "CA thử nghiệm Sáng tạo" in client.get("/chu-ky-so/chung-thu-goc/").content.decode()


def post_certificate(client, issued, org, passphrase):
    """The certificate page's form: an organization's PKCS#12 file and its passphrase."""
    return upload(
        client, "/chu-ky-so/chung-thu/", issued.p12(), "chung-thu.p12", organization=org.pk, passphrase=passphrase
    )


def test_admin_uploads_the_organizations_certificate_kept_encrypted(demo, login):
    client = login("btctu.quantri")
    r = post_certificate(client, pki().organization, demo["LD"], "sai")
    assert r.status_code == 200 and "sai mật khẩu" in r.content.decode()
    r = post_certificate(client, pki().expired, demo["LD"], PASSPHRASE)
    assert "không còn hiệu lực" in r.content.decode()
    assert not SigningCertificate.objects.exists()
    r = post_certificate(client, pki().organization, demo["LD"], PASSPHRASE)
    assert r.status_code == 302
    cert = SigningCertificate.objects.get()
    assert cert.organization == demo["LD"] and cert.email == "btctu@lamdong.gov.vn"
    # at rest: neither the PKCS#12 nor the passphrase in clear
    assert pki().organization.p12()[:64] not in bytes(cert.pkcs12_encrypted)
    assert PASSPHRASE.encode() not in bytes(cert.passphrase_encrypted)
    assert domain.identity_for(demo["LD"]).certificate.fingerprint == cert.fingerprint
    with override_settings(SANGTAO_SIGNING_KEY="mot-khoa-khac"), pytest.raises(signing.SigningError):
        domain.identity_for(demo["LD"])
    page = client.get("/chu-ky-so/chung-thu/").content.decode()
    assert "Ban Tổ chức Tỉnh ủy Lâm Đồng" in page and "Đang dùng" in page


def test_only_administrators_upload_certificates_and_only_for_their_own_organization(demo, login):
    assert login("duk.canbo").get("/chu-ky-so/chung-thu/").status_code == 403
    r = post_certificate(login("btctu.quantri"), pki().organization, demo["LD-DUK"], PASSPHRASE)
    assert r.status_code == 200 and not SigningCertificate.objects.exists()


CASES = [
    ("unsigned", letter_pdf, "unsigned", "Chưa ký số"),
    ("organization", lambda: sign(pki().organization), "valid_trusted", "Chữ ký hợp lệ"),
    ("personal", lambda: sign(pki().personal), "valid_trusted", "Nguyễn Văn An"),
    ("untrusted CA", lambda: sign(pki().untrusted), "valid_untrusted", "Chữ ký chưa được tin cậy"),
    ("expired", lambda: sign(pki().expired), "expired", "Chứng thư hết hạn"),
    ("byte changed", lambda: flip_a_byte(sign(pki().organization)), "invalid", "Chữ ký không hợp lệ"),
    ("text added after signing", lambda: append_text_update(sign(pki().organization)), "modified", "Đã sửa sau khi ký"),
    (
        "stamp claims another organization",
        lambda: sign(pki().organization, organization="Tỉnh ủy Khánh Hòa"),
        "valid_trusted",
        "dấu ký không khớp chứng thư",
    ),
]


@pytest.mark.parametrize(("case", "make", "status", "label"), CASES, ids=[c[0] for c in CASES])
def test_upload_then_see_the_badge(root_installed, login, case, make, status, label):
    client = login("capnuoc.canbo")
    r = upload(client, "/chu-ky-so/kiem-tra/", make(), f"{case}.pdf")
    assert r.status_code == 302
    page = client.get("/chu-ky-so/kiem-tra/").content.decode()
    assert badge_status(page) == [status]
    assert label in page
    if case == "stamp claims another organization":
        assert "Tỉnh ủy Khánh Hòa" in page and "sig-bad" in page and "badge ok" not in page
    if status == "valid_trusted" and case != "stamp claims another organization":
        assert "badge ok" in page and "không truy cập mạng" in page
    # another user does not see this user's checks
    assert badge_status(login("duk.canbo").get("/chu-ky-so/kiem-tra/").content.decode()) == []


def test_roots_from_the_operators_folder(demo, login, tmp_path):
    (tmp_path / "ban-co-yeu.pem").write_bytes(pki().root.pem)
    (tmp_path / "doc-khong-duoc.pem").write_bytes(b"rac")
    client = login("capnuoc.canbo")
    upload(client, "/chu-ky-so/kiem-tra/", sign(pki().organization), "a.pdf")
    assert badge_status(client.get("/chu-ky-so/kiem-tra/").content.decode()) == ["valid_untrusted"]
    with override_settings(SANGTAO_TRUST_ROOTS_DIR=str(tmp_path)):
        upload(client, "/chu-ky-so/kiem-tra/", sign(pki().organization), "b.pdf")
        assert "CA thử nghiệm Sáng tạo" in login("btctu.quantri").get("/chu-ky-so/chung-thu-goc/").content.decode()
    assert badge_status(client.get("/chu-ky-so/kiem-tra/").content.decode()) == ["valid_trusted", "valid_untrusted"]


def test_not_a_pdf_is_refused(demo, login):
    r = upload(login("capnuoc.canbo"), "/chu-ky-so/kiem-tra/", b"MZ\x90\x00", "virus.pdf")
    assert r.status_code == 200 and "không phải PDF" in r.content.decode()
    assert not Verification.objects.exists()


def stored_letter(demo):
    """A letter of the province row only, to store a PDF on (no campaign, no numbering)."""

    return Document.objects.create(
        issuer=demo["LD"],
        issuer_name="Ban Tổ chức",
        parent_name="Tỉnh ủy Lâm Đồng",
        year=2023,
        symbol="BTCTU",
        place="Đà Lạt",
        subject="Thử",
        body="-",
        copies_to="-",
    )


def test_issuing_with_a_configured_tsa_timestamps_the_signature(demo, local_tsa, settings):
    """SANGTAO_TSA_URL: the organization's signature carries an RFC 3161 timestamp from that service."""

    domain.add_trust_root(actor=None, data=pki().root.pem)
    domain.upload_certificate(actor=None, organization=demo["LD"], data=pki().organization.p12(), passphrase=PASSPHRASE)
    settings.SANGTAO_TSA_URL = local_tsa
    doc = stored_letter(demo)
    doc.pdf_file.save("thu.pdf", ContentFile(letter_pdf()), save=True)
    record = domain.sign_stored_pdf(doc.pdf_file, organization=demo["LD"])
    assert record.status == "valid_trusted"
    assert record.details["signatures"][0]["timestamped"] is True


def test_verify_signatures_command_checks_pdfs_stored_before(demo):
    """Files stored before checks existed get their result from `manage.py verify_signatures` (once)."""

    doc = stored_letter(demo)
    doc.pdf_file.save("cu.pdf", ContentFile(sign(pki().untrusted)), save=True)
    assert not Verification.objects.filter(path=doc.pdf_file.name).exists()
    out = StringIO()
    call_command("verify_signatures", stdout=out)
    assert Verification.objects.get(path=doc.pdf_file.name).status == "valid_untrusted"
    assert "Đã kiểm tra" in out.getvalue()
    call_command("verify_signatures", stdout=out)
    assert Verification.objects.filter(path=doc.pdf_file.name).count() == 1
