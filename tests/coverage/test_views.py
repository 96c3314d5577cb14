"""Coverage screens through HTTP: the page (constant queries however many units registered), background jobs
with progress and download, the upward report drafted, previewed, sent and returned."""

import re
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Document
from sangtao.common.models import AuditEvent
from sangtao.coverage import exports
from sangtao.coverage.models import Reminder, UpwardReport
from tests.coverage.test_coverage import at, example, reg  # noqa: F401
from tests.support import counted_get

pytestmark = pytest.mark.django_db


def test_page_queries_do_not_grow_with_registrations(campaign, demo, users, login):
    url = reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    c = login("duk.canbo")
    counted_get(
        c, url
    )  # the campaign's first read: every tally computed (and its rubrics chosen, which marks it again)
    counted_get(c, url)
    reg(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], "Một", at(1, 3))
    few_cold, _r = counted_get(c, url)  # the tally the registration made dirty is recomputed first
    few, _r = counted_get(c, url)
    for code in ("DUK-DL", "DUK-AGR", "DUK-LNBL", "DUK-LDP", "DUK-DLV"):  # DUK-CTN's siblings: the same levels
        reg(campaign, demo[code], users["duk.canbo"], f"Mô hình {code}", at(2, 3))
    many_cold, _r = counted_get(c, url)
    many, r = counted_get(c, url)
    assert many == few, (few, many)
    assert many_cold == few_cold, (few_cold, many_cold)  # recomputing 5 tallies costs what recomputing 1 does
    assert "Đảng bộ Công ty Điện lực Lâm Đồng" in r.content.decode()


def test_page_shows_targets_drilldown_and_missing(example, demo, login):
    r = login("duk.canbo").get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk}))
    body = r.content.decode()
    assert "24,1%" in body and "chỉ tiêu 90%" in body and "kpi unmet" in body
    assert reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["DUK-CTN"].pk}) in body  # drill down
    assert "Chi bộ Lâm trường Lộc Bắc" in body and "không thẩm định" in body
    # A unit sees its own subtree, not its sibling's.
    assert (
        login("capnuoc.canbo")
        .get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["DUK-DL"].pk}))
        .status_code
        == 404
    )


def test_background_jobs_with_progress_and_download(example, demo, login, django_capture_on_commit_callbacks):
    c = login("duk.canbo")
    queued = c.get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk}))
    assert "Nhắc tất cả đơn vị chưa đăng ký" in queued.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse(
                "coverage:job_start", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk, "kind": "reminders"}
            )
        )
    page = c.get(r["Location"]).content.decode()
    assert "9 đơn vị chưa có tài khoản cán bộ phụ trách" in page  # no unit under the bloc has an account
    assert Reminder.objects.filter(reason__startswith="manual-").count() == 9
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse(
                "coverage:job_start", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk, "kind": "coverage"}
            )
        )
    job_url = r["Location"]
    assert "Tải tệp" in c.get(job_url).content.decode()
    download = c.get(job_url + "tai/")
    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames == ["Tong_hop", "Chua_dang_ky", "Ket_qua", "Nhan_rong"]
    assert login("capnuoc.canbo").get(job_url).status_code == 404  # someone else's export
    # A unit's officer cannot remind on behalf of its parent.
    assert (
        login("capnuoc.canbo")
        .post(
            reverse(
                "coverage:job_start", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk, "kind": "reminders"}
            )
        )
        .status_code
        == 404
    )


def _draft(client, campaign, org):
    """“Lập dự thảo báo cáo tổng hợp” on the coverage page: the BC draft opens in the document editor."""
    r = client.post(reverse("coverage:upward_draft", kwargs={"code": campaign.code, "org_pk": org.pk}))
    doc = Document.objects.get(purpose=Document.Purpose.UPWARD_REPORT, status=Document.Status.DRAFT)
    assert r.status_code == 302 and r["Location"] == reverse("campaigns:document", kwargs={"pk": doc.pk})
    return doc


