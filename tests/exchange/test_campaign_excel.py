"""A whole campaign in one workbook: round trip into an empty database, idempotent re-import, every kind of bad
row listed with nothing written, and the command line."""

import datetime as dt
import importlib
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.appraisals.models import Appraisal, BonusJudgement
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Campaign
from sangtao.exchange.campaign_excel import ImportFailed, export_campaign, import_campaign
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration
from tests.appraisals.conftest import appraise_alone, grant_bonus
from tests.conftest import make_user
from tests.support import open_campaign, register, users_by_name

HN = dt.timezone(dt.timedelta(hours=7))


def at(day, month, h=9):
    return dt.datetime(2023, month, day, h, 0, tzinfo=HN)


def build(demo):
    users = users_by_name()
    c = open_campaign(
        2023, root=demo["LD"], legal_bases="Kết luận 14-KL/TW", theme="Chủ đề 2023", tree_date=dt.date(2023, 1, 1)
    )
    cdomain.cascade(
        actor=None,
        campaign=c,
        org=demo["LD-DUK"],
        registration_deadline=dt.date(2023, 3, 15),
        target_registered=Decimal(95),
    )
    ctn, bloc, appraiser = users["capnuoc.canbo"], users["duk.canbo"], users["duk.thamdinh"]

    def reg(org, title, when, person=None, accept=True):
        return register(
            c,
            org,
            ctn,
            title,
            person=person,
            submitted=when,
            accepted_by=bloc if accept else None,
            fields=["kinh_te", "cai_cach_chuyen_doi_so"],
            novelty="Mới",
            method="Làm",
            indicators=[{"name": "Tỷ lệ", "unit": "%", "baseline": Decimal(40), "target": Decimal(90)}],
        )

    a = reg(demo["DUK-CTN"], "Hóa đơn điện tử", at(1, 3))
    b = reg(demo["DUK-CTN"], "Đối thoại công nhân", at(16, 3), person=Person.objects.get(code="DV-0020"))
    reg(demo["CTN-KT"], "Sổ tay kỹ thuật", at(2, 3), accept=False)
    for r, marks in (
        (a, {"TC1": "2", "TC2": "3,5", "TC3": "1,75", "TC4": "0,75"}),
        (b, {"TC1": "1,5", "TC2": "4", "TC3": "1,5"}),
    ):
        appraise_alone(r, appraiser, marks)
    grant_bonus(appraiser, c, demo["DUK-CTN"], "Tháo gỡ vướng mắc vốn đầu tư kịp thời.")
    adomain.publish(actor=bloc, campaign=c, org=demo["LD-DUK"])  # after publication, a bonus changes only by correction
    return c


