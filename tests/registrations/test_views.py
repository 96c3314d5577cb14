"""Registration screens through HTTP."""

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sangtao.orgs.models import Person
from sangtao.registrations import domain
from sangtao.registrations.models import Registration, RegistrationAttachment
from tests.registrations.conftest import draft, sent


def form_data(**extra):
    data = {
        "title": "Số hóa sổ theo dõi đảng viên",
        "content_areas": ["leadership"],
        "fields": ["xay_dung_dang"],
        "novelty": "Lần đầu dùng sổ điện tử.",
        "method": "Văn phòng cấp ủy triển khai.",
        "starts_on": "01/04/2023",
        "ends_on": "31/10/2023",
        "theme_link": "",
        "ind-TOTAL_FORMS": "3",
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "3",
        "ind-MAX_NUM_FORMS": "20",
        "ind-0-name": "Tỷ lệ đảng viên dùng sổ điện tử",
        "ind-0-unit": "%",
        "ind-0-baseline": "0",
        "ind-0-target": "85,5",
    }
    data.update(extra)
    return data


def test_create_keeps_input_on_error_then_submits(login, campaign, demo):
    client = login("capnuoc.canbo")
    url = f"/dot/{campaign.code}/dang-ky/moi/?to_chuc={demo['DUK-CTN'].pk}"
    r = client.post(url, form_data(**{"ind-0-unit": "", "submit": "1"}))
    html = r.content.decode()
    assert r.status_code == 200 and "Ghi đơn vị tính." in html and 'value="Số hóa sổ theo dõi đảng viên"' in html
    r = client.post(url, form_data(submit="1"))
    reg = Registration.objects.get()
    assert r.status_code == 302 and reg.state == "submitted"
    assert reg.indicators.get().target == 85.5  # “85,5” read in the Vietnamese number format


def test_leader_registers_own_model(login, campaign, demo):
    client = login("nguyenvanan")
    person = Person.objects.get(code="DV-0020")
    page = client.get(f"/dot/{campaign.code}/dang-ky/").content.decode()
    assert "Đăng ký mô hình của tôi" in page
    r = client.post(
        f"/dot/{campaign.code}/dang-ky/moi/?ca_nhan={person.pk}", form_data(title="Giám đốc đối thoại hằng tháng")
    )
    reg = Registration.objects.get()
    assert r.status_code == 302 and reg.person == person and reg.state == "draft"
    other = Person.objects.get(code="DV-0021")
    assert client.get(f"/dot/{campaign.code}/dang-ky/moi/?ca_nhan={other.pk}").status_code == 403


def test_return_needs_reason_and_accept(login, campaign, demo, users):
    reg = sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    receiver = login("duk.canbo")
    r = receiver.post(f"/dang-ky/{reg.pk}/return/", {"reason": ""}, follow=True)
    assert "Hãy ghi lý do trả lại" in r.content.decode()
    receiver.post(f"/dang-ky/{reg.pk}/return/", {"reason": "Chưa có tính mới"})
    assert Registration.objects.get(pk=reg.pk).state == "returned"
    # the registrant cannot accept, the receiver can after resubmission
    registrant = login("capnuoc.canbo")
    registrant.post(f"/dang-ky/{reg.pk}/submit/")
    assert registrant.post(f"/dang-ky/{reg.pk}/accept/").status_code == 403
    receiver.post(f"/dang-ky/{reg.pk}/accept/")
    assert Registration.objects.get(pk=reg.pk).state == "accepted"
    html = receiver.get(f"/dang-ky/{reg.pk}/so-sanh/?a=1&b=3").content.decode()
    assert "Phiên bản 1" in html and "Phiên bản 3" in html
    assert "Lãnh đạo, chỉ đạo" in html and "40 → 90 %" in html  # labels and Vietnamese numbers, not codes


def test_not_new_mark_and_side_by_side(login, campaign, demo, users):
    a = sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], title="Hóa đơn điện tử cho khách hàng dùng nước")
    b = sent(campaign, demo["DUK-DL"], users["duk.canbo"], title="Hoa don dien tu cho khach hang dung dien")
    receiver = login("duk.canbo")
    html = receiver.get(f"/dang-ky/{a.pk}/").content.decode()
    assert "Hoa don dien tu cho khach hang dung dien" in html
    assert receiver.get(f"/dang-ky/{a.pk}/doi-chieu/{b.pk}/").status_code == 200
    receiver.post(f"/dang-ky/{a.pk}/tinh-moi/", {"not_new": "1", "reason": "Trùng cách làm của Điện lực"})
    assert Registration.objects.get(pk=a.pk).not_new
    listing = receiver.get(f"/dot/{campaign.code}/dang-ky/", {"flag": "not_new"}).content.decode()
    assert "Hóa đơn điện tử cho khách hàng dùng nước" in listing and "dung dien" not in listing


