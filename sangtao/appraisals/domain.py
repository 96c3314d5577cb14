"""Appraisal rules (SPEC §6, HD 09-HD/BTCTU): who is competent, opening an appraisal with its council,
independent score sheets, the chair's consensus and sign-off, bonus judgements, publication, re-appraisal
(phúc tra) as a new version, individuals appraised without a registration, each subject's result for the
year, and the quality of appraisal per appraising organization."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangtao.campaigns.models import Campaign
from sangtao.common import audit
from sangtao.common.fields import plain
from sangtao.common.uploads import read_checked
from sangtao.notifications.domain import notify
from sangtao.orgs.domain import is_excluded
from sangtao.orgs.models import Organization, Person, Role
from sangtao.orgs.rules import READ_ROLES, reaches
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State as RegState
from sangtao.signatures import domain as signatures

from . import scoring
from .models import (
    Appraisal,
    BonusJudgement,
    CampaignRubric,
    IndividualAppraisal,
    ResultCorrection,
    Rubric,
    ScoreSheet,
    SubjectKind,
)
from .rules import (
    can_publish,
    can_see_result,
    can_see_unregistered,
    is_appraised,
    is_appraiser_of,
    is_subject_of,
    own_model,
    person_of,
    sees_unpublished,
    visible_results_q,
    writer_ids,
)

APPRAISABLE = {RegState.ACCEPTED, RegState.IN_PROGRESS, RegState.RESULTS_REPORTED}
MIN_JUSTIFICATION = 20  # characters: "Tốt", "Đạt yêu cầu" is not a justification [product rule A-Q]


class AppraisalError(ValidationError):
    pass


# --- Rubrics --------------------------------------------------------------------------------------

DEFAULTS = {
    SubjectKind.COLLECTIVE: (
        "HD09-TT",
        "Tiêu chí thẩm định mô hình của tập thể (HD 09, mục I.2.1)",
        scoring.HD09_COLLECTIVE,
    ),
    SubjectKind.INDIVIDUAL: (
        "HD09-CN",
        "Tiêu chí thẩm định mô hình của cá nhân (HD 09, mục I.2.2)",
        scoring.HD09_INDIVIDUAL,
    ),
}
HD09_SOURCE = "Hướng dẫn số 09-HD/BTCTU ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy"


def default_rubric(kind: str) -> Rubric:
    code, name, data = DEFAULTS[kind]
    rubric = Rubric.objects.filter(code=code).order_by("version").first()
    if rubric is None:
        rubric = Rubric.objects.create(
            code=code,
            version=1,
            name=name,
            source=HD09_SOURCE,
            subject_kind=kind,
            criteria=data["criteria"],
            bonuses=data["bonuses"],
            bands=data["bands"],
        )
    return rubric


def rubric_for(campaign: Campaign, kind: str) -> Rubric:
    link = CampaignRubric.objects.filter(campaign=campaign, subject_kind=kind).select_related("rubric").first()
    if link is None:
        link = CampaignRubric.objects.create(campaign=campaign, subject_kind=kind, rubric=default_rubric(kind))
    return link.rubric


def rubric_frozen(rubric: Rubric) -> bool:
    """A rubric a campaign has started appraising with never changes: changes make a new version."""
    return (
        Appraisal.objects.filter(rubric=rubric).exists()
        or IndividualAppraisal.objects.filter(campaign__rubrics__rubric=rubric).exists()
    )


@transaction.atomic
def new_rubric_version(
    *,
    actor,
    base: Rubric | None,
    code: str,
    name: str,
    source: str,
    subject_kind: str,
    criteria: list[dict],
    bonuses: list[dict],
    bands: list[dict],
    cap,
    step,
) -> Rubric:
    rules = scoring.Rules.from_data(criteria, bonuses, bands, cap, step)
    problems = scoring.check_rules(rules)
    if problems:
        raise AppraisalError(problems)
    code = (base.code if base else code).strip()
    if not code:
        raise AppraisalError(_("Ghi mã bộ tiêu chí."))
    version = (Rubric.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    rubric = Rubric.objects.create(
        code=code,
        version=version,
        name=name.strip(),
        source=source.strip(),
        subject_kind=subject_kind,
        criteria=criteria,
        bonuses=bonuses,
        bands=bands,
        cap=Decimal(str(cap)),
        step=Decimal(str(step)),
        created_by=actor,
    )
    audit.record("rubric.create", actor=actor, obj=rubric, changes={"code": code, "version": version})
    return rubric


@transaction.atomic
def assign_rubric(*, actor, campaign: Campaign, kind: str, rubric: Rubric) -> CampaignRubric:
    if rubric.subject_kind != kind:
        raise AppraisalError(_("Bộ tiêu chí này dành cho đối tượng khác."))
    current = CampaignRubric.objects.select_for_update().filter(campaign=campaign, subject_kind=kind).first()
    if (
        current
        and current.rubric_id != rubric.pk
        and Appraisal.objects.filter(registration__campaign=campaign, rubric=current.rubric).exists()
    ):
        raise AppraisalError(
            _("Đợt đã bắt đầu thẩm định theo “%(r)s”: không đổi bộ tiêu chí được nữa.") % {"r": current.rubric}
        )
    link, _created = CampaignRubric.objects.update_or_create(
        campaign=campaign, subject_kind=kind, defaults={"rubric": rubric}
    )
    audit.record("rubric.assign", actor=actor, obj=campaign, changes={"kind": kind, "rubric": str(rubric)})
    return link


# --- Competence (HD 09, I.3–I.4) ------------------------------------------------------------------


def competent_org(reg: Registration) -> Organization:
    """The level that appraises a model is the level that received it: an individual's evaluating and ranking
    organization (the chi bộ for its members, a committee for the cadres under its authority); a
    collective's parent level (R1)."""
    return reg.receiving_org


