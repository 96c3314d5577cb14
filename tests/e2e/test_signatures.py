"""Digital signatures in the browser: an administrator uploads the organization's certificate; an officer
checks PDFs and opens a badge's details; a letter waits for its signer's USB-token signature (Chờ ký số), a wrong
file is refused, the signed one sends it and the recipient sees the green badge (the user guide's screenshots)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sangtao.campaigns.demo import load_demo as load_demo_campaign
from sangtao.orgs.demo import USERS
from sangtao.orgs.models import Organization
from sangtao.signatures import demo, domain
from tests.e2e.conftest import log_in, shot
from tests.signatures.conftest import append_text_update, letter_pdf, sign
from tests.signatures.pki import PASSPHRASE, pki

pytestmark = pytest.mark.e2e


def test_certificate_upload_and_badges(page, demo_live, console_errors, tmp_path):

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


def test_a_letter_waits_for_the_token_signature_then_goes_out(
    page, page_as, demo_live, console_errors, tmp_path, settings
):

    settings.SANGTAO_DEMO_SIGNING_DIR = str(tmp_path / "demo-ky-so")
    demo.load_demo()  # the demo's test CA, the province's and the bloc's certificates, the secretary's .p12
    load_demo_campaign()  # DK-2027 and the province's letter, signed
    base = demo_live.url
    bloc = Organization.objects.get(code="LD-DUK")
    log_in(page, base, "duk.canbo")
    page.goto(f"{base}/dot/DK-2027/cap/{bloc.pk}/")
    page.get_by_role("button", name="Soạn công văn triển khai").click()
    page.get_by_label("Người ký ký số bằng USB token của mình").check()
    page.get_by_role("button", name="Ban hành và gửi").click()  # not saved yet: it would go out unsigned
    expect(page.get_by_text("Dự thảo có thay đổi chưa lưu")).to_be_visible()
    assert "/ban-hanh/" not in page.url and page.get_by_label("Người ký ký số bằng USB token của mình").is_checked()
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    page.get_by_role("button", name="Cấp số, chờ ký số").click()
    expect(page.get_by_text("chờ người ký ký số bằng USB token")).to_be_visible()
    page.get_by_role("button", name="Xác nhận: Cấp số, chờ ký số").click()
    expect(page.get_by_text("Chờ ký số: tải bản PDF, ký bằng USB token, tải lên bản đã ký")).to_be_visible()
    letter_url = page.url
    shot(page, "chu-ky-so-cho-ky")

    page.goto(f"{base}/")
    task = page.locator('li[data-kind="sign"]')
    expect(task).to_contain_text("Văn bản chờ ký số")
    shot(page, "chu-ky-so-viec-cua-toi")
    task.get_by_role("button", name="Tải lên bản đã ký").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Tải bản PDF cần ký").click()
    download.value.save_as(tmp_path / "can-ky.pdf")
    (tmp_path / "khac.pdf").write_bytes(letter_pdf())
    p12 = str(demo.demo_dir() / demo.PERSONAL["file"])
    for name in ("can-ky", "khac"):  # the token's software, played by sign_pdf
        call_command(
            "sign_pdf",
            "--p12",
            p12,
            "--passphrase",
            demo.DEMO_PASSPHRASE,
            str(tmp_path / f"{name}.pdf"),
            str(tmp_path / f"{name}-da-ky.pdf"),
        )

    page.get_by_label("Tệp PDF đã ký").set_input_files(str(tmp_path / "khac-da-ky.pdf"))
    page.get_by_role("button", name="Tải lên bản đã ký").click()
    expect(page.get_by_text("Chưa nhận bản đã ký — văn bản vẫn chờ ký số")).to_be_visible()
    expect(page.get_by_text("không phải bản PDF cần ký của văn bản này")).to_be_visible()
    shot(page, "chu-ky-so-tu-choi")

    page.get_by_label("Tệp PDF đã ký").set_input_files(str(tmp_path / "can-ky-da-ky.pdf"))
    page.get_by_role("button", name="Tải lên bản đã ký").click()
    expect(page.get_by_text("Đã nhận bản ký số của Trương Văn Hải")).to_be_visible()
    expect(page.get_by_text("Chờ ký số: tải bản PDF")).to_have_count(0)
    page.locator("details.signature-badge summary").first.click()
    expect(page.locator("details[open] dd", has_text="Trương Văn Hải")).to_be_visible()
    shot(page, "chu-ky-so-tai-len")
    assert page.url == letter_url

    recipient = page_as(base, "capnuoc.canbo")
    recipient.goto(f"{base}/van-ban-den/")
    row = recipient.locator("tr", has_text="-CV/ĐUK")
    expect(row.locator('[data-signature-status="valid_trusted"]')).to_be_visible()
    row.locator("details.signature-badge summary").click()
    expect(row.locator("details[open] dd", has_text="Trương Văn Hải")).to_be_visible()
    shot(recipient, "chu-ky-so-van-ban-den")
    assert not console_errors
