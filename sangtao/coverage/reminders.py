"""Reminders and escalation (1240-CV/BTCTU: units "phải nhắc nhở nhiều lần"): before each deadline, every unit
that has not registered (or not reported its results) is reminded — in the app and by e-mail — once per
reason; after the deadline the unit is told it is overdue and its parent is told too. A reminder row is
written under a unique constraint first, so a job run twice (or two workers) never sends one twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sangtao.campaigns.domain import Cascade
from sangtao.campaigns.models import Campaign
from sangtao.common import audit
from sangtao.common.ops import metric
from sangtao.notifications.domain import notify
from sangtao.notifications.models import Preference
from sangtao.orgs.models import Organization
from sangtao.orgs.rules import acting_users
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State

from .domain import compute
from .models import Reminder

logger = logging.getLogger(__name__)


def officers_of(org: Organization):
    """Who acts for a unit and is reminded for it: the active accounts holding an officer or admin role on exactly
    that organization (the levels above are told separately — escalation, or a unit nobody can be reached at)."""
    return list(acting_users(org))


def nearest_reachable_above(org: Organization) -> tuple[Organization | None, list]:
    """The closest ancestor of `org` with someone to tell, and those people."""
    paths = [org.path[:i] for i in range(org.steplen, len(org.path), org.steplen)]
    for above in Organization.objects.filter(path__in=paths).order_by("-depth"):
        users = officers_of(above)
        if users:
            return above, users
    return None, []


def remind(
    *,
    campaign: Campaign,
    org: Organization,
    kind: str,
    reason: str,
    deadline: dt.date | None,
    message: str,
    link: str = "",
    notify_org: Organization | None = None,
    sent_by=None,
) -> Reminder | None:
    """One reminder for one reason, or None when it was already sent. It goes to the people who act for the unit
    (or for `notify_org`); when there is nobody to reach, the log says 0 recipients and the nearest level above
    with an account is told."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                campaign=campaign,
                org=org,
                kind=kind,
                reason=reason,
                deadline=deadline,
                message=message,
                sent_by=sent_by,
            )
    except IntegrityError:
        return None
    target = notify_org or org
    users = officers_of(target)

    def tell(event, recipients, **context):
        notify(event, recipients=recipients, key=f"r{reminder.pk}", url=link, context={**context, "message": message})

    tell("reminder", users, campaign=campaign.name)
    modes = dict(Preference.objects.filter(user__in=users).values_list("user_id", "email"))
    emails = sum(1 for u in users if u.email and modes.get(u.pk) != Preference.Email.NONE)
    Reminder.objects.filter(pk=reminder.pk).update(recipients=len(users), emails=emails)
    reminder.recipients, reminder.emails = len(users), emails
    if not users:
        above, told = nearest_reachable_above(target)
        logger.warning(
            "reminder %s (%s, %s) reached nobody at %s; told %s",
            reminder.pk,
            kind,
            reason,
            target.code,
            above.code if above else "nobody",
        )
        tell("reminder.unreachable", told, org=target.name)

    metric("reminders").labels(kind, reason.partition("-")[0]).inc()
    audit.record(
        "reminder.send",
        actor=sent_by,
        obj=org,
        changes={"campaign": campaign.code, "kind": kind, "reason": reason, "recipients": len(users)},
    )
    return reminder


def reason_label(reason: str) -> str:
    """The reason of a reminder as people read it ("before-7" → "7 ngày trước hạn")."""
    if reason.startswith("before-"):
        days = int(reason.removeprefix("before-"))
        return _("Đến hạn (hôm nay hoặc ngày mai)") if days <= 1 else _("Còn %(n)s ngày đến hạn") % {"n": days}
    if reason.startswith("manual-"):
        try:
            day = dt.date.fromisoformat(reason.removeprefix("manual-"))
        except ValueError:
            return _("Cán bộ nhắc")
        return _("Cán bộ nhắc ngày %(d)s") % {"d": date_format(day, "d/m/Y")}
    return {"overdue": _("Quá hạn"), "escalated": _("Báo cấp trên: đơn vị quá hạn")}.get(reason, reason)


