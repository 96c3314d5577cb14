"""Registration workflow (SPEC §4, §8): the declarative table, deadlines and the late policy, versions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Campaign
from sangtao.orgs.models import Person
from sangtao.registrations import domain
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import TRANSITIONS, State
from tests.registrations.conftest import draft, sent

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return dt.datetime(*args, tzinfo=HCM)


def test_collective_registration_goes_to_the_parent_level(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    assert reg.state == State.DRAFT and reg.receiving_org.code == "LD-DUK"
    person = Person.objects.get(code="DV-0020")
    mine = draft(campaign, demo["DUK-CTN"], users["nguyenvanan"], person=person, title="Giám đốc đối thoại hằng tháng")
    assert mine.subject_kind == "individual" and mine.receiving_org.code == "LD-DUK"  # his evaluating organization


@pytest.mark.parametrize(("moment", "late"), [(at(2023, 3, 15, 23, 59, 59), False), (at(2023, 3, 16, 0, 0, 0), True)])
def test_submission_at_the_deadline_edge(campaign, demo, users, moment, late):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    with time_machine.travel(moment, tick=False):
        reg = domain.submit(actor=users["capnuoc.canbo"], registration=reg)
    assert reg.state == State.SUBMITTED and reg.late is late and reg.deadline == dt.date(2023, 3, 15)


def test_district_subject_gets_the_root_deadline(campaign, demo, users):
    reg = draft(campaign, demo["LDG-LAT"], users["lacduong.canbo"], title="Chợ phiên nông sản xã Lát")
    with time_machine.travel(at(2023, 3, 20, 9, 0, 0), tick=False):
        reg = domain.submit(actor=users["lacduong.canbo"], registration=reg)
    assert reg.deadline == dt.date(2023, 3, 24) and not reg.late


def test_refuse_policy_rejects_with_the_deadline_shown(campaign, demo, users):
    cdomain.update_campaign(actor=None, campaign=campaign, late_policy=Campaign.LatePolicy.REFUSE)
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    with (
        time_machine.travel(at(2023, 3, 16, 8, 0, 0), tick=False),
        pytest.raises(domain.RegistrationError, match=r"15/03/2023, hết lúc 23:59:59 15/03/2023"),
    ):
        domain.submit(actor=users["capnuoc.canbo"], registration=reg)
    reg.refresh_from_db()
    assert reg.state == State.DRAFT and reg.first_submitted_at is None  # nothing lost, nothing accepted


def test_incomplete_registration_cannot_be_submitted(campaign, demo, users):
    reg = domain.save_draft(
        actor=users["capnuoc.canbo"],
        campaign=campaign,
        subject_org=demo["DUK-CTN"],
        indicators=[],
        title="Một ý tưởng",
        content_areas=[],
        fields=[],
        novelty="",
        method="",
    )
    with pytest.raises(domain.RegistrationError) as info:
        domain.submit(actor=users["capnuoc.canbo"], registration=reg)
    message = info.value.messages[0]
    for part in ("lĩnh vực", "điểm mới", "cách thức thực hiện", "chỉ tiêu đo được"):
        assert part in message


def test_return_and_resubmit_keep_first_timeliness_and_every_version(campaign, demo, users):
    officer, receiver = users["capnuoc.canbo"], users["duk.canbo"]
    reg = draft(campaign, demo["DUK-CTN"], officer)
    with time_machine.travel(at(2023, 3, 10, 9, 0, 0), tick=False):
        reg = domain.submit(actor=officer, registration=reg)
    reg = domain.return_(actor=receiver, registration=reg, reason="Chưa có tính mới: trùng việc thường xuyên")
    assert reg.state == State.RETURNED
    reg = domain.save_draft(
        actor=officer,
        campaign=campaign,
        subject_org=demo["DUK-CTN"],
        registration=reg,
        expected_version=reg.version,
        indicators=[{"name": "Số khách hàng dùng ứng dụng", "unit": "người", "baseline": None, "target": 5000}],
        title="Ứng dụng di động chăm sóc khách hàng cấp nước",
    )
    with time_machine.travel(at(2023, 3, 20, 9, 0, 0), tick=False):  # after the deadline, but a resubmission
        reg = domain.submit(actor=officer, registration=reg)
    assert reg.late is False and reg.first_submitted_at == at(2023, 3, 10, 9, 0, 0)
    reg = domain.accept(actor=receiver, registration=reg)
    versions = list(reg.versions.values_list("action", "state"))
    assert versions == [
        ("submit", "submitted"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("accept", "accepted"),
    ]
    assert reg.versions.first().snapshot["title"] == "Số hóa quy trình cấp nước cho khách hàng"
    assert reg.versions.last().snapshot["indicators"][0]["name"] == "Số khách hàng dùng ứng dụng"
    with pytest.raises(domain.RegistrationError):
        domain.delete_draft(actor=officer, registration=reg)


def test_transitions_refused_from_wrong_states(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    for _action, fn in (("accept", domain.accept), ("start", domain.start)):
        with pytest.raises(domain.RegistrationError, match="Không thể"):
            fn(actor=users["duk.canbo"], registration=reg)
    with pytest.raises(domain.RegistrationError, match="lý do"):
        domain.submit(actor=users["capnuoc.canbo"], registration=reg) and domain.return_(
            actor=users["duk.canbo"], registration=reg, reason=" "
        )


def test_stale_edit_is_refused(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    stale = reg.version

    def edit(title):  # both from the page as it was drawn (version `stale`)
        domain.save_draft(
            actor=users["capnuoc.canbo"],
            campaign=campaign,
            subject_org=demo["DUK-CTN"],
            registration=reg,
            expected_version=stale,
            indicators=[],
            title=title,
        )

    edit("Sửa lần một")
    with pytest.raises(domain.RegistrationError, match="vừa được người khác sửa"):
        edit("Sửa lần hai")
    assert Registration.objects.get(pk=reg.pk).title == "Sửa lần một"


def test_excluded_units_cannot_register(campaign, demo, users):
    with pytest.raises(domain.RegistrationError, match="không thẩm định"):
        draft(campaign, demo["DUK-CDT"], users["duk.canbo"])
    with pytest.raises(domain.RegistrationError, match="không thẩm định"):
        draft(campaign, demo["LAT-DN"], users["lacduong.canbo"])


# --- who may do what: one policy table, checked against the rules ------------------------------------------
POLICY = {
    # (user, action) -> allowed, for a collective registration of DUK-CTN received by LD-DUK
    ("capnuoc.canbo", "register"): True,  # officer of the subject
    ("duk.canbo", "register"): True,  # officer above (may register on the unit's behalf)
    ("lacduong.canbo", "register"): False,  # unrelated branch
    ("nguyenvanan", "register"): False,  # an individual is not the collective
    ("tinhuy.lanhdao", "register"): False,  # viewer
    ("capnuoc.canbo", "receive"): False,  # cannot accept its own
    ("duk.canbo", "receive"): True,  # the receiving level
    ("btctu.quantri", "receive"): True,  # admin above the receiving level
    ("lacduong.canbo", "receive"): False,
    ("duk.thamdinh", "receive"): False,  # appraisers do not receive registrations
    ("tinhuy.lanhdao", "read"): False,  # a draft is shown to its registrants only (rules R6, issue 15 #3)
    ("duk.thamdinh", "read"): False,
    ("capnuoc.canbo", "read"): True,
    ("duk.canbo", "read"): True,  # acts for the unit below
    ("lacduong.canbo", "read"): False,
    ("nguyenvanan", "read"): False,
}


def test_permission_matrix(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    mismatches = [
        (u, a) for (u, a), allowed in POLICY.items() if users[u].has_perm(f"registrations.{a}", reg) is not allowed
    ]
    assert mismatches == []


def test_submitted_registration_is_read_by_leaders_and_appraisers_not_by_an_individual(campaign, demo, users):
    reg = sent(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    readers = {
        u
        for u in ("tinhuy.lanhdao", "duk.thamdinh", "duk.canbo", "capnuoc.canbo", "nguyenvanan", "lacduong.canbo")
        if users[u].has_perm("registrations.read", reg)
    }
    assert readers == {"tinhuy.lanhdao", "duk.thamdinh", "duk.canbo", "capnuoc.canbo"}


def test_workflow_table_is_complete():
    reachable = {State.DRAFT} | {t["to"] for t in TRANSITIONS.values()}
    assert {State.SUBMITTED, State.ACCEPTED, State.RETURNED, State.IN_PROGRESS} <= reachable
    assert all(t["who"] in {"registrant", "receiver"} for t in TRANSITIONS.values())
