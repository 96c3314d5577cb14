"""The tree's rules (SPEC §2): cycles refused, moves/merges/splits/closures keep history, subtree counts."""

import datetime as dt

import pytest
from django.utils import timezone

from sangtao.common.models import AuditEvent
from sangtao.orgs import domain
from sangtao.orgs.models import Organization, OrgEvent, OrgLink, Person
from tests.support import new_org

D = dt.date


def names(nodes):
    return [n.org.code for n in nodes]


def subtree_codes(node):
    out = []
    for c in node.children:
        out.append(c.org.code)
        out.extend(subtree_codes(c))
    return sorted(out)


TREE = [  # code, parent, name, kind
    ("T", None, "Tỉnh", "tinh"),
    ("A", "T", "Khối A", "tren_co_so"),
    ("B", "T", "Huyện B", "tren_co_so"),
    ("A1", "A", "Cơ sở A1", "dang_bo_co_so"),
    ("A11", "A1", "Chi bộ A11", "chi_bo"),
    ("B1", "B", "Xã B1", "dang_bo_co_so"),
    ("B2", "B", "Xã B2", "dang_bo_co_so"),
]


@pytest.fixture
def tree(db):
    made = {}
    for code, parent, name, kind in TREE:
        made[code] = new_org(made.get(parent), code, name, kind)
    return {o.code: o for o in Organization.objects.all()} | {"_": tuple(made.values())}


def fresh(code):
    return Organization.objects.get(code=code)


def test_create_records_link_event_and_audit(tree):
    assert OrgLink.objects.filter(org=tree["A1"], parent=tree["A"], valid_to__isnull=True).count() == 1
    assert OrgEvent.objects.filter(kind="create", targets=tree["A1"]).exists()
    assert AuditEvent.objects.filter(action="org.create", object_id=str(tree["A1"].pk)).exists()


def test_duplicate_code_refused(tree):
    with pytest.raises(domain.DomainError, match="đã tồn tại"):
        new_org(tree["A"], "A1", "Khác", "chi_bo", valid_from=D(2021, 1, 1))


def test_move_under_own_subtree_is_refused(tree):
    with pytest.raises(domain.DomainError, match="vòng lặp"):
        domain.move_org(actor=None, org=tree["A"], new_parent=tree["A11"], day=D(2024, 1, 1))
    with pytest.raises(domain.DomainError, match="vòng lặp"):
        domain.move_org(actor=None, org=tree["A"], new_parent=tree["A"], day=D(2024, 1, 1))
    assert fresh("A").parent_org.code == "T"


def test_move_keeps_history(tree):
    domain.move_org(actor=None, org=tree["A1"], new_parent=tree["B"], day=D(2024, 7, 1), decision="QĐ 1")
    assert fresh("A1").parent_org.code == "B"
    assert fresh("A11").parent_org.code == "A1"  # the subtree moves along
    before = domain.tree_as_of(D(2024, 6, 30), fresh("T"))[0]
    after = domain.tree_as_of(D(2024, 7, 1), fresh("T"))[0]
    a_before = next(c for c in before.children if c.org.code == "A")
    b_after = next(c for c in after.children if c.org.code == "B")
    assert subtree_codes(a_before) == ["A1", "A11"]
    assert subtree_codes(b_after) == ["A1", "A11", "B1", "B2"]
    assert OrgLink.objects.filter(org=tree["A1"]).count() == 2


def test_change_dated_before_latest_change_is_refused(tree):
    domain.move_org(actor=None, org=tree["A1"], new_parent=tree["B"], day=D(2024, 7, 1))
    with pytest.raises(domain.DomainError, match="không được ghi đè"):
        domain.move_org(actor=None, org=fresh("A1"), new_parent=tree["A"], day=D(2024, 6, 1))


def test_change_in_the_future_is_refused(tree):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(domain.DomainError, match="tương lai"):
        domain.move_org(actor=None, org=tree["A1"], new_parent=tree["B"], day=tomorrow)


