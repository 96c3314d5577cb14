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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count

from sangtao.appraisals import scoring
from sangtao.appraisals.domain import rubric_for
from sangtao.appraisals.models import Appraisal, BonusJudgement, IndividualAppraisal, SubjectKind
from sangtao.campaigns.domain import Cascade, is_late
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
    flagged |= set(Organization.objects.filter(path__in=ancestors).filter(
        models_q_flagged()).values_list("path", flat=True))
    return flagged


def models_q_flagged():
    from django.db.models import Q

    return Q(in_village=True) | Q(private_enterprise=True)


def is_under(path: str, prefixes: set[str]) -> bool:
    return any(path[:STEP * i] in prefixes for i in range(1, len(path) // STEP + 1))


def compute(campaign: Campaign, org: Organization) -> Coverage:
    """The coverage of `org`'s subtree for `campaign`, with one row per direct child (each over its subtree)."""
    cascade = Cascade(campaign)
    orgs = list(Organization.objects.filter(path__startswith=org.path).active_on(campaign.tree_date)
                .values_list("id", "path", "depth", "code", "name", "in_village", "private_enterprise"))
    excluded_prefixes = _excluded_paths(org, orgs)
    info = {}
    for oid, path, depth, code, name, village, private in orgs:
        info[oid] = SimpleNamespace(id=oid, path=path, depth=depth, code=code, name=name,
                                    excluded=is_under(path, excluded_prefixes))
    subject_orgs = {oid: o for oid, o in info.items() if not o.excluded and oid != campaign.root_id
                    and o.path.startswith(campaign.root.path)}
    leaders = set(Person.objects.filter(org_id__in=list(subject_orgs), is_leader=True, active=True)
                  .values_list("id", "org_id"))
    regs = list(Registration.objects.filter(campaign=campaign, first_submitted_at__isnull=False,
                                            subject_org_id__in=list(subject_orgs))
                .values_list("id", "subject_org_id", "person_id", "first_submitted_at", "fields"))
    # Each subject's earliest submission, its registrations and fields.
    first: dict[tuple, object] = {}
    reg_subject: dict[int, tuple] = {}
    fields_by_org: dict[int, Counter] = defaultdict(Counter)
    regs_by_org: Counter = Counter()
    for rid, org_id, person_id, submitted, flds in regs:
        key = ("p", person_id, org_id) if person_id else ("o", org_id, org_id)
        reg_subject[rid] = key
        if key not in first or submitted < first[key]:
            first[key] = submitted
        fields_by_org[org_id].update(flds or [])
        regs_by_org[org_id] += 1
    subjects = {("o", oid, oid) for oid in subject_orgs} | {("p", pid, oid) for pid, oid in leaders} | set(first)
    results = _results(campaign, reg_subject, subjects)
    deadlines: dict[int, object] = {}

    def deadline(org_id):
        if org_id not in deadlines:
            deadlines[org_id] = cascade.applicable(SimpleNamespace(path=info[org_id].path)).deadline
        return deadlines[org_id]

    per_org: dict[int, Figures] = defaultdict(Figures)
    rubrics = {k: rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    base_all = campaign.rated_base == Campaign.RatedBase.ALL
    for key in subjects:
        kind, _ident, org_id = key
        f = per_org[org_id]
        if kind == "o":
            f.collectives += 1
        else:
            f.individuals += 1
        submitted = first.get(key)
        if submitted is not None:
            f.registered += 1
            if is_late(submitted, deadline(org_id)):
                f.late += 1
            else:
                f.on_time += 1
        elif kind == "o":
            f.missing_units += 1
        label = results.get(key)
        if label:
            f.classes[label] += 1
            rules = rubrics[SubjectKind.COLLECTIVE if kind == "o" else SubjectKind.INDIVIDUAL]
            if label != rules.bands[-1].label and (submitted is not None or base_all):
                f.rated += 1
    for org_id, counter in fields_by_org.items():
        per_org[org_id].fields.update(counter)
        per_org[org_id].registrations += regs_by_org[org_id]
    # Roll up: the total over the subtree, and each direct child over its own subtree.
    total = Figures()
    child_len = len(org.path) + STEP
    children = {o.path: Row(o.id, o.code, o.name, o.path, o.excluded, Figures()) for o in info.values()
                if o.depth == org.depth + 1}
    for org_id, f in per_org.items():
        total.add(f)
        path = info[org_id].path
        if len(path) >= child_len:
            children[path[:child_len]].figures.add(f)
    for o in info.values():
        if o.depth == org.depth + 2 and o.path[:child_len] in children:
            children[o.path[:child_len]].has_children = True
    reminders = dict(_reminder_counts(campaign, [oid for oid, f in per_org.items() if f.missing_units]))
    missing = [{"org_id": oid, "code": info[oid].code, "name": info[oid].name, "path": info[oid].path,
                "deadline": deadline(oid), "reminders": reminders.get(oid, 0)}
               for oid in sorted((oid for oid, f in per_org.items() if f.missing_units), key=lambda i: info[i].path)]
    applicable = cascade.for_subordinates(org)
    return Coverage(campaign=campaign, org=org, total=total,
                    rows=sorted(children.values(), key=lambda r: r.path), missing=missing,
                    target_registered=applicable.target_registered, target_rated=applicable.target_rated,
                    rated_base=campaign.rated_base,
                    bands=[b.label for b in rubrics[SubjectKind.COLLECTIVE].bands])


def _reminder_counts(campaign, org_ids):
    from .models import Reminder

    if not org_ids:
        return []
    return (Reminder.objects.filter(campaign=campaign, org_id__in=org_ids, person__isnull=True,
                                    kind=Reminder.Kind.REGISTRATION)
            .values("org_id").annotate(n=Count("id")).order_by().values_list("org_id", "n"))


def _results(campaign, reg_subject: dict[int, tuple], subjects) -> dict[tuple, str]:
    """Each subject's class for the year: best model + bonuses, capped (appraisals.scoring), or the
    individual appraisal of someone who registered nothing."""
    best: dict[int, tuple[int, Decimal]] = {}
    reg_ids = list(reg_subject)
    for chunk_start in range(0, len(reg_ids), 20000):
        chunk = reg_ids[chunk_start:chunk_start + 20000]
        for rid, number, total in (Appraisal.objects.filter(registration_id__in=chunk)
                                   .exclude(state=Appraisal.State.SCORING)
                                   .values_list("registration_id", "number", "total")):
            if rid not in best or number > best[rid][0]:
                best[rid] = (number, total)
    totals: dict[tuple, list[Decimal]] = defaultdict(list)
    for rid, (_n, total) in best.items():
        totals[reg_subject[rid]].append(total)
    judgements: dict[tuple, dict] = defaultdict(dict)
    for org_id, person_id, code, granted in BonusJudgement.objects.filter(campaign=campaign).values_list(
            "subject_org_id", "person_id", "code", "granted"):
        key = ("p", person_id, org_id) if person_id else ("o", org_id, org_id)
        judgements[key][code] = granted
    rubrics = {k: rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    out = {}
    for key, model_totals in totals.items():
        rules = rubrics[SubjectKind.COLLECTIVE if key[0] == "o" else SubjectKind.INDIVIDUAL]
        out[key] = scoring.subject_result(model_totals, judgements.get(key, {}), rules).classification
    for pid, org_id, label in IndividualAppraisal.objects.filter(campaign=campaign, is_current=True).values_list(
            "person_id", "person__org_id", "classification"):
        key = ("p", pid, org_id)
        if key in subjects and key not in out:
            out[key] = label
    return out
