"""Registration rules (SPEC §4, §8): who registers and who receives, drafts, submission against the
deadline that applies to the subject (late flagged, or refused when the campaign says so), acceptance
and return with a reason, a version kept at every step, and the novelty index."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.domain import Cascade, deadline_end, is_late
from sangtao.campaigns.models import Campaign, Document
from sangtao.common import audit
from sangtao.common.templatetags.vn import vn_number
from sangtao.common.text import fold
from sangtao.notifications.domain import notify
from sangtao.orgs.domain import is_excluded
from sangtao.orgs.models import Organization, Person
from sangtao.orgs.rules import acting_users

from . import novelty
from .models import DESCRIPTION_FIELDS, Indicator, Registration, RegistrationAttachment, RegistrationVersion
from .workflow import EDITABLE, TRANSITIONS, State


class RegistrationError(ValidationError):
    pass


@dataclass(frozen=True)
class Paperwork:
    """The steps of a paper sent up to the receiving level — a registration here, its results report in
    `reports` — written once: the paper's workflow table, the error it is refused with and the words of its
    refusals (lazy: each paper declares them once, at import)."""

    transitions: dict
    error: type[ValidationError]
    wrong_state: str  # an action refused in state %(s)s (%(a)s: the action's label)
    not_editable: str  # no editing in state %(s)s
    stale: str  # someone else saved version %(v)d meanwhile
    late_refused: str  # past the deadline %(d)s (its last second: %(t)s), and the campaign takes nothing late
    no_reason: str  # a return without its reason

    def target(self, paper, action: str):
        """The state `action` leads the paper to; refused from a state the table does not take it from."""
        rule = self.transitions[action]
        if paper.state not in rule["from"]:
            raise self.error(self.wrong_state % {"a": rule["label"], "s": paper.get_state_display()})
        return rule["to"]

    def check_editable(self, paper, editable: set, expected_version: int | None):
        """Edited only in an `editable` state, and only from the version the form was read at (optimistic lock)."""
        if paper.state not in editable:
            raise self.error(self.not_editable % {"s": paper.get_state_display()})
        if expected_version is not None and expected_version != paper.version:
            raise self.error(self.stale % {"v": paper.version})

    def send(self, paper, registration: Registration, *, missing, deadline: str, now=None):
        """Submit: from a state the table allows, complete (`missing(paper)` names what is not) and, the first
        time, against the deadline of the cascade that applies to the subject (the `deadline` field of
        `Cascade.applicable`), kept with whether it was late; refused late where the campaign takes nothing
        late. Every submission clears the last return's reason. Saves the paper."""
        target = self.target(paper, "submit")
        lacking = missing(paper)
        if lacking:
            raise self.error(_("Chưa gửi được: còn thiếu %(m)s.") % {"m": "; ".join(lacking)})
        now = now or timezone.now()
        if paper.first_submitted_at is None:
            campaign = registration.campaign
            due = getattr(Cascade(campaign).applicable(registration.subject_org), deadline)
            late = is_late(now, due)
            if late and campaign.late_policy == Campaign.LatePolicy.REFUSE:
                end = timezone.localtime(deadline_end(due))
                raise self.error(
                    self.late_refused % {"d": date_format(due, "d/m/Y"), "t": end.strftime("%H:%M:%S %d/%m/%Y")}
                )
            paper.first_submitted_at, paper.deadline, paper.late = now, due, late
        paper.last_submitted_at, paper.state, paper.return_reason = now, target, ""
        paper.save()

    def send_back(self, paper, reason: str):
        """Return the paper to its writers, saying why (the reason is required). Saves the paper."""
        target = self.target(paper, "return")
        if not reason.strip():
            raise self.error(str(self.no_reason))
        paper.state, paper.return_reason = target, reason.strip()
        paper.save()