def check_not_own(user, reg: Registration):
    if own_model(user, reg):
        raise AppraisalError(own_model_message(user))


def own_model_message(user) -> str:
    return _(
        "%(u)s không được chấm mô hình của chính mình, của đơn vị mình, hay mô hình do mình viết, gửi hoặc báo cáo."
    ) % {"u": user}


def check_appraisable(reg: Registration):
    if is_excluded(reg.subject_org):
        raise AppraisalError(_("“%(o)s” thuộc diện không thẩm định (HD 09, mục I.3).") % {"o": reg.subject_org.name})
    if reg.state not in APPRAISABLE and reg.state != RegState.APPRAISED:
        raise AppraisalError(
            _("Chỉ thẩm định mô hình đã được tiếp nhận (đang ở trạng thái “%(s)s”).") % {"s": reg.get_state_display()}
        )


def _check_members(reg: Registration, org: Organization, members, chair):
    if not members:
        raise AppraisalError(_("Chọn ít nhất một người chấm."))
    if chair not in members:
        raise AppraisalError(_("Người chủ trì phải là một thành viên chấm."))
    problems = []
    writers = writer_ids(reg)
    for m in members:
        if not is_appraiser_of(m, org):
            problems.append(_("%(u)s không phải thành viên thẩm định của %(o)s.") % {"u": m, "o": org.name})
        elif own_model(m, reg, writers):
            problems.append(own_model_message(m))
    if problems:
        raise AppraisalError(problems)


# --- Opening, scoring, sign-off -------------------------------------------------------------------


@transaction.atomic
def open_appraisal(*, actor, registration: Registration, members: list, chair) -> Appraisal:
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("subject_org", "person", "receiving_org", "campaign")
        .get(pk=registration.pk)
    )
    check_appraisable(reg)
    if Appraisal.objects.filter(registration=reg).exists():
        raise AppraisalError(_("Mô hình này đã có thẩm định; cấp trên có thể phúc tra."))
    org = competent_org(reg)
    _check_members(reg, org, members, chair)
    appraisal = Appraisal.objects.create(
        registration=reg,
        appraising_org=org,
        chair=chair,
        created_by=actor,
        rubric=rubric_for(reg.campaign, reg.subject_kind),
    )
    appraisal.members.set(members)
    audit.record(
        "appraisal.open",
        actor=actor,
        obj=appraisal,
        changes={"registration": reg.pk, "members": [m.username for m in members], "chair": chair.username},
    )
    tell_council(appraisal, members)
    return appraisal


def tell_council(ap: Appraisal, members) -> None:
    """The members of a council learn they are to score (notifications.events: appraisal.assigned)."""

    reg = ap.registration
    notify(
        "appraisal.assigned",
        recipients=members,
        key=f"ap{ap.pk}assigned",
        url=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
        context={"title": reg.title, "org": reg.subject_name, "chair": ap.chair.get_full_name() or ap.chair.username},
    )


def parse_sheet(rules: scoring.Rules, raw: dict[str, tuple[str, str]], *, complete: bool):
    """Scores and justifications as typed → ({code: Decimal}, {code: note}); every problem listed."""
    scores, notes, problems = {}, {}, []
    for c in rules.criteria:
        value, note = raw.get(c.code, ("", ""))
        note = (note or "").strip()
        notes[c.code] = note
        if value in (None, ""):
            if complete:
                problems.append(_("Chưa chấm %(c)s.") % {"c": c.code})
        else:
            try:
                scores[c.code] = scoring.parse_score(value, c, rules.step)
            except scoring.ScoreError as exc:
                problems.append(str(exc))
        if complete and len(note) < MIN_JUSTIFICATION:
            problems.append(
                _("%(c)s: ghi nhận xét, căn cứ cho điểm (ít nhất %(n)d ký tự).") % {"c": c.code, "n": MIN_JUSTIFICATION}
            )
    return scores, notes, problems


@transaction.atomic
def save_sheet(*, actor, appraisal: Appraisal, raw: dict[str, tuple[str, str]], submit: bool) -> ScoreSheet:
    ap = Appraisal.objects.select_for_update(of=("self",)).select_related("rubric").get(pk=appraisal.pk)
    if ap.state != Appraisal.State.SCORING:
        raise AppraisalError(_("Thẩm định đã ký duyệt: không chấm thêm được."))
    if not ap.members.filter(pk=actor.pk).exists():
        raise AppraisalError(_("Bạn không phải thành viên chấm của thẩm định này."))
    check_not_own(actor, ap.registration)
    sheet, _created = ScoreSheet.objects.get_or_create(appraisal=ap, appraiser=actor)
    if sheet.submitted_at:
        raise AppraisalError(_("Phiếu chấm đã nộp không sửa được."))
    scores, notes, problems = parse_sheet(ap.rubric.rules, raw, complete=submit)
    if problems:
        raise AppraisalError(problems)
    sheet.scores = {c: {"score": str(scores[c]) if c in scores else "", "note": notes[c]} for c in notes}
    if submit:
        sheet.submitted_at = timezone.now()
    sheet.save()
    audit.record(
        "appraisal.sheet_submit" if submit else "appraisal.sheet_save",
        actor=actor,
        obj=ap,
        changes={"scores": sheet.scores},
    )
    if (
        submit
        and ap.chair_id != actor.pk
        and not ap.members.exclude(pk__in=ap.sheets.filter(submitted_at__isnull=False).values("appraiser")).exists()
    ):
        notify(
            "appraisal.sheets_in",
            recipients=[ap.chair],
            key=f"ap{ap.pk}sheets",
            url=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
            context={"title": ap.registration.title},
        )
    return sheet


