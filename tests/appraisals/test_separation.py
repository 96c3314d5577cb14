"""Issue 15, items 2 and 4 (appraisal part): nobody appraises their own. Whoever wrote or submitted any
version of a registration or its results report is never put on its council and never scores or signs it,
even when he holds an appraiser role beside the officer role he wrote it with; and no appraiser grants the
judgement bonus (TH_A) to his own unit. Tried over HTTP with one person holding two roles."""

import pytest
from django.urls import reverse

from sangtao.appraisals import domain
from sangtao.appraisals.models import Appraisal, BonusJudgement
from sangtao.common import audit
from sangtao.orgs.models import Role, RoleAssignment
from sangtao.registrations import domain as rdomain
from sangtao.reports.models import ResultsReport
from tests.appraisals.conftest import accepted
from tests.conftest import make_user
from tests.registrations.conftest import draft

pytestmark = pytest.mark.django_db
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}


def two_roles(username, officer_at, appraiser_at):
    user = make_user(username, Role.OFFICER, officer_at, totp_secret=SECRET)
    RoleAssignment.objects.create(user=user, org=appraiser_at, role=Role.APPRAISER)
    return user


@pytest.fixture
def submitted_by_officer_appraiser(campaign, demo, users):
    """Cấp nước's draft, written by its officer, submitted by a person who is officer of Cấp nước and also an
    appraiser of the Đảng bộ Khối that receives and appraises it."""
    both = two_roles("ctn.hai.vai", demo["DUK-CTN"], demo["LD-DUK"])
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    reg = rdomain.submit(actor=both, registration=reg)
    reg = rdomain.accept(actor=users["duk.canbo"], registration=reg)
    return both, reg


def _form_members(client, reg):
    return client.get(reverse("appraisals:open", kwargs={"reg_pk": reg.pk})).context["candidates"]


def test_who_submitted_the_model_is_not_offered_for_its_council_and_cannot_be_put_on_it(
    submitted_by_officer_appraiser, users, login
):
    both, reg = submitted_by_officer_appraiser
    officer = login("duk.canbo")
    assert both not in _form_members(officer, reg) and users["duk.thamdinh"] in _form_members(officer, reg)
    r = officer.post(
        reverse("appraisals:open", kwargs={"reg_pk": reg.pk}),
        {"members": [both.pk, users["duk.thamdinh"].pk], "chair": both.pk},
    )
    assert r.status_code == 200 and not Appraisal.objects.filter(registration=reg).exists()
    with pytest.raises(domain.AppraisalError):
        domain.open_appraisal(actor=users["duk.canbo"], registration=reg, members=[both], chair=both)


def test_who_submitted_the_model_cannot_score_or_sign_it_even_if_seated(submitted_by_officer_appraiser, users, login):
    both, reg = submitted_by_officer_appraiser
    ap = domain.open_appraisal(
        actor=users["duk.canbo"], registration=reg, members=[users["duk.thamdinh"]], chair=users["duk.thamdinh"]
    )
    # Seated behind the rule's back (an old council, an import): the seat alone gives nothing.
    ap.members.add(both)
    Appraisal.objects.filter(pk=ap.pk).update(chair=both)
    client = login("ctn.hai.vai")
    raw = {f"score_{k}": v for k, v in MARKS.items()} | {
        f"note_{k}": "Căn cứ chấm: đối chiếu báo cáo, minh chứng." for k in MARKS
    }
    assert client.post(reverse("appraisals:sheet", kwargs={"pk": ap.pk}), raw | {"submit": "1"}).status_code in (
        403,
        404,
    )
    assert client.post(reverse("appraisals:sign", kwargs={"pk": ap.pk})).status_code in (403, 404)
    assert not ap.sheets.filter(appraiser=both).exists()
    with pytest.raises(domain.AppraisalError):
        domain.save_sheet(
            actor=both,
            appraisal=ap,
            raw={k: (v, "Căn cứ chấm đủ hai mươi ký tự.") for k, v in MARKS.items()},
            submit=True,
        )


def test_an_officer_of_the_receiving_level_who_wrote_the_results_report_stays_off_the_council(campaign, demo, users):
    both = two_roles("duk.hai.vai", demo["LD-DUK"], demo["LD-DUK"])
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Mô hình có báo cáo")

    report = ResultsReport.objects.create(registration=reg, created_by=users["capnuoc.canbo"])
    audit.record("report.edit", actor=both, obj=report, changes={})  # he edited a version of the report
    reg.refresh_from_db()
    assert domain.own_model(both, reg)
    with pytest.raises(domain.AppraisalError):
        domain.open_appraisal(actor=users["duk.canbo"], registration=reg, members=[both], chair=both)


def _grant(client, campaign, org):
    return client.post(
        reverse("appraisals:bonus", kwargs={"code": campaign.code}),
        {
            "org": org.pk,
            "code": "TH_A",
            "granted": "1",
            "justification": "Lãnh đạo tháo gỡ kịp thời khó khăn về vốn cho dự án.",
        },
        follow=True,
    )


def test_an_appraiser_cannot_grant_the_judgement_bonus_to_his_own_unit(campaign, demo, users, login):
    accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Mô hình của Cấp nước")
    two_roles("ctn.hai.vai", demo["DUK-CTN"], demo["LD-DUK"])
    r = _grant(login("ctn.hai.vai"), campaign, demo["DUK-CTN"])
    assert "chính mình, đơn vị mình" in r.content.decode()
    assert not BonusJudgement.objects.filter(subject_org=demo["DUK-CTN"], granted=True).exists()
    # Another appraiser of the level, not of the unit, may.
    _grant(login("duk.thamdinh"), campaign, demo["DUK-CTN"])
    assert BonusJudgement.objects.filter(subject_org=demo["DUK-CTN"], granted=True).count() == 1
