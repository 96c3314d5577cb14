"""One place that writes audit rows. Every action function calls `record`."""

from __future__ import annotations

from typing import Any

from simple_history.models import HistoricalRecords

from .middleware import client_ip, current_request_id
from .models import AuditEvent


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    changes: dict[str, Any] | None = None,
    request=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    request = request or _current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    return AuditEvent.objects.create(
        actor=actor,
        ip=client_ip(request),
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes=_jsonable(changes or {}),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def actor_ids(obj, actions) -> set[int]:
    """The users recorded as doing any of `actions` (full names, e.g. "registration.submit") to `obj`."""
    return set(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=list(actions)
        ).values_list("actor_id", flat=True)
    )
