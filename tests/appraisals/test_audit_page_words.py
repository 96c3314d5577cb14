"""The audit log as btctu.quantri read it after a council's work (walkthrough): the object column named the
appraisal “Appraisal object (1)”, the changes read “TC2: score: 3.5; note: …”, “mã: TH_A”, “thành viên:
duk.thamdinh”, “đăng ký: 12”, “đã sửa: done, indicator:1”, “lập từ: upward:1:5” and “8.00”. The page reads in
words and Vietnamese numbers, what only a technician needs in its “Chi tiết kỹ thuật” title, and its queries do
not grow with the rows."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sangtao.appraisals import domain
from sangtao.common import audit
from sangtao.orgs import domain as odomain
from sangtao.orgs.models import Person
from sangtao.reports import domain as reports
from tests.appraisals.conftest import accepted, grant_bonus, score
from tests.support import counted_get

pytestmark = pytest.mark.django_db
URL = reverse("orgs:audit_log")


@pytest.fixture
def reg(campaign, demo, users):
    return accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")


def _row(page: str, action: str) -> str:
    """The text of the first row whose action reads `action`, its tags gone (titles kept, after “@”)."""
    cell = page[page.index(f"<td>{action}</td>") :]
    cell = cell[: cell.index("</tr>")]
    return html.unescape(re.sub(r"<[^>]*?title=\"([^\"]*)\"[^>]*>", r" @\1@ ", cell))


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", re.sub(r"</(div|td)>", " ", fragment)).split())


def test_a_councils_work_reads_in_words(reg, users, second_appraiser, login):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(
        actor=users["duk.canbo"], registration=reg, members=[chair, second_appraiser], chair=chair
    )
    score(ap, chair, {"TC1": "1,5", "TC2": "3,5", "TC3": "1,5", "TC4": "0,75"})
    score(ap, second_appraiser, {"TC1": "1,5", "TC2": "3,5", "TC3": "1,5", "TC4": "1"})
    domain.sign_off(actor=chair, appraisal=ap)
    grant_bonus(chair, reg.campaign, reg.subject_org, "Đã đề xuất tháo gỡ vướng mắc về hóa đơn kịp thời.")
    page = login("btctu.quantri").get(URL).content.decode()

    assert "object (" not in page  # the object column: the appraisal by its model's title
    assert "Thẩm định “Hóa đơn điện tử” (lần 1)" in html.unescape(page)
    opened = _text(_row(page, "Mở thẩm định"))
    # members and chair by their names (the second member's account has none: its username stays)
    assert "thành viên: Trương Văn Hải, duk.thamdinh2" in opened and "chủ trì: Trương Văn Hải" in opened
    assert "“Hóa đơn điện tử”" in opened and not re.search(r"đăng ký: \d", opened)
    sheet = _text(_row(page, "Nộp phiếu chấm"))
    assert "TC2: điểm 3,5; nhận xét: Căn cứ chấm TC2" in sheet
    for code in ("score", "note", "3.5", "0.75"):
        assert code not in sheet, code
    signed = _text(_row(page, "Ký duyệt thẩm định"))
    assert re.search(r"tổng điểm: 7,(5|25) ", signed + " ")
    assert not re.search(r"\d\.\d", signed)  # no decimal point anywhere
    bonus = _text(_row(page, "Ghi điểm thưởng"))
    assert "Lãnh đạo, chỉ đạo, đề xuất tháo gỡ kịp thời khó khăn" in bonus and "TH_A" not in bonus


def test_a_report_a_draft_and_a_persons_edit_read_in_words(reg, users, demo, login):
    rep = reports.start_report(actor=users["capnuoc.canbo"], registration=reg)
    indicator = reg.indicators.get()
    reports.save_draft(
        actor=users["capnuoc.canbo"],
        report=rep,
        sections={"done": "Ban hành kế hoạch số 12-KH/ĐU, triển khai hóa đơn điện tử ở 5 chi nhánh."},
        results={indicator.pk: {"achieved": Decimal(85), "note": ""}},
    )
    audit.record("document.draft", object_repr="Báo cáo tổng hợp", changes={"source": "upward:1:5", "kind": "BC"})
    person = Person.objects.filter(org=demo["DUK-CTN"]).first() or odomain.save_person(
        actor=None, code="DV-9", full_name="Vương Thị Bảy", org=demo["DUK-CTN"]
    )
    odomain.save_person(actor=None, person=person, is_party_member=not person.is_party_member, active=False)
    odomain.save_person(actor=None, person=person, org=demo["LD-BTC"], evaluating_org=demo["LD"])
    page = login("btctu.quantri").get(URL).content.decode()

    edit = _row(page, "Sửa báo cáo kết quả")
    assert "Những việc đã làm" in _text(edit) and f"“{indicator.name}”" in _text(edit)
    assert "done" not in edit and "indicator:" not in edit
    created = _text(_row(page, "Bắt đầu báo cáo kết quả"))
    assert "“Hóa đơn điện tử”" in created and not re.search(r"đăng ký: \d", created)
    draft = _row(page, "Soạn dự thảo văn bản")
    assert "loại: Báo cáo" in _text(draft) and "upward:1:5" in draft.split("@")[1]  # only in the title
    assert "lập từ" not in _text(draft.split("@")[0] + draft.split("@")[-1])
    people = page[page.index("Sửa cán bộ, đảng viên") :]
    for english in ("is party member", "evaluating org id", ">active", "org id"):
        assert english not in people, english
    moved = _text(_row(page, "Sửa cán bộ, đảng viên"))
    assert demo["LD-BTC"].name in moved and demo["LD"].name in moved
    assert not re.search(r"tổ chức: [\d—]+ → \d", moved)


def test_the_filter_offers_groups_of_actions_in_words(demo, login):
    audit.record("auth.login_failed", object_repr="x", changes={"username": "ai.do"})
    audit.record("registration.submit", object_repr="Mô hình A", changes={"late": False})
    client = login("btctu.quantri")
    page = client.get(URL).content.decode()
    assert "ví dụ org., auth." not in page and "<select" in page
    assert "Đăng nhập, đăng xuất" in page and "Thẩm định, bộ tiêu chí, điểm thưởng" in page
    only = client.get(URL, {"action": "auth"}).content.decode()
    assert "Đăng nhập sai" in only and "Mô hình A" not in only
    assert 'value="auth" selected' in only
    old_link = client.get(URL, {"action": "registration."}).content.decode()  # links that carry a code still work
    assert "Mô hình A" in old_link and "Đăng nhập sai" not in old_link


def test_names_cost_the_same_queries_for_two_rows_or_forty(reg, users, demo, login):
    client = login("btctu.quantri")

    def rows(n):
        for _ in range(n):
            audit.record(
                "appraisal.open",
                object_repr="x",
                changes={"registration": reg.pk, "members": ["duk.thamdinh", "duk.canbo"], "chair": "duk.thamdinh"},
            )
            audit.record("appraisal.bonus", object_repr="x", changes={"code": "TH_A", "person": "nobody"})
            audit.record("org.merge", object_repr="x", changes={"sources": ["DUK-CTN"], "target": "LD-DUK"})
            audit.record("person.update", object_repr="x", changes={"org_id": [demo["DUK-CTN"].pk, demo["LD"].pk]})
            audit.record(
                "report.edit", object_type="reports.resultsreport", object_id="1", changes={"changed": ["done"]}
            )

    rows(1)
    client.get(URL)
    few, _r = counted_get(client, URL)
    rows(8)
    many, r = counted_get(client, URL)
    assert many <= few
    assert "Đảng bộ Công ty Cấp nước" in r.content.decode() or demo["DUK-CTN"].name in r.content.decode()
