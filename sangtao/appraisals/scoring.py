"""The scoring engine of HD 09-HD/BTCTU as pure functions over plain data (no database): criterion scores,
a model's total, classification bands, a council's result, and a subject's result for the year with its
bonus items (SPEC §6). Every figure is a Decimal; nothing is rounded except where a rule says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

ZERO = Decimal(0)


class ScoreError(ValueError):
    pass


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    max: Decimal


@dataclass(frozen=True)
class Bonus:
    code: str
    label: str
    points: Decimal
    kind: (
        str  # "judgement": yes/no by the appraiser; "derived": at least `min_count` models classed `min_class` or above
    )
    min_count: int = 0
    min_class: str = ""


@dataclass(frozen=True)
class Band:
    label: str
    min: Decimal  # the band holds points >= min (and below the next band up)


@dataclass(frozen=True)
class Rules:
    criteria: tuple[Criterion, ...]
    bonuses: tuple[Bonus, ...]
    bands: tuple[Band, ...]  # highest first
    cap: Decimal = Decimal(10)
    step: Decimal = Decimal("0.25")

    @classmethod
    def from_data(cls, criteria: list[dict], bonuses: list[dict], bands: list[dict], cap="10", step="0.25") -> Rules:
        return cls(
            criteria=tuple(Criterion(c["code"], c["label"], Decimal(str(c["max"]))) for c in criteria),
            bonuses=tuple(
                Bonus(
                    b["code"],
                    b["label"],
                    Decimal(str(b["points"])),
                    b["kind"],
                    int(b.get("min_count") or 0),
                    b.get("min_class", ""),
                )
                for b in bonuses
            ),
            bands=tuple(
                sorted(
                    (Band(b["label"], Decimal(str(b["min"]))) for b in bands),
                    key=lambda b: -b.min if b.min.is_finite() else 0,
                )
            ),
            cap=Decimal(str(cap)),
            step=Decimal(str(step)),
        )

    @property
    def criteria_max(self) -> Decimal:
        return sum((c.max for c in self.criteria), ZERO)


# Bounds of a rubric's numbers [rules P10]: points on a scale of at most 100 (HD 09 uses 10), a step of at most 10,
# two decimals at most — what the database columns hold (cap 5 digits, step 4) and what a page can show.
MAX_POINTS = Decimal(100)
MAX_STEP = Decimal(10)
PLACES = 2


def number_problem(value, what: str, high: Decimal, *, zero_ok: bool = False) -> str | None:
    """Why `value` is not a usable rubric number (None when it is): finite, from 0 (or above 0) to `high`,
    at most two decimals. `what` names it in the message, e.g. “Điểm tối đa của TC1”."""
    ok = (
        isinstance(value, Decimal)
        and value.is_finite()
        and (value >= 0 if zero_ok else value > 0)
        and value <= high
        and value.normalize().as_tuple().exponent >= -PLACES
    )
    if ok:
        return None
    low = _("từ 0") if zero_ok else _("lớn hơn 0")
    return _("%(w)s phải là số %(low)s đến %(high)s, tối đa %(p)d chữ số thập phân.") % {
        "w": what,
        "low": low,
        "high": fmt(high),
        "p": PLACES,
    }


def number_problems(rules: Rules) -> list[str]:
    """Every rubric number out of bounds, by name."""
    found = [
        number_problem(rules.cap, _("Điểm trần"), MAX_POINTS),
        number_problem(rules.step, _("Bước điểm"), MAX_STEP),
    ]
    found += [number_problem(c.max, _("Điểm tối đa của %(c)s") % {"c": c.code}, MAX_POINTS) for c in rules.criteria]
    found += [number_problem(b.points, _("Điểm thưởng %(c)s") % {"c": b.code}, MAX_POINTS) for b in rules.bonuses]
    found += [
        number_problem(b.min, _("Ngưỡng của mức “%(b)s”") % {"b": b.label}, MAX_POINTS, zero_ok=True)
        for b in rules.bands
    ]
    return [p for p in found if p]


def check_rules(rules: Rules) -> list[str]:
    """What makes a rubric unusable, in words (empty when it is sound)."""
    problems = number_problems(rules)
    if problems:  # the checks below compute with these numbers
        return problems
    codes = [c.code for c in rules.criteria] + [b.code for b in rules.bonuses]
    if len(set(codes)) != len(codes):
        problems.append(_("Mã tiêu chí, điểm thưởng bị trùng."))
    if not rules.criteria:
        problems.append(_("Cần ít nhất một tiêu chí."))
    if rules.step <= 0:
        problems.append(_("Bước điểm phải lớn hơn 0."))
    for c in rules.criteria:
        if c.max <= 0 or not on_step(c.max, rules.step):
            problems.append(
                _("Điểm tối đa của %(c)s phải dương và chia hết cho bước %(s)s.") % {"c": c.code, "s": fmt(rules.step)}
            )
    for b in rules.bonuses:
        if b.points <= 0:
            problems.append(_("Điểm thưởng %(c)s phải dương.") % {"c": b.code})
        if b.kind == "derived" and (b.min_count < 1 or b.min_class not in {band.label for band in rules.bands}):
            problems.append(
                _("Điểm thưởng %(c)s: cần số mô hình tối thiểu và một mức xếp loại có trong thang.") % {"c": b.code}
            )
        if b.kind not in ("judgement", "derived"):
            problems.append(_("Điểm thưởng %(c)s: loại không hợp lệ.") % {"c": b.code})
    if rules.criteria_max > rules.cap:
        problems.append(_("Tổng điểm tối đa các tiêu chí vượt mức trần."))
    if any(b.min > rules.cap for b in rules.bands):
        problems.append(_("Ngưỡng xếp loại không được vượt điểm trần."))
    mins = [b.min for b in rules.bands]
    if not rules.bands or min(mins) != 0:
        problems.append(_("Thang xếp loại phải có một mức bắt đầu từ 0."))
    if len(set(mins)) != len(mins) or len({b.label for b in rules.bands}) != len(rules.bands):
        problems.append(_("Các mức xếp loại không được trùng ngưỡng hoặc tên."))
    return problems


def on_step(value: Decimal, step: Decimal) -> bool:
    return (value / step) == (value / step).to_integral_value()


def parse_score(raw, criterion: Criterion, step: Decimal) -> Decimal:
    """A criterion score as typed (“1,75” or “1.75”): between 0 and its max, in steps of `step`."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ScoreError(_("%(c)s: “%(v)s” không phải là số.") % {"c": criterion.code, "v": raw}) from None
    if not value.is_finite() or value < 0 or value > criterion.max:
        raise ScoreError(_("%(c)s: điểm phải từ 0 đến %(m)s.") % {"c": criterion.code, "m": fmt(criterion.max)})
    if not on_step(value, step):
        raise ScoreError(
            _("%(c)s: điểm chấm theo bước %(s)s (ví dụ 1; 1,25; 1,5; 1,75).") % {"c": criterion.code, "s": fmt(step)}
        )
    return value