PAPERWORK = Paperwork(
    TRANSITIONS,
    RegistrationError,
    wrong_state=gettext_lazy("Không thể “%(a)s” đăng ký đang ở trạng thái “%(s)s”."),
    not_editable=gettext_lazy("Đăng ký ở trạng thái “%(s)s” không sửa được."),
    stale=gettext_lazy(
        "Đăng ký vừa được người khác sửa (phiên bản %(v)d). Hãy mở lại để xem thay đổi "
        "rồi nhập lại phần của bạn; nội dung bạn vừa nhập vẫn còn trên biểu mẫu."
    ),
    late_refused=gettext_lazy("Đã quá hạn đăng ký (%(d)s, hết lúc %(t)s); đợt này không nhận đăng ký muộn."),
    no_reason=gettext_lazy("Hãy ghi lý do trả lại (ví dụ: chưa có tính mới, chỉ tiêu chưa đo được)."),
)


def receiving_org(subject_org: Organization, person: Person | None) -> Organization:
    """Who receives (and later appraises): for an individual, the organization that evaluates and ranks
    them; for a collective, its parent level."""
    if person is not None and person.evaluating_org_id:
        return person.evaluating_org
    return subject_org.parent_org or subject_org


def check_subject(campaign: Campaign, subject_org: Organization, person: Person | None):
    if not subject_org.path.startswith(campaign.root.path) or subject_org.pk == campaign.root_id:
        raise RegistrationError(_("Tổ chức này không thuộc phạm vi của đợt."))
    if is_excluded(subject_org):
        raise RegistrationError(
            _("“%(o)s” thuộc diện không thẩm định (HD 09, mục I.3): không đăng ký mô hình.") % {"o": subject_org.name}
        )
    if person is not None and person.org_id != subject_org.pk:
        raise RegistrationError(_("Cá nhân không sinh hoạt tại tổ chức này."))


def snapshot(reg: Registration) -> dict:
    return {
        "title": reg.title,
        "content_areas": list(reg.content_areas),
        "fields": list(reg.fields),
        "novelty": reg.novelty,
        "method": reg.method,
        "starts_on": reg.starts_on.isoformat() if reg.starts_on else None,
        "ends_on": reg.ends_on.isoformat() if reg.ends_on else None,
        "theme_link": reg.theme_link,
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": str(i.baseline) if i.baseline is not None else None,
                "target": str(i.target),
            }
            for i in reg.indicators.all()
        ],
    }


