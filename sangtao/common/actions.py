"""The glue every one-click action view shares (issue 21): call the domain, turn its refusal into messages or
its success into one, and go back — and the workflow actions of a table like registrations.workflow.TRANSITIONS
(permission from the table's "who", the domain function named after the action). Views stay three lines."""

from dataclasses import dataclass
from types import ModuleType

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def refused(request, exc: ValidationError):
    """Every reason of a domain refusal, as an error message each."""
    for message in exc.messages:
        messages.error(request, message)


def run(request, call, *, success=None, to):
    """Do `call()`; on a refusal show its reasons, else `success` (text, or a function of the result; none when
    the page shows what changed); redirect to `to` (a URL, or a (name, *args) tuple for `redirect`)."""
    try:
        result = call()
    except ValidationError as exc:
        refused(request, exc)
    else:
        if success is not None:
            messages.success(request, success(result) if callable(success) else success)
    return redirect(*to) if isinstance(to, tuple) else redirect(to)


def posted(request, *names) -> dict[str, str]:
    """The form's text fields of these names, as the domain function's arguments ("" for one not sent)."""
    return {name: request.POST.get(name, "") for name in names}


def attempt(request, call) -> bool:
    """Do `call()`; on a refusal show its reasons and answer False."""
    try:
        call()
    except ValidationError as exc:
        refused(request, exc)
        return False
    return True


@dataclass(frozen=True)
class Workflow:
    """A workflow table like registrations.workflow.TRANSITIONS with what acts on it: `perms`, the permission of
    each of the table's "who" (in the order their actions are offered); `domain`, the module whose functions are
    named after the actions; `arg`, the name under which they take the object."""

    transitions: dict
    perms: dict
    domain: ModuleType
    arg: str

    def available(self, user, obj) -> list[tuple[str, dict]]:
        """The actions the user may take on `obj` in its state, with their rows of the table."""
        return [
            (action, step)
            for who, perm in self.perms.items()
            if user.has_perm(perm, obj)
            for action, step in self.transitions.items()
            if step["who"] == who and obj.state in step["from"]
        ]

    def view(self, get, to: str):
        """The POST view of the actions (`<pk>/<action>`): `get(user, pk)` finds the object (404), then
        `take`; back to the page named `to` (of the object's pk)."""

        @login_required
        @require_POST
        def act(request, pk, action):
            obj = get(request.user, pk)
            return self.take(request, obj, action, to=reverse(to, kwargs={"pk": obj.pk}))

        return act

    def take(self, request, obj, action, *, to):
        """One action: 404 for an unknown action, 403 unless the user holds the permission for the table's "who",
        then the domain function of that name (`return` → `return_`), with the reason when the table asks."""
        if action not in self.transitions:
            raise Http404
        step = self.transitions[action]
        if not request.user.has_perm(self.perms[step["who"]], obj):
            raise PermissionDenied
        kwargs = {"actor": request.user, self.arg: obj}
        if step.get("needs_reason"):
            kwargs["reason"] = request.POST.get("reason", "")
        do = getattr(self.domain, "return_" if action == "return" else action)
        return run(request, lambda: do(**kwargs), success=_("Đã thực hiện: %(a)s.") % {"a": step["label"]}, to=to)