def model_total(scores: dict[str, Decimal], rules: Rules) -> Decimal:
    """A model's score: the sum of its criteria (never more than the criteria's maxima)."""
    total = ZERO
    for c in rules.criteria:
        value = scores.get(c.code)
        if value is None:
            raise ScoreError(_("Chưa chấm %(c)s.") % {"c": c.code})
        if value < 0 or value > c.max:
            raise ScoreError(_("%(c)s: điểm phải từ 0 đến %(m)s.") % {"c": c.code, "m": fmt(c.max)})
        total += value
    return total


def classify(points: Decimal, rules: Rules) -> str:
    for band in rules.bands:  # highest first
        if points >= band.min:
            return band.label
    return rules.bands[-1].label


def rank(label: str, rules: Rules) -> int:
    """0 for the highest band; larger is lower."""
    return [b.label for b in rules.bands].index(label)


def at_least(label: str, floor: str, rules: Rules) -> bool:
    return rank(label, rules) <= rank(floor, rules)


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """To the nearest step, halves up: 1.125 -> 1.25, 1.1 -> 1.0 (with step 0.25)."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def council_scores(
    sheets: list[dict[str, Decimal]], rules: Rules, consensus: dict[str, Decimal] | None = None
) -> dict[str, Decimal]:
    """The council's score per criterion: the members' mean rounded to the step, unless the chair recorded a
    consensus score for it."""
    if not sheets:
        raise ScoreError(_("Chưa có phiếu chấm nào."))
    consensus = consensus or {}
    out = {}
    for c in rules.criteria:
        if c.code in consensus:
            out[c.code] = consensus[c.code]
            continue
        mean = sum((s[c.code] for s in sheets), ZERO) / len(sheets)
        out[c.code] = min(c.max, round_to_step(mean, rules.step))
    return out


@dataclass
class SubjectResult:
    best: Decimal | None
    model_classes: list[str]
    bonuses: dict[str, Decimal] = field(default_factory=dict)  # code -> points granted
    result: Decimal | None = None
    classification: str = ""


def subject_result(model_totals: list[Decimal], judgements: dict[str, bool], rules: Rules) -> SubjectResult:
    """The subject's result for the year: its best model's score plus its bonus items, capped. A derived
    bonus ("at least 2 models khá or above") is decided from the models' own classifications — the band of
    each model's criteria sum, without any bonus — so it can never feed itself."""
    classes = [classify(t, rules) for t in model_totals]
    if not model_totals:
        return SubjectResult(best=None, model_classes=[])
    best = max(model_totals)
    granted: dict[str, Decimal] = {}
    for b in rules.bonuses:
        if (b.kind == "judgement" and judgements.get(b.code)) or (
            b.kind == "derived" and sum(1 for cl in classes if at_least(cl, b.min_class, rules)) >= b.min_count
        ):
            granted[b.code] = b.points
    result = min(rules.cap, best + sum(granted.values(), ZERO))
    return SubjectResult(
        best=best, model_classes=classes, bonuses=granted, result=result, classification=classify(result, rules)
    )


