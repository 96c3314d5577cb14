"""Demo campaign on top of the demo province: "Đăng ký mô hình mới, cách làm sáng tạo năm 2027".

The province board opened it with a registration deadline of 24/3/2027 (as 1240-CV/BTCTU did for 2023)
and issued its letter; the enterprises bloc cascaded it with 15/3/2027 (as 436-CV/ĐUK did)."""

import datetime as dt
from decimal import Decimal

from sangtao.orgs.demo import demo_layer, demo_users
from sangtao.orgs.demo import load_demo as load_demo_province
from sangtao.orgs.models import Organization

from . import domain
from .models import Campaign

LEGAL_BASES = """Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị về chủ trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung
Công văn số 1335-CV/TU ngày 16/3/2022 của Ban Thường vụ Tỉnh ủy
Nghị quyết của Tỉnh ủy về phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh, xây dựng Đảng, hệ thống chính trị năm 2027"""
GUIDANCE = "Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy về thẩm định mô hình mới, cách làm sáng tạo"


@demo_layer(load_demo_province, present=lambda: Campaign.objects.filter(code="DK-2027").exists())
def load_demo() -> bool:
    users = demo_users()
    admin, officer = users["btctu.quantri"], users["duk.canbo"]
    root = Organization.objects.get(code="LD")
    campaign = domain.open_campaign(
        actor=admin,
        root=root,
        code="DK-2027",
        name="Đăng ký mô hình mới, cách làm sáng tạo năm 2027",
        year=2027,
        legal_bases=LEGAL_BASES,
        guidance=GUIDANCE,
        theme="Năm đẩy mạnh chuyển đổi số, nâng cao hiệu quả hoạt động của hệ thống chính trị",
        registration_deadline=dt.date(2027, 3, 24),
        results_deadline=dt.date(2027, 11, 15),
        target_registered=Decimal(90),
        target_rated=Decimal(25),
        tree_date=dt.date(2026, 11, 1),
    )
    letter = domain.draft_cascade_letter(actor=admin, campaign=campaign, org=root)
    letter.recipients.remove(Organization.objects.get(code="LD-BTC"))  # the board does not write to itself
    letter.salutation = "\n".join(domain.receiving_body(r) for r in letter.recipients.order_by("name"))
    letter.save()
    domain.issue_document(actor=admin, document=letter)
    duk = Organization.objects.get(code="LD-DUK")
    domain.cascade(
        actor=officer,
        campaign=campaign,
        org=duk,
        registration_deadline=dt.date(2027, 3, 15),
        note="Theo Công văn của Ban Thường vụ Đảng ủy Khối",
    )
    return True
