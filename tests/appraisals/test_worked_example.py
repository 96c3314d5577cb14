"""A worked example on the demo province covering every rule of SPEC §6, its figures written out by hand:

Đảng bộ Khối Doanh nghiệp (ĐUK) appraises, for the campaign 2023:
- Collective Cấp thoát nước (DUK-CTN), three models:
    M1  2 + 3,5 + 1,75 + 1    = 8,25  Tốt
    M2  1,5 + 3 + 1,5 + 0,75  = 6,75  Đạt   (the 6,75 edge: not khá)
    M3  1,75 + 3 + 1,5 + 0,75 = 7     Khá   (the 7 edge)
  bonus a (difficulties removed) granted 0,5; bonus b: M1 and M3 are khá or above → 0,5
  result 8,25 + 0,5 + 0,5 = 9,25 → Xuất sắc
- Individual Nguyễn Văn An (evaluated by ĐUK), two models:
    M4  1,5 + 4 + 1,5   = 7  Khá
    M5  1,25 + 3,5 + 1,25 = 6  Đạt
  only one model khá or above → no bonus; result 7 → Khá
- Collective Điện lực (DUK-DL), a single model: 2 + 3,75 + 1,75 + 0,75 = 8,25; bonus a granted → 8,75 → Tốt
  (the 8,75 edge); bonus b impossible with one model
- Collective Agribank (DUK-AGR) registered late (20/03 after the bloc's 15/03): flagged late, appraised all the
  same: 1 + 2,5 + 1 + 0,5 = 5 → Đạt (the 5 edge)
- Excluded: the private tea company's cell (DUK-CDT) cannot register; a member of a village cell (LAT-DN) cannot
  be appraised without a registration either.
"""

from decimal import Decimal

import pytest

from sangtao.appraisals import domain
from sangtao.orgs.models import Person
from sangtao.registrations import domain as rdomain
from tests.appraisals.conftest import LATE, accepted, appraise_alone, appraise_unregistered, grant_bonus
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
D = Decimal


def marks(*values):
    return dict(zip(["TC1", "TC2", "TC3", "TC4"], values, strict=False))


def test_worked_example(campaign, demo, users):
    ctn_officer, bloc, province, appraiser = (
        users["capnuoc.canbo"],
        users["duk.canbo"],
        users["btctu.quantri"],
        users["duk.thamdinh"],
    )
    an = Person.objects.get(code="DV-0020")
    m1 = accepted(campaign, demo["DUK-CTN"], ctn_officer, bloc, "Hóa đơn điện tử")
    m2 = accepted(campaign, demo["DUK-CTN"], ctn_officer, bloc, "Đồng hồ nước thông minh")
    m3 = accepted(campaign, demo["DUK-CTN"], ctn_officer, bloc, "Tổ tự quản đường ống")
    m4 = accepted(campaign, demo["DUK-CTN"], ctn_officer, bloc, "Đối thoại với công nhân", person=an)
    m5 = accepted(campaign, demo["DUK-CTN"], ctn_officer, bloc, "Giao ban trực tuyến", person=an)
    m6 = accepted(campaign, demo["DUK-DL"], bloc, province, "Bản đồ số lưới điện")
    m7 = accepted(campaign, demo["DUK-AGR"], bloc, province, "Tín dụng xanh", now=LATE)
    assert m7.late and not m1.late

    results = {
        m1: appraise_alone(m1, appraiser, marks("2", "3,5", "1,75", "1")),
        m2: appraise_alone(m2, appraiser, marks("1,5", "3", "1,5", "0,75")),
        m3: appraise_alone(m3, appraiser, marks("1,75", "3", "1,5", "0,75")),
        m4: appraise_alone(m4, appraiser, {"TC1": "1,5", "TC2": "4", "TC3": "1,5"}),
        m5: appraise_alone(m5, appraiser, {"TC1": "1,25", "TC2": "3,5", "TC3": "1,25"}),
        m6: appraise_alone(m6, appraiser, marks("2", "3,75", "1,75", "0,75")),
        m7: appraise_alone(m7, appraiser, marks("1", "2,5", "1", "0,5")),
    }
    assert {r.title: (ap.total, ap.classification) for r, ap in results.items()} == {
        "Hóa đơn điện tử": (D("8.25"), "Tốt"),
        "Đồng hồ nước thông minh": (D("6.75"), "Đạt"),
        "Tổ tự quản đường ống": (D("7"), "Khá"),
        "Đối thoại với công nhân": (D("7"), "Khá"),
        "Giao ban trực tuyến": (D("6"), "Đạt"),
        "Bản đồ số lưới điện": (D("8.25"), "Tốt"),
        "Tín dụng xanh": (D("5"), "Đạt"),
    }

    just = "Đã lãnh đạo tháo gỡ vướng mắc về vốn đầu tư đồng hồ thông minh."
    grant_bonus(appraiser, campaign, demo["DUK-CTN"], just)
    grant_bonus(appraiser, campaign, demo["DUK-DL"], "Đề xuất Tổng công ty bổ sung thiết bị đo xa kịp thời.")
    with pytest.raises(domain.AppraisalError, match="tự động"):
        grant_bonus(appraiser, campaign, demo["DUK-CTN"], just, code="TH_B")

    rows = {r.name: r for r in domain.subject_rows(campaign)}
    ctn = rows["Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng"]
    assert ctn.result.best == D("8.25") and sorted(ctn.result.model_classes) == sorted(["Tốt", "Đạt", "Khá"])
    assert ctn.result.bonuses == {"TH_A": D("0.5"), "TH_B": D("0.5")}
    assert (ctn.final, ctn.classification) == (D("9.25"), "Xuất sắc")
    person = rows["Nguyễn Văn An"]
    assert person.result.bonuses == {} and (person.final, person.classification) == (D("7"), "Khá")
    dl = rows["Đảng bộ Công ty Điện lực Lâm Đồng"]
    assert dl.result.bonuses == {"TH_A": D("0.5")} and (dl.final, dl.classification) == (D("8.75"), "Tốt")
    agr = rows["Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Lâm Đồng"]
    assert (agr.final, agr.classification) == (D("5"), "Đạt") and agr.models[0][0].late

    with pytest.raises(Exception, match="không thẩm định"):
        rdomain.save_draft(actor=bloc, campaign=campaign, subject_org=demo["DUK-CDT"], title="Chè sạch", indicators=[])
    village_member = Person.objects.get(code="DV-0111")

    ldg_appraiser = make_user("lat.thamdinh", "appraiser", demo["LDG-LAT"])
    with pytest.raises(domain.AppraisalError, match="không thẩm định"):
        appraise_unregistered(
            campaign, ldg_appraiser, village_member, "commendation", "Cứu người", reference="QĐ 12", score="8"
        )


