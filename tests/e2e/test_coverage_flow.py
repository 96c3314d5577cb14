"""The bloc officer opens the coverage of the Đảng bộ Khối, sees the figures against the targets and the
charts, reminds every unit still missing (with a progress bar), and sends the upward report to the province (drawn
as a draft from the figures, sent by its own step)."""

import pytest
from playwright.sync_api import expect

from sangtao.appraisals.demo import load_demo
from sangtao.orgs.models import Organization
from tests.e2e.conftest import send_upward_report, shot
from tests.e2e.test_browse_tree import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def full_demo(demo_live, settings, tmp_path):

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    return demo_live


def test_check_coverage_remind_and_report_upward(page, full_demo, console_errors):

    base = full_demo.url
    duk = Organization.objects.get(code="LD-DUK")
    log_in(page, base, "duk.canbo")
    page.goto(f"{base}/dot/DK-2027/cap/{duk.pk}/")
    page.get_by_role("button", name="Tổng hợp, biểu đồ").click()
    expect(page.get_by_role("heading", name="Tổng hợp kết quả: Đảng bộ Khối Doanh nghiệp tỉnh")).to_be_visible()
    expect(page.locator(".kpi").first).to_contain_text("chỉ tiêu 90%")
    for canvas in page.locator("canvas[data-chart]").all():  # no wait_for_function: CSP forbids eval
        expect(canvas).to_have_attribute("data-drawn", "1")
    shot(page, "tong-hop-khoi")
    missing = page.locator("h2", has_text="Đơn vị chưa đăng ký")
    expect(missing).to_be_visible()
    page.get_by_role("button", name="Nhắc tất cả đơn vị chưa đăng ký").click()
    # no unit under the bloc has an account: the screen says so, it does not claim to have reached them
    expect(page.get_by_text("đơn vị chưa có tài khoản cán bộ phụ trách")).to_be_visible(timeout=20000)
    page.get_by_role("link", name="← Tổng hợp — Đảng bộ Khối Doanh nghiệp tỉnh").click()
    expect(page.get_by_text("1 lần").first).to_be_visible()
    page.get_by_role("button", name="Lập dự thảo báo cáo tổng hợp").click()
    expect(page.get_by_role("heading", name="Dự thảo báo cáo")).to_be_visible()
    send_upward_report(page, shots=False)  # the guide's pictures of it: test_upward_draft.py, the draft edited
    assert console_errors == []
