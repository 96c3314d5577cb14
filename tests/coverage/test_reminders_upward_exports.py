"""Reminders are idempotent and logged; upward reports freeze a snapshot; exports read back; the CLI."""

import datetime as dt
import json
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from sangtao.coverage import exports, reminders, upward
from sangtao.coverage.domain import compute
from sangtao.coverage.models import Reminder, UpwardReport
from sangtao.notifications.models import Notification
from tests.conftest import make_user
from tests.coverage.test_coverage import (
    at,
    example,  # noqa: F401  (fixture)
    reg,
)

pytestmark = pytest.mark.django_db


def test_reminders_before_and_after_the_deadline_are_sent_once(
    example, demo, users, django_capture_on_commit_callbacks
):
    users["duk.canbo"].email = "mai@duk.vn"
    users["duk.canbo"].save()

    lnbl = make_user("lnbl.canbo", "officer", demo["DUK-LNBL"])
    lnbl.email = "lnbl@lamnghiep.vn"
    lnbl.save()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave once the reminders are committed
        sent = reminders.due_reminders(today=dt.date(2023, 3, 10))  # 5 days before 15/03: "before-7"
    again = reminders.due_reminders(today=dt.date(2023, 3, 10))  # the job runs twice
    assert again == []
    reasons = {(r.org.code, r.reason) for r in sent}
    assert ("DUK-LNBL", "before-7") in reasons and ("DUK-CTN", "before-7") not in reasons  # registered
    assert Reminder.objects.filter(org=demo["DUK-LNBL"]).count() == 1
    assert Notification.objects.filter(user=lnbl, event="reminder").count() == 1
    assert [m.to for m in mail.outbox if "Nhắc nhở" in m.subject and "lnbl@lamnghiep.vn" in m.to] == [
        ["lnbl@lamnghiep.vn"]
    ]
    reminders.due_reminders(today=dt.date(2023, 3, 15))  # the deadline day: "before-1"
    reminders.due_reminders(today=dt.date(2023, 3, 16))  # overdue, escalated to LD-DUK's officers
    reminders.due_reminders(today=dt.date(2023, 3, 17))  # nothing new
    log = list(Reminder.objects.filter(org=demo["DUK-LNBL"]).order_by("sent_at").values_list("reason", flat=True))
    assert log == ["before-7", "before-1", "overdue", "escalated"]
    assert Notification.objects.filter(
        user=users["duk.canbo"], body__contains="Đảng bộ Công ty TNHH MTV Lâm nghiệp"
    ).exists()
    cov = compute(example, demo["LD-DUK"])
    assert {m["code"]: m["reminders"] for m in cov.missing}["DUK-LNBL"] == 4


