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
from functools import cached_property
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import CharField, Count, F, IntegerField, Min, OuterRef, Q, Subquery
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
    target_registered: Decimal
    target_rated: Decimal
    rated_base: str
    bands: list[str]

    @cached_property
    def missing(self) -> list[dict]:
        """Units (collectives) not registered: org, deadline, reminders — all of them (see `missing_units`)."""
        return missing_units(self.campaign, self.org)

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


def is_under(path: str, prefixes: set[str]) -> bool:
    return any(path[:STEP * i] in prefixes for i in range(1, len(path) // STEP + 1))


def _first_expr():
    """Each subject's earliest submission as text in UTC ("2027-03-10 02:00:00[.ffffff]", with "+00" on
    PostgreSQL, whose sessions Django keeps in UTC): such text sorts like time, so comparing it with the start of
    the day after the deadline written the same way decides lateness without parsing every timestamp."""
    return Min(Cast("first_submitted_at", CharField()))


def _late_from(day):
    """The first instant after a deadline day (00:00 the next day in Vietnam), as text comparable with
    `_first_expr`: a first submission is late when its text is not below this one."""
    end = deadline_end(day) if day else None
    if end is None:
        return None
    text = (end + dt.timedelta(microseconds=1)).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return text + "+00" if connection.vendor == "postgresql" else text


class Selection:
    """Which organizations to compute own figures for: a whole subtree (by path prefix) or a list of ids."""

    def __init__(self, subtree: Organization | None = None, ids=None):
        self.subtree, self.ids = subtree, sorted(ids) if ids is not None else None

    def q(self, prefix: str = "") -> Q:
        if self.subtree is not None:
            return Q(**{f"{prefix}path__startswith": self.subtree.path})
        return Q(**{f"{prefix}id__in": self.ids})

    def ancestor_paths(self, paths) -> set[str]:
        if self.subtree is not None:
            return {self.subtree.path[:STEP * i] for i in range(1, self.subtree.depth)}
        return {p[:STEP * i] for p in paths for i in range(1, len(p) // STEP)} - set(paths)


def own_figures(campaign: Campaign, selection: Selection) -> dict[int, tuple[list[int], Counter, Counter]]:
    """Each selected organization's own figures for `campaign`, from scratch — [collectives, individuals,
    registered, on_time, late, rated among registered, rated among all, registrations, missing units], classes and
    fields — in a fixed number of queries whatever the size. Organizations that are not subjects (the root,
    excluded, not in the tree on the campaign's tree date) get zeros."""
    rubrics = {k: rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    orgs = list(Organization.objects.filter(selection.q()).values_list(
        "id", "path", "in_village", "private_enterprise", "valid_from", "valid_to"))
    paths = [o[1] for o in orgs]
    above = selection.ancestor_paths(paths)
    flagged = {path for _id, path, village, private, *_ in orgs if village or private}
    flagged |= set(Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=above)
                   .values_list("path", flat=True)) if above else set()
    cascade = (Cascade(campaign, within=selection.subtree, light=True) if selection.subtree is not None
               else Cascade(campaign, light=True, paths=above | set(paths)))
    root_path, root_id, day = campaign.root.path, campaign.root_id, campaign.tree_date
    path_of, subject_ids = {}, set()
    out: dict[int, tuple[list[int], Counter, Counter]] = {}
    for oid, path, _v, _p, valid_from, valid_to in orgs:
        path_of[oid] = path
        out[oid] = ([0] * 9, Counter(), Counter())
        active = valid_from <= day and (valid_to is None or valid_to > day)
        if active and oid != root_id and path.startswith(root_path) and not (flagged and is_under(path, flagged)):
            subject_ids.add(oid)
    leaders = Person.objects.filter(selection.q("org__"), is_leader=True, active=True).values_list("id", "org_id")
    regs = Registration.objects.filter(selection.q("subject_org__"), campaign=campaign, first_submitted_at__isnull=False)
    first = {("p", pid, oid) if pid else ("o", oid, oid): when for oid, pid, when in
             regs.values("subject_org_id", "person_id").annotate(first=_first_expr()).order_by()
             .values_list("subject_org_id", "person_id", "first") if oid in subject_ids}
    subjects = {("o", oid, oid) for oid in subject_ids}
    subjects.update(("p", pid, oid) for pid, oid in leaders if oid in subject_ids)
    subjects.update(first)
    results = _results(campaign, selection, subject_ids, subjects, rubrics)
    late_from: dict[str, object] = {}

    def limit(org_id):
        parent = path_of[org_id][:-STEP]
        if parent not in late_from:
            late_from[parent] = _late_from(cascade.applicable(SimpleNamespace(path=path_of[org_id])).deadline)
        return late_from[parent]

    lowest = {"o": rubrics[SubjectKind.COLLECTIVE].bands[-1].label, "p": rubrics[SubjectKind.INDIVIDUAL].bands[-1].label}
    for key in subjects:
        kind, _ident, org_id = key
        c, classes, _fields = out[org_id]
        c[0 if kind == "o" else 1] += 1
        submitted = first.get(key)
        if submitted is not None:
            c[2] += 1
            start = limit(org_id)
            if start is not None and submitted >= start:
                c[4] += 1
            else:
                c[3] += 1
        elif kind == "o":
            c[8] += 1
        label = results.get(key)
        if label:
            classes[label] += 1
            if label != lowest[kind]:
                c[6] += 1
                if submitted is not None:
                    c[5] += 1
    for org_id, flds, n in (regs.filter(subject_org_id__in=subject_ids) if selection.ids is not None else regs)\
            .values("subject_org_id", "fields").annotate(n=Count("id")).order_by()\
            .values_list("subject_org_id", "fields", "n"):
        if org_id in subject_ids:
            c, _classes, fields = out[org_id]
            c[7] += n
            for f in flds or []:
                fields[f] += n
    return out


TALLY_COUNTS = ("collectives", "individuals", "registered", "on_time", "late", "rated_registered", "rated_all",
                "registrations", "missing_units")
REFRESH_CHUNK = 2000


def refresh(campaign: Campaign, selection: Selection) -> int:
    """Recompute the selected organizations' tallies from scratch and store them (insert or update)."""
    from .models import Tally

    if selection.ids is not None and len(selection.ids) > REFRESH_CHUNK:
        return sum(refresh(campaign, Selection(ids=selection.ids[i:i + REFRESH_CHUNK]))
                   for i in range(0, len(selection.ids), REFRESH_CHUNK))
    figures = own_figures(campaign, selection)
    rows = [Tally(campaign=campaign, org_id=oid, classes=dict(classes), fields=dict(fields),
                  **dict(zip(TALLY_COUNTS, counts, strict=True)))
            for oid, (counts, classes, fields) in figures.items()]
    Tally.objects.bulk_create(rows, batch_size=2000, update_conflicts=True, unique_fields=["campaign", "org"],
                              update_fields=[*TALLY_COUNTS, "classes", "fields", "computed_at"])
    return len(rows)


def make_fresh(campaign: Campaign, org: Organization) -> int:
    """Recompute whatever the triggers marked dirty that touches `org`'s subtree; returns how many tallies were
    recomputed. A dirty mark on an ancestor's whole subtree is split: this subtree is recomputed, and the rest of
    the ancestor's subtree stays marked (each ancestor on the way down, and each of their other children's
    subtrees)."""
    from .models import TallyDirty

    marks = list(TallyDirty.objects.filter(campaign_id=campaign.pk).annotate(
        path=Subquery(Organization.objects.filter(pk=OuterRef("org_id")).values("path")[:1]))
        .values_list("id", "org_id", "subtree", "path"))
    if not marks:
        return 0
    above = {org.path[:STEP * i] for i in range(1, org.depth)}
    done, own, subtrees, whole, split_from = [], {}, set(), False, set()
    for mid, oid, subtree, path in marks:
        if path is None:  # the organization is gone
            done.append(mid)
        elif path.startswith(org.path):
            done.append(mid)
            if subtree:
                subtrees.add(path)
            else:
                own[oid] = path
        elif subtree and path in above:
            done.append(mid)
            whole = True
            split_from.add(path)
    if not done:
        return 0
    with transaction.atomic():
        n = 0
        if whole or org.path in subtrees:
            n += refresh(campaign, Selection(subtree=org))
        else:
            tops = sorted(subtrees, key=len)
            minimal = [p for i, p in enumerate(tops) if not any(p.startswith(q) for q in tops[:i])]
            for p in minimal:
                n += refresh(campaign, Selection(subtree=Organization.objects.get(path=p)))
            ids = [oid for oid, path in own.items() if not any(path.startswith(p) for p in minimal)]
            if ids:
                    n += refresh(campaign, Selection(ids=ids))
        if split_from:
            top = min(split_from, key=len)
            chain = [org.path[:i] for i in range(len(top), len(org.path), STEP)]
            keep = [TallyDirty(campaign_id=campaign.pk, org_id=oid, subtree=False)
                    for oid in Organization.objects.filter(path__in=chain).values_list("id", flat=True)]
            for link in chain:
                nxt = org.path[:len(link) + STEP]
                keep += [TallyDirty(campaign_id=campaign.pk, org_id=oid, subtree=True) for oid in
                         Organization.objects.filter(path__startswith=link, depth=len(link) // STEP + 1)
                         .exclude(path=nxt).values_list("id", flat=True)]
            have = set(TallyDirty.objects.filter(campaign_id=campaign.pk, org_id__in=[k.org_id for k in keep])
                       .exclude(pk__in=done).values_list("org_id", "subtree"))
            TallyDirty.objects.bulk_create([k for k in keep if (k.org_id, k.subtree) not in have], batch_size=2000)
        for i in range(0, len(done), 5000):
            TallyDirty.objects.filter(pk__in=done[i:i + 5000]).delete()
    return n


def _scope_filter(org: Organization) -> tuple[str, str]:
    if connection.vendor == "postgresql":
        return "o.path LIKE %s", org.path + "%"
    return "o.path GLOB %s", org.path + "*"


def _aggregate(campaign: Campaign, org: Organization):
    """The tallies of `org`'s subtree added up per child (in the database), with how many organizations have none."""
    child_len = len(org.path) + STEP
    where, pattern = _scope_filter(org)
    counts = ", ".join(f"SUM(t.{c})" for c in TALLY_COUNTS)
    sql = (f"SELECT substr(o.path, 1, %s), COUNT(*) - COUNT(t.id), {counts} FROM orgs_organization o "  # nosec B608 — constant column names; values are parameters
           f"LEFT JOIN coverage_tally t ON t.org_id = o.id AND t.campaign_id = %s WHERE {where} "
           "GROUP BY substr(o.path, 1, %s)")
    with connection.cursor() as cur:
        cur.execute(sql, [child_len, campaign.pk, pattern, child_len])
        rows = cur.fetchall()
    return rows


def _breakdowns(campaign: Campaign, org: Organization):
    child_len = len(org.path) + STEP
    where, pattern = _scope_filter(org)
    if connection.vendor == "postgresql":
        each, value, empty = "CROSS JOIN LATERAL jsonb_each_text(t.{col}) j", "CAST(j.value AS integer)", "'{{}}'::jsonb"
    else:
        each, value, empty = ", json_each(t.{col}) j", "CAST(j.value AS integer)", "'{{}}'"
    parts = []
    for tag, col in (("c", "classes"), ("f", "fields")):
        parts.append(f"SELECT '{tag}', substr(o.path, 1, %s), j.key, SUM({value}) FROM coverage_tally t "  # nosec B608
                     f"JOIN orgs_organization o ON o.id = t.org_id {each.format(col=col)} "
                     f"WHERE t.campaign_id = %s AND {where} AND t.{col} <> {empty.format()} "
                     f"GROUP BY substr(o.path, 1, %s), j.key")
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parts), [child_len, campaign.pk, pattern, child_len] * 2)
        return cur.fetchall()


def compute(campaign: Campaign, org: Organization) -> Coverage:
    """The coverage of `org`'s subtree for `campaign`, with one row per direct child (each over its subtree):
    the organizations' tallies (made fresh first) added up by the database."""
    make_fresh(campaign, org)
    rows = _aggregate(campaign, org)
    missing_tallies = sum(r[1] for r in rows)
    if missing_tallies:  # organizations created since (or a campaign never read): compute them now
        refresh(campaign, Selection(subtree=org) if missing_tallies > 1000 else Selection(ids=_untallied(campaign, org)))
        rows = _aggregate(campaign, org)
    sums = {r[0]: [int(x or 0) for x in r[2:]] for r in rows}
    classes, fields = defaultdict(Counter), defaultdict(Counter)
    for tag, prefix, key, n in _breakdowns(campaign, org):
        (classes if tag == "c" else fields)[prefix][key] += int(n)
    return _assemble(campaign, org, sums, classes, fields)


def compute_from_scratch(campaign: Campaign, org: Organization) -> Coverage:
    """The same figures without tallies: every organization's own figures computed now and added up per child in
    Python. The reference the tallies are tested against (and what the benchmark checks them with)."""
    child_len = len(org.path) + STEP
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
    classes, fields = defaultdict(Counter), defaultdict(Counter)
    paths = dict(Organization.objects.filter(path__startswith=org.path).values_list("id", "path"))
    for oid, (counts, cls, flds) in own_figures(campaign, Selection(subtree=org)).items():
        prefix = paths[oid][:child_len]
        row = sums[prefix]
        for i in range(9):
            row[i] += counts[i]
        classes[prefix].update(cls)
        fields[prefix].update(flds)
    return _assemble(campaign, org, sums, classes, fields)


def _untallied(campaign, org):
    from .models import Tally

    return list(Organization.objects.filter(path__startswith=org.path).exclude(
        pk__in=Tally.objects.filter(campaign=campaign, org__path__startswith=org.path).values("org_id"))
        .values_list("id", flat=True))


def _assemble(campaign, org, sums, classes, fields) -> Coverage:
    base_all = campaign.rated_base == Campaign.RatedBase.ALL

    def figures(counts, cls, flds):
        c = counts
        return Figures(collectives=c[0], individuals=c[1], registered=c[2], on_time=c[3], late=c[4],
                       rated=c[6] if base_all else c[5], registrations=c[7], missing_units=c[8],
                       classes=Counter({k: n for k, n in cls.items() if n}), fields=Counter({k: n for k, n in flds.items() if n}))

    total_counts = [0] * 9
    total_classes, total_fields = Counter(), Counter()
    for prefix, c in sums.items():
        for i in range(9):
            total_counts[i] += c[i]
        total_classes.update(classes.get(prefix, ()))
        total_fields.update(fields.get(prefix, ()))
    total = figures(total_counts, total_classes, total_fields)
    child_depth = org.depth + 1
    children = list(Organization.objects.filter(path__startswith=org.path, depth=child_depth)
                    .active_on(campaign.tree_date).values_list("id", "path", "code", "name", "in_village",
                                                               "private_enterprise").order_by("path"))
    grandchildren = set(Organization.objects.filter(path__startswith=org.path, depth=child_depth + 1)
                        .active_on(campaign.tree_date).annotate(prefix=Substr("path", 1, len(org.path) + STEP))
                        .values_list("prefix", flat=True).distinct()) if children else set()
    above = [org.path[:STEP * i] for i in range(1, org.depth + 1)]
    excluded_above = Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=above).exists()
    rows = [Row(oid, code, name, path, excluded_above or village or private,
                figures(sums.get(path, [0] * 9), classes.get(path, Counter()), fields.get(path, Counter())),
                has_children=path in grandchildren)
            for oid, path, code, name, village, private in children]
    applicable = Cascade(campaign, light=True, paths=above).for_subordinates(org)
    bands = [b.label for b in rubric_for(campaign, SubjectKind.COLLECTIVE).rules.bands]
    return Coverage(campaign=campaign, org=org, total=total, rows=rows, target_registered=applicable.target_registered,
                    target_rated=applicable.target_rated, rated_base=campaign.rated_base, bands=bands)


def missing_units(campaign: Campaign, org: Organization, limit: int | None = None) -> list[dict]:
    """Units (collectives) under `org` not registered, in tree order, with their deadline and reminders so far."""
    from .models import Tally

    qs = (Tally.objects.filter(campaign=campaign, org__path__startswith=org.path, missing_units__gt=0)
          .order_by("org__path").values_list("org_id", "org__path", "org__code", "org__name"))
    units = list(qs[:limit] if limit else qs)
    if not units:
        return []
    cascade = Cascade(campaign, within=org, light=True)
    reminders = dict(_reminder_counts(campaign, [u[0] for u in units]))
    return [{"org_id": oid, "code": code, "name": name, "path": path,
             "deadline": cascade.applicable(SimpleNamespace(path=path)).deadline, "reminders": reminders.get(oid, 0)}
            for oid, path, code, name in units]


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


def _results(campaign, selection, subject_ids, subjects, rubrics) -> dict[tuple, str]:
    """Each subject's class for the year: best model + bonuses, capped (the rules of appraisals.scoring), or the
    individual appraisal of someone who registered nothing."""
    best: dict[int, tuple] = {}
    for rid, org_id, person_id, number, total in (
            Appraisal.objects.filter(registration__campaign=campaign, registration__first_submitted_at__isnull=False)
            .filter(selection.q("registration__subject_org__"))
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
            selection.q("subject_org__"), campaign=campaign).values_list(
            "subject_org_id", "person_id", "code", "granted"):
        key = ("p", person_id, org_id) if person_id else ("o", org_id, org_id)
        judgements[key][code] = granted
    fast = {"o": scoring.FastResult(rubrics[SubjectKind.COLLECTIVE]), "p": scoring.FastResult(rubrics[SubjectKind.INDIVIDUAL])}
    out = {key: fast[key[0]].classification_quarters(model_totals, judgements.get(key))
           for key, model_totals in totals.items()}
    for pid, org_id, label in IndividualAppraisal.objects.filter(
            selection.q("person__org__"), campaign=campaign, is_current=True).values_list(
            "person_id", "person__org_id", "classification"):
        key = ("p", pid, org_id)
        if key in subjects and key not in out:
            out[key] = label
    return out
