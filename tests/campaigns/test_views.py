"""Campaign screens through HTTP."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from sangtao.campaigns import domain
from sangtao.campaigns.models import Attachment, Campaign, CampaignLevel, Document, IncomingDocument
from sangtao.orgs import domain as org_domain
from tests.support import open_campaign

D = dt.date


@pytest.fixture
def campaign(demo):
    return open_campaign(2023, registration_deadline=D(2030, 3, 24), results_deadline=D(2030, 11, 30))


def test_admin_opens_a_campaign_and_errors_keep_input(login, demo):
    client = login("btctu.quantri")
    data = {
        "root": "LD",
        "code": "DK-2031",
        "name": "Đăng ký mô hình mới, cách làm sáng tạo năm 2031",
        "year": 2031,
        "legal_bases": "Kết luận số 14-KL/TW",
        "theme": "",
        "guidance": "Hướng dẫn 09-HD/BTCTU",
        "registration_deadline": "24/03/2031",
        "results_deadline": "01/03/2031",
        "target_registered": "90",
        "target_rated": "25",
        "rated_base": "registered",
        "late_policy": "accept",
        "tree_date": "",
    }
    r = client.post("/dot/mo/", data)
    html = r.content.decode()
    assert r.status_code == 200 and "không được sớm hơn hạn đăng ký" in html and 'value="24/03/2031"' in html
    data["results_deadline"] = "30/11/2031"
    r = client.post("/dot/mo/", data)
    campaign = Campaign.objects.get(code="DK-2031")
    assert r.status_code == 302 and r["Location"] == f"/dot/DK-2031/cap/{demo['LD'].pk}/"
    assert CampaignLevel.objects.get(campaign=campaign, org=demo["LD"]).registration_deadline == D(2031, 3, 24)


def test_officer_cannot_open_a_campaign(login, demo):
    assert login("duk.canbo").get("/dot/mo/").status_code == 403


def test_cascade_later_than_parent_shows_the_deadline(login, campaign, demo):
    client = login("duk.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/trien-khai/"
    r = client.post(url, {"registration_deadline": "25/03/2030", "target_registered": "95"})
    html = r.content.decode()
    assert r.status_code == 200 and "24/03/2030" in html and "không được muộn hơn" in html
    assert 'value="25/03/2030"' in html
    r = client.post(url, {"registration_deadline": "15/03/2030", "target_registered": "95"})
    assert r.status_code == 302
    page = client.get(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/").content.decode()
    assert "15/03/2030" in page and "95%" in page


def test_level_page_shows_children_and_days_left(login, campaign, demo, django_assert_max_num_queries):
    client = login("duk.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(25):
        html = client.get(url).content.decode()
    assert "Đảng bộ Công ty Điện lực Lâm Đồng" in html and "còn" in html
    assert "không thẩm định" in html  # the private enterprise's row is flagged


def test_level_page_queries_do_not_grow_with_children(login, campaign, demo, django_assert_max_num_queries, kinds):

    client = login("duk.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/"
    letter = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    domain.issue_document(actor=None, document=letter)
    client.get(url)
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for i in range(15):
        org = org_domain.create_org(
            actor=None,
            parent=demo["LD-DUK"],
            code=f"N{i}",
            name=f"Đảng bộ mới {i}",
            kind=kinds["dang_bo_co_so"],
            valid_from=D(2020, 1, 1),
        )
        domain.cascade(actor=None, campaign=campaign, org=org, registration_deadline=D(2030, 3, 1))
    domain.issue_document(
        actor=None, document=domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(url).content.decode()
    assert "Đảng bộ mới 14" in html


def test_draft_edit_issue_download_and_inbox(login, campaign, demo):
    officer = login("duk.canbo")
    r = officer.post(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/cong-van/")
    doc = Document.objects.get()
    assert r["Location"] == f"/van-ban/{doc.pk}/"
    form = officer.get(r["Location"]).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["recipients"] = [o.pk for o in doc.recipients.all()]
    data["signer_name"] = "Trương Văn Hải"
    data["body"] = doc.body + "\nĐề nghị các đơn vị thực hiện nghiêm túc."
    assert officer.post(f"/van-ban/{doc.pk}/", data).status_code == 302
    r = officer.post(
        f"/van-ban/{doc.pk}/dinh-kem/", {"file": SimpleUploadedFile("hd.pdf", b"<html>x</html>")}, follow=True
    )
    assert "không phải PDF" in r.content.decode() and not Attachment.objects.exists()
    officer.post(f"/van-ban/{doc.pk}/dinh-kem/", {"file": SimpleUploadedFile("09-HD-BTCTU.pdf", b"%PDF-1.4\n%test\n")})
    assert Attachment.objects.count() == 1
    assert officer.post(f"/van-ban/{doc.pk}/ban-hanh/").status_code == 302
    doc.refresh_from_db()
    assert doc.number == 1 and doc.status == Document.Status.ISSUED
    word = Docx(BytesIO(b"".join(officer.get(f"/van-ban/{doc.pk}/docx/").streaming_content)))
    assert any("Đề nghị các đơn vị thực hiện nghiêm túc." in p.text for p in word.paragraphs)
    assert officer.get(f"/van-ban/{doc.pk}/pdf/")["Content-Type"] == "application/pdf"
    # an issued letter can no longer be edited
    assert officer.post(f"/van-ban/{doc.pk}/", data).status_code == 403

    grassroots = login("capnuoc.canbo")
    inbox = grassroots.get("/van-ban-den/").content.decode()
    assert "1-CV/ĐUK" in inbox and "Xác nhận đã nhận" in inbox
    incoming = IncomingDocument.objects.get(recipient=demo["DUK-CTN"])
    assert grassroots.get(f"/van-ban/{doc.pk}/").status_code == 200
    att = Attachment.objects.get()
    assert grassroots.get(f"/van-ban/dinh-kem/{att.pk}/").status_code == 200
    assert grassroots.post(f"/van-ban-den/{incoming.pk}/xac-nhan/").status_code == 302
    incoming.refresh_from_db()
    assert incoming.acknowledged_by.username == "capnuoc.canbo"
    # the sender sees who acknowledged
    assert "Đã nhận" in officer.get(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/").content.decode()


def test_drafts_are_private_to_the_issuing_level(login, campaign, demo):
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    assert login("capnuoc.canbo").get(f"/van-ban/{doc.pk}/").status_code == 404
    assert login("tinhuy.lanhdao").get(f"/van-ban/{doc.pk}/").status_code == 404
    # nor listed to a reader of the level (a link that would answer 404); its officer sees it listed
    level = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/"
    assert f"/van-ban/{doc.pk}/" not in login("tinhuy.lanhdao").get(level).content.decode()
    assert f"/van-ban/{doc.pk}/" in login("duk.canbo").get(level).content.decode()


def test_province_admin_edits_the_letter_template(login, campaign, demo):
    admin = login("btctu.quantri")
    r = admin.post(
        "/mau-cong-van/", {"name": "Mẫu", "subject": "đăng ký năm {{ campaign.year }}", "body": "{% if %}hỏng"}
    )
    assert r.status_code == 200 and "lỗi cú pháp" in r.content.decode()
    r = admin.post(
        "/mau-cong-van/",
        {
            "name": "Mẫu",
            "subject": "đăng ký năm {{ campaign.year }}",
            "body": "Đề nghị đăng ký trước ngày {{ deadline|date:'d/m/Y' }}.",
        },
    )
    assert r.status_code == 302
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    assert doc.body == "Đề nghị đăng ký trước ngày 24/03/2030." and doc.subject == "đăng ký năm 2023"
    assert login("duk.canbo").get("/mau-cong-van/").status_code == 403


def test_a_second_cascade_letter_is_made_knowingly(login, campaign, demo):
    """The walkthrough made a second letter with no word that 1-CV/ĐUK existed: it is allowed, and said."""
    officer = login("duk.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/cong-van/"
    first = officer.post(url, follow=True).content.decode()
    assert "công văn thứ hai" not in first
    second = officer.post(url, follow=True).content.decode()
    assert "Cấp này đã có công văn triển khai của đợt (một dự thảo); dự thảo vừa tạo là công văn thứ hai." in second
