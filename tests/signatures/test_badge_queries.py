"""The signature badges of a page are read in one query, not one per listed PDF: the inbox, a report's evidence
list and a letter's attachments cost the same number of queries with 1 PDF as with 5."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangtao.campaigns import domain as campaigns
from sangtao.campaigns.models import Document
from sangtao.reports import domain as reports

from .conftest import badges, letter_pdf, started_report, unit_registration


def measured(client, url, expected_badges: int) -> int:
    client.get(url)  # whatever a first visit warms (sessions, caches) is not the list's cost
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(badges(html)) == expected_badges, url
    return len(queries.captured_queries)


def grow(make_one, client, url, *, already: int = 0) -> tuple[int, int]:
    """Queries of the page with one PDF listed, then with five."""
    make_one(0)
    one = measured(client, url, already + 1)
    for i in range(1, 5):
        make_one(i)
    return one, measured(client, url, already + 5)


def test_inbox(campaign, demo, login):
    def issue(_i):
        doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD"])
        campaigns.issue_document(actor=None, document=doc)

    one, five = grow(issue, login("duk.canbo"), "/van-ban-den/")
    assert five == one


def test_attachments_of_a_letter(campaign, demo, login):
    doc = campaigns.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    officer = login("duk.canbo")

    def attach(i):
        r = officer.post(
            f"/van-ban/{doc.pk}/dinh-kem/", {"file": SimpleUploadedFile(f"tai-lieu-{i}.pdf", letter_pdf())}
        )
        assert r.status_code == 302

    one, five = grow(attach, officer, f"/van-ban/{doc.pk}/")
    assert five == one
    campaigns.issue_document(actor=None, document=Document.objects.get(pk=doc.pk))
    recipient = login("capnuoc.canbo")  # the issued letter and its five attachments, as a recipient sees them
    measured(recipient, f"/van-ban/{doc.pk}/", 6)


@pytest.fixture
def report(campaign, demo):
    return started_report(unit_registration(campaign, demo), demo)


def test_evidence_of_a_report(report, login):

    def add(i):
        reports.add_evidence(
            actor=report.registration.created_by,
            report=report,
            claim="section:done",
            upload=SimpleUploadedFile(f"minh-chung-{i}.pdf", letter_pdf()),
        )

    url = reverse("reports:edit", kwargs={"reg_pk": report.registration_id})
    one, five = grow(add, login("capnuoc.canbo"), url)
    assert five == one
