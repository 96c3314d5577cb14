"""E-mails of notifications, sent in the background: one per notification for those who want them at once, and
one digest a day listing the day's items for those who chose it. Both mark what they sent first (a conditional
update), so a redelivered task or a second beat never sends an item twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification, Preference


def _absolute(url: str) -> str:
    base = settings.SANGTAO_SITE_URL.rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


@shared_task
def send_immediate(notification_ids: list[int]) -> int:
    sent = 0
    for n in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user"):
        if not Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
            continue  # another worker took it
        if n.user.email:
            with translation.override("vi"):
                send_mail(
                    subject=f"[Sáng tạo] {n.subject}",
                    message=f"{n.body}\n\n{_absolute(n.url)}".strip(),
                    from_email=None,
                    recipient_list=[n.user.email],
                    fail_silently=True,
                )
            sent += 1
    return sent


@shared_task
def send_digests(today: str | None = None) -> int:
    """One e-mail per person who chose the daily digest, listing every item not yet e-mailed (the day's items)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    users = get_user_model().objects.filter(notification_preference__email=Preference.Email.DIGEST, is_active=True)
    sent = 0
    for user in users.exclude(notification_preference__last_digest_on=day):
        with transaction.atomic():
            claimed = Preference.objects.filter(user=user).exclude(last_digest_on=day).update(last_digest_on=day)
            if not claimed:
                continue
            items = list(
                Notification.objects.select_for_update()
                .filter(user=user, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not items:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        if user.email:
            with translation.override("vi"):
                body = render_to_string(
                    "notifications/digest.txt",
                    {"user": user, "day": day, "items": [(n, _absolute(n.url)) for n in items]},
                )
                send_mail(
                    subject=f"[Sáng tạo] Thông báo ngày {day:%d/%m/%Y} ({len(items)})",
                    message=body,
                    from_email=None,
                    recipient_list=[user.email],
                    fail_silently=True,
                )
            sent += 1
    return sent
