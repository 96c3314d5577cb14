"""The report screens through HTTP: list (no N+1), writing and the outline editor."""

import datetime as dt

import pytest
from django.urls import reverse

from sangtao.registrations import domain as rdomain
from sangtao.reports import domain
from sangtao.reports.models import Outline
from tests.registrations.conftest import draft
from tests.reports.conftest import fill
from tests.support import counted_get

pytestmark = pytest.mark.django_db


def _accepted_with_report(campaign, demo, users, n, submit=True):
    officer, bloc = users["capnuoc.canbo"], users["duk.canbo"]
    for i in range(n):
        reg = draft(campaign, demo["DUK-CTN"], officer, title=f"Mô hình số {i} về cấp nước an toàn")
        reg = rdomain.accept(
            actor=bloc,
            registration=rdomain.submit(actor=officer, registration=reg, now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC)),
        )
        rep = fill(domain.start_report(actor=officer, registration=reg), officer)
        if submit and i % 2 == 0:
            domain.submit(actor=officer, report=rep, now=dt.datetime(2023, 10, 1, tzinfo=dt.UTC))


def test_list_has_no_n_plus_1(campaign, demo, users, login):
    url = reverse("reports:list", kwargs={"code": campaign.code})
    _accepted_with_report(campaign, demo, users, 2)
    for who in ("duk.canbo", "capnuoc.canbo", "duk.thamdinh"):
        few, _r = counted_get(login(who), url)
        assert few < 20
    c = login("duk.thamdinh")
    few, _r = counted_get(c, url)
    _accepted_with_report(campaign, demo, users, 10)
    many, r = counted_get(c, url)
    assert many == few, (few, many)
    body = r.content.decode()
    assert body.count("Đã gửi") >= 6 and "chưa gửi" in body  # drafts show as not yet sent to the appraiser


def test_list_filters(campaign, demo, users, login):
    _accepted_with_report(campaign, demo, users, 4)
    c = login("duk.canbo")
    url = reverse("reports:list", kwargs={"code": campaign.code})
    r = c.get(url, {"status": "submitted"})
    assert r.content.decode().count("Mô hình số") == 2
    r = c.get(url, {"status": "draft", "q": "so 1"})
    assert "Mô hình số 1" in r.content.decode() and "Mô hình số 0" not in r.content.decode()


def test_write_and_submit_through_http(campaign, demo, users, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = users["capnuoc.canbo"]
    reg = draft(campaign, demo["DUK-CTN"], officer)
    reg = rdomain.accept(
        actor=users["duk.canbo"],
        registration=rdomain.submit(actor=officer, registration=reg, now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC)),
    )
    c = login("capnuoc.canbo")
    assert c.get(reverse("reports:for_registration", kwargs={"reg_pk": reg.pk}))["Location"] == reverse(
        "reports:edit", kwargs={"reg_pk": reg.pk}
    )
    r = c.get(reverse("reports:edit", kwargs={"reg_pk": reg.pk}))
    assert "Kết quả theo từng chỉ tiêu đã đăng ký" in r.content.decode()
    ind = reg.indicators.first()
    r = c.post(reverse("reports:edit", kwargs={"reg_pk": reg.pk}), {"s_done": "Ngắn.", "submit": "1"})
    assert r.status_code == 302  # saved as a draft, submission refused with what is missing
    r = c.get(r["Location"])
    body = r.content.decode()
    assert "Chưa gửi được: còn thiếu" in body and f"giá trị đạt được của chỉ tiêu “{ind.name}”" in body
    rep = reg.report
    data = {
        "s_done": "d" * 100,
        "s_novelty": "n" * 100,
        "s_reviews": "r" * 60,
        f"a_{ind.pk}": "88,5",
        "version": rep.version,
        "submit": "1",
    }
    r = c.post(reverse("reports:edit", kwargs={"reg_pk": reg.pk}), data)
    rep.refresh_from_db()
    assert rep.state == "submitted" and r["Location"] == reverse("reports:detail", kwargs={"pk": rep.pk})
    page = login("duk.canbo").get(r["Location"]).content.decode()
    assert "88,5" in page and "98,3%" in page and "Trả lại" in page  # 88,5 of 90 %
    r = login("duk.canbo").post(reverse("reports:action", kwargs={"pk": rep.pk, "action": "return"}), {"reason": ""})
    rep.refresh_from_db()
    assert rep.state == "submitted"
    login("duk.canbo").post(
        reverse("reports:action", kwargs={"pk": rep.pk, "action": "return"}), {"reason": "Thiếu minh chứng"}
    )
    rep.refresh_from_db()
    assert rep.state == "returned" and rep.return_reason == "Thiếu minh chứng"
    # The writer cannot accept their own report; an outsider cannot act at all.
    assert c.post(reverse("reports:action", kwargs={"pk": rep.pk, "action": "accept"})).status_code == 403


def test_outline_editor(campaign, login, users):
    url = reverse("reports:outline", kwargs={"code": campaign.code})
    assert login("duk.canbo").get(url).status_code == 403  # only the province board edits the outline
    c = login("btctu.quantri")
    r = c.get(url)
    assert r.status_code == 200 and "Sơ kết, tổng kết" in r.content.decode()
    sections = domain.outline_for(campaign).sections
    data = {"s-TOTAL_FORMS": len(sections) + 1, "s-INITIAL_FORMS": len(sections)}
    for i, s in enumerate(sections):
        data.update(
            {
                f"s-{i}-key": s["key"],
                f"s-{i}-title": s["title"],
                f"s-{i}-guidance": s["guidance"],
                f"s-{i}-min_chars": s["min_chars"],
            }
            | ({f"s-{i}-required": "on"} if s["required"] else {})
        )
    n = len(sections)
    data.update({f"s-{n}-title": "Ứng dụng chuyển đổi số", f"s-{n}-required": "on", f"s-{n}-min_chars": "20"})
    r = c.post(url, data)
    assert r.status_code == 302

    new = Outline.objects.get(campaign=campaign).sections[-1]
    assert new == {
        "key": "ung_dung_chuyen_doi_so",
        "title": "Ứng dụng chuyển đổi số",
        "guidance": "",
        "required": True,
        "min_chars": 20,
    }
