"""A link shown must lead to a page the person may open (issue 16): templates ask these before linking, and show
plain text otherwise — breadcrumbs to levels above the user's scope, people and units outside it."""

from django import template

from sangtao.orgs.rules import READ_ROLES, can_view_org, can_view_person, reaches, scopes

register = template.Library()


@register.filter
def reads_org(user, org) -> bool:
    """The organization's page (orgs:detail) opens for this user."""
    return bool(org) and can_view_org(user, org)


@register.filter
def reads_level(user, org) -> bool:
    """A campaign level's or coverage page of this organization opens for this user (campaigns.read_level)."""
    return bool(org) and reaches(user, org, READ_ROLES)


@register.filter
def reads_person(user, person) -> bool:
    return bool(person) and can_view_person(user, person)


@register.filter
def works_at_levels(user) -> bool:
    """The user holds a role that reads campaign levels (an individual cadre only has their own models)."""
    return user.is_superuser or any(s.role in READ_ROLES for s in scopes(user))


@register.simple_tag(takes_context=True)
def may(context, perm: str, obj) -> bool:
    """`{% may "reports.write" report as ok %}`: any object permission, for the user of the request."""
    user = context.get("user")
    return bool(user) and user.has_perm(perm, obj)


@register.filter
def has_role(user, role: str) -> bool:
    """`user|has_role:"appraiser"` — a page meant for one role is linked only for it."""
    return any(s.role == role for s in scopes(user))
