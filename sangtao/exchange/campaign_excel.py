"""A whole campaign in one Excel workbook (docs/mau-nhap-dot.md): the organization tree and people (the sheets of
the tree import), the campaign and each level's deadlines, registrations with their submission times and
indicators, appraisals with criterion scores, and bonus judgements — to bring earlier years into the system and
to enter the results of councils that met on paper.

The import runs the same domain rules as the screens (deadlines and lateness, the refuse policy, who may be
a subject, the competent level, score bounds and steps). All or nothing: everything is written in one
transaction and any problem rolls it all back, every problem listed with sheet, row, column and reason.
Importing the same file twice changes nothing. Exporting a campaign gives the same template (round trip)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangtao.appraisals import domain as adomain
from sangtao.appraisals import scoring
from sangtao.appraisals.models import Appraisal, BonusJudgement, ScoreSheet
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Campaign, CampaignLevel
from sangtao.common import audit, xlsx
from sangtao.common.fields import plain
from sangtao.common.text import fold
from sangtao.orgs.interfaces import excel as org_excel
from sangtao.orgs.interfaces.excel import ImportFailed, Problem, Reader, cell_text
from sangtao.orgs.models import Organization, Person
from sangtao.registrations import domain as rdomain
from sangtao.registrations.models import ContentArea, Field, Registration
from sangtao.registrations.workflow import State

HN = dt.timezone(dt.timedelta(hours=7))
CAMPAIGN_SHEET, LEVELS_SHEET, REGS_SHEET = "Dot", "Trien_khai", "Dang_ky"
INDICATORS_SHEET, APPRAISALS_SHEET, BONUS_SHEET = "Chi_tieu", "Tham_dinh", "Diem_thuong"

CAMPAIGN_COLUMNS = [
    ("code", "Mã đợt", True),
    ("name", "Tên đợt", True),
    ("year", "Năm", True),
    ("root", "Mã cấp mở đợt", True),
    ("legal_bases", "Căn cứ", False),
    ("theme", "Chủ đề năm", False),
    ("guidance", "Hướng dẫn thẩm định", False),
    ("registration_deadline", "Hạn đăng ký", True),
    ("results_deadline", "Hạn báo cáo kết quả", True),
    ("target_registered", "Chỉ tiêu đăng ký (%)", False),
    ("target_rated", "Chỉ tiêu đạt (%)", False),
    ("rated_base", "Mẫu số chỉ tiêu đạt", False),
    ("late_policy", "Đăng ký sau hạn", False),
    ("tree_date", "Cây tổ chức tính theo ngày", True),
    ("status", "Trạng thái", False),
]
LEVEL_COLUMNS = [
    ("org", "Mã tổ chức", True),
    ("registration_deadline", "Hạn đăng ký cho cấp dưới", False),
    ("results_deadline", "Hạn báo cáo kết quả cho cấp dưới", False),
    ("target_registered", "Chỉ tiêu đăng ký (%)", False),
    ("target_rated", "Chỉ tiêu đạt (%)", False),
]
REG_COLUMNS = [
    ("ref", "Mã đăng ký", True),
    ("org", "Mã tổ chức", True),
    ("person", "Mã cá nhân", False),
    ("title", "Tên mô hình, cách làm", True),
    ("content_areas", "Nội dung", True),
    ("fields", "Lĩnh vực", True),
    ("novelty", "Điểm mới", True),
    ("method", "Cách thức thực hiện", True),
    ("submitted_at", "Gửi lúc", True),
    ("accepted", "Đã tiếp nhận (x)", False),
]
INDICATOR_COLUMNS = [
    ("ref", "Mã đăng ký", True),
    ("name", "Chỉ tiêu", True),
    ("unit", "Đơn vị tính", True),
    ("baseline", "Hiện trạng", False),
    ("target", "Mục tiêu", True),
]
APPRAISAL_COLUMNS = [
    ("ref", "Mã đăng ký", True),
    ("number", "Lần", True),
    ("org", "Mã cấp thẩm định", True),
    ("TC1", "TC1", False),
    ("TC2", "TC2", False),
    ("TC3", "TC3", False),
    ("TC4", "TC4", False),
    ("note", "Nhận xét", False),
    ("signed_on", "Ngày ký duyệt", True),
    ("published", "Đã công bố (x)", False),
]
BONUS_COLUMNS = [
    ("org", "Mã tổ chức", True),
    ("person", "Mã cá nhân", False),
    ("code", "Mã điểm thưởng", True),
    ("granted", "Được cộng (x)", False),
    ("justification", "Căn cứ", False),
]
SHEETS = [
    (CAMPAIGN_SHEET, CAMPAIGN_COLUMNS),
    (LEVELS_SHEET, LEVEL_COLUMNS),
    (REGS_SHEET, REG_COLUMNS),
    (INDICATORS_SHEET, INDICATOR_COLUMNS),
    (APPRAISALS_SHEET, APPRAISAL_COLUMNS),
    (BONUS_SHEET, BONUS_COLUMNS),
]
IMPORT_NOTE = "Nhập từ biên bản thẩm định"
INDICATORS_COLUMN = f"{INDICATORS_SHEET}: Chỉ tiêu"  # each registration needs at least one row there


# The longest text a column may hold (the database's limits: PostgreSQL refuses longer values).
LIMITS = {
    CAMPAIGN_SHEET: {"code": 40, "name": 255, "root": 50, "theme": 300, "guidance": 300},
    LEVELS_SHEET: {"org": 50},
    REGS_SHEET: {"ref": 60, "org": 50, "person": 50, "title": 300},
    INDICATORS_SHEET: {"ref": 60, "name": 300, "unit": 50},
    APPRAISALS_SHEET: {"ref": 60, "org": 50},
    BONUS_SHEET: {"org": 50, "person": 50, "code": 20},
}


def _rows(wb, sheet, columns, reader):
    """(row number, {key: value}) for every non-empty row of a sheet; a missing sheet is no rows."""
    if sheet not in wb.sheetnames:
        return []
    ws = wb[sheet]
    idx = reader.header_map(ws, columns, sheet)
    if any(p.sheet == sheet and p.row == 1 for p in reader.problems):
        return []
    out = []
    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {key: (values[i] if i < len(values) else None) for key, i in idx.items()}
        titles = {k: t for k, t, _req in columns}
        for key, limit in LIMITS.get(sheet, {}).items():
            if key in row and not reader.length(cell_text(row[key]), limit, sheet, r, titles[key]):
                row[key] = cell_text(row[key])[
                    :limit
                ]  # keep checking the rest of the row; the import is refused anyway
        out.append((r, row))
    return out


class _Checker:
    def __init__(self, problems):
        self.problems = problems
        self.reader = Reader(problems)

    def add(self, sheet, row, column, reason):
        self.problems.append(Problem(sheet, row, column, reason))

    def required(self, sheet, row, values, columns):
        ok = True
        for key, title, required in columns:
            if required and cell_text(values.get(key)) == "":
                self.add(sheet, row, title, _("Không được để trống."))
                ok = False
        return ok

    def decimal(self, value, sheet, row, column, required=False, low=Decimal("-1e12"), high=Decimal("1e12")):
        text = cell_text(value).replace(" ", "")
        if text == "":
            if required:
                self.add(sheet, row, column, _("Không được để trống."))
            return None
        if "," in text and not isinstance(value, (int, float)):
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(str(value)) if isinstance(value, (int, float)) else Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.add(sheet, row, column, _("“%(v)s” không phải là số.") % {"v": cell_text(value)})
            return None
        if not low <= number <= high:
            self.add(
                sheet,
                row,
                column,
                _("%(v)s nằm ngoài khoảng cho phép (%(a)s – %(b)s).")
                % {
                    "v": cell_text(value),
                    "a": f"{low:f}".rstrip("0").rstrip("."),
                    "b": f"{high:f}".rstrip("0").rstrip("."),
                },
            )
            return None
        return number.quantize(Decimal("0.01")) if number == number.quantize(Decimal("0.01")) else number

    def percent(self, value, sheet, row, column):
        return self.decimal(value, sheet, row, column, low=Decimal(0), high=Decimal(100))

    def moment(self, value, sheet, row, column):
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=HN) if value.tzinfo is None else value
        text = cell_text(value)
        for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).replace(tzinfo=HN)
            except ValueError:
                continue
        self.add(sheet, row, column, _("Thời điểm “%(v)s” không đúng dạng dd/mm/yyyy hh:mm.") % {"v": text})
        return None

    def choices(self, value, allowed: dict, sheet, row, column):
        """“kinh_te; van_hoa_xa_hoi” or the Vietnamese labels, separated by “;”."""

        by_label = {fold(str(label)): code for code, label in allowed.items()}
        out = []
        for part in [p.strip() for p in cell_text(value).split(";") if p.strip()]:
            code = part if part in allowed else by_label.get(fold(part))
            if code is None:
                self.add(
                    sheet,
                    row,
                    column,
                    _("“%(v)s” không có trong danh mục (%(a)s).") % {"v": part, "a": "; ".join(allowed)},
                )
            else:
                out.append(code)
        return out


def import_campaign(
    data: bytes, *, user, progress: Callable[[int, str], None] | None = None, effective_date: dt.date | None = None
) -> dict:
    """Everything or nothing: returns a summary, or raises ImportFailed with every problem.

    Organizations whose "Hiệu lực từ ngày" is blank take effect on `effective_date` — by default the campaign's
    own tree date ("Cây tổ chức tính theo ngày"), so that an earlier year's tree is the tree its figures are
    counted on (an import on today's date made a past campaign count 0 subjects)."""
    progress = progress or (lambda pct, msg: None)
    progress(2, _("Đang đọc tệp"))
    org_rows, person_rows, problems = org_excel.read_workbook(data, progress)
    if any(p.row == 0 for p in problems):
        raise ImportFailed(problems)
    wb = xlsx.open_upload(data)  # checked again (cheap next to the import), then opened for these sheets
    check = _Checker(problems)
    sheets = {name: _rows(wb, name, columns, check.reader) for name, columns in SHEETS}
    if not sheets[CAMPAIGN_SHEET] and not any(p.sheet == CAMPAIGN_SHEET for p in problems):
        check.add(CAMPAIGN_SHEET, 0, "", _("Không có trang tính “%(s)s” (một dòng mô tả đợt).") % {"s": CAMPAIGN_SHEET})
    if problems:
        raise ImportFailed(problems)
    if effective_date is None:
        effective_date = _tree_date(sheets[CAMPAIGN_SHEET], check)
    if problems:
        raise ImportFailed(problems)
    progress(15, _("Đang kiểm tra cây tổ chức"))
    plan = org_excel.validate(org_rows, person_rows, user=user, problems=problems)
    if problems:
        raise ImportFailed(problems)
    summary = {
        "registrations_created": 0,
        "registrations_unchanged": 0,
        "appraisals_created": 0,
        "appraisals_unchanged": 0,
        "levels_set": 0,
        "bonuses_set": 0,
    }
    try:
        with transaction.atomic():
            org_result = org_excel.apply(
                plan, user=user, effective_date=effective_date, progress=lambda pct, msg: progress(15 + pct // 5, msg)
            )
            summary.update(org_result.as_dict())
            _apply_campaign(sheets, check, user, summary, progress)
            if problems:
                raise ImportFailed(problems)
            audit.record(
                "campaign.import",
                actor=user,
                object_type="campaigns.campaign",
                object_repr=_("Nhập cả đợt từ Excel"),
                changes=summary,
            )
    finally:
        pass
    progress(100, _("Hoàn tất"))
    return summary


def _tree_date(rows, check: _Checker) -> dt.date | None:
    """The Dot sheet's tree date, the default effective date of the organizations; its absence is a problem."""
    title = {k: t for k, t, _req in CAMPAIGN_COLUMNS}["tree_date"]
    if not rows:
        return None
    r, c = rows[0]
    day = check.reader.date(c.get("tree_date"), CAMPAIGN_SHEET, r, title)
    if day is None and cell_text(c.get("tree_date")) == "":
        check.add(
            CAMPAIGN_SHEET,
            r,
            title,
            _(
                "Không được để trống: tổ chức không ghi “Hiệu lực từ ngày” có hiệu lực "
                "từ ngày này, để số liệu của đợt được tính trên đúng cây tổ chức."
            ),
        )
    return day


def _apply_campaign(sheets, check: _Checker, user, summary, progress):
    r, c = sheets[CAMPAIGN_SHEET][0]
    if len(sheets[CAMPAIGN_SHEET]) > 1:
        check.add(CAMPAIGN_SHEET, sheets[CAMPAIGN_SHEET][1][0], "", _("Mỗi tệp một đợt: chỉ dòng đầu được dùng."))
        return
    titles = {k: t for k, t, _req in CAMPAIGN_COLUMNS}
    if not check.required(CAMPAIGN_SHEET, r, c, CAMPAIGN_COLUMNS):
        return
    root = Organization.objects.filter(code=cell_text(c["root"])).first()
    if root is None:
        check.add(
            CAMPAIGN_SHEET, r, titles["root"], _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": cell_text(c["root"])}
        )
        return
    if not user.is_superuser and not user.has_perm("campaigns.open", root):
        check.add(
            CAMPAIGN_SHEET, r, titles["root"], _("Tài khoản không có quyền mở đợt cho “%(o)s”.") % {"o": root.name}
        )
        return
    values = {
        "name": cell_text(c["name"]),
        "year": int(
            check.decimal(c["year"], CAMPAIGN_SHEET, r, titles["year"], low=Decimal(1945), high=Decimal(2200)) or 0
        ),
        "legal_bases": cell_text(c.get("legal_bases")),
        "theme": cell_text(c.get("theme")),
        "guidance": cell_text(c.get("guidance")),
        "registration_deadline": check.reader.date(
            c["registration_deadline"], CAMPAIGN_SHEET, r, titles["registration_deadline"]
        ),
        "results_deadline": check.reader.date(c["results_deadline"], CAMPAIGN_SHEET, r, titles["results_deadline"]),
        "target_registered": check.percent(c.get("target_registered"), CAMPAIGN_SHEET, r, titles["target_registered"])
        or Decimal(90),
        "target_rated": check.percent(c.get("target_rated"), CAMPAIGN_SHEET, r, titles["target_rated"]) or Decimal(25),
        "rated_base": cell_text(c.get("rated_base")) or Campaign.RatedBase.REGISTERED,
        "late_policy": cell_text(c.get("late_policy")) or Campaign.LatePolicy.ACCEPT,
        "tree_date": check.reader.date(c["tree_date"], CAMPAIGN_SHEET, r, titles["tree_date"]),
    }
    status = cell_text(c.get("status")) or Campaign.Status.OPEN
    for key, allowed in (("rated_base", Campaign.RatedBase.values), ("late_policy", Campaign.LatePolicy.values)):
        if values[key] not in allowed:
            check.add(CAMPAIGN_SHEET, r, titles[key], _("Ghi một trong: %(a)s.") % {"a": ", ".join(allowed)})
    if status not in Campaign.Status.values:
        check.add(
            CAMPAIGN_SHEET, r, titles["status"], _("Ghi một trong: %(a)s.") % {"a": ", ".join(Campaign.Status.values)}
        )
    if check.problems:
        return
    code = cell_text(c["code"])
    campaign = Campaign.objects.filter(code=code).select_related("root").first()
    if campaign is None:
        try:
            campaign = cdomain.open_campaign(actor=user, root=root, code=code, **values)
        except ValidationError as exc:
            check.add(CAMPAIGN_SHEET, r, titles["code"], " ".join(exc.messages))
            return
    elif campaign.root_id != root.pk:
        check.add(CAMPAIGN_SHEET, r, titles["root"], _("Đợt “%(c)s” đã có với cấp mở đợt khác.") % {"c": code})
        return
    reopened = campaign.status != Campaign.Status.OPEN
    if reopened:  # levels and registrations are written into an open campaign; the status is set at the end
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
        campaign.status = Campaign.Status.OPEN
    progress(40, _("Đang ghi triển khai các cấp"))
    _levels(sheets[LEVELS_SHEET], check, user, campaign, summary)
    progress(50, _("Đang ghi đăng ký"))
    regs = _registrations(sheets[REGS_SHEET], sheets[INDICATORS_SHEET], check, user, campaign, summary)
    progress(75, _("Đang ghi thẩm định"))
    _appraisals(sheets[APPRAISALS_SHEET], check, user, campaign, regs, summary)
    _bonuses(sheets[BONUS_SHEET], check, user, campaign, summary)
    Campaign.objects.filter(pk=campaign.pk).update(status=status)


def _levels(rows, check, user, campaign, summary):
    titles = {k: t for k, t, _req in LEVEL_COLUMNS}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[cell_text(v["org"]) for _r, v in rows])}
    # Parents before children, so that each level is checked against what its parent set.
    for r, v in sorted(
        rows, key=lambda rv: orgs[cell_text(rv[1]["org"])].depth if cell_text(rv[1]["org"]) in orgs else 0
    ):
        org = orgs.get(cell_text(v["org"]))
        if org is None:
            check.add(
                LEVELS_SHEET, r, titles["org"], _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": cell_text(v["org"])}
            )
            continue
        wanted = {
            "registration_deadline": check.reader.date(
                v.get("registration_deadline"), LEVELS_SHEET, r, titles["registration_deadline"]
            ),
            "results_deadline": check.reader.date(
                v.get("results_deadline"), LEVELS_SHEET, r, titles["results_deadline"]
            ),
            "target_registered": check.percent(
                v.get("target_registered"), LEVELS_SHEET, r, titles["target_registered"]
            ),
            "target_rated": check.percent(v.get("target_rated"), LEVELS_SHEET, r, titles["target_rated"]),
        }
        if org.pk == campaign.root_id:
            continue  # the root's own row is the campaign's deadlines and targets
        level = CampaignLevel.objects.filter(campaign=campaign, org=org).first()
        if level and all(_same(getattr(level, k), w) for k, w in wanted.items()):
            continue
        try:
            cdomain.cascade(actor=user, campaign=campaign, org=org, **wanted)
            summary["levels_set"] += 1
        except ValidationError as exc:
            check.add(LEVELS_SHEET, r, titles["registration_deadline"], " ".join(exc.messages))


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))
    return a == b


