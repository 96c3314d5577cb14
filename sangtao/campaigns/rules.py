"""Who may do what with campaigns (SPEC §7): the province admin opens them; officers and admins of a
level cascade, write and issue letters and acknowledge incoming ones for that level (and below);
every reader of an organization sees its campaign page and inbox."""

import rules

from sangtao.orgs.models import Role
from sangtao.orgs.rules import READ_ROLES, reaches, user_roles

ACTING_ROLES = {Role.ADMIN, Role.OFFICER}


@rules.predicate
def can_open_campaign(user, root) -> bool:
    if root is None:
        return user.is_superuser or Role.ADMIN in user_roles(user)
    return reaches(user, root, {Role.ADMIN})


@rules.predicate
def can_act_for(user, org) -> bool:
    """Cascade, draft/issue letters, acknowledge incoming documents in the name of `org`."""
    return reaches(user, org, ACTING_ROLES)


@rules.predicate
def can_read_level(user, org) -> bool:
    return reaches(user, org, READ_ROLES)


rules.add_perm("campaigns.open", can_open_campaign)
rules.add_perm("campaigns.act_for", can_act_for)
rules.add_perm("campaigns.read_level", can_read_level)
