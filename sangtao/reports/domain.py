"""Results report rules (SPEC §5, §8): the outline of a campaign, writing against it indicator by indicator,
submission against the results deadline that applies to the subject (late flagged, or refused when the
campaign says so), acceptance and return with a reason, a version at every step, and evidence files checked
by content, within a limit per file and per report."""

from __future__ import annotations

import copy
import errno
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangtao.campaigns.domain import Cascade
from sangtao.campaigns.models import Campaign
from sangtao.common import audit
from sangtao.common.text import fold
from sangtao.common.uploads import read_checked
from sangtao.orgs.rules import acting_users
from sangtao.registrations import domain as registrations
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State, review_transitions
from sangtao.signatures import domain as signatures

from .models import DEFAULT_SECTIONS, Evidence, IndicatorResult, Outline, ReportState, ReportVersion, ResultsReport

# A report is written once the registration is accepted; it stays readable through appraisal.
REPORTABLE = {State.ACCEPTED, State.IN_PROGRESS, State.RESULTS_REPORTED}
EDITABLE = {ReportState.DRAFT, ReportState.RETURNED}
EVIDENCE_TYPES = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}

TRANSITIONS = {
    "submit": {"from": EDITABLE, "to": ReportState.SUBMITTED, "who": "registrant", "label": _("Gửi báo cáo")},
    **review_transitions(ReportState),
}


class ReportError(ValidationError):
    pass


PAPERWORK = registrations.Paperwork(
    TRANSITIONS,
    ReportError,
    wrong_state=gettext_lazy("Không thể “%(a)s” báo cáo đang ở trạng thái “%(s)s”."),
    not_editable=gettext_lazy("Báo cáo ở trạng thái “%(s)s” không sửa được."),
    stale=gettext_lazy(
        "Báo cáo vừa được người khác sửa (phiên bản %(v)d). Hãy mở lại để xem thay đổi rồi "
        "nhập lại phần của bạn; nội dung bạn vừa nhập vẫn còn trên biểu mẫu."
    ),
    late_refused=gettext_lazy("Đã quá hạn báo cáo kết quả (%(d)s, hết lúc %(t)s); đợt này không nhận báo cáo muộn."),
    no_reason=gettext_lazy("Hãy ghi lý do trả lại (ví dụ: chỉ tiêu chưa có số liệu minh chứng)."),
)


# The actions of a report's writers (audit rows and versions); accept/return are the receiver's.
WRITER_ACTIONS = ("create", "edit", "submit", "evidence_add", "evidence_remove")


def author_ids(report: ResultsReport) -> set[int]:
    """Everyone who wrote the model: who created, edited, attached evidence to or submitted any version of
    the report, and every author of its registration (`registrations.domain.author_ids`). Derived from the
    history — versions, audit rows, evidence — not from `created_by`. None of them accepts, returns or
    appraises it (rules, separation of duties)."""
    ids = registrations.author_ids(report.registration) | {report.created_by_id}
    ids.update(
        ReportVersion.objects.filter(report=report, action__in=WRITER_ACTIONS).values_list("actor_id", flat=True)
    )
    ids |= audit.actor_ids(report, [f"report.{a}" for a in WRITER_ACTIONS])
    ids.update(Evidence.objects.filter(report=report).values_list("uploaded_by_id", flat=True))
    ids.discard(None)
    return ids


def check_not_author(actor, report: ResultsReport):
    """Separation of duties (rules R5, E6): whoever wrote or sent any version of the report or of its registration
    does not accept or return it."""
    if actor.pk in author_ids(report):
        raise ReportError(
            _(
                "Người đã soạn, sửa hoặc gửi báo cáo (hoặc đăng ký) này không được tiếp nhận hay trả lại "
                "nó; việc này do một cán bộ khác của cấp tiếp nhận thực hiện."
            )
        )


# --- The outline ----------------------------------------------------------------------------------


def outline_for(campaign: Campaign) -> Outline:
    outline = getattr(campaign, "_outline", None)
    if outline is None:
        outline, _created = Outline.objects.get_or_create(
            campaign=campaign, defaults={"sections": copy.deepcopy(DEFAULT_SECTIONS)}
        )
        campaign._outline = outline  # noqa: SLF001 — this module's cache on the campaign object
    return outline


