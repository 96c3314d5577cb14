"""Who must have two-factor authentication (rules A4) and has not set it up yet."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from sangtao.orgs.rules import user_roles


def lacks_required_totp(user) -> bool:
    """True when one of the user's roles is listed in SANGTAO_MFA_REQUIRED_ROLES and the user has no TOTP."""

    if not set(settings.SANGTAO_MFA_REQUIRED_ROLES) & user_roles(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