def sheet_scores(sheet: ScoreSheet) -> dict[str, Decimal]:
    return {code: Decimal(v["score"]) for code, v in sheet.scores.items() if v.get("score") not in (None, "")}


@dataclass
class Preview:
    rows: list[dict]
    total: Decimal | None
    classification: str
    waiting_for: list
    submitted: int


def preview(ap: Appraisal) -> Preview:
    """The council's figures as they stand: per criterion, every submitted sheet, the mean rounded to the
    step, the chair's consensus where recorded, the resulting score."""
    rules = ap.rubric.rules
    sheets = [s for s in ap.sheets.select_related("appraiser").order_by("appraiser__username") if s.submitted_at]
    submitted_ids = {s.appraiser_id for s in sheets}
    waiting = [m for m in ap.members.all() if m.pk not in submitted_ids]
    consensus = {k: Decimal(v["score"]) for k, v in (ap.consensus or {}).items()}
    values = [sheet_scores(s) for s in sheets]
    final = scoring.council_scores(values, rules, consensus) if values else {}
    rows = []
    for c in rules.criteria:
        marks = [v.get(c.code) for v in values]
        mean = (sum(marks, Decimal(0)) / len(marks)).quantize(Decimal("0.001")) if marks else None
        rows.append(
            {
                "criterion": c,
                "marks": list(zip(sheets, marks, strict=True)),
                "mean": mean,
                "consensus": ap.consensus.get(c.code),
                "final": final.get(c.code),
            }
        )
    total = scoring.model_total(final, rules) if final else None
    return Preview(
        rows=rows,
        total=total,
        classification=scoring.classify(total, rules) if total is not None else "",
        waiting_for=waiting,
        submitted=len(sheets),
    )


@transaction.atomic
def record_consensus(*, actor, appraisal: Appraisal, code: str, score: str | None, reason: str) -> Appraisal:
    ap = Appraisal.objects.select_for_update(of=("self",)).select_related("rubric").get(pk=appraisal.pk)
    if ap.state != Appraisal.State.SCORING:
        raise AppraisalError(_("Thẩm định đã ký duyệt."))
    if ap.chair_id != actor.pk:
        raise AppraisalError(_("Chỉ người chủ trì ghi điểm thống nhất."))
    check_not_own(actor, ap.registration)
    rules = ap.rubric.rules
    criterion = next((c for c in rules.criteria if c.code == code), None)
    if criterion is None:
        raise AppraisalError(_("Không có tiêu chí này."))
    consensus = dict(ap.consensus or {})
    if score in (None, ""):
        consensus.pop(code, None)
    else:
        value = scoring.parse_score(score, criterion, rules.step)
        if len(reason.strip()) < MIN_JUSTIFICATION:
            raise AppraisalError(_("Ghi lý do của điểm thống nhất (ít nhất %(n)d ký tự).") % {"n": MIN_JUSTIFICATION})
        consensus[code] = {"score": str(value), "reason": reason.strip()}
    ap.consensus = consensus
    ap.save(update_fields=["consensus"])
    audit.record("appraisal.consensus", actor=actor, obj=ap, changes={"code": code, "consensus": consensus.get(code)})
    return ap


@transaction.atomic
def sign_off(*, actor, appraisal: Appraisal) -> Appraisal:
    ap = Appraisal.objects.select_for_update(of=("self",)).select_related("rubric", "registration").get(pk=appraisal.pk)
    if ap.state != Appraisal.State.SCORING:
        raise AppraisalError(_("Thẩm định đã ký duyệt."))
    if ap.chair_id != actor.pk:
        raise AppraisalError(_("Chỉ người chủ trì ký duyệt kết quả thẩm định."))
    check_not_own(actor, ap.registration)
    p = preview(ap)
    if p.waiting_for:
        raise AppraisalError(_("Còn chờ phiếu chấm của: %(u)s.") % {"u": ", ".join(str(u) for u in p.waiting_for)})
    ap.scores = {r["criterion"].code: str(plain(r["final"])) for r in p.rows}
    ap.total, ap.classification = p.total, p.classification
    ap.state, ap.signed_by, ap.signed_at = Appraisal.State.SIGNED, actor, timezone.now()
    ap.save()
    if ap.supersedes_id:
        Appraisal.objects.filter(pk=ap.supersedes_id).update(is_current=False)
    # The registration becomes "appraised" when the result is published, not here: its state is shown to the unit,
    # and "Đã thẩm định" before publication would tell the unit the council has decided (rules P11).
    audit.record(
        "appraisal.sign",
        actor=actor,
        obj=ap,
        changes={"scores": ap.scores, "total": str(ap.total), "classification": ap.classification},
    )
    _tell_signed(ap)
    return ap


def _tell_signed(ap: Appraisal):
    """The appraising level's officers learn a result awaits publication — those of them who may see it: never
    one who is of the appraised unit (rules P11)."""

    officers = (
        get_user_model()
        .objects.filter(roles__org=ap.appraising_org, roles__role__in=[Role.OFFICER, Role.ADMIN], is_active=True)
        .distinct()
    )
    notify(
        "appraisal.signed",
        recipients=[u for u in officers if can_see_result(u, ap)],
        key=f"ap{ap.pk}signed",
        url=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
        context={"title": ap.registration.title},
    )


def to_publish(campaign: Campaign, org: Organization) -> list[tuple[str, str, Decimal | None, str]]:
    """What `publish` would release now: (subject, model or basis, score, class) for the confirmation page."""
    signed = (
        Appraisal.objects.filter(registration__campaign=campaign, appraising_org=org, state=Appraisal.State.SIGNED)
        .select_related("registration", "registration__subject_org", "registration__person")
        .order_by("registration__title")
    )
    rows = [(ap.registration.subject_name, ap.registration.title, ap.total, ap.classification) for ap in signed]
    waiting = (
        IndividualAppraisal.objects.filter(
            campaign=campaign, appraising_org=org, published_at__isnull=True, is_current=True
        )
        .select_related("person")
        .order_by("person__full_name")
    )
    rows += [(ia.person.full_name, ia.get_basis_display(), ia.result, ia.classification) for ia in waiting]
    return rows