def _registrations(rows, indicator_rows, check, user, campaign, summary) -> dict[str, Registration]:
    titles = {k: t for k, t, _req in REG_COLUMNS}
    ititles = {k: t for k, t, _req in INDICATOR_COLUMNS}
    indicators: dict[str, list[dict]] = {}
    for r, v in indicator_rows:
        if not check.required(INDICATORS_SHEET, r, v, INDICATOR_COLUMNS):
            continue
        indicators.setdefault(cell_text(v["ref"]), []).append(
            {
                "name": cell_text(v["name"]),
                "unit": cell_text(v["unit"]),
                "baseline": check.decimal(v.get("baseline"), INDICATORS_SHEET, r, ititles["baseline"]),
                "target": check.decimal(v["target"], INDICATORS_SHEET, r, ititles["target"], required=True),
            }
        )
    refs = {cell_text(v["ref"]) for _r, v in rows}
    for ref in set(indicators) - refs:
        check.add(
            INDICATORS_SHEET,
            0,
            ititles["ref"],
            _("Mã đăng ký “%(r)s” không có ở trang %(s)s.") % {"r": ref, "s": REGS_SHEET},
        )
    existing = {
        reg.ref: reg
        for reg in Registration.objects.filter(campaign=campaign, ref__in=refs).select_related("subject_org", "person")
    }
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[cell_text(v["org"]) for _r, v in rows])}
    people = {p.code: p for p in Person.objects.filter(code__in=[cell_text(v.get("person")) for _r, v in rows])}
    out, seen = {}, {}
    for r, v in rows:
        if not check.required(REGS_SHEET, r, v, REG_COLUMNS):
            continue
        ref = cell_text(v["ref"])
        if ref in seen:
            check.add(
                REGS_SHEET, r, titles["ref"], _("Mã đăng ký “%(r)s” trùng với dòng %(d)d.") % {"r": ref, "d": seen[ref]}
            )
            continue
        seen[ref] = r
        if ref not in indicators and ref not in existing:  # what submitting on the screen asks for too
            check.add(
                REGS_SHEET,
                r,
                INDICATORS_COLUMN,
                _("Đăng ký “%(r)s” chưa có chỉ tiêu nào: thêm ít nhất một dòng ở trang %(s)s.")
                % {"r": ref, "s": INDICATORS_SHEET},
            )
            continue
        submitted = check.moment(v["submitted_at"], REGS_SHEET, r, titles["submitted_at"])
        fields = {
            "title": cell_text(v["title"]),
            "content_areas": check.choices(
                v.get("content_areas"), dict(ContentArea.choices), REGS_SHEET, r, titles["content_areas"]
            ),
            "fields": check.choices(v.get("fields"), dict(Field.choices), REGS_SHEET, r, titles["fields"]),
            "novelty": cell_text(v.get("novelty")),
            "method": cell_text(v.get("method")),
        }
        accepted = check.reader.boolean(v.get("accepted"), REGS_SHEET, r, titles["accepted"])
        org = orgs.get(cell_text(v["org"]))
        person = people.get(cell_text(v.get("person"))) if cell_text(v.get("person")) else None
        if org is None:
            check.add(
                REGS_SHEET, r, titles["org"], _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": cell_text(v["org"])}
            )
            submitted = None
        if cell_text(v.get("person")) and person is None:
            check.add(
                REGS_SHEET,
                r,
                titles["person"],
                _("Không tìm thấy cá nhân có mã “%(c)s”.") % {"c": cell_text(v["person"])},
            )
            submitted = None
        if submitted is None:
            continue
        if ref in existing:
            reg = existing[ref]
            same = (
                reg.subject_org_id == org.pk
                and reg.person_id == (person.pk if person else None)
                and reg.title == fields["title"]
                and reg.first_submitted_at.replace(microsecond=0) == submitted.replace(microsecond=0)
            )
            if not same:
                check.add(
                    REGS_SHEET,
                    r,
                    titles["ref"],
                    _("Đăng ký “%(r)s” đã có với nội dung khác; không ghi đè.") % {"r": ref},
                )
            else:
                summary["registrations_unchanged"] += 1
            out[ref] = reg
            continue
        column = titles["person" if person else "org"]  # a refusal names the column of the step that refused
        try:
            with transaction.atomic():
                reg = rdomain.save_draft(
                    actor=user,
                    campaign=campaign,
                    subject_org=org,
                    person=person,
                    indicators=indicators.get(ref, []),
                    **fields,
                )
                column = titles["submitted_at"]
                reg = rdomain.submit(actor=user, registration=reg, now=submitted, on_record=True)
                column = titles["accepted"]
                if accepted:
                    reg = rdomain.accept(actor=user, registration=reg, on_record=True)  # accepted on paper
                Registration.objects.filter(pk=reg.pk).update(ref=ref)
                reg.ref = ref
        except ValidationError as exc:
            check.add(REGS_SHEET, r, column, " ".join(exc.messages))
            continue
        summary["registrations_created"] += 1
        out[ref] = reg
    return out


