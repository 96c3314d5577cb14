import datetime as dt
from decimal import Decimal

import pytest

from sangtao.appraisals import domain
from sangtao.registrations import domain as rdomain
from tests.registrations.conftest import campaign, users  # noqa: F401  (fixtures)

ON_TIME = dt.datetime(2023, 3, 1, 3, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2023, 3, 20, 3, 0, tzinfo=dt.UTC)  # after the bloc's 15/03/2023


def accepted(campaign, org, creator, receiver, title, person=None, now=ON_TIME):
    reg = rdomain.save_draft(
        actor=creator,
        campaign=campaign,
        subject_org=org,
        person=person,
        title=title,
        content_areas=["product"],
        fields=["kinh_te"],
        novelty="Điểm mới của " + title,
        method="Cách làm",
        indicators=[{"name": "Chỉ tiêu", "unit": "%", "target": Decimal(90)}],
    )
    reg = rdomain.submit(actor=creator, registration=reg, now=now)
    return rdomain.accept(actor=receiver, registration=reg)


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


@pytest.fixture
def second_appraiser(demo):
    from tests.conftest import make_user

    return make_user("duk.thamdinh2", "appraiser", demo["LD-DUK"], totp_secret="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
