"""Who may see and change what in the organization tree.

Deny by default. A user acts through role assignments, each bound to an organization: the role reaches
that organization's whole (current) subtree, except the individual role, which reaches only the
person's own record and organization. Predicates are registered with django-rules and used by views
through `permission_required` / `has_perm(perm, obj)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Organization, Person, Role, RoleAssignment

READ_ROLES = {Role.ADMIN, Role.OFFICER, Role.APPRAISER, Role.VIEWER}


@dataclass(frozen=True)
class Scope:
    role: str
    org_id: int
    path: str
    org_name: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def scopes(user) -> list[Scope]:
    """The user's role assignments, loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_sangtao_scopes", None)
    if cached is None:
        cached = [
            Scope(ra.role, ra.org_id, ra.org.path, ra.org.name)
            for ra in RoleAssignment.objects.filter(user=user, user__is_active=True).select_related("org")
        ]
        user._sangtao_scopes = cached  # noqa: SLF001 — this module's own per-request cache on the user object
    return cached


def user_roles(user) -> set[str]:
    return {s.role for s in scopes(user)}


def reaches(user, org, roles) -> bool:
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(s.role in roles and org.path.startswith(s.path) for s in scopes(user))


def visible_org_q(user, prefix: str = "") -> Q:
    """A filter for organizations (or rows pointing at one through `prefix`) the user may read."""
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for s in scopes(user):
        if s.role in READ_ROLES:
            q |= Q(**{f"{prefix}path__startswith": s.path})
        elif s.role == Role.INDIVIDUAL:
            q |= Q(**{f"{prefix}pk": s.org_id})
    return q


def managed_org_q(user, prefix: str = "") -> Q:
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for s in scopes(user):
        if s.role == Role.ADMIN:
            q |= Q(**{f"{prefix}path__startswith": s.path})
    return q


@rules.predicate
def can_view_org(user, org: Organization | None) -> bool:
    if org is None:
        return bool(scopes(user)) or user.is_superuser
    if reaches(user, org, READ_ROLES):
        return True
    return any(s.role == Role.INDIVIDUAL and s.org_id == org.pk for s in scopes(user))


@rules.predicate
def can_manage_org(user, org: Organization | None) -> bool:
    if org is None:
        return user.is_superuser or Role.ADMIN in user_roles(user)
    return reaches(user, org, {Role.ADMIN})


@rules.predicate
def can_view_person(user, person: Person | None) -> bool:
    if person is None:
        return bool(scopes(user)) or user.is_superuser
    if reaches(user, person.org, READ_ROLES):
        return True
    return person.user_id is not None and person.user_id == user.pk


@rules.predicate
def can_manage_person(user, person: Person | None) -> bool:
    if person is None:
        return can_manage_org(user, None)
    return reaches(user, person.org, {Role.ADMIN})


@rules.predicate
def is_admin_somewhere(user) -> bool:
    return user.is_superuser or Role.ADMIN in user_roles(user)


rules.add_perm("orgs.view_org", can_view_org)
rules.add_perm("orgs.manage_org", can_manage_org)
rules.add_perm("orgs.view_person", can_view_person)
rules.add_perm("orgs.manage_person", can_manage_person)
rules.add_perm("orgs.import_tree", is_admin_somewhere)
rules.add_perm("orgs.view_audit", can_manage_org)
rules.add_perm("accounts.manage_users", can_manage_org)


def acting_users(*orgs: Organization | None, also=()):
    """Who is told when something needs an organization: the active accounts holding an officer or admin role on
    exactly one of `orgs` (not the levels above, which are told separately), plus the users in `also` (an
    individual's own account, a writer)."""

    q = Q(roles__org__in=[o for o in orgs if o is not None], roles__role__in=[Role.OFFICER, Role.ADMIN])
    ids = [getattr(u, "pk", u) for u in also if u is not None]
    if ids:
        q |= Q(pk__in=ids)
    return get_user_model().objects.filter(q, is_active=True).distinct()
