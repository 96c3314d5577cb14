"""A leader registers their model (seeing similar models while typing), the bloc officer returns it with a
reason, the leader fixes and resubmits, the officer accepts."""

import pytest
from playwright.sync_api import expect

from sangtao.orgs.models import Organization
from tests.e2e.conftest import campaign_of, fill_registration, shot
from tests.support import register, users_by_name

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(demo_live):

    c = campaign_of(2030)
    register(  # an earlier model like the one the leader types: shown as similar
        c,
        Organization.objects.get(code="DUK-DL"),
        users_by_name()["duk.canbo"],
        "Đối thoại trực tiếp hằng tháng giữa lãnh đạo và công nhân",
        content_areas=["leadership"],
        fields=["phuong_phap"],
        novelty="Đối thoại định kỳ.",
        method="Công đoàn tổ chức.",
        indicators=[{"name": "Số cuộc đối thoại", "unit": "cuộc", "target": 12}],
        submitted=True,
    )
    return c


def test_register_return_resubmit_accept(page_as, campaign, demo_live):
    base = demo_live.url
    leader = page_as(base, "nguyenvanan", height=1000)
    leader.goto(f"{base}/dot/DK-2030/dang-ky/")
    leader.get_by_role("button", name="Đăng ký mô hình của tôi").click()
    leader.get_by_label("Tên mô hình, cách làm").fill("Giam doc doi thoai truc tiep voi cong nhan hang thang")
    expect(leader.locator("#similar")).to_contain_text("Đối thoại trực tiếp hằng tháng giữa lãnh đạo và công nhân")
    fill_registration(
        leader,
        "Giám đốc trực tiếp nghe và trả lời tại chỗ.",
        "Mỗi tháng một buổi tại phân xưởng.",
        ("Số kiến nghị được giải quyết", "kiến nghị", "50"),
    )
    shot(leader, "dang-ky-mo-hinh")
    leader.get_by_role("button", name="Lưu và gửi đăng ký").click()
    expect(leader.get_by_text("Đã gửi đăng ký.")).to_be_visible()
    url = leader.url

    officer = page_as(base, "duk.canbo", height=1000)
    officer.goto(url)
    expect(officer.get_by_text("Đối thoại trực tiếp hằng tháng giữa lãnh đạo và công nhân")).to_be_visible()
    officer.get_by_label("Lý do trả lại").fill("Trùng cách làm của Điện lực; hãy nêu rõ điểm mới")
    officer.get_by_role("button", name="Trả lại").click()
    expect(officer.get_by_text("Lý do trả lại: Trùng cách làm của Điện lực")).to_be_visible()

    leader.goto(url)
    expect(leader.locator(".msg-warning")).to_contain_text("Trùng cách làm của Điện lực")
    leader.get_by_role("button", name="Sửa").click()
    leader.get_by_label("Điểm mới").fill(
        "Giám đốc trả lời tại chỗ và công khai kết quả giải quyết trên bảng tin điện tử."
    )
    leader.get_by_role("button", name="Lưu và gửi đăng ký").click()
    expect(leader.get_by_text("Đã gửi đăng ký.")).to_be_visible()

    officer.goto(url)
    officer.get_by_role("button", name="Tiếp nhận").click()
    expect(officer.get_by_text("Đã thực hiện: Tiếp nhận.")).to_be_visible()
    officer.get_by_role("link", name="So sánh các phiên bản").click()
    expect(officer.locator("ins").first).to_be_visible()
    shot(officer, "so-sanh-phien-ban")
