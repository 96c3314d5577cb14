"""The biên bản of a council's whole session (issue 17; rules D11, D12, D18): the level's office picks the day
and the models the council appraised (by default those signed off that day and in no session's minutes yet); the
draft lists time and place, the council, each model with its unit, points, class and votes, the conclusion, and
is signed by the chair and the secretary; issued with its number, read only by who may see every result in it,
.docx and PDF alike in LibreOffice."""

from __future__ import annotations

import re

from django.utils import timezone

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Document
from tests.appraisals.conftest import accepted, score, second_appraiser  # noqa: F401 — helpers and a fixture
from tests.documents import office
from tests.documents.test_cycle_papers import (  # noqa: F401 — council: a fixture
    council,
    downloaded,
    edit_and_issue,
    officer_of_both,
)

pytestmark = office.needs_office


def test_bien_ban_of_a_whole_session(council, campaign, demo, users, login, tmp_path, second_appraiser):
    chair = users["duk.thamdinh"]
    reg = accepted(campaign, demo["DUK-DL"], users["duk.canbo"], users["btctu.quantri"], "Bản đồ số")
    ap = adomain.open_appraisal(actor=chair, registration=reg, members=[chair, second_appraiser], chair=chair)
    for member in (chair, second_appraiser):
        score(ap, member, {"TC1": "2", "TC2": "4", "TC3": "1,5", "TC4": "1"})
    other = adomain.sign_off(actor=chair, appraisal=ap)
    url = f"/dot/{campaign.code}/tham-dinh/{demo['LD-DUK'].pk}/bien-ban-phien-hop/"
    office_client = login("duk.canbo")
    for page in (f"/dot/{campaign.code}/tham-dinh/", f"/dot/{campaign.code}/ket-qua-tham-dinh/"):
        assert url in office_client.get(page).content.decode()  # linked from the queue and the results
    assert url in office_client.get(f"/tham-dinh/{council.pk}/").content.decode()
    page = office_client.get(url).content.decode()
    today = timezone.localdate()
    assert f'value="{today:%d/%m/%Y}"' in page
    for a in (council, other):  # both signed off today, in no session's minutes: ticked
        assert re.search(rf'value="{a.pk}"[^>]*checked', page), page
    chair_posts = login("duk.thamdinh").post(url, {"day": f"{today:%d/%m/%Y}", "appraisals": [council.pk]})
    assert chair_posts.status_code == 403  # the chair reads the minutes, the office draws them (D20)
    assert login("capnuoc.canbo").get(url).status_code == 404  # the appraised unit does not read the level
    data = {"day": f"{today:%d/%m/%Y}", "appraisals": [council.pk, other.pk]}
    assert office_client.post(url, {"day": data["day"]}).status_code == 200  # no model chosen: the form again
    assert not Document.objects.filter(kind="BB").exists()
    r = office_client.post(url, data)
    doc = Document.objects.get(kind="BB")
    assert r.status_code == 302 and r["Location"] == f"/van-ban/{doc.pk}/"
    assert office_client.post(url, data)["Location"] == r["Location"]  # the same draft, not a second one
    assert doc.source.startswith(f"appraisal:session:{demo['LD-DUK'].pk}:") and doc.annex["appraisals"] == [
        council.pk,
        other.pk,
    ]
    assert doc.salutation == "" and doc.signer_title == "CHỦ TRÌ" and doc.signer_name
    body = doc.body
    assert "Thành viên Hội đồng có mặt: 2/2 đồng chí" in body and "họp thẩm định 2 mô hình" in body
    assert f"Thời gian: ngày {today:%d/%m/%Y} (Hội đồng ký duyệt kết quả " in body
    assert "Địa điểm: trụ sở Đảng ủy Khối Doanh nghiệp tỉnh." in body
    rows = doc.annex["rows"]
    assert rows[0][1].startswith("“Hóa đơn điện tử” — Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng")
    assert rows[0][2].startswith("2/2 phiếu: 7,5; 7,5") and rows[0][3:] == ["7,5", "Khá"]
    assert rows[1][1].startswith("“Bản đồ số”") and rows[1][3] == "8,5"
    page = office_client.get(url).content.decode()
    assert "đã có trong biên bản phiên họp" in page and not re.search(rf'value="{council.pk}"[^>]*checked', page)
    assert (
        f"/van-ban/{doc.pk}/" in page
        and f"/van-ban/{doc.pk}/" in office_client.get(f"/tham-dinh/{council.pk}/").content.decode()
    )
    editor = office_client.get(f"/van-ban/{doc.pk}/").content.decode()  # the page's preview shows the whole minutes
    assert "<h1>Dự thảo biên bản" in editor
    for seen in ("Thời gian: ngày", "I. THÀNH PHẦN", "II. NỘI DUNG", "Hóa đơn điện tử", "III. KẾT LUẬN", "THƯ KÝ"):
        assert seen in editor.split('class="letter-preview"')[1], seen
    assert "Nơi nhận:" not in editor.split('class="letter-preview"')[1]  # a biên bản's left block is its secretary
    assert "Người ký bên trái (thư ký)" in editor  # and its form says so
    level = office_client.get(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/").content.decode()
    assert f"Biên bản: {doc.subject}" in level and f"V/v {doc.subject}" not in level  # “V/v” is a công văn's
    doc = edit_and_issue(office_client, doc, extra=6)
    # An officer of the level who is also of an appraised unit reads nothing of it before publication (P11).
    dual = officer_of_both(demo, login, doc)
    assert "Hóa đơn điện tử" not in dual.get(url).content.decode()  # nor is the model offered to him
    assert dual.post(url, data).status_code == 200 and Document.objects.filter(kind="BB").count() == 1
    adomain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    assert dual.get(f"/van-ban/{doc.pk}/").status_code == 200
    secretary = doc.copies_to.splitlines()[-1]
    text = downloaded(office_client, doc, tmp_path, "bien-ban-phien", [doc.signer_name, secretary, "THƯ KÝ", "CHỦ TRÌ"])
    assert "BIÊN BẢN Họp Hội đồng thẩm định mô hình mới, cách làm sáng tạo năm 2023" in text
    assert "Hóa đơn điện tử" in text and "Bản đồ số" in text and "Khá: 1" in text
    assert "Kính gửi" not in text and "Nơi nhận" not in text and re.search(r"Số \d+-BB/ĐUK", text)
    office.guide_png(office.save_pdf(doc.pdf_file.read(), tmp_path, "phien"), tmp_path, "giay-to-bien-ban-phien-hop")
