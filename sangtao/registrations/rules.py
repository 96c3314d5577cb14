"""Who may register, receive and read registrations (SPEC §7)."""

import rules
from django.db.models import Q

from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.orgs.rules import READ_ROLES, reaches, visible_org_q


@rules.predicate
def is_registrant(user, reg) -> bool:
    """The subject itself (a person for their own model) or an officer acting for the subject's organization."""
    if reg.person_id and reg.person.user_id == user.pk:
        return True
    return reaches(user, reg.subject_org, ACTING_ROLES)


@rules.predicate
def is_receiver(user, reg) -> bool:
    """An officer or admin of the receiving level — never the one who wrote or sent the registration."""
    if reg.created_by_id == user.pk or (reg.person_id and reg.person.user_id == user.pk):
        return False
    return reaches(user, reg.receiving_org, ACTING_ROLES)


@rules.predicate
def can_read(user, reg) -> bool:
    if reg.person_id and reg.person.user_id == user.pk:
        return True
    return reaches(user, reg.subject_org, READ_ROLES) or reaches(user, reg.receiving_org, READ_ROLES)


def visible_q(user) -> Q:
    return visible_org_q(user, "subject_org__") | Q(person__user=user) | \
        visible_org_q(user, "receiving_org__")


rules.add_perm("registrations.register", is_registrant)
rules.add_perm("registrations.receive", is_receiver)
rules.add_perm("registrations.read", can_read)
