"""The tree's rules as plain functions: create, edit, move, merge, split, close — and read the tree as it
stood on any date. Every change is one transaction that appends history and writes an audit row.

Rules (see docs/rules.md):
- A change takes effect from a date; it may not be dated before the latest change already recorded
  for an organization it touches (history is appended, never rewritten), nor after today.
- An organization can never be moved under itself or its own subtree (no cycles).
- Closing an organization needs it to have no active child organizations and no active people, unless
  the whole subtree is closed with it (then its people are marked as no longer active).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sangtao.common import audit

from .models import Organization, OrgEvent, OrgKind, OrgLink, Person


class DomainError(ValidationError):
    pass


ORG_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind_id",
    "in_village",
    "private_enterprise",
    "cell_committee",
    "place_name",
]
PERSON_FIELDS = [
    "code",
    "full_name",
    "org_id",
    "position",
    "is_leader",
    "is_party_member",
    "evaluating_org_id",
    "active",
]


def _snapshot(obj, fields):
    return {f: getattr(obj, f) for f in fields}


def _fmt(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _check_date(day: dt.date, orgs: Iterable[Organization]):
    today = timezone.localdate()
    if day > today:
        raise DomainError(
            _("Ngày hiệu lực %(d)s ở tương lai: hãy ghi nhận biến động khi quyết định đã có hiệu lực.")
            % {"d": _fmt(day)}
        )
    for org in orgs:
        latest = OrgLink.objects.filter(org=org).order_by("-valid_from").values_list("valid_from", flat=True).first()
        if latest and day < latest:
            raise DomainError(
                _("Ngày hiệu lực %(d)s trước lần thay đổi gần nhất của “%(o)s” (%(l)s); lịch sử không được ghi đè.")
                % {"d": _fmt(day), "o": org.name, "l": _fmt(latest)}
            )
        if day < org.valid_from:
            raise DomainError(_("“%(o)s” chỉ có hiệu lực từ %(l)s.") % {"o": org.name, "l": _fmt(org.valid_from)})
        if org.valid_to is not None:
            raise DomainError(_("“%(o)s” đã giải thể từ %(l)s.") % {"o": org.name, "l": _fmt(org.valid_to)})


def _reload(org: Organization) -> Organization:
    return Organization.objects.select_related("kind").get(pk=org.pk)


def _validate_org_fields(code: str, name: str, exclude_pk=None):
    if not code or not code.strip():
        raise DomainError(_("Mã tổ chức không được để trống."))
    if not name or not name.strip():
        raise DomainError(_("Tên tổ chức không được để trống."))
    if Organization.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(_("Mã tổ chức “%(c)s” đã tồn tại.") % {"c": code})


@transaction.atomic
def create_org(
    *,
    actor,
    parent: Organization | None,
    code: str,
    name: str,
    kind: OrgKind,
    valid_from: dt.date,
    short_name: str = "",
    in_village: bool = False,
    private_enterprise: bool = False,
    place_name: str = "",
    decision: str = "",
    record_event: bool = True,
) -> Organization:
    code, name = code.strip(), name.strip()
    _validate_org_fields(code, name)
    if parent is not None:
        parent = _reload(parent)
        if parent.valid_to is not None:
            raise DomainError(_("Tổ chức cấp trên “%(o)s” đã giải thể.") % {"o": parent.name})
        if valid_from < parent.valid_from:
            raise DomainError(
                _("Ngày hiệu lực trước ngày thành lập tổ chức cấp trên (%(d)s).") % {"d": _fmt(parent.valid_from)}
            )
    values = {
        "code": code,
        "name": name,
        "kind": kind,
        "valid_from": valid_from,
        "short_name": short_name.strip(),
        "in_village": in_village,
        "private_enterprise": private_enterprise,
        "place_name": place_name.strip(),
    }
    org = Organization.objects.add_child(parent, values) if parent else Organization.objects.add_root(values)
    OrgLink.objects.create(org=org, parent=parent, valid_from=valid_from)
    if record_event:
        event = OrgEvent.objects.create(
            kind=OrgEvent.Kind.CREATE, effective_date=valid_from, decision=decision, actor=actor
        )
        event.targets.add(org)
    audit.record("org.create", actor=actor, obj=org, changes={**values, "parent": parent.code if parent else None})
    return org


@transaction.atomic
def update_org(*, actor, org: Organization, **values) -> Organization:
    org = _reload(org)
    before = _snapshot(org, ORG_FIELDS)
    for key, value in values.items():
        if key not in ORG_FIELDS and key != "kind":
            raise DomainError(f"unknown field {key}")
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    _validate_org_fields(org.code, org.name, exclude_pk=org.pk)
    org.save()
    changes = audit.diff(before, _snapshot(org, ORG_FIELDS))
    if changes:
        audit.record("org.update", actor=actor, obj=org, changes=changes)
    return org


def _close_link(org: Organization, day: dt.date):
    OrgLink.objects.filter(org=org, valid_to__isnull=True).update(valid_to=day)


def _relink(org: Organization, new_parent: Organization, day: dt.date):
    _close_link(org, day)
    OrgLink.objects.create(org=org, parent=new_parent, valid_from=day)
    Organization.objects.move(_reload(org), _reload(new_parent), "last-child")


def _check_new_parent(org: Organization, new_parent: Organization):
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise DomainError(
            _("Không thể chuyển “%(o)s” vào chính nó hoặc tổ chức trực thuộc nó (tạo vòng lặp).") % {"o": org.name}
        )
    if new_parent.valid_to is not None:
        raise DomainError(_("Tổ chức cấp trên mới “%(o)s” đã giải thể.") % {"o": new_parent.name})


@transaction.atomic
def move_org(
    *, actor, org: Organization, new_parent: Organization, day: dt.date, decision: str = "", note: str = ""
) -> Organization:
    org, new_parent = _reload(org), _reload(new_parent)
    _check_new_parent(org, new_parent)
    if org.parent_org and org.parent_org.pk == new_parent.pk:
        raise DomainError(_("“%(o)s” đã trực thuộc “%(p)s”.") % {"o": org.name, "p": new_parent.name})
    _check_date(day, [org])
    old_parent = org.parent_org
    _relink(org, new_parent, day)
    event = OrgEvent.objects.create(
        kind=OrgEvent.Kind.MOVE, effective_date=day, decision=decision, note=note, actor=actor
    )
    event.sources.add(org)
    event.targets.add(new_parent)
    audit.record(
        "org.move",
        actor=actor,
        obj=org,
        changes={
            "parent": [old_parent.code if old_parent else None, new_parent.code],
            "effective_date": day,
            "decision": decision,
        },
    )
    return _reload(org)


def active_children(org: Organization):
    return Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, valid_to__isnull=True)


@transaction.atomic
def close_org(
    *, actor, org: Organization, day: dt.date, decision: str = "", note: str = "", cascade: bool = False
) -> Organization:
    org = _reload(org)
    _check_date(day, [org])
    subtree = Organization.objects.filter(path__startswith=org.path, valid_to__isnull=True)
    people = Person.objects.filter(org__path__startswith=org.path, active=True)
    if not cascade:
        if active_children(org).exists():
            raise DomainError(
                _(
                    "“%(o)s” còn tổ chức trực thuộc đang hoạt động: hãy điều chuyển hoặc giải thể chúng trước, "
                    "hoặc chọn giải thể cả các tổ chức trực thuộc."
                )
                % {"o": org.name}
            )
        if people.filter(org=org).exists():
            raise DomainError(
                _(
                    "“%(o)s” còn cán bộ, đảng viên đang sinh hoạt: hãy chuyển sinh hoạt trước, "
                    "hoặc chọn giải thể cả các tổ chức trực thuộc."
                )
                % {"o": org.name}
            )
    closed = list(subtree.values_list("code", flat=True))
    for person in people:
        person.active = False
        person.save()
    for node in subtree:
        if node.valid_from > day:
            raise DomainError(_("“%(o)s” chỉ có hiệu lực từ %(l)s.") % {"o": node.name, "l": _fmt(node.valid_from)})
        node.valid_to = day
        node.save()
        _close_link(node, day)
    event = OrgEvent.objects.create(
        kind=OrgEvent.Kind.CLOSE, effective_date=day, decision=decision, note=note, actor=actor
    )
    event.sources.add(*Organization.objects.filter(code__in=closed))
    audit.record(
        "org.close", actor=actor, obj=org, changes={"effective_date": day, "closed": closed, "decision": decision}
    )
    return _reload(org)


def _move_people(people, target: Organization) -> list[str]:
    moved = []
    for person in people:
        person.org = target
        person.save()
        moved.append(person.code)
    return moved


def _reassign_evaluator(old: Organization, new: Organization):
    for person in Person.objects.filter(evaluating_org=old):
        person.evaluating_org = new
        person.save()


@transaction.atomic
def merge_orgs(
    *, actor, sources: list[Organization], target: Organization, day: dt.date, decision: str = "", note: str = ""
) -> Organization:
    """Sáp nhập / hợp nhất: each source's active child organizations and people pass to `target`, and the
    sources close on `day`. References to a source as someone's evaluating organization pass to `target`."""
    target = _reload(target)
    sources = [_reload(s) for s in sources]
    if not sources:
        raise DomainError(_("Chọn ít nhất một tổ chức được hợp nhất."))
    if any(s.pk == target.pk for s in sources):
        raise DomainError(_("Tổ chức nhận hợp nhất không thể đồng thời là tổ chức bị hợp nhất."))
    for s in sources:
        if target.path.startswith(s.path):
            raise DomainError(
                _("“%(t)s” thuộc “%(s)s”: không thể hợp nhất tổ chức cấp trên vào tổ chức trực thuộc nó.")
                % {"t": target.name, "s": s.name}
            )
    if target.valid_to is not None:
        raise DomainError(_("Tổ chức nhận hợp nhất “%(o)s” đã giải thể.") % {"o": target.name})
    _check_date(day, [*sources, target] if target.valid_from <= day else sources)
    summary = {
        "sources": [s.code for s in sources],
        "target": target.code,
        "effective_date": day,
        "children": [],
        "people": [],
    }
    for source in sources:
        for child in list(active_children(_reload(source))):
            _check_date(day, [child])
            _relink(child, target, day)
            summary["children"].append(child.code)
        summary["people"] += _move_people(Person.objects.filter(org=source, active=True), target)
        _reassign_evaluator(source, target)
        source = _reload(source)  # noqa: PLW2901 — the same organization, read again after the moves above
        source.valid_to = day
        source.save()
        _close_link(source, day)
    event = OrgEvent.objects.create(
        kind=OrgEvent.Kind.MERGE, effective_date=day, decision=decision, note=note, actor=actor
    )
    event.sources.add(*sources)
    event.targets.add(target)
    audit.record("org.merge", actor=actor, obj=target, changes={**summary, "decision": decision})
    return _reload(target)


