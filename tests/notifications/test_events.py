"""Each domain event reaches the right person's inbox (and nobody else's), through the hub — one test per event."""

import datetime as dt

import pytest

from sangtao.appraisals import domain as adomain
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Document
from sangtao.coverage import upward
from sangtao.notifications.models import Notification
from sangtao.notifications.testing import assert_not_notified, assert_notified
from sangtao.registrations import domain as rdomain
from sangtao.reports import domain as pdomain
from tests.conftest import make_user
from tests.registrations.conftest import draft
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2023, 3, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def submitted(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], title="Hóa đơn điện tử cho khách hàng cấp nước")
    return rdomain.submit(actor=users["capnuoc.canbo"], registration=reg, now=NOON)


def test_registration_submitted_tells_the_receiving_level(submitted, users):
    assert_notified(
        users["duk.canbo"], "registration.submitted", contains="Hóa đơn điện tử", url=f"/dang-ky/{submitted.pk}/"
    )
    assert_not_notified(users["capnuoc.canbo"], "registration.submitted")  # the writer is not told of his own act


def test_registration_returned_tells_the_unit_with_the_reason(submitted, users):
    rdomain.return_(actor=users["duk.canbo"], registration=submitted, reason="Chỉ tiêu chưa đo được.")
    assert_notified(users["capnuoc.canbo"], "registration.returned", contains="Chỉ tiêu chưa đo được.")
    reg = rdomain.submit(actor=users["capnuoc.canbo"], registration=submitted, now=NOON + dt.timedelta(days=1))

    assert Notification.objects.filter(user=users["duk.canbo"], event="registration.submitted").count() == 2
    assert reg.state == "submitted"


def test_registration_accepted_tells_the_unit(submitted, users):
    rdomain.accept(actor=users["duk.canbo"], registration=submitted)
    assert_notified(users["capnuoc.canbo"], "registration.accepted", contains="Hóa đơn điện tử")


@pytest.fixture
def report(accepted, users):
    rep = fill(pdomain.start_report(actor=users["capnuoc.canbo"], registration=accepted), users["capnuoc.canbo"])
    return pdomain.submit(actor=users["capnuoc.canbo"], report=rep, now=NOON + dt.timedelta(days=100))


def test_report_submitted_tells_the_receiving_level(report, users):
    assert_notified(users["duk.canbo"], "report.submitted", url=f"/bao-cao-ket-qua/{report.pk}/")
    assert_not_notified(users["capnuoc.canbo"], "report.submitted")


def test_report_returned_and_accepted_tell_the_unit(report, users):
    rep = pdomain.return_(actor=users["duk.canbo"], report=report, reason="Thiếu biên bản nghiệm thu.")
    assert_notified(users["capnuoc.canbo"], "report.returned", contains="Thiếu biên bản nghiệm thu.")
    rep = pdomain.submit(actor=users["capnuoc.canbo"], report=rep, now=NOON + dt.timedelta(days=101))
    pdomain.accept(actor=users["duk.canbo"], report=rep)
    assert_notified(users["capnuoc.canbo"], "report.accepted")


