"""Whose eyes an appraisal's result may reach in an export (issue 15 item 1). The rule is the appraisals app's
(`appraisals.rules.sees_unpublished`, the one every page uses): before the appraising level publishes, a score or
a class is seen only at or above that level, and never by the appraised themselves; once published, by anyone who
may read the export. Every export that shows results asks here, so a unit's own officer or an individual cadre
never finds the unit's score in a workbook before it is announced."""

from __future__ import annotations

from types import SimpleNamespace

from sangtao.appraisals.models import Appraisal, IndividualAppraisal
from sangtao.appraisals.rules import sees_unpublished
from sangtao.orgs.models import Organization


def sees_everything(user) -> bool:
    """The command line (no user) and system administrators."""
    return user is None or user.is_superuser


class ResultFilter:
    """May `user` see a result? For many results at once: the appraising organizations' paths are loaded in one
    query."""

    def __init__(self, user, appraising_org_ids):
        self.user = user
        self.paths = dict(Organization.objects.filter(pk__in=set(appraising_org_ids)).values_list("pk", "path"))

    def shows(self, appraising_org_id, published: bool, subject_org, person=None) -> bool:
        if published or sees_everything(self.user):
            return True
        appraising = SimpleNamespace(pk=appraising_org_id, path=self.paths.get(appraising_org_id, "-"))
        return sees_unpublished(self.user, appraising, subject_org, person)


def withheld_paths(user, campaign, org) -> set[str]:
    """The paths of subject organizations under `org` with a signed, unpublished result `user` may not see: the
    figures that count classes over them are withheld from that user."""
    if sees_everything(user):
        return set()
    rows = list(
        Appraisal.objects.filter(registration__campaign=campaign, registration__subject_org__path__startswith=org.path)
        .exclude(state__in=[Appraisal.State.SCORING, Appraisal.State.PUBLISHED])
        .values_list(
            "appraising_org_id",
            "registration__subject_org__path",
            "registration__person_id",
            "registration__person__user_id",
        )
    )
    rows += list(
        IndividualAppraisal.objects.filter(
            campaign=campaign, is_current=True, published_at__isnull=True, person__org__path__startswith=org.path
        ).values_list("appraising_org_id", "person__org__path", "person_id", "person__user_id")
    )
    shown = ResultFilter(user, [r[0] for r in rows])
    out = set()
    for appraising_id, subject_path, person_id, person_user in rows:
        person = SimpleNamespace(user_id=person_user) if person_id else None
        if not shown.shows(appraising_id, False, SimpleNamespace(path=subject_path), person):
            out.add(subject_path)
    return out
