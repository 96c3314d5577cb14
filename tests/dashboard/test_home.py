"""Home is my work: each demo role sees what needs them now, most urgent first, each with its deadline and one
click that opens a page they may use; an empty list says what comes next; the page's queries do not grow with
the number of items."""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Campaign
from sangtao.coverage import upward
from sangtao.orgs.models import Organization
from sangtao.registrations import domain as rdomain
from sangtao.registrations.models import Registration

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TASK = re.compile(
    r'<li class="task[^"]*" data-kind="([a-z_]+)">.*?<strong>([^<]+)</strong>.*?'
    r'(?:<span class="deadline">Hạn (\d\d/\d\d/\d{4})</span>.*?)?<a role="button" class="task-act" '
    r'href="([^"]+)">',
    re.DOTALL,
)


def tasks(client):
    html = client.get("/").content.decode()
    return [(k, t, d, u.replace("&amp;", "&")) for k, t, d, u in TASK.findall(html)], html


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("nguyenvanan", {"draft"}),
        ("capnuoc.canbo", {"report_due", "missing"}),
        ("duk.canbo", {"register", "publish", "letter", "missing"}),
        ("lacduong.canbo", {"register", "letter", "missing"}),
        ("btctu.quantri", {"receive_registrations", "receive_reports", "missing"}),
    ],
)
def test_each_role_sees_its_work_and_every_button_opens(full_demo, login, username, expected):
    c = login(username)
    found, _html = tasks(c)
    assert {k for k, *_ in found} == expected, found
    for kind, title, _deadline, url in found:
        r = c.get(url, follow=True)
        assert r.status_code == 200, (kind, title, url, r.status_code)


def test_most_urgent_first_with_deadlines(full_demo, login):
    found, _html = tasks(login("duk.canbo"))
    days = [d for _k, _t, d, _u in found if d]
    assert days == sorted(days, key=lambda d: d[6:] + d[3:5] + d[:2]) and days
    register = next(t for t in found if t[0] == "register")
    assert register[2] == "24/03/2027"  # the province's deadline applies to the bloc itself
    assert "?to_chuc=" in register[3]
    missing = next(t for t in found if t[0] == "missing")
    assert missing[2] == "15/03/2027"  # the bloc's own deadline for its units


def test_individual_registers_own_model_from_home(full_demo, login):
    Registration.objects.filter(person__code="DV-0020").delete()
    found, _ = tasks(login("nguyenvanan"))
    assert [k for k, *_ in found] == ["register_own"]
    page = login("nguyenvanan").get(found[0][3])
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()


def test_appraiser_is_led_to_sheet_then_chair_to_sign(full_demo, login):
    reg = Registration.objects.get(subject_org__code="DUK-CTN", person=None)
    ap = adomain.open_appraisal(
        actor=full_demo["duk.canbo"],
        registration=reg,
        members=[full_demo["duk.thamdinh"]],
        chair=full_demo["duk.thamdinh"],
    )
    found, _ = tasks(login("duk.thamdinh"))
    assert [(k, u) for k, _t, _d, u in found] == [("score", f"/tham-dinh/{ap.pk}/")]
    adomain.save_sheet(
        actor=full_demo["duk.thamdinh"],
        appraisal=ap,
        submit=True,
        raw=dict.fromkeys(("TC1", "TC2", "TC3", "TC4"), ("1", "Có số liệu cụ thể, kết quả rõ ràng.")),
    )
    found, _ = tasks(login("duk.thamdinh"))
    assert [k for k, *_ in found] == ["chair"]


def test_empty_list_says_what_comes_next(full_demo, login):
    found, html = tasks(login("tinhuy.lanhdao"))
    assert found == []
    assert "Hiện không có việc nào cần anh/chị" in html and "15/11/2027 — Hạn báo cáo kết quả" in html
    Campaign.objects.update(status=Campaign.Status.CLOSED)
    html = login("tinhuy.lanhdao").get("/").content.decode()
    assert "Chưa có đợt đăng ký nào đang mở" in html


