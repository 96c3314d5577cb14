"""What the issue step checks and says (walkthrough of the cycle's papers; rules D11, D18, D19, D21): a biên bản
whose secretary is still “…” is not issued — refused on the preview and on confirmation, nothing numbered; an
issued biên bản goes nowhere and the message says so, not “gửi đến 0 nơi”; its text cites the rubric once; the
letter's confirmation page lists “Kính gửi” one place after another and words its warning as rules D19 has it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from sangtao.appraisals import domain as adomain
from sangtao.appraisals.models import Appraisal
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Document, IncomingDocument
from tests.appraisals.conftest import accepted, score
from tests.documents.drafts import editor_data

SECRETARY_MISSING = "Ghi họ tên thư ký vào dòng cuối của ô “Người ký bên trái (thư ký)”"
BODY_SECRETARY_MISSING = "Ghi họ tên thư ký vào dòng “Thư ký: đồng chí …” của ô “Nội dung”"


def plain(username: str) -> Client:
    """A client that does not confirm: it sees the preview page, as a person does before pressing “Xác nhận”."""
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def session_minutes_of_a_council_of_one(campaign, demo, users, login) -> Document:
    """The walkthrough: the bloc's council of one signed off a model; the office draws the session's biên bản."""
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    chair = users["duk.thamdinh"]
    ap = adomain.open_appraisal(actor=chair, registration=reg, members=[chair], chair=chair)
    score(ap, chair, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
    ap = adomain.sign_off(actor=chair, appraisal=ap)
    url = f"/dot/{campaign.code}/tham-dinh/{demo['LD-DUK'].pk}/bien-ban-phien-hop/"
    r = login("duk.canbo").post(url, {"day": f"{timezone.localdate():%d/%m/%Y}", "appraisals": [ap.pk]})
    assert r.status_code == 302, r.content.decode()[:2000]
    return Document.objects.get(kind="BB")


def test_a_bien_ban_without_its_secretarys_name_is_not_issued(campaign, demo, users, login):
    doc = session_minutes_of_a_council_of_one(campaign, demo, users, login)
    assert doc.copies_to.splitlines() == ["THƯ KÝ", "…"] and "Thư ký: đồng chí …." in doc.body
    url = f"/van-ban/{doc.pk}/ban-hanh/"
    # The preview says what is missing, and offers no confirmation.
    preview = plain("duk.canbo").post(url)
    page = preview.content.decode()
    assert preview.status_code == 200 and SECRETARY_MISSING in page and BODY_SECRETARY_MISSING in page
    assert 'name="xac_nhan"' not in page and "Xác nhận: Ban hành" not in page
    # Confirmed anyway (a POST with the confirmation): refused with the same words, nothing numbered or changed.
    office = login("duk.canbo")
    r = office.post(url, follow=True)
    assert SECRETARY_MISSING in r.content.decode()
    before = Document.objects.get(pk=doc.pk)
    assert before.status == Document.Status.DRAFT and before.number is None and not before.pdf_file
    assert before.copies_to == doc.copies_to and before.body == doc.body
    assert not IncomingDocument.objects.filter(document=doc).exists()
    # The name written in the left block only: the body's “Thư ký: đồng chí …” still stops it.
    assert office.post(f"/van-ban/{doc.pk}/", editor_data(doc, copies_to="THƯ KÝ\nNguyễn Thị Lan")).status_code == 302
    page = office.post(url, follow=True).content.decode()
    assert BODY_SECRETARY_MISSING in page and SECRETARY_MISSING not in page
    assert Document.objects.get(pk=doc.pk).number is None
    # Both written: issued, kept by the level, and the message says so (not “gửi đến 0 nơi”).
    doc.refresh_from_db()
    body = doc.body.replace("Thư ký: đồng chí ….", "Thư ký: đồng chí Nguyễn Thị Lan.")
    assert office.post(f"/van-ban/{doc.pk}/", editor_data(doc, body=body)).status_code == 302
    page = plain("duk.canbo").post(url).content.decode()
    assert "Xác nhận: Ban hành" in page and SECRETARY_MISSING not in page and BODY_SECRETARY_MISSING not in page
    assert "Không gửi nơi nào: văn bản lưu tại cơ quan ban hành." in page and "0 nơi" not in page
    page = office.post(url, follow=True).content.decode()
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.reference == "1-BB/ĐUK"
    assert "Đã ban hành 1-BB/ĐUK; văn bản lưu tại cơ quan, không gửi nơi nào." in page
    assert "gửi đến 0 nơi" not in page


def test_a_bien_ban_cites_its_rubric_once(campaign, demo, users, login):
    doc = session_minutes_of_a_council_of_one(campaign, demo, users, login)
    assert "bộ tiêu chí Tiêu chí" not in doc.body
    assert "theo “Tiêu chí thẩm định mô hình của tập thể (HD 09, mục I.2.1)” (Hướng dẫn số 09-HD/BTCTU" in doc.body
    ap = Appraisal.objects.get()  # the appraisal's own biên bản says it the same way
    assert login("duk.canbo").post(f"/tham-dinh/{ap.pk}/bien-ban/").status_code == 302
    one = Document.objects.exclude(pk=doc.pk).get(kind="BB")
    assert "bộ tiêu chí Tiêu chí" not in one.body and "theo “Tiêu chí thẩm định mô hình của tập thể" in one.body


def test_the_letters_confirmation_lists_kinh_gui_and_words_its_warning(campaign, demo, login):
    letter = cdomain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    places = [line for line in letter.salutation.splitlines() if line.strip()]
    assert len(places) == 6  # the bloc's units, one a line (over six: “Cấp ủy các tổ chức đảng có liên quan”)
    office = login("duk.canbo")
    url = f"/van-ban/{letter.pk}/ban-hanh/"
    page = plain("duk.canbo").post(url).content.decode()
    assert "; ".join(p.strip().lstrip("- ").rstrip(",.") for p in places) in page
    assert "".join(p.strip() for p in places) not in page
    assert "Sau khi ban hành (đã gửi), văn bản không sửa được" in page
    assert "Văn bản đã ban hành không sửa được" not in page
    # Signed with the signer's token: it waits, and may still go back to a draft (rules D19) — the page says so.
    letter.refresh_from_db()
    assert office.post(f"/van-ban/{letter.pk}/", editor_data(letter, token_signing="on")).status_code == 302
    page = plain("duk.canbo").post(url).content.decode()
    assert "Văn bản chờ ký số còn có thể trở lại dự thảo" in page and "Xác nhận: Cấp số, chờ ký số" in page
    assert "Văn bản đã ban hành không sửa được" not in page
    assert Document.objects.get(pk=letter.pk).number is None  # the preview wrote nothing