def values(data):
    wb = load_workbook(BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database(demo):
    first = export_campaign(build(demo))
    call_command("flush", interactive=False, verbosity=0)  # an empty database…

    kinds = importlib.import_module("sangtao.orgs.migrations.0002_default_kinds")
    getattr(kinds, next(n for n in dir(kinds) if n in ("forwards", "load_kinds", "create_kinds", "add_kinds")))(
        apps, None
    )
    admin = make_user("quantri", "admin", None, superuser=True)
    summary = import_campaign(first, user=admin)  # …filled from the workbook…
    assert summary["registrations_created"] == 3 and summary["appraisals_created"] == 2
    campaign = Campaign.objects.get(code="DK-2023")
    second = export_campaign(campaign)  # …exports the same workbook.
    assert values(second) == values(first)
    late = Registration.objects.get(title="Đối thoại công nhân")
    assert late.late and late.deadline == dt.date(2023, 3, 15)  # the deadline rule ran, not a copied flag
    assert Appraisal.objects.get(registration__title="Hóa đơn điện tử").classification == "Tốt"  # 8
    assert BonusJudgement.objects.get().granted
    assert adomain.subject_rows(campaign)[0].final == Decimal("8.5")


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(demo, users_admin):
    data = export_campaign(build(demo))
    before = (
        Registration.objects.count(),
        Appraisal.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
    )
    summary = import_campaign(data, user=users_admin)
    assert summary["registrations_created"] == 0 and summary["registrations_unchanged"] == 3
    assert summary["appraisals_created"] == 0 and summary["appraisals_unchanged"] == 2
    assert (
        Registration.objects.count(),
        Appraisal.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
    ) == before


@pytest.fixture
def users_admin(db):
    return make_user("quantri", "admin", None, superuser=True)


def _edit(data, sheet, row, column, value):
    wb = load_workbook(BytesIO(data))
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index(column) + 1, value=value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_every_bad_row_is_listed_and_nothing_is_written(demo, users_admin):
    data = export_campaign(build(demo))
    Campaign.objects.filter(code="DK-2023").update(code="DK-2023-cu")  # import as a new campaign
    Registration.objects.update(ref="")
    before = (Registration.objects.count(), Appraisal.objects.count(), Campaign.objects.count())
    bad = data
    bad = _edit(bad, "Dang_ky", 3, "Mã tổ chức", "KHONG-CO")  # the cell's registration (not appraised)
    bad = _edit(bad, "Dang_ky", 3, "Gửi lúc", "31/02/2023")
    bad = _edit(bad, "Dang_ky", 3, "Lĩnh vực", "thể thao")
    bad = _edit(bad, "Tham_dinh", 2, "TC2", 4.1)
    bad = _edit(bad, "Tham_dinh", 3, "Mã cấp thẩm định", "LD")
    bad = _edit(bad, "Trien_khai", 2, "Hạn đăng ký cho cấp dưới", "30/03/2023")
    bad = _edit(bad, "Diem_thuong", 2, "Mã điểm thưởng", "TH_B")
    with pytest.raises(ImportFailed) as exc:
        import_campaign(bad, user=users_admin)
    found = {}
    for p in exc.value.problems:
        found[(p.sheet, p.row)] = found.get((p.sheet, p.row), "") + " | " + p.reason
    row = found[("Dang_ky", 3)]  # every problem of the row, not just the first
    assert "Không tìm thấy tổ chức có mã “KHONG-CO”." in row and "không đúng dạng" in row
    assert "“thể thao” không có trong danh mục" in row
    assert "bước 0,25" in found[("Tham_dinh", 2)] or "từ 0 đến 4" in found[("Tham_dinh", 2)]
    assert "Cấp có thẩm quyền thẩm định mô hình này là “Đảng bộ Khối Doanh nghiệp tỉnh”" in found[("Tham_dinh", 3)]
    assert "muộn hơn hạn" in found[("Trien_khai", 2)]
    assert "tính tự động" in found[("Diem_thuong", 2)]
    assert (Registration.objects.count(), Appraisal.objects.count(), Campaign.objects.count()) == before


@pytest.mark.django_db
def test_refuse_policy_applies_to_imported_submissions(demo, users_admin):
    data = export_campaign(build(demo))
    Campaign.objects.filter(code="DK-2023").update(code="DK-2023-cu")
    Registration.objects.update(ref="")
    bad = _edit(data, "Dot", 2, "Đăng ký sau hạn", "refuse")
    with pytest.raises(ImportFailed) as exc:
        import_campaign(bad, user=users_admin)
    assert any("không nhận đăng ký muộn" in p.reason and p.sheet == "Dang_ky" for p in exc.value.problems)


@pytest.mark.django_db
def test_command_line(demo, users_admin, tmp_path, capsys):
    path = tmp_path / "dot.xlsx"
    path.write_bytes(export_campaign(build(demo)))
    call_command("import_workbook", str(path), "--user", "quantri")
    assert "registrations_unchanged 3" in capsys.readouterr().out
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(_edit(path.read_bytes(), "Dang_ky", 2, "Mã tổ chức", "KHONG-CO"))
    Registration.objects.filter(ref__endswith="1").update(ref="cu")
    with pytest.raises(Exception, match="lỗi; không dữ liệu nào được ghi"):
        call_command("import_workbook", str(broken))


@pytest.mark.django_db
def test_import_page_with_progress_and_problems(demo, login, django_capture_on_commit_callbacks):

    data = export_campaign(build(demo))
    c = login("btctu.quantri")
    assert "Tải tệp mẫu" in c.get("/nhap-ca-dot/").content.decode()
    template = load_workbook(BytesIO(c.get("/nhap-ca-dot/mau/").content))
    assert {"To_chuc", "Nhan_su", "Dot", "Trien_khai", "Dang_ky", "Chi_tieu", "Tham_dinh", "Diem_thuong"} <= set(
        template.sheetnames
    )
    r = c.post("/nhap-ca-dot/", {"file": SimpleUploadedFile("dot.xlsx", b"not a workbook")})
    assert "không phải tài liệu .xlsx" in r.content.decode()
    broken = _edit(data, "Tham_dinh", 2, "TC1", 2.5)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/nhap-ca-dot/", {"file": SimpleUploadedFile("dot.xlsx", broken)})
    page = c.get(r["Location"]).content.decode()
    assert "Không dữ liệu nào được ghi" in page and "TC1: điểm phải từ 0 đến 2." in page
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/nhap-ca-dot/", {"file": SimpleUploadedFile("dot.xlsx", data)})
    page = c.get(r["Location"]).content.decode()
    assert "Đã nhập xong." in page and "Đăng ký đã có, không đổi" in page
    export = c.get("/dot/DK-2023/xuat-ca-dot/")
    assert export.status_code == 200 and load_workbook(BytesIO(export.content))["Dang_ky"].max_row == 4
    assert login("duk.canbo").get("/dot/DK-2023/xuat-ca-dot/").status_code == 403


@pytest.mark.django_db
def test_the_example_file_in_docs_imports(users_admin):

    data = (Path(__file__).resolve().parents[2] / "docs" / "vi-du-nhap-dot.xlsx").read_bytes()
    summary = import_campaign(data, user=users_admin)
    assert summary["orgs_created"] > 20 and summary["registrations_created"] >= 3 and summary["appraisals_created"] >= 1
