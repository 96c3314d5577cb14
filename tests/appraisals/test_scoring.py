"""The HD 09 scoring engine as pure functions, with property tests (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sangtao.appraisals import scoring

D = Decimal
COLLECTIVE = scoring.Rules.from_data(**scoring.HD09_COLLECTIVE)
INDIVIDUAL = scoring.Rules.from_data(**scoring.HD09_INDIVIDUAL)


def quarter_points(maximum: Decimal):
    return st.integers(0, int(maximum * 4)).map(lambda n: D(n) / 4)


def sheet(rules):
    return st.fixed_dictionaries({c.code: quarter_points(c.max) for c in rules.criteria})


def test_hd09_rubrics_as_in_the_guidance():
    assert [(c.code, c.max) for c in COLLECTIVE.criteria] == [("TC1", 2), ("TC2", 4), ("TC3", 2), ("TC4", 1)]
    assert [(b.code, b.points, b.kind) for b in COLLECTIVE.bonuses] == [
        ("TH_A", D("0.5"), "judgement"),
        ("TH_B", D("0.5"), "derived"),
    ]
    assert [(c.code, c.max) for c in INDIVIDUAL.criteria] == [("TC1", 2), ("TC2", 5), ("TC3", 2)]
    assert [(b.code, b.points) for b in INDIVIDUAL.bonuses] == [("TH", 1)]
    assert COLLECTIVE.criteria_max + sum(b.points for b in COLLECTIVE.bonuses) == 10
    assert INDIVIDUAL.criteria_max + sum(b.points for b in INDIVIDUAL.bonuses) == 10
    assert scoring.check_rules(COLLECTIVE) == [] and scoring.check_rules(INDIVIDUAL) == []


@pytest.mark.parametrize(
    ("points", "label"),
    [
        ("0", "Không đạt"),
        ("4.75", "Không đạt"),
        ("5", "Đạt"),
        ("6.75", "Đạt"),
        ("7", "Khá"),
        ("7.75", "Khá"),
        ("8", "Tốt"),
        ("8.75", "Tốt"),
        ("9", "Xuất sắc"),
        ("10", "Xuất sắc"),
    ],
)
def test_bands_at_their_exact_edges(points, label):
    assert scoring.classify(D(points), COLLECTIVE) == label


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("1,75", D("1.75")),
        ("2", D("2")),
        ("0", D("0")),
        ("2.25", None),
        ("1,1", None),
        ("-0,25", None),
        ("abc", None),
        ("NaN", None),
    ],
)
def test_parse_score(raw, ok):
    tc1 = COLLECTIVE.criteria[0]
    if ok is None:
        with pytest.raises(scoring.ScoreError):
            scoring.parse_score(raw, tc1, COLLECTIVE.step)
    else:
        assert scoring.parse_score(raw, tc1, COLLECTIVE.step) == ok


@given(st.lists(sheet(COLLECTIVE), min_size=1, max_size=6), st.booleans())
def test_result_never_exceeds_the_cap(sheets, bonus_a):
    totals = [scoring.model_total(s, COLLECTIVE) for s in sheets]
    r = scoring.subject_result(totals, {"TH_A": bonus_a}, COLLECTIVE)
    assert r.result <= COLLECTIVE.cap
    assert r.result >= max(totals)
    assert r.result == min(D(10), max(totals) + sum(r.bonuses.values()))


@given(st.lists(sheet(INDIVIDUAL), min_size=1, max_size=5))
def test_individual_result_never_exceeds_the_cap(sheets):
    totals = [scoring.model_total(s, INDIVIDUAL) for s in sheets]
    r = scoring.subject_result(totals, {}, INDIVIDUAL)
    assert max(totals) <= r.result <= 10


@given(st.lists(st.integers(0, 36).map(lambda n: D(n) / 4), min_size=1, max_size=6))
def test_bonus_b_is_decided_without_itself(totals):
    """≥ 2 models khá or above, judged on the models' own sums: a model at 6.75 (đạt) is never lifted to khá
    by the 0.5 it would help earn."""
    r = scoring.subject_result(totals, {}, COLLECTIVE)
    own = sum(1 for t in totals if t >= 7)
    assert ("TH_B" in r.bonuses) == (own >= 2)


def test_bonus_b_edge_cases():
    assert "TH_B" not in scoring.subject_result([D("6.75"), D("8")], {}, COLLECTIVE).bonuses
    assert "TH_B" in scoring.subject_result([D("7"), D("7")], {}, COLLECTIVE).bonuses
    assert "TH_B" not in scoring.subject_result([D("9")], {}, COLLECTIVE).bonuses  # a single model
    assert scoring.subject_result([D("9"), D("8.75")], {"TH_A": True}, COLLECTIVE).result == 10  # 9 + 1, capped


@given(
    sheet(COLLECTIVE),
    st.sampled_from([c.code for c in COLLECTIVE.criteria]),
    st.booleans(),
    st.lists(sheet(COLLECTIVE), max_size=3),
)
def test_monotonic(scores, code, bonus_a, others):
    """Raising one criterion never lowers the model's total, its class, or the subject's result."""
    c = next(c for c in COLLECTIVE.criteria if c.code == code)
    higher = dict(scores)
    higher[code] = min(c.max, scores[code] + D("0.25"))
    t0, t1 = scoring.model_total(scores, COLLECTIVE), scoring.model_total(higher, COLLECTIVE)
    assert t1 >= t0
    assert scoring.rank(scoring.classify(t1, COLLECTIVE), COLLECTIVE) <= scoring.rank(
        scoring.classify(t0, COLLECTIVE), COLLECTIVE
    )
    rest = [scoring.model_total(s, COLLECTIVE) for s in others]
    r0 = scoring.subject_result([t0, *rest], {"TH_A": bonus_a}, COLLECTIVE).result
    r1 = scoring.subject_result([t1, *rest], {"TH_A": bonus_a}, COLLECTIVE).result
    assert r1 >= r0


@given(st.lists(sheet(COLLECTIVE), min_size=1, max_size=7))
def test_council_mean_is_on_the_step_and_within_range(sheets):
    out = scoring.council_scores(sheets, COLLECTIVE)
    for c in COLLECTIVE.criteria:
        marks = [s[c.code] for s in sheets]
        assert scoring.on_step(out[c.code], COLLECTIVE.step)
        assert min(marks) - D("0.125") <= out[c.code] <= max(marks) + D("0.125")
        assert 0 <= out[c.code] <= c.max
        assert abs(out[c.code] - sum(marks) / len(marks)) <= D("0.125")


def test_council_rounding_and_consensus():
    a = {"TC1": D("1.5"), "TC2": D("3"), "TC3": D("1.25"), "TC4": D("0.75")}
    b = {"TC1": D("1.75"), "TC2": D("3.5"), "TC3": D("1.5"), "TC4": D("1")}
    out = scoring.council_scores([a, b], COLLECTIVE)
    # means 1.625, 3.25, 1.375, 0.875 → halves round up to 1.75, 3.25, 1.5, 1
    assert out == {"TC1": D("1.75"), "TC2": D("3.25"), "TC3": D("1.5"), "TC4": D("1")}
    out = scoring.council_scores([a, b], COLLECTIVE, consensus={"TC2": D("3")})
    assert out["TC2"] == D("3")


def test_broken_rubrics_are_described():
    bad = scoring.Rules.from_data(
        criteria=[{"code": "TC1", "label": "x", "max": "6.1"}, {"code": "TC1", "label": "y", "max": "5"}],
        bonuses=[{"code": "B", "label": "b", "points": "1", "kind": "derived", "min_count": 2, "min_class": "Giỏi"}],
        bands=[{"label": "Đạt", "min": "5"}],
    )
    problems = " ".join(scoring.check_rules(bad))
    assert "trùng" in problems and "chia hết cho bước" in problems and "vượt mức trần" in problems
    assert "mức xếp loại có trong thang" in problems and "bắt đầu từ 0" in problems


@given(
    st.lists(st.integers(0, 36).map(lambda n: D(n) / 4), min_size=1, max_size=6),
    st.booleans(),
    st.sampled_from([COLLECTIVE, INDIVIDUAL]),
)
def test_fast_classification_equals_the_engine(totals, bonus_a, rules):
    judgements = {"TH_A": bonus_a}
    expected = scoring.subject_result(totals, judgements, rules).classification
    fast = scoring.FastResult(rules)
    assert fast.classification(totals, judgements) == expected
    assert fast.classification_quarters([int(t * 4) for t in totals], judgements) == expected
