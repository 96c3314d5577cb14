"""The province admin changes the tree in the browser: imports a workbook (bad, then fixed) and moves a unit."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sangtao.orgs.demo import USERS
from tests.e2e.conftest import shot
from tests.e2e.test_browse_tree import log_in
from tests.orgs.test_import import workbook

pytestmark = pytest.mark.e2e


def test_admin_imports_then_moves(page, demo_live, console_errors, tmp_path):
    base = demo_live.url
    log_in(page, base, "btctu.quantri", USERS[0][5])
    page.get_by_role("link", name="Nhập Excel").click()
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(workbook([("DUK-NEW", "Chi bộ Công ty CP Mới", "", "chi_bo_co_so", "KHONG-CO", "", "", "", "")]))
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Tải lên và nhập").click()
    expect(page.get_by_text("Tệp có 1 lỗi")).to_be_visible()
    expect(page.locator("#problems")).to_contain_text("Không tìm thấy tổ chức cấp trên có mã “KHONG-CO”")
    shot(page, "nhap-excel-loi")
    good = tmp_path / "dung.xlsx"
    good.write_bytes(workbook([("DUK-NEW", "Chi bộ Công ty CP Mới", "", "chi_bo_co_so", "LD-DUK", "", "", "", "")]))
    page.get_by_role("link", name="Nhập Excel").first.click()
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Tải lên và nhập").click()
    expect(page.get_by_text("Đã nhập xong.")).to_be_visible()

    page.goto(f"{base}/to-chuc/?q=DUK-NEW")
    page.get_by_role("link", name="Chi bộ Công ty CP Mới").click()
    page.get_by_role("button", name="Điều chuyển").click()
    page.get_by_label("Chuyển về trực thuộc (mã tổ chức)").fill("LD-LDG")
    page.get_by_label("Hiệu lực từ ngày").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Căn cứ (số quyết định)").fill("Quyết định số 45-QĐ/TU")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi nhận biến động tổ chức.")).to_be_visible()
    expect(page.locator(".crumbs")).to_contain_text("Đảng bộ huyện Lạc Dương")
    expect(page.get_by_role("cell", name="Quyết định số 45-QĐ/TU")).to_be_visible()
    shot(page, "to-chuc-sau-dieu-chuyen")
    assert console_errors == []


def test_phone_layout(page, demo_live, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    base = demo_live.url
    log_in(page, base, "duk.canbo")
    page.goto(f"{base}/to-chuc/")
    page.locator("summary", has_text="Đảng bộ Khối Doanh nghiệp tỉnh").click()
    expect(page.get_by_role("link", name="Chi bộ Công ty Cổ phần Dược Lâm Đồng")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone ({width}px)"
    shot(page, "dien-thoai-cay-to-chuc")
    assert console_errors == []
