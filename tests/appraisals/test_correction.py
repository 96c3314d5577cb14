"""Issue 15, item 16: a published result never changes silently. Ticking a bonus after publication moved a unit
from 7,75 Khá to 8,25 Tốt, still marked published, contradicting the upward report already sent. Now the
bonus is refused after publication except through a correction — a reason, a new version (the old figures
kept), another appraiser's sign-off, publication again, the unit told — and the upward report keeps its
frozen figures while saying they have changed since."""

import pytest
from django.urls import reverse

from sangtao.appraisals.models import BonusJudgement, IndividualAppraisal, ResultCorrection
from sangtao.coverage import upward
from sangtao.notifications.models import Notification
from sangtao.orgs.models import Person, Role, RoleAssignment
from tests.appraisals.conftest import accepted, appraise_alone, commended

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,75", "TC4": "1"}  # 7,75 Khá; with TH_A (+0,5) 8,25 Tốt
JUSTIFICATION = "Lãnh đạo tháo gỡ kịp thời khó khăn về vốn cho dự án."
REASON = "Bỏ sót biên bản tháo gỡ vướng mắc ngày 12/6 khi chấm điểm thưởng."


@pytest.fixture
def published(campaign, demo, users, login, second_appraiser):
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    appraise_alone(reg, users["duk.thamdinh"], MARKS)
    r = login("duk.canbo").post(
        reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    )
    assert r.status_code == 302
    draft = upward.draft_report(
        actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"], signer_name="Lương Thị Mai"
    )
    rep = upward.submit(actor=users["duk.canbo"], document=draft)
    return reg, rep


def _result(client, campaign):
    return client.get(reverse("appraisals:results", kwargs={"code": campaign.code})).content.decode()


def _post(client, name, data=None, **kwargs):
    return client.post(reverse(name, kwargs=kwargs), data or {}, follow=True)


def test_the_unit_is_told_when_its_result_is_published(published, users):
    reg, _rep = published
    told = Notification.objects.filter(user=users["capnuoc.canbo"], event="appraisal.published")
    assert told.count() == 1 and "7,75 điểm, Khá" in told.get().body and reg.title in told.get().subject


def test_a_bonus_after_publication_is_refused_outside_a_correction(published, campaign, demo, login):
    r = _post(
        login("duk.thamdinh"),
        "appraisals:bonus",
        {"org": demo["DUK-CTN"].pk, "code": "TH_A", "granted": "1", "justification": JUSTIFICATION},
        code=campaign.code,
    )
    assert "phải qua đính chính" in r.content.decode()
    assert not BonusJudgement.objects.filter(granted=True).exists()
    body = _result(login("capnuoc.canbo"), campaign)
    assert "7,75" in body and "8,25" not in body


