"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They never skip: when Chromium is missing the run fails (make test installs it)."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sangtao.orgs.demo import DEMO_PASSWORD
from sangtao.orgs.models import Organization
from tests.conftest import totp_now
from tests.support import open_campaign, register, users_by_name

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def context(width=1280, height=900, **extra):
    """A browser page's options: Vietnamese, Hồ Chí Minh time, a window of `width` × `height` px."""
    return {
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": width, "height": height},
        **extra,
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **context()}


def log_in(page, base, username, secret=None):
    """Through the real login page (with the TOTP code when the account has `secret`), landing on home."""
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.locator("input[name=code]").fill(totp_now(secret))
        page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


@pytest.fixture
def page_as(browser, console_errors):
    """`page_as(base, username, secret=None, **context)`: a new page logged in as that person, in a context of its
    own, so that several people act side by side in one test; its console errors go to `console_errors`."""

    def open_page(base, username, secret=None, **options):
        page = browser.new_page(**context(**options))
        watch(page, console_errors)
        log_in(page, base, username, secret)
        return page

    return open_page


CASHLESS = "Hóa đơn điện tử và thanh toán không dùng tiền mặt"
CASHLESS_RATE = {"name": "Tỷ lệ thanh toán không dùng tiền mặt", "unit": "%", "baseline": 35, "target": 80}


def campaign_of(year, **fields):
    """The province's campaign of `year` (DK-<year>), named as the real ones are."""
    name = f"Đăng ký mô hình mới, cách làm sáng tạo năm {year}"
    return open_campaign(year, name=name, legal_bases="Kết luận 14-KL/TW", **fields)


def cashless_model(year, *indicators):
    """Cấp nước's model “Hóa đơn điện tử …” in the campaign of `year`, sent and accepted by the bloc's officer;
    `indicators` come after its cashless rate."""
    users = users_by_name()
    return register(
        campaign_of(year),
        Organization.objects.get(code="DUK-CTN"),
        users["capnuoc.canbo"],
        CASHLESS,
        novelty="Lần đầu toàn bộ khách hàng.",
        method="Phòng Kỹ thuật triển khai.",
        indicators=[CASHLESS_RATE, *indicators],
        submitted=True,
        accepted_by=users["duk.canbo"],
    )


def fill_registration(page, novelty, method, indicator):
    """The registration form after its title: both content areas ticked, what is new, how, and the first
    indicator (name, unit, target)."""
    page.get_by_label("Lãnh đạo, chỉ đạo").check()
    page.get_by_label("Phương pháp, lề lối làm việc").check()
    page.get_by_label("Điểm mới").fill(novelty)
    page.get_by_label("Cách thức thực hiện").fill(method)
    for field, value in zip(("name", "unit", "target"), indicator, strict=True):
        page.locator(f"#id_ind-0-{field}").fill(value)


def watch(page, errors):
    """Collect the page's console errors and uncaught exceptions into `errors`."""
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


@pytest.fixture
def console_errors(page):
    """The console errors of the test's pages: the default `page` and every page `page_as` opens."""
    errors = []
    watch(page, errors)
    return errors


def send_upward_report(page, shots=True):
    """From the upward report's draft (BC) in the editor, its own step: what goes out is shown first (issue 16) —
    the addressee, the text, the annex — then it is issued to the province and its page offers the .docx."""
    page.get_by_role("button", name="Xác nhận và gửi báo cáo lên cấp trên").click()
    expect(page.get_by_role("heading", name="Gửi báo cáo tổng hợp lên cấp trên")).to_be_visible()
    expect(page.locator("table.confirm-rows")).to_contain_text("Ban Tổ chức Tỉnh ủy")
    if shots:
        shot(page, "xac-nhan-bao-cao-tong-hop")
    page.get_by_role("button", name="Xác nhận: Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo tổng hợp số")).to_be_visible()
    expect(page.get_by_role("button", name="Tải .docx")).to_be_visible()
    if shots:
        shot(page, "bao-cao-tong-hop")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
