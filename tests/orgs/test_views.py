"""The tree screens through HTTP: browsing, search, history, forms that keep input, and no N+1."""

import datetime as dt

import pytest

from sangtao.accounts.models import User
from sangtao.common.models import AuditEvent
from sangtao.orgs import domain
from sangtao.orgs.models import Organization, Person, Role, RoleAssignment
from tests.support import new_org


@pytest.fixture
def admin(login, demo):
    return login("btctu.quantri")


def test_tree_shows_scope_roots_with_counts(admin):
    html = admin.get("/to-chuc/").content.decode()
    assert "Đảng bộ tỉnh Lâm Đồng" in html
    assert "tổ chức trực thuộc" in html


def test_officer_tree_starts_at_own_organization(login, demo):
    html = login("duk.canbo").get("/to-chuc/").content.decode()
    assert "Đảng bộ Khối Doanh nghiệp tỉnh" in html
    assert "Đảng bộ huyện Lạc Dương" not in html


def test_search_without_diacritics(admin):
    html = admin.get("/to-chuc/", {"q": "cap thoat nuoc"}).content.decode()
    assert "Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng" in html
    html = admin.get("/to-chuc/", {"q": "ĐIỆN LỰC"}).content.decode()
    assert "Chi bộ Điện lực Bảo Lộc" in html
    html = admin.get("/to-chuc/tim-can-bo/", {"q": "nguyen van an"}).content.decode()
    assert "Nguyễn Văn An" in html


def test_tree_as_of_date_shows_merged_commune_before_the_merge(admin, demo):
    ldg = demo["LD-LDG"]
    before = admin.get(f"/to-chuc/{ldg.pk}/con/", {"ngay": "30/06/2025"}).content.decode()
    after = admin.get(f"/to-chuc/{ldg.pk}/con/", {"ngay": "01/07/2025"}).content.decode()
    today = admin.get(f"/to-chuc/{ldg.pk}/con/").content.decode()
    assert "Đảng bộ xã Đạ Chais" in before
    assert "Đảng bộ xã Đạ Chais" not in after and "Đảng bộ xã Đạ Chais" not in today


def test_bad_date_is_reported_not_ignored(admin):
    r = admin.get("/to-chuc/", {"ngay": "31/02/2025"})
    assert r.status_code == 200 and "Nhập một ngày hợp lệ" in r.content.decode()


def test_move_form_keeps_input_and_explains_error(admin, demo):
    org = demo["DUK-CTN"]
    r = admin.post(
        f"/to-chuc/{org.pk}/dieu-chuyen/", {"new_parent": "CTN-KT", "day": "01/08/2025", "decision": "QĐ 99"}
    )
    html = r.content.decode()
    assert r.status_code == 200 and "vòng lặp" in html
    assert 'value="QĐ 99"' in html and 'value="CTN-KT"' in html
    r = admin.post(
        f"/to-chuc/{org.pk}/dieu-chuyen/", {"new_parent": "LD-LDG", "day": "01/08/2025", "decision": "QĐ 99"}
    )
    assert r.status_code == 302
    assert Organization.objects.get(pk=org.pk).parent_org.code == "LD-LDG"
    assert AuditEvent.objects.filter(action="org.move", object_id=str(org.pk)).exists()


