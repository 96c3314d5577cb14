"""Chờ ký số (issue 20): a letter its signer signs with their own USB token is numbered and rendered, then waits —
nothing in any recipient's inbox — until the signed copy is uploaded; the app takes it only when the signed revision
covers exactly the bytes it rendered and the signature is valid, trusted and the named signer's, and only then
delivers it, as any issued letter, with incoming numbers. Everything through HTTP."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sangtao.campaigns import domain as campaigns
from sangtao.campaigns.models import Document, IncomingDocument
from sangtao.common.models import AuditEvent
from sangtao.documents import signing
from sangtao.notifications.testing import assert_not_notified, assert_notified
from sangtao.orgs.models import Role
from sangtao.signatures import domain
from tests.conftest import make_user
from tests.dashboard.test_home import tasks

from .conftest import append_text_update, badges, letter_pdf, pdfsig, sign
from .pki import pki

SIGNER = "Nguyễn Văn An"  # the personal certificate's holder


def post_signed(client, doc, data):
    return client.post(f"/van-ban/{doc.pk}/ky-ca-nhan/", {"file": SimpleUploadedFile("da-ky.pdf", data)})


def download(client, doc) -> bytes:
    r = client.get(f"/van-ban/{doc.pk}/pdf/")
    assert r.status_code == 200
    return b"".join(r.streaming_content)


def awaiting_letter(campaign, demo, org="LD") -> Document:
    """A letter of `org` its signer (the personal certificate's holder) signs with a token, numbered and waiting."""
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo[org])
    Document.objects.filter(pk=doc.pk).update(token_signing=True, signer_name=SIGNER)
    doc = campaigns.issue_document(actor=None, document=Document.objects.get(pk=doc.pk), on=dt.date(2023, 2, 23))
    assert doc.status == Document.Status.AWAITING_SIGNATURE
    return doc


