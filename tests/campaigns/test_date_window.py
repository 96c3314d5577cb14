"""Issue 15 item 15: absurd dates (01/01/0001, 31/12/9999) are refused in every date a person types, with a
Vietnamese error that keeps the typed text; the window is a setting (SANGTAO_DATE_MIN_YEAR,
SANGTAO_DATE_MAX_YEARS_AHEAD)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from sangtao.campaigns.models import Campaign, CampaignLevel
from sangtao.orgs.models import Organization
from tests.orgs.test_import import workbook
from tests.registrations.test_views import form_data
from tests.support import open_campaign

D = dt.date
WINDOW = "nằm ngoài khoảng cho phép"
ABSURD = ["01/01/0001", "31/12/9999", "15/03/1999"]


@pytest.fixture
def campaign(demo):
    return open_campaign(2030)


def open_data(**extra):
    data = {
        "root": "LD",
        "code": "DK-2031",
        "name": "Đăng ký năm 2031",
        "year": 2031,
        "legal_bases": "Kết luận số 14-KL/TW",
        "theme": "",
        "guidance": "Hướng dẫn 09-HD/BTCTU",
        "registration_deadline": "24/03/2031",
        "results_deadline": "30/11/2031",
        "target_registered": "90",
        "target_rated": "25",
        "rated_base": "registered",
        "late_policy": "accept",
        "tree_date": "",
    }
    data.update(extra)
    return data


def refused(response, typed):
    html = response.content.decode()
    return response.status_code == 200 and WINDOW in html and f'value="{typed}"' in html


@pytest.mark.parametrize("typed", ABSURD)
@pytest.mark.parametrize("field", ["registration_deadline", "results_deadline", "tree_date"])
def test_opening_a_campaign(login, demo, field, typed):
    client = login("btctu.quantri")
    r = client.post("/dot/mo/", open_data(**{field: typed}))
    assert refused(r, typed), r.content.decode()[:3000]
    assert not Campaign.objects.filter(code="DK-2031").exists()


def test_editing_a_campaign(login, campaign):
    client = login("btctu.quantri")
    data = {
        k: v
        for k, v in open_data(registration_deadline="24/03/2030", results_deadline="31/12/9999").items()
        if k not in ("root", "code", "year", "tree_date")
    }
    assert refused(client.post(f"/dot/{campaign.code}/sua/", data), "31/12/9999")
    campaign.refresh_from_db()
    assert campaign.results_deadline == D(2030, 11, 30)


@pytest.mark.parametrize("field", ["registration_deadline", "results_deadline"])
def test_cascade(login, campaign, demo, field):
    client = login("duk.canbo")
    r = client.post(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/trien-khai/", {field: "01/01/0001"})
    assert refused(r, "01/01/0001")
    assert not CampaignLevel.objects.filter(campaign=campaign, org=demo["LD-DUK"]).exists()


@pytest.mark.parametrize("field", ["starts_on", "ends_on"])
def test_registration_period(login, campaign, demo, field):
    client = login("capnuoc.canbo")
    url = f"/dot/{campaign.code}/dang-ky/moi/?to_chuc={demo['DUK-CTN'].pk}"
    assert refused(client.post(url, form_data(**{field: "31/12/9999"})), "31/12/9999")


def test_tree_date(login, demo):
    r = login("btctu.quantri").get("/to-chuc/", {"ngay": "01/01/0001"})
    assert r.status_code == 200 and WINDOW in r.content.decode()


def test_org_change_effective_date(login, demo):
    client = login("btctu.quantri")
    org = demo["DUK-CTN"]
    r = client.post(f"/to-chuc/{org.pk}/giai-the/", {"day": "31/12/9999", "decision": "QĐ 1", "note": ""})
    assert refused(r, "31/12/9999")
    assert Organization.objects.get(pk=org.pk).valid_to is None


def test_new_org_effective_date(login, demo):
    client = login("btctu.quantri")
    r = client.post(
        f"/to-chuc/{demo['LD-DUK'].pk}/them-to-chuc/",
        {
            "code": "NEW-1",
            "name": "Chi bộ mới",
            "short_name": "",
            "kind": demo["DUK-CTN"].kind_id,
            "place_name": "",
            "valid_from": "01/01/0001",
        },
    )
    assert refused(r, "01/01/0001")
    assert not Organization.objects.filter(code="NEW-1").exists()


def test_the_window_is_a_setting_and_edges_are_accepted(login, demo):
    client = login("btctu.quantri")
    last = f"31/12/{timezone.localdate().year + 10}"
    r = client.post("/dot/mo/", open_data(code="DK-A", registration_deadline="01/01/2000", results_deadline=last))
    assert r.status_code == 302, r.content.decode()[:2000]
    with override_settings(SANGTAO_DATE_MIN_YEAR=2025, SANGTAO_DATE_MAX_YEARS_AHEAD=1):
        typed = "24/03/2024"
        assert refused(client.post("/dot/mo/", open_data(code="DK-B", registration_deadline=typed)), typed)
        html = client.post("/dot/mo/", open_data(code="DK-B", registration_deadline=typed)).content.decode()
        assert f"01/01/2025 đến 31/12/{timezone.localdate().year + 1}" in html


def test_tree_import_refuses_absurd_dates_and_so_does_the_campaign_import(
    login, demo, django_capture_on_commit_callbacks
):
    """The same window for dates read from a workbook: the tree import (and the campaign import, which reads
    its dates with the same reader) lists them as problems and writes nothing."""

    client = login("btctu.quantri")
    data = workbook(
        [
            ("DUK-NEW", "Chi bộ Mới", "", "chi_bo_co_so", "LD-DUK", "", "", "Đà Lạt", "01/01/0001"),
            # a cell value, as Excel stores dates
            ("DUK-NEW2", "Chi bộ Mới 2", "", "chi_bo_co_so", "LD-DUK", "", "", "Đà Lạt", dt.datetime(9999, 12, 31)),  # noqa: DTZ001
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/to-chuc/nhap-excel/",
            {
                "file": SimpleUploadedFile(
                    "to-chuc.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
                "effective_date": "01/09/2025",
            },
        )
    html = client.get(r["Location"]).content.decode()
    assert html.count(WINDOW) == 2
    assert not Organization.objects.filter(code__startswith="DUK-NEW").exists()
