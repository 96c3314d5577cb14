"""A sent upward report's table adds up (docs/rules.md V9), as the coverage page does: one row per unit below plus
“Chủ thể trực tiếp của …” (the level itself, its leaders and members who registered), summing to “Tổng cộng” in
every figure column. The colleague's finding: the sent report's page (/bao-cao-tong-hop/<pk>/) had the unit rows
and the total but no such row, so a bloc's 26 subjects in rows stood above a total of 29.

And the API's coverage figures say what the page says (V11): `missing_units` lists the units below the level,
`total.missing_units` counts them and the level itself when it has not registered."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sangtao.coverage.models import UpwardReport
from tests.coverage.test_coverage import at, example, reg  # noqa: F401  (fixture)
from tests.support import send_upward_report

pytestmark = pytest.mark.django_db

OWN = "Chủ thể trực tiếp của"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _cells(row_html: str) -> list[str]:
    return [_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.DOTALL)]


def _table(html: str, marker: str) -> dict:
    """The table whose opening tag contains `marker`: its body rows and its total row, as lists of cell texts."""
    start = html.index(marker)
    table = html[start : html.index("</table>", start)]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    foot = table[table.index("<tfoot>") : table.index("</tfoot>")]
    return {
        "rows": [_cells(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)],
        "total": _cells(foot),
    }


# The sent report's columns: Đơn vị, Chủ thể, Đã đăng ký, %, Muộn, Chưa, Đạt trở lên — the counts, not the %.
REPORT_COUNTS = {"subjects": 1, "registered": 2, "late": 4, "missing": 5, "rated": 6}
# The coverage page's: Đơn vị, Chủ thể, Đã đăng ký, %, Đúng hạn, Muộn, Chưa, Đạt trở lên, …
PAGE_COUNTS = {"subjects": 1, "registered": 2, "late": 5, "missing": 6, "rated": 7}


def _report_page(client, rep: UpwardReport) -> tuple[str, dict]:
    r = client.get(reverse("coverage:upward", kwargs={"pk": rep.pk}))
    assert r.status_code == 200
    html = r.content.decode()
    return html, _table(html, '<table class="compact"><thead><tr><th>Đơn vị</th>')


def _by_name(rows: list[list[str]], counts: dict) -> dict:
    """Each row's name (without the “không thẩm định” badge) → its counts; a withheld rated column is None."""
    out = {}
    for cells in rows:
        name = re.sub(r" không thẩm định$", "", cells[0])
        out[name] = {k: int(cells[i]) if cells[i].isdigit() else None for k, i in counts.items()}
    return out


