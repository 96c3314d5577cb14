"""Coverage (SPEC §8) on a worked example over the demo province, figures computed by hand.

Campaign 2023: the province (LD) sets 24/03/2023 for its direct subordinates; the Đảng bộ Khối (LD-DUK) sets
15/03/2023 for its own. Under LD-DUK (not the root, so itself a subject):
  collectives: LD-DUK, DUK-CTN, CTN-KT, CTN-XNDL, DUK-DL, DL-DALAT, DL-BAOLOC, DUK-AGR, AGR-KHKD, AGR-DV,
               DUK-LNBL, LNBL-LB, DUK-LDP, DUK-DLV = 14 (DUK-CDT, a private enterprise, is excluded)
  leaders: 14 (DV-0010, 0011, 0020, 0021, 0022, 0024, 0030, 0031, 0032, 0040, 0041, 0050, 0060, 0070)
  + DV-0023, a member (not a leader) of CTN-KT who registers = 29 subjects.
Registered (7): DUK-CTN at 15/03 23:59:59 (on time, the edge); DUK-DL at 16/03 00:00:00 (late); CTN-KT 10/03 and
  DV-0023 10/03 (inherited 15/03: on time); DV-0020 twice, 01/03 and 20/03 (earliest counts: on time);
  LD-DUK itself 20/03 against the province's 24/03 (on time); DUK-AGR 14/03 then returned (still registered,
  on time). DUK-LNBL has only a draft (missing).
  → registered 7/29 = 24,1 %; on time 6, late 1; missing 22; units missing 9.
Rated: DUK-CTN 7,5 Khá; DV-0020 6 Đạt; DUK-DL 4,75 Không đạt → 2 of 7 registered = 28,6 % (2/29 = 6,9 % over all).
"""

import datetime as dt
from decimal import Decimal

import pytest

from sangtao.campaigns.models import Campaign
from sangtao.coverage.domain import compute
from sangtao.orgs.models import Person
from tests.appraisals.conftest import appraise_alone
from tests.support import register

pytestmark = pytest.mark.django_db
HN = dt.timezone(dt.timedelta(hours=7))


def at(day, month, h=9, m=0, s=0):
    return dt.datetime(2023, month, day, h, m, s, tzinfo=HN)


def reg(campaign, org, actor, title, when, person=None, receiver=None, returned_by=None):
    """A registration sent at `when` (None: left a draft), then accepted by `receiver` or returned by `returned_by`."""
    submitted = False if when is None else when
    return register(
        campaign, org, actor, title, person=person, submitted=submitted, accepted_by=receiver, returned_by=returned_by
    )


@pytest.fixture
def example(campaign, demo, users):
    ctn, bloc, prov = users["capnuoc.canbo"], users["duk.canbo"], users["btctu.quantri"]
    dv20, dv23 = Person.objects.get(code="DV-0020"), Person.objects.get(code="DV-0023")
    m_ctn = reg(campaign, demo["DUK-CTN"], ctn, "Hóa đơn điện tử", at(15, 3, 23, 59, 59), receiver=bloc)
    m_dl = reg(campaign, demo["DUK-DL"], bloc, "Bản đồ số", at(16, 3, 0, 0, 0), receiver=prov)
    reg(campaign, demo["CTN-KT"], ctn, "Sổ tay kỹ thuật số", at(10, 3))
    reg(campaign, demo["CTN-KT"], ctn, "Nhật ký vận hành", at(10, 3), person=dv23)
    m_an = reg(campaign, demo["DUK-CTN"], ctn, "Đối thoại công nhân", at(1, 3), person=dv20, receiver=bloc)
    reg(campaign, demo["DUK-CTN"], ctn, "Giao ban trực tuyến", at(20, 3), person=dv20)
    reg(campaign, demo["LD-DUK"], bloc, "Khối số hóa", at(20, 3))
    reg(campaign, demo["DUK-AGR"], bloc, "Tín dụng xanh", at(14, 3), returned_by=prov)
    reg(campaign, demo["DUK-LNBL"], bloc, "Rừng bền vững", None)
    appraiser = users["duk.thamdinh"]
    appraise_alone(m_ctn, appraiser, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})  # 7,5 Khá
    appraise_alone(m_an, appraiser, {"TC1": "1,5", "TC2": "3", "TC3": "1,5"})  # 6 Đạt
    appraise_alone(m_dl, appraiser, {"TC1": "1", "TC2": "2,25", "TC3": "1", "TC4": "0,5"})  # 4,75 Không đạt
    return campaign


def test_worked_example(example, demo):
    cov = compute(example, demo["LD-DUK"])
    t = cov.total
    assert (t.collectives, t.individuals, t.subjects) == (14, 15, 29)
    assert (t.registered, t.on_time, t.late, t.missing, t.missing_units) == (7, 6, 1, 22, 9)
    assert cov.registered_pct(t) == Decimal("24.1")
    assert t.rated == 2 and cov.rated_pct(t) == Decimal("28.6")
    assert dict(t.classes) == {"Khá": 1, "Đạt": 1, "Không đạt": 1}
    assert t.registrations == 8 and t.fields["kinh_te"] == 8
    rows = {r.code: r for r in cov.rows}
    assert rows["DUK-CDT"].excluded and rows["DUK-CDT"].figures.subjects == 0
    ctn = rows["DUK-CTN"].figures
    assert (ctn.subjects, ctn.registered, ctn.on_time, ctn.late, ctn.rated) == (8, 4, 4, 0, 2)
    dl = rows["DUK-DL"].figures
    assert (dl.subjects, dl.registered, dl.late, dl.rated, dict(dl.classes)) == (6, 1, 1, 0, {"Không đạt": 1})
    assert sum(r.figures.subjects for r in cov.rows) == 29 - 3  # LD-DUK itself and its two leaders
    assert sorted(m["code"] for m in cov.missing) == sorted(
        ["CTN-XNDL", "DL-DALAT", "DL-BAOLOC", "AGR-KHKD", "AGR-DV", "DUK-LNBL", "LNBL-LB", "DUK-LDP", "DUK-DLV"]
    )
    assert {m["code"]: m["deadline"] for m in cov.missing}["DUK-LDP"] == dt.date(2023, 3, 15)


def test_rated_over_all_subjects(example, demo):
    Campaign.objects.filter(pk=example.pk).update(rated_base=Campaign.RatedBase.ALL)
    example.refresh_from_db()
    cov = compute(example, demo["LD-DUK"])
    assert cov.rated_pct(cov.total) == Decimal("6.9")


def test_root_is_not_a_subject_and_the_province_adds_up(example, demo):
    province = compute(example, demo["LD"])
    bloc = compute(example, demo["LD-DUK"])
    rows = {r.code: r.figures for r in province.rows}
    assert rows["LD-DUK"].subjects == bloc.total.subjects == 29
    assert province.total.subjects == sum(f.subjects for f in rows.values())  # LD itself counts nowhere
    assert province.total.registered == 7


def test_a_cell_below_sees_only_its_subtree(example, demo):
    cov = compute(example, demo["CTN-KT"])
    # CTN-KT itself; its leader DV-0022; DV-0023 who registered.
    assert (cov.total.subjects, cov.total.registered, cov.rows) == (3, 2, [])