@dataclass
class NewOrgSpec:
    code: str
    name: str
    kind: OrgKind
    short_name: str = ""
    place_name: str = ""
    children: list[int] = field(default_factory=list)  # pks of the source's child organizations
    people: list[int] = field(default_factory=list)  # pks of the source's people


@transaction.atomic
def split_org(
    *, actor, source: Organization, parts: list[NewOrgSpec], day: dt.date, decision: str = "", note: str = ""
) -> list[Organization]:
    """Chia tách: new organizations under the source's parent take over its children and people; every
    active child and person must be given to exactly one part; the source closes on `day`."""
    source = _reload(source)
    if len(parts) < 2:
        raise DomainError(_("Chia tách cần ít nhất hai tổ chức mới."))
    _check_date(day, [source])
    parent = source.parent_org
    children = {c.pk: c for c in active_children(source)}
    people = {p.pk: p for p in Person.objects.filter(org=source, active=True)}
    given_children = [pk for part in parts for pk in part.children]
    given_people = [pk for part in parts for pk in part.people]
    if sorted(given_children) != sorted(children) or sorted(given_people) != sorted(people):
        raise DomainError(
            _("Mỗi tổ chức trực thuộc và mỗi cán bộ, đảng viên của “%(o)s” phải được giao cho đúng một tổ chức mới.")
            % {"o": source.name}
        )
    created = []
    for part in parts:
        org = create_org(
            actor=actor,
            parent=parent,
            code=part.code,
            name=part.name,
            kind=part.kind,
            valid_from=day,
            short_name=part.short_name,
            place_name=part.place_name or source.place_name,
            in_village=source.in_village,
            private_enterprise=source.private_enterprise,
            record_event=False,
        )
        for pk in part.children:
            _relink(children[pk], org, day)
        _move_people([people[pk] for pk in part.people], org)
        created.append(org)
    _reassign_evaluator(source, created[0])
    source.valid_to = day
    source.save()
    _close_link(source, day)
    event = OrgEvent.objects.create(
        kind=OrgEvent.Kind.SPLIT, effective_date=day, decision=decision, note=note, actor=actor
    )
    event.sources.add(source)
    event.targets.add(*created)
    audit.record(
        "org.split",
        actor=actor,
        obj=source,
        changes={"parts": [p.code for p in parts], "effective_date": day, "decision": decision},
    )
    return created