def _submit_more(full_demo, n):
    campaign = Campaign.objects.get(code="DK-2027")
    for i, org in enumerate(
        Organization.objects.filter(code__in=["DUK-AGR", "DUK-LNBL", "DUK-LDP", "DUK-DLV", "LDG-UB"])[:n]
    ):
        reg = rdomain.save_draft(
            actor=full_demo["btctu.quantri"],
            campaign=campaign,
            subject_org=org,
            title=f"Mô hình thử số {i} về số hóa",
            content_areas=["leadership"],
            fields=["kinh_te"],
            novelty="Điểm mới rõ ràng của mô hình.",
            method="Cách làm cụ thể, phân công rõ.",
            indicators=[{"name": "Tỷ lệ", "unit": "%", "baseline": Decimal(1), "target": Decimal(2)}],
        )
        rdomain.submit(actor=full_demo["btctu.quantri"], registration=reg)


def test_queries_do_not_grow_with_items(full_demo, login):
    c = login("duk.canbo")
    _submit_more(full_demo, 1)
    c.get("/")  # coverage figures brought up to date (their own cost, not the home page's)
    with CaptureQueriesContext(connection) as one:
        c.get("/")
    _submit_more(full_demo, 5)
    c.get("/")
    with CaptureQueriesContext(connection) as many:
        found, _ = tasks(c)
    assert any(k == "receive_registrations" for k, *_ in found)
    assert len(many.captured_queries) <= len(one.captured_queries), [q["sql"][:120] for q in many.captured_queries]
    assert len(one.captured_queries) <= 40


def test_upward_report_due_after_the_units_deadline_then_received_above(full_demo, login):

    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=HCM), tick=False):
        assert "upward_due" not in {k for k, *_ in tasks(login("capnuoc.canbo"))[0]}  # units may still register
    with time_machine.travel(dt.datetime(2027, 3, 16, 9, 0, tzinfo=HCM), tick=False):
        found, _ = tasks(login("capnuoc.canbo"))
        due = next(t for t in found if t[0] == "upward_due")
        assert due[2] == "15/11/2027" and login("capnuoc.canbo").get(due[3]).status_code == 200
        draft = upward.draft_report(
            actor=full_demo["capnuoc.canbo"],
            campaign=Campaign.objects.get(code="DK-2027"),
            org=Organization.objects.get(code="DUK-CTN"),
            signer_name="Trần Thị Bích",
        )
        rep = upward.submit(actor=full_demo["capnuoc.canbo"], document=draft)
        assert "upward_due" not in {k for k, *_ in tasks(login("capnuoc.canbo"))[0]}
        received = [t for t in tasks(login("duk.canbo"))[0] if t[0] == "upward_receive"]
        assert [u for *_, u in received] == [f"/bao-cao-tong-hop/{rep.pk}/"]


def test_a_leader_who_only_reads_finds_the_figures_from_home(full_demo, login):
    """A leader has no task, but the coverage page of his level is one click from home — and it opens; an individual
    cadre, who reads no level's figures, gets no such link."""
    leader = login("tinhuy.lanhdao")
    html = leader.get("/").content.decode()
    campaign = Campaign.objects.get(code="DK-2027")
    url = f"/dot/{campaign.code}/tong-hop/{campaign.root_id}/"
    assert "Số liệu tổng hợp" in html and f'href="{url}"' in html
    assert leader.get(url).status_code == 200
    assert "Số liệu tổng hợp" not in login("nguyenvanan").get("/").content.decode()


def test_home_counts_the_units_the_coverage_page_lists(full_demo, login):
    """The home task "n đơn vị thuộc … chưa đăng ký" leads to the coverage page: its n is the page's list — the
    units below the level, never the level itself (rules V11)."""
    c = login("duk.canbo")
    found, _html = tasks(c)
    _kind, title, _deadline, url = next(t for t in found if t[0] == "missing")
    page = c.get(url).content.decode()
    heading = page[page.index("<h2>Đơn vị chưa đăng ký") :]
    listed = int(re.search(r"\((\d+) đơn vị", heading[: heading.index("</h2>")]).group(1))
    assert title.startswith(f"{listed} đơn vị thuộc "), (title, listed)
