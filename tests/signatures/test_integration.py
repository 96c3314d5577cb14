"""The signatures where the app's files live: an issued letter is signed with its issuer's certificate and
its badge shows in the recipients' inbox (and pdfsig agrees); registration attachments and report evidence carry
their badge. A letter signed with a personal token: test_token_flow.py."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangtao.appraisals import domain as appraisals
from sangtao.campaigns import domain as campaigns
from sangtao.documents import signing
from sangtao.orgs.models import Person
from sangtao.reports import domain as reports
from sangtao.signatures import domain

from .conftest import badges, flip_a_byte, pdfsig, sign, started_report, unit_registration
from .pki import PASSPHRASE, pki

D = dt.date


def issue_root_letter(campaign, demo, actor=None):
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD"])
    return campaigns.issue_document(actor=actor, document=doc, on=D(2023, 2, 23))


def test_issued_letter_is_signed_by_its_issuer_and_shows_valid_in_the_inbox(trusted, campaign, demo, login, tmp_path):
    domain.upload_certificate(actor=None, organization=demo["LD"], data=pki().organization.p12(), passphrase=PASSPHRASE)
    doc = issue_root_letter(campaign, demo)
    client = login("duk.canbo")  # a recipient
    inbox = client.get("/van-ban-den/").content.decode()
    assert badges(inbox) == ["valid_trusted"] and "Tỉnh ủy Lâm Đồng" in inbox
    pdf = b"".join(client.get(f"/van-ban/{doc.pk}/pdf/").streaming_content)
    result = signing.verify_pdf(pdf, trust_roots=domain.trust_roots())
    assert result.status == signing.TRUSTED
    assert "Cơ quan: Tỉnh ủy Lâm Đồng" in result.main.stamp_text and "+07:00" in result.main.stamp_text
    (tmp_path / "cv.pdf").write_bytes(pdf)
    out = pdfsig(tmp_path / "cv.pdf")  # poppler confirms from outside
    assert "Signature is Valid." in out and "Total document signed" in out


def test_without_a_certificate_the_letter_is_issued_unsigned(trusted, campaign, demo, login):
    issue_root_letter(campaign, demo)
    assert badges(login("duk.canbo").get("/van-ban-den/").content.decode()) == ["unsigned"]


def test_a_certificate_that_cannot_sign_refuses_the_issuing(trusted, campaign, demo, settings):
    domain.upload_certificate(actor=None, organization=demo["LD"], data=pki().organization.p12(), passphrase=PASSPHRASE)
    settings.SANGTAO_SIGNING_KEY = "khoa-da-doi"
    with pytest.raises(Exception, match="Không ký số được"):
        issue_root_letter(campaign, demo)


def test_registration_attachment_and_evidence_show_their_badge(trusted, campaign, demo, login):

    reg = unit_registration(campaign, demo)
    client = login("capnuoc.canbo")
    client.post(f"/dang-ky/{reg.pk}/dinh-kem/", {"file": SimpleUploadedFile("ke-hoach.pdf", sign(pki().untrusted))})
    page = client.get(f"/dang-ky/{reg.pk}/").content.decode()
    assert "ke-hoach.pdf" in page and badges(page) == ["valid_untrusted"]

    report = started_report(reg, demo)
    reports.add_evidence(
        actor=reg.created_by,
        report=report,
        claim="section:done",
        upload=SimpleUploadedFile("bien-ban.pdf", flip_a_byte(sign(pki().organization))),
    )

    page = client.get(reverse("reports:edit", kwargs={"reg_pk": reg.pk})).content.decode()
    assert "bien-ban.pdf" in page and badges(page) == ["invalid"]


def test_an_individuals_appraisal_evidence_is_checked_and_shows_its_badge(trusted, campaign, demo, login):
    """The evidence of an individual appraised without a registration (HD 09 I.2.2: a commendation, a recognised
    initiative) is a PDF entering the app like any other: checked on upload, its badge where it is listed."""

    appraiser = get_user_model().objects.get(username="duk.thamdinh")
    appraisals.appraise_unregistered(
        actor=appraiser,
        campaign=campaign,
        person=Person.objects.get(code="DV-0020"),
        basis="commendation",
        reference="Quyết định 12/QĐ-UBND ngày 01/09/2023",
        score="8,75",
        description="Thành tích đột xuất trong phòng chống thiên tai",
        upload=SimpleUploadedFile("quyet-dinh.pdf", sign(pki().organization)),
    )
    page = login("duk.thamdinh").get(f"/dot/{campaign.code}/ket-qua-tham-dinh/").content.decode()
    assert "minh chứng" in page and badges(page) == ["valid_trusted"]


def test_a_pdf_that_cannot_be_read_is_not_called_a_bad_signature(demo, login):
    """A file that starts like a PDF but no reader can parse gets no verdict on signatures: "Không kiểm tra được",
    not the red "Chữ ký không hợp lệ" that says someone tampered with a signed file."""
    record = domain.record_verification(name="x/hong.pdf", data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert record.status == "unreadable" and record.level == "warn"
    assert "Không đọc được tệp PDF." in record.details["error"]
