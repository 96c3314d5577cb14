"""Login events and the client address on simple-history rows."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from . import audit
from .middleware import client_ip


@receiver(pre_create_historical_record)
def add_history_ip(sender, **kwargs):
    history_instance = kwargs["history_instance"]
    if hasattr(history_instance, "history_ip"):
        history_instance.history_ip = client_ip(_request())


def _request():

    return getattr(HistoricalRecords.context, "request", None)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record("auth.login", actor=user, obj=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or (credentials or {}).get("login") or ""
    audit.record(
        "auth.login_failed",
        request=request,
        object_type="accounts.user",
        object_repr=str(username)[:150],
        changes={"username": str(username)[:150]},
    )
