"""SPEC §3 and §8: the cascade of deadlines — later-than-parent refused, inheritance, end of day in
Vietnam's time zone, the late policy."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sangtao.campaigns import domain
from sangtao.campaigns.models import Campaign
from sangtao.common.models import AuditEvent
from sangtao.orgs import domain as org_domain
from tests.support import open_campaign

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date


@pytest.fixture
def campaign(demo):
    return open_campaign(2023, tree_date=D(2023, 1, 1))


def test_root_deadline_applies_to_direct_subordinates(campaign, demo):
    state = domain.Cascade(campaign)
    assert state.applicable(demo["LD-DUK"]).deadline == D(2023, 3, 24)
    assert state.applicable(demo["LD-DUK"]).set_by.code == "LD"
    assert state.applicable(demo["LD"]).deadline is None  # the root is not a subject


def test_child_deadline_later_than_parent_is_refused(campaign, demo):
    with pytest.raises(domain.CampaignError, match="muộn hơn hạn 24/03/2023"):
        domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 25))
    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 24))
    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    assert AuditEvent.objects.filter(action="campaign.cascade").count() == 3 - 1


def test_deadlines_inherit_upward_when_a_level_sets_none(campaign, demo):
    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    state = domain.Cascade(campaign)
    # DUK-CTN's deadline is the one DUK set for its subordinates
    assert state.applicable(demo["DUK-CTN"]).deadline == D(2023, 3, 15)
    # CTN set none for its cells: they inherit CTN's own applicable deadline
    assert state.applicable(demo["CTN-KT"]).deadline == D(2023, 3, 15)
    assert state.applicable(demo["CTN-KT"]).set_by.code == "LD-DUK"
    # the district set none: its communes get the root's deadline
    assert state.applicable(demo["LDG-LAT"]).deadline == D(2023, 3, 24)
    # a grassroots committee may give its cells an earlier date, never a later one than its own
    with pytest.raises(domain.CampaignError):
        domain.cascade(actor=None, campaign=campaign, org=demo["DUK-CTN"], registration_deadline=D(2023, 3, 20))
    domain.cascade(actor=None, campaign=campaign, org=demo["DUK-CTN"], registration_deadline=D(2023, 3, 10))
    assert domain.Cascade(campaign).applicable(demo["CTN-KT"]).deadline == D(2023, 3, 10)


def test_parent_cannot_move_its_deadline_before_a_child_deadline(campaign, demo):
    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    domain.cascade(actor=None, campaign=campaign, org=demo["DUK-CTN"], registration_deadline=D(2023, 3, 12))
    with pytest.raises(domain.CampaignError, match="Cấp dưới đã giao hạn muộn hơn"):
        domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 10))
    with pytest.raises(domain.CampaignError, match="Đảng bộ Khối Doanh nghiệp tỉnh"):
        domain.update_campaign(actor=None, campaign=campaign, registration_deadline=D(2023, 3, 14))


def test_targets_inherit(campaign, demo):
    domain.cascade(
        actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=None, target_registered=Decimal(95)
    )
    state = domain.Cascade(campaign)
    assert state.for_subordinates(demo["LD-DUK"]).target_registered == Decimal(95)
    assert state.for_subordinates(demo["LD-DUK"]).target_rated == Decimal(25)
    assert state.applicable(demo["DUK-CTN"]).deadline == D(2023, 3, 24)


def test_deadline_ends_at_midnight_in_vietnam():
    end = domain.deadline_end(D(2023, 3, 15))
    assert end.tzinfo is not None and end.astimezone(HCM).strftime("%H:%M:%S") == "23:59:59"
    assert end.astimezone(dt.UTC).strftime("%d %H:%M") == "15 16:59"


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (dt.datetime(2023, 3, 15, 23, 59, 58, tzinfo=HCM), False),
        (dt.datetime(2023, 3, 15, 23, 59, 59, tzinfo=HCM), False),
        (dt.datetime(2023, 3, 16, 0, 0, 0, tzinfo=HCM), True),
        (dt.datetime(2023, 3, 15, 16, 59, 59, tzinfo=dt.UTC), False),  # same instant as 23:59:59 in Hà Nội
        (dt.datetime(2023, 3, 15, 17, 0, 0, tzinfo=dt.UTC), True),
    ],
)
def test_is_late_at_the_deadline_edge(moment, late):
    assert domain.is_late(moment, D(2023, 3, 15)) is late


def test_days_left_with_time_machine():
    with time_machine.travel(dt.datetime(2023, 3, 15, 23, 59, 59, tzinfo=HCM), tick=False):
        assert domain.days_left(D(2023, 3, 15)) == 0
    with time_machine.travel(dt.datetime(2023, 3, 16, 0, 0, 0, tzinfo=HCM), tick=False):
        assert domain.days_left(D(2023, 3, 15)) == -1
    with time_machine.travel(dt.datetime(2023, 3, 15, 16, 59, 59, tzinfo=dt.UTC), tick=False):
        assert domain.days_left(D(2023, 3, 15)) == 0  # a server clock in UTC still counts in Vietnam's day


def test_results_deadline_before_registration_refused(demo):
    with pytest.raises(domain.CampaignError, match="không được sớm hơn"):
        open_campaign(2023, code="X", results_deadline=D(2023, 3, 1))


def test_late_policy_is_a_campaign_setting(campaign):
    assert campaign.late_policy == Campaign.LatePolicy.ACCEPT
    domain.update_campaign(actor=None, campaign=campaign, late_policy=Campaign.LatePolicy.REFUSE)
    campaign.refresh_from_db()
    assert campaign.get_late_policy_display() == "Không nhận sau hạn"


def test_cascade_outside_the_campaign_tree_refused(campaign, demo, kinds):

    other_root = org_domain.create_org(
        actor=None, parent=None, code="X", name="Tỉnh khác", kind=kinds["tinh"], valid_from=D(2020, 1, 1)
    )
    with pytest.raises(domain.CampaignError, match="không thuộc phạm vi"):
        domain.cascade(actor=None, campaign=campaign, org=other_root, registration_deadline=D(2023, 3, 1))
    with pytest.raises(domain.CampaignError, match="không thuộc phạm vi"):
        domain.cascade(actor=None, campaign=campaign, org=demo["LD"], registration_deadline=D(2023, 3, 1))
