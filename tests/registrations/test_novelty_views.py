"""The screens of the novelty check (issue 18): shared phrases highlighted on both sides, declared replication
shown as such, replication declared on the registration form."""

import re
from io import BytesIO

from openpyxl import load_workbook

from sangtao.common.models import AuditEvent
from sangtao.coverage import domain as cov_domain
from sangtao.coverage.exports import coverage_workbook
from sangtao.registrations import novelty
from sangtao.registrations.models import Registration, StockPhrase
from tests.registrations.conftest import draft, sent


def marked(html):
    return [re.sub(r"\s+", " ", m) for m in re.findall(r"<mark>(.*?)</mark>", html, re.DOTALL)]


def test_side_by_side_highlights_shared_phrases_in_both_texts(campaign, demo, users, login):
    officer = users["capnuoc.canbo"]
    earlier = sent(
        campaign,
        demo["DUK-CTN"],
        officer,
        title="Đảng viên đỡ đầu hộ nghèo thoát nghèo bền vững",
        novelty="Mỗi đảng viên nhận đỡ đầu một hộ nghèo, nâng cao chất lượng cuộc sống.",
    )
    mine = sent(
        campaign,
        demo["DUK-CTN"],
        officer,
        title="Chi bộ giao đảng viên đỡ đầu hộ cận nghèo",
        novelty="Đỡ đầu hộ cận nghèo để thoát nghèo bền vững; nâng cao chất lượng sinh hoạt.",
    )
    html = login("capnuoc.canbo").get(f"/dang-ky/{mine.pk}/doi-chieu/{earlier.pk}/").content.decode()
    left, right = html.split("<article>")[1], html.split("<article>")[2]
    assert "đảng viên đỡ đầu hộ" in marked(left)  # in my title
    assert "Đảng viên đỡ đầu hộ" in marked(right)  # and in the other's title
    assert "thoát nghèo bền vững" in " ".join(marked(left)) and "thoát nghèo bền vững" in " ".join(marked(right))
    assert "nâng cao chất lượng" not in " ".join(marked(left))  # a stock phrase is shown faint, not highlighted
    assert "Cụm từ thường gặp" in left
    assert "Đã khai nhân rộng" not in html


def test_declared_replication_shown_as_such_not_as_lack_of_novelty(campaign, demo, users, login):
    officer = users["capnuoc.canbo"]
    earlier = sent(campaign, demo["DUK-CTN"], officer, title="Tổ tự quản an ninh trật tự kết hợp camera giám sát")
    client = login("capnuoc.canbo")
    page = client.get(f"/dot/{campaign.code}/dang-ky/moi/?to_chuc={demo['DUK-CTN'].pk}")
    assert page.status_code == 200 and 'name="replicates"' in page.content.decode()
    mine = draft(
        campaign,
        demo["DUK-CTN"],
        officer,
        title="Tổ tự quản an ninh trật tự gắn camera giám sát ở thôn",
        replicates=earlier,
    )
    assert Registration.objects.get(pk=mine.pk).replicates_id == earlier.pk
    detail = client.get(f"/dang-ky/{mine.pk}/").content.decode()
    assert "đã khai nhân rộng" in detail
    side = client.get(f"/dang-ky/{mine.pk}/doi-chieu/{earlier.pk}/").content.decode()
    assert "Đã khai nhân rộng" in side


def test_form_refuses_an_unknown_or_draft_model_to_replicate(campaign, demo, users, login):
    officer = users["capnuoc.canbo"]
    secret = draft(campaign, demo["DUK-DL"], users["duk.canbo"], title="Dự thảo của đơn vị khác")
    client = login("capnuoc.canbo")
    data = {
        "to_chuc": demo["DUK-CTN"].pk,
        "title": "Mô hình thử",
        "replicates": secret.pk,
        "save": "1",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "3",
        "form-MAX_NUM_FORMS": "20",
    }
    r = client.post(f"/dot/{campaign.code}/dang-ky/moi/", data)
    assert r.status_code == 200 and "Không có mô hình đã đăng ký mang số này" in r.content.decode()
    assert not Registration.objects.filter(title="Mô hình thử").exists()
    del officer