def test_merge_moves_children_people_and_evaluator_then_closes_source(tree):
    p = domain.save_person(
        actor=None, code="P1", full_name="Nguyễn Văn Một", org=tree["B2"], is_leader=True, evaluating_org=tree["B2"]
    )
    c = new_org(tree["B2"], "B21", "Chi bộ B21", tree["A11"].kind.code, valid_from=D(2021, 1, 1))
    domain.merge_orgs(actor=None, sources=[tree["B2"]], target=tree["B1"], day=D(2025, 7, 1))
    b2 = fresh("B2")
    assert b2.valid_to == D(2025, 7, 1)
    assert fresh("B21").parent_org.code == "B1"
    p.refresh_from_db()
    assert p.org.code == "B1" and p.evaluating_org.code == "B1"
    # as of the day before, B21 was under B2; from the effective date under B1
    assert [n.org.code for n in domain.tree_as_of(D(2025, 6, 30), fresh("B"))[0].children] == ["B1", "B2"]
    assert [n.org.code for n in domain.tree_as_of(D(2025, 7, 1), fresh("B"))[0].children] == ["B1"]
    assert subtree_codes(domain.tree_as_of(D(2025, 7, 1), fresh("B1"))[0]) == ["B21"]
    ev = OrgEvent.objects.get(kind="merge")
    assert list(ev.sources.values_list("code", flat=True)) == ["B2"]
    assert list(ev.targets.values_list("code", flat=True)) == ["B1"]
    del c


def test_merge_into_own_descendant_refused(tree):
    with pytest.raises(domain.DomainError):
        domain.merge_orgs(actor=None, sources=[tree["A"]], target=tree["A1"], day=D(2024, 1, 1))


def test_split_requires_every_child_and_person_assigned(tree, kinds):
    domain.save_person(actor=None, code="P2", full_name="Trần Thị Hai", org=tree["A1"])
    parts = [
        domain.NewOrgSpec(code="A1X", name="Cơ sở A1 X", kind=kinds["dang_bo_co_so"], children=[tree["A11"].pk]),
        domain.NewOrgSpec(code="A1Y", name="Cơ sở A1 Y", kind=kinds["dang_bo_co_so"]),
    ]
    with pytest.raises(domain.DomainError, match="đúng một"):
        domain.split_org(actor=None, source=tree["A1"], parts=parts, day=D(2025, 1, 1))
    assert not Organization.objects.filter(code="A1X").exists()  # nothing half-done
    person = Person.objects.get(code="P2")
    parts[1].people = [person.pk]
    created = domain.split_org(actor=None, source=tree["A1"], parts=parts, day=D(2025, 1, 1))
    assert [o.code for o in created] == ["A1X", "A1Y"]
    assert fresh("A11").parent_org.code == "A1X"
    assert Person.objects.get(code="P2").org.code == "A1Y"
    assert fresh("A1").valid_to == D(2025, 1, 1)
    assert all(o.parent_org.code == "A" for o in created)


def test_close_refuses_with_active_children_unless_cascade(tree):
    with pytest.raises(domain.DomainError, match="còn tổ chức trực thuộc"):
        domain.close_org(actor=None, org=tree["A1"], day=D(2025, 1, 1))
    domain.save_person(actor=None, code="P3", full_name="Lê Văn Ba", org=tree["A11"])
    domain.close_org(actor=None, org=tree["A1"], day=D(2025, 1, 1), cascade=True)
    assert fresh("A1").valid_to == D(2025, 1, 1) and fresh("A11").valid_to == D(2025, 1, 1)
    assert not Person.objects.get(code="P3").active
    # history: on 31/12/2024 both still stood
    assert subtree_codes(domain.tree_as_of(D(2024, 12, 31), fresh("A"))[0]) == ["A1", "A11"]
    assert subtree_codes(domain.tree_as_of(D(2025, 1, 1), fresh("A"))[0]) == []


def test_subtree_counts_in_constant_queries(tree, django_assert_max_num_queries):
    domain.save_person(actor=None, code="P4", full_name="Phạm Bốn", org=tree["A11"])
    with django_assert_max_num_queries(4):
        nodes = domain.children_with_counts(fresh("T"))
    counts = {n.code: (n.subtree_orgs, n.subtree_people) for n in nodes}
    assert counts == {"A": (2, 1), "B": (2, 0)}


def test_exclusion_covers_subtree(tree):
    v = new_org(tree["B1"], "V", "Chi bộ thôn", "chi_bo", in_village=True)
    assert domain.is_excluded(v)
    assert not domain.is_excluded(tree["B1"])
    with pytest.raises(domain.DomainError, match="không thẩm định"):
        domain.save_person(actor=None, code="P5", full_name="Thôn", org=v, is_leader=True)


def test_evaluating_org_must_be_self_or_ancestor(tree):
    with pytest.raises(domain.DomainError, match="cấp trên"):
        domain.save_person(actor=None, code="P6", full_name="Sáu", org=tree["A11"], evaluating_org=tree["B"])
    p = domain.save_person(actor=None, code="P6", full_name="Sáu", org=tree["A11"], evaluating_org=tree["A1"])
    assert p.evaluating_org.code == "A1"
