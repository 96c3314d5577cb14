"""The written registration letter (issue 17): it never pre-ticks anything nor offers another person's personal
draft, and it is addressed to the committee that receives (rules D5)."""

import re

from sangtao.campaigns.models import Document, IncomingDocument
from sangtao.orgs.models import Person
from sangtao.registrations.models import Registration
from tests.documents.drafts import editor_data
from tests.registrations.conftest import draft


def test_nothing_pre_ticked_and_no_one_elses_personal_draft(login, campaign, demo, users):

    officer = users["capnuoc.canbo"]
    own = draft(campaign, demo["DUK-CTN"], officer)
    an = Person.objects.get(code="DV-0020")
    personal = draft(campaign, demo["DUK-CTN"], users["nguyenvanan"], title="Đối thoại với công nhân", person=an)
    client = login("capnuoc.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['DUK-CTN'].pk}/nop-dang-ky/"
    page = client.get(url).content.decode()
    assert own.title in page and personal.title not in page
    assert not re.search(r'name="reg"[^>]*checked', page)
    r = client.post(url, {"reg": [str(personal.pk)], "signer_name": "Nguyễn Văn An"})
    assert r.status_code == 200 and "Chọn ít nhất một đăng ký" in r.content.decode()
    assert Registration.objects.get(pk=personal.pk).state == "draft"


def test_a_cells_letter_goes_to_its_grassroots_committee(login, campaign, demo, users):

    reg = draft(campaign, demo["CTN-KT"], users["capnuoc.canbo"], title="Sổ tay kỹ thuật số")
    client = login("capnuoc.canbo")
    r = client.post(
        f"/dot/{campaign.code}/cap/{demo['CTN-KT'].pk}/nop-dang-ky/",
        {"reg": [str(reg.pk)], "signer_name": "Lê Hoàng Minh"},
    )
    assert r.status_code == 302
    doc = Document.objects.get(issuer=demo["CTN-KT"])
    assert client.post(f"/van-ban-dang-ky/{doc.pk}/xac-nhan/").status_code == 302
    doc.refresh_from_db()
    assert doc.salutation == "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng"  # not “Ban Thường vụ Đảng ủy …”
    assert doc.reference == "1-CV/CB" and doc.signature_lines == ["T/M CHI BỘ", "BÍ THƯ"]


def test_the_written_letter_is_a_draft_until_confirmed(login, campaign, demo, users):

    officer = users["capnuoc.canbo"]
    reg = draft(campaign, demo["DUK-CTN"], officer)
    client = login("capnuoc.canbo")
    r = client.post(
        f"/dot/{campaign.code}/cap/{demo['DUK-CTN'].pk}/nop-dang-ky/",
        {"reg": [str(reg.pk)], "signer_name": "Nguyễn Văn An"},
    )
    doc = Document.objects.get(issuer=demo["DUK-CTN"])
    assert r["Location"] == f"/van-ban/{doc.pk}/"
    assert doc.number is None and Registration.objects.get(pk=reg.pk).state == "draft"
    assert not IncomingDocument.objects.filter(document=doc).exists()
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Xác nhận và gửi đăng ký" in page and "DỰ THẢO" in page and reg.title in page
    # the clerk edits the draft and previews it
    data = editor_data(doc, body=doc.body + "\nĐảng ủy cam kết hoàn thành mô hình trong năm.")
    data["recipients"] = [demo["LD-DUK"].pk]
    assert client.post(f"/van-ban/{doc.pk}/", data).status_code == 302
    assert client.get(f"/van-ban/{doc.pk}/pdf/")["Content-Type"] == "application/pdf"
    # the generic “Ban hành” cannot skip sending the registrations
    client.post(f"/van-ban/{doc.pk}/ban-hanh/")
    assert Document.objects.get(pk=doc.pk).number is None
    r = client.post(f"/van-ban-dang-ky/{doc.pk}/xac-nhan/")
    doc.refresh_from_db()
    assert doc.reference == "1-CV/ĐU" and "cam kết hoàn thành" in doc.body
    assert Registration.objects.get(pk=reg.pk).state == "submitted"
    assert IncomingDocument.objects.filter(document=doc, recipient=demo["LD-DUK"]).exists()
    assert login("lacduong.canbo").post(f"/van-ban-dang-ky/{doc.pk}/xac-nhan/").status_code == 404
