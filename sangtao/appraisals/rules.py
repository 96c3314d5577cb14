"""Who may do what with appraisals (SPEC §6 I.4, §7). The competent level is the organization that received
the model (`domain.competent_org`); only its appraisers — members of the appraisal's council — score, only
its chair signs off, only its officers release the results; the levels above read everything and
re-appraise (phúc tra); the unit reads its own results once released; nobody else sees anything."""

import rules

from sangtao.orgs.models import Role
from sangtao.orgs.rules import READ_ROLES, reaches, scopes

from .models import Appraisal


def _role_at(user, org, roles) -> bool:
    return any(s.role in roles and s.org_id == org.pk for s in scopes(user))


def _own_subject(user, reg) -> bool:
    if reg.person_id and reg.person.user_id == user.pk:
        return True
    return any(s.org_id == reg.subject_org_id or (s.role in READ_ROLES and reg.subject_org.path.startswith(s.path))
               for s in scopes(user))


@rules.predicate
def can_view(user, ap) -> bool:
    if reaches(user, ap.appraising_org, READ_ROLES):
        return True
    if ap.state == Appraisal.State.PUBLISHED:
        return _own_subject(user, ap.registration)
    return False


@rules.predicate
def can_score(user, ap) -> bool:
    from .domain import is_appraiser_of, own_model

    return (ap.state == Appraisal.State.SCORING and is_appraiser_of(user, ap.appraising_org)
            and ap.members.filter(pk=user.pk).exists() and not own_model(user, ap.registration))


@rules.predicate
def can_sign(user, ap) -> bool:
    return ap.chair_id == user.pk and can_score(user, ap)


@rules.predicate
def can_publish(user, org) -> bool:
    return _role_at(user, org, {Role.OFFICER, Role.ADMIN})


@rules.predicate
def can_reappraise(user, ap) -> bool:
    if ap.state == Appraisal.State.SCORING:
        return False
    org = ap.appraising_org
    return any(s.role in (Role.APPRAISER, Role.ADMIN) and org.path.startswith(s.path) and s.path != org.path
               for s in scopes(user))


@rules.predicate
def can_open(user, reg) -> bool:
    """Organize the appraisal of a model: the competent level's officers, admins and appraisers."""
    return _role_at(user, reg.receiving_org, {Role.OFFICER, Role.ADMIN, Role.APPRAISER})


@rules.predicate
def can_manage_rubrics(user) -> bool:
    return user.is_superuser or any(s.role == Role.ADMIN and len(s.path) == 5 for s in scopes(user))


rules.add_perm("appraisals.view", can_view)
rules.add_perm("appraisals.score", can_score)
rules.add_perm("appraisals.sign", can_sign)
rules.add_perm("appraisals.publish", can_publish)
rules.add_perm("appraisals.reappraise", can_reappraise)
rules.add_perm("appraisals.open", can_open)
rules.add_perm("appraisals.manage_rubrics", can_manage_rubrics)


def visible_q(user):
    """The appraisals `can_view` allows, as a filter (for lists and the API)."""
    from django.db.models import Q

    if user.is_superuser:
        return Q()
    over, own = Q(pk__in=[]), Q(registration__person__user=user)
    for s in scopes(user):
        if s.role in READ_ROLES:
            over |= Q(appraising_org__path__startswith=s.path)
            own |= Q(registration__subject_org__path__startswith=s.path)
        own |= Q(registration__subject_org_id=s.org_id)
    return over | (Q(state=Appraisal.State.PUBLISHED) & own)
