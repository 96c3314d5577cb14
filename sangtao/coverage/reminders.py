"""Reminders and escalation (1240-CV/BTCTU: units "phải nhắc nhở nhiều lần"): before each deadline, every unit
that has not registered (or not reported its results) is reminded — in the app and by e-mail — once per
reason; after the deadline the unit is told it is overdue and its parent is told too. A reminder row is
written under a unique constraint first, so a job run twice (or two workers) never sends one twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from sangtao.campaigns.domain import Cascade
from sangtao.campaigns.models import Campaign
from sangtao.common import audit
from sangtao.orgs.models import Organization, Role
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State

from .models import Notification, Reminder


def officers_of(org: Organization):
    """Who acts for a unit: its officers and admins (of exactly that organization)."""
    return list(get_user_model().objects.filter(roles__org=org, roles__role__in=[Role.OFFICER, Role.ADMIN],
                                                is_active=True).distinct())


def remind(*, campaign: Campaign, org: Organization, kind: str, reason: str, deadline: dt.date | None,
           message: str, link: str = "", notify: Organization | None = None, sent_by=None) -> Reminder | None:
    """One reminder for one reason, or None when it was already sent."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(campaign=campaign, org=org, kind=kind, reason=reason, deadline=deadline,
                                               message=message, sent_by=sent_by)
    except IntegrityError:
        return None
    users = officers_of(notify or org)
    Notification.objects.bulk_create([Notification(user=u, text=message, link=link) for u in users])
    emails = [u.email for u in users if u.email]
    if emails:
        send_mail(subject=f"[Sáng tạo] {campaign.name}", message=f"{message}\n\n{link}", from_email=None,
                  recipient_list=emails, fail_silently=True)
    Reminder.objects.filter(pk=reminder.pk).update(recipients=len(users), emails=len(emails))
    from sangtao.common.ops import metric

    metric("reminders").labels(kind, reason.split("-")[0]).inc()
    audit.record("reminder.send", actor=sent_by, obj=org,
                 changes={"campaign": campaign.code, "kind": kind, "reason": reason, "recipients": len(users)})
    return reminder


def _reason(today: dt.date, deadline: dt.date, days: list[int]) -> str | None:
    delta = (deadline - today).days
    if delta < 0:
        return "overdue"
    fitting = [n for n in sorted(days) if delta <= n]
    return f"before-{fitting[0]}" if fitting else None


def _fmt(day) -> str:
    return date_format(day, "d/m/Y")


def due_reminders(today: dt.date | None = None, progress=None) -> list[Reminder]:
    """Every reminder due today, over every open campaign (run by Celery beat, or `send_reminders`)."""
    from .domain import compute

    today = today or timezone.localdate()
    days = settings.SANGTAO_REMINDER_DAYS
    sent: list[Reminder] = []
    with translation.override("vi"):
        for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("root"):
            link = reverse("registrations:list", kwargs={"code": campaign.code})
            orgs = {o.pk: o for o in Organization.objects.filter(path__startswith=campaign.root.path)}
            missing = compute(campaign, campaign.root).missing
            for i, m in enumerate(missing):
                if progress and i % 50 == 0:
                    progress(int(100 * i / max(1, len(missing))), campaign.code)
                if m["deadline"] is None:
                    continue
                reason = _reason(today, m["deadline"], days)
                if reason is None:
                    continue
                org = orgs[m["org_id"]]
                text = (f"{org.name}: chưa đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}; hạn "
                        f"{_fmt(m['deadline'])}" + (" đã qua." if reason == "overdue" else "."))
                r = remind(campaign=campaign, org=org, kind=Reminder.Kind.REGISTRATION, reason=reason,
                           deadline=m["deadline"], message=text, link=link)
                sent += [r] if r else []
                if reason == "overdue" and org.parent_org is not None:
                    r = remind(campaign=campaign, org=org, kind=Reminder.Kind.REGISTRATION, reason="escalated",
                               deadline=m["deadline"], notify=org.parent_org, link=link,
                               message=f"Quá hạn {_fmt(m['deadline'])}: {org.name} (trực thuộc) chưa đăng ký mô hình năm "
                                       f"{campaign.year}. Đề nghị đôn đốc.")
                    sent += [r] if r else []
            sent += _report_reminders(campaign, today, days)
    return sent


def _report_reminders(campaign, today, days) -> list[Reminder]:
    """Accepted models whose results report has not been sent, before (and after) the results deadline."""
    cascade = Cascade(campaign)
    out = []
    regs = (Registration.objects.filter(campaign=campaign, state__in=[State.ACCEPTED, State.IN_PROGRESS])
            .filter(report__first_submitted_at__isnull=True).select_related("subject_org"))
    by_org: dict[int, list] = {}
    for reg in regs:
        by_org.setdefault(reg.subject_org_id, []).append(reg)
    for regs_of_org in by_org.values():
        org = regs_of_org[0].subject_org
        deadline = cascade.applicable(org).results_deadline
        reason = _reason(today, deadline, days) if deadline else None
        if reason is None:
            continue
        titles = "; ".join(f"“{r.title}”" for r in regs_of_org[:5])
        r = remind(campaign=campaign, org=org, kind=Reminder.Kind.REPORT, reason=reason, deadline=deadline,
                   link=reverse("reports:list", kwargs={"code": campaign.code}),
                   message=f"{org.name}: chưa gửi báo cáo kết quả ({titles}); hạn {_fmt(deadline)}"
                           + (" đã qua." if reason == "overdue" else "."))
        out += [r] if r else []
    return out


def remind_missing_now(*, actor, campaign: Campaign, org: Organization, progress=None) -> int:
    """An officer reminds every unit still missing under `org`, now (at most once a day per unit)."""
    from .domain import compute

    today = timezone.localdate()
    missing = compute(campaign, org).missing
    units = {o.pk: o for o in Organization.objects.filter(pk__in=[m["org_id"] for m in missing])}
    n = 0
    with translation.override("vi"):
        for i, m in enumerate(missing):
            if progress:
                progress(int(100 * i / max(1, len(missing))), m["name"])
            deadline = m["deadline"]
            text = (f"{org.name} nhắc: {m['name']} chưa đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}"
                    + (f" (hạn {_fmt(deadline)})." if deadline else "."))
            if remind(campaign=campaign, org=units[m["org_id"]], kind=Reminder.Kind.REGISTRATION,
                      reason=f"manual-{today.isoformat()}", deadline=deadline, message=text, sent_by=actor,
                      link=reverse("registrations:list", kwargs={"code": campaign.code})):
                n += 1
    if progress:
        progress(100, "")
    return n
