"""The bloc officer drafts the upward report (BC) from the coverage page, edits it in the document editor with its
PDF preview, and sends it with its own step: the preview lists what goes out, then it is issued to the province."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import send_upward_report, shot
from tests.e2e.test_browse_tree import log_in
from tests.e2e.test_coverage_flow import full_demo  # noqa: F401 — fixture: the demo with its appraisals

pytestmark = pytest.mark.e2e


def test_draft_edit_and_send_the_upward_report(page, full_demo, console_errors):
    log_in(page, full_demo.url, "duk.canbo")
    page.goto(f"{full_demo.url}/dot/DK-2027/tong-hop/")  # the officer's own level: the bloc
    expect(page.get_by_role("heading", name="Báo cáo tổng hợp gửi cấp trên")).to_be_visible()
    page.get_by_role("button", name="Lập dự thảo báo cáo tổng hợp").click()
    expect(page.get_by_role("heading", name="Dự thảo báo cáo")).to_be_visible()
    expect(page.locator(".letter-preview")).to_contain_text("BÁO CÁO")
    expect(page.locator(".letter-preview")).to_contain_text("ĐÁNH GIÁ CHUNG")
    expect(page.locator(".letter-preview .lp-annex")).to_contain_text("PHỤ LỤC")  # the annex shown as in the PDF
    body = page.get_by_label("Nội dung")
    body.fill(body.input_value() + "\nĐề nghị tập huấn thêm cách viết chỉ tiêu đo được.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    shot(page, "du-thao-bao-cao-tong-hop")
    send_upward_report(page, shots=False)  # the coverage flow's test keeps the guide's screenshots of these steps
    assert console_errors == []
