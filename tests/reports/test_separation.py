"""Separation of duties for results reports (issue 15, item 2): whoever wrote or submitted any version of a
report, or of its registration, never accepts or returns it."""

import pytest

from sangtao.reports import domain
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)
from tests.reports.conftest import accepted, fill  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_report_author_ids_include_every_writer_and_the_registrations(accepted, users):  # noqa: F811
    report = domain.start_report(actor=users["capnuoc.canbo"], registration=accepted)
    assert domain.author_ids(report) == {users["capnuoc.canbo"].pk}
    fill(report, users["duk.canbo"])  # an officer of the receiving level edits the lower unit's draft
    assert users["duk.canbo"].pk in domain.author_ids(report)
    assert users["duk.thamdinh"].pk not in domain.author_ids(report)
