"""Digital signatures in the browser: an administrator uploads the organization's certificate; an officer
checks PDFs and opens a badge's details (the user guide's screenshots)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_browse_tree import log_in
from tests.signatures.conftest import append_text_update, sign
from tests.signatures.pki import PASSPHRASE, pki

pytestmark = pytest.mark.e2e


def test_certificate_upload_and_badges(page, demo_live, console_errors, tmp_path):
    from sangtao.orgs.demo import USERS
    from sangtao.signatures import domain

    domain.add_trust_root(actor=None, data=pki().root.pem)
    base = demo_live.url
    secret = next(u[5] for u in USERS if u[0] == "btctu.quantri")
    log_in(page, base, "btctu.quantri", secret)
    page.goto(f"{base}/chu-ky-so/chung-thu/")
    (tmp_path / "btctu.p12").write_bytes(pki().organization.p12())
    page.get_by_label("Tệp chứng thư số").set_input_files(str(tmp_path / "btctu.p12"))
    page.get_by_label("Mật khẩu của tệp").fill(PASSPHRASE)
    page.get_by_role("button", name="Lưu chứng thư số").click()
    expect(page.get_by_text("Đã lưu chứng thư số")).to_be_visible()
    expect(page.locator("td", has_text="btctu@lamdong.gov.vn")).to_be_visible()
    shot(page, "chu-ky-so-chung-thu")

    page.context.clear_cookies()
    log_in(page, base, "capnuoc.canbo")
    files = {
        "cong-van-da-ky.pdf": sign(pki().organization),
        "cong-van-sua-sau-khi-ky.pdf": append_text_update(sign(pki().organization)),
        "cong-van-dau-ky-gia.pdf": sign(pki().organization, organization="Tỉnh ủy Khánh Hòa"),
    }
    for name, data in reversed(files.items()):
        (tmp_path / name).write_bytes(data)
        page.goto(f"{base}/chu-ky-so/kiem-tra/")
        page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(tmp_path / name))
        page.get_by_role("button", name="Kiểm tra", exact=True).click()
        expect(page.get_by_text(f"Đã kiểm tra “{name}”")).to_be_visible()
    expect(page.locator("[data-signature-status]")).to_have_count(3)
    page.locator("details.signature-badge summary").first.click()
    expect(page.locator("details[open] dt", has_text="Người ký")).to_be_visible()
    expect(page.locator("details[open] dd", has_text="Ban Tổ chức Tỉnh ủy Lâm Đồng")).to_be_visible()
    shot(page, "chu-ky-so-kiem-tra")
    assert not console_errors