@transaction.atomic
def save_outline(*, actor, campaign: Campaign, sections: list[dict]) -> Outline:
    """Sections may be added, renamed, reordered and made (not) required at any time — the next submission
    is checked against the outline then in force. A section that holds text in any report cannot be removed:
    that text would disappear from the report the appraiser reads."""
    outline = Outline.objects.select_for_update().get(pk=outline_for(campaign).pk)
    cleaned, seen = [], set()
    for s in sections:
        title = (s.get("title") or "").strip()
        if not title:
            continue
        key = (s.get("key") or "").strip() or _new_key(title, seen | {x["key"] for x in outline.sections})
        if key in seen:
            raise ReportError(_("Hai mục trùng mã “%(k)s”.") % {"k": key})
        seen.add(key)
        cleaned.append(
            {
                "key": key,
                "title": title,
                "guidance": (s.get("guidance") or "").strip(),
                "required": bool(s.get("required")),
                "min_chars": max(0, int(s.get("min_chars") or 0)),
            }
        )
    if not cleaned:
        raise ReportError(_("Đề cương cần ít nhất một mục."))
    removed = {x["key"] for x in outline.sections} - seen
    for key in removed:
        used = [
            r
            for r in ResultsReport.objects.filter(registration__campaign=campaign).only("sections")
            if (r.sections.get(key) or "").strip()
        ]
        if used:
            title = next(x["title"] for x in outline.sections if x["key"] == key)
            raise ReportError(
                _("Không bỏ được mục “%(t)s”: %(n)d báo cáo đã viết nội dung cho mục này.")
                % {"t": title, "n": len(used)}
            )
    before = outline.sections
    outline.sections, outline.updated_by = cleaned, actor
    outline.save()
    campaign._outline = outline  # noqa: SLF001 — this module's cache on the campaign object
    audit.record("outline.save", actor=actor, obj=campaign, changes={"before": before, "after": cleaned})
    return outline


def _new_key(title: str, taken: set[str]) -> str:

    base = re.sub(r"[^a-z0-9]+", "_", fold(title)).strip("_")[:24] or "muc"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


# --- Writing and submitting -----------------------------------------------------------------------


def results_deadline(reg: Registration):
    return Cascade(reg.campaign).applicable(reg.subject_org).results_deadline


@transaction.atomic
def start_report(*, actor, registration: Registration) -> ResultsReport:
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    existing = ResultsReport.objects.filter(registration=reg).first()
    if existing:
        return existing
    if reg.state not in REPORTABLE:
        raise ReportError(
            _("Chỉ báo cáo kết quả khi đăng ký đã được tiếp nhận (đang ở trạng thái “%(s)s”).")
            % {"s": reg.get_state_display()}
        )
    report = ResultsReport.objects.create(registration=reg, created_by=actor)
    IndicatorResult.objects.bulk_create([IndicatorResult(report=report, indicator=i) for i in reg.indicators.all()])
    audit.record("report.create", actor=actor, obj=report, changes={"registration": reg.pk})
    return report


@transaction.atomic
def save_draft(
    *,
    actor,
    report: ResultsReport,
    sections: dict[str, str],
    results: dict[int, dict],
    expected_version: int | None = None,
) -> ResultsReport:
    rep = ResultsReport.objects.select_for_update().get(pk=report.pk)
    PAPERWORK.check_editable(rep, EDITABLE, expected_version)
    keys = {s["key"] for s in outline_for(rep.registration.campaign).sections}
    changed = {}
    for key, text in sections.items():
        if key in keys and (rep.sections.get(key) or "") != (text or "").strip():
            changed[key] = True
            rep.sections[key] = (text or "").strip()
    rep.version += 1
    rep.save()
    for res in rep.results.select_related("indicator"):
        new = results.get(res.indicator_id)
        if new is None:
            continue
        achieved, note = new.get("achieved"), (new.get("note") or "").strip()
        if achieved != res.achieved or note != res.note:
            res.achieved, res.note = achieved, note
            res.save(update_fields=["achieved", "note"])
            changed[f"indicator:{res.indicator_id}"] = str(achieved) if achieved is not None else None
    audit.record("report.edit", actor=actor, obj=rep, changes={"version": rep.version, "changed": sorted(changed)})
    return rep


def missing_for_submission(rep: ResultsReport) -> list[str]:
    """Everything a submission still lacks, named so the writer knows exactly what to add."""
    missing = []
    for s in outline_for(rep.registration.campaign).sections:
        text = (rep.sections.get(s["key"]) or "").strip()
        if s["required"] and not text:
            missing.append(_("mục “%(t)s”") % {"t": s["title"]})
        elif s["required"] and len(text) < s.get("min_chars", 0):
            missing.append(
                _("mục “%(t)s” còn chung chung (ít nhất %(n)d ký tự, mới có %(m)d)")
                % {"t": s["title"], "n": s["min_chars"], "m": len(text)}
            )
    for res in rep.results.select_related("indicator").order_by("indicator__order", "indicator_id"):
        if res.achieved is None:
            missing.append(_("giá trị đạt được của chỉ tiêu “%(i)s”") % {"i": res.indicator.name})
    return missing


