"""A council of two appraisers of the Đảng bộ Khối scores a unit's model independently (each sees the other's
marks only after sending their own), the chair records a consensus on one criterion and signs off, the
bloc officer releases the results, and the unit sees its published result."""

import pytest
from playwright.sync_api import expect

from sangtao.appraisals import domain
from sangtao.orgs.models import Organization
from tests.conftest import make_user
from tests.e2e.conftest import cashless_model, shot
from tests.support import users_by_name

pytestmark = pytest.mark.e2e
SECOND = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
CHAIR = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF"


@pytest.fixture
def appraisal(demo_live):

    users = users_by_name()
    second = make_user("duk.thamdinh2", "appraiser", Organization.objects.get(code="LD-DUK"), totp_secret=SECOND)
    chair = users["duk.thamdinh"]
    return domain.open_appraisal(
        actor=users["duk.canbo"], registration=cashless_model(2032), members=[chair, second], chair=chair
    )


def fill_sheet(page, marks):
    for code, value in marks.items():
        page.get_by_label(f"Điểm {code}", exact=True).fill(value)
        page.get_by_label(f"Nhận xét, căn cứ {code}").fill(
            f"{code}: đối chiếu báo cáo, số liệu và minh chứng của đơn vị."
        )


def test_council_scores_chair_signs_unit_sees(page_as, appraisal, demo_live):
    base = demo_live.url
    window = {"width": 1400, "height": 1200}
    url = f"{base}/tham-dinh/{appraisal.pk}/"

    chair = page_as(base, "duk.thamdinh", CHAIR, **window)
    chair.goto(url)
    fill_sheet(chair, {"TC1": "1,75", "TC2": "3,5", "TC3": "1,5", "TC4": "1"})
    expect(chair.locator("#live")).to_contain_text("7,75")
    expect(chair.locator("#live")).to_contain_text("Khá")
    shot(chair, "tham-dinh-phieu-cham")
    chair.get_by_role("button", name="Nộp phiếu chấm").click()
    # An irreversible act is shown before it is done (issue 16): the scores and notes that will be sent.
    expect(chair.get_by_role("heading", name="Nộp phiếu chấm: Hóa đơn điện tử", exact=False)).to_be_visible()
    expect(chair.locator("table.confirm-rows")).to_contain_text("7,75 — Khá")
    shot(chair, "xac-nhan-nop-phieu")
    chair.get_by_role("button", name="Xác nhận: Nộp phiếu chấm").click()
    expect(chair.get_by_text("Đã nộp phiếu chấm.")).to_be_visible()
    expect(chair.get_by_text("Còn chờ phiếu của")).to_be_visible()

    member = page_as(base, "duk.thamdinh2", SECOND, **window)
    member.goto(url)
    expect(member.get_by_text("Tổng hợp của hội đồng")).to_have_count(0)  # independence
    fill_sheet(member, {"TC1": "1,5", "TC2": "3", "TC3": "1,5", "TC4": "0,5"})
    member.get_by_role("button", name="Nộp phiếu chấm").click()
    member.get_by_role("button", name="Xác nhận: Nộp phiếu chấm").click()
    expect(member.get_by_text("Tổng hợp của hội đồng")).to_be_visible()

    chair.goto(url)
    # means 1,625 3,25 1,5 0,75 → 1,75 3,25 1,5 0,75 = 7,25; the chair agrees TC2 = 3,5
    expect(chair.locator("table.council tfoot")).to_contain_text("7,25")
    chair.locator("select[name=code]").select_option("TC2")
    chair.get_by_label("Điểm thống nhất").fill("3,5")
    chair.get_by_label("Lý do", exact=True).fill("Hội đồng thống nhất: số liệu ngân hàng xác nhận 81% khách hàng.")
    chair.get_by_role("button", name="Ghi điểm thống nhất").click()
    expect(chair.locator("table.council tfoot")).to_contain_text("7,5")
    chair.get_by_role("button", name="Ký duyệt kết quả thẩm định").click()
    expect(chair.locator("table.confirm-rows")).to_contain_text("7,5 — Khá")
    chair.get_by_role("button", name="Xác nhận: Ký duyệt").click()
    expect(chair.get_by_text("Đã ký duyệt: 7,5 điểm, xếp loại Khá.")).to_be_visible()
    shot(chair, "tham-dinh-ky-duyet")

    unit = page_as(base, "capnuoc.canbo", **window)
    unit.goto(f"{base}/dot/DK-2032/ket-qua-tham-dinh/")
    expect(unit.get_by_text("Chờ cấp thẩm định công bố.")).to_be_visible()

    officer = page_as(base, "duk.canbo", **window)
    officer.goto(f"{base}/dot/DK-2032/ket-qua-tham-dinh/")
    officer.get_by_role("button", name="Công bố kết quả đã ký duyệt của Đảng bộ Khối Doanh nghiệp tỉnh").click()
    expect(officer.locator("ul.confirm-items")).to_contain_text("7,5 điểm, Khá")
    officer.get_by_role("button", name="Xác nhận: Công bố").click()
    expect(officer.get_by_text("Đã công bố 1 kết quả thẩm định")).to_be_visible()

    unit.reload()
    row = unit.locator("tr", has_text="Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng")
    expect(row).to_contain_text("7,5")
    expect(row).to_contain_text("Khá")
    expect(unit.locator("canvas[data-chart]").first).to_have_attribute("data-drawn", "1")  # no eval: CSP forbids it
    shot(unit, "ket-qua-tham-dinh-don-vi")
