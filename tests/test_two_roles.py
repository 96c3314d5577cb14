"""Who sees which registrations and reports (issue 15, items 1–3): an individual cadre (role "cá nhân") sees only
their own models; a draft is shown to its registrants only (rules R6) — never to read-only leaders or
appraisers; and the same person holding two roles (officer and appraiser; officer at two levels) gets neither
more sight nor the right to decide on what they wrote. Every list, export, detail page and API endpoint."""

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from sangtao.appraisals import domain as adomain
from sangtao.orgs.models import Person, Role, RoleAssignment
from sangtao.registrations import domain as rdomain
from sangtao.registrations.models import Registration
from sangtao.reports import domain as repdomain
from tests.appraisals.conftest import accepted, appraise_alone
from tests.conftest import make_user
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}


def api(username):

    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def api_titles(username, path="/api/v1/registrations/"):
    r = api(username).get(path)
    assert r.status_code == 200, r.content
    return r.json()["results"]


def export_titles(client, campaign):
    r = client.get(f"/dot/{campaign.code}/dang-ky/xuat-excel/")
    assert r.status_code == 200
    return {row[1] for row in load_workbook(BytesIO(r.content)).active.iter_rows(min_row=3, values_only=True)}


@pytest.fixture
def models(campaign, demo, users):
    """Cấp nước (DUK-CTN): the unit's draft and its accepted model with a submitted report; a colleague's
    (DV-0021) draft and submitted model; Nguyễn Văn An's (DV-0020, an individual cadre) own draft and model."""
    officer, bloc = users["capnuoc.canbo"], users["duk.canbo"]
    an, colleague = Person.objects.get(code="DV-0020"), Person.objects.get(code="DV-0021")
    out = {
        "unit_draft": draft(campaign, demo["DUK-CTN"], officer, title="Dự thảo tập thể XX1"),
        "unit": accepted(campaign, demo["DUK-CTN"], officer, bloc, "Mô hình tập thể XX2"),
        "colleague_draft": draft(campaign, demo["DUK-CTN"], officer, title="Dự thảo đồng nghiệp XX3", person=colleague),
        "colleague": accepted(campaign, demo["DUK-CTN"], officer, bloc, "Mô hình đồng nghiệp XX4", person=colleague),
        "own_draft": draft(campaign, demo["DUK-CTN"], users["nguyenvanan"], title="Dự thảo của tôi XX5", person=an),
        "own": accepted(campaign, demo["DUK-CTN"], users["nguyenvanan"], bloc, "Mô hình của tôi XX6", person=an),
    }
    for key in ("unit", "colleague", "own"):
        writer = users["nguyenvanan"] if key == "own" else officer
        rep = fill(repdomain.start_report(actor=writer, registration=out[key]), writer)
        out[f"{key}_report"] = repdomain.submit(actor=writer, report=rep, now=dt.datetime(2023, 10, 1, tzinfo=dt.UTC))
    return out


TITLES = {
    "unit_draft": "Dự thảo tập thể XX1",
    "unit": "Mô hình tập thể XX2",
    "colleague_draft": "Dự thảo đồng nghiệp XX3",
    "colleague": "Mô hình đồng nghiệp XX4",
    "own_draft": "Dự thảo của tôi XX5",
    "own": "Mô hình của tôi XX6",
}
DRAFTS = {"unit_draft", "colleague_draft", "own_draft"}


def _web(client, campaign, models):
    """What the user sees of the six models on every registration and report page: keys of the models shown."""
    page = client.get(f"/dot/{campaign.code}/dang-ky/").content.decode()
    listed = {k for k, t in TITLES.items() if t in page}
    exported = {k for k, t in TITLES.items() if t in export_titles(client, campaign)}
    details = {k for k in TITLES if client.get(f"/dang-ky/{models[k].pk}/").status_code == 200}
    compare = {k for k in TITLES if client.get(f"/dang-ky/{models[k].pk}/so-sanh/").status_code == 200}
    reports_page = client.get(f"/dot/{campaign.code}/bao-cao-ket-qua/").content.decode()
    reports_listed = {k for k in ("unit", "colleague", "own") if TITLES[k] in reports_page}
    reports_open = {
        k
        for k in ("unit", "colleague", "own")
        if client.get(f"/bao-cao-ket-qua/{models[k + '_report'].pk}/").status_code == 200
    }
    return listed, exported, details, compare, reports_listed, reports_open


def _api(username, models):
    regs = {k for k, t in TITLES.items() if t in {r["title"] for r in api_titles(username)}}
    reg_details = {k for k in TITLES if api(username).get(f"/api/v1/registrations/{models[k].pk}/").status_code == 200}
    report_ids = {r["registration"] for r in api_titles(username, "/api/v1/reports/")}
    reports = {k for k in ("unit", "colleague", "own") if models[k].pk in report_ids}
    report_details = {
        k
        for k in ("unit", "colleague", "own")
        if api(username).get(f"/api/v1/reports/{models[k + '_report'].pk}/").status_code == 200
    }
    return regs, reg_details, reports, report_details


def test_an_individual_cadre_sees_only_their_own_models_everywhere(models, campaign, login):
    listed, exported, details, compare, reports_listed, reports_open = _web(login("nguyenvanan"), campaign, models)
    assert listed == exported == details == {"own", "own_draft"} and compare == {"own"}  # a draft has no versions
    assert reports_listed == reports_open == {"own"}
    regs, reg_details, reports, report_details = _api("nguyenvanan", models)
    assert regs == reg_details == {"own"}  # the API shows no draft to anyone
    assert reports == report_details == {"own"}