@transaction.atomic
def publish(*, actor, campaign: Campaign, org: Organization) -> int:
    """The level releases its signed results to the units (appraisals and individuals without a
    registration); until then only the appraising level and those above see them."""
    now = timezone.now()
    signed = Appraisal.objects.filter(registration__campaign=campaign, appraising_org=org, state=Appraisal.State.SIGNED)
    released = list(signed.select_related("registration", "registration__subject_org", "registration__person"))
    own = [ap.registration.subject_name for ap in released if is_appraised(actor, ap.registration)]
    if own:  # he may not even see them (rules P11): another officer of the level publishes
        raise AppraisalError(
            _(
                "Trong các kết quả chờ công bố có kết quả của chính anh/chị hoặc đơn vị mình (%(s)s): "
                "một cán bộ khác của cấp công bố."
            )
            % {"s": ", ".join(sorted(set(own)))}
        )
    n = signed.update(state=Appraisal.State.PUBLISHED, published_at=now)
    Registration.objects.filter(pk__in=[ap.registration_id for ap in released]).update(state=RegState.APPRAISED)
    waiting = IndividualAppraisal.objects.filter(
        campaign=campaign, appraising_org=org, published_at__isnull=True, is_current=True
    )
    people = list(waiting.select_related("person", "person__org", "campaign"))
    if any(ia.person.user_id == actor.pk for ia in people):
        raise AppraisalError(
            _("Trong các kết quả chờ công bố có kết quả của chính anh/chị: một cán bộ khác của cấp công bố.")
        )
    n += waiting.update(published_at=now)
    _tell_published(released, people)
    audit.record("appraisal.publish", actor=actor, obj=org, changes={"campaign": campaign.code, "count": n})
    return n


@transaction.atomic
def reappraise(*, actor, appraisal: Appraisal, org: Organization, reason: str, members: list, chair) -> Appraisal:
    """Phúc tra: the upper level appraises the model again as a new version; the old one is kept, and stays
    the model's result until the new one is signed."""
    ap = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("registration", "registration__subject_org", "registration__person")
        .get(pk=appraisal.pk)
    )
    if ap.state == Appraisal.State.SCORING:
        raise AppraisalError(_("Chỉ phúc tra thẩm định đã ký duyệt."))
    if hasattr(ap, "superseded_by"):
        raise AppraisalError(_("Thẩm định này đã được phúc tra (lần %(n)d).") % {"n": ap.superseded_by.number})
    if not (ap.appraising_org.path.startswith(org.path) and org.path != ap.appraising_org.path):
        raise AppraisalError(_("Phúc tra do cấp trên của cấp đã thẩm định thực hiện."))
    if not reason.strip():
        raise AppraisalError(_("Ghi lý do phúc tra."))
    _check_members(ap.registration, org, members, chair)
    new = Appraisal.objects.create(
        registration=ap.registration,
        number=ap.number + 1,
        supersedes=ap,
        is_current=False,
        reappraisal_reason=reason.strip(),
        appraising_org=org,
        rubric=ap.rubric,
        chair=chair,
        created_by=actor,
    )
    new.members.set(members)
    # The constraint allows one current appraisal: the new version becomes current, the old one is kept.
    Appraisal.objects.filter(pk=ap.pk).update(is_current=False)
    Appraisal.objects.filter(pk=new.pk).update(is_current=True)
    new.refresh_from_db()
    audit.record("appraisal.reappraise", actor=actor, obj=new, changes={"supersedes": ap.pk, "reason": reason.strip()})

    reexamined = [u for u in unit_users(ap.appraising_org, None) if can_see_result(u, ap)]  # never the appraised
    notify(
        "reappraisal.requested",
        recipients=reexamined,
        key=f"ap{new.pk}reappraise",
        url=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
        context={"org": org.name, "title": ap.registration.title, "reason": new.reappraisal_reason},
    )
    tell_council(new, members)
    return new


def effective(appraisals) -> Appraisal | None:
    """A model's result: its newest signed (or published) version."""
    signed = [a for a in appraisals if a.state != Appraisal.State.SCORING]
    return max(signed, key=lambda a: a.number) if signed else None


# --- Bonus judgements and subject results -----------------------------------------------------------


def subject_appraiser_org(campaign: Campaign, subject_org: Organization, person: Person | None) -> Organization:
    if person is not None:
        return person.evaluating_org or subject_org.parent_org or subject_org
    return subject_org.parent_org or subject_org


@dataclass(frozen=True)
class BonusDecision:
    """A judgement bonus (điểm thưởng do hội đồng quyết định) for one subject of a campaign: granted or not, and
    on what grounds. Set directly before publication, through a correction after it."""

    campaign: Campaign
    subject_org: Organization
    person: Person | None
    code: str
    granted: bool
    justification: str

    @property
    def change(self) -> dict:
        return {"granted": self.granted, "justification": self.justification.strip()}


