"""Demo registrations on top of the demo campaign (so lists and the novelty check show data)."""

from decimal import Decimal

from sangtao.campaigns.demo import load_demo as load_demo_campaign
from sangtao.campaigns.models import Campaign
from sangtao.orgs.demo import demo_layer, demo_users
from sangtao.orgs.models import Organization, Person

from . import domain as rdomain
from .models import Registration


@demo_layer(load_demo_campaign, present=lambda: Registration.objects.filter(campaign__code="DK-2027").exists())
def load_demo() -> bool:
    _demo_registrations(Campaign.objects.get(code="DK-2027"))
    return True


def demo_registration(org_code: str) -> Registration | None:
    """The demo campaign's registration of an organization (not of one of its people)."""
    return Registration.objects.filter(campaign__code="DK-2027", subject_org__code=org_code, person=None).first()


def _demo_registrations(campaign):
    """A few registrations: submitted, accepted, a leader's draft — so lists and the novelty check show data."""

    users = demo_users()
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["DUK-CTN", "DUK-DL", "LDG-LAT"])}
    rows = [
        (
            "capnuoc.canbo",
            "DUK-CTN",
            None,
            "Số hóa hóa đơn và thanh toán tiền nước không dùng tiền mặt",
            ["leadership", "product"],
            ["cai_cach_chuyen_doi_so"],
            "Lần đầu toàn bộ khách hàng nhận hóa đơn điện tử và thanh toán qua ứng dụng ngân hàng.",
            "Phòng Kỹ thuật xây dựng cổng thanh toán; tập huấn thu ngân; tuyên truyền qua Zalo khu phố.",
            [("Tỷ lệ khách hàng thanh toán không dùng tiền mặt", "%", 35, 80)],
            "accept",
        ),
        (
            "duk.canbo",
            "DUK-DL",
            None,
            "Bản đồ số quản lý lưới điện trung thế",
            ["duties", "product"],
            ["cai_cach_chuyen_doi_so", "kinh_te"],
            "Số hóa toàn bộ lưới trung thế trên bản đồ GIS, cập nhật sự cố theo thời gian thực.",
            "Các điện lực khu vực khảo sát, nhập liệu; trung tâm điều độ vận hành.",
            [("Thời gian xử lý sự cố trung bình", "phút", 90, 45), ("Số trạm biến áp được số hóa", "trạm", 0, 1200)],
            "accept",
        ),
        (
            "lacduong.canbo",
            "LDG-LAT",
            None,
            "Chợ phiên nông sản an toàn cuối tuần tại trung tâm xã",
            ["leadership"],
            ["kinh_te", "van_hoa_xa_hoi"],
            "Kết nối trực tiếp hộ sản xuất với du khách.",
            "Đảng ủy xã chỉ đạo, Hội Nông dân tổ chức.",
            [("Số hộ tham gia", "hộ", 0, 60)],
            "submit",
        ),
        (
            "nguyenvanan",
            "DUK-CTN",
            "DV-0020",
            "Giám đốc đối thoại trực tiếp với công nhân hằng tháng",
            ["leadership"],
            ["phuong_phap"],
            "Giám đốc trả lời tại chỗ và công khai kết quả trên bảng tin điện tử.",
            "Mỗi tháng một buổi tại xí nghiệp.",
            [("Tỷ lệ kiến nghị được giải quyết", "%", 60, 95)],
            "draft",
        ),
    ]
    for username, org_code, person_code, title, areas, fields, novelty, method, indicators, step in rows:
        person = Person.objects.get(code=person_code) if person_code else None
        reg = rdomain.save_draft(
            actor=users[username],
            campaign=campaign,
            subject_org=orgs[org_code],
            person=person,
            title=title,
            content_areas=areas,
            fields=fields,
            novelty=novelty,
            method=method,
            indicators=[
                {"name": n, "unit": u, "baseline": Decimal(b), "target": Decimal(t)} for n, u, b, t in indicators
            ],
        )
        if step in ("submit", "accept"):
            reg = rdomain.submit(actor=users[username], registration=reg)
        if step == "accept":
            receiver = "btctu.quantri" if username == "duk.canbo" else "duk.canbo"
            rdomain.accept(actor=users[receiver], registration=reg)
