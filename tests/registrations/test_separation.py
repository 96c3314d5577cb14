"""Separation of duties (issue 15, item 2): whoever wrote or submitted any version of a registration never
accepts or returns it — derived from the version history, not from `created_by`."""

import datetime as dt

import pytest

from sangtao.orgs.models import Person, Role
from sangtao.registrations import domain
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State
from tests.registrations.conftest import draft, sent
from tests.registrations.test_views import form_data

NOW = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_author_ids_come_from_the_history_not_from_created_by(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    assert domain.author_ids(reg) == {users["capnuoc.canbo"].pk}
    domain.submit(actor=users["duk.canbo"], registration=reg, now=NOW)
    assert domain.author_ids(reg) == {users["capnuoc.canbo"].pk, users["duk.canbo"].pk}
    reg = domain.return_(actor=users["btctu.quantri"], registration=reg, reason="Chỉ tiêu chưa đo được")
    assert users["btctu.quantri"].pk not in domain.author_ids(reg)  # returning is not writing
    domain.save_draft(
        actor=users["btctu.quantri"],
        campaign=campaign,
        subject_org=reg.subject_org,
        registration=reg,
        indicators=domain.snapshot(reg)["indicators"],
        title="Số hóa quy trình cấp nước (sửa)",
    )
    assert users["btctu.quantri"].pk in domain.author_ids(Registration.objects.get(pk=reg.pk))


@pytest.mark.django_db
def test_an_individuals_registration_counts_the_person(campaign, demo, users):

    person = Person.objects.get(user=users["nguyenvanan"])
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], person=person)
    assert users["nguyenvanan"].pk in domain.author_ids(reg)
    assert reg.state == State.DRAFT


# --- Through HTTP -------------------------------------------------------------------------------------


def _second_receiver(user_factory, demo):

    return user_factory("duk.canbo2", Role.OFFICER, demo["LD-DUK"])


def _versions(reg):
    return list(Registration.objects.get(pk=reg.pk).versions.values_list("action", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["accept", "return"])
def test_receiving_officer_who_submitted_a_lower_units_draft_cannot_accept_or_return_it(
    action, login, campaign, demo, users, user_factory
):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    bloc = login("duk.canbo")  # officer of the receiving level: he may act for the unit below
    assert bloc.post(f"/dang-ky/{reg.pk}/submit/").status_code == 302
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED
    page = bloc.get(f"/dang-ky/{reg.pk}/").content.decode()
    assert f"/dang-ky/{reg.pk}/accept/" not in page and f"/dang-ky/{reg.pk}/return/" not in page
    assert bloc.post(f"/dang-ky/{reg.pk}/{action}/", {"reason": "Chưa có tính mới"}).status_code == 403
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED and _versions(reg) == ["submit"]
    with pytest.raises(domain.RegistrationError):  # the domain refuses too, whatever the caller
        domain.accept(actor=users["duk.canbo"], registration=reg)
    # another officer of the receiving level, who wrote nothing, decides
    _second_receiver(user_factory, demo)
    login("duk.canbo2").post(f"/dang-ky/{reg.pk}/{action}/", {"reason": "Chưa có tính mới"})
    assert _versions(reg) == ["submit", action]


@pytest.mark.django_db
def test_who_edited_a_returned_version_cannot_accept_it(login, campaign, demo, users, user_factory):

    officer = users["capnuoc.canbo"]
    reg = sent(campaign, demo["DUK-CTN"], officer, now=NOW)
    _second_receiver(user_factory, demo)
    login("duk.canbo2").post(f"/dang-ky/{reg.pk}/return/", {"reason": "Chỉ tiêu chưa đo được"})
    bloc = login("duk.canbo")
    r = bloc.post(f"/dang-ky/{reg.pk}/sua/", form_data(version=Registration.objects.get(pk=reg.pk).version))
    assert r.status_code == 302 and Registration.objects.get(pk=reg.pk).title == "Số hóa sổ theo dõi đảng viên"
    login("capnuoc.canbo").post(f"/dang-ky/{reg.pk}/submit/")
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED
    assert bloc.post(f"/dang-ky/{reg.pk}/accept/").status_code == 403
    assert bloc.post(f"/dang-ky/{reg.pk}/tinh-moi/", {"not_new": "1", "reason": "Trùng"}).status_code == 403
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED
    with pytest.raises(domain.RegistrationError):  # nor judges its novelty, whatever the caller
        domain.mark_not_new(actor=users["duk.canbo"], registration=reg, not_new=True, reason="Trùng")
    assert not Registration.objects.get(pk=reg.pk).not_new


@pytest.mark.django_db
def test_receiving_officer_who_sent_it_in_writing_cannot_accept_it(login, campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    bloc = login("duk.canbo")
    r = bloc.post(
        f"/dot/{campaign.code}/cap/{demo['DUK-CTN'].pk}/nop-dang-ky/",
        {"reg": [str(reg.pk)], "signer_name": "Nguyễn Văn An"},
    )
    assert r.status_code == 302  # a draft letter first; confirming it sends the registration (rules R9)
    assert bloc.post(f"/van-ban-dang-ky/{r['Location'].split('/')[2]}/xac-nhan/").status_code == 302
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED
    assert bloc.post(f"/dang-ky/{reg.pk}/accept/").status_code == 403
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED


def test_the_author_at_the_receiving_level_is_told_why_there_is_no_button(campaign, demo, users, login):
    """He may not accept what he wrote (rules R5); the page says so and says who acts, instead of showing nothing."""

    officer = users["duk.canbo"]  # of the receiving level, writing for a unit below
    reg = sent(campaign, demo["DUK-CTN"], officer)
    page = login("duk.canbo").get(f"/dang-ky/{reg.pk}/").content.decode()
    assert "người viết không tự duyệt" in page and "Tiếp nhận</button>" not in page
    other = login("capnuoc.canbo").get(f"/dang-ky/{reg.pk}/").content.decode()
    assert "người viết không tự duyệt" not in other