# --- people -------------------------------------------------------------------------------------------


def is_excluded(org: Organization) -> bool:
    """Excluded from appraisal and coverage (SPEC §2): flagged itself or inside a flagged subtree."""
    if org.flagged_excluded:
        return True
    return Organization.objects.filter(
        Q(in_village=True) | Q(private_enterprise=True), path__in=_ancestor_paths(org)
    ).exists()


def _ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[: step * i] for i in range(1, org.depth)]


def validate_person(*, org: Organization, is_leader: bool, evaluating_org: Organization | None):
    if is_leader and is_excluded(org):
        raise DomainError(
            _(
                "“%(o)s” thuộc diện không thẩm định (ở thôn, tổ dân phố hoặc doanh nghiệp tư nhân): "
                "không đánh dấu cán bộ lãnh đạo, quản lý tại đây."
            )
            % {"o": org.name}
        )
    if evaluating_org is not None and not org.path.startswith(evaluating_org.path):
        raise DomainError(
            _("Cấp có thẩm quyền đánh giá phải là chính tổ chức của cán bộ hoặc một tổ chức cấp trên của nó.")
        )
    if org.valid_to is not None:
        raise DomainError(_("“%(o)s” đã giải thể.") % {"o": org.name})


@transaction.atomic
def save_person(*, actor, person: Person | None = None, **values) -> Person:
    creating = person is None
    person = person or Person()
    before = {} if creating else _snapshot(Person.objects.get(pk=person.pk), PERSON_FIELDS)
    for key, value in values.items():
        setattr(person, key, value.strip() if isinstance(value, str) else value)
    if Person.objects.filter(code=person.code).exclude(pk=person.pk).exists():
        raise DomainError(_("Mã cá nhân “%(c)s” đã tồn tại.") % {"c": person.code})
    validate_person(org=person.org, is_leader=person.is_leader, evaluating_org=person.evaluating_org)
    person.save()
    changes = audit.diff(before, _snapshot(person, PERSON_FIELDS))
    audit.record("person.create" if creating else "person.update", actor=actor, obj=person, changes=changes)
    return person


