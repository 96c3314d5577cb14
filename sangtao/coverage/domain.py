"""Coverage (SPEC §8) of an organization's subtree:

- subjects: every organization of the campaign's tree (as of the campaign's tree date) below the root that
  is not excluded (collective), every active leader of such an organization, and any other member of one who
  submitted a registration (individuals); the root is not a subject; an excluded organization's whole subtree
  and its people are in no count;
- registered: at least one submitted registration; on time when the subject's earliest first submission is not
  after the deadline that applies to its organization (23:59:59 Asia/Ho_Chi_Minh), else late;
- rated: registered subjects whose result for the year (appraisals §6) is classed above the lowest band
  ("đạt" or above), over registered subjects — or over all subjects, as the campaign says;
- classification, field and on-time/late distributions; one row per child, each rolled up over its subtree.

How (docs/rules.md V8): `own_figures` computes organizations' own figures from scratch (a fixed number of
queries whatever their number); they are stored per campaign (`Tally`) with their subtrees' sums (`Rollup`),
marked dirty by database triggers on every change they depend on, and recomputed by `make_fresh` before
`compute` reads a page's own rollup and its children's. `compute_from_scratch` is the reference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import CharField, Count, F, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Substr

from sangtao.appraisals import scoring
from sangtao.appraisals.domain import rubric_for
from sangtao.appraisals.models import Appraisal, BonusJudgement, IndividualAppraisal, SubjectKind
from sangtao.campaigns.domain import Cascade, deadline_end
from sangtao.campaigns.models import Campaign
from sangtao.common.ops import primary_only
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration

from .models import Reminder, Rollup, Tally, TallyDirty

STEP = Organization.steplen


COUNT_NAMES = ("collectives", "individuals", "registered", "on_time", "late", "rated", "registrations", "missing_units")


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
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.classes.update(other.classes)
        self.fields.update(other.fields)

    def minus(self, other: Figures) -> Figures:
        """These figures less `other`'s (a total less its parts)."""
        out = Figures(**{name: getattr(self, name) - getattr(other, name) for name in COUNT_NAMES})
        out.classes = Counter({k: n - other.classes.get(k, 0) for k, n in self.classes.items()})
        out.fields = Counter({k: n - other.fields.get(k, 0) for k, n in self.fields.items()})
        return out

    def as_dict(self) -> dict:
        return {
            "subjects": self.subjects,
            "collectives": self.collectives,
            "individuals": self.individuals,
            "registered": self.registered,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "rated": self.rated,
            "registrations": self.registrations,
            "missing_units": self.missing_units,
            "classes": dict(self.classes),
            "fields": dict(self.fields),
        }


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
    pending: bool = False  # being recomputed in the background: the figures are those stored before

    @cached_property
    def own(self) -> Figures:
        """The level's own subjects — the organization itself (unless it opened the campaign) and its people: its
        leaders and members who registered. The total less the rows of its subordinate units, so that the rows
        and this one always add up to the total (issue 19)."""
        parts = Figures()
        for row in self.rows:
            parts.add(row.figures)
        return self.total.minus(parts)

    @cached_property
    def missing(self) -> list[dict]:
        """Units (collectives) below the level not registered: org, deadline, reminders — all of them (see
        `missing_units`; never the level itself, rules V11)."""
        return missing_units(self.campaign, self.org)

    @property
    def missing_count(self) -> int:
        """How many units below the level are not registered — the length of `missing`, without reading it: the
        rows' units (the level itself is in `own`, not here; rules V11)."""
        return sum(row.figures.missing_units for row in self.rows)

    @property
    def itself_missing(self) -> bool:
        """The level is itself a subject (not the campaign's root) and has not registered: counted in its own
        row (`own`) and urged by its parent, where it is one of the units missing (rules V11)."""
        return self.own.missing_units > 0

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
            "campaign": self.campaign.code,
            "org": {"code": self.org.code, "name": self.org.name},
            "targets": {
                "registered": _f(self.target_registered),
                "rated": _f(self.target_rated),
                "rated_base": self.rated_base,
            },
            "total": one(self.total),
            "children": [{"code": r.code, "name": r.name, "excluded": r.excluded, **one(r.figures)} for r in self.rows],
            "own": one(self.own),
            "pending": self.pending,
            "missing_units": [
                {
                    "code": m["code"],
                    "name": m["name"],
                    "deadline": m["deadline"].isoformat() if m["deadline"] else None,
                    "reminders": m["reminders"],
                }
                for m in self.missing
            ],
        }


