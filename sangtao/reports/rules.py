"""Who may write, review and read results reports (SPEC §7): the registrant writes its own report; the
receiving level accepts or returns it — never anyone who wrote, edited or sent any version of the report or
of its registration (`domain.author_ids`, rules R5, E6); readers of the registration read it once submitted — a
draft stays with its writers (E7, R12). An individual cadre reads only the reports of their own models."""

import rules

from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.orgs.rules import reaches
from sangtao.registrations.rules import can_read, is_registrant

from .domain import author_ids


@rules.predicate
def can_write(user, report) -> bool:
    return is_registrant(user, report.registration)


@rules.predicate
def can_review(user, report) -> bool:
    if not reaches(user, report.registration.receiving_org, ACTING_ROLES):
        return False
    return report.pk is None or user.pk not in author_ids(report)


@rules.predicate
def can_read_report(user, report) -> bool:
    if is_registrant(user, report.registration):
        return True
    return report.first_submitted_at is not None and can_read(user, report.registration)


rules.add_perm("reports.write", can_write)
rules.add_perm("reports.review", can_review)
rules.add_perm("reports.read", can_read_report)
