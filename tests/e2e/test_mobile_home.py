"""Home is my work, in the browser: an individual cadre on a 375 px phone and a unit officer on a desktop go from
login to a submitted registration using only what the home page offers; on the phone no page scrolls sideways and
the header folds into a menu button. Each demo role's home page is photographed for the user guide."""

import pytest
from playwright.sync_api import expect

from sangtao.appraisals import domain as adomain
from sangtao.appraisals.demo import load_demo
from sangtao.orgs.demo import USERS
from sangtao.registrations.models import Registration
from tests.e2e.conftest import fill_registration, shot
from tests.support import users_by_name

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 740, "is_mobile": True, "has_touch": True}


@pytest.fixture
def year_live(transactional_db, live_server):

    load_demo()
    return live_server


def no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: {width[0]} px wide in a {width[1]} px window"


def test_individual_on_a_phone_registers_from_home(page_as, year_live, console_errors):
    base = year_live.url
    page = page_as(base, "nguyenvanan", **PHONE)
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 72, header  # was 288 px of 740
    expect(page.locator("#mainnav")).to_be_hidden()
    page.locator("label.menu-btn").click()
    expect(page.locator("#mainnav")).to_be_visible()
    menu = page.locator("#mainnav details.dropdown summary")
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    menu.click()
    expect(page.get_by_role("link", name="Cách nhận thông báo")).to_be_in_viewport()
    shot(page, "viec-cua-toi-dien-thoai-menu")
    menu.click()  # an open dropdown closes on the next tap anywhere (Pico's overlay)
    no_sideways_scroll(page)
    page.locator("label.menu-btn").click()
    shot(page, "viec-cua-toi-dien-thoai")
    task = page.locator("li.task", has_text="Hoàn thiện và gửi đăng ký")
    expect(task).to_contain_text("Hạn 15/03/2027")
    task.get_by_role("button", name="Mở đăng ký").click()
    no_sideways_scroll(page)
    detail = page.url
    page.goto(detail + "sua/")
    expect(page.get_by_label("Tên mô hình, cách làm")).to_be_visible()
    no_sideways_scroll(page)
    page.goto(detail)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Đã thực hiện: Gửi đăng ký.")).to_be_visible()
    no_sideways_scroll(page)
    for path in ("/", "/thong-bao/", "/thong-bao/cai-dat/", "/dot/DK-2027/dang-ky/"):
        page.goto(base + path)
        no_sideways_scroll(page)
    assert console_errors == []


def test_new_unit_officer_registers_from_home(page_as, year_live):
    base = year_live.url
    page = page_as(base, "lacduong.canbo")
    task = page.locator("li.task", has_text="Đăng ký mô hình của Đảng bộ huyện Lạc Dương")
    expect(task).to_contain_text("Hạn 24/03/2027")
    task.get_by_role("button", name="Đăng ký").click()
    page.get_by_label("Tên mô hình, cách làm").fill("Một cửa liên thông trực tuyến cấp huyện cho hộ sản xuất cà phê")
    fill_registration(
        page,
        "Hồ sơ vay vốn, cấp mã vùng trồng nộp một lần, theo dõi trên điện thoại.",
        "Văn phòng Huyện ủy chủ trì; các xã cử cán bộ đầu mối.",
        ("Số hồ sơ giải quyết trực tuyến", "hồ sơ", "300"),
    )
    page.get_by_role("button", name="Lưu và gửi đăng ký").click()
    expect(page.get_by_text("Đã gửi đăng ký.")).to_be_visible()
    page.goto(base + "/")
    expect(page.locator("li.task", has_text="Đăng ký mô hình của Đảng bộ huyện Lạc Dương")).to_have_count(0)


@pytest.mark.parametrize(("username", "secret"), [(u[0], u[5]) for u in USERS], ids=[u[0] for u in USERS])
def test_home_of_each_role(page_as, year_live, username, secret):
    page = page_as(year_live.url, username, secret)
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    shot(page, f"viec-cua-toi-{username.replace('.', '-')}")


def test_sticky_total_never_covers_the_field_being_typed(page_as, year_live):

    users = users_by_name()
    reg = Registration.objects.get(campaign__code="DK-2027", subject_org__code="DUK-CTN", person=None)
    ap = adomain.open_appraisal(
        actor=users["duk.canbo"], registration=reg, members=[users["duk.thamdinh"]], chair=users["duk.thamdinh"]
    )
    secret = next(u[5] for u in USERS if u[0] == "duk.thamdinh")
    page = page_as(year_live.url, "duk.thamdinh", secret, **PHONE)  # once: a TOTP code is accepted once
    for size in ({"width": 375, "height": 740}, {"width": 1280, "height": 700}):
        page.set_viewport_size(size)
        page.goto(f"{year_live.url}/tham-dinh/{ap.pk}/")
        fields = page.locator("#sheet input[name^=score_], #sheet textarea")
        for i in range(fields.count()):
            field = fields.nth(i)
            field.focus()
            field.type("1")
            # The live total is swapped in by HTMX (outerHTML) after each keystroke: measure it once it is back.
            box, total = None, None
            for _ in range(20):
                box, total = field.bounding_box(), page.locator("#live").bounding_box()
                if box and total:
                    break
                page.wait_for_timeout(100)
            covered = box["y"] + box["height"] > total["y"] and box["y"] < total["y"] + total["height"]
            assert not covered, (size, i, box, total)