def test_upward_report_is_drafted_edited_and_previewed_before_it_goes_out(example, demo, users):

    c = Client()
    c.force_login(users["duk.canbo"])
    page_url = reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk})
    assert "Lập dự thảo báo cáo tổng hợp" in c.get(page_url).content.decode()
    doc = _draft(c, example, demo["LD-DUK"])
    assert _draft(c, example, demo["LD-DUK"]).pk == doc.pk  # a second click reopens the same draft
    assert doc.kind == "BC" and doc.source == f"upward:{example.pk}:{demo['LD-DUK'].pk}" and doc.number is None
    assert list(doc.recipients.all()) == [demo["LD"]] and doc.salutation == "Ban Tổ chức Tỉnh ủy"
    page = c.get(page_url).content.decode()
    assert "Mở dự thảo báo cáo tổng hợp" in page and "Cập nhật số liệu vào dự thảo" in page
    editor = c.get(reverse("campaigns:document", kwargs={"pk": doc.pk})).content.decode()
    url = reverse("coverage:upward_confirm", kwargs={"pk": doc.pk})
    assert "Xác nhận và gửi báo cáo lên cấp trên" in editor and f'action="{url}"' in editor
    assert not UpwardReport.objects.exists() and AuditEvent.objects.filter(action="document.draft").count() == 1
    Document.objects.filter(pk=doc.pk).update(signer_name="")
    body = c.post(url).content.decode()
    assert "Ghi họ tên người ký." in body and "Xác nhận" not in body
    doc.refresh_from_db()
    doc.signer_name = "Trương Văn Hải"
    doc.body = doc.body.replace(doc.body.splitlines()[-1], "Đề nghị tập huấn cách viết chỉ tiêu.")
    doc.save()
    body = c.post(url).content.decode()
    assert "Ban Tổ chức Tỉnh ủy" in body and "Đề nghị tập huấn cách viết chỉ tiêu." in body
    assert "Xác nhận: Gửi báo cáo" in body and not UpwardReport.objects.exists()
    assert "Số liệu đã thay đổi" not in body
    r = c.post(url, {"xac_nhan": "1"})
    rep = UpwardReport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("coverage:upward", kwargs={"pk": rep.pk})
    assert "Đề nghị tập huấn cách viết chỉ tiêu." in rep.document.body and rep.document.pk == doc.pk
    assert "figures" not in rep.document.annex  # the draft's figures are not part of the issued report
    again = c.post(url, {"xac_nhan": "1"}, follow=True).content.decode()  # issued: nothing left to send
    assert "không phải dự thảo báo cáo tổng hợp chưa gửi" in again
    assert UpwardReport.objects.count() == 1
    page = c.get(page_url).content.decode()
    assert "Lập dự thảo báo cáo tổng hợp" not in page and "Mở dự thảo báo cáo tổng hợp" not in page


def test_an_assessment_left_as_drawn_is_drawn_again_with_the_new_figures(example, demo, users, login):
    """The walkthrough's complaint: after “Cập nhật số liệu”, sections I–II said 3 registered while the assessment,
    never touched by the clerk, still said 2 — and went up like that. Untouched, it is written again from the new
    figures; written by the clerk, it is kept and the message asks him to check its numbers."""
    c = login("duk.canbo")
    doc = _draft(c, example, demo["LD-DUK"])
    before = next(line for line in doc.body.splitlines() if line.startswith("1. Ưu điểm:"))
    reg(example, demo["DUK-LNBL"], users["duk.canbo"], "Vườn ươm", at(25, 3))
    page = c.post(reverse("coverage:upward_refresh", kwargs={"pk": doc.pk}), follow=True).content.decode()
    assert "cả phần đánh giá, đề xuất viết từ số liệu" in page
    doc.refresh_from_db()
    after = next(line for line in doc.body.splitlines() if line.startswith("1. Ưu điểm:"))
    assert after != before and "Đã đăng ký: 8 (" in doc.body
    registered = doc.body.split("Đã đăng ký: ")[1].split(" ")[0]
    assert f"; {registered}/" in after  # the assessment's count is the figures' count
    doc.body = doc.body.replace(after, "1. Ưu điểm: Các đơn vị đăng ký nghiêm túc.")
    doc.save()
    reg(example, demo["DUK-LDP"], users["duk.canbo"], "Kho thuốc", at(26, 3))
    page = c.post(reverse("coverage:upward_refresh", kwargs={"pk": doc.pk}), follow=True).content.decode()
    assert "hãy kiểm tra lại các con số trong phần đó" in page
    doc.refresh_from_db()
    assert "1. Ưu điểm: Các đơn vị đăng ký nghiêm túc." in doc.body.splitlines()


