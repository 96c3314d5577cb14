"""Two places that left out or miscounted the level's own figures (docs/rules.md V9, V12):

- the coverage page's chart “Tỷ lệ đăng ký, tỷ lệ đạt theo đơn vị” drew the unit rows only, so a level whose only
  registration is its own (the row “Chủ thể trực tiếp của …”) drew nothing registered; the chart has the table's
  row now, labelled as the table labels it;
- the year-end workbook (“Xuất kết quả cuối năm”, sheet Ket_qua) counted “Xếp loại Tốt: 0 …” for a reader from whom
  results are withheld (DUK-CTN's officer before the bloc publishes), where the coverage workbook's summary says
  “Chưa công bố”: the class counts are rated figures and read “Chưa công bố” too."""

import json
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.coverage.exports import UNPUBLISHED
from sangtao.coverage.models import Export
from tests.coverage.test_coverage import at, example, reg  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _page(client, campaign, org) -> str:
    r = client.get(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": org.pk}))
    assert r.status_code == 200
    return r.content.decode()


def _chart(html: str, name: str) -> dict:
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def test_the_registration_chart_has_the_levels_own_row(campaign, demo, users, login):
    org = demo["DUK-CTN"]
    reg(campaign, org, users["capnuoc.canbo"], "Hóa đơn điện tử", at(10, 3))  # the level's only registration
    html = _page(login("capnuoc.canbo"), campaign, org)
    own_row = html[html.index('<tr class="own">') :]
    own_pct = re.findall(r"<td>([^<]*)</td>", own_row[: own_row.index("</tr>")])[2]  # Chủ thể, Đã đăng ký, %
    chart = _chart(html, "ch-child")
    label = f"Chủ thể trực tiếp của {org.name}"
    assert label in chart["labels"]
    registered = dict(zip(chart["labels"], chart["datasets"][0]["values"], strict=True))
    assert registered[label] > 0 and f"{registered[label]:.1f}".replace(".", ",") == own_pct
    assert sum(registered.values()) == registered[label]  # the units below registered nothing
    timeliness = _chart(html, "ch-time")
    assert timeliness["labels"] == chart["labels"]  # the same rows, its own among them


def test_the_own_rows_rate_is_left_out_of_the_chart_when_withheld(example, demo, users, login):
    """DUK-CTN's own result (7,5 Khá, signed by the bloc) is not published: its officer's chart says 0, not 100."""
    org = demo["DUK-CTN"]
    label = f"Chủ thể trực tiếp của {org.name}"

    def rated():
        chart = _chart(_page(login("capnuoc.canbo"), example, org), "ch-child")
        return dict(zip(chart["labels"], chart["datasets"][1]["values"], strict=True))[label]

    assert rated() == 0.0
    adomain.publish(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    assert rated() > 0


@pytest.fixture
def year_end(login, demo, django_capture_on_commit_callbacks):
    def _export(username, org_code):
        client = login(username)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(f"/dot/DK-2023/tong-hop/{demo[org_code].pk}/chay/year_end/")
        assert r.status_code == 302
        job = Export.objects.filter(user__username=username).latest("pk")
        assert job.status == Export.Status.DONE, job.error
        ws = load_workbook(BytesIO(client.get(f"/viec-chay-nen/{job.pk}/tai/").getvalue()))["Ket_qua"]
        return {r[1]: r[4] for r in ws.iter_rows(values_only=True) if isinstance(r[1], str) and r[0] is None}

    return _export


def test_the_year_end_class_counts_are_not_published_where_the_results_are_withheld(example, demo, users, year_end):
    foot = year_end("capnuoc.canbo", "DUK-CTN")
    classes = {k: v for k, v in foot.items() if k.startswith("Xếp loại ")}
    assert classes and set(classes.values()) == {UNPUBLISHED}
    assert isinstance(foot["Tổng số chủ thể"], int)  # the subjects are his to count
    # the bloc, which appraised them, counts them before publication
    assert year_end("duk.canbo", "LD-DUK")["Xếp loại Khá"] == 1
    adomain.publish(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    foot = year_end("capnuoc.canbo", "DUK-CTN")
    assert foot["Xếp loại Khá"] == 1 and UNPUBLISHED not in foot.values()