def _check_bonus(actor, d: BonusDecision) -> Organization:
    """Who may decide a judgement bonus, and with what; returns the deciding level."""
    kind = SubjectKind.INDIVIDUAL if d.person else SubjectKind.COLLECTIVE
    rules = rubric_for(d.campaign, kind).rules
    bonus = next((b for b in rules.bonuses if b.code == d.code), None)
    if bonus is None or bonus.kind != "judgement":
        raise AppraisalError(_("Điểm thưởng này được tính tự động từ xếp loại các mô hình."))
    org = subject_appraiser_org(d.campaign, d.subject_org, d.person)
    if not is_appraiser_of(actor, org):
        raise AppraisalError(_("Chỉ thành viên thẩm định của %(o)s quyết định điểm thưởng này.") % {"o": org.name})
    check_not_own_subject(actor, d.campaign, d.subject_org, d.person)
    if d.granted and len(d.justification.strip()) < MIN_JUSTIFICATION:
        raise AppraisalError(_("Ghi căn cứ cho điểm thưởng (ít nhất %(n)d ký tự).") % {"n": MIN_JUSTIFICATION})
    return org


def check_not_own_subject(actor, campaign: Campaign, subject_org: Organization, person: Person | None):
    regs = Registration.objects.filter(campaign=campaign, subject_org=subject_org, person=person).select_related(
        "subject_org", "person"
    )
    if is_subject_of(actor, subject_org, person) or any(own_model(actor, r) for r in regs):
        raise AppraisalError(
            _(
                "Không ai quyết định điểm thưởng cho chính mình, đơn vị mình hay mô hình do mình "
                "viết, gửi (HD 09, mục I.4)."
            )
        )


def subject_published(campaign: Campaign, subject_org: Organization, person: Person | None) -> bool:
    """Has any result of this subject been published (so that it may change only through a correction)?"""
    return Appraisal.objects.filter(
        registration__campaign=campaign,
        registration__subject_org=subject_org,
        registration__person=person,
        state=Appraisal.State.PUBLISHED,
    ).exists() or (
        person is not None
        and IndividualAppraisal.objects.filter(campaign=campaign, person=person, published_at__isnull=False).exists()
    )


def _write_judgement(actor, d: BonusDecision, action: str, extra=None) -> BonusJudgement:
    judgement, _created = BonusJudgement.objects.update_or_create(
        campaign=d.campaign,
        subject_org=d.subject_org,
        person=d.person,
        code=d.code,
        defaults={**d.change, "decided_by": actor},
    )
    audit.record(
        action,
        actor=actor,
        obj=d.subject_org,
        changes={
            "campaign": d.campaign.code,
            "person": d.person.code if d.person else None,
            "code": d.code,
            **d.change,
            **(extra or {}),
        },
    )
    return judgement


@transaction.atomic
def set_bonus(*, actor, decision: BonusDecision) -> BonusJudgement:
    _check_bonus(actor, decision)
    if subject_published(decision.campaign, decision.subject_org, decision.person):
        raise AppraisalError(
            _(
                "Kết quả của chủ thể này đã công bố: thay đổi điểm thưởng phải qua đính chính (ghi lý "
                "do, ký duyệt và công bố lại)."
            )
        )
    return _write_judgement(actor, decision, "appraisal.bonus")


# --- Corrections of a published result (issue 15 item 16, rules P16) --------------------------------


def subject_figures(
    campaign: Campaign, subject_org: Organization, person: Person | None, judgements: dict[str, bool] | None = None
) -> dict:
    """A subject's result for the year as stored figures (`judgements` replaces its recorded judgements)."""
    regs = Registration.objects.filter(campaign=campaign, subject_org=subject_org, person=person)
    row = next((r for r in subject_rows(campaign, regs)), None)
    if row is None:
        return {"result": None, "class": "", "bonuses": {}}
    granted = {k: j.granted for k, j in row.judgements.items()}
    if judgements is not None and row.models:
        granted.update(judgements)
        done = [ap.total for _reg, ap in row.models if ap is not None]
        rules = rubric_for(campaign, row.kind).rules
        row.result = scoring.subject_result(done, granted, rules) if done else None
    return {
        "result": str(row.final) if row.final is not None else None,
        "class": row.classification,
        "bonuses": granted,
    }


@transaction.atomic
def propose_correction(*, actor, decision: BonusDecision, reason: str) -> ResultCorrection:
    """An appraiser of the level proposes to change a published bonus: recorded with its reason and the
    figures before and after; nothing the unit sees changes until it is signed off and published."""
    org = _check_bonus(actor, decision)
    campaign, subject_org, person = decision.campaign, decision.subject_org, decision.person
    if not subject_published(campaign, subject_org, person):
        raise AppraisalError(_("Kết quả chưa công bố: ghi điểm thưởng trực tiếp, không cần đính chính."))
    if len(reason.strip()) < MIN_JUSTIFICATION:
        raise AppraisalError(_("Ghi lý do đính chính (ít nhất %(n)d ký tự).") % {"n": MIN_JUSTIFICATION})
    mine = list(
        ResultCorrection.objects.select_for_update().filter(campaign=campaign, subject_org=subject_org, person=person)
    )
    if any(c.state != ResultCorrection.State.PUBLISHED for c in mine):
        raise AppraisalError(_("Chủ thể này đang có một đính chính chưa công bố."))
    before = subject_figures(campaign, subject_org, person)
    after = subject_figures(campaign, subject_org, person, {decision.code: decision.granted})
    if before == after:
        raise AppraisalError(_("Đính chính này không thay đổi gì."))
    number = max([1] + [c.number for c in mine]) + 1  # the first publication is version 1
    correction = ResultCorrection.objects.create(
        campaign=campaign,
        subject_org=subject_org,
        person=person,
        appraising_org=org,
        number=number,
        reason=reason.strip(),
        bonuses={decision.code: decision.change},
        before=before,
        after=after,
        proposed_by=actor,
    )
    audit.record(
        "appraisal.correction_propose",
        actor=actor,
        obj=correction,
        changes={"reason": correction.reason, "bonuses": correction.bonuses, "before": before, "after": after},
    )
    return correction


