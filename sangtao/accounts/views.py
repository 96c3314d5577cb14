"""Account management by administrators, within their subtree."""

import functools

from allauth.mfa.models import Authenticator
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rest_framework.authtoken.models import Token

from sangtao.common import audit
from sangtao.orgs.forms import RoleAssignmentForm
from sangtao.orgs.models import RoleAssignment
from sangtao.orgs.rules import is_admin_somewhere, managed_org_q, scopes
from sangtao.orgs.views import managed_orgs

from .forms import PasswordResetByAdminForm, UserCreateForm
from .models import User


def _require_admin(user):
    if not is_admin_somewhere(user):
        raise PermissionDenied


def managed_users(user):
    """Users all of whose roles lie inside the admin's subtree (so one admin cannot take over another's)."""
    inside = RoleAssignment.objects.filter(managed_org_q(user, "org__")).values("user_id")
    outside = RoleAssignment.objects.exclude(managed_org_q(user, "org__")).values("user_id")
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(pk__in=inside).exclude(pk__in=outside)


def get_managed_user(request, pk) -> User:
    _require_admin(request.user)
    return get_object_or_404(managed_users(request.user), pk=pk)


@login_required
@require_safe
def profile(request):

    return render(
        request,
        "accounts/profile.html",
        {
            "scopes": scopes(request.user),
            "has_totp": Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists(),
            "api_key": Token.objects.filter(user=request.user).first(),
        },
    )


@login_required
@require_http_methods(["POST"])
def api_key(request):
    """Make (or replace) the user's API key; it is shown once, then only its first characters."""

    Token.objects.filter(user=request.user).delete()
    if request.POST.get("action") == "revoke":
        audit.record("account.api_key_revoke", actor=request.user, obj=request.user)
        messages.success(request, _("Đã thu hồi khóa API."))
        return redirect("profile")
    token = Token.objects.create(user=request.user)
    audit.record("account.api_key_create", actor=request.user, obj=request.user)
    messages.success(request, _("Khóa API mới (chỉ hiện một lần, hãy lưu lại): %(k)s") % {"k": token.key})
    return redirect("profile")


@login_required
@require_safe
def user_list(request):
    _require_admin(request.user)
    qs = (
        managed_users(request.user)
        .order_by("username")
        .prefetch_related(Prefetch("roles", queryset=RoleAssignment.objects.select_related("org")))
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(last_name__icontains=q) | qs.filter(first_name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_admin(request.user)
    queryset = managed_orgs(request.user).filter(valid_to__isnull=True)
    form = UserCreateForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.set_password(form.cleaned_data["password"])
            user.save()
            RoleAssignment.objects.create(user=user, org=form.cleaned_data["org"], role=form.cleaned_data["role"])
            person = form.cleaned_data.get("person")
            if person is not None:
                person.user = user
                person.save()
            audit.record(
                "user.create",
                obj=user,
                changes={"role": form.cleaned_data["role"], "org": form.cleaned_data["org"].code},
            )
        messages.success(request, _("Đã tạo tài khoản “%(u)s”.") % {"u": user.username})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "org_codes": queryset})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    target = get_managed_user(request, pk)
    queryset = managed_orgs(request.user).filter(valid_to__isnull=True)
    role_form = RoleAssignmentForm(request.POST or None, queryset=queryset, prefix="role")
    if request.method == "POST" and role_form.is_valid():
        ra, created = RoleAssignment.objects.get_or_create(
            user=target, org=role_form.cleaned_data["org"], role=role_form.cleaned_data["role"]
        )
        if created:
            audit.record("user.role_add", obj=target, changes={"role": ra.role, "org": ra.org.code})
            messages.success(request, _("Đã thêm vai trò."))
        return redirect("accounts:user_detail", pk=target.pk)

    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "roles": target.roles.select_related("org"),
            "role_form": role_form,
            "has_totp": Authenticator.objects.filter(user=target, type=Authenticator.Type.TOTP).exists(),
            "password_form": PasswordResetByAdminForm(),
            "org_codes": queryset,
        },
    )


def _on_user(act):
    """A one-click act of an administrator (403 for anyone else) on a user they manage (404 for any other user),
    then back to that user's page: `act(request, target, …)` does it and says so."""

    @login_required
    @require_POST
    @functools.wraps(act)
    def view(request, pk, **kwargs):
        target = get_managed_user(request, pk)
        act(request, target, **kwargs)
        return redirect("accounts:user_detail", pk=target.pk)

    return view


@_on_user
def role_remove(request, target, role_pk):
    ra = get_object_or_404(target.roles.filter(managed_org_q(request.user, "org__")), pk=role_pk)
    audit.record("user.role_remove", obj=target, changes={"role": ra.role, "org": ra.org.code})
    ra.delete()
    messages.success(request, _("Đã bỏ vai trò."))


@_on_user
def user_toggle_active(request, target):
    if target.pk == request.user.pk:
        raise PermissionDenied
    target.is_active = not target.is_active
    target.save(update_fields=["is_active"])
    audit.record("user.activate" if target.is_active else "user.deactivate", obj=target)
    messages.success(request, _("Đã mở khóa tài khoản.") if target.is_active else _("Đã khóa tài khoản."))


@_on_user
def user_set_password(request, target):
    form = PasswordResetByAdminForm(request.POST)
    if form.is_valid():
        target.set_password(form.cleaned_data["password"])
        target.save(update_fields=["password"])
        audit.record("user.password_reset", obj=target)
        messages.success(request, _("Đã đặt lại mật khẩu."))
    else:
        for error in form.errors.get("password", []):
            messages.error(request, error)


@_on_user
def user_unlock(request, target):
    axes_reset(username=target.username)
    audit.record("user.unlock", obj=target)
    messages.success(request, _("Đã gỡ khóa đăng nhập do nhập sai nhiều lần."))


@_on_user
def user_reset_mfa(request, target):

    Authenticator.objects.filter(user=target).delete()
    audit.record("user.mfa_reset", obj=target)
    messages.success(request, _("Đã xóa xác thực hai lớp; người dùng phải kích hoạt lại khi đăng nhập."))
