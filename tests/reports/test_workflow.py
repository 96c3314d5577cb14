"""Writing, submitting, returning and accepting a results report (SPEC §5)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Campaign
from sangtao.common.models import AuditEvent
from sangtao.registrations.workflow import State
from sangtao.reports import domain
from sangtao.reports.models import ReportState
from tests.registrations.conftest import draft
from tests.reports.conftest import GOOD_SECTIONS, fill

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2023, 10, 1, 5, 0, tzinfo=dt.UTC)


def test_report_only_after_acceptance(campaign, demo, users):

    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    with pytest.raises(domain.ReportError, match="đã được tiếp nhận"):
        domain.start_report(actor=users["capnuoc.canbo"], registration=reg)


def test_missing_indicator_value_and_sections_are_named(accepted, users):
    officer = users["capnuoc.canbo"]
    rep = domain.start_report(actor=officer, registration=accepted)
    rep = domain.save_draft(actor=officer, report=rep, sections={"done": "Đã làm."}, results={})
    with pytest.raises(domain.ReportError) as exc:
        domain.submit(actor=officer, report=rep, now=NOON)
    message = exc.value.messages[0]
    assert "giá trị đạt được của chỉ tiêu “Tỷ lệ hóa đơn điện tử”" in message
    assert "còn chung chung (ít nhất 80 ký tự, mới có 7)" in message  # "Đã làm." is not a report
    assert "mục “Tính mới; hiệu quả, sức lan tỏa, phạm vi ảnh hưởng”" in message
    assert "Sơ kết" in message
    assert "Đề xuất" not in message  # optional section
    rep.refresh_from_db()
    assert rep.state == ReportState.DRAFT and rep.first_submitted_at is None


def test_submit_return_resubmit_accept_keeps_versions(accepted, users):
    officer, bloc = users["capnuoc.canbo"], users["duk.canbo"]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    rep = domain.submit(actor=officer, report=rep, now=NOON)
    accepted.refresh_from_db()
    assert rep.state == ReportState.SUBMITTED and not rep.late and rep.deadline == dt.date(2023, 11, 30)
    assert accepted.state == State.RESULTS_REPORTED
    with pytest.raises(domain.ReportError, match="lý do"):
        domain.return_(actor=bloc, report=rep, reason="  ")
    rep = domain.return_(actor=bloc, report=rep, reason="Chỉ tiêu chưa có biên bản nghiệm thu.")
    accepted.refresh_from_db()
    assert rep.state == ReportState.RETURNED and accepted.state == State.IN_PROGRESS
    rep = domain.save_draft(
        actor=officer,
        report=rep,
        sections={**GOOD_SECTIONS, "proposals": "Đề nghị nhân rộng."},
        results={r.indicator_id: {"achieved": Decimal("92.5"), "note": "Biên bản kèm theo"} for r in rep.results.all()},
    )
    rep = domain.submit(actor=officer, report=rep, now=NOON + dt.timedelta(days=3))
    assert rep.return_reason == "" and rep.first_submitted_at == NOON
    rep = domain.accept(actor=bloc, report=rep)
    assert [v.action for v in rep.versions.all()] == ["submit", "return", "submit", "accept"]
    first, last = rep.versions.first().snapshot, rep.versions.last().snapshot
    assert first["results"][0]["achieved"] == "85.00" and last["results"][0]["achieved"] == "92.50"
    with pytest.raises(domain.ReportError, match="không sửa được"):
        domain.save_draft(actor=officer, report=rep, sections={}, results={})
    assert AuditEvent.objects.filter(action__startswith="report.").count() >= 7


def test_stale_form_is_refused(accepted, users):
    officer = users["capnuoc.canbo"]
    rep = domain.start_report(actor=officer, registration=accepted)
    v = rep.version
    domain.save_draft(actor=officer, report=rep, sections={"done": "a"}, results={}, expected_version=v)
    with pytest.raises(domain.ReportError, match="vừa được người khác sửa"):
        domain.save_draft(actor=officer, report=rep, sections={"done": "b"}, results={}, expected_version=v)


def test_late_report_is_flagged_with_its_deadline(accepted, users):
    officer = users["capnuoc.canbo"]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    # 30/11/2023 23:59:59 in Hà Nội is 16:59:59 UTC; one second later is late.
    with time_machine.travel(dt.datetime(2023, 11, 30, 17, 0, 0, tzinfo=dt.UTC), tick=False):
        rep = domain.submit(actor=officer, report=rep)
    assert rep.late and rep.deadline == dt.date(2023, 11, 30)


def test_on_the_last_second_is_on_time(accepted, users):
    officer = users["capnuoc.canbo"]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    with time_machine.travel(dt.datetime(2023, 11, 30, 16, 59, 59, tzinfo=dt.UTC), tick=False):
        rep = domain.submit(actor=officer, report=rep)
    assert not rep.late


def test_late_report_refused_when_the_campaign_says_so(accepted, users, campaign):
    campaign.late_policy = Campaign.LatePolicy.REFUSE
    campaign.save()
    officer = users["capnuoc.canbo"]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    with pytest.raises(domain.ReportError, match=r"30/11/2023, hết lúc 23:59:59 30/11/2023"):
        domain.submit(actor=officer, report=rep, now=dt.datetime(2023, 12, 2, tzinfo=dt.UTC))
    rep.refresh_from_db()
    assert rep.state == ReportState.DRAFT and rep.sections["done"]  # nothing lost


def test_a_level_sets_its_own_results_deadline(accepted, users, campaign, demo):

    cdomain.cascade(
        actor=None,
        campaign=campaign,
        org=demo["LD-DUK"],
        registration_deadline=dt.date(2023, 3, 15),
        results_deadline=dt.date(2023, 11, 15),
    )
    officer = users["capnuoc.canbo"]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    rep = domain.submit(actor=officer, report=rep, now=dt.datetime(2023, 11, 20, tzinfo=dt.UTC))
    assert rep.late and rep.deadline == dt.date(2023, 11, 15)


@pytest.mark.parametrize(
    ("baseline", "target", "achieved", "expected"),
    [
        (Decimal(35), Decimal(80), Decimal(80), Decimal("100.0")),
        (Decimal(35), Decimal(80), Decimal(60), Decimal("75.0")),
        (None, Decimal(12), Decimal(15), Decimal("125.0")),
        (Decimal(90), Decimal(45), Decimal(40), Decimal("112.5")),  # minutes to fix a fault: lower is better
        (Decimal(90), Decimal(45), Decimal(60), Decimal("75.0")),
        (Decimal(10), Decimal(0), Decimal(0), Decimal("100.0")),
        (None, Decimal(12), None, None),
    ],
)
def test_percent_of_target(baseline, target, achieved, expected):
    assert domain.percent_of_target(baseline, target, achieved) == expected


def test_outline_edit_rules(campaign, accepted, users):
    admin, officer = users["btctu.quantri"], users["capnuoc.canbo"]
    outline = domain.outline_for(campaign)
    sections = [dict(s) for s in outline.sections]
    rep = fill(domain.start_report(actor=officer, registration=accepted), officer)
    # Removing a section that already holds text is refused, naming it.
    with pytest.raises(domain.ReportError, match=r"Sơ kết, tổng kết.*1 báo cáo"):
        domain.save_outline(actor=admin, campaign=campaign, sections=[s for s in sections if s["key"] != "reviews"])
    # A new required section applies to the next submission.
    domain.save_outline(
        actor=admin,
        campaign=campaign,
        sections=[*sections, {"title": "Bài học kinh nghiệm", "guidance": "", "required": True, "min_chars": 0}],
    )
    campaign.refresh_from_db()
    rep.registration.campaign = campaign
    with pytest.raises(domain.ReportError, match="Bài học kinh nghiệm"):
        domain.submit(actor=officer, report=rep, now=NOON)
    keys = [s["key"] for s in domain.outline_for(campaign).sections]
    assert keys[-1] == "bai_hoc_kinh_nghiem"
    # An empty section (no text anywhere) may go.
    domain.save_outline(actor=admin, campaign=campaign, sections=[s for s in sections if s["key"] != "proposals"])