def _locked(correction: ResultCorrection, state: str) -> ResultCorrection:
    c = (
        ResultCorrection.objects.select_for_update(of=("self",))
        .select_related("campaign", "subject_org", "person", "appraising_org")
        .get(pk=correction.pk)
    )
    if c.state != state:
        raise AppraisalError(_("Đính chính đang ở trạng thái “%(s)s”.") % {"s": c.get_state_display()})
    return c


@transaction.atomic
def sign_correction(*, actor, correction: ResultCorrection) -> ResultCorrection:
    """Another appraiser of the level signs the correction off (four eyes); never one of the subject's own."""
    c = _locked(correction, ResultCorrection.State.PROPOSED)
    if not is_appraiser_of(actor, c.appraising_org):
        raise AppraisalError(
            _("Chỉ thành viên thẩm định của %(o)s ký duyệt đính chính.") % {"o": c.appraising_org.name}
        )
    if actor.pk == c.proposed_by_id:
        raise AppraisalError(_("Người đề xuất đính chính không tự ký duyệt."))
    check_not_own_subject(actor, c.campaign, c.subject_org, c.person)
    c.state, c.signed_by, c.signed_at = ResultCorrection.State.SIGNED, actor, timezone.now()
    c.save(update_fields=["state", "signed_by", "signed_at"])
    audit.record("appraisal.correction_sign", actor=actor, obj=c, changes={"number": c.number})
    return c


@transaction.atomic
def publish_correction(*, actor, correction: ResultCorrection) -> ResultCorrection:
    """The level's officer publishes the signed correction: the judgement changes (its history keeps the old
    one), the result becomes the new version, and the unit is told."""

    c = _locked(correction, ResultCorrection.State.SIGNED)
    if not can_publish(actor, c.appraising_org):
        raise AppraisalError(_("Chỉ cán bộ phụ trách của %(o)s công bố đính chính.") % {"o": c.appraising_org.name})
    for code, change in c.bonuses.items():
        decision = BonusDecision(c.campaign, c.subject_org, c.person, code, change["granted"], change["justification"])
        _write_judgement(c.signed_by, decision, "appraisal.bonus", {"correction": c.pk, "version": c.number})
    c.after = subject_figures(c.campaign, c.subject_org, c.person)
    c.state, c.published_by, c.published_at = ResultCorrection.State.PUBLISHED, actor, timezone.now()
    c.save(update_fields=["after", "state", "published_by", "published_at"])
    audit.record(
        "appraisal.correction_publish",
        actor=actor,
        obj=c,
        changes={"number": c.number, "before": c.before, "after": c.after},
    )
    _tell_unit(c)
    return c


def unit_users(subject_org: Organization, person: Person | None):
    """Who is told of a subject's result: the unit's officers, and the individual himself."""

    q = Q(roles__org=subject_org, roles__role__in=[Role.OFFICER, Role.ADMIN])
    if person is not None and person.user_id:
        q |= Q(pk=person.user_id)
    return get_user_model().objects.filter(q, is_active=True).distinct()


def _tell_published(appraisals: list[Appraisal], individuals: list[IndividualAppraisal]):
    """Each unit (and individual) learns its result once it is published — never before (rules P11)."""

    for ap in appraisals:
        reg = ap.registration
        notify(
            "appraisal.published",
            recipients=unit_users(reg.subject_org, reg.person),
            key=f"ap{ap.pk}",
            url=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
            context={
                "title": reg.title,
                "org": reg.subject_name,
                "classification": f"{scoring.fmt(ap.total)} điểm, {ap.classification}",
            },
        )
    for ia in individuals:
        notify(
            "appraisal.published",
            recipients=unit_users(ia.person.org, ia.person),
            key=f"ia{ia.pk}",
            url=reverse("appraisals:results", kwargs={"code": ia.campaign.code}),
            context={
                "title": ia.get_basis_display(),
                "org": ia.person.full_name,
                "classification": f"{scoring.fmt(ia.result)} điểm, {ia.classification}",
            },
        )


def _tell_unit(c: ResultCorrection):

    name = c.person.full_name if c.person else c.subject_org.name

    def figures(f):
        return f"{scoring.fmt(Decimal(f['result']))} điểm, {f['class']}" if f.get("result") else "—"

    notify(
        "appraisal.corrected",
        recipients=unit_users(c.subject_org, c.person),
        key=f"corr{c.pk}",
        url=reverse("appraisals:results", kwargs={"code": c.campaign.code}),
        context={
            "subject": name,
            "number": c.number,
            "before": figures(c.before),
            "after": figures(c.after),
            "reason": c.reason,
        },
    )


@dataclass
class SubjectRow:
    kind: str
    org: Organization
    person: Person | None
    appraising_org: Organization | None
    models: list = field(default_factory=list)  # (registration, effective appraisal or None)
    result: scoring.SubjectResult | None = None
    unregistered: IndividualAppraisal | None = None
    judgements: dict = field(default_factory=dict)
    published: bool = False

    @property
    def name(self) -> str:
        return self.person.full_name if self.person else self.org.name

    @property
    def final(self) -> Decimal | None:
        if self.result is not None and self.result.result is not None:
            return self.result.result
        return self.unregistered.result if self.unregistered else None

    @property
    def classification(self) -> str:
        if self.result is not None and self.result.classification:
            return self.result.classification
        return self.unregistered.classification if self.unregistered else ""


