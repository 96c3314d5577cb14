"""Home is my work: after login each person sees what needs them now, most urgent first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sangtao.orgs.rules import scopes

from .domain import tasks_for


@login_required
@require_safe
def home(request):
    today = timezone.localdate()
    home = tasks_for(request.user, today)
    rows = [(t, t.days_left(today), abs(t.days_left(today) or 0)) for t in home.tasks]
    return render(
        request,
        "dashboard/home.html",
        {
            "rows": rows,
            "next_up": home.next_up,
            "figures": home.figures,
            "today": today,
            "my_scopes": scopes(request.user),
        },
    )
