"""Councils score independently; the chair's consensus; sign-off locks; publication; phúc tra keeps the old."""

from decimal import Decimal

import pytest

from sangtao.appraisals import domain
from sangtao.appraisals.models import Appraisal, Rubric
from sangtao.common.models import AuditEvent
from sangtao.registrations.workflow import State
from tests.appraisals.conftest import accepted, appraise_alone, bands, score
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def reg(campaign, demo, users):
    return accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")


def test_council_mean_rounded_to_quarter_and_consensus(reg, users, second_appraiser):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(
        actor=users["duk.canbo"], registration=reg, members=[chair, second_appraiser], chair=chair
    )
    score(ap, chair, {"TC1": "1,5", "TC2": "3", "TC3": "1,25", "TC4": "0,75"})
    with pytest.raises(domain.AppraisalError, match="Còn chờ phiếu chấm của"):
        domain.sign_off(actor=chair, appraisal=ap)
    score(ap, second_appraiser, {"TC1": "1,75", "TC2": "3,5", "TC3": "1,5", "TC4": "1"})
    p = domain.preview(ap)
    assert [r["final"] for r in p.rows] == [D("1.75"), D("3.25"), D("1.5"), D("1")]  # means 1,625 3,25 1,375 0,875
    assert p.total == D("7.5") and p.classification == "Khá"
    with pytest.raises(domain.AppraisalError, match="lý do"):
        domain.record_consensus(actor=chair, appraisal=ap, code="TC2", score="3", reason="ok")
    agreed = "Hội đồng thống nhất: số liệu năm đầu chưa đủ 12 tháng."
    with pytest.raises(domain.AppraisalError, match="Chỉ người chủ trì"):
        domain.record_consensus(actor=second_appraiser, appraisal=ap, code="TC2", score="3", reason=agreed)
    domain.record_consensus(actor=chair, appraisal=ap, code="TC2", score="3", reason=agreed)
    with pytest.raises(domain.AppraisalError, match="Chỉ người chủ trì ký duyệt"):
        domain.sign_off(actor=second_appraiser, appraisal=ap)
    ap = domain.sign_off(actor=chair, appraisal=ap)
    assert ap.scores == {"TC1": "1.75", "TC2": "3", "TC3": "1.5", "TC4": "1"}
    assert (ap.total, ap.classification, ap.state) == (D("7.25"), "Khá", "signed")
    reg.refresh_from_db()
    # Signed but not published: the unit must not learn the council has decided (rules P11), even from the state.
    assert reg.state == State.ACCEPTED
    with pytest.raises(domain.AppraisalError, match="đã ký duyệt"):
        score(ap, chair, {"TC1": "2", "TC2": "4", "TC3": "2", "TC4": "1"})
    assert AuditEvent.objects.filter(action="appraisal.sign").count() == 1


def test_sheet_needs_every_score_and_a_real_justification(reg, users):
    chair = users["duk.thamdinh"]
    ap = domain.open_appraisal(actor=chair, registration=reg, members=[chair], chair=chair)
    with pytest.raises(domain.AppraisalError) as exc:
        domain.save_sheet(
            actor=chair,
            appraisal=ap,
            submit=True,
            raw={"TC1": ("1,1", "Tốt"), "TC2": ("5", "Có số liệu đầy đủ, đối chiếu minh chứng."), "TC3": ("", "")},
        )
    text = " ".join(exc.value.messages)
    assert "TC1: điểm chấm theo bước 0,25" in text and "TC2: điểm phải từ 0 đến 4" in text
    assert "Chưa chấm TC3" in text and "Chưa chấm TC4" in text and "TC1: ghi nhận xét" in text
    # A draft sheet keeps partial work; once sent it is locked.
    domain.save_sheet(actor=chair, appraisal=ap, submit=False, raw={"TC1": ("1,5", "")})
    score(ap, chair, {"TC1": "2", "TC2": "4", "TC3": "2", "TC4": "1"})
    with pytest.raises(domain.AppraisalError, match="đã nộp không sửa được"):
        score(ap, chair, {"TC1": "1", "TC2": "4", "TC3": "2", "TC4": "1"})