# --- reading the tree --------------------------------------------------------------------------------


def _count_by_prefix(rows, path_field: str, length: int, counts) -> None:
    """Add to `counts` how many of `rows` lie under each path prefix of `length` (one grouped query)."""
    grouped = rows.annotate(prefix=Substr(path_field, 1, length)).values("prefix").annotate(n=Count("id")).order_by()
    for row in grouped:
        counts[row["prefix"]] += row["n"]


def children_with_counts(
    parent: Organization | None, roots: list[Organization] | None = None, q_filter: Q | None = None
):
    """The active children of `parent` (or the given roots), each with `subtree_orgs` and `subtree_people`
    counted over its active subtree — three queries whatever the number of children."""
    if parent is not None:
        nodes = list(
            Organization.objects.active()
            .filter(path__startswith=parent.path, depth=parent.depth + 1)
            .select_related("kind")
            .order_by("kind__order", "name")
        )
    else:
        nodes = list(roots or [])
    if not nodes:
        return []
    by_prefix: dict[str, Organization] = {n.path: n for n in nodes}
    groups = defaultdict(list)
    for n in nodes:
        groups[n.depth].append(n)
    org_counts: dict[str, int] = defaultdict(int)
    people_counts: dict[str, int] = defaultdict(int)
    for d, group in groups.items():
        length = Organization.steplen * d
        if parent is not None:  # one prefix covers all the children: a single range scan
            cond, pcond = Q(path__startswith=parent.path, depth__gt=parent.depth), Q(org__path__startswith=parent.path)
        else:
            cond, pcond = Q(), Q()
            for n in group:
                cond |= Q(path__startswith=n.path)
                pcond |= Q(org__path__startswith=n.path)
        _count_by_prefix(Organization.objects.active().filter(cond), "path", length, org_counts)
        _count_by_prefix(Person.objects.filter(pcond, active=True), "org__path", length, people_counts)
    for path, node in by_prefix.items():
        node.subtree_orgs = org_counts.get(path, 1) - 1
        node.subtree_people = people_counts.get(path, 0)
        node.has_children = node.subtree_orgs > 0
    return nodes


