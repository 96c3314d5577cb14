"""Who manages signing certificates and trust roots."""

from __future__ import annotations

from sangtao.orgs.models import Organization, Role
from sangtao.orgs.rules import scopes


def certificate_orgs(user) -> list[Organization]:
    """The organizations whose signing certificate the user manages: those where they are an administrator
    (Ban Tổ chức) — the issuing body itself, not its whole subtree."""
    ids = [s.org_id for s in scopes(user) if s.role == Role.ADMIN]
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


def manages_trust_roots(user) -> bool:
    """Trust roots are the province's: an administrator at the top of the tree (or a superuser)."""
    return user.is_superuser or any(s.role == Role.ADMIN and len(s.path) == Organization.steplen for s in scopes(user))