def test_letter_received_tells_the_receiving_levels(campaign, demo, users):
    letter = cdomain.draft_cascade_letter(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    letter = cdomain.issue_document(actor=users["duk.canbo"], document=letter)
    assert_notified(users["capnuoc.canbo"], "letter.received", contains=letter.reference, url="/van-ban-den/")
    assert_not_notified(users["lacduong.canbo"], "letter.received")  # not a recipient


def test_upward_report_received_returned_accepted(campaign, demo, users):
    clerk = users["capnuoc.canbo"]
    draft = upward.draft_report(actor=clerk, campaign=campaign, org=demo["DUK-CTN"], signer_name="Trần Thị Bích")
    rep = upward.submit(actor=clerk, document=draft)
    assert_notified(users["duk.canbo"], "upward.received", url=f"/bao-cao-tong-hop/{rep.pk}/")
    assert_not_notified(users["duk.canbo"], "letter.received")  # one notice for one event
    upward.decide(actor=users["duk.canbo"], report=rep, accept=False, reason="Số liệu chưa chốt.")
    assert_notified(users["capnuoc.canbo"], "upward.returned", contains="Số liệu chưa chốt.")
    draft = upward.draft_report(actor=clerk, campaign=campaign, org=demo["DUK-CTN"], signer_name="Trần Thị Bích")
    again = upward.submit(actor=clerk, document=draft)
    upward.decide(actor=users["duk.canbo"], report=again, accept=True)
    assert_notified(users["capnuoc.canbo"], "upward.accepted")


def _council(accepted, users, demo):

    second = make_user("duk.thamdinh2", "appraiser", demo["LD-DUK"])
    ap = adomain.open_appraisal(
        actor=users["duk.canbo"],
        registration=accepted,
        members=[users["duk.thamdinh"], second],
        chair=users["duk.thamdinh"],
    )
    return ap, second


def test_appraisal_assigned_tells_each_member(accepted, users, demo):
    ap, second = _council(accepted, users, demo)
    for member in (users["duk.thamdinh"], second):
        assert_notified(member, "appraisal.assigned", contains="cấp nước", url=f"/tham-dinh/{ap.pk}/")
    assert_not_notified(users["capnuoc.canbo"], "appraisal.assigned")


def test_all_sheets_in_tells_the_chair(accepted, users, demo):
    ap, second = _council(accepted, users, demo)
    raw = dict.fromkeys(("TC1", "TC2", "TC3", "TC4"), ("1", "Có số liệu cụ thể, kết quả rõ ràng."))
    adomain.save_sheet(actor=users["duk.thamdinh"], appraisal=ap, raw=raw, submit=True)
    assert_not_notified(users["duk.thamdinh"], "appraisal.sheets_in")  # one sheet still out
    adomain.save_sheet(actor=second, appraisal=ap, raw=raw, submit=True)
    assert_notified(users["duk.thamdinh"], "appraisal.sheets_in", url=f"/tham-dinh/{ap.pk}/")
    assert_not_notified(second, "appraisal.sheets_in")


def test_reappraisal_tells_the_level_whose_result_is_reexamined_and_the_new_council(accepted, users, demo):

    ap = adomain.open_appraisal(
        actor=users["duk.canbo"], registration=accepted, members=[users["duk.thamdinh"]], chair=users["duk.thamdinh"]
    )
    raw = dict.fromkeys(("TC1", "TC2", "TC3", "TC4"), ("1", "Có số liệu cụ thể, kết quả rõ ràng."))
    adomain.save_sheet(actor=users["duk.thamdinh"], appraisal=ap, raw=raw, submit=True)
    adomain.sign_off(actor=users["duk.thamdinh"], appraisal=ap)
    province = make_user("tinh.thamdinh", "appraiser", demo["LD"])
    new = adomain.reappraise(
        actor=users["btctu.quantri"],
        appraisal=ap,
        org=demo["LD"],
        reason="Điểm tính mới chưa thỏa đáng.",
        members=[province],
        chair=province,
    )
    assert_notified(users["duk.canbo"], "reappraisal.requested", contains="Điểm tính mới chưa thỏa đáng.")
    assert_notified(province, "appraisal.assigned", url=f"/tham-dinh/{new.pk}/")
    assert_not_notified(users["capnuoc.canbo"], "reappraisal.requested")  # the unit learns the outcome at publication


def test_letter_awaiting_its_signers_token_tells_the_issuers_officers_not_the_recipients(campaign, demo, users):

    letter = cdomain.draft_cascade_letter(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    Document.objects.filter(pk=letter.pk).update(token_signing=True)
    letter = cdomain.issue_document(actor=users["duk.canbo"], document=Document.objects.get(pk=letter.pk))
    assert_notified(
        users["duk.canbo"], "document.awaiting_signature", contains=letter.signer_name, url=f"/van-ban/{letter.pk}/"
    )
    assert_not_notified(users["capnuoc.canbo"], "document.awaiting_signature")
    assert_not_notified(users["capnuoc.canbo"], "letter.received")  # nothing goes out before the signature