@dataclass
class AsOfNode:
    org: Organization
    children: list[AsOfNode] = field(default_factory=list)

    @property
    def subtree_size(self) -> int:
        return sum(1 + c.subtree_size for c in self.children)


def tree_as_of(day: dt.date, root: Organization | None = None) -> list[AsOfNode]:
    """The tree as it stood on `day` (from OrgLink history): two queries, built in memory. With `root`,
    only the part below `root` on that day."""
    links = list(OrgLink.objects.filter(OrgLink.on(day)).values_list("org_id", "parent_id"))
    children_of: dict[int | None, list[int]] = defaultdict(list)
    for org_id, parent_id in links:
        children_of[parent_id].append(org_id)
    if root is not None:
        wanted, stack = set(), [root.pk]
        while stack:
            pk = stack.pop()
            if pk in wanted:
                continue
            wanted.add(pk)
            stack.extend(children_of.get(pk, []))
        if root.pk not in {o for o, _ in links}:
            return []
    else:
        wanted = {o for o, _ in links}
    orgs = Organization.objects.in_bulk(list(wanted))
    # names as they were on that day (simple-history keeps every rename)
    names = names_as_of(day, list(wanted))

    def build(pk):
        org = orgs[pk]
        if pk in names:
            org.name = names[pk]
        node = AsOfNode(org)
        node.children = sorted((build(c) for c in children_of.get(pk, []) if c in wanted), key=lambda n: n.org.name)
        return node

    if root is not None:
        return [build(root.pk)]
    return sorted((build(pk) for pk in children_of.get(None, [])), key=lambda n: n.org.name)


def names_as_of(day: dt.date, pks: list[int]) -> dict[int, str]:
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    Hist = Organization.history.model
    names: dict[int, str] = {}
    latest = Hist.objects.filter(history_date__lt=end).order_by("id", "-history_date").values_list("id", "name")
    for pk, name in latest:
        names.setdefault(pk, name)
    return {pk: names[pk] for pk in pks if pk in names}
