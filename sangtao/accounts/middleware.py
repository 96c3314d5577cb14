"""Idle timeout, the absolute session limit, and the TOTP requirement for sensitive roles."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import lacks_required_totp

IDLE_KEY = "sangtao_last_seen"
LOGIN_AT_KEY = "sangtao_login_at"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    """The absolute limit (rules A6) counts from here; Django's own session expiry slides with every save."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Ends a session after SANGTAO_IDLE_TIMEOUT_SECONDS without a request, and SESSION_COOKIE_AGE after login
    however active the user is (rules A6)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            login_at = request.session.setdefault(LOGIN_AT_KEY, now)  # sessions from before this check start now
            if now - int(login_at) > settings.SESSION_COOKIE_AGE:
                message = _("Phiên làm việc đã hết thời hạn tối đa tính từ lúc đăng nhập. Vui lòng đăng nhập lại.")
            elif last is not None and now - int(last) > settings.SANGTAO_IDLE_TIMEOUT_SECONDS:
                message = _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.")
            else:
                request.session[IDLE_KEY] = now
                return self.get_response(request)
            logout(request)
            messages.warning(request, message)
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)


EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class RequireMfaMiddleware:
    """Users holding a role listed in SANGTAO_MFA_REQUIRED_ROLES must activate TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES) and lacks_required_totp(user):
            messages.info(
                request, _("Vai trò của bạn bắt buộc xác thực hai lớp. Hãy kích hoạt ứng dụng xác thực (TOTP).")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
