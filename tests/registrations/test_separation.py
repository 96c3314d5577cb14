"""Separation of duties (issue 15, item 2): whoever wrote or submitted any version of a registration never
accepts or returns it — derived from the version history, not from `created_by`."""

import datetime as dt

import pytest

from sangtao.registrations import domain
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State
from tests.registrations.conftest import draft

NOW = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_author_ids_come_from_the_history_not_from_created_by(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    assert domain.author_ids(reg) == {users["capnuoc.canbo"].pk}
    domain.submit(actor=users["duk.canbo"], registration=reg, now=NOW)
    assert domain.author_ids(reg) == {users["capnuoc.canbo"].pk, users["duk.canbo"].pk}
    reg = domain.return_(actor=users["btctu.quantri"], registration=reg, reason="Chỉ tiêu chưa đo được")
    assert users["btctu.quantri"].pk not in domain.author_ids(reg)  # returning is not writing
    domain.save_draft(actor=users["btctu.quantri"], campaign=campaign, subject_org=reg.subject_org, registration=reg,
                      indicators=domain.snapshot(reg)["indicators"], title="Số hóa quy trình cấp nước (sửa)")
    assert users["btctu.quantri"].pk in domain.author_ids(Registration.objects.get(pk=reg.pk))


@pytest.mark.django_db
def test_an_individuals_registration_counts_the_person(campaign, demo, users):
    from sangtao.orgs.models import Person

    person = Person.objects.get(user=users["nguyenvanan"])
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], person=person)
    assert users["nguyenvanan"].pk in domain.author_ids(reg)
    assert reg.state == State.DRAFT
