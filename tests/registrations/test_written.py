"""A committee submits its registration in writing as one act (SPEC §3, §4)."""

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document as Docx

from sangtao.campaigns.models import IncomingDocument
from sangtao.orgs.models import Person
from sangtao.registrations import domain
from sangtao.registrations.models import Registration
from tests.registrations.conftest import draft

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_written_registration_lists_collective_and_leaders_and_lands_upstairs(campaign, demo, users):
    officer = users["capnuoc.canbo"]
    a = draft(campaign, demo["DUK-CTN"], officer)
    b = draft(
        campaign,
        demo["DUK-CTN"],
        officer,
        title="Giám đốc đối thoại hằng tháng với công nhân",
        person=Person.objects.get(code="DV-0020"),
    )
    with time_machine.travel(dt.datetime(2023, 3, 14, 10, 0, tzinfo=HCM), tick=False):
        doc = domain.submit_in_writing(
            actor=officer, campaign=campaign, org=demo["DUK-CTN"], registrations=[a, b], signer_name="Nguyễn Văn An"
        )
    assert doc.reference == "1-CV/ĐU" and doc.issued_on == dt.date(2023, 3, 14)
    texts = [p.text for p in Docx(BytesIO(doc.docx_file.read())).paragraphs]
    body = "\n".join(texts)
    assert "“Số hóa quy trình cấp nước cho khách hàng”" in body
    assert (
        "Đồng chí Nguyễn Văn An, Bí thư Đảng ủy, Giám đốc Công ty: “Giám đốc đối thoại hằng tháng với công nhân”"
        in body
    )
    assert "Tỷ lệ hóa đơn điện tử: 90 %" in body
    assert IncomingDocument.objects.get(document=doc).recipient.code == "LD-DUK"
    assert set(Registration.objects.values_list("state", flat=True)) == {"submitted"}
    assert all(r.letter_id == doc.pk and not r.late for r in Registration.objects.all())


def test_written_registration_is_all_or_nothing(campaign, demo, users):
    officer = users["capnuoc.canbo"]
    good = draft(campaign, demo["DUK-CTN"], officer)
    bad = domain.save_draft(
        actor=officer, campaign=campaign, subject_org=demo["DUK-CTN"], indicators=[], title="Chưa đủ nội dung"
    )
    with pytest.raises(domain.RegistrationError) as info:
        domain.submit_in_writing(
            actor=officer,
            campaign=campaign,
            org=demo["DUK-CTN"],
            registrations=[good, bad],
            signer_name="Nguyễn Văn An",
        )
    assert any("Chưa đủ nội dung" in m and "chỉ tiêu" in m for m in info.value.messages)
    assert set(Registration.objects.values_list("state", flat=True)) == {"draft"}
    assert not IncomingDocument.objects.exists()


def test_written_registration_through_the_web(login, campaign, demo, users):
    officer = users["capnuoc.canbo"]
    draft(campaign, demo["DUK-CTN"], officer)
    client = login("capnuoc.canbo")
    url = f"/dot/{campaign.code}/cap/{demo['DUK-CTN'].pk}/nop-dang-ky/"
    page = client.get(url).content.decode()
    assert "Số hóa quy trình cấp nước cho khách hàng" in page and 'value="Nguyễn Văn An"' in page
    r = client.post(url, {"reg": [str(r.pk) for r in Registration.objects.all()], "signer_name": "Nguyễn Văn An"})
    assert r.status_code == 302 and r["Location"].startswith("/van-ban/")  # a draft letter first (rules R9)
    assert client.post(f"/van-ban-dang-ky/{r['Location'].split('/')[2]}/xac-nhan/").status_code == 302
    inbox = login("duk.canbo").get("/van-ban-den/").content.decode()
    assert "1-CV/ĐU" in inbox
    assert login("lacduong.canbo").get(url).status_code == 404
