"""Who may register, receive and read registrations (SPEC §7, docs/rules.md R5, R6 and R12).

- Registrants: the subject itself (a person for their own model) or an officer acting for the subject's
  organization. Only they see a draft (R6, R12).
- Receivers: officers or admins of the receiving level — never anyone who created, edited or submitted any
  version of the registration (`domain.author_ids`, read from its whole history; R5).
- Readers of a submitted registration: leaders, appraisers and officers of the subject's or the receiving
  organization's levels. An individual cadre (role "cá nhân") reads only their own registrations."""

import rules
from django.db.models import Q

from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.orgs.rules import READ_ROLES, reaches, scopes

from .domain import author_ids
from .workflow import State


def is_subject_person(user, reg) -> bool:
    return bool(reg.person_id) and reg.person.user_id == user.pk


@rules.predicate
def is_registrant(user, reg) -> bool:
    """The subject itself (a person for their own model) or an officer acting for the subject's organization."""
    if is_subject_person(user, reg):
        return True
    return reaches(user, reg.subject_org, ACTING_ROLES)


@rules.predicate
def is_receiver(user, reg) -> bool:
    """An officer or admin of the receiving level who never wrote, edited or sent any version of it."""
    if not reaches(user, reg.receiving_org, ACTING_ROLES):
        return False
    return reg.pk is None or user.pk not in author_ids(reg)


@rules.predicate
def can_read(user, reg) -> bool:
    if is_registrant(user, reg):
        return True
    if reg.state == State.DRAFT:
        return False  # a draft is never shown to anyone but its registrants (R6, R12)
    return reaches(user, reg.subject_org, READ_ROLES) or reaches(user, reg.receiving_org, READ_ROLES)


def visible_q(user) -> Q:
    """The registrations `can_read` allows, as a filter (lists, exports, the API)."""
    if user.is_superuser:
        return Q()
    registrant, reader = Q(person__user_id=user.pk), Q(pk__in=[])
    for s in scopes(user):
        if s.role in ACTING_ROLES:
            registrant |= Q(subject_org__path__startswith=s.path)
        if s.role in READ_ROLES:
            reader |= Q(subject_org__path__startswith=s.path) | Q(receiving_org__path__startswith=s.path)
    return registrant | (~Q(state=State.DRAFT) & reader)


rules.add_perm("registrations.register", is_registrant)
rules.add_perm("registrations.receive", is_receiver)
rules.add_perm("registrations.read", can_read)
