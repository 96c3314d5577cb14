"""A person's notifications: the list (unread first marked), open one (marks it read), mark all read, and how
they want them by e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import domain
from .models import Notification, Preference


@login_required
@require_safe
def inbox(request):
    page = Paginator(Notification.objects.filter(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": domain.unread_count(request.user),
            "mode": Preference.Email(domain.email_mode(request.user)).label,
        },
    )


@login_required
@require_POST
def open_item(request, pk):
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    domain.mark_read(user=request.user, notification=item)
    if request.POST.get("stay") or not item.url or not url_has_allowed_host_and_scheme(item.url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(item.url)


@login_required
@require_POST
def read_all(request):
    n = domain.mark_all_read(user=request.user)
    if n:
        messages.success(request, _("Đã đánh dấu đã đọc %(n)s thông báo.") % {"n": n})
    return redirect("notifications:list")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=gettext_lazy("Nhận thông báo qua e-mail"), choices=Preference.Email.choices, widget=forms.RadioSelect
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferenceForm(request.POST or None, initial={"email": domain.email_mode(request.user)})
    if request.method == "POST" and form.is_valid():
        domain.set_email_mode(user=request.user, mode=form.cleaned_data["email"])
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})
