"""Separation of duties for results reports (issue 15, item 2): whoever wrote or submitted any version of a
report, or of its registration, never accepts or returns it."""

import pytest

from sangtao.reports import domain
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)
from tests.reports.conftest import accepted, fill  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_report_author_ids_include_every_writer_and_the_registrations(accepted, users):
    report = domain.start_report(actor=users["capnuoc.canbo"], registration=accepted)
    assert domain.author_ids(report) == {users["capnuoc.canbo"].pk}
    fill(report, users["duk.canbo"])  # an officer of the receiving level edits the lower unit's draft
    assert users["duk.canbo"].pk in domain.author_ids(report)
    assert users["duk.thamdinh"].pk not in domain.author_ids(report)


# --- Through HTTP -------------------------------------------------------------------------------------

import datetime as dt  # noqa: E402

from django.urls import reverse  # noqa: E402

from sangtao.orgs.models import Role  # noqa: E402
from sangtao.reports.models import ResultsReport  # noqa: E402


def _write_and_submit(client, reg):
    ind = reg.indicators.first()
    client.get(reverse("reports:for_registration", kwargs={"reg_pk": reg.pk}))
    rep = ResultsReport.objects.filter(registration=reg).first()
    data = {
        "s_done": "d" * 100,
        "s_novelty": "n" * 100,
        "s_reviews": "r" * 60,
        f"a_{ind.pk}": "88,5",
        "version": rep.version if rep else "",
        "submit": "1",
    }
    r = client.post(reverse("reports:edit", kwargs={"reg_pk": reg.pk}), data)
    assert r.status_code == 302
    return ResultsReport.objects.get(registration=reg)


def _act(client, rep, action):
    url = reverse("reports:action", kwargs={"pk": rep.pk, "action": action})
    return client.post(url, {"reason": "Thiếu minh chứng"})


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["accept", "return"])
def test_receiving_officer_who_submitted_the_report_cannot_accept_or_return_it(
    action, accepted, login, demo, users, user_factory
):
    bloc = login("duk.canbo")  # he accepted the registration; now he writes the unit's report himself
    rep = _write_and_submit(bloc, accepted)
    assert rep.state == "submitted"
    page = bloc.get(reverse("reports:detail", kwargs={"pk": rep.pk})).content.decode()
    assert reverse("reports:action", kwargs={"pk": rep.pk, "action": action}) not in page
    assert _act(bloc, rep, action).status_code == 403
    rep.refresh_from_db()
    assert rep.state == "submitted" and list(rep.versions.values_list("action", flat=True)) == ["submit"]
    with pytest.raises(domain.ReportError):
        domain.accept(actor=users["duk.canbo"], report=rep)
    user_factory("duk.canbo2", Role.OFFICER, demo["LD-DUK"])
    _act(login("duk.canbo2"), rep, action)
    assert list(rep.versions.values_list("action", flat=True)) == ["submit", action]


@pytest.mark.django_db
def test_who_edited_a_returned_report_cannot_accept_it(accepted, login, demo, users, user_factory):
    writer = login("capnuoc.canbo")
    rep = _write_and_submit(writer, accepted)
    user_factory("duk.canbo2", Role.OFFICER, demo["LD-DUK"])
    _act(login("duk.canbo2"), rep, "return")
    rep.refresh_from_db()
    assert rep.state == "returned"
    bloc = login("duk.canbo")
    data = {
        "s_done": "e" * 100,
        "s_novelty": "n" * 100,
        "s_reviews": "r" * 60,
        f"a_{accepted.indicators.first().pk}": "89",
        "version": rep.version,
    }
    assert bloc.post(reverse("reports:edit", kwargs={"reg_pk": accepted.pk}), data).status_code == 302
    rep.refresh_from_db()
    assert rep.sections["done"] == "e" * 100
    _write_and_submit(writer, accepted)
    rep.refresh_from_db()
    assert rep.state == "submitted"
    assert _act(bloc, rep, "accept").status_code == 403
    rep.refresh_from_db()
    assert rep.state == "submitted"
    assert dt.date  # keeps the import used by later tests