def test_publication_and_reappraisal_keep_the_old_version(reg, campaign, users, demo, login):
    appraiser = users["duk.thamdinh"]
    ap = appraise_alone(reg, appraiser, {"TC1": "2", "TC2": "4", "TC3": "2", "TC4": "1"})  # 9 → Xuất sắc
    reg.refresh_from_db()
    assert reg.state != State.APPRAISED
    # What the unit's officer sees of its model before publication: not "Đã thẩm định" (rules P11).
    unit = login("capnuoc.canbo")
    answer = unit.get(f"/dang-ky/{reg.pk}/")
    assert answer.status_code == 200 and reg.title in answer.content.decode()
    assert str(State.APPRAISED.label) not in answer.content.decode()
    assert domain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"]) == 1
    ap.refresh_from_db()
    assert ap.state == "published"
    reg.refresh_from_db()
    assert reg.state == State.APPRAISED
    province = make_user("tinh.thamdinh", "appraiser", demo["LD"])
    with pytest.raises(domain.AppraisalError, match="cấp trên"):
        domain.reappraise(
            actor=appraiser, appraisal=ap, org=demo["LD-DUK"], reason="x", members=[appraiser], chair=appraiser
        )
    with pytest.raises(domain.AppraisalError, match="lý do"):
        domain.reappraise(actor=province, appraisal=ap, org=demo["LD"], reason=" ", members=[province], chair=province)
    new = domain.reappraise(
        actor=province,
        appraisal=ap,
        org=demo["LD"],
        members=[province],
        chair=province,
        reason="Đơn thư phản ánh số liệu TC2 chưa đúng",
    )
    assert new.number == 2 and new.supersedes_id == ap.pk and new.is_current
    rows = domain.subject_rows(campaign)
    assert rows[0].final == D("9")  # the old result stands until the phúc tra is signed
    score(new, province, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
    domain.sign_off(actor=province, appraisal=new)
    rows = domain.subject_rows(campaign)
    assert (rows[0].final, rows[0].classification) == (D("7.5"), "Khá")
    assert not rows[0].published  # the province releases its phúc tra itself
    domain.publish(actor=users["btctu.quantri"], campaign=campaign, org=demo["LD"])
    assert domain.subject_rows(campaign)[0].published
    assert list(Appraisal.objects.filter(registration=reg).values_list("number", "total")) == [
        (1, D("9")),
        (2, D("7.5")),
    ]
    with pytest.raises(domain.AppraisalError, match="đã được phúc tra"):
        domain.reappraise(actor=province, appraisal=ap, org=demo["LD"], members=[province], chair=province, reason="y")


def test_rubric_versions_and_freezing(campaign, reg, users):

    base = domain.rubric_for(campaign, "collective")
    assert base.code == "HD09-TT" and base.version == 1

    def new_version(**changes):
        return domain.new_rubric_version(
            actor=users["btctu.quantri"],
            base=base,
            code="",
            subject_kind="collective",
            criteria=base.criteria,
            bonuses=base.bonuses,
            cap="10",
            step="0.25",
            **changes,
        )

    hd12 = bands("9.5", "8", "6.5", "5", "0")
    v2 = new_version(name="HD 09 (thang 2024)", source="HD 12-HD/BTCTU", bands=hd12)
    assert (v2.code, v2.version) == ("HD09-TT", 2)
    with pytest.raises(domain.AppraisalError, match="bắt đầu từ 0"):
        new_version(name="x", source="y", bands=hd12[:-1])
    appraise_alone(reg, users["duk.thamdinh"], {"TC1": "2", "TC2": "4", "TC3": "2", "TC4": "1"})
    assert domain.rubric_frozen(base)
    with pytest.raises(domain.AppraisalError, match="không đổi bộ tiêu chí được nữa"):
        domain.assign_rubric(actor=users["btctu.quantri"], campaign=campaign, kind="collective", rubric=v2)
    assert Rubric.objects.get(pk=base.pk).bands == base.bands  # untouched
