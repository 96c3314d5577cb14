"""The units still unregistered are one list (docs/rules.md V11): a level's coverage page, its workbook and the
upward report (BC) it sends say the same — the units below the level, never the level itself. The walkthrough
found the page listing "Đảng ủy Khối Doanh nghiệp tỉnh" among its own unregistered units while the BC drawn from
the same figures did not. The level itself is a subject (V1): it stays counted in the figures (its "Chủ thể trực
tiếp" row, the subjects not registered), and its parent lists it.

Here LD-DUK has not registered, nor has DUK-CTN (the water company); CTN-KT (under DUK-CTN) and DUK-DL have."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from sangtao.coverage import exports
from sangtao.coverage.models import UpwardReport
from sangtao.orgs.models import Organization
from tests.coverage.test_coverage import at, reg
from tests.support import send_upward_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def partly(campaign, demo, users):
    reg(campaign, demo["CTN-KT"], users["capnuoc.canbo"], "Sổ tay kỹ thuật số", at(10, 3))
    reg(campaign, demo["DUK-DL"], users["duk.canbo"], "Bản đồ số", at(12, 3))
    return campaign


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _page(client, campaign, org) -> dict:
    """What the coverage page says of the units not registered: the list's names, the count in its heading, the
    subjects not registered (the total), and whether it says the level itself has not registered."""
    html = client.get(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": org.pk})).content.decode()
    part = html[html.index("<h2>Đơn vị chưa đăng ký") :]
    heading, table = part[: part.index("</h2>")], part[: part.index("</table>")]
    names = [_text(td) for td in re.findall(r"<tr><td>(.*?)</td>", table, re.DOTALL)]
    kpi = re.search(r"chủ thể chưa đăng ký: (\d+)", html)
    return {
        "names": names,
        "count": int(re.search(r"\((\d+) đơn vị", heading).group(1)),
        "subjects_missing": int(kpi.group(1)),
        "itself": f"Bản thân {org.name} chưa đăng ký" in _text(part[: part.index("<table")]),
    }


def _report(client, rep: UpwardReport) -> dict:
    """What the BC's .docx says: section IV's units, the shortcoming "Còn n đơn vị chưa đăng ký", the subjects not
    registered (section I), the collectives in scope, and the collectives of the annex (danh sách đăng ký)."""
    r = client.get(reverse("campaigns:document_docx", kwargs={"pk": rep.document_id}))
    assert r.status_code == 200
    docx = Docx(BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    lines = [p.text.strip() for p in docx.paragraphs]
    names = []
    if "IV. ĐƠN VỊ CHƯA ĐĂNG KÝ" in lines:
        listed = lines[lines.index("IV. ĐƠN VỊ CHƯA ĐĂNG KÝ") + 1].rstrip(".")
        names = [re.sub(r" \(đã nhắc \d+ lần\)$", "", n) for n in listed.split("; ")]
    text = " ".join(lines)
    shortfall = re.search(r"Còn (\d+) đơn vị chưa đăng ký", text)
    scope = re.search(r"Tổng số chủ thể thuộc diện đăng ký: \d+ \((\d+) tập thể", text)
    annex = docx.tables[-1]
    who = [row.cells[1].text.strip() for row in annex.rows[1:]]
    org_names = set(Organization.objects.values_list("name", flat=True))
    return {
        "names": names,
        "count": int(shortfall.group(1)) if shortfall else 0,
        "subjects_missing": int(re.search(r"chưa đăng ký: (\d+)\.", text).group(1)),
        "collectives": int(scope.group(1)),
        "annex_collectives": {w for w in who if w in org_names},
    }


def _workbook(campaign, org) -> list[str]:
    ws = load_workbook(BytesIO(exports.build("coverage", campaign, org)))["Chua_dang_ky"]
    return [r[1] for r in ws.iter_rows(min_row=6, values_only=True) if isinstance(r[0], int)]


@pytest.mark.parametrize(
    ("level", "clerk", "below"),
    [
        ("LD-DUK", "duk.canbo", {"DUK-CTN", "CTN-XNDL", "DL-DALAT", "DL-BAOLOC", "DUK-AGR", "AGR-KHKD", "AGR-DV"}),
        ("DUK-CTN", "capnuoc.canbo", {"CTN-XNDL"}),
    ],
)
def test_the_page_the_workbook_and_the_report_list_the_same_units(partly, demo, login, level, clerk, below):
    org, c = demo[level], login(clerk)
    page = _page(c, partly, org)
    assert org.name not in page["names"] and page["itself"]  # not in its own list, but said
    assert {demo[code].name for code in below} <= set(page["names"])
    assert page["count"] == len(page["names"])
    assert _workbook(partly, org) == page["names"]
    bc = _report(c, send_upward_report(c, partly, org))
    assert bc["names"] == page["names"] and bc["count"] == page["count"]
    assert bc["subjects_missing"] == page["subjects_missing"]  # the level itself counted in both (V1)
    # Every collective in scope is registered (in the annex), listed as missing, or the level itself.
    assert org.name not in bc["annex_collectives"] and not bc["annex_collectives"] & set(page["names"])
    assert len(bc["annex_collectives"]) + page["count"] + 1 == bc["collectives"]


def test_the_parent_lists_the_level_that_did_not_register(partly, demo, login):
    page = _page(login("btctu.quantri"), partly, demo["LD"])
    assert demo["LD-DUK"].name in page["names"] and not page["itself"]  # the root is no subject


def test_a_level_that_registered_says_nothing_of_itself(partly, demo, users, login):
    reg(partly, demo["LD-DUK"], users["duk.canbo"], "Khối số hóa", at(11, 3))
    page = _page(login("duk.canbo"), partly, demo["LD-DUK"])
    assert not page["itself"] and demo["LD-DUK"].name not in page["names"]