def _appraisals(rows, check, user, campaign, regs, summary):  # noqa: C901 — a branch per documented rule of the Tham_dinh sheet
    titles = {k: t for k, t, _req in APPRAISAL_COLUMNS}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[cell_text(v["org"]) for _r, v in rows])}
    for r, v in sorted(rows, key=lambda rv: (cell_text(rv[1].get("ref")), cell_text(rv[1].get("number")))):
        if not check.required(APPRAISALS_SHEET, r, v, APPRAISAL_COLUMNS):
            continue
        reg = regs.get(cell_text(v["ref"]))
        if reg is None:
            check.add(
                APPRAISALS_SHEET,
                r,
                titles["ref"],
                _("Mã đăng ký “%(r)s” không có ở trang %(s)s.") % {"r": cell_text(v["ref"]), "s": REGS_SHEET},
            )
            continue
        number = int(
            check.decimal(v["number"], APPRAISALS_SHEET, r, titles["number"], low=Decimal(1), high=Decimal(50)) or 0
        )
        org = orgs.get(cell_text(v["org"]))
        signed_on = check.reader.date(v["signed_on"], APPRAISALS_SHEET, r, titles["signed_on"])
        published = check.reader.boolean(v.get("published"), APPRAISALS_SHEET, r, titles["published"])
        if org is None:
            check.add(
                APPRAISALS_SHEET,
                r,
                titles["org"],
                _("Không tìm thấy tổ chức có mã “%(c)s”.") % {"c": cell_text(v["org"])},
            )
            continue
        rubric = adomain.rubric_for(campaign, reg.subject_kind)
        rules = rubric.rules
        scores, bad = {}, False
        for crit in rules.criteria:
            raw = v.get(crit.code)
            if raw in (None, ""):
                check.add(APPRAISALS_SHEET, r, crit.code, _("Chưa chấm %(c)s.") % {"c": crit.code})
                bad = True
                continue
            try:
                scores[crit.code] = scoring.parse_score(raw if isinstance(raw, str) else str(raw), crit, rules.step)
            except scoring.ScoreError as exc:
                check.add(APPRAISALS_SHEET, r, crit.code, str(exc))
                bad = True
        extra = [
            k
            for k in ("TC1", "TC2", "TC3", "TC4")
            if k not in {c.code for c in rules.criteria} and v.get(k) not in (None, "")
        ]
        for k in extra:
            check.add(APPRAISALS_SHEET, r, k, _("Bộ tiêu chí “%(r)s” không có %(c)s.") % {"r": rubric, "c": k})
            bad = True
        if bad or signed_on is None or number < 1:
            if number < 1:
                check.add(APPRAISALS_SHEET, r, titles["number"], _("Lần thẩm định bắt đầu từ 1."))
            continue
        previous = Appraisal.objects.filter(registration=reg, number=number - 1).first() if number > 1 else None
        if number == 1 and org.pk != adomain.competent_org(reg).pk:
            check.add(
                APPRAISALS_SHEET,
                r,
                titles["org"],
                _("Cấp có thẩm quyền thẩm định mô hình này là “%(o)s” (HD 09, mục I.4).")
                % {"o": adomain.competent_org(reg).name},
            )
            continue
        if number > 1 and (
            previous is None
            or not previous.appraising_org.path.startswith(org.path)
            or previous.appraising_org_id == org.pk
        ):
            check.add(
                APPRAISALS_SHEET,
                r,
                titles["org"],
                _("Phúc tra (lần %(n)d) do cấp trên của cấp đã thẩm định lần %(p)d thực hiện.")
                % {"n": number, "p": number - 1},
            )
            continue
        total = scoring.model_total(scores, rules)
        existing = Appraisal.objects.filter(registration=reg, number=number).first()
        if existing is not None:
            if existing.total != total or existing.appraising_org_id != org.pk:
                check.add(
                    APPRAISALS_SHEET,
                    r,
                    titles["ref"],
                    _("Thẩm định lần %(n)d của “%(r)s” đã có với điểm khác; không ghi đè.")
                    % {"n": number, "r": reg.ref},
                )
            else:
                summary["appraisals_unchanged"] += 1
            continue
        try:
            adomain.check_appraisable(reg)
        except ValidationError as exc:
            check.add(APPRAISALS_SHEET, r, titles["ref"], " ".join(exc.messages))
            continue
        signed_at = dt.datetime.combine(signed_on, dt.time(9, 0), tzinfo=HN)
        if previous is not None:
            Appraisal.objects.filter(pk=previous.pk).update(is_current=False)
        ap = Appraisal.objects.create(
            registration=reg,
            number=number,
            supersedes=previous,
            is_current=True,
            appraising_org=org,
            rubric=rubric,
            state=Appraisal.State.PUBLISHED if published else Appraisal.State.SIGNED,
            chair=user,
            created_by=user,
            scores={k: str(plain(s)) for k, s in scores.items()},
            total=total,
            classification=scoring.classify(total, rules),
            signed_by=user,
            signed_at=signed_at,
            published_at=signed_at if published else None,
            reappraisal_reason=IMPORT_NOTE if previous else "",
        )
        ap.members.set([user])
        note = cell_text(v.get("note")) or IMPORT_NOTE
        ScoreSheet.objects.create(
            appraisal=ap,
            appraiser=user,
            submitted_at=signed_at,
            scores={k: {"score": str(plain(s)), "note": note} for k, s in scores.items()},
        )
        Registration.objects.filter(pk=reg.pk).update(state=State.APPRAISED)
        summary["appraisals_created"] += 1