class FastResult:
    """`subject_result(...).classification` for many subjects at once (coverage of a whole province): the same
    rules with the thresholds worked out once. A property test keeps the two equal."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.mins = [b.min for b in rules.bands]  # highest first
        self.labels = [b.label for b in rules.bands]
        self.derived = [
            (b.points, b.min_count, next(x.min for x in rules.bands if x.label == b.min_class))
            for b in rules.bonuses
            if b.kind == "derived"
        ]
        self.judged = [(b.code, b.points) for b in rules.bonuses if b.kind == "judgement"]

    def classification_quarters(self, quarters: list[int], judgements: dict | None) -> str:
        """The same, with model totals given in quarter points (integers: 7,25 -> 29), for speed."""
        if not hasattr(self, "_q"):
            q = lambda d: int(d * 4)  # noqa: E731
            self._q = (
                [q(m) for m in self.mins],
                [(q(p), n, q(f)) for p, n, f in self.derived],
                [(c, q(p)) for c, p in self.judged],
                q(self.rules.cap),
            )
        mins, derived, judged, cap = self._q
        best = max(quarters)
        bonus = 0
        for points, count, floor in derived:
            if sum(1 for t in quarters if t >= floor) >= count:
                bonus += points
        if judgements:
            for code, points in judged:
                if judgements.get(code):
                    bonus += points
        result = min(cap, best + bonus)
        for label, minimum in zip(self.labels, mins, strict=True):
            if result >= minimum:
                return label
        return self.labels[-1]

    def classification(self, totals: list[Decimal], judgements: dict | None) -> str:
        best = max(totals)
        bonus = ZERO
        for points, count, floor in self.derived:
            if sum(1 for t in totals if t >= floor) >= count:
                bonus += points
        if judgements:
            for code, points in self.judged:
                if judgements.get(code):
                    bonus += points
        result = min(self.rules.cap, best + bonus)
        for label, minimum in zip(self.labels, self.mins, strict=True):
            if result >= minimum:
                return label
        return self.labels[-1]


def fmt(value: Decimal) -> str:
    """2.50 -> 2,5 (Vietnamese decimal comma) for messages."""
    text = f"{value.normalize():f}" if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",")


# HD 09-HD/BTCTU, I.2 (SPEC §6). The bands are the default of SPEC §6 (the text of HD 09 that would fix
# them is missing); a province edits them in a new rubric version.
DEFAULT_BANDS = [
    {"label": "Xuất sắc", "min": "9"},
    {"label": "Tốt", "min": "8"},
    {"label": "Khá", "min": "7"},
    {"label": "Đạt", "min": "5"},
    {"label": "Không đạt", "min": "0"},
]


def _many_models_bonus(code: str, points: str) -> dict:
    """HD 09's bonus a collective and an individual both earn, each with its own points: several models
    registered, at least two of them rated Khá or better (derived from the classifications, not judged)."""
    return {
        "code": code,
        "points": points,
        "kind": "derived",
        "min_count": 2,
        "min_class": "Khá",
        "label": "Đăng ký nhiều mô hình, có ít nhất 2 mô hình xếp loại khá trở lên",
    }


HD09_COLLECTIVE = {
    "criteria": [
        {
            "code": "TC1",
            "max": "2",
            "label": "Việc ban hành văn bản lãnh đạo, chỉ đạo; triển khai, hướng dẫn, phát động, "
            "đăng ký mô hình (cách làm)",
        },
        {"code": "TC2", "max": "4", "label": "Kết quả thực hiện trên các lĩnh vực, có số liệu chứng minh"},
        {"code": "TC3", "max": "2", "label": "Tính mới; tác động, sức lan tỏa, phạm vi ảnh hưởng, hiệu quả áp dụng"},
        {"code": "TC4", "max": "1", "label": "Chỉ đạo sơ kết, tổng kết rút kinh nghiệm, phát huy, nhân rộng"},
    ],
    "bonuses": [
        {
            "code": "TH_A",
            "points": "0.5",
            "kind": "judgement",
            "label": "Lãnh đạo, chỉ đạo, đề xuất tháo gỡ kịp thời khó khăn, vướng mắc trong quá trình thực hiện",
        },
        _many_models_bonus("TH_B", "0.5"),
    ],
    "bands": DEFAULT_BANDS,
}
HD09_INDIVIDUAL = {
    "criteria": [
        {"code": "TC1", "max": "2", "label": "Việc triển khai, hướng dẫn, phát động, đăng ký mô hình (cách làm)"},
        {"code": "TC2", "max": "5", "label": "Kết quả thực hiện, có số liệu chứng minh"},
        {"code": "TC3", "max": "2", "label": "Tính mới; tác động, sức lan tỏa, phạm vi ảnh hưởng, hiệu quả áp dụng"},
    ],
    "bonuses": [_many_models_bonus("TH", "1")],
    "bands": DEFAULT_BANDS,
}