@pytest.mark.parametrize("username", ["tinhuy.lanhdao", "duk.thamdinh"])
def test_leaders_and_appraisers_never_see_a_draft(username, models, campaign, login):
    listed, exported, details, compare, _rl, _ro = _web(login(username), campaign, models)
    submitted = set(TITLES) - DRAFTS
    assert listed == exported == details == compare == submitted
    regs, reg_details, reports, report_details = _api(username, models)
    assert regs == reg_details == submitted
    assert reports == report_details == {"unit", "colleague", "own"}  # sent reports


def test_the_units_officer_sees_its_drafts(models, campaign, login):
    listed, exported, details, _c, _rl, _ro = _web(login("capnuoc.canbo"), campaign, models)
    assert listed == exported == details == set(TITLES)  # he acts for the unit, its people's drafts included


def test_officer_who_is_also_an_appraiser_above_sees_no_other_units_draft(models, campaign, demo, users, login):
    """Officer of Đà Lạt power (DUK-DL) and appraiser of the bloc: the appraiser role reads Cấp nước's submitted
    models, never its drafts; the officer role does not reach it at all."""
    dual = make_user("dl.canbo", Role.OFFICER, demo["DUK-DL"], totp_secret="JBSWY3DPEHPK3PXP")
    RoleAssignment.objects.create(user=dual, org=demo["LD-DUK"], role=Role.APPRAISER)
    listed, exported, details, compare, _rl, reports_open = _web(login("dl.canbo"), campaign, models)
    assert listed == exported == details == compare == set(TITLES) - DRAFTS
    assert reports_open == {"unit", "colleague", "own"}
    regs, reg_details, _r, _rd = _api("dl.canbo", models)
    assert regs == reg_details == set(TITLES) - DRAFTS
    c = login("dl.canbo")
    assert c.post(f"/dang-ky/{models['unit_draft'].pk}/submit/").status_code == 404
    assert Registration.objects.get(pk=models["unit_draft"].pk).state == "draft"


def test_officer_at_two_levels_who_submitted_below_does_not_accept_above(campaign, demo, users, login):
    """Officer of Cấp nước and of the bloc that receives its models: he sends the unit's model (a colleague wrote
    it) as the unit's officer; as the bloc's officer he may not accept or return it, nor its report."""
    dual = make_user("hai.cap", Role.OFFICER, demo["DUK-CTN"])
    RoleAssignment.objects.create(user=dual, org=demo["LD-DUK"], role=Role.OFFICER)
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], title="Mô hình hai cấp")
    c = login("hai.cap")
    assert c.post(f"/dang-ky/{reg.pk}/submit/").status_code == 302
    for action in ("accept", "return"):
        assert c.post(f"/dang-ky/{reg.pk}/{action}/", {"reason": "x"}).status_code == 403
    assert Registration.objects.get(pk=reg.pk).state == "submitted"
    reg = rdomain.accept(actor=users["duk.canbo"], registration=reg)
    rep = repdomain.submit(
        actor=users["capnuoc.canbo"],
        report=fill(repdomain.start_report(actor=users["capnuoc.canbo"], registration=reg), users["capnuoc.canbo"]),
    )
    for action in ("accept", "return"):  # the report was written by a colleague, but the model is his
        assert c.post(f"/bao-cao-ket-qua/{rep.pk}/{action}/", {"reason": "x"}).status_code == 403
    rep.refresh_from_db()
    assert rep.state == "submitted"


# --- Item 1: nothing of an appraisal reaches the appraised before publication (API) ------------------------

RESULT_KEYS = {"scores", "total", "classification"}


def _leaks(username, reg, ap):
    """Everything of the appraisal the API gives `username`: the appraisals list and detail, and any result key
    embedded in the registration or report payloads."""
    seen = [a for a in api_titles(username, "/api/v1/appraisals/") if a["id"] == ap.pk]
    if api(username).get(f"/api/v1/appraisals/{ap.pk}/").status_code == 200:
        seen.append("detail")
    for path in ("/api/v1/registrations/", "/api/v1/reports/"):
        for row in api_titles(username, path):
            seen += sorted(RESULT_KEYS & set(row))
    return seen


def test_api_hides_appraisals_from_the_appraised_until_published(models, campaign, demo, users):

    unit_ap = appraise_alone(models["unit"], users["duk.thamdinh"], MARKS)
    own_ap = appraise_alone(models["own"], users["duk.thamdinh"], MARKS)
    colleague_ap = appraise_alone(models["colleague"], users["duk.thamdinh"], MARKS)
    for username, reg, ap in (
        ("capnuoc.canbo", models["unit"], unit_ap),
        ("nguyenvanan", models["own"], own_ap),
        ("nguyenvanan", models["unit"], unit_ap),
    ):
        assert _leaks(username, reg, ap) == [], username
    assert [a["id"] for a in api_titles("duk.canbo", "/api/v1/appraisals/") if a["id"] == unit_ap.pk]  # the level
    adomain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    assert [
        a["classification"] for a in api_titles("capnuoc.canbo", "/api/v1/appraisals/") if a["id"] == unit_ap.pk
    ] == ["Khá"]
    mine = {a["id"] for a in api_titles("nguyenvanan", "/api/v1/appraisals/")}
    assert mine == {own_ap.pk}  # his own result; not his colleague's, not the unit's (he sees only his own models)
    assert api("nguyenvanan").get(f"/api/v1/appraisals/{colleague_ap.pk}/").status_code == 404
