"""A leader registers their model (seeing similar models while typing), the bloc officer returns it with a
reason, the leader fixes and resubmits, the officer accepts."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_browse_tree import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(demo_live):
    from django.contrib.auth import get_user_model

    from sangtao.campaigns import domain
    from sangtao.orgs.models import Organization
    from sangtao.registrations import domain as rdomain

    c = domain.open_campaign(
        actor=None,
        root=Organization.objects.get(code="LD"),
        code="DK-2030",
        name="Đăng ký mô hình mới, cách làm sáng tạo năm 2030",
        year=2030,
        legal_bases="Kết luận 14-KL/TW",
        guidance="Hướng dẫn 09-HD/BTCTU",
        registration_deadline=dt.date(2030, 3, 24),
        results_deadline=dt.date(2030, 11, 30),
    )
    earlier = rdomain.save_draft(
        actor=get_user_model().objects.get(username="duk.canbo"),
        campaign=c,
        subject_org=Organization.objects.get(code="DUK-DL"),
        title="Đối thoại trực tiếp hằng tháng giữa lãnh đạo và công nhân",
        content_areas=["leadership"],
        fields=["phuong_phap"],
        novelty="Đối thoại định kỳ.",
        method="Công đoàn tổ chức.",
        indicators=[{"name": "Số cuộc đối thoại", "unit": "cuộc", "target": 12}],
    )
    rdomain.submit(actor=get_user_model().objects.get(username="duk.canbo"), registration=earlier)
    return c


def test_register_return_resubmit_accept(browser, campaign, demo_live):
    base = demo_live.url
    ctx = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 1280, "height": 1000}}
    leader = browser.new_page(**ctx)
    log_in(leader, base, "nguyenvanan")
    leader.goto(f"{base}/dot/DK-2030/dang-ky/")
    leader.get_by_role("button", name="Đăng ký mô hình của tôi").click()
    leader.get_by_label("Tên mô hình, cách làm").fill("Giam doc doi thoai truc tiep voi cong nhan hang thang")
    expect(leader.locator("#similar")).to_contain_text("Đối thoại trực tiếp hằng tháng giữa lãnh đạo và công nhân")
    leader.get_by_label("Lãnh đạo, chỉ đạo").check()
    leader.get_by_label("Phương pháp, lề lối làm việc").check()
    leader.get_by_label("Điểm mới").fill("Giám đốc trực tiếp nghe và trả lời tại chỗ.")
    leader.get_by_label("Cách thức thực hiện").fill("Mỗi tháng một buổi tại phân xưởng.")
    leader.locator("#id_ind-0-name").fill("Số kiến nghị được giải quyết")
    leader.locator("#id_ind-0-unit").fill("kiến nghị")
    leader.locator("#id_ind-0-target").fill("50")
    shot(leader, "dang-ky-mo-hinh")
    leader.get_by_role("button", name="Lưu và gửi đăng ký").click()
    expect(leader.get_by_text("Đã gửi đăng ký.")).to_be_visible()
    url = leader.url

    officer = browser.new_page(**ctx)
    log_in(officer, base, "duk.canbo")
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