def _version(reg: Registration, action: str, actor, reason: str = ""):
    number = (reg.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    RegistrationVersion.objects.create(
        registration=reg,
        number=number,
        action=action,
        state=reg.state,
        snapshot=snapshot(reg),
        reason=reason,
        actor=actor,
    )


# The actions of a registration's writers (audit rows and versions); accept/return are the receiver's.
WRITER_ACTIONS = ("create", "edit", "submit", "start", "attach")


def author_ids(reg: Registration) -> set[int]:
    """Everyone who created, edited, attached to or submitted any version of `reg` (and the person it is
    about): derived from the whole history — versions, audit rows, attachments — not from `created_by`
    alone. None of them accepts, returns or appraises it (rules, separation of duties)."""
    ids = {reg.created_by_id}
    if reg.person_id and reg.person.user_id:
        ids.add(reg.person.user_id)
    ids.update(
        RegistrationVersion.objects.filter(registration=reg, action__in=WRITER_ACTIONS).values_list(
            "actor_id", flat=True
        )
    )
    ids |= audit.actor_ids(reg, [f"registration.{a}" for a in WRITER_ACTIONS])
    ids.update(RegistrationAttachment.objects.filter(registration=reg).values_list("uploaded_by_id", flat=True))
    ids.discard(None)
    return ids


FIELDS = [*DESCRIPTION_FIELDS, "replicates"]  # what a draft saves (and the registration form edits)


@transaction.atomic
def save_draft(
    *,
    actor,
    campaign: Campaign,
    subject_org: Organization,
    person: Person | None = None,
    registration: Registration | None = None,
    expected_version: int | None = None,
    indicators: list[dict],
    **values,
) -> Registration:
    if registration is None:
        check_subject(campaign, subject_org, person)
        if campaign.status != Campaign.Status.OPEN:
            raise RegistrationError(_("Đợt đã kết thúc."))
        reg = Registration(
            campaign=campaign,
            subject_org=subject_org,
            person=person,
            created_by=actor,
            subject_kind=Registration.SubjectKind.INDIVIDUAL if person else Registration.SubjectKind.COLLECTIVE,
            receiving_org=receiving_org(subject_org, person),
        )
        action = "create"
    else:
        reg = Registration.objects.select_for_update().get(pk=registration.pk)
        PAPERWORK.check_editable(reg, EDITABLE, expected_version)
        reg.version += 1
        action = "edit"
    for key in FIELDS:
        if key in values:
            setattr(reg, key, values[key])
    if reg.starts_on and reg.ends_on and reg.ends_on < reg.starts_on:
        raise RegistrationError(_("Thời gian kết thúc trước thời gian bắt đầu."))
    reg.search_key = fold(f"{reg.title} {subject_org.name} {person.full_name if person else ''}")[:400]
    if reg.replicates_id and (reg.replicates_id == reg.pk or reg.replicates.state == State.DRAFT):
        raise RegistrationError(_("Chỉ khai nhân rộng một mô hình đã đăng ký trước đó."))
    reg.save()
    if reg.first_submitted_at:  # a returned registration being edited: the index follows its current text
        novelty.index(reg)
    reg.indicators.all().delete()
    Indicator.objects.bulk_create(
        [
            Indicator(
                registration=reg,
                order=i,
                name=row["name"].strip(),
                unit=row["unit"].strip(),
                baseline=row.get("baseline"),
                target=row["target"],
            )
            for i, row in enumerate(indicators)
            if row.get("name")
        ]
    )
    audit.record(f"registration.{action}", actor=actor, obj=reg, changes={"title": reg.title, "version": reg.version})
    return reg


def missing_for_submission(reg: Registration) -> list[str]:
    missing = []
    if not reg.title.strip():
        missing.append(_("tên mô hình"))
    if not reg.content_areas:
        missing.append(_("nội dung (lãnh đạo, chỉ đạo / thực hiện nhiệm vụ / sản phẩm cụ thể)"))
    if not reg.fields:
        missing.append(_("lĩnh vực"))
    if not reg.novelty.strip():
        missing.append(_("điểm mới"))
    if not reg.method.strip():
        missing.append(_("cách thức thực hiện"))
    if not reg.indicators.exists():
        missing.append(_("ít nhất một chỉ tiêu đo được (tên, đơn vị, mục tiêu)"))
    return missing


@transaction.atomic
def submit(*, actor, registration: Registration, now=None, on_record: bool = False) -> Registration:
    """`on_record`: a submission keyed in from paper (the campaign import) — nobody is told."""
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("campaign", "subject_org")
        .get(pk=registration.pk)
    )
    PAPERWORK.send(reg, reg, missing=missing_for_submission, deadline="deadline", now=now)
    _version(reg, "submit", actor)
    novelty.index(reg)
    # the closest model it does not declare it replicates (R6c): a declared replication is not a lack of novelty
    best = [m for m in novelty.similar_to(reg, limit=2, minimum=0) if not m.declared][:1]
    reg.similar_score = round(best[0].score, 3) if best else 0.0
    reg.similar_to = best[0].registration if best else None
    reg.save(update_fields=["similar_score", "similar_to"])
    audit.record("registration.submit", actor=actor, obj=reg, changes={"late": reg.late, "deadline": reg.deadline})
    if not on_record:
        tell("registration.submitted", reg, acting_users(reg.receiving_org).exclude(pk__in=author_ids(reg)))
    return reg


