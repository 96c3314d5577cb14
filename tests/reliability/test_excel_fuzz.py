"""Fuzzing the Excel importers: a valid workbook with random cells changed (text, numbers, dates, empty, very
long, odd characters) is either imported or refused with problems listed — never a crash, never half written."""

import datetime as dt
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sangtao.exchange.campaign_excel import ImportFailed, export_campaign, import_campaign
from sangtao.orgs.interfaces import excel as org_excel
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration
from tests.conftest import make_user
from tests.exchange.test_campaign_excel import build

VALUES = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.just("x" * 5000),
    st.sampled_from(
        [
            "31/02/2023",
            "DUK-CTN",
            "LD",
            "1,75",
            "4.1",
            "-1",
            "không",
            "x",
            "=1/0",
            "\x00\x01",
            "'; DROP TABLE x; --",
            "../../etc/passwd",
        ]
    ),
)


def mutate(data: bytes, edits) -> bytes:
    wb = load_workbook(BytesIO(data))
    for sheet_pick, row_pick, col_pick, value in edits:
        ws = wb.worksheets[sheet_pick % len(wb.worksheets)]
        if ws.max_row < 2:
            continue
        row, col = 2 + row_pick % (ws.max_row - 1), 1 + col_pick % max(1, ws.max_column)
        try:
            ws.cell(row=row, column=col, value=value)
        except Exception:  # noqa: BLE001 — a value openpyxl itself cannot store (control characters)
            ws.cell(row=row, column=col, value=None)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


EDITS = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 50), st.integers(0, 15), VALUES), min_size=1, max_size=4)


@pytest.mark.django_db
def test_campaign_import_never_crashes(demo):
    admin = make_user("quantri", "admin", None, superuser=True)
    data = export_campaign(build(demo))

    @given(edits=EDITS)
    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(edits):
        before = (Organization.objects.count(), Person.objects.count(), Registration.objects.count())
        try:
            import_campaign(mutate(data, edits), user=admin)
        except ImportFailed as exc:
            assert exc.problems and all(p.reason for p in exc.problems)
            assert (Organization.objects.count(), Person.objects.count(), Registration.objects.count()) == before

    run()


@pytest.mark.django_db
def test_tree_import_never_crashes(demo):
    admin = make_user("quantri2", "admin", demo["LD"])
    data = org_excel.workbook_bytes(org_excel.build_workbook(demo["LD"]))

    @given(edits=EDITS)
    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(edits):
        before = (Organization.objects.count(), Person.objects.count())
        try:
            org_excel.import_workbook(mutate(data, edits), user=admin)
        except org_excel.ImportFailed as exc:
            assert exc.problems and all(p.reason for p in exc.problems)
            assert (Organization.objects.count(), Person.objects.count()) == before

    run()
