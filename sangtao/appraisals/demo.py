"""Demo appraisal on top of the demo reports: the bloc's appraiser has scored Điện lực's model (its report
sent with figures) and signed it off; the bloc officer can release it, the province can re-appraise."""

from sangtao.orgs.demo import demo_layer, demo_users
from sangtao.registrations.demo import demo_registration
from sangtao.reports.demo import load_demo as load_demo_reports

from . import domain
from .models import Appraisal


@demo_layer(load_demo_reports, present=Appraisal.objects.exists)
def load_demo() -> bool:
    users = demo_users()
    reg = demo_registration("DUK-DL")
    if reg is None or reg.state not in domain.APPRAISABLE:
        return False
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
        decision=domain.BonusDecision(
            campaign=reg.campaign,
            subject_org=reg.subject_org,
            person=None,
            code="TH_A",
            granted=True,
            justification="Đề xuất Tổng công ty bổ sung 40 thiết bị đo xa cho vùng sâu, đã được chấp thuận.",
        ),
    )
    return True
