"""Coverage (SPEC §8), computed over an organization's subtree in a fixed number of queries:

- subjects: every organization of the campaign's tree (as of the campaign's tree date) below the root that
  is not excluded (collective), every active leader of such an organization, and any other member of one who
  submitted a registration (individuals); the root is not a subject; an excluded organization's whole subtree
  and its people are in no count;
- registered: at least one submitted registration; on time when the subject's earliest first submission is not
  after the deadline that applies to its organization (23:59:59 Asia/Ho_Chi_Minh), else late;
- rated: registered subjects whose result for the year (appraisals §6) is classed above the lowest band
  ("đạt" or above), over registered subjects — or over all subjects, as the campaign says;
- classification, field and on-time/late distributions; one row per child, each rolled up over its subtree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Min, Q
from django.db.models.functions import Cast, Substr

from sangtao.appraisals import scoring
from sangtao.appraisals.domain import rubric_for
from sangtao.appraisals.models import Appraisal, BonusJudgement, IndividualAppraisal, SubjectKind
from sangtao.campaigns.domain import Cascade, deadline_end
from sangtao.campaigns.models import Campaign
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration

STEP = Organization.steplen


@dataclass
class Figures:
    collectives: int = 0
    individuals: int = 0
    registered: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    registrations: int = 0
    classes: Counter = field(default_factory=Counter)
    fields: Counter = field(default_factory=Counter)
    missing_units: int = 0

    @property
    def subjects(self) -> int:
        return self.collectives + self.individuals

    @property
    def missing(self) -> int:
        return self.subjects - self.registered

    def add(self, other: Figures):
        for name in ("collectives", "individuals", "registered", "on_time", "late", "rated", "registrations",
                     "missing_units"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.classes.update(other.classes)
        self.fields.update(other.fields)

    def as_dict(self) -> dict:
        return {"subjects": self.subjects, "collectives": self.collectives, "individuals": self.individuals,
                "registered": self.registered, "on_time": self.on_time, "late": self.late, "missing": self.missing,
                "rated": self.rated, "registrations": self.registrations, "missing_units": self.missing_units,
                "classes": dict(self.classes), "fields": dict(self.fields)}


@dataclass
class Row:
    org_id: int
    code: str
    name: str
    path: str
    excluded: bool
    figures: Figures
    has_children: bool = False


@dataclass
class Coverage:
    campaign: Campaign
    org: Organization
    total: Figures
    rows: list[Row]
    missing: list[dict]  # units (collectives) not registered: org, deadline, reminders
    target_registered: Decimal
    target_rated: Decimal
    rated_base: str
    bands: list[str]

    def pct(self, num: int, den: int) -> Decimal | None:
        return (Decimal(num) * 100 / den).quantize(Decimal("0.1")) if den else None

    def registered_pct(self, f: Figures) -> Decimal | None:
        return self.pct(f.registered, f.subjects)

    def rated_pct(self, f: Figures) -> Decimal | None:
        return self.pct(f.rated, f.registered if self.rated_base == Campaign.RatedBase.REGISTERED else f.subjects)

    def as_dict(self) -> dict:
        def one(f: Figures) -> dict:
            return {**f.as_dict(), "registered_pct": _f(self.registered_pct(f)), "rated_pct": _f(self.rated_pct(f))}
        return {
            "campaign": self.campaign.code, "org": {"code": self.org.code, "name": self.org.name},
            "targets": {"registered": _f(self.target_registered), "rated": _f(self.target_rated),
                        "rated_base": self.rated_base},
            "total": one(self.total),
            "children": [{"code": r.code, "name": r.name, "excluded": r.excluded, **one(r.figures)} for r in self.rows],
            "missing_units": [{"code": m["code"], "name": m["name"], "deadline": m["deadline"].isoformat()
                               if m["deadline"] else None, "reminders": m["reminders"]} for m in self.missing],
        }


def _f(value):
    return float(value) if value is not None else None


def _excluded_paths(org: Organization, orgs) -> set[str]:
    flagged = {path for _id, path, *_rest, village, private in orgs if village or private}
    ancestors = [org.path[:STEP * i] for i in range(1, org.depth)]
    flagged |= set(Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=ancestors)
                   .values_list("path", flat=True))
    return flagged


def is_under(path: str, prefixes: set[str]) -> bool:
    return any(path[:STEP * i] in prefixes for i in range(1, len(path) // STEP + 1))


def _first_expr():
    """Each subject's earliest submission as text in UTC ("2027-03-10 02:00:00[.ffffff]", with "+00" on
    PostgreSQL, whose sessions Django keeps in UTC): such text sorts like time, so comparing it with the deadline's
    end written the same way decides lateness without parsing every timestamp in Python."""
    return Min(Cast("first_submitted_at", CharField()))


def _late_test(day):
    """The end of a deadline day, as text comparable with `_first_expr` (later text = later instant)."""
    end = deadline_end(day) if day else None
    if end is None:
        return None
    text = end.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return text + "+00" if connection.vendor == "postgresql" else text


def compute(campaign: Campaign, org: Organization) -> Coverage:
    """The coverage of `org`'s subtree for `campaign`, with one row per direct child (each over its subtree).
    A fixed number of queries whatever the size: rows are filtered by path prefix and grouped in the database,
    and each subject is added straight into its child's row."""
    cascade = Cascade(campaign, within=org, light=True)
    rubrics = {k: rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    orgs = list(Organization.objects.filter(path__startswith=org.path).active_on(campaign.tree_date)
                .values_list("id", "path", "depth", "code", "name", "in_village", "private_enterprise"))
    excluded_prefixes = _excluded_paths(org, orgs)
    root_path, root_id = campaign.root.path, campaign.root_id
    child_len = len(org.path) + STEP
    path_of, excluded_ids, subject_ids = {}, set(), set()
    for oid, path, _depth, _code, _name, _v, _p in orgs:
        path_of[oid] = path
        if excluded_prefixes and is_under(path, excluded_prefixes):
            excluded_ids.add(oid)
        elif oid != root_id and path.startswith(root_path):
            subject_ids.add(oid)
    leaders = Person.objects.filter(org__path__startswith=org.path, is_leader=True, active=True).values_list("id", "org_id")
    regs = Registration.objects.filter(campaign=campaign, first_submitted_at__isnull=False,
                                       subject_org__path__startswith=org.path)
    first = {("p", pid, oid) if pid else ("o", oid, oid): when for oid, pid, when in
             regs.values("subject_org_id", "person_id").annotate(first=_first_expr()).order_by()
             .values_list("subject_org_id", "person_id", "first") if oid in subject_ids}
    subjects = {("o", oid, oid) for oid in subject_ids}
    subjects.update(("p", pid, oid) for pid, oid in leaders if oid in subject_ids)
    subjects.update(first)
    results = _results(campaign, org, subject_ids, subjects, rubrics)
    late_after: dict[str, object] = {}

    def limit(org_id):
        parent = path_of[org_id][:-STEP]
        if parent not in late_after:
            late_after[parent] = _late_test(cascade.applicable(SimpleNamespace(path=path_of[org_id])).deadline)
        return late_after[parent]

    lowest = {"o": rubrics[SubjectKind.COLLECTIVE].bands[-1].label, "p": rubrics[SubjectKind.INDIVIDUAL].bands[-1].label}
    base_all = campaign.rated_base == Campaign.RatedBase.ALL
    # [collectives, individuals, registered, on_time, late, rated, registrations, missing_units] per child prefix
    # (the level's own subjects under its own, shorter, path)
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    classes: dict[str, Counter] = defaultdict(Counter)
    missing_ids = []
    for key in subjects:
        kind, _ident, org_id = key
        c = sums[path_of[org_id][:child_len]]
        c[0 if kind == "o" else 1] += 1
        submitted = first.get(key)
        if submitted is not None:
            c[2] += 1
            end = limit(org_id)
            if end is not None and submitted > end:
                c[4] += 1
            else:
                c[3] += 1
        elif kind == "o":
            c[7] += 1
            missing_ids.append(org_id)
        label = results.get(key)
        if label:
            classes[path_of[org_id][:child_len]][label] += 1
            if label != lowest[kind] and (submitted is not None or base_all):
                c[5] += 1
    fields: dict[str, Counter] = defaultdict(Counter)

    def grouped(qs, sign):
        for prefix, flds, n in (qs.annotate(prefix=Substr("subject_org__path", 1, child_len))
                                .values("prefix", "fields").annotate(n=Count("id")).order_by()
                                .values_list("prefix", "fields", "n")):
            sums[prefix][6] += sign * n
            for f in flds or []:
                fields[prefix][f] += sign * n
    # Registrations and fields per child, grouped in the database; those of excluded organizations (they cannot
    # register, but one may have been excluded after registering) are taken off again.
    grouped(regs, 1)
    excluded_list = sorted(excluded_ids)
    for i in range(0, len(excluded_list), 5000):
        grouped(regs.filter(subject_org_id__in=excluded_list[i:i + 5000]), -1)
    for counter in fields.values():
        for f in [f for f, n in counter.items() if n <= 0]:
            del counter[f]
    total = Figures()
    total_counts = [0] * 8
    for prefix, c in sums.items():
        for i in range(8):
            total_counts[i] += c[i]
        total.classes.update(classes.get(prefix, ()))
        total.fields.update(fields.get(prefix, ()))
    _fill(total, total_counts)
    rows, grandchildren = [], set()
    for oid, path, depth, code, name, _v, _p in orgs:
        if depth == org.depth + 1:
            f = Figures(classes=classes.get(path, Counter()), fields=fields.get(path, Counter()))
            _fill(f, sums.get(path, [0] * 8))
            rows.append(Row(oid, code, name, path, oid in excluded_ids, f))
        elif depth == org.depth + 2:
            grandchildren.add(path[:child_len])
    for row in rows:
        row.has_children = row.path in grandchildren
    reminders = dict(_reminder_counts(campaign, missing_ids))
    names = {oid: (code, name) for oid, _p, _d, code, name, _v, _x in orgs} if missing_ids else {}
    missing = [{"org_id": oid, "code": names[oid][0], "name": names[oid][1], "path": path_of[oid],
                "deadline": cascade.applicable(SimpleNamespace(path=path_of[oid])).deadline,
                "reminders": reminders.get(oid, 0)}
               for oid in sorted(missing_ids, key=lambda i: path_of[i])]
    applicable = cascade.for_subordinates(org)
    return Coverage(campaign=campaign, org=org, total=total, rows=sorted(rows, key=lambda r: r.path), missing=missing,
                    target_registered=applicable.target_registered, target_rated=applicable.target_rated,
                    rated_base=campaign.rated_base,
                    bands=[b.label for b in rubrics[SubjectKind.COLLECTIVE].bands])


def _fill(f: Figures, c: list[int]):
    (f.collectives, f.individuals, f.registered, f.on_time, f.late, f.rated, f.registrations,
     f.missing_units) = c


def _reminder_counts(campaign, org_ids):
    from .models import Reminder

    if not org_ids:
        return []
    return (Reminder.objects.filter(campaign=campaign, org_id__in=org_ids, person__isnull=True,
                                    kind=Reminder.Kind.REGISTRATION)
            .values("org_id").annotate(n=Count("id")).order_by().values_list("org_id", "n"))


def _results(campaign, org, subject_ids, subjects, rubrics) -> dict[tuple, str]:
    """Each subject's class for the year: best model + bonuses, capped (the rules of appraisals.scoring), or the
    individual appraisal of someone who registered nothing."""
    best: dict[int, tuple] = {}
    for rid, org_id, person_id, number, total in (
            Appraisal.objects.filter(registration__campaign=campaign, registration__first_submitted_at__isnull=False,
                                     registration__subject_org__path__startswith=org.path)
            .exclude(state=Appraisal.State.SCORING)
            .annotate(quarters=Cast(F("total") * 4, IntegerField()))  # totals are on the 0,25 step: exact integers
            .values_list("registration_id", "registration__subject_org_id", "registration__person_id", "number",
                         "quarters")):
        if org_id in subject_ids and (rid not in best or number > best[rid][0]):
            best[rid] = (number, total, ("p", person_id, org_id) if person_id else ("o", org_id, org_id))
    totals: dict[tuple, list[int]] = defaultdict(list)
    for _n, quarters, key in best.values():
        totals[key].append(quarters)
    judgements: dict[tuple, dict] = defaultdict(dict)
    for org_id, person_id, code, granted in BonusJudgement.objects.filter(
            campaign=campaign, subject_org__path__startswith=org.path).values_list(
            "subject_org_id", "person_id", "code", "granted"):
        key = ("p", person_id, org_id) if person_id else ("o", org_id, org_id)
        judgements[key][code] = granted
    fast = {"o": scoring.FastResult(rubrics[SubjectKind.COLLECTIVE]), "p": scoring.FastResult(rubrics[SubjectKind.INDIVIDUAL])}
    out = {key: fast[key[0]].classification_quarters(model_totals, judgements.get(key))
           for key, model_totals in totals.items()}
    for pid, org_id, label in IndividualAppraisal.objects.filter(
            campaign=campaign, is_current=True, person__org__path__startswith=org.path).values_list(
            "person_id", "person__org_id", "classification"):
        key = ("p", pid, org_id)
        if key in subjects and key not in out:
            out[key] = label
    return out
