"""Issue 19: an earlier year comes in without silent surprises — the documented columns are the checked ones, every
error names its column, a blank "Hiệu lực từ ngày" means the campaign's tree date, leaders of excluded units are
accepted and counted nowhere, and an export imported into an empty database gives every figure back."""

import datetime as dt
import importlib
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Campaign
from sangtao.coverage.domain import compute
from sangtao.exchange.campaign_excel import (
    INDICATORS_COLUMN,
    SHEETS,
    ImportFailed,
    export_campaign,
    import_campaign,
)
from sangtao.orgs.interfaces import excel as org_excel
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration
from tests.conftest import make_user
from tests.exchange.test_campaign_excel import build

DOC = Path(__file__).resolve().parents[2] / "docs" / "mau-nhap-dot.md"


def documented_columns() -> dict[str, list[tuple[str, bool]]]:
    """{sheet: [(column, required)]} from the tables of docs/mau-nhap-dot.md (a trailing " *" means required)."""
    out, sheet = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (\w+) —", line)
        if heading:
            sheet = heading.group(1)
            continue
        cell = re.match(r"\| ([^|]+?) \|", line)
        if sheet and cell and cell.group(1) not in ("cột", "---"):
            name = cell.group(1)
            out.setdefault(sheet, []).append((name.removesuffix(" *"), name.endswith(" *")))
    return out


def test_the_documentation_lists_exactly_the_checked_columns():
    documented = documented_columns()
    assert documented == {name: [(title, required) for _key, title, required in columns] for name, columns in SHEETS}


@pytest.fixture
def fresh(demo):
    """An exported campaign, and the database ready to import it as a new one (so every row is checked)."""
    data = export_campaign(build(demo))
    Campaign.objects.filter(code="DK-2023").update(code="DK-2023-cu")
    Registration.objects.update(ref="")
    return data


@pytest.fixture
def admin(db):
    return make_user("quantri", "admin", None, superuser=True)


def blank(data, sheet, row, column):

    wb = load_workbook(BytesIO(data))
    ws = wb[sheet]
    ws.cell(row=row, column=[c.value for c in ws[1]].index(column) + 1).value = None
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(data, user):
    with pytest.raises(ImportFailed) as failed:
        import_campaign(data, user=user)
    return [(p.sheet, p.row, p.column, p.reason) for p in failed.value.problems]


REQUIRED = [(sheet, title) for sheet, cols in documented_columns().items() for title, required in cols if required]


@pytest.mark.django_db
@pytest.mark.parametrize(("sheet", "column"), REQUIRED, ids=[f"{s}:{c}" for s, c in REQUIRED])
def test_each_documented_required_column_left_blank_is_named(fresh, admin, sheet, column):
    found = problems(blank(fresh, sheet, 2, column), admin)
    assert any(p[0] == sheet and p[1] == 2 and p[2] == column for p in found), found
    assert not any(p[2] == "Tên mô hình, cách làm" for p in found if column != "Tên mô hình, cách làm"), found


@pytest.mark.django_db
def test_a_registration_without_indicators_is_refused_naming_them(fresh, admin):

    wb = load_workbook(BytesIO(fresh))
    ws = wb["Chi_tieu"]
    ws.delete_rows(2, ws.max_row)
    out = BytesIO()
    wb.save(out)
    found = problems(out.getvalue(), admin)
    missing = [p for p in found if p[0] == "Dang_ky"]
    assert {p[2] for p in missing} == {INDICATORS_COLUMN} and len(missing) == 3


@pytest.mark.django_db
def test_leaders_of_excluded_units_are_accepted_and_counted_nowhere(demo, admin):
    campaign = build(demo)
    before = compute(campaign, demo["LD-DUK"]).as_dict()
    data = export_campaign(campaign)

    wb = load_workbook(BytesIO(data))
    # DUK-CDT is a private enterprise (excluded): its director, flagged leader, as in a real personnel file
    wb[org_excel.PEOPLE_SHEET].append(["DV-9001", "Giám đốc Chè Cầu Đất", "DUK-CDT", "Giám đốc", "x", "x", ""])
    out = BytesIO()
    wb.save(out)
    summary = import_campaign(out.getvalue(), user=admin)
    assert summary["people_created"] == 1 and Person.objects.get(code="DV-9001").is_leader
    after = compute(campaign, demo["LD-DUK"]).as_dict()
    assert after["total"] == before["total"] and after["children"] == before["children"]


@pytest.mark.django_db
def test_blank_effective_date_is_the_campaigns_tree_date_or_the_commands_option(fresh, admin, tmp_path):
    new_org = ["DUK-MOI", "Chi bộ Công ty Mới", "", "chi_bo_co_so", "LD-DUK", "", "", "", None]

    def with_new_org(code):
        wb = load_workbook(BytesIO(fresh))
        wb[org_excel.ORG_SHEET].append([code, *new_org[1:]])
        out = BytesIO()
        wb.save(out)
        return out.getvalue()

    import_campaign(with_new_org("DUK-MOI"), user=admin)
    assert Organization.objects.get(code="DUK-MOI").valid_from == dt.date(2023, 1, 1)  # "Cây tổ chức tính theo ngày"
    path = tmp_path / "dot.xlsx"
    path.write_bytes(with_new_org("DUK-MOI2"))
    call_command("import_workbook", str(path), "--user", "quantri", "--ngay-hieu-luc", "15/02/2023")
    assert Organization.objects.get(code="DUK-MOI2").valid_from == dt.date(2023, 2, 15)


def figures(campaign):
    """Every coverage figure at every scope (by organization code) and every subject's result."""
    coverage = {}
    for org in Organization.objects.filter(path__startswith=campaign.root.path).order_by("path"):
        cov = compute(campaign, org).as_dict()
        coverage[org.code] = {
            **cov,
            "org": org.code,
            "children": {c["code"]: {k: v for k, v in c.items() if k != "code"} for c in cov["children"]},
            "missing_units": [m["code"] for m in cov["missing_units"]],
        }
    results = sorted(
        (
            r.org.code,
            r.person.code if r.person else "",
            str(r.final),
            r.classification,
            r.published,
            sorted((reg.title, str(ap.total) if ap else "", ap.classification if ap else "") for reg, ap in r.models),
        )
        for r in adomain.subject_rows(campaign)
    )
    return coverage, results


@pytest.mark.django_db(transaction=True)
def test_round_trip_every_figure_at_every_scope(demo):
    """Export, empty the database, import with "Hiệu lực từ ngày" left blank (as offices' files are): every coverage
    and results figure at every scope is the same."""
    campaign = build(demo)
    expected = figures(campaign)
    data = export_campaign(campaign)

    wb = load_workbook(BytesIO(data))
    ws = wb[org_excel.ORG_SHEET]
    column = [c.value for c in ws[1]].index("Hiệu lực từ ngày") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=column).value = None
    out = BytesIO()
    wb.save(out)
    call_command("flush", interactive=False, verbosity=0)

    kinds = importlib.import_module("sangtao.orgs.migrations.0002_default_kinds")
    getattr(kinds, next(n for n in dir(kinds) if n in ("forwards", "load_kinds", "create_kinds", "add_kinds")))(
        apps, None
    )
    import_campaign(out.getvalue(), user=make_user("quantri", "admin", None, superuser=True))
    got = figures(Campaign.objects.get(code="DK-2023"))
    assert got[1] == expected[1]
    assert got[0] == expected[0]
    assert got[0]["LD-DUK"]["total"]["subjects"] > 0
