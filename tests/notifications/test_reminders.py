"""Reminders reach people through the hub: the accounts acting for the unit; a unit nobody can be reached at is
said so on the screen and in the log, and the level above is told; reasons read as Vietnamese."""

import datetime as dt
import re

import pytest
from django.core import mail

from sangtao.coverage import reminders
from sangtao.coverage.models import Export, Reminder
from sangtao.notifications.testing import assert_notified
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_unit_without_account_is_logged_and_the_level_above_is_told(
    example, demo, users, django_capture_on_commit_callbacks
):
    lnbl = make_user("lnbl.canbo", "officer", demo["DUK-LNBL"])
    lnbl.email = "lnbl@lamnghiep.vn"
    lnbl.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.due_reminders(today=dt.date(2023, 3, 10))
    assert_notified(lnbl, "reminder", contains="Lâm nghiệp")
    to_lnbl = sorted(m.subject for m in mail.outbox if m.to == ["lnbl@lamnghiep.vn"])
    assert to_lnbl == [
        "[Sáng tạo] Không nhắc được Chi bộ Lâm trường Lộc Bắc",  # its cell has no account
        "[Sáng tạo] Nhắc nhở: Đăng ký năm 2023",
    ]
    ldp = Reminder.objects.get(org=demo["DUK-LDP"], reason="before-7")  # Chi bộ Dược: no account
    assert ldp.recipients == 0
    assert_notified(users["duk.canbo"], "reminder.unreachable", contains=demo["DUK-LDP"].name)


def test_bulk_reminder_screen_reports_only_units_reached(
    example, demo, users, login, django_capture_on_commit_callbacks
):
    make_user("lnbl.canbo", "officer", demo["DUK-LNBL"])
    c = login("duk.canbo")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/chay/reminders/")
    job = Export.objects.get(kind="reminders")
    page = c.get(r["Location"]).content.decode()
    written = Reminder.objects.filter(sent_by=users["duk.canbo"])
    reached = written.filter(recipients__gt=0).count()
    assert reached == 1 and written.count() == 9
    assert "Đã nhắc 1 đơn vị" in page and "Đã gửi nhắc nhở tới 9" not in page
    assert "8 đơn vị chưa có tài khoản" in page and demo["DUK-LDP"].name in page
    assert job.status == Export.Status.DONE
    log = c.get(f"/dot/{example.code}/tong-hop/{demo['LD-DUK'].pk}/nhac-nho/").content.decode()
    assert "manual-" not in log and re.search(r"Cán bộ nhắc ngày \d\d/\d\d/\d{4}", log)
    assert "Không ai nhận" in log


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("before-7", "Còn 7 ngày đến hạn"),
        ("before-1", "Đến hạn (hôm nay hoặc ngày mai)"),
        ("overdue", "Quá hạn"),
        ("escalated", "Báo cấp trên: đơn vị quá hạn"),
        ("manual-2026-12-01", "Cán bộ nhắc ngày 01/12/2026"),
    ],
)
def test_reasons_read_as_vietnamese(reason, label):
    assert reminders.reason_label(reason) == label
