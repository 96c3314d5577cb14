import datetime as dt

import pytest

from sangtao.appraisals import domain
from tests.conftest import make_user
from tests.registrations.conftest import campaign, users  # noqa: F401  (fixtures)
from tests.support import register

ON_TIME = dt.datetime(2023, 3, 1, 3, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2023, 3, 20, 3, 0, tzinfo=dt.UTC)  # after the bloc's 15/03/2023


def accepted(campaign, org, creator, receiver, title, person=None, now=ON_TIME):
    return register(
        campaign,
        org,
        creator,
        title,
        person=person,
        submitted=now,
        accepted_by=receiver,
        novelty="Điểm mới của " + title,
    )


def score(appraisal, appraiser, marks: dict[str, str], submit=True):
    raw = {
        code: (value, f"Căn cứ chấm {code}: đối chiếu báo cáo và minh chứng của đơn vị.")
        for code, value in marks.items()
    }
    return domain.save_sheet(actor=appraiser, appraisal=appraisal, raw=raw, submit=submit)


def appraise_alone(reg, appraiser, marks):
    ap = domain.open_appraisal(actor=appraiser, registration=reg, members=[appraiser], chair=appraiser)
    score(ap, appraiser, marks)
    return domain.sign_off(actor=appraiser, appraisal=ap)


def appraise_unregistered(campaign, appraiser, person, basis, description, **extra):
    """`person` appraised without a registration (HD 09 I.2.2) on `basis`; `extra`: reference, score, upload, reason."""
    values = {"basis": basis, "description": description, "reference": "", **extra}
    return domain.appraise_unregistered(actor=appraiser, campaign=campaign, person=person, **values)


def commended(campaign, appraiser, person, **extra):
    """`person` appraised 8,75 on a provincial commendation, with no registration; `extra`: its upload, …"""
    return appraise_unregistered(
        campaign,
        appraiser,
        person,
        "commendation",
        "Thành tích đột xuất trong phòng chống thiên tai",
        reference="Quyết định 12/QĐ-UBND ngày 01/09/2023",
        score="8,75",
        **extra,
    )


def grant_bonus(appraiser, campaign, org, justification, code="TH_A"):
    """A bonus item (điểm cộng) granted to the collective `org`."""
    return domain.set_bonus(
        actor=appraiser,
        decision=domain.BonusDecision(
            campaign=campaign,
            subject_org=org,
            person=None,
            code=code,
            granted=True,
            justification=justification,
        ),
    )


def bands(*minimums):
    """A rubric's classification bands, Xuất sắc down to Không đạt, from their minimum totals (text, as stored)."""
    labels = ("Xuất sắc", "Tốt", "Khá", "Đạt", "Không đạt")
    return [{"label": label, "min": minimum} for label, minimum in zip(labels, minimums, strict=True)]


@pytest.fixture
def second_appraiser(demo):

    return make_user("duk.thamdinh2", "appraiser", demo["LD-DUK"], totp_secret="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
