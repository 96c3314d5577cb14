"""Who may write, review and read results reports (SPEC §7): the registrant writes its own report; the
receiving level (never the writer) accepts or returns it; readers of the subject's or the receiving
organization read it once submitted — a draft stays with its writers."""

import rules

from sangtao.registrations.rules import can_read, is_receiver, is_registrant


@rules.predicate
def can_write(user, report) -> bool:
    return is_registrant(user, report.registration)


@rules.predicate
def can_review(user, report) -> bool:
    return is_receiver(user, report.registration) and report.created_by_id != user.pk


@rules.predicate
def can_read_report(user, report) -> bool:
    if is_registrant(user, report.registration):
        return True
    return report.first_submitted_at is not None and can_read(user, report.registration)


rules.add_perm("reports.write", can_write)
rules.add_perm("reports.review", can_review)
rules.add_perm("reports.read", can_read_report)