def test_upward_draft_says_what_changed_and_updates_only_its_figures(example, demo, users, login):
    c = login("duk.canbo")
    doc = _draft(c, example, demo["LD-DUK"])
    mine = "1. Ưu điểm: Các đơn vị đăng ký nghiêm túc, đúng quy trình."
    lines = [mine if line.startswith("1. Ưu điểm:") else line for line in doc.body.splitlines()]
    doc.body = "\n".join(lines)
    doc.save()
    reg(example, demo["DUK-LNBL"], users["duk.canbo"], "Vườn ươm", at(25, 3))  # after the draft was made

    plain = Client()
    plain.force_login(users["duk.canbo"])
    body = plain.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk})).content.decode()
    assert "Số liệu đã thay đổi từ khi lập dự thảo:" in body
    assert "Trước: Tổng số chủ thể thuộc diện đăng ký: 29" in body and "Đã đăng ký: 8" in body
    assert "Phụ lục, thêm: Đảng bộ Công ty TNHH MTV Lâm nghiệp Bảo Lâm — “Vườn ươm”" in body
    editor = c.get(reverse("campaigns:document", kwargs={"pk": doc.pk})).content.decode()
    refresh = reverse("coverage:upward_refresh", kwargs={"pk": doc.pk})
    assert f'action="{refresh}"' in editor and "Cập nhật số liệu vào dự thảo" in editor  # offered in the editor
    r = c.post(refresh)
    assert r["Location"] == reverse("campaigns:document", kwargs={"pk": doc.pk})
    doc.refresh_from_db()
    assert "Đã đăng ký: 8 (" in doc.body and mine in doc.body.splitlines()  # the clerk's section kept
    assert "Vườn ươm" in [row[2] for row in doc.annex["rows"]]
    assert AuditEvent.objects.filter(action="upward.refresh", object_id=str(doc.pk)).exists()
    body = plain.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk})).content.decode()
    assert "Số liệu đã thay đổi" not in body
    assert c.post(reverse("coverage:upward_refresh", kwargs={"pk": doc.pk}), follow=True).status_code == 200
    # Without its “ĐÁNH GIÁ CHUNG” heading the draft cannot tell the figures from the clerk's text: refused.
    doc.body = doc.body.replace("ĐÁNH GIÁ CHUNG", "NHẬN XÉT")
    doc.save()
    page = c.post(reverse("coverage:upward_refresh", kwargs={"pk": doc.pk}), follow=True).content.decode()
    assert "hãy giữ tiêu đề mục" in page
    doc.refresh_from_db()
    assert "NHẬN XÉT" in doc.body
    assert login("capnuoc.canbo").post(reverse("coverage:upward_refresh", kwargs={"pk": doc.pk})).status_code == 404


