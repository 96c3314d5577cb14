"""The stock-phrase list of the novelty check: a page for admins (docs/rules.md, R6b)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sangtao.orgs.models import Role, RoleAssignment

from . import novelty
from .models import StockPhrase


class StockPhrasesForm(forms.Form):
    phrases = forms.CharField(
        label=gettext_lazy("Cụm từ thường gặp, mỗi dòng một cụm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
    )


def may_edit_stock_phrases(user) -> bool:
    """One list for the whole system (scores must mean the same everywhere): edited by the admins of a top-level
    organization (the province committee in a provincial deployment) — not by admins of units below."""
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.ADMIN, org__depth=1).exists()


@login_required
@require_http_methods(["GET", "POST"])
def stock_phrases(request):
    if not may_edit_stock_phrases(request.user):
        raise PermissionDenied
    form = StockPhrasesForm(
        request.POST or None, initial={"phrases": "\n".join(StockPhrase.objects.values_list("text", flat=True))}
    )
    if request.method == "POST" and form.is_valid():
        change = novelty.save_stock_phrases(actor=request.user, phrases=form.cleaned_data["phrases"].splitlines())
        messages.success(
            request,
            _("Đã lưu: thêm %(a)d, bỏ %(r)d cụm từ.") % {"a": len(change["added"]), "r": len(change["removed"])},
        )
        return redirect("registrations:stock_phrases")
    return render(
        request,
        "registrations/stock_phrases.html",
        {"form": form, "weight": round(novelty.STOCK_WEIGHT * 100), "defaults": novelty.DEFAULT_STOCK_PHRASES},
    )
