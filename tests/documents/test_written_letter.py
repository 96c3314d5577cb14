"""The written registration letter (issue 17): it never pre-ticks anything nor offers another person's personal
draft, and it is addressed to the committee that receives (rules D5)."""

import re

from sangtao.registrations.models import Registration
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)


def test_nothing_pre_ticked_and_no_one_elses_personal_draft(login, campaign, demo, users):
    from sangtao.orgs.models import Person

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
    from sangtao.campaigns.models import Document

    reg = draft(campaign, demo["CTN-KT"], users["capnuoc.canbo"], title="Sổ tay kỹ thuật số")
    client = login("capnuoc.canbo")
    r = client.post(f"/dot/{campaign.code}/cap/{demo['CTN-KT'].pk}/nop-dang-ky/",
                    {"reg": [str(reg.pk)], "signer_name": "Lê Hoàng Minh"})
    assert r.status_code == 302
    doc = Document.objects.get(issuer=demo["CTN-KT"])
    assert doc.salutation == "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng"  # not “Ban Thường vụ Đảng ủy …”
    assert doc.reference == "1-CV/CB" and doc.signature_lines == ["T/M CHI BỘ", "BÍ THƯ"]