def test_upward_report_through_http(example, demo, login):
    c = login("duk.canbo")
    doc = _draft(c, example, demo["LD-DUK"])
    r = c.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk}))
    rep = UpwardReport.objects.get()
    assert r["Location"] == reverse("coverage:upward", kwargs={"pk": rep.pk})
    # the issued report's PDF carries its signature badge (issue 20): unsigned here, the bloc has no certificate
    assert 'data-signature-status="unsigned"' in c.get(r["Location"]).content.decode()
    assert c.post(reverse("coverage:upward_decide", kwargs={"pk": rep.pk, "action": "accept"})).status_code == 403
    province = login("btctu.quantri")
    page = province.get(
        reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD"].pk})
    ).content.decode()
    assert reverse("coverage:upward", kwargs={"pk": rep.pk}) in page
    province.post(reverse("coverage:upward_decide", kwargs={"pk": rep.pk, "action": "return"}), {"reason": "Bổ sung"})
    rep.refresh_from_db()
    assert rep.state == "returned" and rep.return_reason == "Bổ sung"
    docx = province.get(reverse("campaigns:document_docx", kwargs={"pk": rep.document_id}))
    assert docx.status_code == 200
    # Returned: the clerk makes a new draft, starting from the sections of the report returned; sent as number 2.
    page = c.get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk}))
    assert "Lập dự thảo báo cáo tổng hợp" in page.content.decode()
    again = _draft(c, example, demo["LD-DUK"])
    assert again.pk != doc.pk and again.body.split("ĐÁNH GIÁ CHUNG")[1] == rep.document.body.split("ĐÁNH GIÁ CHUNG")[1]
    c.post(reverse("coverage:upward_confirm", kwargs={"pk": again.pk}))
    assert UpwardReport.objects.get(document=again).number == 2


def _table(html: str):
    """The coverage table's rows: [cells as text] per <tr>, body then foot."""

    table = html[html.index('<table class="compact coverage">') :]
    table = table[: table.index("</table>")]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)[1:]:
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.DOTALL)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


@pytest.mark.parametrize("code", ["LD", "LD-DUK", "DUK-CTN"])
def test_rows_add_up_to_the_total_with_the_levels_own_subjects(example, demo, login, code):
    """Issue 19: a bloc's rows summed to 25 subjects of its 28 — its own subjects had no row. Every count column
    of the rows (subordinate units + "Chủ thể trực tiếp") adds up to "Tổng cộng", and the headings say subjects."""
    html = (
        login("btctu.quantri")
        .get(reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo[code].pk}))
        .content.decode()
    )
    rows = _table(html)
    own = [r for r in rows if r[0].startswith("Chủ thể trực tiếp của")]
    assert len(own) == 1 and rows[-1][0] == "Tổng cộng"
    body = rows[:-1]
    for col in (1, 2, 4, 5, 6, 7):  # subjects, registered, on time, late, not registered, rated
        assert sum(int(r[col].replace(".", "") or 0) for r in body) == int(rows[-1][col].replace(".", "")), (code, col)
    assert "Chủ thể chưa đăng ký" in html and "đơn vị, tức chủ thể tập thể" in html and "Chủ thể trong phạm vi" in html


def test_the_coverage_workbook_has_the_own_row_and_adds_up(example, demo):

    wb = load_workbook(BytesIO(exports.build("coverage", example, demo["LD-DUK"])))
    rows = list(wb["Tong_hop"].iter_rows(min_row=6, values_only=True))
    assert rows[-2][1] == "Chủ thể trực tiếp của Đảng bộ Khối Doanh nghiệp tỉnh" and rows[-2][2] == 3
    for col in (2, 3, 4, 5, 7, 8, 9, 10):
        assert sum(r[col] for r in rows[:-1]) == rows[-1][col], col


def test_the_page_withholds_unpublished_classes_from_the_appraised(example, demo, users, login):
    url = reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["DUK-CTN"].pk})
    html = login("capnuoc.canbo").get(url).content.decode()
    assert "Chưa công bố" in html and "Xuất Excel tổng hợp" in html
    assert "Chưa công bố" not in login("duk.canbo").get(url).content.decode()

    adomain.publish(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])
    assert "Chưa công bố" not in login("capnuoc.canbo").get(url).content.decode()
    assert "Xuất Excel tổng hợp" not in login("nguyenvanan").get(url).content.decode()  # he may not start it