def _f(value):
    return float(value) if value is not None else None


def is_under(path: str, prefixes: set[str]) -> bool:
    return any(path[: STEP * i] in prefixes for i in range(1, len(path) // STEP + 1))


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
            return {self.subtree.path[: STEP * i] for i in range(1, self.subtree.depth)}
        return {p[: STEP * i] for p in paths for i in range(1, len(p) // STEP)} - set(paths)


def own_figures(campaign: Campaign, selection: Selection) -> dict[int, tuple[list[int], Counter, Counter, str]]:
    """Each selected organization's own figures for `campaign`, from scratch — [collectives, individuals,
    registered, on_time, late, rated among registered, rated among all, registrations, missing units], classes and
    fields — in a fixed number of queries whatever the size. Organizations that are not subjects (the root,
    excluded, not in the tree on the campaign's tree date) get zeros."""
    rubrics = {k: rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    orgs = list(
        Organization.objects.filter(selection.q()).values_list(
            "id", "path", "in_village", "private_enterprise", "valid_from", "valid_to"
        )
    )
    paths = [o[1] for o in orgs]
    above = selection.ancestor_paths(paths)
    flagged = {path for _id, path, village, private, *_ in orgs if village or private}
    flagged |= (
        set(
            Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=above).values_list(
                "path", flat=True
            )
        )
        if above
        else set()
    )
    cascade = (
        Cascade(campaign, within=selection.subtree, light=True)
        if selection.subtree is not None
        else Cascade(campaign, light=True, paths=above | set(paths))
    )
    root_path, root_id, day = campaign.root.path, campaign.root_id, campaign.tree_date
    path_of, subject_ids = {}, set()
    out: dict[int, tuple[list[int], Counter, Counter, str]] = {}
    for oid, path, _v, _p, valid_from, valid_to in orgs:
        path_of[oid] = path
        out[oid] = ([0] * 9, Counter(), Counter(), path)
        active = valid_from <= day and (valid_to is None or valid_to > day)
        if active and oid != root_id and path.startswith(root_path) and not (flagged and is_under(path, flagged)):
            subject_ids.add(oid)
    leaders = Person.objects.filter(selection.q("org__"), is_leader=True, active=True).values_list("id", "org_id")
    regs = Registration.objects.filter(
        selection.q("subject_org__"), campaign=campaign, first_submitted_at__isnull=False
    )
    first = {
        ("p", pid, oid) if pid else ("o", oid, oid): when
        for oid, pid, when in regs.values("subject_org_id", "person_id")
        .annotate(first=_first_expr())
        .order_by()
        .values_list("subject_org_id", "person_id", "first")
        if oid in subject_ids
    }
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

    lowest = {
        "o": rubrics[SubjectKind.COLLECTIVE].bands[-1].label,
        "p": rubrics[SubjectKind.INDIVIDUAL].bands[-1].label,
    }
    for key in subjects:
        kind, _ident, org_id = key
        c, classes, _fields, _path = out[org_id]
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
    for org_id, flds, n in (
        (regs.filter(subject_org_id__in=subject_ids) if selection.ids is not None else regs)
        .values("subject_org_id", "fields")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("subject_org_id", "fields", "n")
    ):
        if org_id in subject_ids:
            c, _classes, fields, _path = out[org_id]
            c[7] += n
            for f in flds or []:
                fields[f] += n
    return out


def _zero() -> list:
    """Figures being added up: [counts, classes, fields]."""
    return [[0] * 9, Counter(), Counter()]


def _sum_into(acc: list, counts, classes, fields):
    for i, n in enumerate(counts):
        acc[0][i] += n
    acc[1].update(classes or {})
    acc[2].update(fields or {})


def _outermost(paths) -> list[str]:
    """The subtrees among these that are not inside another one."""
    tops = sorted(set(paths), key=len)
    return [p for i, p in enumerate(tops) if not any(p.startswith(q) for q in tops[:i])]


TALLY_COUNTS = (
    "collectives",
    "individuals",
    "registered",
    "on_time",
    "late",
    "rated_registered",
    "rated_all",
    "registrations",
    "missing_units",
)
FIGURE_COLUMNS = (*TALLY_COUNTS, "classes", "fields")
REFRESH_CHUNK = 2000


def refresh(campaign: Campaign, selection: Selection, figures=None) -> dict[int, str]:
    """Recompute the selected organizations' tallies from scratch and store them (insert or update); returns the
    recomputed organizations' paths by id."""

    if selection.ids is not None and len(selection.ids) > REFRESH_CHUNK:
        done = {}
        for i in range(0, len(selection.ids), REFRESH_CHUNK):
            done.update(refresh(campaign, Selection(ids=selection.ids[i : i + REFRESH_CHUNK])))
        return done
    figures = own_figures(campaign, selection) if figures is None else figures
    _store(Tally, campaign, ((oid, counts, classes, fields) for oid, (counts, classes, fields, _p) in figures.items()))
    return {oid: path for oid, (*_f, path) in figures.items()}


def _store(model, campaign, rows):
    model.objects.bulk_create(
        [
            model(
                campaign=campaign,
                org_id=oid,
                classes={k: n for k, n in classes.items() if n},
                fields={k: n for k, n in fields.items() if n},
                **dict(zip(TALLY_COUNTS, counts, strict=True)),
            )
            for oid, counts, classes, fields in rows
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["campaign", "org"],
        update_fields=[*TALLY_COUNTS, "classes", "fields", "computed_at"],
    )


def build_subtree(campaign: Campaign, org: Organization) -> dict[int, str]:
    """Every tally and rollup of `org`'s subtree, computed in one pass: the own figures from scratch, then the
    rollups added up from the deepest level in memory (a campaign read for the first time, or a change that
    marked a whole subtree)."""

    figures = own_figures(campaign, Selection(subtree=org))
    refresh(campaign, Selection(subtree=org), figures=figures)
    ids, acc = {}, {}
    for oid, (counts, classes, fields, path) in figures.items():
        ids[path], acc[path] = oid, _zero()
        _sum_into(acc[path], counts, classes, fields)
    for path in sorted(acc, key=len, reverse=True):  # deepest first: each adds itself into its parent
        if path[:-STEP] in acc:
            _sum_into(acc[path[:-STEP]], *acc[path])
    _store(Rollup, campaign, ((ids[p], *a) for p, a in acc.items()))
    return {oid: path for oid, (*_f, path) in figures.items()}


def rebuild_rollups(campaign: Campaign, paths) -> int:
    """Rebuild the rollups of these organizations and of all their ancestors, deepest first: each is its own
    tally plus its children's rollups (read after the level below has been written)."""

    affected: dict[int, set[str]] = defaultdict(set)
    for path in paths:
        for i in range(1, len(path) // STEP + 1):
            affected[i].add(path[: STEP * i])
    written = 0
    for depth in sorted(affected, reverse=True):
        level = sorted(affected[depth])
        for i in range(0, len(level), REFRESH_CHUNK):
            chunk = level[i : i + REFRESH_CHUNK]
            ids = dict(Organization.objects.filter(path__in=chunk).values_list("path", "id"))
            acc = {p: _zero() for p in ids}
            for path, *vals in Tally.objects.filter(campaign=campaign, org__path__in=chunk).values_list(
                "org__path", *FIGURE_COLUMNS
            ):
                _sum_into(acc[path], vals[:9], vals[9], vals[10])
            below = Rollup.objects.filter(campaign=campaign, org__depth=depth + 1)
            below = (
                below.filter(org__path__startswith=chunk[0])
                if len(chunk) == 1
                else below.annotate(parent=Substr("org__path", 1, STEP * depth)).filter(parent__in=chunk)
            )
            for path, *vals in below.values_list("org__path", *FIGURE_COLUMNS):
                if path[: STEP * depth] in acc:
                    _sum_into(acc[path[: STEP * depth]], vals[:9], vals[9], vals[10])
            _store(Rollup, campaign, ((ids[p], *a) for p, a in acc.items()))
            written += len(acc)
    return written


PENDING = -1  # make_fresh left the work to the background (too big for a page, or another refresh is running)


class _Busy(Exception):
    pass


def make_fresh(campaign: Campaign, org: Organization, built: bool | None = None, limit: int | None = None) -> int:
    """Recompute the dirty tallies under `org` and the rollups above them (see `_make_fresh`), reading from the
    primary database even on a page allowed to read from a replica. With `limit` (a page), work over more than that
    many organizations — a campaign's first read, a change at a national level — is handed to the background
    task and PENDING returned, as it is when another refresh of the campaign holds its lock."""
    with primary_only():
        try:
            return _make_fresh(campaign, org, built, limit)
        except _Busy:
            return PENDING


def lock_campaign(campaign: Campaign, nowait: bool = False):
    """Refreshes of one campaign take turns on its row. FOR NO KEY UPDATE: it does not conflict with the key-share
    locks that inserting a registration (a foreign key to the campaign) takes, so writers never wait for a refresh."""
    Campaign.objects.select_for_update(nowait=nowait, no_key=True).filter(pk=campaign.pk).exists()


def _work_size(org, built, pending) -> int:
    """How many organizations' figures the pending marks would recompute."""
    if not built or any(m[2] and m[3] and not m[3].startswith(org.path) for m in pending):
        return Organization.objects.filter(path__startswith=org.path).count()
    return sum(1 for m in pending if not m[2]) + sum(
        Organization.objects.filter(path__startswith=p).count()
        for p in _outermost(m[3] for m in pending if m[2] and m[3])
    )


def refresh_asked_key(campaign_id: int) -> str:
    """The cache key saying a background refresh of this campaign has been asked for (one at a time)."""
    return f"sangtao:coverage:refresh:{campaign_id}"


def forget(campaign: Campaign):
    """Drop a campaign's stored figures and marks: its next read computes everything from scratch."""

    Tally.objects.filter(campaign=campaign).delete()
    Rollup.objects.filter(campaign=campaign).delete()
    TallyDirty.objects.filter(campaign_id=campaign.pk).delete()


REFRESH_TASK = "sangtao.coverage.tasks.refresh_tallies"


def _in_background(campaign):
    """Ask a worker to recompute the campaign (once at a time). The task is looked up by its registered name, so
    the domain does not import the tasks module that imports it (one direction: tasks → domain)."""

    if cache.add(refresh_asked_key(campaign.pk), 1, 120):
        task = current_app.tasks[REFRESH_TASK]
        transaction.on_commit(lambda: task.delay(campaign.pk))


def _make_fresh(campaign: Campaign, org: Organization, built: bool | None, limit: int | None = None) -> int:  # noqa: C901 — split marks, first reads and rollups: each branch is a case the tally test walks
    """Recompute whatever the triggers marked dirty that touches `org`'s subtree, then the rollups above it;
    returns how many tallies were recomputed (at least 1 when anything was written). A dirty mark on an
    ancestor's whole subtree is split: this subtree is recomputed, and the rest of the ancestor's subtree stays marked (each ancestor on the way down, and each
    of their other children's subtrees). A campaign read for the first time here computes the whole subtree.
    Refreshes of one campaign take turns (a lock on its row), so two of them never build a parent's rollup from
    each other's half-written children."""

    above = {org.path[: STEP * i] for i in range(1, org.depth)}

    def marks():  # the marks under `org`, on a whole subtree above it, or on organizations since deleted
        return list(
            TallyDirty.objects.filter(campaign_id=campaign.pk)
            .annotate(path=Subquery(Organization.objects.filter(pk=OuterRef("org_id")).values("path")[:1]))
            .filter(Q(path__startswith=org.path) | Q(subtree=True, path__in=above) | Q(path__isnull=True))
            .values_list("id", "org_id", "subtree", "path")
        )

    if built is None:
        built = Rollup.objects.filter(campaign=campaign, org=org).exists()
    first = marks()
    if built and not first:
        return 0
    if limit is not None and _work_size(org, built, first) > limit:
        _in_background(campaign)
        return PENDING
    with transaction.atomic():
        try:
            with transaction.atomic():
                lock_campaign(campaign, nowait=limit is not None)
        except DatabaseError as exc:  # a page does not wait behind a long refresh: it shows what is there
            raise _Busy from exc
        pending = marks()  # again, under the lock: another refresh may have done the work
        built = Rollup.objects.filter(campaign=campaign, org=org).exists()
        if built and not pending:
            return 1  # another refresh did it meanwhile: read again
        done, own, subtrees, split_from = [], {}, set(), set()
        whole = not built
        for mid, oid, subtree, path in pending:
            done.append(mid)
            if path is None:  # the organization is gone
                continue
            if path.startswith(org.path):
                if subtree:
                    subtrees.add(path)
                else:
                    own[oid] = path
            else:
                whole = True
                split_from.add(path)
        refreshed: dict[int, str] = {}
        if whole or org.path in subtrees:
            refreshed.update(build_subtree(campaign, org))
            rollups_from = {org.path[:-STEP]} if org.depth > 1 else set()
        else:
            minimal = _outermost(subtrees)
            for p in minimal:  # whole subtrees: built in one pass, then the rollups above them
                refreshed.update(build_subtree(campaign, Organization.objects.get(path=p)))
            rollups_from = {p[:-STEP] for p in minimal} | {org.path}
            ids = [oid for oid, path in own.items() if not any(path.startswith(p) for p in minimal)]
            if ids:
                fresh = refresh(campaign, Selection(ids=ids))
                refreshed.update(fresh)
                rollups_from |= set(fresh.values())
        if split_from:
            top = min(split_from, key=len)
            chain = [org.path[:i] for i in range(len(top), len(org.path), STEP)]
            keep = [
                TallyDirty(campaign_id=campaign.pk, org_id=oid, subtree=False)
                for oid in Organization.objects.filter(path__in=chain).values_list("id", flat=True)
            ]
            for link in chain:
                nxt = org.path[: len(link) + STEP]
                keep += [
                    TallyDirty(campaign_id=campaign.pk, org_id=oid, subtree=True)
                    for oid in Organization.objects.filter(path__startswith=link, depth=len(link) // STEP + 1)
                    .exclude(path=nxt)
                    .values_list("id", flat=True)
                ]
            have = set(
                TallyDirty.objects.filter(campaign_id=campaign.pk, org_id__in=[k.org_id for k in keep])
                .exclude(pk__in=done)
                .values_list("org_id", "subtree")
            )
            TallyDirty.objects.bulk_create([k for k in keep if (k.org_id, k.subtree) not in have], batch_size=2000)
        for i in range(0, len(done), 5000):
            TallyDirty.objects.filter(pk__in=done[i : i + 5000]).delete()
        rebuild_rollups(campaign, rollups_from)
    return max(1, len(refreshed))


def compute(campaign: Campaign, org: Organization, limit: int | None = None) -> Coverage:
    """The coverage of `org`'s subtree for `campaign`, with one row per direct child (each over its subtree): the
    rollups of the organization (the total) and of its children, made fresh first. With `limit` (pages), a
    recomputation over more organizations than that is left to the background and the figures are marked
    `pending` (as they stood, possibly none)."""

    rollups = Rollup.objects.filter(
        campaign=campaign, org__depth__in=(org.depth, org.depth + 1), org__path__startswith=org.path
    ).values_list("org__path", *FIGURE_COLUMNS)
    rows = list(rollups.all())
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        limit = None  # no worker to hand the work to (no broker): the page does it
    done = make_fresh(campaign, org, built=any(r[0] == org.path for r in rows), limit=limit)
    if done > 0 or not rows:
        with primary_only():  # what was just written, not a replica that may lag
            rows = list(rollups.all())
    sums, classes, fields = {}, {}, {}
    for path, *vals in rows:
        sums[path], classes[path], fields[path] = list(vals[:9]), Counter(vals[9]), Counter(vals[10])
    own = org.path
    total = sums.pop(own, [0] * 9), classes.pop(own, Counter()), fields.pop(own, Counter())
    cov = _assemble(campaign, org, sums, classes, fields, total=total)
    cov.pending = done == PENDING
    return cov


def compute_from_scratch(campaign: Campaign, org: Organization) -> Coverage:
    """The same figures without tallies: every organization's own figures computed now and added up per child in
    Python. The reference the tallies are tested against (`tests/coverage/test_tallies.py`, `coverage --check`)."""
    child_len = len(org.path) + STEP
    per_child: dict[str, list] = defaultdict(_zero)
    total = _zero()
    for counts, cls, flds, path in own_figures(campaign, Selection(subtree=org)).values():
        _sum_into(total, counts, cls, flds)
        if len(path) >= child_len:
            _sum_into(per_child[path[:child_len]], counts, cls, flds)
    return _assemble(
        campaign,
        org,
        {p: a[0] for p, a in per_child.items()},
        {p: a[1] for p, a in per_child.items()},
        {p: a[2] for p, a in per_child.items()},
        total=total,
    )


def _assemble(campaign, org, sums, classes, fields, total) -> Coverage:
    base_all = campaign.rated_base == Campaign.RatedBase.ALL

    def figures(counts, cls, flds):
        c = counts
        return Figures(
            collectives=c[0],
            individuals=c[1],
            registered=c[2],
            on_time=c[3],
            late=c[4],
            rated=c[6] if base_all else c[5],
            registrations=c[7],
            missing_units=c[8],
            classes=Counter({k: n for k, n in cls.items() if n}),
            fields=Counter({k: n for k, n in flds.items() if n}),
        )

    total = figures(*total)
    child_depth = org.depth + 1
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=child_depth)
        .active_on(campaign.tree_date)
        .values_list("id", "path", "code", "name", "in_village", "private_enterprise", "numchild")
        .order_by("path")
    )
    above = [org.path[: STEP * i] for i in range(1, org.depth + 1)]
    excluded_above = Organization.objects.filter(
        Q(in_village=True) | Q(private_enterprise=True), path__in=above
    ).exists()
    rows = [
        Row(
            oid,
            code,
            name,
            path,
            excluded_above or village or private,
            figures(sums.get(path, [0] * 9), classes.get(path, Counter()), fields.get(path, Counter())),
            has_children=numchild > 0,
        )
        for oid, path, code, name, village, private, numchild in children
    ]
    applicable = Cascade(campaign, light=True, paths=above).for_subordinates(org)
    bands = [b.label for b in rubric_for(campaign, SubjectKind.COLLECTIVE).rules.bands]
    return Coverage(
        campaign=campaign,
        org=org,
        total=total,
        rows=rows,
        target_registered=applicable.target_registered,
        target_rated=applicable.target_rated,
        rated_base=campaign.rated_base,
        bands=bands,
    )


def scope_subjects(campaign: Campaign, org: Organization) -> list[tuple[Organization, Person | None]]:
    """The subjects of `org`'s subtree by V1 as a list (for the year-end export): every organization in the tree on
    the campaign's tree date, below the root and not excluded, and the active leaders of each. (Members who are
    not leaders are subjects only when they registered; the export lists those from their registrations.)"""
    day, root = campaign.tree_date, campaign.root
    above = [org.path[: STEP * i] for i in range(1, org.depth)]
    if Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=above).exists():
        return []
    orgs = list(Organization.objects.filter(path__startswith=org.path).active_on(day).order_by("path"))
    flagged = [o.path for o in orgs if o.in_village or o.private_enterprise]
    subjects = [
        o
        for o in orgs
        if o.pk != root.pk and o.path.startswith(root.path) and not any(o.path.startswith(f) for f in flagged)
    ]
    leaders = defaultdict(list)
    for person in Person.objects.filter(org__in=subjects, is_leader=True, active=True).order_by("full_name"):
        leaders[person.org_id].append(person)
    out: list[tuple[Organization, Person | None]] = []
    for o in subjects:
        out.append((o, None))
        out.extend((o, p) for p in leaders[o.pk])
    return out


def missing_units(campaign: Campaign, org: Organization, limit: int | None = None) -> list[dict]:
    """Units (collectives) below `org` not registered, in tree order, with their deadline and reminders so far —
    never `org` itself (rules V11): a level's own registration goes to its parent, which urges it and lists it; on
    the level's own figures it is counted in the row of its direct subjects. The one list of the coverage page, its
    workbook, the reminders sent from it, the công văn đôn đốc and the upward report (BC)."""

    qs = (
        Tally.objects.filter(campaign=campaign, org__path__startswith=org.path, missing_units__gt=0)
        .exclude(org_id=org.pk)
        .order_by("org__path")
        .values_list("org_id", "org__path", "org__code", "org__name")
    )
    units = list(qs[:limit] if limit else qs)
    if not units:
        return []
    cascade = Cascade(campaign, within=org, light=True)
    reminders = dict(_reminder_counts(campaign, [u[0] for u in units]))
    return [
        {
            "org_id": oid,
            "code": code,
            "name": name,
            "path": path,
            "deadline": cascade.applicable(SimpleNamespace(path=path)).deadline,
            "reminders": reminders.get(oid, 0),
        }
        for oid, path, code, name in units
    ]


def _reminder_counts(campaign, org_ids):

    if not org_ids:
        return []
    return (
        Reminder.objects.filter(
            campaign=campaign, org_id__in=org_ids, person__isnull=True, kind=Reminder.Kind.REGISTRATION
        )
        .values("org_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("org_id", "n")
    )


def _results(campaign, selection, subject_ids, subjects, rubrics) -> dict[tuple, str]:
    """Each subject's class for the year: best model + bonuses, capped (the rules of appraisals.scoring), or the
    individual appraisal of someone who registered nothing."""
    best: dict[int, tuple] = {}
    for rid, org_id, person_id, number, total in (
        Appraisal.objects.filter(registration__campaign=campaign, registration__first_submitted_at__isnull=False)
        .filter(selection.q("registration__subject_org__"))
        .exclude(state=Appraisal.State.SCORING)
        .annotate(quarters=Cast(F("total") * 4, IntegerField()))  # totals are on the 0,25 step: exact integers
        .values_list("registration_id", "registration__subject_org_id", "registration__person_id", "number", "quarters")
    ):
        if org_id in subject_ids and (rid not in best or number > best[rid][0]):
            best[rid] = (number, total, ("p", person_id, org_id) if person_id else ("o", org_id, org_id))
    totals: dict[tuple, list[int]] = defaultdict(list)
    for _n, quarters, key in best.values():
        totals[key].append(quarters)
    judgements: dict[tuple, dict] = defaultdict(dict)
    for org_id, person_id, code, granted in BonusJudgement.objects.filter(
        selection.q("subject_org__"), campaign=campaign
    ).values_list("subject_org_id", "person_id", "code", "granted"):
        key = ("p", person_id, org_id) if person_id else ("o", org_id, org_id)
        judgements[key][code] = granted
    fast = {
        "o": scoring.FastResult(rubrics[SubjectKind.COLLECTIVE]),
        "p": scoring.FastResult(rubrics[SubjectKind.INDIVIDUAL]),
    }
    out = {
        key: fast[key[0]].classification_quarters(model_totals, judgements.get(key))
        for key, model_totals in totals.items()
    }
    for pid, org_id, label in IndividualAppraisal.objects.filter(
        selection.q("person__org__"), campaign=campaign, is_current=True
    ).values_list("person_id", "person__org_id", "classification"):
        key = ("p", pid, org_id)
        if key in subjects and key not in out:
            out[key] = label
    return out