def test_the_letter_waits_for_its_signer_and_goes_out_once_signed(trusted, campaign, demo, login, tmp_path):
    officer = login("duk.canbo")
    r = officer.post(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/cong-van/")
    doc = Document.objects.get()
    page = officer.get(r["Location"])
    assert 'name="token_signing"' in page.content.decode()
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None and k != "token_signing"}
    data |= {"recipients": [o.pk for o in doc.recipients.all()], "signer_name": SIGNER, "token_signing": "on"}
    assert officer.post(f"/van-ban/{doc.pk}/", data).status_code == 302
    preview = Client()  # the plain client: it sees the preview and does not confirm
    preview.force_login(demo_user("duk.canbo"))
    assert "chờ người ký ký số bằng USB token" in preview.post(f"/van-ban/{doc.pk}/ban-hanh/").content.decode()
    r = officer.post(f"/van-ban/{doc.pk}/ban-hanh/", follow=True)
    doc.refresh_from_db()
    recipients = list(doc.recipients.all())
    assert doc.status == Document.Status.AWAITING_SIGNATURE and doc.number == 1 and len(recipients) >= 5
    assert "Văn bản chờ ký số" in r.content.decode()

    # waiting: nothing delivered; recipients neither see it in their inbox nor may open it
    assert not IncomingDocument.objects.exists()
    grassroots = login("capnuoc.canbo")
    assert doc.reference not in grassroots.get("/van-ban-den/").content.decode()
    assert grassroots.get(f"/van-ban/{doc.pk}/").status_code == 404
    assert grassroots.get(f"/van-ban/{doc.pk}/pdf/").status_code == 404
    assert login("tinhuy.lanhdao").get(f"/van-ban/{doc.pk}/").status_code == 404  # a reader of the level above
    assert_not_notified(demo_user("capnuoc.canbo"), "letter.received")
    assert_notified(demo_user("duk.canbo"), "document.awaiting_signature", contains=SIGNER, url=f"/van-ban/{doc.pk}/")

    # the issuer's page says what to do; its home lists the task with one click to it
    page = officer.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Chờ ký số: tải bản PDF, ký bằng USB token, tải lên bản đã ký" in page
    assert f'href="/van-ban/{doc.pk}/pdf/"' in page and f'action="/van-ban/{doc.pk}/ky-ca-nhan/"' in page
    assert badges(page) == ["unsigned"]
    found, _html = tasks(officer)
    sign_tasks = [t for t in found if t[0] == "sign"]
    assert [u for *_, u in sign_tasks] == [f"/van-ban/{doc.pk}/#cho-ky-so"] and doc.reference in sign_tasks[0][1]
    assert officer.get(sign_tasks[0][3]).status_code == 200

    # a copy of other bytes is refused with the reason, and nothing goes out
    rendered = download(officer, doc)
    r = post_signed(officer, doc, sign(pki().personal, letter_pdf()))
    assert "không phải bản PDF cần ký của văn bản này" in officer.get(r["Location"]).content.decode()
    doc.refresh_from_db()
    assert doc.status == Document.Status.AWAITING_SIGNATURE and not IncomingDocument.objects.exists()

    # the good copy: issued, delivered to every recipient with its incoming number, recipients told
    r = post_signed(officer, doc, sign(pki().personal, rendered))
    page = officer.get(r["Location"]).content.decode()
    assert f"Đã nhận bản ký số của {SIGNER}" in page and "Chờ ký số: tải bản PDF" not in page
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.issued_at is not None
    incoming = {i.recipient_id: i.number for i in IncomingDocument.objects.filter(document=doc)}
    assert set(incoming) == {o.pk for o in recipients} and set(incoming.values()) == {1}
    assert_notified(demo_user("capnuoc.canbo"), "letter.received", contains=doc.reference, url="/van-ban-den/")
    inbox = grassroots.get("/van-ban-den/").content.decode()
    assert doc.reference in inbox and badges(inbox) == ["valid_trusted"]
    assert [t for t in tasks(officer)[0] if t[0] == "sign"] == []

    # what a recipient downloads is the signed copy, and poppler confirms it from outside
    pdf = download(grassroots, doc)
    assert pdf.startswith(rendered) and signing.covers_original(rendered, pdf)
    assert signing.verify_pdf(pdf, trust_roots=domain.trust_roots()).main.signer == SIGNER
    (tmp_path / "da-ky.pdf").write_bytes(pdf)
    out = pdfsig(tmp_path / "da-ky.pdf")
    assert "Signature is Valid." in out and "Total document signed" in out and SIGNER in out
    assert post_signed(officer, doc, sign(pki().personal, rendered)).status_code == 403  # issued: nothing to take


def demo_user(username):

    return get_user_model().objects.get(username=username)


@pytest.fixture
def uploader(demo):
    """An officer of the province board, who uploads what the signer signed (the certificate is not his)."""
    user = make_user("an.nguyen", Role.OFFICER, demo["LD"])
    user.email = "an.nguyen@lamdong.gov.vn"
    user.save()
    return user


def test_a_signed_copy_is_accepted_only_when_it_covers_what_was_rendered(trusted, campaign, demo, login, uploader):
    doc = awaiting_letter(campaign, demo)
    client = login("an.nguyen")
    issued = download(client, doc)
    assert "Chờ ký số: tải bản PDF, ký bằng USB token" in client.get(f"/van-ban/{doc.pk}/").content.decode()

    refused = {
        "another file": (sign(pki().personal, letter_pdf()), "không phải bản PDF cần ký của văn bản này"),
        "the unsigned copy itself": (issued, "Tệp tải lên chưa có chữ ký số"),
        "text added after signing": (
            append_text_update(sign(pki().personal, issued)),
            "Tệp có phần thêm vào sau khi ký",
        ),
        "untrusted certificate": (sign(pki().untrusted, issued), "không thuộc tổ chức chứng thực nào được tin cậy"),
        "someone else's certificate": (sign(pki().organization, issued), "không phải của người ký văn bản"),
        "expired certificate": (sign(pki().expired, issued), "hết hạn"),
    }
    for case, (data, why) in refused.items():
        r = post_signed(client, doc, data)
        assert r.status_code == 302, case
        page = client.get(r["Location"]).content.decode()
        assert "Chưa nhận bản đã ký — văn bản vẫn chờ ký số" in page and why in page, case
        doc.refresh_from_db()
        assert doc.status == Document.Status.AWAITING_SIGNATURE, case
        assert doc.pdf_file.read() == issued, case
        doc.pdf_file.close()
    assert not IncomingDocument.objects.exists()
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert badges(page) == ["unsigned"]

    r = post_signed(client, doc, sign(pki().personal, issued))
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert f"Đã nhận bản ký số của {SIGNER}" in page
    assert badges(page) == ["valid_trusted"]
    inbox = login("duk.canbo").get("/van-ban-den/").content.decode()
    assert badges(inbox) == ["valid_trusted"] and SIGNER in inbox
    downloaded = download(login("duk.canbo"), doc)
    assert downloaded.startswith(issued) and signing.covers_original(issued, downloaded)


