"""Demo appraisal on top of the demo reports: the bloc's appraiser has scored Điện lực's model (its report
sent with figures) and signed it off; the bloc officer can release it, the province can re-appraise."""

from django.contrib.auth import get_user_model
from django.db import transaction

from sangtao.registrations.models import Registration
from sangtao.reports.demo import load_demo as load_demo_reports

from . import domain
from .models import Appraisal


@transaction.atomic
def load_demo() -> bool:
    created = load_demo_reports()
    if Appraisal.objects.exists():
        return created
    users = {u.username: u for u in get_user_model().objects.all()}
    reg = Registration.objects.filter(campaign__code="DK-2027", subject_org__code="DUK-DL", person=None).first()
    if reg is None or reg.state not in domain.APPRAISABLE:
        return created
    appraiser = users["duk.thamdinh"]
    ap = domain.open_appraisal(actor=users["duk.canbo"], registration=reg, members=[appraiser], chair=appraiser)
    notes = {
        "TC1": "Có nghị quyết chuyên đề 15-NQ/ĐU và kế hoạch triển khai cụ thể, phân công rõ người, rõ việc.",
        "TC2": "Đạt 1.085/1.200 trạm; thời gian xử lý sự cố 42 phút (mục tiêu 45); có số liệu hệ thống điều độ.",
        "TC3": "Lần đầu quản lý toàn lưới trung thế trên bản đồ số; 2 điện lực khác đã áp dụng.",
        "TC4": "Đã sơ kết 6 tháng; Tổng công ty chọn nhân rộng năm 2028.",
    }
    marks = {"TC1": "2", "TC2": "3.5", "TC3": "1.75", "TC4": "0.75"}
    domain.save_sheet(actor=appraiser, appraisal=ap, submit=True, raw={c: (marks[c], notes[c]) for c in marks})
    domain.sign_off(actor=appraiser, appraisal=ap)
    domain.set_bonus(
        actor=appraiser,
        campaign=reg.campaign,
        subject_org=reg.subject_org,
        person=None,
        code="TH_A",
        granted=True,
        justification="Đề xuất Tổng công ty bổ sung 40 thiết bị đo xa cho vùng sâu, đã được chấp thuận.",
    )
    return True