def check_not_author(actor, reg: Registration):
    """Separation of duties (rules R5): whoever created, edited or sent any version does not accept or return it."""
    if actor.pk in author_ids(reg):
        raise RegistrationError(
            _(
                "Người đã soạn, sửa hoặc gửi đăng ký này không được tiếp nhận hay trả lại nó; "
                "việc này do một cán bộ khác của cấp tiếp nhận thực hiện."
            )
        )


@transaction.atomic
def _step(*, actor, registration: Registration, action: str, on_record: bool = False) -> Registration:
    """A transition of the workflow table that needs nothing but permission: its new state, a version, an audit row.
    `on_record`: a decision taken on paper, keyed in afterwards (the campaign import) — the writer may enter it."""
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if TRANSITIONS[action]["who"] == "receiver" and not on_record:
        check_not_author(actor, reg)
    reg.state = PAPERWORK.target(reg, action)
    reg.save()
    _version(reg, action, actor)
    audit.record(f"registration.{action}", actor=actor, obj=reg)
    if action == "accept" and not on_record:
        tell("registration.accepted", reg, unit_people(reg))
    return reg


def accept(*, actor, registration: Registration, on_record: bool = False) -> Registration:
    return _step(actor=actor, registration=registration, action="accept", on_record=on_record)


@transaction.atomic
def return_(*, actor, registration: Registration, reason: str) -> Registration:
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    check_not_author(actor, reg)
    PAPERWORK.send_back(reg, reason)
    _version(reg, "return", actor, reason)
    audit.record("registration.return", actor=actor, obj=reg, changes={"reason": reason})
    tell("registration.returned", reg, unit_people(reg), reason=reg.return_reason)
    return reg


def unit_people(reg: Registration):
    """Who hears of a registration's outcome: its unit's officers, its writer and the individual himself."""
    return acting_users(reg.subject_org, also=[reg.created_by_id, reg.person.user_id if reg.person_id else None])


def tell(
    event: str, reg: Registration, recipients, *, paper=None, prefix="reg", page="registrations:detail", **context
):
    """A step of a registration, or of its results report (`paper`: its key's `prefix`, its page named `page`),
    told once (the paper's version number is the key): notifications.events.EVENTS."""
    paper = paper or reg
    notify(
        event,
        recipients=recipients,
        key=f"{prefix}{paper.pk}v{paper.versions.count()}",
        url=reverse(page, kwargs={"pk": paper.pk}),
        context={"title": reg.title, "org": reg.subject_name, **context},
    )


def start(*, actor, registration: Registration) -> Registration:
    return _step(actor=actor, registration=registration, action="start")


@transaction.atomic
def mark_not_new(*, actor, registration: Registration, not_new: bool, reason: str = "") -> Registration:
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    check_not_author(actor, reg)
    if not_new and not reason.strip():
        raise RegistrationError(_("Hãy ghi lý do (ví dụ: trùng với mô hình đã đăng ký năm trước)."))
    reg.not_new, reg.not_new_reason = not_new, reason.strip() if not_new else ""
    reg.save()
    audit.record(
        "registration.not_new" if not_new else "registration.is_new", actor=actor, obj=reg, changes={"reason": reason}
    )
    return reg


@transaction.atomic
def delete_draft(*, actor, registration: Registration):
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.first_submitted_at is not None:
        raise RegistrationError(_("Đăng ký đã gửi không xóa được; mọi phiên bản được lưu giữ."))
    audit.record("registration.delete", actor=actor, obj=reg, changes={"title": reg.title})
    reg.delete()


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


