"""Issue 16: the audit trail is read by people — no action code (`registration.submit`) and no Python value
(`False`, `None`, `[None, 29]`) on the page."""

import ast
import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Model
from django.urls import reverse

from sangtao.common import audit
from sangtao.common.audit_text import (
    ACTIONS,
    FIELDS,
    GROUPS,
    Names,
    action_label,
    changes_text,
    details_text,
    object_detail,
    object_text,
    value_text,
)
from sangtao.common.models import AuditEvent
from sangtao.orgs import domain as odomain
from sangtao.orgs.domain import ORG_FIELDS, PERSON_FIELDS
from sangtao.orgs.interfaces.excel import ImportResult
from sangtao.orgs.models import Role
from tests.support import open_campaign

pytestmark = pytest.mark.django_db
SOURCE = Path(__file__).resolve().parent.parent / "sangtao"


def test_every_action_the_code_records_has_a_vietnamese_name():
    literal = re.compile(r'audit\.record\(\s*f?"([a-z_]+\.[a-z_{}]+)"')
    dynamic = {"registration.{action}": ["create", "edit", "submit", "accept", "return", "start"]}
    found = set()
    for path in SOURCE.rglob("*.py"):
        for name in literal.findall(path.read_text(encoding="utf-8")):
            found.update(f"registration.{a}" for a in dynamic.get(name, [])) if "{" in name else found.add(name)
    assert len(found) > 50
    assert sorted(found - set(ACTIONS)) == []


def test_values_read_as_an_office_writes_them():
    assert changes_text({"late": False, "deadline": "2027-03-15", "person": None}) == [
        ("muộn", "không"),
        ("hạn", "15/03/2027"),
        ("cá nhân", "—"),
    ]
    assert action_label("registration.submit") == "Gửi đăng ký"
    # what the walkthrough found in English or as codes: an organization's edit, a signature check
    assert changes_text({"short_name": ["", "CB"], "place_name": "Đà Lạt", "status": "valid_trusted"}) == [
        ("tên viết tắt", "— → CB"),
        ("địa danh", "Đà Lạt"),
        ("trạng thái", "chữ ký hợp lệ"),
    ]
    assert changes_text({"title": "invalid"}) == [("tên mô hình", "invalid")]  # a person's words stay as written


def test_an_organizations_versions_say_what_kind_of_change_in_vietnamese(demo, login):

    org = demo["DUK-LDP"]
    odomain.update_org(actor=None, org=org, place_name="Đà Lạt")
    page = login("btctu.quantri").get(reverse("orgs:history", kwargs={"pk": org.pk})).content.decode()
    assert "<td>Sửa</td>" in page and "Changed" not in page and "place name" not in page


def test_the_audit_page_shows_words_not_codes(demo, login):

    audit.record("registration.submit", changes={"late": False, "deadline": "2027-03-15"})
    page = login("btctu.quantri").get(reverse("orgs:audit_log")).content.decode()
    assert "Gửi đăng ký" in page and "15/03/2027" in page and "không" in page
    assert "registration.submit" not in page and "False" not in page and "2027-03-15" not in page


def test_every_field_the_code_records_has_a_vietnamese_name():
    """A key written literally into an audit row's changes reads as a word, not “late policy” or “root”."""
    keys = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record":
                for kw in node.keywords:
                    if kw.arg == "changes" and isinstance(kw.value, ast.Dict):
                        keys.update(k.value for k in kw.value.keys if isinstance(k, ast.Constant))
    assert len(keys) > 40
    assert sorted(keys - set(FIELDS)) == []


def test_opening_a_campaign_reads_in_words(demo, login):
    """The walkthrough read “root”, “targets” and “late policy” on the row of “Mở đợt”."""
    open_campaign(2027, root=demo["LD"])
    page = login("btctu.quantri").get(reverse("orgs:audit_log")).content.decode()
    row = page[page.index("Mở đợt") :][:3000]
    for words in ("cấp mở đợt", "chỉ tiêu đăng ký (%)", "chỉ tiêu đạt trở lên (%)", "đăng ký, báo cáo sau hạn"):
        assert words in row, words
    for code in ("root", "targets", "late policy", "late_policy", "accept", "refuse"):
        assert code not in row, code


# --- what the walkthrough as btctu.quantri still read in English, as codes or as numbers -----------------------

