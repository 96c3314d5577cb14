"""The one place that tells people things (Hypha's activity/messaging.py): `notify` writes the in-app notification
of each recipient and hands the e-mail to the background queue — at once, or in the recipient's daily digest.
An event reaches a person once: the key is unique per recipient, so a job run twice, a retried request or two
workers never notify twice. This is a service: it knows users, not the domain apps that call it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from sangtao.common import audit
from sangtao.common.jobs import dispatch

from .events import EVENTS
from .models import Notification, Preference
from .tasks import send_immediate

if TYPE_CHECKING:
    from collections.abc import Iterable


def render(event: str, context: dict[str, Any] | None = None) -> tuple[str, str]:
    """Subject and body of an event from the catalogue, in Vietnamese (what is stored and e-mailed)."""
    spec = EVENTS[event]
    ctx = context or {}
    with translation.override("vi"):
        return str(spec.subject).format(**ctx), str(spec.body).format(**ctx)


def notify(
    event: str,
    *,
    recipients: Iterable,
    key: str,
    url: str = "",
    subject: str | None = None,
    body: str | None = None,
    context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tell each recipient (users; duplicates and inactive accounts skipped) about one event. Returns the
    notifications written now — empty for those who already had this event."""
    if event not in EVENTS:
        raise KeyError(f"unknown event {event!r}: add it to notifications.events.EVENTS")
    if subject is None or body is None:
        rendered = render(event, context)
        subject, body = subject or rendered[0], body if body is not None else rendered[1]
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    created = []
    for user in users.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, event=event, key=f"{event}:{key}"[:200], subject=subject[:300], body=body, url=url
                    )
                )
        except IntegrityError:  # this person already has this event
            continue
    immediate = [n.pk for n in created if email_mode(n.user) == Preference.Email.IMMEDIATE and n.user.email]
    if immediate:
        dispatch(send_immediate, immediate)
    return created


def email_mode(user) -> str:
    pref = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return pref or Preference.Email.IMMEDIATE


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise PermissionError("not this user's notification")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    n = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if n:
        audit.record("notifications.read_all", actor=user, obj=user, changes={"count": n})
    return n


def set_email_mode(*, user, mode: str) -> Preference:
    if mode not in Preference.Email.values:
        raise ValueError(mode)
    pref, _created = Preference.objects.get_or_create(user=user)
    if pref.email != mode:
        audit.record("notifications.preference", actor=user, obj=user, changes={"email": [pref.email, mode]})
        pref.email = mode
        pref.save(update_fields=["email"])
    return pref
