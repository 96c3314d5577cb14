"""For tests of the domain apps: did an event reach the right person's inbox?

from sangtao.notifications.testing import assert_notified
assert_notified(officer, "registration.submitted", contains=reg.title)
"""

from .models import Notification


def _inbox(user) -> str:
    return "; ".join(f"{n.event}: {n.subject}" for n in Notification.objects.filter(user=user)[:20]) or "(trống)"


def assert_notified(user, event: str, *, contains: str | None = None, url: str | None = None) -> Notification:
    items = Notification.objects.filter(user=user, event=event)
    if contains is not None:
        items = [n for n in items if contains in n.subject or contains in n.body]
    if url is not None:
        items = [n for n in items if n.url == url]
    if not items:
        raise AssertionError(
            f"{user} did not get {event!r} (contains={contains!r}, url={url!r}); inbox: {_inbox(user)}"
        )
    return next(iter(items))


def assert_not_notified(user, event: str) -> None:
    if Notification.objects.filter(user=user, event=event).exists():
        raise AssertionError(f"{user} got {event!r} but should not have; inbox: {_inbox(user)}")
