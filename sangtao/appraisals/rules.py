"""Who may do what with appraisals (SPEC §6 I.4, §7). The competent level is the organization that received
the model (`domain.competent_org`); only its appraisers — members of the appraisal's council — score, only
its chair signs off, only its officers release the results; the levels above read everything and
re-appraise (phúc tra); the unit reads its own results once released; nobody else sees anything.

Results before publication (issue 15 item 1, rules P1): `can_see_result` / `visible_results_q` are THE rule
every page, export, API endpoint and notification uses. Until the appraising level publishes, nothing of an
appraisal (scores, class, notes, bonus) reaches the appraised — the individual himself, a collective's people
and anyone holding a role inside it, even if he also holds a role at the appraising level — nor anyone below
the appraising level."""

import rules
from django.db.models import Q

from sangtao.orgs.models import Organization, Person, Role
from sangtao.orgs.rules import READ_ROLES, reaches, scopes
from sangtao.registrations.domain import author_ids as registration_authors
from sangtao.registrations.models import Registration
from sangtao.reports.domain import author_ids as report_authors

from .models import Appraisal

STEP = 5  # the organization tree's path step (orgs.models.Organization.steplen)


def user_orgs(user, roles) -> list[tuple[str, int, str]]:
    return [(s.role, s.org_id, s.path) for s in scopes(user) if s.role in roles]


def is_appraiser_of(user, org: Organization) -> bool:
    """An appraiser of exactly this organization (its standing committee or council) — an appraiser of a
    level above is not the competent level."""
    return any(org_id == org.pk for _r, org_id, _p in user_orgs(user, {Role.APPRAISER}))


def writer_ids(reg: Registration) -> set[int]:
    """Everyone who wrote, edited, attached to or submitted any version of the registration or of its results
    report (from the version history, not one field) — none of them appraises it (rules P2)."""
    report = getattr(reg, "report", None)  # None when there is none (RelatedObjectDoesNotExist is an AttributeError)
    return report_authors(report) if report is not None else registration_authors(reg)


def own_model(user, reg: Registration, writers: set[int] | None = None) -> bool:
    """Nobody appraises their own model: the person themself, a member of the collective or anyone holding a
    role inside it, or whoever wrote, sent or reported any version of it (`writer_ids`, pass it when checking
    many users against one model)."""
    if user.pk in (writers if writers is not None else writer_ids(reg)):
        return True
    if is_appraised(user, reg):
        return True
    person = person_of(user)
    return person is not None and person.org_id == reg.subject_org_id


def person_of(user) -> Person | None:
    cached = getattr(user, "_sangtao_person", "unset")
    if cached == "unset":
        cached = Person.objects.filter(user=user).only("id", "org_id").first()
        user._sangtao_person = cached  # noqa: SLF001 — this module's per-request cache on the user
    return cached


def _role_at(user, org, roles) -> bool:
    return any(s.role in roles and s.org_id == org.pk for s in scopes(user))


def _own_subject(user, reg) -> bool:
    """The subject's own readers of a published result: the individual himself, and the officers, leaders and
    appraisers of its organization and the levels above. An individual cadre reads only his own (rules R12)."""
    if reg.person_id and reg.person.user_id == user.pk:
        return True
    return any(s.role in READ_ROLES and reg.subject_org.path.startswith(s.path) for s in scopes(user))


def person_org_path(user) -> str | None:
    """The path of the organization the user's own party record belongs to (cached on the user)."""
    cached = getattr(user, "_sangtao_person_path", "unset")
    if cached == "unset":
        cached = Person.objects.filter(user_id=user.pk).values_list("org__path", flat=True).first()
        user._sangtao_person_path = cached  # noqa: SLF001 — this module's per-request cache on the user
    return cached


def is_appraised(user, reg) -> bool:
    """The user is (part of) the subject of `reg`: the individual himself; for a collective, a person of its
    subtree or anyone holding a role inside it (an officer of the unit who also sits at the level above)."""
    return is_subject_of(user, reg.subject_org, reg.person if reg.person_id else None)


def is_subject_of(user, subject_org, person=None) -> bool:
    """`is_appraised` for a subject (organization, or person within it) rather than a registration."""
    if person is not None:
        return person.user_id == user.pk
    paths = [s.path for s in scopes(user)] + [p for p in [person_org_path(user)] if p]
    return any(p.startswith(subject_org.path) for p in paths)


def sees_unpublished(user, appraising_org, subject_org, person=None) -> bool:
    """Before publication: the appraising level and the levels above, but never the appraised."""
    if user.is_superuser:
        return True
    return reaches(user, appraising_org, READ_ROLES) and not is_subject_of(user, subject_org, person)


def can_see_result(user, ap) -> bool:
    """May anything of this appraisal's result (scores, class, notes, consensus) reach `user`?
    Published: the appraising level, the levels above, and the appraised unit and its people.
    Not yet published: the appraising level and above only, and never the appraised themselves."""
    if not getattr(user, "is_authenticated", False):
        return False
    reg = ap.registration
    if ap.state == Appraisal.State.PUBLISHED:
        return user.is_superuser or reaches(user, ap.appraising_org, READ_ROLES) or _own_subject(user, reg)
    return sees_unpublished(user, ap.appraising_org, reg.subject_org, reg.person)


def can_see_unregistered(user, ia) -> bool:
    """`can_see_result` for an individual appraised without a registration (HD 09 I.2.2)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if ia.published_at:
        return user.is_superuser or reaches(user, ia.appraising_org, READ_ROLES) or ia.person.user_id == user.pk
    return sees_unpublished(user, ia.appraising_org, ia.person.org, ia.person)


@rules.predicate
def can_view(user, ap) -> bool:
    return can_see_result(user, ap)


@rules.predicate
def can_score(user, ap) -> bool:

    return (
        ap.state == Appraisal.State.SCORING
        and is_appraiser_of(user, ap.appraising_org)
        and ap.members.filter(pk=user.pk).exists()
        and not own_model(user, ap.registration)
    )


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
    return any(
        s.role in (Role.APPRAISER, Role.ADMIN) and org.path.startswith(s.path) and s.path != org.path
        for s in scopes(user)
    )


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


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def appraised_q(user, prefix: str = "registration__") -> Q:
    """The registrations (through `prefix`) whose subject the user is part of (see `is_appraised`)."""
    paths = {p for s in scopes(user) for p in _prefixes(s.path)}
    own_path = person_org_path(user)
    if own_path:
        paths.update(_prefixes(own_path))
    return Q(**{f"{prefix}person__user_id": user.pk}) | Q(
        **{f"{prefix}person__isnull": True, f"{prefix}subject_org__path__in": sorted(paths)}
    )


def visible_results_q(user) -> Q:
    """The appraisals `can_see_result` allows, as a filter on Appraisal (for lists, exports and the API)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    over, own = Q(pk__in=[]), Q(registration__person__user_id=user.pk)
    for s in scopes(user):
        if s.role in READ_ROLES:
            over |= Q(appraising_org__path__startswith=s.path)
            own |= Q(registration__subject_org__path__startswith=s.path)
    published = Q(state=Appraisal.State.PUBLISHED)
    return (published & (over | own)) | (~published & over & ~appraised_q(user))


visible_q = visible_results_q  # the older name, used by the API
