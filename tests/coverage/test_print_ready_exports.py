"""Issue 17 (Excel): the workbooks a committee office prints have a title block (issuing body, title, "tính đến
ngày"), frozen headings repeated on every page, A4 landscape fitted to the width, real numbers and dates with
number formats, and the year-end results list every subject of the scope, registered or not, with totals."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sangtao.common import xlsx
from sangtao.coverage.domain import compute
from sangtao.coverage.models import Export
from tests.coverage.test_coverage import example  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def start(client, demo, kind, org_code, capture):
    with capture(execute=True):
        client.post(f"/dot/DK-2023/tong-hop/{demo[org_code].pk}/chay/{kind}/")
    job = Export.objects.latest("pk")
    assert job.status == Export.Status.DONE, job.error
    return load_workbook(BytesIO(client.get(f"/viec-chay-nen/{job.pk}/tai/").getvalue()))


def assert_printable(ws, issuer, title_start):
    assert ws["A1"].value == issuer.upper()
    assert ws["A2"].value.startswith(title_start.upper())
    assert ws["A3"].value == f"Tính đến ngày {timezone.localdate():%d/%m/%Y}"
    assert ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert ws.column_dimensions["B"].width >= 30


def test_year_end_lists_every_subject_with_totals(example, demo, login, django_capture_on_commit_callbacks):
    wb = start(login("duk.canbo"), demo, "year_end", "LD-DUK", django_capture_on_commit_callbacks)
    ws = wb["Ket_qua"]
    assert_printable(ws, "Đảng bộ Khối Doanh nghiệp tỉnh", "Kết quả đánh giá")
    lines = [r for r in ws.iter_rows(min_row=6) if r[0].value]
    subjects = {(r[1].value, r[2].value) for r in lines}
    assert len(subjects) == compute(example, demo["LD-DUK"]).total.subjects == 29  # registered or not
    assert ("Chi bộ Lâm trường Lộc Bắc", "Chi bộ Lâm trường Lộc Bắc") in subjects  # never registered
    never = [r for r in lines if r[4].value == "Chưa đăng ký, chưa đánh giá"]
    assert len(never) == 29 - 7
    scored = next(r for r in lines if r[4].value == "Hóa đơn điện tử")
    assert scored[5].data_type == "n" and scored[5].value == 7.5 and scored[5].number_format == xlsx.DECIMAL
    totals = {r[1]: r[4] for r in ws.iter_rows(min_row=6, values_only=True) if not r[0] and r[1]}
    assert totals["Tổng số chủ thể"] == 29 and totals["Chủ thể có mô hình đăng ký"] == 7
    assert totals["Xếp loại Khá"] == 1 and totals["Xếp loại Không đạt"] == 1


def test_coverage_workbook_is_printable_with_real_numbers_and_dates(
    example, demo, login, django_capture_on_commit_callbacks
):
    wb = start(login("duk.canbo"), demo, "coverage", "LD-DUK", django_capture_on_commit_callbacks)
    ws = wb["Tong_hop"]
    assert_printable(ws, "Đảng bộ Khối Doanh nghiệp tỉnh", "Tổng hợp kết quả đăng ký")
    total = list(ws.iter_rows(min_row=6))[-1]
    assert total[6].value == 24.1 and total[6].data_type == "n" and total[6].number_format == xlsx.PERCENT
    assert total[2].number_format == xlsx.INTEGER
    missing = wb["Chua_dang_ky"]
    assert_printable(missing, "Đảng bộ Khối Doanh nghiệp tỉnh", "Danh sách đơn vị chưa đăng ký")
    deadline = missing["C6"]
    assert deadline.is_date and deadline.value.date() == dt.date(2023, 3, 15) and deadline.number_format == xlsx.DATE


def test_registration_list_is_printable(example, login):
    ws = load_workbook(BytesIO(login("duk.canbo").get("/dot/DK-2023/dang-ky/xuat-excel/").content))["Dang_ky"]
    assert_printable(ws, "Đảng bộ Khối Doanh nghiệp tỉnh", "Danh sách đăng ký")
    sent = [r[8] for r in ws.iter_rows(min_row=6) if r[0].value and r[8].value]
    assert sent and all(c.is_date and c.number_format == xlsx.DATETIME for c in sent)