def test_a_correction_is_a_new_version_signed_and_published_again_and_the_unit_is_told(
    published, campaign, demo, users, login
):
    _reg, rep = published
    appraiser, unit, officer = login("duk.thamdinh"), login("capnuoc.canbo"), login("duk.canbo")
    page = reverse("coverage:upward", kwargs={"pk": rep.pk})
    assert "Số liệu đã thay đổi sau khi gửi" not in officer.get(page).content.decode()
    data = {"org": demo["DUK-CTN"].pk, "code": "TH_A", "granted": "1", "justification": JUSTIFICATION}
    r = _post(appraiser, "appraisals:correction_new", data, code=campaign.code)
    assert "Ghi lý do đính chính" in r.content.decode() and not ResultCorrection.objects.exists()  # a reason first
    _post(appraiser, "appraisals:correction_new", {**data, "reason": REASON}, code=campaign.code)
    c = ResultCorrection.objects.get()
    assert (c.number, c.state) == (2, "proposed")
    assert (c.before["result"], c.before["class"], c.after["result"], c.after["class"]) == (
        "7.75",
        "Khá",
        "8.25",
        "Tốt",
    )
    # Nothing the unit sees has changed, and it does not see the pending correction.
    body = _result(unit, campaign)
    assert "7,75" in body and "8,25" not in body and REASON not in body
    assert "8,25" in _result(officer, campaign)  # the level sees it, with what it would become
    # The proposer does not sign his own correction; the officer cannot publish it before sign-off.
    assert "không tự ký duyệt" in _post(appraiser, "appraisals:correction_sign", pk=c.pk).content.decode()
    _post(officer, "appraisals:correction_publish", pk=c.pk)
    assert ResultCorrection.objects.get().state == "proposed" and "8,25" not in _result(unit, campaign)
    _post(login("duk.thamdinh2"), "appraisals:correction_sign", pk=c.pk)
    assert ResultCorrection.objects.get().state == "signed" and "8,25" not in _result(unit, campaign)
    _post(officer, "appraisals:correction_publish", pk=c.pk)
    c.refresh_from_db()
    assert c.state == "published" and c.before["result"] == "7.75"  # the old version is kept
    body = _result(unit, campaign)
    assert "8,25" in body and "Tốt" in body and REASON in body and "phiên bản 2" in body
    told = Notification.objects.get(user=users["capnuoc.canbo"], event="appraisal.corrected")
    assert "7,75 điểm, Khá" in told.body and "8,25 điểm, Tốt" in told.body and REASON in told.body
    judgement = BonusJudgement.objects.get(subject_org=demo["DUK-CTN"], code="TH_A")
    assert judgement.granted and judgement.history.count() == 1
    # The upward report keeps its frozen figures and says they have changed since.
    text = officer.get(page).content.decode()
    assert "Số liệu đã thay đổi sau khi gửi" in text and "7,75 Khá → 8,25 Tốt" in text
    assert "Số liệu đã thay đổi sau khi gửi" in login("tinhuy.lanhdao").get(page).content.decode()
    rep.refresh_from_db()
    assert [s["result"] for s in rep.snapshot["subjects"] if s["org"] == demo["DUK-CTN"].name] == ["7.75"]


def test_nobody_of_the_unit_proposes_or_signs_a_correction_of_its_result(published, campaign, demo, login):

    both = RoleAssignment.objects.create(
        user=RoleAssignment.objects.get(user__username="duk.thamdinh2").user, org=demo["DUK-CTN"], role=Role.OFFICER
    ).user
    assert both.username == "duk.thamdinh2"
    _post(
        login("duk.thamdinh2"),
        "appraisals:correction_new",
        {"org": demo["DUK-CTN"].pk, "code": "TH_A", "granted": "1", "justification": JUSTIFICATION, "reason": REASON},
        code=campaign.code,
    )
    assert not ResultCorrection.objects.exists()


def test_a_published_result_of_an_individual_without_a_registration_is_replaced_only_with_a_reason(
    campaign, demo, users, login
):

    an = Person.objects.get(code="DV-0020")  # nguyenvanan, evaluated by the bloc
    commended(campaign, users["duk.thamdinh"], an)
    officer, appraiser, him = login("duk.canbo"), login("duk.thamdinh"), login("nguyenvanan")
    publish = reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    officer.post(publish)
    assert Notification.objects.filter(user=users["nguyenvanan"], event="appraisal.published").count() == 1
    url = reverse("appraisals:unregistered", kwargs={"code": campaign.code})
    form = {
        "person": an.pk,
        "basis": "commendation",
        "reference": "Quyết định 12/QĐ-UBND ngày 01/09/2023",
        "description": "Thành tích đột xuất trong phòng chống thiên tai",
        "score": "9,5",
    }
    assert "ghi lý do sửa" in appraiser.post(url, form).content.decode()
    assert IndividualAppraisal.objects.count() == 1
    appraiser.post(url, {**form, "reason": "Quyết định khen thưởng bổ sung thành tích cấp tỉnh."})
    assert IndividualAppraisal.objects.count() == 2  # the old version is kept
    body = _result(him, campaign)
    assert "8,75" in body and "9,5" not in body  # the published figures stand until published again
    officer.post(publish)
    body = _result(him, campaign)
    assert "9,5" in body and "8,75" not in body
    assert Notification.objects.filter(user=users["nguyenvanan"], event="appraisal.published").count() == 2