def test_live_similar_while_typing(login, campaign, demo, users):
    sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], title="Bản đồ số quản lý lưới điện trung thế")
    client = login("lacduong.canbo")
    html = client.post("/dang-ky/tuong-tu/", {"title": "ban do so quan ly luoi dien", "novelty": ""}).content.decode()
    assert "Bản đồ số quản lý lưới điện trung thế" in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"state": "submitted"},
        {"field": "cai_cach_chuyen_doi_so"},
        {"late": "on_time"},
        {"kind": "collective", "sort": "title"},
        {"q": "so hoa"},
    ],
)
def test_list_filters_in_constant_queries(login, campaign, demo, users, django_assert_max_num_queries, params):
    client = login("duk.canbo")
    url = f"/dot/{campaign.code}/dang-ky/"
    sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    client.get(url, params)
    with django_assert_max_num_queries(30) as small:
        client.get(url, params)
    for i in range(20):
        reg = draft(campaign, demo["DUK-AGR"], users["duk.canbo"], title=f"Số hóa mô hình {i}")
        domain.submit(actor=users["duk.canbo"], registration=reg)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(url, params)
    assert r.status_code == 200


def test_export_reads_back(login, campaign, demo, users):
    sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    r = login("duk.canbo").get(f"/dot/{campaign.code}/dang-ky/xuat-excel/")
    ws = load_workbook(BytesIO(r.content)).active
    assert ws["A2"].value.startswith("DANH SÁCH ĐĂNG KÝ")  # under the issuing body (print layout, common.xlsx)
    row = [c.value for c in ws[6]]
    assert (
        row[1] == "Số hóa quy trình cấp nước cho khách hàng"
        and row[3] == "Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng"
    )
    assert "Tỷ lệ hóa đơn điện tử: 90 %" in row[6]


def test_level_status_on_time_late_missing(login, campaign, demo, users):

    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(dt.datetime(2023, 3, 15, 23, 0, tzinfo=hcm), tick=False):
        sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    with time_machine.travel(dt.datetime(2023, 3, 16, 8, 0, tzinfo=hcm), tick=False):
        sent(campaign, demo["DUK-DL"], users["duk.canbo"])
    html = login("duk.canbo").get(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/tinh-hinh-dang-ky/").content.decode()
    assert "1 đúng hạn, 1 muộn, 4 chưa đăng ký" in html


def test_attachments_checked_by_content_and_served_with_permission(login, campaign, demo, users):

    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    client = login("capnuoc.canbo")
    bad = [
        ("anh.png", b"GIF89a fake"),
        ("bao-cao.pdf", b"MZ\x90 an exe"),
        ("../../etc/passwd.txt", b"root:x:0:0"),
        ("trang.html", b"<html>"),
        ("hinh.svg", b"<svg/>"),
        ("bom.docx", b"PK\x03\x04 broken zip"),
    ]
    for name, data in bad:
        client.post(f"/dang-ky/{reg.pk}/dinh-kem/", {"file": SimpleUploadedFile(name, data)})
    assert not RegistrationAttachment.objects.exists()
    client.post(f"/dang-ky/{reg.pk}/dinh-kem/", {"file": SimpleUploadedFile("../../ke-hoach.pdf", b"%PDF-1.4\n%x\n")})
    att = RegistrationAttachment.objects.get()
    assert att.original_name == "ke-hoach.pdf"  # the path is dropped before anything is stored
    assert att.file.name.endswith(".pdf") and "ke-hoach" not in att.file.name  # generated name on disk
    r = client.get(f"/dang-ky/dinh-kem/{att.pk}/")
    assert (
        r.status_code == 200 and "attachment" in r["Content-Disposition"] and r["X-Content-Type-Options"] == "nosniff"
    )
    assert login("lacduong.canbo").get(f"/dang-ky/dinh-kem/{att.pk}/").status_code == 404


def test_similar_flag_at_submission_and_filter(login, campaign, demo, users):
    a = sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], title="Bản đồ số quản lý lưới điện trung thế")
    b = sent(campaign, demo["DUK-DL"], users["duk.canbo"], title="Ban do so quan ly luoi dien trung the")
    c = sent(campaign, demo["DUK-AGR"], users["duk.canbo"], title="Quỹ tín dụng xanh cho nông dân", novelty="Khác hẳn.")
    assert a.similar_score < 0.6 <= b.similar_score and b.similar_to == a
    html = login("duk.canbo").get(f"/dot/{campaign.code}/dang-ky/", {"flag": "similar"}).content.decode()
    assert "Ban do so quan ly luoi dien trung the" in html and c.title not in html and "% tương tự" in html


def test_a_period_not_written_reads_chua_ghi(login, campaign, demo, users):
    """The walkthrough read “Thời gian … – …” on a model whose registrant left both dates blank."""
    reg = sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    Registration.objects.filter(pk=reg.pk).update(starts_on=None, ends_on=None)
    html = login("duk.canbo").get(f"/dang-ky/{reg.pk}/").content.decode()
    period = html[html.index("<dt>Thời gian</dt>") :][:80]
    assert "chưa ghi" in period and "…" not in period
    Registration.objects.filter(pk=reg.pk).update(starts_on=dt.date(2023, 4, 1))
    html = login("duk.canbo").get(f"/dang-ky/{reg.pk}/").content.decode()
    assert "01/04/2023 – …" in html
