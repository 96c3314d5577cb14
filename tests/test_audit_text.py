"""Issue 16: the audit trail is read by people — no action code (`registration.submit`) and no Python value
(`False`, `None`, `[None, 29]`) on the page."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from sangtao.common import audit
from sangtao.common.audit_text import ACTIONS, FIELDS, action_label, changes_text
from sangtao.orgs import domain as odomain
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
    assert changes_text({"late": False, "deadline": "2027-03-15", "person": None, "org_id": [None, 29]}) == [
        ("muộn", "không"),
        ("hạn", "15/03/2027"),
        ("cá nhân", "—"),
        ("tổ chức", "— → 29"),
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