def _bonuses(rows, check, user, campaign, summary):
    titles = {k: t for k, t, _req in BONUS_COLUMNS}
    for r, v in rows:
        if not check.required(BONUS_SHEET, r, v, BONUS_COLUMNS):
            continue
        org = Organization.objects.filter(code=cell_text(v["org"])).first()
        person = Person.objects.filter(code=cell_text(v.get("person"))).first() if cell_text(v.get("person")) else None
        if org is None or (cell_text(v.get("person")) and person is None):
            check.add(
                BONUS_SHEET,
                r,
                titles["org"],
                _("Không tìm thấy chủ thể “%(c)s”.") % {"c": cell_text(v.get("person")) or cell_text(v["org"])},
            )
            continue
        rules = adomain.rubric_for(campaign, "individual" if person else "collective").rules
        code = cell_text(v["code"])
        bonus = next((b for b in rules.bonuses if b.code == code), None)
        if bonus is None or bonus.kind != "judgement":
            check.add(
                BONUS_SHEET,
                r,
                titles["code"],
                _("“%(c)s” không phải điểm thưởng theo đánh giá (các điểm thưởng khác được tính tự động).")
                % {"c": code},
            )
            continue
        granted = check.reader.boolean(v.get("granted"), BONUS_SHEET, r, titles["granted"])
        justification = cell_text(v.get("justification"))
        if granted and len(justification) < adomain.MIN_JUSTIFICATION:
            check.add(
                BONUS_SHEET,
                r,
                titles["justification"],
                _("Ghi căn cứ cho điểm thưởng (ít nhất %(n)d ký tự).") % {"n": adomain.MIN_JUSTIFICATION},
            )
            continue
        current = BonusJudgement.objects.filter(campaign=campaign, subject_org=org, person=person, code=code).first()
        if current and current.granted == granted and current.justification == justification:
            continue
        BonusJudgement.objects.update_or_create(
            campaign=campaign,
            subject_org=org,
            person=person,
            code=code,
            defaults={"granted": granted, "justification": justification, "decided_by": user},
        )
        summary["bonuses_set"] += 1