OBJECTS = {  # what each audit.record passes as obj=, by module: the model it is an instance of
    "accounts/views.py": {"request.user": "accounts.User", "target": "accounts.User", "user": "accounts.User"},
    "appraisals/domain.py": {
        "rubric": "appraisals.Rubric",
        "campaign": "campaigns.Campaign",
        "appraisal": "appraisals.Appraisal",
        "ap": "appraisals.Appraisal",
        "new": "appraisals.Appraisal",
        "org": "orgs.Organization",
        "d.subject_org": "orgs.Organization",
        "correction": "appraisals.ResultCorrection",
        "c": "appraisals.ResultCorrection",
        "ia": "appraisals.IndividualAppraisal",
    },
    "campaigns/domain.py": {"campaign": "campaigns.Campaign", "doc": "campaigns.Document", "org": "orgs.Organization"},
    "campaigns/papers.py": {"doc": "campaigns.Document"},
    "campaigns/views.py": {"doc": "campaigns.Document", "tpl": "campaigns.LetterTemplate"},
    "common/signals.py": {"user": "accounts.User"},
    "coverage/lists.py": {"org": "orgs.Organization"},
    "coverage/reminders.py": {"org": "orgs.Organization"},
    "coverage/upward.py": {"doc": "campaigns.Document", "org": "orgs.Organization", "rep.org": "orgs.Organization"},
    "notifications/domain.py": {"user": "accounts.User"},
    "orgs/domain.py": {
        "org": "orgs.Organization",
        "target": "orgs.Organization",
        "source": "orgs.Organization",
        "person": "orgs.Person",
    },
    "orgs/views_io.py": {"org": "orgs.Organization"},
    "registrations/domain.py": {"reg": "registrations.Registration", "doc": "campaigns.Document"},
    "registrations/views.py": {"reg": "registrations.Registration"},
    "reports/domain.py": {
        "campaign": "campaigns.Campaign",
        "report": "reports.ResultsReport",
        "rep": "reports.ResultsReport",
    },
    "signatures/domain.py": {
        "cert": "signatures.SigningCertificate",
        "certificate": "signatures.SigningCertificate",
        "root": "signatures.TrustRoot",
        "record": "signatures.Verification",
        "field_file.instance": "campaigns.Document",  # an issued letter's PDF, signed (campaigns.domain)
    },
}


def _record_calls():
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr == "record" and getattr(func.value, "id", "") == "audit":
                yield path.relative_to(SOURCE).as_posix(), node


def test_every_audited_model_has_a_vietnamese_name():
    """The object column read “Appraisal object (2)”: a model passed as obj= to audit.record without a __str__.
    Every obj= of the code is in OBJECTS (a new one fails here until its model is named), every model there has
    its own __str__, and a call without obj= names its object itself (object_repr)."""
    found, unnamed = set(), []
    for path, call in _record_calls():
        kws = {kw.arg: kw.value for kw in call.keywords}
        obj = kws.get("obj")
        if obj is None or (isinstance(obj, ast.Constant) and obj.value is None):
            assert "object_repr" in kws, f"{path}:{call.lineno} records no object name"
            continue
        found.add((path, ast.unparse(obj)))
    known = {(path, expr) for path, exprs in OBJECTS.items() for expr in exprs}
    assert sorted(found - known) == []
    for path, expr in found:
        model = apps.get_model(OBJECTS[path][expr])
        if model.__str__ is Model.__str__:
            unnamed.append(model._meta.label)
    assert sorted(set(unnamed)) == []


DIFFED = {  # where audit.diff records {field: [old, new]}, and of which models' fields
    "orgs/domain.py": ["orgs.Organization", "orgs.Person"],
    "campaigns/domain.py": ["campaigns.Campaign", "campaigns.CampaignLevel"],
    "campaigns/views.py": ["campaigns.Document", "campaigns.LetterTemplate"],
}


def test_every_field_a_recorded_edit_can_name_reads_as_a_word():
    """“sources”, “is party member”, “evaluating org id”, “active”: a model's field recorded by audit.diff or
    in a dictionary built before the record (a merger's summary, an import's counts) has a Vietnamese label."""
    diffing = {
        path.relative_to(SOURCE).as_posix()
        for path in SOURCE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "diff"
        and getattr(node.func.value, "id", "") == "audit"
    }
    assert diffing == set(DIFFED)
    names = set(ORG_FIELDS) | set(PERSON_FIELDS)
    for labels in DIFFED.values():
        for label in labels:
            for f in apps.get_model(label)._meta.concrete_fields:
                names |= {f.name, f.attname}
    names |= {f.name for f in dataclasses.fields(ImportResult)}
    # the dictionaries a function builds and then records: `summary = {…}` / `changes["signer"] = …`
    for path, call in _record_calls():
        changes = next((kw.value for kw in call.keywords if kw.arg == "changes"), None)
        if isinstance(changes, ast.Dict):
            changes = next((v for k, v in zip(changes.keys, changes.values, strict=True) if k is None), None)
        if isinstance(changes, ast.Name):
            names |= _keys_given_to(SOURCE / path, changes.id)
    assert sorted(names - set(FIELDS)) == []


