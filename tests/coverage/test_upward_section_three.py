"""The BC's section III adds up to its section I (docs/rules.md V9, D17): one line per direct unit plus the line
“Chủ thể trực tiếp của <cấp>” — the level itself, its leaders and members who registered — as the coverage page
and the sent report's page have it. The walkthrough: the bloc's BC said 28 subjects in I while III listed only its
units (25); the level's own 3 were nowhere in III. That line says “chưa công bố” of the rated count where the page
withholds it from the drafter (V12).

Worked example (tests/coverage/test_coverage.py): the bloc LD-DUK has 29 subjects; DUK-CTN's own result (7,5 Khá)
and Nguyễn Văn An's (6 Đạt) were appraised by the bloc and are not published, so DUK-CTN's officer may not see them."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as Docx

from sangtao.campaigns.models import Document
from tests.coverage.test_coverage import example  # noqa: F401  (fixture)
from tests.support import send_upward_report

pytestmark = pytest.mark.django_db

OWN = "Chủ thể trực tiếp của"
UNIT_LINE = re.compile(r"^\d+\. (.+?): (\d+)/(\d+) chủ thể đăng ký \([^)]*\), muộn (\d+), chưa đăng ký (\d+); (.*)$")


def _lines(client, doc_pk) -> list[str]:
    r = client.get(reverse("campaigns:document_docx", kwargs={"pk": doc_pk}))
    assert r.status_code == 200
    docx = Docx(BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    return [p.text.strip() for p in docx.paragraphs if p.text.strip()]


def _sections(lines: list[str]) -> dict:
    """Section I's figures and section III's lines: {name: (registered, subjects, late, missing, rated text)}."""
    first = next(line for line in lines if line.startswith("Tổng số chủ thể thuộc diện đăng ký:"))
    total = re.search(r"thuộc diện đăng ký: (\d+) .*Đã đăng ký: (\d+) .*muộn (\d+); chưa đăng ký: (\d+)\.", first)
    start = lines.index("III. KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC") + 1
    rows = {}
    for line in lines[start:]:
        m = UNIT_LINE.match(line)
        if not m:
            break
        rows[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)), m.group(6))
    return {
        "subjects": int(total.group(1)),
        "registered": int(total.group(2)),
        "late": int(total.group(3)),
        "missing": int(total.group(4)),
        "rows": rows,
    }


def _adds_up(s: dict) -> None:
    rows = s["rows"].values()
    assert sum(r[1] for r in rows) == s["subjects"]
    assert sum(r[0] for r in rows) == s["registered"]
    assert sum(r[2] for r in rows) == s["late"]
    assert sum(r[3] for r in rows) == s["missing"]


def _draft(client, campaign, org) -> Document:
    r = client.post(reverse("coverage:upward_draft", kwargs={"code": campaign.code, "org_pk": org.pk}))
    assert r.status_code == 302
    return Document.objects.get(purpose=Document.Purpose.UPWARD_REPORT, status=Document.Status.DRAFT, issuer=org)


def test_the_blocs_report_lists_its_own_subjects_in_section_three_and_it_adds_up(example, demo, login):
    org, clerk = demo["LD-DUK"], login("duk.canbo")
    drafted = _sections(_lines(clerk, _draft(clerk, example, org).pk))
    assert drafted["subjects"] == 29
    own = f"{OWN} {org.name} (bản thân tổ chức, lãnh đạo và đảng viên có đăng ký)"
    assert list(drafted["rows"])[-1] == own  # after the units, as on the page
    assert drafted["rows"][own][:4] == (1, 3, 0, 2)  # LD-DUK itself and its two leaders; “Khối số hóa”
    _adds_up(drafted)
    issued = _sections(_lines(clerk, send_upward_report(clerk, example, org).document_id))
    assert issued == drafted  # the issued BC says what the draft said (nothing changed)


def test_the_own_line_says_not_published_where_the_page_withholds_it(example, demo, login):
    """DUK-CTN's officer drafts: its own result and An's (its own subjects) are the bloc's, not published — the
    line says “chưa công bố” of them, the counts still add up."""
    org, clerk = demo["DUK-CTN"], login("capnuoc.canbo")
    page = clerk.get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": org.pk})).content.decode()
    own_cells = page[page.index('<tr class="own">') :]
    assert "Chưa công bố" in own_cells[: own_cells.index("</tr>")]
    s = _sections(_lines(clerk, _draft(clerk, example, org).pk))
    own = next(v for k, v in s["rows"].items() if k.startswith(f"{OWN} {org.name}"))
    assert own[4] == "đạt trở lên: chưa công bố."
    assert "Khá" not in own[4] and "1" not in own[4]
    _adds_up(s)