def test_nobody_appraises_their_own_model(campaign, demo, users):

    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    insider = make_user("duk.thamdinh.ctn", "appraiser", demo["LD-DUK"])
    Person.objects.filter(code="DV-0021").update(
        user=insider
    )  # a deputy director of Cấp nước sits on the bloc's council
    with pytest.raises(domain.AppraisalError, match="của chính mình, của đơn vị mình"):
        domain.open_appraisal(actor=users["duk.thamdinh"], registration=reg, members=[insider], chair=insider)
    province_appraiser = make_user("tinh.thamdinh", "appraiser", demo["LD"])
    with pytest.raises(domain.AppraisalError, match="không phải thành viên thẩm định của Đảng bộ Khối"):
        domain.open_appraisal(
            actor=users["duk.thamdinh"], registration=reg, members=[province_appraiser], chair=province_appraiser
        )


def test_unregistered_individuals_on_the_three_bases(campaign, demo, users):
    appraiser = users["duk.thamdinh"]
    head = Person.objects.get(code="DV-0030")  # director of Điện lực, evaluated by the bloc
    reg = accepted(campaign, demo["DUK-DL"], users["duk.canbo"], users["btctu.quantri"], "Bản đồ số lưới điện")
    with pytest.raises(domain.AppraisalError, match="chưa có kết quả"):
        appraise_unregistered(campaign, appraiser, head, "head", "Giám đốc, Bí thư Đảng ủy")
    appraise_alone(reg, appraiser, marks("2", "3,5", "1,5", "1"))  # 8 → Tốt
    ia = appraise_unregistered(campaign, appraiser, head, "head", "Người đứng đầu tập thể Điện lực")
    assert (ia.result, ia.classification) == (D("8"), "Tốt")
    other = Person.objects.get(code="DV-0040")
    with pytest.raises(domain.AppraisalError, match="văn bản công nhận"):
        appraise_unregistered(campaign, appraiser, other, "initiative", "Sáng kiến", score="8")
    ia = appraise_unregistered(
        campaign,
        appraiser,
        other,
        "initiative",
        "Sáng kiến quy trình thẩm định tín dụng nông hộ",
        reference="Quyết định 45/QĐ-HĐSK ngày 10/10/2023",
        score="9,25",
    )
    assert ia.classification == "Xuất sắc"
    rows = {r.name: r for r in domain.subject_rows(campaign)}
    assert rows["Ngô Thị Giang"].final == D("9.25") and rows["Ngô Thị Giang"].unregistered.basis == "initiative"
    registered = Person.objects.get(code="DV-0020")
    accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Đối thoại", person=registered)
    with pytest.raises(domain.AppraisalError, match="đã đăng ký"):
        appraise_unregistered(campaign, appraiser, registered, "commendation", "x", reference="QĐ 1", score="8")
