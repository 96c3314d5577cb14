"""API keys (DRF tokens) that respect the two-factor rule (rules A4)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from sangtao.accounts.mfa import lacks_required_totp


class MfaTokenAuthentication(TokenAuthentication):
    """A key stops working while its user holds a role that requires TOTP and has not activated it: the key
    would otherwise be a way round the second factor the screens insist on."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if lacks_required_totp(user):
            raise exceptions.PermissionDenied(
                _(
                    "Vai trò của tài khoản này bắt buộc xác thực hai lớp (TOTP) nhưng chưa kích hoạt. "
                    "Hãy đăng nhập trên trang web, kích hoạt ứng dụng xác thực rồi dùng lại khóa API."
                )
            )
        return user, token
