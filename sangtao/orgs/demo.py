"""The demo province: Đảng bộ tỉnh Lâm Đồng, modelled on the source documents (436-CV/ĐUK, 1240-CV/BTCTU).

Names of people are fictional. Built through the domain functions, so it carries history and audit rows
like real data: one commune committee was merged into another on 01/07/2025 (the 2025 reorganisation).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.db import transaction

from . import domain
from .models import Organization, OrgKind, Person, Role, RoleAssignment

DEMO_PASSWORD = "SangTao@2026"  # noqa: S105 — the demo province's published password (make run prints it)
START = dt.date(2020, 1, 1)

# code, parent code, name, kind, short name, place, flags; parents before their children (the order of creation)
ORGS = [
    ("LD", None, "Đảng bộ tỉnh Lâm Đồng", "tinh", "TU", "Lâm Đồng", ""),
    ("LD-BTC", "LD", "Ban Tổ chức Tỉnh ủy", "co_quan_tham_muu", "BTCTU", "Lâm Đồng", ""),
    ("LD-VP", "LD", "Văn phòng Tỉnh ủy", "co_quan_tham_muu", "VPTU", "Lâm Đồng", ""),
    ("LD-DUK", "LD", "Đảng bộ Khối Doanh nghiệp tỉnh", "tren_co_so", "ĐUK", "Đà Lạt", ""),
    ("DUK-CTN", "LD-DUK", "Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng", "dang_bo_co_so", "ĐU", "Đà Lạt", ""),
    ("CTN-KT", "DUK-CTN", "Chi bộ Phòng Kỹ thuật", "chi_bo", "", "", ""),
    ("CTN-XNDL", "DUK-CTN", "Chi bộ Xí nghiệp Cấp nước Đà Lạt", "chi_bo", "", "", ""),
    ("DUK-DL", "LD-DUK", "Đảng bộ Công ty Điện lực Lâm Đồng", "dang_bo_co_so", "ĐU", "Đà Lạt", ""),
    ("DL-DALAT", "DUK-DL", "Chi bộ Điện lực Đà Lạt", "chi_bo", "", "", ""),
    ("DL-BAOLOC", "DUK-DL", "Chi bộ Điện lực Bảo Lộc", "chi_bo", "", "", ""),
    (
        "DUK-AGR",
        "LD-DUK",
        "Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Lâm Đồng",
        "dang_bo_co_so",
        "ĐU",
        "Đà Lạt",
        "",
    ),
    ("AGR-KHKD", "DUK-AGR", "Chi bộ Phòng Kế hoạch - Kinh doanh", "chi_bo", "", "", ""),
    ("AGR-DV", "DUK-AGR", "Chi bộ Phòng Dịch vụ và Marketing", "chi_bo", "", "", ""),
    ("DUK-LNBL", "LD-DUK", "Đảng bộ Công ty TNHH MTV Lâm nghiệp Bảo Lâm", "dang_bo_co_so", "ĐU", "Bảo Lâm", ""),
    ("LNBL-LB", "DUK-LNBL", "Chi bộ Lâm trường Lộc Bắc", "chi_bo", "", "", ""),
    ("DUK-LDP", "LD-DUK", "Chi bộ Công ty Cổ phần Dược Lâm Đồng", "chi_bo_co_so", "CB", "Đà Lạt", ""),
    ("DUK-DLV", "LD-DUK", "Chi bộ Công ty Cổ phần Du lịch Lâm Đồng", "chi_bo_co_so", "CB", "Đà Lạt", ""),
    ("DUK-CDT", "LD-DUK", "Chi bộ Công ty TNHH Chè Cầu Đất", "chi_bo_co_so", "CB", "Đà Lạt", "dntn"),
    ("LD-LDG", "LD", "Đảng bộ huyện Lạc Dương", "tren_co_so", "HU", "Lạc Dương", ""),
    ("LDG-LAT", "LD-LDG", "Đảng bộ xã Lát", "dang_bo_co_so", "ĐU", "Lạc Dương", ""),
    ("LAT-DN", "LDG-LAT", "Chi bộ thôn Đạ Nghịt", "chi_bo", "", "", "thon"),
    ("LAT-TH", "LDG-LAT", "Chi bộ Trường Tiểu học Lát", "chi_bo", "", "", ""),
    ("LDG-DACHAIS", "LD-LDG", "Đảng bộ xã Đạ Chais", "dang_bo_co_so", "ĐU", "Lạc Dương", ""),
    ("DC-TYT", "LDG-DACHAIS", "Chi bộ Trạm Y tế xã Đạ Chais", "chi_bo", "", "", ""),
    ("DC-KL", "LDG-DACHAIS", "Chi bộ thôn Klong Lanh", "chi_bo", "", "", "thon"),
    ("LDG-DASAR", "LD-LDG", "Đảng bộ xã Đạ Sar", "dang_bo_co_so", "ĐU", "Lạc Dương", ""),
    ("DS-DS", "LDG-DASAR", "Chi bộ thôn Đạ Sar", "chi_bo", "", "", "thon"),
    ("DS-THCS", "LDG-DASAR", "Chi bộ Trường THCS Đạ Sar", "chi_bo", "", "", ""),
    ("LDG-UB", "LD-LDG", "Chi bộ Cơ quan Ủy ban nhân dân huyện", "chi_bo_co_so", "CB", "Lạc Dương", ""),
]

# a person's fields, as save_person takes them; the organizations by code (no evaluating org: the org itself)
PERSON_COLUMNS = ("code", "full_name", "org", "position", "is_leader", "evaluating_org")
PEOPLE = [
    ("DV-0001", "Võ Minh Quang", "LD-BTC", "Trưởng Ban Tổ chức Tỉnh ủy", True, "LD"),
    ("DV-0002", "Đặng Thu Trang", "LD-BTC", "Chuyên viên Phòng Tổ chức cơ sở đảng - Đảng viên", False, "LD-BTC"),
    ("DV-0010", "Trương Văn Hải", "LD-DUK", "Bí thư Đảng ủy Khối", True, "LD"),
    ("DV-0011", "Lương Thị Mai", "LD-DUK", "Trưởng Ban Xây dựng Đảng", True, "LD-DUK"),
    ("DV-0020", "Nguyễn Văn An", "DUK-CTN", "Bí thư Đảng ủy, Giám đốc Công ty", True, "LD-DUK"),
    ("DV-0021", "Trần Thị Bích", "DUK-CTN", "Phó Bí thư Đảng ủy, Phó Giám đốc", True, "LD-DUK"),
    ("DV-0022", "Lê Hoàng Minh", "CTN-KT", "Bí thư Chi bộ, Trưởng phòng Kỹ thuật", True, "DUK-CTN"),
    ("DV-0023", "Phạm Thị Hương", "CTN-KT", "Đảng viên, kỹ sư", False, "CTN-KT"),
    ("DV-0024", "Đỗ Quốc Bảo", "CTN-XNDL", "Bí thư Chi bộ, Giám đốc Xí nghiệp", True, "DUK-CTN"),
    ("DV-0030", "Huỳnh Văn Cường", "DUK-DL", "Bí thư Đảng ủy, Giám đốc Công ty", True, "LD-DUK"),
    ("DV-0031", "Phan Thị Dung", "DL-DALAT", "Bí thư Chi bộ, Giám đốc Điện lực Đà Lạt", True, "DUK-DL"),
    ("DV-0032", "Bùi Văn Đức", "DL-BAOLOC", "Bí thư Chi bộ, Giám đốc Điện lực Bảo Lộc", True, "DUK-DL"),
    ("DV-0040", "Ngô Thị Giang", "DUK-AGR", "Bí thư Đảng ủy, Giám đốc Chi nhánh", True, "LD-DUK"),
    ("DV-0041", "Dương Văn Hòa", "AGR-KHKD", "Bí thư Chi bộ, Trưởng phòng", True, "DUK-AGR"),
    ("DV-0050", "Lý Văn Khánh", "DUK-LNBL", "Bí thư Đảng ủy, Giám đốc Công ty", True, "LD-DUK"),
    ("DV-0060", "Mai Thị Lan", "DUK-LDP", "Bí thư Chi bộ, Tổng Giám đốc", True, "LD-DUK"),
    ("DV-0070", "Tạ Văn Long", "DUK-DLV", "Bí thư Chi bộ, Giám đốc", True, "LD-DUK"),
    ("DV-0080", "Châu Văn Lộc", "DUK-CDT", "Bí thư Chi bộ (doanh nghiệp tư nhân)", False, "LD-DUK"),
    ("DV-0100", "K' Brêu", "LD-LDG", "Bí thư Huyện ủy", True, "LD"),
    ("DV-0110", "Cil Ha Nam", "LDG-LAT", "Bí thư Đảng ủy xã", True, "LD-LDG"),
    ("DV-0111", "Rơ Ông K' Thu", "LAT-DN", "Bí thư Chi bộ thôn", False, "LDG-LAT"),
    ("DV-0112", "Liêng Jrang Ha Vi", "LAT-TH", "Bí thư Chi bộ, Hiệu trưởng", True, "LDG-LAT"),
    ("DV-0120", "Bon Niêng Ha Sơn", "LDG-DACHAIS", "Bí thư Đảng ủy xã", True, "LD-LDG"),
    ("DV-0130", "Đa Cát Ha Phương", "LDG-DASAR", "Bí thư Đảng ủy xã", True, "LD-LDG"),
    ("DV-0140", "Nguyễn Thị Thanh", "LDG-UB", "Bí thư Chi bộ, Chánh Văn phòng", True, "LD-LDG"),
]

# username, full name, role, org code, person code, TOTP secret (for roles that need two-factor)
USERS = [
    ("btctu.quantri", "Đặng Thu Trang", Role.ADMIN, "LD", None, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    ("tinhuy.lanhdao", "Võ Minh Quang", Role.VIEWER, "LD", None, None),
    ("duk.canbo", "Lương Thị Mai", Role.OFFICER, "LD-DUK", None, None),
    ("duk.thamdinh", "Trương Văn Hải", Role.APPRAISER, "LD-DUK", None, "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF"),
    ("capnuoc.canbo", "Trần Thị Bích", Role.OFFICER, "DUK-CTN", None, None),
    ("lacduong.canbo", "K' Brêu", Role.OFFICER, "LD-LDG", None, None),
    ("nguyenvanan", "Nguyễn Văn An", Role.INDIVIDUAL, "DUK-CTN", "DV-0020", None),
]


def ensure_default_kinds():
    """The default kinds (normally created by migration orgs.0002), for databases flushed since."""

    defaults = importlib.import_module("sangtao.orgs.migrations.0002_default_kinds").KINDS
    for code, name, order, grassroots, cell in defaults:
        OrgKind.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "is_grassroots": grassroots, "is_cell": cell}
        )


@transaction.atomic
def load_demo() -> bool:
    """Create the demo province; returns False when it is already there."""

    if Organization.objects.filter(code="LD").exists():
        return False
    User = get_user_model()
    ensure_default_kinds()
    kinds = {k.code: k for k in OrgKind.objects.all()}
    orgs = {}
    for code, parent, name, kind, short, place, flags in ORGS:
        orgs[code] = domain.create_org(
            actor=None,
            parent=orgs[parent] if parent else None,
            code=code,
            name=name,
            kind=kinds[kind],
            valid_from=START,
            short_name=short,
            place_name=place,
            in_village=flags == "thon",
            private_enterprise=flags == "dntn",
        )
    for row in PEOPLE:
        person = dict(zip(PERSON_COLUMNS, row, strict=True))
        org = orgs[person["org"]]
        person.update(org=org, evaluating_org=orgs.get(person["evaluating_org"], org))
        domain.save_person(actor=None, is_party_member=True, **person)
    # 2025 reorganisation: xã Đạ Chais merged into xã Lát (decision effective 01/07/2025)
    domain.merge_orgs(
        actor=None,
        sources=[Organization.objects.get(code="LDG-DACHAIS")],
        target=Organization.objects.get(code="LDG-LAT"),
        day=dt.date(2025, 7, 1),
        decision="Nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025",
    )
    for username, full_name, role, org_code, person_code, secret in USERS:
        last, _sep, first = full_name.rpartition(" ")
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, last_name=last, first_name=first)
        RoleAssignment.objects.create(user=user, org=Organization.objects.get(code=org_code), role=role)
        if person_code:
            Person.objects.filter(code=person_code).update(user=user)
        if secret:
            TOTP.activate(user, secret)
    return True


def demo_layer(below, *, present):
    """Make `build()` the load_demo of a layer of the demo built on `below` (the layer under it's load_demo): in one
    transaction, `below` first, then `build` unless `present()` finds this layer there already. The load_demo
    returns whether anything was created; `build` returns False when it found nothing to build on."""

    def wrap(build):
        @functools.wraps(build)
        @transaction.atomic
        def load_demo() -> bool:
            created = below()
            if present():
                return created
            return build() or created

        return load_demo

    return wrap


def demo_users() -> dict:
    """The demo accounts by username."""
    return {u.username: u for u in get_user_model().objects.all()}


def demo_logins():
    return [(u, r.label, org, secret) for u, _n, r, org, _p, secret in USERS]