def test_edit_records_who_and_address(admin, demo):
    org = demo["DUK-LDP"]
    r = admin.post(
        f"/to-chuc/{org.pk}/sua/",
        {
            "code": org.code,
            "name": "Chi bộ Công ty CP Dược Lâm Đồng (Ladophar)",
            "short_name": "CB",
            "kind": org.kind_id,
            "place_name": "Đà Lạt",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert r.status_code == 302
    ev = AuditEvent.objects.filter(action="org.update", object_id=str(org.pk)).get()
    assert ev.actor.username == "btctu.quantri" and ev.ip == "10.1.2.3"
    assert ev.changes["name"][1] == "Chi bộ Công ty CP Dược Lâm Đồng (Ladophar)"
    h = Organization.history.filter(id=org.pk).latest("history_date")
    assert h.history_user.username == "btctu.quantri" and h.history_ip == "10.1.2.3"
    assert "Ladophar" in admin.get(f"/to-chuc/{org.pk}/lich-su/").content.decode()


def test_split_view(admin, demo):
    org = demo["DUK-DL"]
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1))
    person = Person.objects.get(code="DV-0030")
    data = {
        "n_parts": "2",
        "c-day": "01/10/2025",
        "c-decision": "QĐ tách",
        "p0-code": "DL-N",
        "p0-name": "Đảng bộ Điện lực phía Bắc",
        "p0-kind": org.kind_id,
        "p1-code": "DL-S",
        "p1-name": "Đảng bộ Điện lực phía Nam",
        "p1-kind": org.kind_id,
        f"child-{children[0].pk}": "0",
    }
    r = admin.post(f"/to-chuc/{org.pk}/chia-tach/", data)
    assert r.status_code == 200 and "đúng một" in r.content.decode()
    assert 'value="Đảng bộ Điện lực phía Bắc"' in r.content.decode()
    data |= {f"child-{children[1].pk}": "1", f"person-{person.pk}": "0"}
    r = admin.post(f"/to-chuc/{org.pk}/chia-tach/", data)
    assert r.status_code == 302
    assert Organization.objects.get(pk=org.pk).valid_to == dt.date(2025, 10, 1)


def _grow(demo, n):
    parent = demo["LD-DUK"]
    for i in range(n):
        org = new_org(parent, f"G{i}", f"Cơ sở {i}", "dang_bo_co_so")
        new_org(org, f"G{i}-1", f"Chi bộ {i}", "chi_bo")
        domain.save_person(
            actor=None, code=f"GP{i}", full_name=f"Người {i}", org=org, is_leader=True, evaluating_org=parent
        )


@pytest.mark.parametrize("url", ["children", "detail"])
def test_list_views_run_constant_queries(admin, demo, django_assert_max_num_queries, url):
    duk = demo["LD-DUK"]
    path = f"/to-chuc/{duk.pk}/con/" if url == "children" else f"/to-chuc/{duk.pk}/"
    admin.get(path)  # warm sessions
    with django_assert_max_num_queries(30) as small:
        admin.get(path)
    _grow(demo, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = admin.get(path)
    assert "Cơ sở 24" in r.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/to-chuc/?q=co so", "/to-chuc/tim-can-bo/?q=nguoi", "/quan-ly-tai-khoan/", "/to-chuc/nhat-ky/", "/to-chuc/"],
)
def test_search_and_lists_run_constant_queries(admin, demo, django_assert_max_num_queries, url):
    _grow(demo, 2)
    admin.get(url)
    with django_assert_max_num_queries(40) as small:
        admin.get(url)
    _grow_more = 20

    for i in range(_grow_more):
        u = User.objects.create_user(username=f"u{i}", password="x")
        RoleAssignment.objects.create(user=u, org=demo["LD-DUK"], role=Role.OFFICER)
    for i in range(2, 2 + _grow_more):
        org = new_org(demo["LD-LDG"], f"H{i}", f"Cơ sở {i}", demo["LDG-LAT"].kind.code)
        domain.save_person(actor=None, code=f"HP{i}", full_name=f"Người {i}", org=org)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin.get(url)


def test_add_person_keeps_input_on_error_then_saves(admin, demo):
    org = demo["DUK-CDT"]  # a private enterprise: nobody there may be a leader (HD 09, I.3)
    data = {
        "code": "DV-7777",
        "full_name": "Vương Thị Bảy",
        "org": "DUK-CDT",
        "position": "Giám đốc",
        "is_leader": "on",
        "is_party_member": "on",
        "evaluating_org": "LD-DUK",
        "active": "on",
    }
    r = admin.post(f"/to-chuc/{org.pk}/them-can-bo/", data)
    html = r.content.decode()
    assert r.status_code == 200 and "không thẩm định" in html and 'value="Vương Thị Bảy"' in html
    data.pop("is_leader")
    r = admin.post(f"/to-chuc/{org.pk}/them-can-bo/", data)
    assert r.status_code == 302
    person = Person.objects.get(code="DV-7777")
    assert not person.is_leader and person.evaluating_org.code == "LD-DUK"
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    assert "Vương Thị Bảy" in admin.get(f"/to-chuc/can-bo/{person.pk}/").content.decode()
