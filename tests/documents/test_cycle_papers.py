"""The cycle's papers an office signs (issue 17): each drawn from the app's data as a draft through HTTP, edited
by the clerk, issued with its number, downloaded as .docx and PDF; the .docx rendered by LibreOffice has its
pages numbered from page 2, a last page holding more than the signatures, and as many pages as our PDF."""

from __future__ import annotations

import re

import pytest

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Document
from sangtao.documents import render
from sangtao.orgs.models import Role, RoleAssignment
from tests.appraisals.conftest import accepted, score, second_appraiser  # noqa: F401 — helpers and a fixture
from tests.conftest import make_user
from tests.documents import office
from tests.documents.drafts import editor_data
from tests.documents.test_party_format import flat

pytestmark = office.needs_office
CLERK_TEXT = (
    "Nội dung văn phòng viết thêm khi sửa dự thảo: đoạn văn đủ dài để chiếm hai dòng trên trang A4 khi "
    "trình bày bằng chữ Times New Roman cỡ 14 theo thể thức văn bản của Đảng."
)


def edit_and_issue(client, doc, extra: int) -> Document:
    """The clerk adds `extra` paragraphs before the last one (the document grows onto page 2), saves, previews
    and issues it."""
    lines = doc.body.splitlines()
    data = editor_data(
        doc, body="\n".join([*lines[:-1], *[f"{CLERK_TEXT} ({i})" for i in range(1, extra + 1)], lines[-1]])
    )
    r = client.post(f"/van-ban/{doc.pk}/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "DỰ THẢO" in page
    assert client.get(f"/van-ban/{doc.pk}/pdf/")["Content-Type"] == "application/pdf"
    assert client.post(f"/van-ban/{doc.pk}/ban-hanh/").status_code == 302
    doc.refresh_from_db()
    assert doc.number is not None and doc.status == Document.Status.ISSUED
    return doc


def downloaded(client, doc, folder, name, signers: list[str]) -> str:
    """Both files as downloaded, read as a clerk's office suite does; their text."""
    docx = client.get(f"/van-ban/{doc.pk}/docx/")
    pdf = client.get(f"/van-ban/{doc.pk}/pdf/")
    assert docx.status_code == pdf.status_code == 200
    docx_pdf = office.docx_to_pdf(b"".join(docx.streaming_content), folder, f"{name}-docx")
    our_pdf = office.save_pdf(b"".join(pdf.streaming_content), folder, f"{name}-pdf")
    assert office.page_count(docx_pdf) == office.page_count(our_pdf) >= 2, name
    last_line = doc.body.splitlines()[-1]
    for path in (docx_pdf, our_pdf):
        texts = office.check_pages(path, signers[0])
        last = re.sub(r"\s+", " ", texts[-1].replace("\u00a0", " "))
        assert all(s in last for s in signers), (name, last)
        assert last_line.split()[0] in last or last_line[:30] in last, f"{name}: the last page holds only signatures"
        assert "DỰ THẢO" not in flat(path)
    assert office.first_page_png(our_pdf, folder / f"{name}-p1").stat().st_size > 10_000  # docs/img/giay-to-*.png
    return flat(our_pdf) + " " + flat(docx_pdf)


def officer_of_both(demo, login, doc):
    """An officer of the appraising level who is also of the appraised unit (logged in): before publication the
    council's paper is “not found” for him in every form (rules P11, D12)."""
    both = make_user("ctn.kiemnhiem", Role.OFFICER, demo["DUK-CTN"])
    RoleAssignment.objects.create(user=both, org=demo["LD-DUK"], role=Role.OFFICER)
    dual = login("ctn.kiemnhiem")
    for path in ("", "docx/", "pdf/"):
        assert dual.get(f"/van-ban/{doc.pk}/{path}").status_code == 404
    return dual


@pytest.fixture
def council(campaign, demo, users, second_appraiser):
    """A model of the water company appraised by a council of two at the bloc, signed off, not yet published."""
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    chair = users["duk.thamdinh"]
    ap = adomain.open_appraisal(actor=chair, registration=reg, members=[chair, second_appraiser], chair=chair)
    score(ap, chair, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
    score(ap, second_appraiser, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
    return adomain.sign_off(actor=chair, appraisal=ap)


def test_thong_bao_ket_qua_only_from_published_results(council, campaign, demo, users, login, tmp_path):
    office_client = login("duk.canbo")
    url = f"/dot/{campaign.code}/ket-qua-tham-dinh/thong-bao/{demo['LD-DUK'].pk}/"
    assert "Lập thông báo kết quả" not in office_client.get(f"/dot/{campaign.code}/ket-qua-tham-dinh/").content.decode()
    r = office_client.post(url)  # nothing published yet: refused, nothing drafted
    assert r.status_code == 302 and not Document.objects.filter(kind="TB").exists()
    assert login("capnuoc.canbo").post(url).status_code == 403  # the appraised unit's officer
    adomain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    assert "Lập thông báo kết quả" in office_client.get(f"/dot/{campaign.code}/ket-qua-tham-dinh/").content.decode()
    r = office_client.post(url)
    doc = Document.objects.get(kind="TB")
    assert r["Location"] == f"/van-ban/{doc.pk}/"
    assert office_client.post(url)["Location"] == f"/van-ban/{doc.pk}/"  # the same draft, not a second one
    assert doc.salutation == "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng"
    assert doc.annex["rows"][0][1:] == [
        "Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng",
        "“Hóa đơn điện tử”",
        "7,5",
        "Khá",
    ]
    doc = edit_and_issue(office_client, doc, extra=14)
    assert doc.reference.endswith("-TB/ĐUK")
    text = downloaded(office_client, doc, tmp_path, "thong-bao", [doc.signer_name])
    assert "THÔNG BÁO Kết quả thẩm định mô hình mới, cách làm sáng tạo năm 2023" in text
    assert "Hóa đơn điện tử" in text and "Khá" in text and "Xếp loại" in text
    assert doc.deliveries.filter(recipient=demo["DUK-CTN"]).exists()


def test_bien_ban_hop_tham_dinh(council, campaign, demo, users, login, tmp_path):
    url = f"/tham-dinh/{council.pk}/bien-ban/"
    office_client = login("duk.canbo")
    page = office_client.get(f"/tham-dinh/{council.pk}/").content.decode()
    assert "Lập biên bản họp thẩm định" in page
    assert login("capnuoc.canbo").post(url).status_code == 404  # the appraised do not even see the appraisal
    assert login("duk.thamdinh").post(url).status_code == 403  # a member, not the office
    assert office_client.post(url).status_code == 302
    doc = Document.objects.get(kind="BB")
    assert doc.salutation == "" and doc.signer_title == "CHỦ TRÌ"
    body = doc.body
    assert (
        "Thành viên Hội đồng có mặt: 2/2 đồng chí" in body
        and "Địa điểm: trụ sở Đảng ủy Khối Doanh nghiệp tỉnh." in body
    )
    assert "xếp loại Khá" in body and "7,5/10 điểm" in body
    assert ["", "Tổng cộng", "", "10", "7,5"] in doc.annex["rows"]
    doc = edit_and_issue(office_client, doc, extra=8)
    # An officer of the level who is also of the appraised unit reads nothing of it before publication (P11).
    dual = officer_of_both(demo, login, doc)
    assert dual.post(url).status_code == 404
    adomain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    assert dual.get(f"/van-ban/{doc.pk}/").status_code == 200
    secretary = doc.copies_to.splitlines()[-1]
    text = downloaded(office_client, doc, tmp_path, "bien-ban", [doc.signer_name, secretary, "THƯ KÝ", "CHỦ TRÌ"])
    assert "BIÊN BẢN Họp Hội đồng thẩm định mô hình “Hóa đơn điện tử”" in text
    assert "Kính gửi" not in text and "Nơi nhận" not in text and "Tổng cộng" in text
    assert re.search(r"Số \d+-BB/ĐUK", text)


def test_phieu_cham_diem_of_each_member(council, campaign, demo, users, login, tmp_path, second_appraiser):
    office_client = login("duk.canbo")
    page = office_client.get(f"/tham-dinh/{council.pk}/").content.decode()
    sheets = list(council.sheets.order_by("appraiser__username"))
    assert len(sheets) == 2 and all(f"/phieu-cham/{s.pk}/van-ban/" in page for s in sheets)
    for sheet in sheets:
        assert office_client.post(f"/tham-dinh/{council.pk}/phieu-cham/{sheet.pk}/van-ban/").status_code == 302
    docs = list(Document.objects.filter(kind="PCĐ").order_by("pk"))
    assert len(docs) == 2 and docs[0].signer_name != docs[1].signer_name
    doc = docs[0]
    assert "Căn cứ chấm TC1" in doc.annex["rows"][0][2] and doc.annex["rows"][-1][-1] == "7,5"
    doc = edit_and_issue(office_client, doc, extra=14)
    text = downloaded(office_client, doc, tmp_path, "phieu-cham", [doc.signer_name, "NGƯỜI CHẤM"])
    assert "PHIẾU CHẤM ĐIỂM Thẩm định mô hình “Hóa đơn điện tử”" in text
    assert "Tổng điểm: 7,5/10 điểm; xếp loại: Khá." in text and "Căn cứ chấm TC1" in text


def test_a_council_of_one_leaves_the_secretarys_name_to_write_in(campaign, demo, users, login):
    """The demo's council has one member: no one else took the minutes, so the left block is “THƯ KÝ” over a
    blank “…” to write in — not “THƯ KÝ” printed where the name goes (render reads the last line as the name)."""
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    chair = users["duk.thamdinh"]
    ap = adomain.open_appraisal(actor=chair, registration=reg, members=[chair], chair=chair)
    score(ap, chair, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
    ap = adomain.sign_off(actor=chair, appraisal=ap)
    assert login("duk.canbo").post(f"/tham-dinh/{ap.pk}/bien-ban/").status_code == 302
    doc = Document.objects.get(kind="BB")
    assert render.left_signature(doc) == {"lines": ["THƯ KÝ"], "name": "…"}
    page = login("duk.canbo").get(f"/van-ban/{doc.pk}/").content.decode()
    assert ">Ban hành</button>" in page and "Ban hành và gửi" not in page  # a biên bản is sent nowhere
    assert "Thư ký: đồng chí …." in doc.body