# --- export ---------------------------------------------------------------------------------------


def export_campaign(campaign: Campaign) -> bytes:
    """The campaign in the import template: the tree below its root as on the campaign's tree date (and people),
    then every campaign sheet."""
    wb = org_excel.build_workbook(campaign.root, include_data=True, on=campaign.tree_date)  # the tree it counts on
    sheets = {}
    for name, columns in SHEETS:
        ws = wb.create_sheet(name)
        org_excel.write_header(ws, columns)
        sheets[name] = ws

    def d(day):
        return day.strftime("%d/%m/%Y") if day else None

    def n(value):
        return None if value is None else float(value)

    c = campaign
    sheets[CAMPAIGN_SHEET].append(
        [
            c.code,
            c.name,
            c.year,
            c.root.code,
            c.legal_bases,
            c.theme,
            c.guidance,
            d(c.registration_deadline),
            d(c.results_deadline),
            n(c.target_registered),
            n(c.target_rated),
            c.rated_base,
            c.late_policy,
            d(c.tree_date),
            c.status,
        ]
    )
    for lvl in c.levels.select_related("org").exclude(org=c.root).order_by("org__path"):
        sheets[LEVELS_SHEET].append(
            [
                lvl.org.code,
                d(lvl.registration_deadline),
                d(lvl.results_deadline),
                n(lvl.target_registered),
                n(lvl.target_rated),
            ]
        )
    regs = list(
        c.registrations.filter(first_submitted_at__isnull=False)
        .select_related("subject_org", "person")
        .prefetch_related("indicators")
        .order_by("first_submitted_at", "id")
    )
    # A registration keeps the code it is exported under, so that importing the file again matches it.
    for reg in regs:
        if not reg.ref:
            reg.ref = f"{c.code}-{reg.pk}"
            Registration.objects.filter(pk=reg.pk, ref="").update(ref=reg.ref)
    for reg in regs:
        ref = reg.ref
        when = timezone.localtime(reg.first_submitted_at, HN).strftime("%d/%m/%Y %H:%M:%S")
        sheets[REGS_SHEET].append(
            [
                ref,
                reg.subject_org.code,
                reg.person.code if reg.person else None,
                reg.title,
                "; ".join(reg.content_areas),
                "; ".join(reg.fields),
                reg.novelty,
                reg.method,
                when,
                "x" if reg.state not in (State.SUBMITTED, State.RETURNED) else None,
            ]
        )
        for ind in reg.indicators.all():
            sheets[INDICATORS_SHEET].append([ref, ind.name, ind.unit, n(ind.baseline), n(ind.target)])
        reg.export_ref = ref
    by_id = {reg.pk: reg for reg in regs}
    for ap in (
        Appraisal.objects.filter(registration__in=regs)
        .exclude(state=Appraisal.State.SCORING)
        .select_related("appraising_org")
        .order_by("registration_id", "number")
    ):
        sheet = next((s for s in ap.sheets.all()), None)
        note = next(iter(sheet.scores.values()))["note"] if sheet and sheet.scores else ""
        scores = [n(Decimal(ap.scores[k])) if k in ap.scores else None for k in ("TC1", "TC2", "TC3", "TC4")]
        sheets[APPRAISALS_SHEET].append(
            [
                by_id[ap.registration_id].export_ref,
                ap.number,
                ap.appraising_org.code,
                *scores,
                note,
                d(timezone.localtime(ap.signed_at, HN).date()) if ap.signed_at else None,
                "x" if ap.state == Appraisal.State.PUBLISHED else None,
            ]
        )
    for j in (
        BonusJudgement.objects.filter(campaign=c)
        .select_related("subject_org", "person")
        .order_by("subject_org__path", "id")
    ):
        sheets[BONUS_SHEET].append(
            [
                j.subject_org.code,
                j.person.code if j.person else None,
                j.code,
                "x" if j.granted else None,
                j.justification,
            ]
        )
    return org_excel.workbook_bytes(wb)


def template_bytes() -> bytes:
    """The empty template: the tree sheets (with the guide and the kinds) and every campaign sheet's headers."""
    wb = org_excel.build_workbook(None, include_data=False)
    for name, columns in SHEETS:
        org_excel.write_header(wb.create_sheet(name), columns)
    return org_excel.workbook_bytes(wb)