def test_admin_edits_the_stock_phrases_and_scores_follow(campaign, demo, users, login):

    officer = users["capnuoc.canbo"]
    reg = sent(campaign, demo["DUK-CTN"], officer, title="Xây dựng văn hóa doanh nghiệp gắn với giá trị cốt lõi")
    query = "Xây dựng văn hóa doanh nghiệp gắn với đối thoại người lao động"
    before = next(m.score for m in novelty.similar(query, minimum=0) if m.registration.pk == reg.pk)
    assert login("capnuoc.canbo").get("/dang-ky/cum-tu-thuong-gap/").status_code == 403  # an officer may not
    admin = login("btctu.quantri")  # the province board's admin (demo data)
    page = admin.get("/dang-ky/cum-tu-thuong-gap/").content.decode()
    assert "thực hiện tốt nhiệm vụ chính trị" in page
    current = list(StockPhrase.objects.values_list("text", flat=True))
    r = admin.post("/dang-ky/cum-tu-thuong-gap/", {"phrases": "\n".join([*current, "Xây dựng văn hóa doanh nghiệp"])})
    assert r.status_code == 302
    assert StockPhrase.objects.filter(text="xây dựng văn hóa doanh nghiệp").exists()
    assert AuditEvent.objects.filter(action="novelty.stock_phrases").exists()
    after = next(m.score for m in novelty.similar(query, minimum=0) if m.registration.pk == reg.pk)
    assert after < before


def test_replication_counts_per_original_model(campaign, demo, users):

    officer, other = users["capnuoc.canbo"], users["duk.canbo"]
    original = sent(campaign, demo["DUK-CTN"], officer, title="Gốc")
    lone = sent(campaign, demo["DUK-CTN"], officer, title="Gốc khác")
    sent(campaign, demo["DUK-DL"], other, title="Nhân rộng 1", replicates=original)
    sent(campaign, demo["DUK-DL"], other, title="Nhân rộng 2", replicates=original)
    draft(campaign, demo["DUK-DL"], other, title="Dự thảo nhân rộng", replicates=lone)  # a draft does not count
    rows = novelty.replication_counts(campaign, demo["LD"])
    assert [(r["id"], r["replications"]) for r in rows] == [(original.pk, 2)]
    assert novelty.replication_counts(campaign, demo["DUK-CTN"]) == []  # none of CTN's own registrations replicate


def test_submission_flag_ignores_the_declared_original(campaign, demo, users):
    officer = users["capnuoc.canbo"]
    original = sent(campaign, demo["DUK-CTN"], officer, title="Tổ tự quản an ninh trật tự kết hợp camera giám sát")
    declared = sent(
        campaign,
        demo["DUK-CTN"],
        officer,
        title="Tổ tự quản an ninh trật tự kết hợp camera giám sát ở thôn",
        replicates=original,
    )
    undeclared = sent(
        campaign, demo["DUK-CTN"], officer, title="Tổ tự quản an ninh trật tự kết hợp camera giám sát tại ấp"
    )
    assert undeclared.similar_to_id in (original.pk, declared.pk) and undeclared.similar_score >= 0.6
    assert declared.similar_to_id != original.pk


def test_replications_counted_per_original_on_the_coverage_page_and_in_the_workbook(campaign, demo, users, login):
    """1240-CV/BTCTU asks for spread: the coverage page and the year-end workbook count, per original model (any
    unit, any year), the registrations of the scope that declare they replicate it."""

    officer = users["capnuoc.canbo"]
    original = sent(campaign, demo["DUK-CTN"], officer, title="Tổ tự quản an ninh trật tự kết hợp camera giám sát")
    for title in ("Camera giám sát ở khu tập thể công nhân", "Tổ tự quản gắn camera tại trạm bơm"):
        sent(campaign, demo["DUK-CTN"], officer, title=title, replicates=original)
    draft(campaign, demo["DUK-CTN"], officer, title="Bản nháp chưa gửi, không tính", replicates=original)
    page = login("duk.canbo").get(f"/dot/{campaign.code}/tong-hop/{demo['LD-DUK'].pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    row = re.search(r'<table class="compact replications">.*?</table>', body, re.DOTALL).group(0)
    assert original.title in row and "<td>2</td>" in row
    out = BytesIO()
    coverage_workbook(cov_domain.compute(campaign, demo["LD-DUK"]), out)
    sheet = load_workbook(BytesIO(out.getvalue()))["Nhan_rong"]
    values = [v for r in sheet.iter_rows(values_only=True) for v in r if v is not None]
    assert original.title in values and 2 in values
    assert "Tổng cộng: 1 mô hình gốc, 2 đăng ký nhân rộng" in values
