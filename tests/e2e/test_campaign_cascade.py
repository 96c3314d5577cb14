"""The province admin opens a campaign and issues its letter; the bloc officer acknowledges it, cascades
with an earlier deadline (a later one is refused with the deadline shown) and downloads its own letter;
a grassroots officer finds that letter in the inbox."""

from io import BytesIO

import pytest
from docx import Document as Docx
from playwright.sync_api import expect

from sangtao.orgs.demo import USERS
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_open_cascade_letter_inbox(page_as, demo_live, tmp_path):
    base = demo_live.url
    admin = page_as(base, "btctu.quantri", USERS[0][5])
    admin.get_by_role("link", name="Đợt đăng ký").click()
    admin.get_by_role("button", name="Mở đợt mới").click()
    admin.get_by_label("Mã đợt").fill("DK-2030")
    admin.get_by_label("Tên đợt").fill("Đăng ký mô hình mới, cách làm sáng tạo năm 2030")
    admin.get_by_label("Năm", exact=False).and_(admin.locator("#id_year")).fill("2030")
    admin.get_by_label("Hướng dẫn thẩm định (tiêu chí)").fill(
        "Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy"
    )
    admin.get_by_label("Hạn đăng ký của các cấp trực thuộc").fill("24/03/2030")
    admin.get_by_label("Hạn báo cáo kết quả").fill("30/11/2030")
    admin.get_by_role("button", name="Lưu").click()
    expect(admin.get_by_text("Đã mở đợt")).to_be_visible()
    admin.get_by_role("button", name="Soạn công văn triển khai").click()
    expect(admin.get_by_role("heading", name="Dự thảo công văn")).to_be_visible()
    admin.get_by_role("button", name="Ban hành và gửi").click()
    # Before it is numbered and sent, the letter is shown as it will go out (issue 16).
    expect(admin.get_by_role("heading", name="Ban hành văn bản")).to_be_visible()
    shot(admin, "xac-nhan-ban-hanh")
    admin.get_by_role("button", name="Xác nhận: Ban hành").click()
    expect(admin.get_by_text("Đã ban hành văn bản số 1-CV/BTCTU")).to_be_visible()
    shot(admin, "cong-van-ban-hanh")
    admin.close()

    officer = page_as(base, "duk.canbo")
    officer.get_by_role("link", name="Văn bản đến").click()
    expect(officer.get_by_role("link", name="1-CV/BTCTU")).to_be_visible()
    officer.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(officer.get_by_text("Đã xác nhận nhận văn bản 1-CV/BTCTU")).to_be_visible()
    officer.get_by_role("link", name="Đợt đăng ký").click()
    officer.get_by_role("link", name="Đăng ký mô hình mới, cách làm sáng tạo năm 2030").click()
    expect(officer.get_by_role("heading", name="Đảng bộ Khối Doanh nghiệp tỉnh")).to_be_visible()
    officer.get_by_label("Hạn đăng ký cho các cấp trực thuộc").fill("25/03/2030")
    officer.get_by_role("button", name="Lưu triển khai").click()
    expect(officer.get_by_role("alert")).to_contain_text("muộn hơn hạn 24/03/2030")
    officer.get_by_label("Hạn đăng ký cho các cấp trực thuộc").fill("15/03/2030")
    officer.get_by_role("button", name="Lưu triển khai").click()
    expect(officer.get_by_text("Đã lưu hạn và chỉ tiêu")).to_be_visible()
    shot(officer, "trien-khai-cap-khoi")
    officer.get_by_role("button", name="Soạn công văn triển khai").click()
    officer.get_by_label("Họ tên người ký").fill("Trương Văn Hải")
    officer.get_by_role("button", name="Lưu dự thảo").click()
    officer.get_by_role("button", name="Ban hành và gửi").click()
    officer.get_by_role("button", name="Xác nhận: Ban hành").click()
    expect(officer.get_by_text("Đã ban hành văn bản số 1-CV/ĐUK")).to_be_visible()
    with officer.expect_download() as download:
        officer.get_by_role("button", name="Tải Word (.docx, bản không ký số)").click()
    path = tmp_path / "cv.docx"
    download.value.save_as(path)
    texts = [p.text for p in Docx(BytesIO(path.read_bytes())).paragraphs]
    assert any("trước ngày 15/03/2030" in t for t in texts)
    officer.close()

    grassroots = page_as(base, "capnuoc.canbo")
    grassroots.get_by_role("link", name="Văn bản đến").click()
    expect(grassroots.get_by_role("link", name="1-CV/ĐUK")).to_be_visible()
    shot(grassroots, "van-ban-den")
    grassroots.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(grassroots.get_by_text("Đã xác nhận nhận văn bản 1-CV/ĐUK")).to_be_visible()
