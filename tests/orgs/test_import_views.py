"""Import through the web: upload, progress, result, the list of problems; export and template downloads."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sangtao.common.jobs import set_progress
from sangtao.orgs.interfaces import excel
from sangtao.orgs.models import ImportJob, Organization
from tests.orgs.test_import import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Jobs are dispatched when the transaction commits; tests run inside one, so run the callbacks."""

    def _upload(client, data, name="to-chuc.xlsx", day="01/09/2025"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/to-chuc/nhap-excel/", {"file": SimpleUploadedFile(name, data, XLSX), "effective_date": day}
            )

    return _upload


def test_good_upload_imports_and_shows_summary(login, demo, upload):
    client = login("btctu.quantri")
    data = workbook(
        [("DUK-NEW", "Chi bộ Công ty CP Mới", "", "chi_bo_co_so", "LD-DUK", "", "", "Đà Lạt", "")],
        [("DV-9000", "Hồ Thị Mới", "DUK-NEW", "Bí thư Chi bộ", "x", "x", "LD-DUK")],
    )
    r = upload(client, data)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/to-chuc/nhap-excel/{job.pk}/"
    html = client.get(r["Location"]).content.decode()
    assert "Đã nhập xong" in html
    assert Organization.objects.get(code="DUK-NEW").parent_org.code == "LD-DUK"
    assert job.__class__.objects.get().status == ImportJob.Status.DONE


def test_bad_upload_lists_every_problem_and_writes_nothing(login, demo, upload):
    client = login("btctu.quantri")
    data = workbook(
        [("X1", "", "", "chi_bo", "LD-DUK", "", "", "", ""), ("X2", "Lạ", "", "khong_co", "LD-DUK", "", "", "", "")]
    )
    r = upload(client, data)
    html = client.get(r["Location"]).content.decode()
    assert "Tệp có 2 lỗi" in html
    assert "Không được để trống." in html and "không có trong danh mục" in html
    assert not Organization.objects.filter(code__in=["X1", "X2"]).exists()


def test_upload_checked_by_content_not_name(login, demo, upload):
    client = login("btctu.quantri")
    r = upload(client, b"<html>not a workbook</html>", name="gia-mao.xlsx")
    assert r.status_code == 200 and "không phải tài liệu .xlsx" in r.content.decode()
    assert 'value="01/09/2025"' in r.content.decode()  # the date the user typed is kept
    assert not ImportJob.objects.exists()


def test_progress_partial_while_running(login, demo, upload):
    client = login("btctu.quantri")

    user = __import__("django.contrib.auth", fromlist=["x"]).get_user_model().objects.get(username="btctu.quantri")
    job = ImportJob.objects.create(
        user=user, file_name="lon.xlsx", data=b"", effective_date="2025-01-01", status=ImportJob.Status.RUNNING
    )
    set_progress("import", job.pk, 42, "Đang tạo tổ chức: 4200/10000")
    r = client.get(f"/to-chuc/nhap-excel/{job.pk}/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'value="42"' in html and "4200/10000" in html and 'hx-trigger="every 1s"' in html
    job.status = ImportJob.Status.DONE
    job.save()
    r = client.get(f"/to-chuc/nhap-excel/{job.pk}/", HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"


def test_someone_elses_import_is_not_visible(login, demo, upload):
    client = login("btctu.quantri")
    upload(client, workbook([]))
    job = ImportJob.objects.get()
    other = login("duk.canbo")
    assert other.get(f"/to-chuc/nhap-excel/{job.pk}/").status_code in (403, 404)


def test_export_and_template_downloads(login, demo, upload):
    client = login("btctu.quantri")
    r = client.get(f"/to-chuc/{demo['LD-DUK'].pk}/xuat-excel/")
    assert r["Content-Type"] == XLSX and "attachment" in r["Content-Disposition"]
    wb = load_workbook(BytesIO(r.content))
    codes = [row[0] for row in wb[excel.ORG_SHEET].iter_rows(min_row=2, values_only=True)]
    assert "LD-DUK" in codes and "DUK-CTN" in codes and "LD-LDG" not in codes
    r = client.get("/to-chuc/nhap-excel/mau/")
    assert load_workbook(BytesIO(r.content)).sheetnames[0] == excel.ORG_SHEET