def test_manual_reminder_at_most_once_a_day(example, demo, users):
    n = reminders.remind_missing_now(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    assert n == 9
    assert reminders.remind_missing_now(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"]) == 0


def _send(users, campaign, org, login="duk.canbo", now=None):
    """The clerk drafts the report (“Lập dự thảo báo cáo tổng hợp”), then confirms it from the editor."""
    draft = upward.draft_report(actor=users[login], campaign=campaign, org=org, signer_name="Trương Văn Hải")
    assert draft.status == "draft" and draft.number is None and not UpwardReport.objects.filter(document=draft)
    return upward.submit(actor=users[login], document=draft, now=now)


def test_upward_report_snapshot_never_changes(example, demo, users):
    rep = _send(users, example, demo["LD-DUK"], now=dt.datetime(2023, 11, 20, tzinfo=dt.UTC))
    frozen = json.dumps(rep.snapshot, sort_keys=True)
    assert rep.snapshot["total"]["registered"] == 7 and not rep.late
    assert rep.document.kind == "BC" and rep.document.status == "issued"
    assert "Đã đăng ký: 7 (24,1%; chỉ tiêu 90%)" in rep.document.body
    assert rep.document.deliveries.get().recipient == demo["LD"]
    with pytest.raises(upward.UpwardError, match="chỉ gửi lại khi cấp trên trả lại"):
        upward.draft_report(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    # Later work changes the live figures, not the report that was sent.

    reg(example, demo["DUK-LNBL"], users["duk.canbo"], "Vườn ươm", at(25, 3))
    assert compute(example, demo["LD-DUK"]).total.registered == 8
    rep.refresh_from_db()
    assert json.dumps(rep.snapshot, sort_keys=True) == frozen
    with pytest.raises(upward.UpwardError, match="Người gửi"):
        upward.decide(actor=users["duk.canbo"], report=rep, accept=False, reason="x")
    upward.decide(actor=users["btctu.quantri"], report=rep, accept=False, reason="Thiếu danh sách mô hình nhân rộng")
    rep2 = _send(users, example, demo["LD-DUK"])
    assert rep2.number == 2 and rep2.snapshot["total"]["registered"] == 8
    assert rep2.document.number == rep.document.number + 1  # numbered per issuing body, type and term
    assert UpwardReport.objects.get(pk=rep.pk).snapshot["total"]["registered"] == 7
    status = {s["org"].code: s["report"] for s in upward.children_status(example, demo["LD"])}
    assert status["LD-DUK"].pk == rep2.pk and status["LD-LDG"] is None
    with pytest.raises(upward.UpwardError, match="Cấp mở đợt"):
        upward.draft_report(actor=users["btctu.quantri"], campaign=example, org=demo["LD"])


def test_the_annex_is_drawn_again_when_the_report_is_sent(example, demo, users):
    """A draft made before a registration came in: the annex of the report sent lists it (the figures at sending
    time), the clerk's text is sent as edited, and the snapshot holds the same figures."""

    draft = upward.draft_report(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    assert draft.purpose == "upward_report" and draft.annex["figures"]["lines"][1] == "I. KẾT QUẢ ĐĂNG KÝ"
    reg(example, demo["DUK-LNBL"], users["duk.canbo"], "Vườn ươm", at(25, 3))
    assert any("Vườn ươm" in c for c in upward.draft_changes(draft))
    rep = upward.submit(actor=users["duk.canbo"], document=draft)
    assert "Vườn ươm" in [row[2] for row in rep.document.annex["rows"]] and "figures" not in rep.document.annex
    assert rep.snapshot["total"]["registered"] == 8 and rep.document.body == draft.body
    with pytest.raises(upward.UpwardError, match="không phải dự thảo"):
        upward.submit(actor=users["duk.canbo"], document=rep.document)


def test_coverage_workbook_reads_back(example, demo):
    data = exports.build("coverage", example, demo["LD-DUK"])
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == ["Tong_hop", "Chua_dang_ky", "Ket_qua", "Nhan_rong"]
    ws = wb["Tong_hop"]
    assert ws["A2"].value.startswith("TỔNG HỢP KẾT QUẢ ĐĂNG KÝ, THẨM ĐỊNH") and "A2:" in str(ws.merged_cells.ranges)
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    total = rows[-1]
    assert total[1] == "TỔNG CỘNG" and total[2] == 29 and total[5] == 7 and total[6] == 24.1 and total[8] == 1
    by_name = {r[1]: r for r in rows[:-1]}
    assert by_name["Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng"][2:6] == (8, 3, 5, 4)
    assert "Chi bộ Công ty TNHH Chè Cầu Đất (không thẩm định)" in by_name
    missing = [r[1] for r in wb["Chua_dang_ky"].iter_rows(min_row=6, values_only=True) if r[0]]
    assert len(missing) == 9 and "Chi bộ Lâm trường Lộc Bắc" in missing
    results = list(wb["Ket_qua"].iter_rows(min_row=6, values_only=True))
    assert ("Hóa đơn điện tử", 7.5, "Khá") in [(r[4], r[5], r[6]) for r in results]
    year_end = load_workbook(BytesIO(exports.build("year_end", example, demo["LD-DUK"])))
    assert year_end.sheetnames == ["Ket_qua", "Nhan_rong"]  # the year-end workbook counts replications too


def test_cli_coverage_and_results_json(example, demo):
    out = StringIO()
    call_command("coverage", example.code, "--org", "LD-DUK", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"]["registered"] == 7 and data["total"]["registered_pct"] == 24.1
    assert {c["code"]: c["late"] for c in data["children"]}["DUK-DL"] == 1
    out = StringIO()
    call_command("results", example.code, "--json", stdout=out)
    subjects = {s["subject"]: s for s in json.loads(out.getvalue())["subjects"]}
    assert (
        subjects["Nguyễn Văn An"]["classification"] == "Đạt" and len(subjects["Nguyễn Văn An"]["models"]) == 1
    )  # the accepted one
    assert subjects["Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng"]["result"] == "7.50"
    with pytest.raises(Exception, match="Không có tổ chức"):
        call_command("coverage", example.code, "--org", "NOPE")
