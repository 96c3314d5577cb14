"""Issue 16: an irreversible act — submitting a score sheet, signing off, publishing — is shown as a preview of
what will go out and is done only once the person confirms. The plain test client sends no confirmation."""

import pytest
from django.test import Client
from django.urls import reverse

from sangtao.appraisals import domain
from sangtao.appraisals.models import Appraisal, ScoreSheet
from tests.appraisals.conftest import accepted, appraise_alone, score

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "1,75", "TC2": "3", "TC3": "1,75", "TC4": "1"}  # 7,5 Khá


def person(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def reg(campaign, demo, users):
    return accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")


def test_a_score_sheet_is_previewed_before_it_is_sent(reg, users):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(actor=chair, registration=reg, members=[chair], chair=chair)
    c = person(chair)
    data = {"submit": "1"}
    for code, value in MARKS.items():
        data |= {f"score_{code}": value, f"note_{code}": f"Căn cứ {code}: số liệu đối chiếu với minh chứng."}
    page = c.post(reverse("appraisals:sheet", kwargs={"pk": ap.pk}), data)
    body = page.content.decode()
    assert page.status_code == 200 and "7,5 — Khá" in body and "Căn cứ TC2: số liệu đối chiếu" in body
    assert 'name="xac_nhan" value="1"' in body and 'name="score_TC2" value="3"' in body  # carries what was typed
    assert not ScoreSheet.objects.filter(appraisal=ap, submitted_at__isnull=False).exists()
    done = c.post(reverse("appraisals:sheet", kwargs={"pk": ap.pk}), {**data, "xac_nhan": "1"})
    assert done.status_code == 302
    assert ScoreSheet.objects.filter(appraisal=ap, submitted_at__isnull=False).count() == 1


def test_an_incomplete_sheet_goes_back_to_the_sheet_not_to_a_preview(reg, users):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(actor=chair, registration=reg, members=[chair], chair=chair)
    page = person(chair).post(reverse("appraisals:sheet", kwargs={"pk": ap.pk}), {"submit": "1", "score_TC1": "1,5"})
    body = page.content.decode()
    assert "Chưa chấm TC2" in body and 'name="xac_nhan"' not in body


def test_sign_off_is_previewed_and_refused_while_sheets_are_missing(reg, users, second_appraiser):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(actor=chair, registration=reg, members=[chair, second_appraiser], chair=chair)
    score(ap, chair, MARKS)
    c = person(chair)
    url = reverse("appraisals:sign", kwargs={"pk": ap.pk})
    body = c.post(url).content.decode()
    assert "Còn chờ phiếu chấm của" in body and "Xác nhận" not in body
    score(ap, second_appraiser, MARKS)
    body = c.post(url).content.decode()
    assert "7,5 — Khá" in body and "Xác nhận: Ký duyệt" in body
    assert Appraisal.objects.get(pk=ap.pk).state == Appraisal.State.SCORING
    assert c.post(url, {"xac_nhan": "1"}).status_code == 302
    assert Appraisal.objects.get(pk=ap.pk).state == Appraisal.State.SIGNED


def test_publication_lists_what_goes_out_before_it_does(reg, campaign, demo, users):
    ap = appraise_alone(reg, users["duk.thamdinh"], MARKS)
    c = person(users["duk.canbo"])
    url = reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    body = c.post(url).content.decode()
    assert "Hóa đơn điện tử — 7,5 điểm, Khá" in body and "1 kết quả đã ký duyệt" in body
    assert Appraisal.objects.get(pk=ap.pk).state == Appraisal.State.SIGNED
    assert c.post(url, {"xac_nhan": "1"}).status_code == 302
    assert Appraisal.objects.get(pk=ap.pk).state == Appraisal.State.PUBLISHED
    # Nothing left: the preview says so and offers no button.
    body = c.post(url).content.decode()
    assert "Không có kết quả nào" in body and "Xác nhận" not in body
