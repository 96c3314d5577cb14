"""A unit's results report on paper (BÁO CÁO kết quả thực hiện mô hình) and the receiving level's written notice
returning it (issue 17): drafted through HTTP from the report page, issued, downloaded, rendered by LibreOffice."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sangtao.campaigns.domain import cited_letter
from sangtao.campaigns.models import Document
from sangtao.registrations import domain as rdomain
from sangtao.reports import domain
from tests.coverage.test_coverage import example  # noqa: F401 — fixture: the coverage worked example
from tests.documents import office
from tests.documents.test_cycle_papers import downloaded, edit_and_issue
from tests.registrations.conftest import draft
from tests.reports.conftest import PDF, accepted, fill, media  # noqa: F401 — fixtures and helpers

pytestmark = office.needs_office


@pytest.fixture
def report(accepted, users, media):
    unit = users["capnuoc.canbo"]
    rep = fill(domain.start_report(actor=unit, registration=accepted), unit)
    domain.add_evidence(
        actor=unit,
        report=rep,
        upload=SimpleUploadedFile("nghi-quyet-12.pdf", PDF),
        claim="section:done",
        description="Nghị quyết số 12-NQ/ĐU ngày 05/4/2023",
    )
    return rep


def test_the_unit_puts_its_results_report_on_paper(report, login, tmp_path):
    unit = login("capnuoc.canbo")
    page = unit.get(f"/bao-cao-ket-qua/{report.pk}/").content.decode()
    assert "Lập văn bản báo cáo" in page
    assert login("duk.canbo").post(f"/bao-cao-ket-qua/{report.pk}/van-ban/").status_code in (403, 404)
    assert unit.post(f"/bao-cao-ket-qua/{report.pk}/van-ban/").status_code == 302
    doc = Document.objects.get(kind="BC", issuer=report.registration.subject_org)
    assert doc.salutation == "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh"
    lines = doc.body.splitlines()
    assert "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÃ ĐĂNG KÝ" in lines or any(
        line.endswith("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÃ ĐĂNG KÝ") for line in lines
    )
    assert any(line.endswith("MINH CHỨNG KÈM THEO") for line in lines)
    assert "1. Nghị quyết số 12-NQ/ĐU ngày 05/4/2023 (tệp nghi-quyet-12.pdf)." in lines
    assert doc.annex["rows"] == [["1", "Tỷ lệ hóa đơn điện tử (%)", "Số liệu phần mềm hóa đơn.", "85 / 90", "94,4%"]]
    doc = edit_and_issue(unit, doc, extra=10)
    text = downloaded(unit, doc, tmp_path, "bao-cao-don-vi", [doc.signer_name])
    assert "BÁO CÁO Kết quả thực hiện mô hình “Số hóa quy trình cấp nước cho khách hàng” năm 2023" in text
    assert "Tỷ lệ hóa đơn điện tử" in text and "94,4%" in text and "V/v" not in text
    assert doc.deliveries.filter(recipient=report.registration.receiving_org).exists()


def test_a_returned_report_gets_its_written_notice(report, users, login, tmp_path):
    rep = domain.submit(actor=users["capnuoc.canbo"], report=report)
    url = f"/bao-cao-ket-qua/{rep.pk}/van-ban-tra-lai/"
    office_client = login("duk.canbo")
    assert "Lập công văn trả lại" not in office_client.get(f"/bao-cao-ket-qua/{rep.pk}/").content.decode()
    assert office_client.post(url).status_code == 403  # not returned: nothing to write
    reason = "Chỉ tiêu tỷ lệ hóa đơn điện tử chưa có số liệu minh chứng từ phần mềm."
    domain.return_(actor=users["duk.canbo"], report=rep, reason=reason)
    assert "Lập công văn trả lại" in office_client.get(f"/bao-cao-ket-qua/{rep.pk}/").content.decode()
    unit = login("capnuoc.canbo")
    assert unit.post(url).status_code == 403  # the unit does not write its own return
    assert office_client.post(url).status_code == 302
    doc = Document.objects.get(kind="CV", source__startswith=f"report:{rep.pk}:return")
    assert reason in doc.body and doc.subject.startswith("trả lại báo cáo kết quả thực hiện mô hình")
    assert doc.salutation == "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng"
    assert "(dự thảo)" not in unit.get(f"/bao-cao-ket-qua/{rep.pk}/").content.decode()  # a draft is the office's
    doc = edit_and_issue(office_client, doc, extra=14)
    assert f"/van-ban/{doc.pk}/" in unit.get(f"/bao-cao-ket-qua/{rep.pk}/").content.decode()
    text = downloaded(unit, doc, tmp_path, "tra-lai-bao-cao", [doc.signer_name])
    assert "V/v trả lại báo cáo kết quả thực hiện mô hình" in text and "chưa có số liệu minh chứng" in text


def test_a_returned_registration_gets_its_written_notice(campaign, demo, users, login, tmp_path):
    unit_user = users["capnuoc.canbo"]
    reg = rdomain.submit(
        actor=unit_user,
        registration=draft(campaign, demo["DUK-CTN"], unit_user),
        now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC),
    )
    url = f"/dang-ky/{reg.pk}/van-ban-tra-lai/"
    office_client = login("duk.canbo")
    assert office_client.post(url).status_code == 403  # not returned
    reason = "Nội dung đăng ký là nhiệm vụ thường xuyên của đơn vị, chưa thể hiện điểm mới so với năm trước."
    rdomain.return_(actor=users["duk.canbo"], registration=reg, reason=reason)
    assert "Lập công văn trả lại đăng ký" in office_client.get(f"/dang-ky/{reg.pk}/").content.decode()
    unit = login("capnuoc.canbo")
    assert "Lập công văn trả lại" not in unit.get(f"/dang-ky/{reg.pk}/").content.decode()
    assert unit.post(url).status_code == 403
    assert office_client.post(url).status_code == 302
    doc = Document.objects.get(source__startswith=f"registration:{reg.pk}:return")
    assert doc.kind == "CV" and reason in doc.body and doc.recipients.get() == demo["DUK-CTN"]
    doc = edit_and_issue(office_client, doc, extra=14)
    page = unit.get(f"/dang-ky/{reg.pk}/").content.decode()
    assert f"/van-ban/{doc.pk}/" in page and f"Công văn trả lại {doc.reference}" in page
    text = downloaded(unit, doc, tmp_path, "tra-lai-dang-ky", [doc.signer_name])
    assert "V/v trả lại đăng ký mô hình" in text and "chưa thể hiện điểm mới" in text
    assert "Kính gửi: Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng" in text


def test_cong_van_don_doc_to_the_units_still_missing(example, demo, users, login, tmp_path):
    office_client = login("duk.canbo")
    page = office_client.get(f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/").content.decode()
    url = f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/cong-van-don-doc/"
    assert "Lập công văn đôn đốc" in page
    assert login("capnuoc.canbo").post(url).status_code in (403, 404)  # a unit does not urge its own level
    assert office_client.post(url).status_code == 302
    doc = Document.objects.get(source__contains=":urge:")
    names = [row[1] for row in doc.annex["rows"]]
    assert len(names) == 9 and "Đảng bộ Khối Doanh nghiệp tỉnh" not in names  # the worked example: 9 units
    assert {o.name for o in doc.recipients.all()} == set(names)
    assert "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng" not in doc.salutation  # it registered
    assert "đã quá hạn" in doc.body  # the bloc's deadline was 15/03/2023
    doc = edit_and_issue(office_client, doc, extra=6)

    assert cited_letter(example, demo["DUK-LNBL"]) != doc  # its own cascade letter never “carries out” a đôn đốc
    text = downloaded(office_client, doc, tmp_path, "don-doc", [doc.signer_name])
    assert "V/v đôn đốc đăng ký mô hình mới, cách làm sáng tạo năm 2023" in text and "Hạn đăng ký" in text


def test_danh_sach_dang_ky_tong_hop_prints_on_a4(example, demo, users, login, tmp_path):

    url = f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/danh-sach-dang-ky/"
    office_client = login("duk.canbo")
    assert url in office_client.get(f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/").content.decode()
    r = office_client.get(url)
    assert r.status_code == 200 and "danh-sach-dang-ky-DK-2023-LD-DUK.xlsx" in r["Content-Disposition"]
    ws = load_workbook(BytesIO(r.content)).active
    assert ws["A1"].value == "ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH"
    assert ws["A2"].value == "DANH SÁCH ĐĂNG KÝ MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM 2023"
    assert ws["A3"].value.startswith("Tính đến ngày ")
    assert ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5" and ws.page_setup.orientation == "landscape"
    rows = {row[3]: row for row in ws.iter_rows(min_row=6, values_only=True) if row[0]}
    assert set(rows) >= {"Hóa đơn điện tử", "Bản đồ số", "Sổ tay kỹ thuật số", "Khối số hóa"}
    assert "Rừng bền vững" not in rows  # a draft is not a registration sent
    hd = rows["Hóa đơn điện tử"]
    assert isinstance(hd[4], dt.datetime) and float(hd[8]) == 7.5 and hd[9] == "Khá" and hd[5] == "Đúng hạn"
    # the appraised unit's officer sees no unpublished score (rules P11)
    unit = login("capnuoc.canbo").get(f"/dot/{example.code}/tong-hop/{demo['DUK-CTN'].pk}/danh-sach-dang-ky/")
    unit_rows = {
        row[3]: row
        for row in load_workbook(BytesIO(unit.content)).active.iter_rows(min_row=6, values_only=True)
        if row[0]
    }
    assert unit_rows["Hóa đơn điện tử"][8] is None and not unit_rows["Hóa đơn điện tử"][9]
    assert login("nguyenvanan").get(url).status_code in (403, 404)
    pdf = office.docx_to_pdf(r.content, tmp_path, "danh-sach", ext="xlsx")
    text = " ".join(office.pages(pdf))
    assert office.page_count(pdf) == 1 and "Trang 1/1" in text and "Hóa đơn điện tử" in text
    office.first_page_png(pdf, tmp_path / "danh-sach-p1")
