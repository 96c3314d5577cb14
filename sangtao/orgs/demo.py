"""The demo province: Đảng bộ tỉnh Lâm Đồng, modelled on the source documents (436-CV/ĐUK, 1240-CV/BTCTU).

Names of people are fictional. Built through the domain functions, so it carries history and audit rows
like real data: one commune committee was merged into another on 01/07/2025 (the 2025 reorganisation).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import domain
from .models import Organization, OrgKind, Person, Role, RoleAssignment

DEMO_PASSWORD = "SangTao@2026"  # noqa: S105 — the demo province's published password (make run prints it)
START = dt.date(2020, 1, 1)

# code, name, kind, short name, place, flags, children
TREE = (
    "LD",
    "Đảng bộ tỉnh Lâm Đồng",
    "tinh",
    "TU",
    "Lâm Đồng",
    "",
    [
        ("LD-BTC", "Ban Tổ chức Tỉnh ủy", "co_quan_tham_muu", "BTCTU", "Lâm Đồng", "", []),
        ("LD-VP", "Văn phòng Tỉnh ủy", "co_quan_tham_muu", "VPTU", "Lâm Đồng", "", []),
        (
            "LD-DUK",
            "Đảng bộ Khối Doanh nghiệp tỉnh",
            "tren_co_so",
            "ĐUK",
            "Đà Lạt",
            "",
            [
                (
                    "DUK-CTN",
                    "Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng",
                    "dang_bo_co_so",
                    "ĐU",
                    "Đà Lạt",
                    "",
                    [
                        ("CTN-KT", "Chi bộ Phòng Kỹ thuật", "chi_bo", "", "", "", []),
                        ("CTN-XNDL", "Chi bộ Xí nghiệp Cấp nước Đà Lạt", "chi_bo", "", "", "", []),
                    ],
                ),
                (
                    "DUK-DL",
                    "Đảng bộ Công ty Điện lực Lâm Đồng",
                    "dang_bo_co_so",
                    "ĐU",
                    "Đà Lạt",
                    "",
                    [
                        ("DL-DALAT", "Chi bộ Điện lực Đà Lạt", "chi_bo", "", "", "", []),
                        ("DL-BAOLOC", "Chi bộ Điện lực Bảo Lộc", "chi_bo", "", "", "", []),
                    ],
                ),
                (
                    "DUK-AGR",
                    "Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Lâm Đồng",
                    "dang_bo_co_so",
                    "ĐU",
                    "Đà Lạt",
                    "",
                    [
                        ("AGR-KHKD", "Chi bộ Phòng Kế hoạch - Kinh doanh", "chi_bo", "", "", "", []),
                        ("AGR-DV", "Chi bộ Phòng Dịch vụ và Marketing", "chi_bo", "", "", "", []),
                    ],
                ),
                (
                    "DUK-LNBL",
                    "Đảng bộ Công ty TNHH MTV Lâm nghiệp Bảo Lâm",
                    "dang_bo_co_so",
                    "ĐU",
                    "Bảo Lâm",
                    "",
                    [
                        ("LNBL-LB", "Chi bộ Lâm trường Lộc Bắc", "chi_bo", "", "", "", []),
                    ],
                ),
                ("DUK-LDP", "Chi bộ Công ty Cổ phần Dược Lâm Đồng", "chi_bo_co_so", "CB", "Đà Lạt", "", []),
                ("DUK-DLV", "Chi bộ Công ty Cổ phần Du lịch Lâm Đồng", "chi_bo_co_so", "CB", "Đà Lạt", "", []),
                ("DUK-CDT", "Chi bộ Công ty TNHH Chè Cầu Đất", "chi_bo_co_so", "CB", "Đà Lạt", "dntn", []),
            ],
        ),
        (
            "LD-LDG",
            "Đảng bộ huyện Lạc Dương",
            "tren_co_so",
            "HU",
            "Lạc Dương",
            "",
            [
                (
                    "LDG-LAT",
                    "Đảng bộ xã Lát",
                    "dang_bo_co_so",
                    "ĐU",
                    "Lạc Dương",
                    "",
                    [
                        ("LAT-DN", "Chi bộ thôn Đạ Nghịt", "chi_bo", "", "", "thon", []),
                        ("LAT-TH", "Chi bộ Trường Tiểu học Lát", "chi_bo", "", "", "", []),
                    ],
                ),
                (
                    "LDG-DACHAIS",
                    "Đảng bộ xã Đạ Chais",
                    "dang_bo_co_so",
                    "ĐU",
                    "Lạc Dương",
                    "",
                    [
                        ("DC-TYT", "Chi bộ Trạm Y tế xã Đạ Chais", "chi_bo", "", "", "", []),
                        ("DC-KL", "Chi bộ thôn Klong Lanh", "chi_bo", "", "", "thon", []),
                    ],
                ),
                (
                    "LDG-DASAR",
                    "Đảng bộ xã Đạ Sar",
                    "dang_bo_co_so",
                    "ĐU",
                    "Lạc Dương",
                    "",
                    [
                        ("DS-DS", "Chi bộ thôn Đạ Sar", "chi_bo", "", "", "thon", []),
                        ("DS-THCS", "Chi bộ Trường THCS Đạ Sar", "chi_bo", "", "", "", []),
                    ],
                ),
                ("LDG-UB", "Chi bộ Cơ quan Ủy ban nhân dân huyện", "chi_bo_co_so", "CB", "Lạc Dương", "", []),
            ],
        ),
    ],
)

# code, name, org, position, leader, evaluating org (None: the org itself)
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
    import importlib

    defaults = importlib.import_module("sangtao.orgs.migrations.0002_default_kinds").KINDS
    for code, name, order, grassroots, cell in defaults:
        OrgKind.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "is_grassroots": grassroots, "is_cell": cell}
        )


def _build(node, parent, kinds, actor):
    code, name, kind, short, place, flags, children = node
    org = domain.create_org(
        actor=actor,
        parent=parent,
        code=code,
        name=name,
        kind=kinds[kind],
        valid_from=START,
        short_name=short,
        place_name=place,
        in_village=flags == "thon",
        private_enterprise=flags == "dntn",
    )
    for child in children:
        _build(child, org, kinds, actor)
    return org


@transaction.atomic
def load_demo() -> bool:
    """Create the demo province; returns False when it is already there."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    if Organization.objects.filter(code="LD").exists():
        return False
    User = get_user_model()
    ensure_default_kinds()
    kinds = {k.code: k for k in OrgKind.objects.all()}
    _build(TREE, None, kinds, None)
    orgs = {o.code: o for o in Organization.objects.all()}
    for code, name, org, position, leader, evaluator in PEOPLE:
        domain.save_person(
            actor=None,
            code=code,
            full_name=name,
            org=orgs[org],
            position=position,
            is_leader=leader,
            is_party_member=True,
            evaluating_org=orgs[evaluator] if evaluator else orgs[org],
        )
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


def demo_logins():
    return [(u, r.label, org, secret) for u, _n, r, org, _p, secret in USERS]
