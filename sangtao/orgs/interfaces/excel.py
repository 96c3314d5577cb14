"""Excel import and export of the organization tree and its people (template: docs/mau-nhap-to-chuc.md).

The import is all-or-nothing: every row is checked first, every problem is reported with its sheet, row,
column and reason, and only a file without problems is written — in one transaction, with bulk inserts
(treebeard paths computed here), so a 10,000-organization province imports in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from sangtao.common import audit, xlsx
from sangtao.common.fields import validate_date_window
from sangtao.common.text import fold
from sangtao.orgs import domain
from sangtao.orgs.models import Organization, OrgKind, OrgLink, Person
from sangtao.orgs.rules import managed_org_q

ORG_SHEET = "To_chuc"
PEOPLE_SHEET = "Nhan_su"
KINDS_SHEET = "Loai_to_chuc"
GUIDE_SHEET = "Huong_dan"

# Each column: its key, its header, whether it is required.
ORG_COLUMNS = [
    ("code", "Mã tổ chức", True),
    ("name", "Tên tổ chức", True),
    ("short_name", "Ký hiệu", False),
    ("kind", "Mã loại", True),
    ("parent", "Mã tổ chức cấp trên", False),
    ("in_village", "Ở thôn, tổ dân phố (x)", False),
    ("private_enterprise", "Doanh nghiệp tư nhân (x)", False),
    ("place_name", "Địa danh", False),
    ("valid_from", "Hiệu lực từ ngày", False),
]
PEOPLE_COLUMNS = [
    ("code", "Mã cá nhân", True),
    ("full_name", "Họ và tên", True),
    ("org", "Mã tổ chức", True),
    ("position", "Chức vụ", False),
    ("is_leader", "Lãnh đạo, quản lý (x)", False),
    ("is_party_member", "Đảng viên (x)", False),
    ("evaluating_org", "Mã tổ chức đánh giá, xếp loại", False),
]
# The longest text each column may hold (the database's limits; PostgreSQL refuses longer, SQLite would not).
ORG_LIMITS = {"code": 50, "name": 255, "short_name": 30, "kind": 30, "parent": 50, "place_name": 100}
PEOPLE_LIMITS = {"code": 50, "full_name": 150, "org": 50, "position": 255, "evaluating_org": 50}
TRUE_WORDS = {"x", "có", "co", "1", "true", "yes", "đúng"}
FALSE_WORDS = {"", "không", "khong", "0", "false", "no"}


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class SheetProblems:
    """The problems of one sheet: calling it with (row, column key, reason) adds one, naming the column by its
    header."""

    def __init__(self, problems: list[Problem], sheet: str, columns):
        self.problems, self.sheet = problems, sheet
        self.titles = {key: title for key, title, _required in columns}

    def __call__(self, row: int, key: str, reason: str) -> None:
        self.problems.append(Problem(self.sheet, row, self.titles[key], reason))


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class OrgRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: OrgKind | None
    parent: str
    in_village: bool
    private_enterprise: bool
    place_name: str
    valid_from: dt.date | None


@dataclass
class PersonRow:
    row: int
    code: str
    full_name: str
    org: str
    position: str
    is_leader: bool
    is_party_member: bool
    evaluating_org: str


@dataclass
class ImportResult:
    orgs_created: int = 0
    orgs_updated: int = 0
    orgs_moved: int = 0
    people_created: int = 0
    people_updated: int = 0

    def as_dict(self):
        return asdict(self)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class Reader:
    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def problem(self, sheet, row, column, reason):
        self.problems.append(Problem(sheet, row, column, reason))

    def header_map(self, ws, columns, sheet):
        header = [(cell_text(c.value)) for c in next(ws.iter_rows(min_row=1, max_row=1), [])]
        index = {}
        for key, title, required in columns:
            if title in header:
                index[key] = header.index(title)
            elif required:
                self.problem(sheet, 1, title, _("Thiếu cột bắt buộc “%(c)s”.") % {"c": title})
        return index

    def length(self, text: str, limit: int, sheet, row, column) -> bool:
        if len(text) > limit:
            self.problem(
                sheet, row, column, _("Quá dài: tối đa %(n)d ký tự (đang có %(m)d).") % {"n": limit, "m": len(text)}
            )
            return False
        return True

    def boolean(self, value, sheet, row, column) -> bool:
        if isinstance(value, bool):
            return value
        word = cell_text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem(
            sheet, row, column, _("Giá trị “%(v)s” không hợp lệ: ghi x nếu đúng, để trống nếu không.") % {"v": word}
        )
        return False

    def date(self, value, sheet, row, column) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.datetime.strptime(cell_text(value), "%d/%m/%Y").date()  # noqa: DTZ007 — a calendar day
            except ValueError:
                self.problem(
                    sheet, row, column, _("Ngày “%(v)s” không đúng dạng dd/mm/yyyy.") % {"v": cell_text(value)}
                )
                return None
        try:
            validate_date_window(day)  # the same window as every form (issue 15 item 15)
        except ValidationError as exc:
            self.problem(sheet, row, column, exc.messages[0])
            return None
        return day


def read_workbook(data: bytes, progress: Callable[[int, str], None] | None = None):  # noqa: C901 — one pass over the rows, a branch per documented rule (docs/mau-nhap-to-chuc.md)
    """Parse both sheets. Returns (org rows, person rows, problems); never writes."""
    progress = progress or (lambda pct, msg: None)
    problems: list[Problem] = []
    reader = Reader(problems)
    try:
        wb = xlsx.open_upload(data)  # an archive bomb is refused before anything is parsed
    except ValidationError as exc:
        return [], [], [Problem("", 0, "", exc.messages[0])]
    except Exception:  # noqa: BLE001 - any parse failure is the same user error
        return [], [], [Problem("", 0, "", _("Tệp không phải là tệp Excel (.xlsx) hợp lệ."))]
    if ORG_SHEET not in wb.sheetnames:
        problems.append(Problem(ORG_SHEET, 0, "", _("Không có trang tính “%(s)s”.") % {"s": ORG_SHEET}))
        return [], [], problems
    kinds = {k.code: k for k in OrgKind.objects.all()}
    org_rows: list[OrgRow] = []
    ws = wb[ORG_SHEET]
    idx = reader.header_map(ws, ORG_COLUMNS, ORG_SHEET)
    if problems:
        return [], [], problems
    titles = {key: title for key, title, _r in ORG_COLUMNS}

    def cell(values, key):
        i = idx.get(key)
        return values[i] if i is not None and i < len(values) else None

    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if all(v in (None, "") for v in values):
            continue
        code, name, kind_code = (
            cell_text(cell(values, "code")),
            cell_text(cell(values, "name")),
            cell_text(cell(values, "kind")),
        )
        for key, value in (("code", code), ("name", name), ("kind", kind_code)):
            if not value:
                reader.problem(ORG_SHEET, r, titles[key], _("Không được để trống."))
        kind = kinds.get(kind_code)
        if kind_code and kind is None:
            reader.problem(
                ORG_SHEET,
                r,
                titles["kind"],
                _("Loại tổ chức “%(k)s” không có trong danh mục (xem trang %(s)s).")
                % {"k": kind_code, "s": KINDS_SHEET},
            )
        for key, limit in ORG_LIMITS.items():
            reader.length(cell_text(cell(values, key)), limit, ORG_SHEET, r, titles[key])
        org_rows.append(
            OrgRow(
                row=r,
                code=code,
                name=name,
                short_name=cell_text(cell(values, "short_name")),
                kind=kind,
                parent=cell_text(cell(values, "parent")),
                in_village=reader.boolean(cell(values, "in_village"), ORG_SHEET, r, titles["in_village"]),
                private_enterprise=reader.boolean(
                    cell(values, "private_enterprise"), ORG_SHEET, r, titles["private_enterprise"]
                ),
                place_name=cell_text(cell(values, "place_name")),
                valid_from=reader.date(cell(values, "valid_from"), ORG_SHEET, r, titles["valid_from"]),
            )
        )
        if r % 2000 == 0:
            progress(5, _("Đang đọc trang tổ chức: %(n)d dòng") % {"n": r})
    person_rows: list[PersonRow] = []
    if PEOPLE_SHEET in wb.sheetnames:
        ws = wb[PEOPLE_SHEET]
        pidx = reader.header_map(ws, PEOPLE_COLUMNS, PEOPLE_SHEET)
        ptitles = {key: title for key, title, _r in PEOPLE_COLUMNS}
        if not any(p.sheet == PEOPLE_SHEET for p in problems):
            for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if all(v in (None, "") for v in values):
                    continue

                def pcell(key, values=values):
                    i = pidx.get(key)
                    return values[i] if i is not None and i < len(values) else None

                row = PersonRow(
                    row=r,
                    code=cell_text(pcell("code")),
                    full_name=cell_text(pcell("full_name")),
                    org=cell_text(pcell("org")),
                    position=cell_text(pcell("position")),
                    is_leader=reader.boolean(pcell("is_leader"), PEOPLE_SHEET, r, ptitles["is_leader"]),
                    is_party_member=reader.boolean(
                        pcell("is_party_member"), PEOPLE_SHEET, r, ptitles["is_party_member"]
                    )
                    if pcell("is_party_member") not in (None, "")
                    else True,
                    evaluating_org=cell_text(pcell("evaluating_org")),
                )
                for key in ("code", "full_name", "org"):
                    if not getattr(row, key):
                        reader.problem(PEOPLE_SHEET, r, ptitles[key], _("Không được để trống."))
                for key, limit in PEOPLE_LIMITS.items():
                    reader.length(getattr(row, key), limit, PEOPLE_SHEET, r, ptitles[key])
                person_rows.append(row)
    wb.close()
    return org_rows, person_rows, problems


class _Plan:
    """The validated changes, ready to write."""

    def __init__(self):
        self.new_orgs: list[OrgRow] = []
        self.updates: list[tuple[Organization, OrgRow]] = []
        self.moves: list[tuple[Organization, str]] = []  # existing org, new parent code
        self.new_people: list[PersonRow] = []
        self.person_updates: list[tuple[Person, PersonRow]] = []


def _repeated(row, first: dict[str, int], report: SheetProblems, message: str) -> bool:
    """Whether an earlier row has this row's code (`first`: the row each code stands on first), reported with
    `message` (the code, the first row)."""
    if row.code in first:
        report(row.row, "code", message % {"c": row.code, "r": first[row.code]})
        return True
    if row.code:
        first[row.code] = row.row
    return False


def validate(org_rows, person_rows, *, user, problems: list[Problem]) -> _Plan:  # noqa: C901, PLR0912, PLR0915 — one pass over the rows, a branch per documented rule (docs/mau-nhap-to-chuc.md)
    plan = _Plan()
    org_problem = SheetProblems(problems, ORG_SHEET, ORG_COLUMNS)
    person_problem = SheetProblems(problems, PEOPLE_SHEET, PEOPLE_COLUMNS)
    is_super = user is None or user.is_superuser

    first_row: dict[str, int] = {}
    for row in org_rows:
        _repeated(row, first_row, org_problem, _("Mã tổ chức “%(c)s” trùng với dòng %(r)d."))
    file_orgs = {row.code: row for row in org_rows if row.code and first_row.get(row.code) == row.row}
    codes = (
        set(file_orgs)
        | {r.parent for r in org_rows if r.parent}
        | {p.org for p in person_rows}
        | {p.evaluating_org for p in person_rows if p.evaluating_org}
    )
    existing = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    step = Organization.steplen
    # every ancestor of every organization already in the database: its code, parent and flags
    ancestor_paths = {o.path[: step * i] for o in existing.values() for i in range(1, o.depth + 1)}
    chain = {
        path: (code, flagged)
        for path, code, flagged in (
            (p, c, v or e)
            for p, c, v, e in Organization.objects.filter(path__in=ancestor_paths).values_list(
                "path", "code", "in_village", "private_enterprise"
            )
        )
    }
    parent_of: dict[str, str] = {}  # code -> parent code in the final tree
    for path, (code, _flagged) in chain.items():
        parent_of[code] = chain[path[:-step]][0] if len(path) > step else ""
    if is_super:
        managed_ids = {o.pk for o in existing.values()}
    else:
        managed_ids = set(
            Organization.objects.filter(managed_org_q(user), pk__in=[o.pk for o in existing.values()]).values_list(
                "pk", flat=True
            )
        )
    current_parent = dict(parent_of)
    for code, row in file_orgs.items():
        if row.parent:
            if row.parent not in file_orgs and row.parent not in existing:
                org_problem(row.row, "parent", _("Không tìm thấy tổ chức cấp trên có mã “%(c)s”.") % {"c": row.parent})
                continue
            parent_db = existing.get(row.parent)
            if parent_db is not None and row.parent not in file_orgs:
                if parent_db.valid_to is not None:
                    org_problem(row.row, "parent", _("Tổ chức cấp trên “%(c)s” đã giải thể.") % {"c": row.parent})
                elif parent_db.pk not in managed_ids:
                    org_problem(
                        row.row,
                        "parent",
                        _("Tổ chức cấp trên “%(c)s” nằm ngoài phạm vi quản trị của bạn.") % {"c": row.parent},
                    )
            parent_of[code] = row.parent
        else:
            in_db = existing.get(code)
            if in_db is not None and in_db.depth > 1:
                org_problem(row.row, "parent", _("Không được để trống (tổ chức đã có cấp trên)."))
                continue
            if in_db is None and not is_super:
                org_problem(
                    row.row, "parent", _("Không được để trống: chỉ quản trị hệ thống mới tạo được tổ chức gốc.")
                )
                continue
            parent_of[code] = ""
        in_db = existing.get(code)
        if in_db is not None and not is_super and in_db.pk not in managed_ids:
            org_problem(
                row.row, "code", _("Tổ chức “%(c)s” đã có và nằm ngoài phạm vi quản trị của bạn.") % {"c": code}
            )
    # cycles in the final tree
    reported = set()
    for code, row in file_orgs.items():
        seen, cur = [], code
        while cur and cur not in seen:
            seen.append(cur)
            cur = parent_of.get(cur, "")
        if cur and cur in seen and cur not in reported:
            cycle = seen[seen.index(cur) :]
            reported.update(cycle)
            org_problem(row.row, "parent", _("Vòng lặp cấp trên: %(c)s.") % {"c": " → ".join([*cycle, cur])})

    def ancestors_or_self(code: str) -> set[str]:
        out, seen = set(), set()
        while code and code not in seen:
            seen.add(code)
            out.add(code)
            code = parent_of.get(code, "")
        return out

    # people
    first_person: dict[str, int] = {}
    existing_people = {
        p.code: p for p in Person.objects.filter(code__in=[p.code for p in person_rows]).select_related("org")
    }
    for prow in person_rows:
        if _repeated(prow, first_person, person_problem, _("Mã cá nhân “%(c)s” trùng với dòng %(r)d.")):
            continue
        if prow.org and prow.org not in file_orgs and prow.org not in existing:
            person_problem(prow.row, "org", _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": prow.org})
            continue
        if prow.org in existing and prow.org not in file_orgs:
            org = existing[prow.org]
            if org.valid_to is not None:
                person_problem(prow.row, "org", _("Tổ chức “%(c)s” đã giải thể.") % {"c": prow.org})
            elif not is_super and org.pk not in managed_ids:
                person_problem(
                    prow.row, "org", _("Tổ chức “%(c)s” nằm ngoài phạm vi quản trị của bạn.") % {"c": prow.org}
                )
        if prow.evaluating_org:
            if prow.evaluating_org not in file_orgs and prow.evaluating_org not in existing:
                person_problem(
                    prow.row, "evaluating_org", _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": prow.evaluating_org}
                )
            elif prow.org and prow.evaluating_org not in ancestors_or_self(prow.org):
                person_problem(
                    prow.row,
                    "evaluating_org",
                    _("Tổ chức đánh giá “%(e)s” phải là “%(o)s” hoặc một tổ chức cấp trên của nó.")
                    % {"e": prow.evaluating_org, "o": prow.org},
                )
        old = existing_people.get(prow.code)
        if old is not None:
            if not is_super and not Organization.objects.filter(managed_org_q(user), pk=old.org_id).exists():
                person_problem(
                    prow.row,
                    "code",
                    _("Cá nhân “%(c)s” đã có và thuộc tổ chức ngoài phạm vi quản trị của bạn.") % {"c": prow.code},
                )
            plan.person_updates.append((old, prow))
        else:
            plan.new_people.append(prow)
    for code, row in file_orgs.items():
        if code in existing:
            org = existing[code]
            plan.updates.append((org, row))
            if parent_of.get(code, "") != current_parent.get(code, ""):
                plan.moves.append((org, parent_of[code]))
        else:
            plan.new_orgs.append(row)
    problems.sort(key=lambda p: (p.sheet != ORG_SHEET, p.row, p.column))
    return plan


def _topological(new_rows: list[OrgRow]) -> list[OrgRow]:
    by_code = {r.code: r for r in new_rows}
    ordered, done = [], set()
    for row in new_rows:
        chain, cur = [], row
        while cur is not None and cur.code not in done:
            chain.append(cur)
            cur = by_code.get(cur.parent)
        for item in reversed(chain):
            if item.code not in done:
                done.add(item.code)
                ordered.append(item)
    return ordered


def apply(plan: _Plan, *, user, effective_date: dt.date, progress: Callable[[int, str], None]) -> ImportResult:  # noqa: C901 — one pass over the rows, a branch per documented rule (docs/mau-nhap-to-chuc.md)
    result = ImportResult()
    step = Organization.steplen
    with transaction.atomic():
        rows = _topological(plan.new_orgs)
        parent_codes = {r.parent for r in rows if r.parent}
        parents = {o.code: o for o in Organization.objects.filter(code__in=parent_codes)}
        next_child: dict[str, int] = {}
        numchild_add: Counter = Counter()
        new_objs: list[Organization] = []
        path_of: dict[str, str] = {o.code: o.path for o in parents.values()}
        depth_of: dict[str, int] = {o.code: o.depth for o in parents.values()}
        for o in parents.values():
            last = (
                Organization.objects.filter(path__startswith=o.path, depth=o.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            # treebeard's own path arithmetic (no public API for "the next child's path" in bulk)
            next_child[o.path] = (Organization._str2int(last[-step:]) if last else 0) + 1  # noqa: SLF001
        if any(not r.parent for r in rows):
            last_root = Organization.objects.get_last_root_node()
            next_child[""] = (Organization._str2int(last_root.path) if last_root else 0) + 1  # noqa: SLF001
        for i, row in enumerate(rows):
            base = path_of.get(row.parent, "") if row.parent else ""
            depth = (depth_of[row.parent] + 1) if row.parent else 1
            n = next_child.get(base, 1)
            next_child[base] = n + 1
            path = Organization._get_path(base, depth, n) if base else Organization._get_path(None, 1, n)  # noqa: SLF001
            path_of[row.code], depth_of[row.code] = path, depth
            numchild_add[row.parent] += 1 if row.parent else 0
            obj = Organization(
                path=path,
                depth=depth,
                numchild=0,
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                kind=row.kind,
                in_village=row.in_village,
                private_enterprise=row.private_enterprise,
                place_name=row.place_name,
                valid_from=row.valid_from or effective_date,
            )
            obj.search_key = fold(f"{obj.code} {obj.name} {obj.short_name}")
            new_objs.append(obj)
            if i % 2000 == 0:
                progress(
                    40 + int(20 * i / max(1, len(rows))), _("Đang tạo tổ chức: %(n)d/%(t)d") % {"n": i, "t": len(rows)}
                )
        for obj in new_objs:
            obj.numchild = numchild_add.get(obj.code, 0)
        created = (
            bulk_create_with_history(new_objs, Organization, batch_size=1000, default_user=user) if new_objs else []
        )
        ids = dict(Organization.objects.filter(code__in=[o.code for o in new_objs]).values_list("code", "pk"))
        id_of = {**{o.code: o.pk for o in parents.values()}, **ids}
        OrgLink.objects.bulk_create(
            [
                OrgLink(
                    org_id=ids[o.code], parent_id=id_of.get(r.parent) if r.parent else None, valid_from=o.valid_from
                )
                for o, r in zip(new_objs, rows, strict=True)
            ],
            batch_size=2000,
        )
        for o in parents.values():
            if numchild_add.get(o.code):
                Organization.objects.filter(pk=o.pk).update(
                    numchild=Organization.objects.filter(path__startswith=o.path, depth=o.depth + 1).count()
                )
        result.orgs_created = len(created)
        progress(65, _("Đang cập nhật tổ chức đã có"))
        for org, row in plan.updates:
            values = {
                "name": row.name,
                "short_name": row.short_name,
                "kind": row.kind,
                "in_village": row.in_village,
                "private_enterprise": row.private_enterprise,
                "place_name": row.place_name,
            }
            before = {k: getattr(org, k) for k in values}
            if before != values:
                domain.update_org(actor=user, org=org, **values)
                result.orgs_updated += 1
        for org, parent_code in plan.moves:
            domain.move_org(
                actor=user,
                org=org,
                new_parent=Organization.objects.get(code=parent_code),
                day=effective_date,
                decision=_("Nhập từ tệp Excel"),
            )
            result.orgs_moved += 1
        progress(75, _("Đang nhập cán bộ, đảng viên"))
        org_ids = dict(
            Organization.objects.filter(
                code__in={p.org for p in plan.new_people + [r for _o, r in plan.person_updates]}
                | {p.evaluating_org for p in plan.new_people + [r for _o, r in plan.person_updates] if p.evaluating_org}
            ).values_list("code", "pk")
        )
        people = []
        for prow in plan.new_people:
            person = Person(
                code=prow.code,
                full_name=prow.full_name,
                org_id=org_ids[prow.org],
                position=prow.position,
                is_leader=prow.is_leader,
                is_party_member=prow.is_party_member,
                evaluating_org_id=org_ids.get(prow.evaluating_org) if prow.evaluating_org else None,
            )
            person.search_key = fold(f"{person.code} {person.full_name}")
            people.append(person)
        if people:
            bulk_create_with_history(people, Person, batch_size=1000, default_user=user)
        result.people_created = len(people)
        for person, prow in plan.person_updates:
            values = {
                "full_name": prow.full_name,
                "org_id": org_ids[prow.org],
                "position": prow.position,
                "is_leader": prow.is_leader,
                "is_party_member": prow.is_party_member,
                "evaluating_org_id": org_ids.get(prow.evaluating_org) if prow.evaluating_org else None,
                "active": True,
            }
            if any(getattr(person, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(person, k, v)
                person.save()
                result.people_updated += 1
        audit.record(
            "org.import",
            actor=user,
            object_type="orgs.organization",
            object_repr=_("Nhập cây tổ chức từ Excel"),
            changes={**result.as_dict(), "effective_date": effective_date},
        )
        progress(95, _("Đang hoàn tất"))
    return result


def import_workbook(
    data: bytes, *, user, effective_date: dt.date | None = None, progress: Callable[[int, str], None] | None = None
) -> ImportResult:
    """Validate everything, then write everything — or raise ImportFailed with every problem."""
    progress = progress or (lambda pct, msg: None)
    effective_date = effective_date or timezone.localdate()
    progress(2, _("Đang đọc tệp"))
    org_rows, person_rows, problems = read_workbook(data, progress)
    progress(25, _("Đang kiểm tra %(n)d tổ chức, %(p)d cán bộ") % {"n": len(org_rows), "p": len(person_rows)})
    if any(p.row <= 1 for p in problems):  # the file or a sheet header is unusable: stop here
        raise ImportFailed(problems)
    plan = validate(org_rows, person_rows, user=user, problems=problems)
    if problems:
        raise ImportFailed(problems)
    return apply(plan, user=user, effective_date=effective_date, progress=progress)


# --- export ------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
BOLD = Font(bold=True)


def write_header(ws, columns):
    for i, (_key, title, _required) in enumerate(columns, start=1):
        c = ws.cell(row=1, column=i, value=title)
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = 40 if _key in ("name", "full_name", "position") else 18
    ws.freeze_panes = "A2"


def build_workbook(
    root: Organization | None = None, *, include_data: bool = True, on: dt.date | None = None
) -> Workbook:
    """The template (include_data=False) or the tree below `root` (all roots when None): today's, or the
    organizations in the tree on the day `on` (a past campaign's tree, with units dissolved since)."""
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = ORG_SHEET
    write_header(ws, ORG_COLUMNS)
    kinds = list(OrgKind.objects.all())
    dv = DataValidation(type="list", formula1=f"={KINDS_SHEET}!$A$2:$A${len(kinds) + 1}", allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(f"D2:D{max(2, 20000)}")
    people_ws = wb.create_sheet(PEOPLE_SHEET)
    write_header(people_ws, PEOPLE_COLUMNS)
    if include_data:
        orgs = (
            (Organization.objects.active_on(on) if on else Organization.objects.active())
            .select_related("kind")
            .order_by("path")
        )
        if root is not None:
            orgs = orgs.filter(path__startswith=root.path)
        step = Organization.steplen
        path_code: dict[str, str] = {}
        for org in orgs.iterator(chunk_size=2000):
            path_code[org.path] = org.code
            parent = path_code.get(org.path[:-step], "") if org.depth > 1 else ""
            if root is not None and org.pk == root.pk:
                parent = root.parent_org.code if root.parent_org else ""
            ws.append(
                [
                    org.code,
                    org.name,
                    org.short_name,
                    org.kind.code,
                    parent,
                    "x" if org.in_village else "",
                    "x" if org.private_enterprise else "",
                    org.place_name,
                    org.valid_from.strftime("%d/%m/%Y"),
                ]
            )
        people = (
            Person.objects.filter(active=True, org__in=orgs)
            .select_related("org", "evaluating_org")
            .order_by("org__path", "code")
        )
        if root is not None:
            people = people.filter(org__path__startswith=root.path)
        for p in people.iterator(chunk_size=2000):
            people_ws.append(
                [
                    p.code,
                    p.full_name,
                    p.org.code,
                    p.position,
                    "x" if p.is_leader else "",
                    "x" if p.is_party_member else "",
                    p.evaluating_org.code if p.evaluating_org else "",
                ]
            )
    kinds_ws = wb.create_sheet(KINDS_SHEET)
    kinds_ws.append(["Mã loại", "Tên loại", "Tổ chức cơ sở đảng", "Là chi bộ"])
    for k in kinds:
        kinds_ws.append([k.code, k.name, "x" if k.is_grassroots else "", "x" if k.is_cell else ""])
    for cell in kinds_ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    kinds_ws.column_dimensions["B"].width = 45
    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 120
    for line in GUIDE_LINES:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    return wb


GUIDE_LINES = [
    "HƯỚNG DẪN NHẬP CÂY TỔ CHỨC ĐẢNG VÀ CÁN BỘ, ĐẢNG VIÊN",
    "",
    "1. Trang To_chuc: mỗi dòng một tổ chức đảng. Cột có dấu * trong tài liệu là bắt buộc: Mã tổ chức, Tên tổ chức, Mã loại.",
    "   - Mã tổ chức cấp trên: mã của tổ chức cấp trên, có trong tệp hoặc đã có trong hệ thống, trong phạm vi bạn quản trị.",
    "   - Mã loại: lấy ở trang Loai_to_chuc.",
    "   - Ở thôn, tổ dân phố / Doanh nghiệp tư nhân: ghi x nếu đúng, để trống nếu không (HD 09-HD/BTCTU, mục I.3: không thẩm định).",
    "   - Hiệu lực từ ngày: dd/mm/yyyy; để trống thì lấy ngày hiệu lực chọn khi nhập.",
    "2. Trang Nhan_su: mỗi dòng một cán bộ, đảng viên: Mã cá nhân, Họ và tên, Mã tổ chức là bắt buộc.",
    "   - Lãnh đạo, quản lý: ghi x. Người ở tổ chức thuộc diện không thẩm định vẫn nhập được, nhưng không tính vào số liệu nào.",
    "   - Mã tổ chức đánh giá, xếp loại: chính tổ chức của cán bộ hoặc một tổ chức cấp trên của nó.",
    "3. Tổ chức hoặc cá nhân có mã đã tồn tại được cập nhật; đổi cấp trên được ghi nhận là điều chuyển từ ngày hiệu lực.",
    "4. Việc nhập là trọn gói: nếu có bất kỳ dòng nào sai, không dữ liệu nào được ghi và hệ thống liệt kê mọi dòng sai.",
]


def workbook_bytes(wb: Workbook) -> bytes:
    return xlsx.to_bytes(wb)


def problems_by_sheet(problems: list[dict]) -> dict[str, list[dict]]:
    grouped = defaultdict(list)
    for p in problems:
        grouped[p["sheet"]].append(p)
    return dict(grouped)