def _coverage_rows(client, campaign, org) -> dict:
    html = client.get(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": org.pk})).content.decode()
    return _by_name(_table(html, '<table class="compact coverage">')["rows"], PAGE_COUNTS)


def _adds_up(table: dict) -> None:
    """Every count column of the rows sums to the total row; a column whose figures the sender may not see yet
    (rules V12) reads “Chưa công bố” in its total too."""
    total = table["total"]
    for name, i in REPORT_COUNTS.items():
        cells = [row[i] for row in table["rows"]]
        if all(c.isdigit() for c in cells):
            assert sum(int(c) for c in cells) == int(total[i]), name
        else:
            assert total[i] == "Chưa công bố" and set(cells) - {"Chưa công bố"} <= {c for c in cells if c.isdigit()}


@pytest.mark.parametrize(
    ("level", "sender", "parent_officer", "later_unit"),
    [
        ("LD-DUK", "duk.canbo", "btctu.quantri", "DUK-LDP"),  # the bloc, received by the province
        ("DUK-CTN", "capnuoc.canbo", "duk.canbo", "CTN-XNDL"),  # a grassroots committee, received by the bloc
    ],
)
def test_the_received_report_adds_up_and_shows_the_rows_of_the_page_when_sent(
    example, demo, users, login, level, sender, parent_officer, later_unit
):
    org = demo[level]
    clerk = login(sender)
    before = _coverage_rows(clerk, example, org)
    assert any(name.startswith(OWN) for name in before)
    rep = send_upward_report(clerk, example, org)
    # Figures change after sending: the report keeps the ones it froze.
    reg(example, demo[later_unit], users[sender], "Đăng ký sau khi gửi báo cáo", at(25, 3))
    assert _coverage_rows(clerk, example, org) != before

    received_html, received = _report_page(login(parent_officer), rep)
    assert "Tiếp nhận" in received_html  # the parent's officer, who decides on it
    sent_html, sent = _report_page(clerk, rep)
    assert "Tiếp nhận" not in sent_html
    assert sent == received  # the sender sees the table the parent received
    _adds_up(received)
    shown = _by_name(received["rows"], REPORT_COUNTS)
    assert f"{OWN} {org.name} (bản thân tổ chức, lãnh đạo và đảng viên có đăng ký)" in shown
    assert list(shown) == list(before)  # the same rows, in the same order
    for name, figures in before.items():
        # the page withholds results not yet published to its reader (rules P11); the other counts are the same
        assert {k: v for k, v in shown[name].items() if figures[k] is not None} == {
            k: v for k, v in figures.items() if v is not None
        }, name
    assert login("lacduong.canbo").get(reverse("coverage:upward", kwargs={"pk": rep.pk})).status_code == 404


def test_a_report_sent_before_the_row_existed_shows_it_derived_from_its_snapshot(example, demo, login):
    """Reports sent before the coverage page had the row keep their snapshot as stored (without `own`): the page
    derives the row from the frozen total less the frozen unit rows."""
    org, clerk = demo["LD-DUK"], login("duk.canbo")
    rep = send_upward_report(clerk, example, org)
    _html, now = _report_page(clerk, rep)
    old = {k: v for k, v in rep.snapshot.items() if k != "own"}
    UpwardReport.objects.filter(pk=rep.pk).update(snapshot=old)  # as such a report was stored
    for viewer in ("duk.canbo", "btctu.quantri"):
        _html, then = _report_page(login(viewer), rep)
        assert then == now
        _adds_up(then)
    rep.refresh_from_db()
    assert "own" not in rep.snapshot  # shown, not written back
    own = next(cells for cells in now["rows"] if cells[0].startswith(OWN))
    assert own[1:4] == ["3", "1", "33,3"]  # LD-DUK itself and its two leaders; the bloc registered “Khối số hóa”


def _api(username):
    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _page_says(client, campaign, org) -> dict:
    """The coverage page's total row, its list of units not registered (names and the count in its heading), and
    whether it says the level itself has not registered."""
    html = client.get(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": org.pk})).content.decode()
    total = _table(html, '<table class="compact coverage">')["total"]
    part = html[html.index("<h2>Đơn vị chưa đăng ký") :]
    heading, table = part[: part.index("</h2>")], part[: part.index("</table>")]
    return {
        "total": {k: int(total[i]) for k, i in PAGE_COUNTS.items()},
        "names": [_text(td) for td in re.findall(r"<tr><td>(.*?)</td>", table, re.DOTALL)],
        "count": int(re.search(r"\((\d+) đơn vị", heading).group(1)),
        "itself": f"Bản thân {org.name} chưa đăng ký" in _text(part[: part.index("<table")]),
    }


@pytest.mark.parametrize(("level", "itself_missing"), [("LD-DUK", False), ("DUK-LNBL", True)])
def test_the_api_says_what_the_page_says(example, demo, login, level, itself_missing):
    """`total.missing_units` = the units listed + the level itself when it has not registered (V11; the API keeps
    that meaning, other systems read it); every other total is the page's “Tổng cộng”."""
    org = demo[level]
    page = _page_says(login("duk.canbo"), example, org)
    r = _api("duk.canbo").get(f"/api/v1/campaigns/{example.code}/coverage/", {"org": org.code})
    assert r.status_code == 200
    data = r.json()
    assert {k: data["total"][k] for k in PAGE_COUNTS} == page["total"]
    assert [m["name"] for m in data["missing_units"]] == page["names"] and len(page["names"]) == page["count"]
    assert page["itself"] is itself_missing and data["own"]["missing_units"] == int(itself_missing)
    assert data["total"]["missing_units"] == page["count"] + int(itself_missing)
    assert sum(c["missing_units"] for c in data["children"]) == page["count"]
