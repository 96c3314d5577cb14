"""Idle timeout and the TOTP requirement for sensitive roles."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

IDLE_KEY = "sangtao_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if last is not None and now - int(last) > settings.SANGTAO_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.warning(request, _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[IDLE_KEY] = now
        return self.get_response(request)


EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class RequireMfaMiddleware:
    """Users holding a role listed in SANGTAO_MFA_REQUIRED_ROLES must activate TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            from allauth.mfa.models import Authenticator

            from sangtao.orgs.rules import user_roles

            required = set(settings.SANGTAO_MFA_REQUIRED_ROLES)
            if required & user_roles(user) and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists():
                messages.info(request, _("Vai trò của bạn bắt buộc xác thực hai lớp. Hãy kích hoạt ứng dụng xác thực (TOTP)."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)
