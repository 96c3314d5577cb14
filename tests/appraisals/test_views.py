"""The appraisal screens through HTTP: the queue and results lists (no N+1), the live total, scoring with
independence, sign-off, publication, bonus judgements, the rubric editor."""

import re

import pytest
from django.urls import reverse

from sangtao.appraisals import domain
from sangtao.appraisals.demo import load_demo
from sangtao.appraisals.models import Appraisal, Rubric
from sangtao.reports.models import ReportVersion
from tests.appraisals.conftest import accepted, appraise_alone, score
from tests.support import counted_get

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}


def _models(campaign, demo, users, n, start=0):
    regs = []
    for i in range(start, start + n):
        reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], f"Mô hình số {i}")
        if i % 2 == 0:
            appraise_alone(reg, users["duk.thamdinh"], MARKS)
        regs.append(reg)
    return regs


@pytest.mark.parametrize("name", ["appraisals:queue", "appraisals:results", "appraisals:quality"])
def test_lists_have_no_n_plus_1(campaign, demo, users, login, name):
    url = reverse(name, kwargs={"code": campaign.code})
    _models(campaign, demo, users, 2)
    c = login("duk.canbo")
    counted_get(c, url)  # the first visit links the campaign to its default rubrics
    few, _r = counted_get(c, url)
    _models(campaign, demo, users, 8, start=2)
    many, _r = counted_get(c, url)
    assert many == few, (name, few, many)


def test_unit_sees_its_result_only_once_published(campaign, demo, users, login):
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    ap = appraise_alone(reg, users["duk.thamdinh"], MARKS)  # 7,5 Khá
    unit = login("capnuoc.canbo")
    url = reverse("appraisals:results", kwargs={"code": campaign.code})
    body = unit.get(url).content.decode()
    assert "Chờ cấp thẩm định công bố." in body and "7,5" not in body
    assert unit.get(reverse("appraisals:detail", kwargs={"pk": ap.pk})).status_code == 404
    bloc = login("duk.canbo")
    assert "7,5" in bloc.get(url).content.decode()
    assert (
        unit.post(
            reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
        ).status_code
        == 403
    )
    r = bloc.post(reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk}))
    assert r.status_code == 302
    body = unit.get(url).content.decode()
    assert "7,5" in body and "Khá" in body
    assert unit.get(reverse("appraisals:detail", kwargs={"pk": ap.pk})).status_code == 200