@transaction.atomic
def draft_written_letter(
    *, actor, campaign: Campaign, org: Organization, registrations: list[Registration], signer_name: str = ""
):
    """The committee's written registration (đăng ký bằng văn bản), first as a draft letter listing the chosen
    registrations (its own and its leaders'), for the clerk to edit and preview; nothing is submitted yet
    (rules R9). Only the unit's registrations still to send may be listed."""

    if not registrations:
        raise RegistrationError(_("Chọn ít nhất một đăng ký."))
    problems = [
        _("“%(t)s” không thuộc %(o)s.") % {"t": reg.title, "o": org.name}
        for reg in registrations
        if reg.subject_org_id != org.pk or reg.campaign_id != campaign.pk
    ]
    problems += [_("“%(t)s” đã được gửi.") % {"t": reg.title} for reg in registrations if reg.state not in EDITABLE]
    if problems:
        raise RegistrationError(problems)
    regs = list(
        Registration.objects.filter(pk__in=[r.pk for r in registrations])
        .select_related("person")
        .prefetch_related("indicators")
        .order_by("subject_kind", "person__full_name", "title")
    )
    head = cdomain.header_for(org)
    receiver = org.parent_org
    # The letter is an official Vietnamese document: its text is never translated.
    lines = [
        (
            f"Thực hiện hướng dẫn của cấp trên về đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}, "
            f"{head['committee']} đăng ký như sau:"
        )
    ]
    for i, reg in enumerate(regs, start=1):
        who = f"Tập thể {org.name}" if not reg.person_id else f"Đồng chí {reg.person.full_name}, {reg.person.position}"
        targets = "; ".join(f"{ind.name}: {_num(ind.target)} {ind.unit}" for ind in reg.indicators.all())
        with translation.override("vi"):
            fields = ", ".join(reg.field_labels())
        lines.append(f"{i}. {who}: “{reg.title}” ({fields}). " + (f"Chỉ tiêu: {targets}." if targets else ""))
    lines.append(f"Kính đề nghị {cdomain.receiving_body(receiver) if receiver else 'cấp trên'} xem xét, tổng hợp.")
    doc = Document.objects.create(
        **cdomain.draft_header(org, head),
        campaign=campaign,
        kind=Document.Kind.CV,
        subject=f"đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}",
        salutation=cdomain.receiving_body(receiver) if receiver else "",
        body="\n".join(lines),
        signer_name=signer_name.strip(),
        created_by=actor,
        purpose=Document.Purpose.WRITTEN_REGISTRATION,
    )
    if receiver is not None:
        doc.recipients.set([receiver])
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(letter=doc)
    audit.record(
        "registration.written_draft",
        actor=actor,
        obj=doc,
        changes={"registrations": [r.pk for r in regs], "org": org.code},
    )
    return doc


@transaction.atomic
def issue_written_letter(*, actor, letter, now=None):
    """After the clerk confirms: every registration the draft lists is submitted and the letter is issued to the
    receiving level's inbox. All or nothing: any problem and nothing is submitted, every problem listed."""

    regs = list(Registration.objects.filter(letter=letter).order_by("subject_kind", "person__full_name", "title"))
    if not regs:
        raise RegistrationError(_("Chọn ít nhất một đăng ký."))
    problems = []
    for reg in regs:
        try:
            with transaction.atomic():
                submit(actor=actor, registration=reg, now=now)
        except RegistrationError as exc:
            problems += [f"“{reg.title}”: {m}" for m in exc.messages]
    if problems:
        raise RegistrationError(problems)
    doc = cdomain.issue_document(actor=actor, document=letter)
    audit.record(
        "registration.submit_in_writing",
        actor=actor,
        obj=doc,
        changes={"registrations": [r.pk for r in regs], "org": doc.issuer.code},
    )
    return doc


def submit_in_writing(
    *, actor, campaign: Campaign, org: Organization, registrations: list[Registration], signer_name: str, now=None
):
    """Both steps at once (the draft and its confirmation), for imports and scripts."""
    with transaction.atomic():
        letter = draft_written_letter(
            actor=actor, campaign=campaign, org=org, registrations=registrations, signer_name=signer_name
        )
        return issue_written_letter(actor=actor, letter=letter, now=now)


def _num(value) -> str:

    return str(vn_number(value))
