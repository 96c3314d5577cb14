"""Excel import/export of the tree and its people: round trip, every kind of bad row, all-or-nothing."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from sangtao.orgs.interfaces import excel
from sangtao.orgs.models import Organization, OrgEvent, OrgLink, Person, Role, RoleAssignment
from tests.conftest import make_user

ORG_HEAD = [t for _k, t, _r in excel.ORG_COLUMNS]
PEOPLE_HEAD = [t for _k, t, _r in excel.PEOPLE_COLUMNS]


def workbook(orgs, people=(), org_head=ORG_HEAD):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.ORG_SHEET
    ws.append(org_head)
    for row in orgs:
        ws.append(list(row))
    ws2 = wb.create_sheet(excel.PEOPLE_SHEET)
    ws2.append(PEOPLE_HEAD)
    for row in people:
        ws2.append(list(row))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_ORGS = [
    ("T", "Đảng bộ tỉnh Thử", "TU", "tinh", "", "", "", "Thử", "01/01/2020"),
    ("K", "Đảng bộ Khối Doanh nghiệp", "ĐUK", "tren_co_so", "T", "", "", "Đà Lạt", ""),
    ("K1", "Đảng bộ Công ty A", "", "dang_bo_co_so", "K", "", "", "", ""),
    ("K11", "Chi bộ Phòng 1", "", "chi_bo", "K1", "", "", "", ""),
    ("K2", "Chi bộ Công ty TNHH B", "", "chi_bo_co_so", "K", "", "x", "", ""),
    ("H", "Đảng bộ huyện C", "HU", "tren_co_so", "T", "", "", "", ""),
    ("H1", "Chi bộ thôn D", "", "chi_bo", "H", "x", "", "", ""),
]
GOOD_PEOPLE = [
    ("P1", "Nguyễn Văn An", "K1", "Bí thư Đảng ủy", "x", "x", "K"),
    ("P2", "Trần Thị Bích", "K11", "Đảng viên", "", "x", "K11"),
    ("P3", "Lê Văn Cường", "H1", "Bí thư chi bộ thôn", "", "x", "H"),
]


def run(data, user=None, effective=dt.date(2024, 1, 1)):
    return excel.import_workbook(data, user=user, effective_date=effective)


def problems_of(data, user=None):
    with pytest.raises(excel.ImportFailed) as info:
        run(data, user)
    return [(p.sheet, p.row, p.column, p.reason) for p in info.value.problems]


def test_good_file_imports_tree_people_and_history(db):
    result = run(workbook(GOOD_ORGS, GOOD_PEOPLE))
    assert result.orgs_created == 7 and result.people_created == 3
    k11 = Organization.objects.get(code="K11")
    assert [a.code for a in Organization.objects.get_ancestors(k11)] == ["T", "K", "K1"]
    assert Organization.objects.get(code="K").numchild == 2
    assert Organization.objects.get(code="T").valid_from == dt.date(2020, 1, 1)
    assert Organization.objects.get(code="K").valid_from == dt.date(2024, 1, 1)
    assert OrgLink.objects.count() == 7
    assert Person.objects.get(code="P1").evaluating_org.code == "K"
    assert Organization.history.count() == 7 and Person.history.count() == 3
    # the tree stays a valid treebeard tree: adding a child after a bulk import works
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_round_trip_export_import_export(demo):
    first = excel.workbook_bytes(excel.build_workbook())
    rows1 = _sheet_rows(first)
    # wipe and re-import into an empty database
    Person.objects.all().update(user=None)

    RoleAssignment.objects.all().delete()
    Person.objects.all().delete()
    OrgEvent.objects.all().delete()
    OrgLink.objects.all().delete()
    Organization.objects.all().delete()
    assert Organization.objects.count() == 0
    run(first)
    second = excel.workbook_bytes(excel.build_workbook())
    assert _sheet_rows(second) == rows1
    assert len(rows1[excel.ORG_SHEET]) > 20 and len(rows1[excel.PEOPLE_SHEET]) > 20


def _sheet_rows(data):
    wb = load_workbook(BytesIO(data), read_only=True)
    out = {}
    for name in (excel.ORG_SHEET, excel.PEOPLE_SHEET):
        rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
        out[name] = [rows[0], *sorted(rows[1:])]
    return out


def test_reimporting_same_file_changes_nothing(db):
    data = workbook(GOOD_ORGS, GOOD_PEOPLE)
    run(data)
    result = run(data)
    assert result.as_dict() == {
        "orgs_created": 0,
        "orgs_updated": 0,
        "orgs_moved": 0,
        "people_created": 0,
        "people_updated": 0,
    }
    assert Organization.objects.count() == 7


def org_row(code, name, parent="K", kind="chi_bo", **cells):
    """A row of the organizations sheet: `cells` by the keys of excel.ORG_COLUMNS, empty where not given."""
    values = {"code": code, "name": name, "kind": kind, "parent": parent, **cells}
    return tuple(values.get(key, "") for key, _title, _required in excel.ORG_COLUMNS)


def bad_orgs(label, rows, column, reason):
    """The good tree with `rows` after it, the first of them (row 9) refused in `column` for `reason`."""
    return (label, [*GOOD_ORGS, *rows], [], (excel.ORG_SHEET, 9, column, reason))


def bad_person(label, row, column, reason):
    """The good people with `row` after them (row 5), refused in `column` for `reason`."""
    return (label, GOOD_ORGS, [*GOOD_PEOPLE, row], (excel.PEOPLE_SHEET, 5, column, reason))


PARENT = "Mã tổ chức cấp trên"
BAD_CASES = [
    bad_orgs("duplicate code", [org_row("K1", "Trùng")], "Mã tổ chức", "trùng với dòng 4"),
    bad_orgs("unknown parent", [org_row("X", "Mồ côi", "KHONG")], PARENT, "Không tìm thấy tổ chức cấp trên"),
    bad_orgs("unknown kind", [org_row("X", "Lạ", kind="loai_la")], "Mã loại", "không có trong danh mục"),
    bad_orgs("cycle", [org_row("C1", "Vòng 1", "C2"), org_row("C2", "Vòng 2", "C1")], PARENT, "Vòng lặp"),
    bad_orgs("missing name", [org_row("X", "")], "Tên tổ chức", "Không được để trống"),
    bad_orgs("bad flag", [org_row("X", "Cờ", in_village="có lẽ")], "Ở thôn, tổ dân phố (x)", "không hợp lệ"),
    bad_orgs("bad date", [org_row("X", "Ngày", valid_from="31/02/2024")], "Hiệu lực từ ngày", "dd/mm/yyyy"),
    bad_person("person in unknown org", ("P9", "Lạc", "ZZ", "", "", "", ""), "Mã tổ chức", "Không tìm thấy"),
    bad_person(
        "evaluator not an ancestor",
        ("P9", "Sai cấp", "K11", "", "", "x", "H"),
        "Mã tổ chức đánh giá, xếp loại",
        "cấp trên",
    ),
    bad_person("duplicate person", ("P1", "Trùng", "K1", "", "", "x", ""), "Mã cá nhân", "trùng với dòng 2"),
]


@pytest.mark.parametrize(("label", "orgs", "people", "expected"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_each_bad_row_is_reported_and_nothing_is_written(db, label, orgs, people, expected):
    problems = problems_of(workbook(orgs, people or GOOD_PEOPLE))
    sheet, row, column, fragment = expected
    assert any(p[0] == sheet and p[1] == row and p[2] == column and fragment in p[3] for p in problems), problems
    assert Organization.objects.count() == 0 and Person.objects.count() == 0


def test_every_bad_row_is_listed_not_just_the_first(db):
    orgs = [*GOOD_ORGS, org_row("X1", ""), org_row("X2", "Lạ", kind="la"), org_row("X3", "Mồ côi", "NONE")]
    problems = problems_of(workbook(orgs, GOOD_PEOPLE))
    assert {p[1] for p in problems} == {9, 10, 11}


def test_missing_required_column(db):
    head = [h for h in ORG_HEAD if h != "Mã loại"]
    problems = problems_of(workbook([("T", "Tỉnh", "", "", "", "", "", "")], org_head=head))
    assert problems == [(excel.ORG_SHEET, 1, "Mã loại", "Thiếu cột bắt buộc “Mã loại”.")]


def test_not_an_excel_file(db):
    assert problems_of(b"%PDF-1.4 not excel")[0][3] == "Nội dung tệp không phải tài liệu .xlsx."


def test_admin_cannot_import_outside_own_subtree(demo):
    admin = make_user("ldg.admin", Role.ADMIN, demo["LD-LDG"])
    data = workbook(
        [
            ("NEW", "Chi bộ mới", "", "chi_bo", "DUK-CTN", "", "", "", ""),
            ("NEW2", "Chi bộ mới 2", "", "chi_bo", "LDG-LAT", "", "", "", ""),
            ("ROOTX", "Gốc mới", "", "tinh", "", "", "", "", ""),
        ]
    )
    problems = problems_of(data, admin)
    assert [(p[1], p[2]) for p in problems] == [(2, "Mã tổ chức cấp trên"), (4, "Mã tổ chức cấp trên")]
    assert "ngoài phạm vi" in problems[0][3]
    assert not Organization.objects.filter(code__in=["NEW", "NEW2"]).exists()


def test_existing_org_with_new_parent_is_moved_from_effective_date(demo):
    data = workbook([("LAT-TH", "Chi bộ Trường Tiểu học Lát", "", "chi_bo", "LDG-DASAR", "", "", "", "")])
    result = run(data, effective=dt.date(2025, 9, 1))
    assert result.orgs_moved == 1
    org = Organization.objects.get(code="LAT-TH")
    assert org.parent_org.code == "LDG-DASAR"
    assert OrgLink.objects.filter(org=org, valid_to=dt.date(2025, 9, 1)).exists()


def test_cycle_through_existing_tree_is_found(demo):
    # moving the bloc under one of its own cells
    data = workbook([("LD-DUK", "Đảng bộ Khối Doanh nghiệp tỉnh", "ĐUK", "tren_co_so", "CTN-KT", "", "", "Đà Lạt", "")])
    problems = problems_of(data)
    assert any("Vòng lặp" in p[3] for p in problems)


def test_template_has_the_documented_sheets(db):
    wb = load_workbook(BytesIO(excel.workbook_bytes(excel.build_workbook(include_data=False))))
    assert wb.sheetnames == [excel.ORG_SHEET, excel.PEOPLE_SHEET, excel.KINDS_SHEET, excel.GUIDE_SHEET]
    assert [c.value for c in wb[excel.ORG_SHEET][1]] == ORG_HEAD
    kinds = [r[0] for r in wb[excel.KINDS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert "chi_bo" in kinds and "dang_bo_co_so" in kinds


def test_leaders_of_excluded_units_are_accepted(db):
    """Issue 19: real personnel files have leaders in village cells and private enterprises; they are imported as
    the file says (and left out of every count — tests/exchange/test_campaign_import_rules.py)."""
    people = [
        *GOOD_PEOPLE,
        ("P8", "Thôn", "H1", "Bí thư", "x", "x", "H"),
        ("P9", "Tư nhân", "K2", "Giám đốc", "x", "x", "K"),
    ]
    run(workbook(GOOD_ORGS, people))
    assert Person.objects.get(code="P8").is_leader and Person.objects.get(code="P9").is_leader
