"""The glue every one-click action view shares (issue 21): call the domain, turn its refusal into messages or
its success into one, and go back — and the workflow action of a table like registrations.workflow.TRANSITIONS
(permission from the table's "who", the domain function named after the action). Views stay three lines."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def refused(request, exc: ValidationError):
    """Every reason of a domain refusal, as an error message each."""
    for message in exc.messages:
        messages.error(request, message)


def run(request, call, *, success, to):
    """Do `call()`; on a refusal show its reasons, else `success` (text, or a function of the result); redirect to
    `to` (a URL, or a (name, *args) tuple for `redirect`)."""
    try:
        result = call()
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(*to) if isinstance(to, tuple) else redirect(to)


def transition(request, obj, action, *, transitions, perms, domain, arg, to):
    """A workflow action: 404 for an unknown action, 403 unless the user holds the permission for the table's
    "who", then the domain function of that name (`return` → `return_`), with the reason when the table asks."""
    if action not in transitions:
        raise Http404
    step = transitions[action]
    if not request.user.has_perm(perms[step["who"]], obj):
        raise PermissionDenied
    kwargs = {"actor": request.user, arg: obj}
    if step.get("needs_reason"):
        kwargs["reason"] = request.POST.get("reason", "")
    do = getattr(domain, "return_" if action == "return" else action)
    return run(request, lambda: do(**kwargs), success=_("Đã thực hiện: %(a)s.") % {"a": step["label"]}, to=to)