def subject_rows(
    campaign: Campaign, registrations=None, appraisals: Q | None = None, individuals=None
) -> list[SubjectRow]:
    """Every subject's result for the year (SPEC §6): its best model + bonus items, capped; judgement bonuses
    as recorded, derived bonuses from its models' classifications. A fixed number of queries. `appraisals`
    (a filter) limits the appraisals counted — a reader's `rules.visible_results_q`; `individuals` (a predicate)
    the appraisals of individuals without a registration: the newest one it accepts counts (the current one, or
    the one published before it while a replacement waits for publication)."""
    regs = registrations if registrations is not None else Registration.objects.filter(campaign=campaign)
    regs = list(
        regs.filter(state__in=APPRAISABLE | {RegState.APPRAISED})
        .select_related("subject_org", "person", "receiving_org")
        .order_by("subject_org__path", "person__full_name", "title")
    )
    by_reg = defaultdict(list)
    for ap in Appraisal.objects.filter(
        appraisals if appraisals is not None else Q(), registration__in=[r.pk for r in regs]
    ).only("id", "registration_id", "number", "state", "total", "classification", "appraising_org_id", "published_at"):
        by_reg[ap.registration_id].append(ap)
    rubrics = {kind: rubric_for(campaign, kind) for kind in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    judgements = defaultdict(dict)
    for j in BonusJudgement.objects.filter(campaign=campaign):
        judgements[(j.subject_org_id, j.person_id)][j.code] = j
    rows: dict[tuple, SubjectRow] = {}
    for reg in regs:
        key = (reg.subject_org_id, reg.person_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = SubjectRow(
                kind=reg.subject_kind,
                org=reg.subject_org,
                person=reg.person,
                appraising_org=reg.receiving_org,
                judgements=judgements.get(key, {}),
            )
        row.models.append((reg, effective(by_reg.get(reg.pk, []))))
    unregistered = {}
    for ia in (
        IndividualAppraisal.objects.filter(Q(is_current=True) | Q(published_at__isnull=False), campaign=campaign)
        .select_related("person", "person__org", "appraising_org")
        .order_by("created_at", "pk")
    ):
        if ia.is_current if individuals is None else individuals(ia):
            unregistered[ia.person_id] = ia  # the newest accepted one wins
    for ia in unregistered.values():
        key = (ia.person.org_id, ia.person_id)
        if key not in rows:
            rows[key] = SubjectRow(
                kind=SubjectKind.INDIVIDUAL,
                org=ia.person.org,
                person=ia.person,
                appraising_org=ia.appraising_org,
                unregistered=ia,
                published=ia.published_at is not None,
            )
    for row in rows.values():
        if not row.models:
            continue
        rules = rubrics[row.kind].rules
        done = [ap for _reg, ap in row.models if ap is not None]
        if done:
            row.result = scoring.subject_result(
                [ap.total for ap in done], {k: j.granted for k, j in row.judgements.items()}, rules
            )
            row.published = all(ap.published_at for ap in done)
    return sorted(rows.values(), key=lambda r: (r.org.path, r.person is not None, r.name))


def visible_subject_rows(user, campaign: Campaign, registrations=None) -> list[SubjectRow]:
    """`subject_rows` as `user` may see them (issue 15 item 1, rules P1) — for pages and exports alike: only the
    appraisals `rules.can_see_result` allows are counted; a subject's row is listed for its appraising level,
    the levels above and the subject itself; `row.hidden` when the user may not see its result yet (the unit
    waits for its level to publish) — then nothing of it (scores, class, bonus, notes) may be shown."""

    out = []
    for row in subject_rows(
        campaign,
        registrations,
        appraisals=visible_results_q(user),
        individuals=lambda ia: can_see_unregistered(user, ia),
    ):
        oversees = row.appraising_org is not None and reaches(user, row.appraising_org, READ_ROLES)
        own = (row.person is not None and row.person.user_id == user.pk) or reaches(user, row.org, READ_ROLES)
        if not (oversees or own):
            continue
        row.hidden = not row.published and not (
            row.appraising_org is not None and sees_unpublished(user, row.appraising_org, row.org, row.person)
        )
        out.append(row)
    return out


# --- Individuals without a registration (HD 09, I.2.2) --------------------------------------------


@transaction.atomic
def appraise_unregistered(  # noqa: C901 — the three bases of HD 09 I.2.2, each with its own checks
    *,
    actor,
    campaign: Campaign,
    person: Person,
    basis: str,
    reference: str,
    description: str,
    score=None,
    upload=None,
    reason: str = "",
) -> IndividualAppraisal:

    org = person.evaluating_org or person.org.parent_org or person.org
    if not is_appraiser_of(actor, org):
        raise AppraisalError(_("Chỉ thành viên thẩm định của %(o)s thẩm định cá nhân này.") % {"o": org.name})
    if person_of(actor) is not None and person_of(actor).pk == person.pk:
        raise AppraisalError(_("Không ai tự thẩm định cho mình."))
    if is_excluded(person.org):
        raise AppraisalError(_("“%(o)s” thuộc diện không thẩm định (HD 09, mục I.3).") % {"o": person.org.name})
    if Registration.objects.filter(campaign=campaign, person=person).exclude(state__in=[RegState.DRAFT]).exists():
        raise AppraisalError(_("Cá nhân này đã đăng ký mô hình: thẩm định theo mô hình đã đăng ký."))
    if not description.strip():
        raise AppraisalError(_("Ghi nội dung, kết quả làm căn cứ thẩm định."))
    rules = rubric_for(campaign, SubjectKind.INDIVIDUAL).rules
    if basis == IndividualAppraisal.Basis.HEAD:
        if not person.is_leader:
            raise AppraisalError(_("Căn cứ này chỉ dành cho người đứng đầu tập thể."))
        collective = next(
            (
                r
                for r in subject_rows(
                    campaign,
                    Registration.objects.filter(campaign=campaign, subject_org=person.org, person__isnull=True),
                )
                if r.person is None
            ),
            None,
        )
        if collective is None or collective.final is None:
            raise AppraisalError(_("Tập thể %(o)s chưa có kết quả thẩm định.") % {"o": person.org.name})
        result = collective.final
    elif basis in (IndividualAppraisal.Basis.INITIATIVE, IndividualAppraisal.Basis.COMMENDATION):
        if not reference.strip():
            raise AppraisalError(_("Ghi văn bản công nhận hoặc khen thưởng (số, ngày, cơ quan ban hành)."))
        if score in (None, ""):
            raise AppraisalError(_("Ghi điểm thẩm định."))
        result = scoring.parse_score(score, scoring.Criterion("Điểm", "", rules.cap), rules.step)
    else:
        raise AppraisalError(_("Chọn một trong ba căn cứ của HD 09, mục I.2.2."))
    stored = None
    if upload is not None:
        data, content_type, name = read_checked(upload, {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}, 20 * 2**20)
        stored = (data, content_type, name, upload.name)
    current = (
        IndividualAppraisal.objects.select_for_update()
        .filter(campaign=campaign, person=person, is_current=True)
        .first()
    )
    if current is not None and current.published_at and len(reason.strip()) < MIN_JUSTIFICATION:
        # rules P14: a published result is replaced only with a reason, and the new one waits for publication
        raise AppraisalError(
            _(
                "Kết quả của %(p)s đã công bố: ghi lý do sửa (ít nhất %(n)d ký tự); kết quả mới chờ "
                "công bố lại, kết quả cũ được giữ."
            )
            % {"p": person.full_name, "n": MIN_JUSTIFICATION}
        )
    IndividualAppraisal.objects.filter(campaign=campaign, person=person, is_current=True).update(is_current=False)
    ia = IndividualAppraisal(
        campaign=campaign,
        person=person,
        appraising_org=org,
        basis=basis,
        reference=reference.strip(),
        description=description.strip(),
        result=result,
        classification=scoring.classify(result, rules),
        created_by=actor,
        correction_reason=reason.strip() if current is not None and current.published_at else "",
    )
    if stored:
        ia.evidence_type, ia.evidence_name = stored[1], stored[3][:255]
        ia.evidence.save(stored[2], ContentFile(stored[0]), save=False)
    ia.save()
    if stored:
        signatures.verify_upload(name=ia.evidence.name, data=stored[0], actor=actor)  # chữ ký số (issue 20)
    audit.record(
        "appraisal.unregistered",
        actor=actor,
        obj=ia,
        changes={
            "person": person.code,
            "basis": basis,
            "result": str(result),
            "replaces": current.pk if current else None,
            "reason": ia.correction_reason,
        },
    )
    return ia


# --- Quality of appraisal (1240-CV/BTCTU: "còn hình thức") ------------------------------------------


@dataclass
class OrgQuality:
    org: Organization
    count: int
    classes: Counter
    mean: Decimal | None
    top_share: float
    same_total_share: float
    weak_notes: int
    notes: int
    flags: list[str]


QUALITY_MIN_COUNT = 5  # below this, patterns are not flagged [product rule A-Q]
TOP_SHARE_FLAG = 0.6
SAME_TOTAL_FLAG = 0.5


def quality(campaign: Campaign, orgs: list[Organization], visible: Q | None = None) -> list[OrgQuality]:
    """Per appraising organization: the distribution of classes and scores, and the patterns 1240-CV/BTCTU
    complains of — nearly everyone excellent, identical scores, justifications missing or copied. `visible`
    (rules.visible_results_q of the reader) keeps out what the reader may not see yet."""
    rubric = rubric_for(campaign, SubjectKind.COLLECTIVE).rules
    top = rubric.bands[0].label
    aps = list(
        Appraisal.objects.filter(registration__campaign=campaign, appraising_org__in=orgs)
        .filter(visible if visible is not None else Q())
        .exclude(state=Appraisal.State.SCORING)
        .only("id", "appraising_org_id", "total", "classification")
    )
    sheets = defaultdict(list)
    for s in ScoreSheet.objects.filter(appraisal__in=[a.pk for a in aps], submitted_at__isnull=False).only(
        "appraisal_id", "scores"
    ):
        sheets[s.appraisal_id].append(s)
    by_org = defaultdict(list)
    for a in aps:
        by_org[a.appraising_org_id].append(a)
    out = []
    for org in orgs:
        items = by_org.get(org.pk, [])
        totals = [a.total for a in items]
        classes = Counter(a.classification for a in items)
        notes = [v.get("note", "") for a in items for s in sheets.get(a.pk, []) for v in s.scores.values()]
        repeated = Counter(n for n in notes if n)
        weak = sum(1 for n in notes if len(n.strip()) < MIN_JUSTIFICATION or repeated[n] > max(2, len(items) // 2))
        top_share = classes.get(top, 0) / len(items) if items else 0.0
        same = (Counter(totals).most_common(1)[0][1] / len(items)) if items else 0.0
        flags = []
        if len(items) >= QUALITY_MIN_COUNT:
            if top_share >= TOP_SHARE_FLAG:
                flags.append(_("%(p)d%% mô hình xếp loại cao nhất") % {"p": round(top_share * 100)})
            if same >= SAME_TOTAL_FLAG:
                flags.append(_("%(p)d%% mô hình cùng một số điểm") % {"p": round(same * 100)})
        if notes and weak / len(notes) >= 0.3:
            flags.append(_("%(n)d/%(m)d nhận xét quá ngắn hoặc sao chép") % {"n": weak, "m": len(notes)})
        out.append(
            OrgQuality(
                org=org,
                count=len(items),
                classes=classes,
                mean=(sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else None,
                top_share=top_share,
                same_total_share=same,
                weak_notes=weak,
                notes=len(notes),
                flags=flags,
            )
        )
    return out