def _keys_given_to(path: Path, name: str) -> set[str]:
    """The literal keys a module puts into the dictionary `name`: `name = {…}` and `name["key"] = …`."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        built = isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        if built and any(getattr(t, "id", "") == name for t in node.targets):
            keys |= {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
        stored = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
        if stored and getattr(node.value, "id", "") == name and isinstance(node.slice, ast.Constant):
            keys.add(node.slice.value)
    return keys


def test_a_score_sheet_reads_in_words_and_vietnamese_numbers():
    sheet = {"TC1": {"score": "1.75", "note": "Đủ văn bản"}, "TC2": {"score": "3.5", "note": "Có số liệu"}}
    assert changes_text({"scores": sheet}) == [
        ("TC1", "điểm 1,75; nhận xét: Đủ văn bản"),
        ("TC2", "điểm 3,5; nhận xét: Có số liệu"),
    ]
    signed = {"scores": {"TC1": "1.75", "TC2": "3"}, "total": "8.00", "classification": "Tốt"}
    assert changes_text(signed) == [("điểm", "TC1: 1,75; TC2: 3"), ("tổng điểm", "8"), ("xếp loại", "Tốt")]
    assert changes_text({"consensus": {"score": "3", "reason": "Hội đồng thống nhất"}}) == [
        ("điểm thống nhất", "điểm 3; lý do: Hội đồng thống nhất")
    ]
    assert [value_text(v) for v in (Decimal("3.50"), Decimal("8.00"), 2.25, Decimal("1234.5"))] == [
        "3,5",
        "8",
        "2,25",
        "1.234,5",
    ]
    assert value_text("1.2.3") == "1.2.3" and value_text(2027) == "2027"  # a code and a year stay as written


def test_codes_and_numbers_read_by_their_names():
    names = Names(
        users={"duk.thamdinh": "Trương Văn Hải"},
        orgs={"LD-LDG": "Đảng bộ Sở Giáo dục", "29": "Chi bộ Phòng Tổ chức"},
        people={"DV-1": "Vương Thị Bảy"},
        registrations={"5": "“Hóa đơn điện tử”"},
        bonuses={"TH_A": "Lãnh đạo tháo gỡ khó khăn"},
        sections={"7": {"done": "Những việc đã làm", "indicator:3": "chỉ tiêu “Tỷ lệ hộ dùng nước sạch”"}},
    )

    def read(action, changes, object_id=""):
        return (
            changes_text(changes, action=action, object_id=object_id, names=names),
            details_text(changes, action=action, object_id=object_id, names=names),
        )

    assert read("appraisal.open", {"registration": 5, "members": ["duk.thamdinh", "x.y"], "chair": "duk.thamdinh"}) == (
        [("đăng ký", "“Hóa đơn điện tử”"), ("thành viên", "Trương Văn Hải, x.y"), ("chủ trì", "Trương Văn Hải")],
        "",
    )
    assert read("appraisal.bonus", {"code": "TH_A", "granted": True})[0] == [
        ("mã", "Lãnh đạo tháo gỡ khó khăn"),
        ("cộng điểm", "có"),
    ]
    assert read("rubric.create", {"code": "HD09"})[0] == [("mã", "HD09")]  # a rubric's own code stays
    assert read("org.move", {"parent": ["LD-LDG", "LD-XX"]})[0] == [("cấp trên", "Đảng bộ Sở Giáo dục → LD-XX")]
    assert read("person.update", {"org_id": [None, 29], "evaluating_org_id": [29, 31]}) == (
        [("tổ chức", "— → Chi bộ Phòng Tổ chức")],
        "cấp đánh giá, xếp loại: 29 → 31",  # an id nothing was found for: technical
    )
    assert read("report.edit", {"version": 3, "changed": ["done", "indicator:3", "novelty", "zzz"]}, "7") == (
        [
            ("phiên bản", "3"),
            (
                "đã sửa",
                "Những việc đã làm, chỉ tiêu “Tỷ lệ hộ dùng nước sạch”, Tính mới; hiệu quả, sức lan tỏa, phạm vi ảnh hưởng",
            ),
        ],
        "đã sửa: zzz",
    )
    assert read("report.evidence_add", {"claim": "section:done"}, "7")[0] == [("minh chứng cho", "Những việc đã làm")]
    assert read("document.draft", {"source": "upward:1:5", "kind": "BC"}) == (
        [("loại", "Báo cáo")],
        "lập từ: upward:1:5",
    )
    assert read("appraisal.unregistered", {"person": "DV-1", "basis": "commendation", "replaces": 4}) == (
        [("cá nhân", "Vương Thị Bảy"), ("căn cứ", "Có thành tích đột xuất được cấp có thẩm quyền khen thưởng")],
        "thay cho: 4",
    )
    assert read("user.role_add", {"role": "admin", "org": "LD-LDG"})[0] == [
        ("vai trò", str(dict(Role.choices)["admin"])),
        ("tổ chức", "Đảng bộ Sở Giáo dục"),
    ]
    correction = {"before": {"result": "7.75", "class": "Khá", "bonuses": {"TH_A": False}}}
    assert read("appraisal.correction_propose", correction)[0] == [
        ("trước", "kết quả: 7,75; xếp loại: Khá; điểm thưởng: Lãnh đạo tháo gỡ khó khăn: không")
    ]


def test_an_object_recorded_under_djangos_default_name_reads_by_its_kind():
    old = AuditEvent(object_type="appraisals.appraisal", object_id="2", object_repr="Appraisal object (2)")
    assert object_text(old) == "Thẩm định" and object_detail(old) == "mã số: 2"


def test_every_action_belongs_to_a_group_the_page_filters_on():
    prefixes = [p for _label, group in GROUPS.values() for p in group]
    assert [a for a in ACTIONS if not any(a.startswith(p) for p in prefixes)] == []
