"""A unit writes its results report indicator by indicator with evidence, is told exactly what is missing,
sends it; the bloc officer reads it beside the registration and returns it with a reason; the unit sees why."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CASHLESS_RATE, cashless_model, shot

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def accepted(demo_live, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return cashless_model(2031, {"name": "Thời gian thu tiền mỗi kỳ", "unit": "ngày", "baseline": 10, "target": 4})


def attach_evidence(page, path):
    """A PDF saved as `path`, attached as evidence for the cashless rate, and the draft saved."""
    path.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("combobox", name="Minh chứng cho").select_option(label=f"Chỉ tiêu: {CASHLESS_RATE['name']}")
    page.get_by_role("button", name="Lưu dự thảo").click()


def test_write_submit_return(page_as, accepted, demo_live, tmp_path):
    base = demo_live.url
    unit = page_as(base, "capnuoc.canbo", height=1100)
    unit.goto(f"{base}/dang-ky/{accepted.pk}/")
    unit.get_by_role("button", name="Báo cáo kết quả").click()
    expect(unit.get_by_role("heading", name="Báo cáo kết quả thực hiện mô hình")).to_be_visible()
    unit.get_by_role("textbox", name="Những việc đã làm").fill("Đã làm.")
    unit.get_by_role("button", name="Lưu và gửi báo cáo").click()
    missing = unit.locator(".msg-error")
    expect(missing).to_contain_text("giá trị đạt được của chỉ tiêu “Tỷ lệ thanh toán không dùng tiền mặt”")
    expect(missing).to_contain_text("còn chung chung")
    expect(unit.get_by_role("textbox", name="Những việc đã làm")).to_have_value("Đã làm.")  # nothing typed is lost

    ids = [el.get_attribute("id") for el in unit.locator("table.indicators input[name^=a_]").all()]
    unit.locator(f"#{ids[0]}").fill("72,5")
    unit.locator(f"#{ids[1]}").fill("3")
    unit.get_by_role("textbox", name="Những việc đã làm").fill(
        "Đảng ủy ban hành Nghị quyết số 12-NQ/ĐU ngày 05/4/2031; Ban Giám đốc lập tổ triển khai; tập huấn 45 thu ngân."
    )
    unit.get_by_role("textbox", name="Tính mới").fill(
        "Lần đầu 52.000 khách hàng nhận hóa đơn điện tử và thanh toán qua ngân hàng; Điện lực Đà Lạt học tập áp dụng."
    )
    unit.get_by_role("textbox", name="Sơ kết, tổng kết").fill("Sơ kết 6 tháng ngày 15/7/2031; nhân rộng sang Bảo Lộc.")
    attach_evidence(unit, tmp_path / "anh-chup.png")  # a PDF named .png
    expect(unit.get_by_text("Nội dung tệp không phải ảnh PNG.")).to_be_visible()
    attach_evidence(unit, tmp_path / "bao-cao-ngan-hang.pdf")
    expect(unit.get_by_role("link", name="bao-cao-ngan-hang.pdf")).to_be_visible()
    shot(unit, "bao-cao-ket-qua-viet")
    unit.get_by_role("button", name="Lưu và gửi báo cáo").click()
    expect(unit.get_by_text("Đã gửi báo cáo kết quả.")).to_be_visible()
    percent = unit.locator("td .badge", has_text="%")  # (the evidence's signature badge is a badge too)
    expect(percent.first).to_have_text("90,6%")
    expect(percent.nth(1)).to_have_text("133,3%")  # 4 days targeted, 3 achieved
    expect(unit.locator("canvas[data-chart]").first).to_have_attribute("data-drawn", "1")  # no eval: CSP forbids it
    shot(unit, "bao-cao-ket-qua")
    url = unit.url

    officer = page_as(base, "duk.canbo", height=1100)
    officer.goto(url)
    officer.get_by_role("button", name="Đối chiếu đăng ký — báo cáo — minh chứng").click()
    expect(officer.get_by_text("Đã đăng ký")).to_be_visible()
    expect(officer.get_by_role("link", name="bao-cao-ngan-hang.pdf")).to_be_visible()
    shot(officer, "bao-cao-doi-chieu")
    officer.goto(url)
    officer.get_by_label("Lý do trả lại").fill("Chưa có biên bản đối soát với ngân hàng")
    officer.get_by_role("button", name="Trả lại").click()
    expect(officer.get_by_text("Lý do trả lại: Chưa có biên bản đối soát với ngân hàng")).to_be_visible()

    unit.goto(url)
    expect(unit.locator(".msg-warning").first).to_contain_text("Chưa có biên bản đối soát")
    expect(unit.get_by_role("button", name="Viết, sửa báo cáo")).to_be_visible()