def outcome(*, campaign: Campaign, org: Organization, sent_by, since, until=None) -> dict:
    """What a round of reminders sent by `sent_by` under `org` did, read back from the log: units reached (with how
    many people) and units nobody could be reached at — the screen reports this, never more."""
    log = Reminder.objects.filter(
        campaign=campaign, org__path__startswith=org.path, sent_by=sent_by, sent_at__gte=since
    )
    if until is not None:
        log = log.filter(sent_at__lte=until)
    rows = list(log.select_related("org").order_by("org__path"))
    reached = [r for r in rows if r.recipients]
    return {
        "reached": len(reached),
        "people": sum(r.recipients for r in reached),
        "unreached": [r.org.name for r in rows if not r.recipients],
    }


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
                text = (
                    f"{org.name}: chưa đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}; hạn "
                    f"{_fmt(m['deadline'])}" + (" đã qua." if reason == "overdue" else ".")
                )
                r = remind(
                    campaign=campaign,
                    org=org,
                    kind=Reminder.Kind.REGISTRATION,
                    reason=reason,
                    deadline=m["deadline"],
                    message=text,
                    link=link,
                )
                sent += [r] if r else []
                if reason == "overdue" and org.parent_org is not None:
                    r = remind(
                        campaign=campaign,
                        org=org,
                        kind=Reminder.Kind.REGISTRATION,
                        reason="escalated",
                        deadline=m["deadline"],
                        notify_org=org.parent_org,
                        link=link,
                        message=f"Quá hạn {_fmt(m['deadline'])}: {org.name} (trực thuộc) chưa đăng ký mô hình năm "
                        f"{campaign.year}. Đề nghị đôn đốc.",
                    )
                    sent += [r] if r else []
            sent += _report_reminders(campaign, today, days)
    return sent


def _report_reminders(campaign, today, days) -> list[Reminder]:
    """Accepted models whose results report has not been sent, before (and after) the results deadline."""
    cascade = Cascade(campaign)
    out = []
    regs = (
        Registration.objects.filter(campaign=campaign, state__in=[State.ACCEPTED, State.IN_PROGRESS])
        .filter(report__first_submitted_at__isnull=True)
        .select_related("subject_org")
    )
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
        r = remind(
            campaign=campaign,
            org=org,
            kind=Reminder.Kind.REPORT,
            reason=reason,
            deadline=deadline,
            link=reverse("reports:list", kwargs={"code": campaign.code}),
            message=f"{org.name}: chưa gửi báo cáo kết quả ({titles}); hạn {_fmt(deadline)}"
            + (" đã qua." if reason == "overdue" else "."),
        )
        out += [r] if r else []
    return out


def remind_missing_now(*, actor, campaign: Campaign, org: Organization, progress=None) -> int:
    """An officer reminds every unit still missing under `org`, now (at most once a day per unit)."""

    today = timezone.localdate()
    missing = compute(campaign, org).missing
    units = {o.pk: o for o in Organization.objects.filter(pk__in=[m["org_id"] for m in missing])}
    n = 0
    with translation.override("vi"):
        for i, m in enumerate(missing):
            if progress:
                progress(int(100 * i / max(1, len(missing))), m["name"])
            deadline = m["deadline"]
            text = f"{org.name} nhắc: {m['name']} chưa đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}" + (
                f" (hạn {_fmt(deadline)})." if deadline else "."
            )
            if remind(
                campaign=campaign,
                org=units[m["org_id"]],
                kind=Reminder.Kind.REGISTRATION,
                reason=f"manual-{today.isoformat()}",
                deadline=deadline,
                message=text,
                sent_by=actor,
                link=reverse("registrations:list", kwargs={"code": campaign.code}),
            ):
                n += 1
    if progress:
        progress(100, "")
    return n