def snapshot(rep: ResultsReport) -> dict:
    outline = outline_for(rep.registration.campaign).sections
    return {
        "sections": [{"key": s["key"], "title": s["title"], "text": rep.sections.get(s["key"], "")} for s in outline],
        "results": [
            {
                "indicator": r.indicator.name,
                "unit": r.indicator.unit,
                "baseline": _str(r.indicator.baseline),
                "target": _str(r.indicator.target),
                "achieved": _str(r.achieved),
                "note": r.note,
            }
            for r in rep.results.select_related("indicator").order_by("indicator__order", "indicator_id")
        ],
        "evidence": [{"claim": e.claim, "name": e.original_name, "sha256": e.sha256} for e in rep.evidence.all()],
    }


def _str(value) -> str | None:
    return None if value is None else str(value)


def _version(rep: ResultsReport, action: str, actor, reason: str = ""):
    number = (rep.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ReportVersion.objects.create(
        report=rep, number=number, action=action, state=rep.state, snapshot=snapshot(rep), reason=reason, actor=actor
    )


def _set_registration_state(rep: ResultsReport, state: State):
    Registration.objects.filter(pk=rep.registration_id, state__in=REPORTABLE).update(state=state)


@transaction.atomic
def submit(*, actor, report: ResultsReport, now=None) -> ResultsReport:
    rep = (
        ResultsReport.objects.select_for_update()
        .select_related("registration__campaign", "registration__subject_org")
        .get(pk=report.pk)
    )
    PAPERWORK.send(rep, rep.registration, missing=missing_for_submission, deadline="results_deadline", now=now)
    _version(rep, "submit", actor)
    _set_registration_state(rep, State.RESULTS_REPORTED)
    audit.record("report.submit", actor=actor, obj=rep, changes={"late": rep.late, "deadline": rep.deadline})
    tell("report.submitted", rep, acting_users(rep.registration.receiving_org).exclude(pk__in=author_ids(rep)))
    return rep


@transaction.atomic
def accept(*, actor, report: ResultsReport) -> ResultsReport:
    rep = ResultsReport.objects.select_for_update().get(pk=report.pk)
    check_not_author(actor, rep)
    rep.state = PAPERWORK.target(rep, "accept")
    rep.save()
    _version(rep, "accept", actor)
    audit.record("report.accept", actor=actor, obj=rep)
    tell("report.accepted", rep, unit_people(rep))
    return rep


@transaction.atomic
def return_(*, actor, report: ResultsReport, reason: str) -> ResultsReport:
    rep = ResultsReport.objects.select_for_update().get(pk=report.pk)
    check_not_author(actor, rep)
    PAPERWORK.send_back(rep, reason)
    _version(rep, "return", actor, reason.strip())
    _set_registration_state(rep, State.IN_PROGRESS)
    audit.record("report.return", actor=actor, obj=rep, changes={"reason": reason.strip()})
    tell("report.returned", rep, unit_people(rep), reason=rep.return_reason)
    return rep


def unit_people(rep: ResultsReport):
    """Who hears of a report's outcome: its unit's officers, its writer and the individual himself."""
    reg = rep.registration
    return acting_users(reg.subject_org, also=[rep.created_by_id, reg.person.user_id if reg.person_id else None])


def tell(event: str, rep: ResultsReport, recipients, **context):
    """A report's step, told once (its version number is the key): notifications.events.EVENTS."""
    registrations.tell(event, rep.registration, recipients, paper=rep, prefix="rep", page="reports:detail", **context)


# --- Evidence -------------------------------------------------------------------------------------


def claims(rep: ResultsReport) -> list[tuple[str, str]]:
    """What a file can be evidence for: each outline section and each indicator."""
    out = [(f"section:{s['key']}", s["title"]) for s in outline_for(rep.registration.campaign).sections]
    out += [
        (f"indicator:{r.indicator_id}", _("Chỉ tiêu: %(n)s") % {"n": r.indicator.name})
        for r in rep.results.select_related("indicator").order_by("indicator__order", "indicator_id")
    ]
    return out


def limits() -> tuple[int, int]:
    return settings.SANGTAO_EVIDENCE_MAX_FILE_MB * 2**20, settings.SANGTAO_EVIDENCE_MAX_REPORT_MB * 2**20


@transaction.atomic
def add_evidence(*, actor, report: ResultsReport, upload, claim: str, description: str = "") -> Evidence:
    """Checked before anything is written: a refused file leaves no row and no stored file."""
    rep = ResultsReport.objects.select_for_update().get(pk=report.pk)
    if rep.state not in EDITABLE:
        raise ReportError(
            _("Báo cáo ở trạng thái “%(s)s” không thêm minh chứng được.") % {"s": rep.get_state_display()}
        )
    if claim not in dict(claims(rep)):
        raise ReportError(_("Chọn nội dung mà tệp này minh chứng."))
    per_file, per_report = limits()
    data, content_type, stored_name = read_checked(upload, EVIDENCE_TYPES, per_file)
    used = rep.evidence.aggregate(n=Sum("size"))["n"] or 0
    if used + len(data) > per_report:
        raise ReportError(
            _("Tổng dung lượng minh chứng của một báo cáo tối đa %(n)d MB (đã dùng %(u)s MB).")
            % {"n": per_report // 2**20, "u": f"{used / 2**20:.1f}".replace(".", ",")}
        )
    ev = Evidence(
        report=rep,
        claim=claim,
        description=description.strip()[:300],
        original_name=_display_name(upload.name),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    name = ev.file.field.generate_filename(ev, stored_name)
    try:
        ev.file.save(stored_name, ContentFile(data), save=False)
    except OSError as exc:  # a full disk or an unreachable store: nothing half-written is left behind
        _remove_quietly(ev.file.storage, name)
        raise ReportError(
            _(
                "Không lưu được tệp (%(e)s): kho lưu trữ đầy hoặc tạm thời không ghi được. Nội dung "
                "báo cáo vẫn còn; hãy thử lại sau hoặc báo quản trị hệ thống."
            )
            % {"e": errno.errorcode.get(exc.errno, type(exc).__name__)}
        ) from None
    try:
        with transaction.atomic():
            ev.save()
            audit.record(
                "report.evidence_add",
                actor=actor,
                obj=rep,
                changes={"file": ev.original_name, "size": ev.size, "claim": claim, "sha256": ev.sha256},
            )
    except Exception:
        ev.file.delete(save=False)  # no row, no file
        raise

    signatures.verify_upload(name=ev.file.name, data=data, actor=actor)  # chữ ký số (issue 20)
    return ev


def _remove_quietly(storage, name: str):
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        pass


def _display_name(name: str) -> str:
    return re.sub(r"[\x00-\x1f]", "", name.replace("\\", "/").rsplit("/", 1)[-1])[:255]


@transaction.atomic
def remove_evidence(*, actor, evidence: Evidence):
    rep = ResultsReport.objects.select_for_update().get(pk=evidence.report_id)
    if rep.state not in EDITABLE:
        raise ReportError(_("Báo cáo ở trạng thái “%(s)s” không bỏ minh chứng được.") % {"s": rep.get_state_display()})
    name, stored = evidence.original_name, evidence.file.name
    evidence.delete()
    # The stored file goes once the row is gone for good; earlier versions keep its name and checksum.
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    audit.record("report.evidence_remove", actor=actor, obj=rep, changes={"file": name})


# --- Reading --------------------------------------------------------------------------------------


@dataclass
class Row:
    indicator: object
    result: IndicatorResult

    @property
    def percent(self) -> Decimal | None:
        """Achieved as a percentage of the target (HD 09 TC2: results with supporting figures). Where the
        target is below the baseline (lower is better: minutes to fix a fault), it is target ÷ achieved."""
        return percent_of_target(self.indicator.baseline, self.indicator.target, self.result.achieved)


def percent_of_target(baseline, target, achieved) -> Decimal | None:
    if achieved is None or target is None:
        return None
    lower_is_better = baseline is not None and target < baseline
    if lower_is_better:
        if achieved <= 0:  # nothing left (zero faults) against a lower-is-better target: met
            return Decimal("100.0")
        return (Decimal(target) / Decimal(achieved) * 100).quantize(Decimal("0.1"))
    if not target:
        return None
    return (Decimal(achieved) / Decimal(target) * 100).quantize(Decimal("0.1"))


def rows(rep: ResultsReport) -> list[Row]:
    return [
        Row(r.indicator, r)
        for r in rep.results.select_related("indicator").order_by("indicator__order", "indicator_id")
    ]