def test_live_total_and_scoring_through_http(campaign, demo, users, login, second_appraiser):
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    chair = users["duk.thamdinh"]
    c = login("duk.canbo")
    r = c.post(
        reverse("appraisals:open", kwargs={"reg_pk": reg.pk}),
        {"members": [chair.pk, second_appraiser.pk], "chair": chair.pk},
    )
    ap = Appraisal.objects.get(registration=reg)
    assert r["Location"] == reverse("appraisals:detail", kwargs={"pk": ap.pk})
    a, b = login("duk.thamdinh"), login("duk.thamdinh2")
    r = a.post(
        reverse("appraisals:calc", kwargs={"pk": ap.pk}),
        {"score_TC1": "1,75", "score_TC2": "3,5", "score_TC3": "1,5", "score_TC4": "1"},
    )
    assert "7,75" in r.content.decode() and "Khá" in r.content.decode()
    r = a.post(reverse("appraisals:calc", kwargs={"pk": ap.pk}), {"score_TC1": "1,1"})
    assert "bước 0,25" in r.content.decode()
    # A refused sheet comes back with everything typed.
    r = a.post(
        reverse("appraisals:sheet", kwargs={"pk": ap.pk}),
        {
            "score_TC1": "1,75",
            "note_TC1": "Ban hành nghị quyết chuyên đề, kế hoạch cụ thể.",
            "score_TC2": "9",
            "submit": "1",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "TC2: điểm phải từ 0 đến 4" in body and "Ban hành nghị quyết chuyên đề" in body
    score(ap, chair, MARKS)
    # B has not submitted: A's marks are hidden from B.
    body = b.get(reverse("appraisals:detail", kwargs={"pk": ap.pk})).content.decode()
    assert "Tổng hợp của hội đồng" not in body and "Căn cứ chấm TC1" not in body
    score(ap, second_appraiser, {"TC1": "1,5", "TC2": "3", "TC3": "1,5", "TC4": "0,5"})
    r = b.get(reverse("appraisals:detail", kwargs={"pk": ap.pk}))
    assert r.status_code == 200, r.status_code
    body = r.content.decode()
    assert "Tổng hợp của hội đồng" in body
    assert b.post(reverse("appraisals:sign", kwargs={"pk": ap.pk})).status_code == 403  # not the chair
    a.post(reverse("appraisals:sign", kwargs={"pk": ap.pk}))
    ap.refresh_from_db()
    # means 1,75 3 1,5 0,75 → 7 (Khá)
    assert (ap.state, str(ap.total), ap.classification) == ("signed", "7.00", "Khá")


def test_bonus_judgement_through_http(campaign, demo, users, login):
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    appraise_alone(reg, users["duk.thamdinh"], MARKS)
    url = reverse("appraisals:bonus", kwargs={"code": campaign.code})
    data = {
        "org": demo["DUK-CTN"].pk,
        "code": "TH_A",
        "granted": "1",
        "justification": "Tháo gỡ vướng mắc vốn kịp thời.",
    }
    login("duk.canbo").post(url, data)  # an officer is not an appraiser: refused with a message
    assert domain.subject_rows(campaign)[0].final == 7.5
    login("duk.thamdinh").post(url, data)
    assert domain.subject_rows(campaign)[0].final == 8


def test_rubric_editor(login, users):

    assert login("duk.canbo").get(reverse("appraisals:rubrics")).status_code == 403
    c = login("btctu.quantri")
    assert "Tiêu chí thẩm định mô hình của tập thể" in c.get(reverse("appraisals:rubrics")).content.decode()
    base = Rubric.objects.get(code="HD09-TT")
    url = reverse("appraisals:rubric_new", kwargs={"pk": base.pk})
    form = c.get(url).context["values"]
    assert form["bonuses"].splitlines()[1].startswith("TH_B | 0,5 | ít nhất 2 mô hình Khá |")
    bad = {**form, "bands": "Xuất sắc | 9\nĐạt | năm"}
    r = c.post(url, bad)
    assert "Xếp loại, dòng 2: “năm” không phải là số." in r.content.decode()
    assert r.context["values"]["bands"] == bad["bands"]  # what was typed stays
    r = c.post(url, {**form, "bands": form["bands"].replace("Khá | 7", "Khá | 6,5"), "name": "HD 09 sửa đổi"})
    assert r.status_code == 302
    v2 = Rubric.objects.get(code="HD09-TT", version=2)
    assert {"label": "Khá", "min": "6.5"} in v2.bands and v2.criteria == base.criteria


def test_the_rounds_of_an_appraisal_list_its_rounds_not_the_reports_versions(demo, login):
    """'Các lần thẩm định' listed the results report's versions (its context was merged over the page's), so a round
    linked to /tham-dinh/<a report version's id>/ — a 404 once ids differ (the crawl found it on PostgreSQL)."""

    load_demo()
    ap = Appraisal.objects.get()
    assert ReportVersion.objects.filter(report__registration=ap.registration).exists()  # the page merges a report
    page = login("btctu.quantri").get(reverse("appraisals:detail", kwargs={"pk": ap.pk})).content.decode()
    rounds = page[page.index("Các lần thẩm định") :]
    rounds = rounds[: rounds.index("</table>")]
    assert len(re.findall(r"<tr>", rounds)) == 1 and ap.appraising_org.name in rounds
