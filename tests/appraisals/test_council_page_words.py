"""What a council member reads on the appraisal pages (a walkthrough as duk.thamdinh): the council's table names
each criterion, not only its code; the rubric's version in words; the member picker shows who each candidate is
(name, position, organization), never a login name; the pages address the user as “đồng chí”; times read
dd/mm/yyyy HH:MM without seconds."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sangtao.appraisals.models import Appraisal
from sangtao.orgs.models import Person
from tests.appraisals.conftest import accepted, appraise_alone, score

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}


def _model(campaign, demo, users, title="Hóa đơn điện tử"):
    return accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], title)


def _plain(username):
    """A client that does not confirm for the user: it sees the preview of an irreversible act."""
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def _detail(client, ap):
    r = client.get(reverse("appraisals:detail", kwargs={"pk": ap.pk}))
    assert r.status_code == 200
    return r.content.decode()


def _council_table(body):
    return body.split('<table class="compact council">', 1)[1].split("</table>", 1)[0]


def test_council_table_names_each_criterion(campaign, demo, users, login):
    ap = appraise_alone(_model(campaign, demo, users), users["duk.thamdinh"], MARKS)
    body = _detail(login("duk.thamdinh"), ap)
    table = _council_table(body)
    for c in ap.rubric.rules.criteria:
        assert f"{c.code}. {c.label}" in table, c.code


def test_chair_picks_the_criterion_of_a_consensus_by_its_name(campaign, demo, users, login):
    reg = _model(campaign, demo, users)
    chair = users["duk.thamdinh"]
    c = login("duk.canbo")
    c.post(reverse("appraisals:open", kwargs={"reg_pk": reg.pk}), {"members": [chair.pk], "chair": chair.pk})
    ap = Appraisal.objects.get(registration=reg)
    score(ap, chair, MARKS)
    a = login("duk.thamdinh")
    body = _detail(a, ap)
    tc2 = next(x for x in ap.rubric.rules.criteria if x.code == "TC2")
    assert f'<option value="TC2">TC2. {tc2.label}</option>' in body
    # the consensus is recorded by code, as before
    reason = "Hội đồng thống nhất: số liệu ngân hàng xác nhận 81% khách hàng."
    a.post(reverse("appraisals:consensus", kwargs={"pk": ap.pk}), {"code": "TC2", "score": "3,5", "reason": reason})
    assert reason in _council_table(_detail(a, ap))
    # the sign-off preview names the criteria too
    preview = _plain("duk.thamdinh").post(reverse("appraisals:sign", kwargs={"pk": ap.pk})).content.decode()
    assert f"TC2. {tc2.label}" in preview


def test_submit_preview_names_each_criterion_and_says_dong_chi(campaign, demo, users, login):
    reg = _model(campaign, demo, users)
    chair = users["duk.thamdinh"]
    login("duk.canbo").post(
        reverse("appraisals:open", kwargs={"reg_pk": reg.pk}), {"members": [chair.pk], "chair": chair.pk}
    )
    ap = Appraisal.objects.get(registration=reg)
    a = login("duk.thamdinh")
    form = _detail(a, ap)
    assert "Đồng chí chỉ xem được điểm của các thành viên khác" in form
    assert not re.search(r"\b[Bb]ạn\b", form)
    posted = {"submit": "1"}
    for code, value in MARKS.items():
        posted |= {f"score_{code}": value, f"note_{code}": f"Căn cứ chấm {code}: đối chiếu minh chứng."}
    preview = _plain("duk.thamdinh").post(reverse("appraisals:sheet", kwargs={"pk": ap.pk}), posted).content.decode()
    tc1 = ap.rubric.rules.criteria[0]
    assert f"{tc1.code}. {tc1.label} (2/2)" in preview
    assert "điểm của đồng chí sau khi nộp phiếu của họ" in preview and "anh/chị" not in preview


def test_rubric_version_reads_in_words(campaign, demo, users, login):
    ap = appraise_alone(_model(campaign, demo, users), users["duk.thamdinh"], MARKS)
    body = _detail(login("duk.thamdinh"), ap)
    assert f"{ap.rubric.name} (phiên bản {ap.rubric.version})" in body
    assert f"(v{ap.rubric.version})" not in body
    admin = login("btctu.quantri")
    rubrics = admin.get(reverse("appraisals:rubrics")).content.decode()
    assert "phiên bản 1" in rubrics and ">v1<" not in rubrics
    chosen = admin.get(reverse("appraisals:campaign_rubrics", kwargs={"code": campaign.code})).content.decode()
    assert f"{ap.rubric.name} (phiên bản 1)</option>" in chosen and "(v1)" not in chosen


def test_member_picker_shows_name_position_and_organization_not_login(campaign, demo, users, login, second_appraiser):
    cadre = Person.objects.get(code="DV-0050")  # Lý Văn Khánh, Bí thư Đảng ủy, Giám đốc Công ty (DUK-LNBL)
    cadre.user = second_appraiser
    cadre.save()
    reg = _model(campaign, demo, users)
    body = login("duk.canbo").get(reverse("appraisals:open", kwargs={"reg_pk": reg.pk})).content.decode()
    assert "duk.thamdinh" not in body  # neither login name, in the boxes nor in the chair's list
    assert f'Trương Văn Hải <small class="muted">— Thành viên thẩm định, {demo["LD-DUK"].name}</small>' in body
    line = f"Lý Văn Khánh — {cadre.position}, {cadre.org.name}"
    assert f"{line}</option>" in body and "Lý Văn Khánh <small" in body


def test_times_read_day_first_without_seconds(campaign, demo, users, login):
    ap = appraise_alone(_model(campaign, demo, users), users["duk.thamdinh"], MARKS)
    at = dt.datetime(2023, 4, 5, 1, 41, 23, tzinfo=dt.UTC)  # 08:41:23 in Hà Nội
    Appraisal.objects.filter(pk=ap.pk).update(signed_at=at)
    ap.sheets.update(submitted_at=at)
    body = _detail(login("duk.thamdinh"), ap)
    assert "đồng chí Trương Văn Hải ký duyệt lúc 05/04/2023 08:41" in body
    assert "Đồng chí đã nộp phiếu lúc 05/04/2023 08:41." in body
    assert "08:41:23" not in body and "08:41 05/04/2023" not in body
    assert not re.search(r"\b[Bb]ạn\b", body)
