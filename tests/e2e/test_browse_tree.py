"""Each demo role logs in through the real login page (with TOTP where the role needs it) and browses the tree."""

import pytest
from playwright.sync_api import expect

from sangtao.orgs.demo import USERS
from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("username", "role", "org_code", "secret"), [(u[0], u[2], u[3], u[5]) for u in USERS], ids=[u[0] for u in USERS]
)
def test_each_role_logs_in_and_browses(page, demo_live, console_errors, username, role, org_code, secret):
    base = demo_live.url
    log_in(page, base, username, secret)
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    page.get_by_role("link", name="Cây tổ chức", exact=True).click()
    expect(page.get_by_role("heading", name="Cây tổ chức đảng")).to_be_visible()
    if role == "individual":
        # an individual sees only their own organization, without its subtree
        expect(page.get_by_role("link", name="Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng")).to_be_visible()
        expect(page.get_by_text("Đảng bộ huyện Lạc Dương")).to_have_count(0)
    elif org_code == "LD":
        page.locator("summary", has_text="Đảng bộ tỉnh Lâm Đồng").click()
        duk = page.locator("summary", has_text="Đảng bộ Khối Doanh nghiệp tỉnh")
        expect(duk).to_be_visible()
        duk.click()  # HTMX loads the bloc's children
        expect(page.get_by_role("link", name="Chi bộ Công ty TNHH Chè Cầu Đất")).to_be_visible()
        expect(page.get_by_text("DN tư nhân")).to_be_visible()
        if username == "btctu.quantri":
            shot(page, "cay-to-chuc-quan-tri")
        page.get_by_role("link", name="Đảng bộ Khối Doanh nghiệp tỉnh").click()
        expect(page.get_by_role("heading", name="Đảng bộ Khối Doanh nghiệp tỉnh")).to_be_visible()
        expect(page.get_by_role("link", name="Trương Văn Hải")).to_be_visible()
    else:
        expect(page.locator(".tree a").first).to_be_visible()
        expect(page.get_by_text("Đảng bộ tỉnh Lâm Đồng")).to_have_count(0)
    assert console_errors == []


def test_admin_searches_and_views_history_date(page, demo_live, console_errors):
    base = demo_live.url
    log_in(page, base, "btctu.quantri", USERS[0][5])
    page.goto(f"{base}/to-chuc/")
    page.get_by_label("Tìm theo tên hoặc mã").fill("da chais")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("link", name="Đảng bộ xã Đạ Chais")).to_be_visible()
    expect(page.get_by_text("đã giải thể")).to_be_visible()
    page.goto(f"{base}/to-chuc/")
    page.get_by_label("Cây tổ chức tại ngày").fill("30/06/2025")
    page.get_by_role("button", name="Xem").click()
    page.locator("summary", has_text="Đảng bộ tỉnh Lâm Đồng").click()
    page.locator("summary", has_text="Đảng bộ huyện Lạc Dương").click()
    expect(page.get_by_role("link", name="Đảng bộ xã Đạ Chais")).to_be_visible()
    shot(page, "cay-to-chuc-tai-ngay")
    assert console_errors == []