def test_only_who_acts_for_the_issuer_uploads_a_signed_copy(trusted, campaign, demo, login):
    doc = awaiting_letter(campaign, demo)
    data = sign(pki().personal, doc.pdf_file.read())
    assert post_signed(login("duk.canbo"), doc, data).status_code in (403, 404)
    assert post_signed(login("tinhuy.lanhdao"), doc, data).status_code in (403, 404)
    doc.refresh_from_db()
    assert doc.status == Document.Status.AWAITING_SIGNATURE


def test_a_letter_issued_at_once_takes_no_token_upload(trusted, campaign, demo, login):
    """The token copy replaces nothing once a letter is out: a recipient already has the file issued."""
    doc = campaigns.issue_document(
        actor=None, document=campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD"])
    )
    client = login("btctu.quantri")
    assert "Chờ ký số" not in client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert post_signed(client, doc, sign(pki().personal, doc.pdf_file.read())).status_code == 403


def test_a_draft_issued_with_another_apps_work_offers_no_token_signing(campaign, demo, login):
    """The written registration and the upward report go out with their app's step (campaigns.papers.issue_step):
    server-signed or unsigned, never waiting for a token."""
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["DUK-CTN"])
    Document.objects.filter(pk=doc.pk).update(purpose=Document.Purpose.WRITTEN_REGISTRATION)
    page = login("capnuoc.canbo").get(f"/van-ban/{doc.pk}/").content.decode()
    assert 'name="token_signing"' not in page and 'name="subject"' in page
    Document.objects.filter(pk=doc.pk).update(token_signing=True)
    with pytest.raises(campaigns.CampaignError, match="không chờ ký bằng USB token"):
        campaigns.issue_document(actor=None, document=doc)
    doc.refresh_from_db()
    assert doc.status == Document.Status.DRAFT and doc.number is None


def test_a_waiting_letter_goes_back_to_a_draft_and_takes_a_new_number_when_issued(
    trusted, campaign, demo, login, uploader
):
    """The signer is away, or the text must change: the office takes the waiting letter back to a draft from its page.
    Nothing went out under its number, so the number is released; the recipients still have nothing; issued again,
    it is numbered then. Only a waiting letter goes back, and only its level's officers may do it."""

    doc = awaiting_letter(campaign, demo)
    client = login("an.nguyen")
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    url = f"/van-ban/{doc.pk}/tro-lai-du-thao/"
    assert f'action="{url}"' in page and "Trở lại dự thảo (bỏ số đã cấp)" in page
    assert login("capnuoc.canbo").post(url).status_code == 404  # a unit below reads nothing of it yet
    r = client.post(url, follow=True)
    assert "Văn bản trở lại dự thảo; số 1-CV/BTCTU được bỏ" in r.content.decode()
    doc.refresh_from_db()
    assert doc.status == Document.Status.DRAFT and doc.number is None and not doc.pdf_file
    assert not IncomingDocument.objects.exists()
    assert AuditEvent.objects.filter(action="document.back_to_draft", object_id=str(doc.pk)).exists()
    again = client.post(url, follow=True).content.decode()  # a draft: nothing to take back
    assert "Chỉ văn bản đang chờ ký số mới trở lại dự thảo được." in again
    Document.objects.filter(pk=doc.pk).update(token_signing=False)
    issued = campaigns.issue_document(actor=None, document=Document.objects.get(pk=doc.pk))
    assert issued.status == Document.Status.ISSUED and issued.number == 1 and IncomingDocument.objects.exists()
