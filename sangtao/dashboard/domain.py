"""What needs this person now ("Việc của tôi"): every open item across the campaigns they work in, each with its
deadline and the one page where they act, most urgent first. Read-only; each source is one or two queries however
many items it finds (a test counts them), and the rules of the domain apps decide who acts (ACTING_ROLES at the
level, the registrant, the council member or chair, the publishing level)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangtao.appraisals.models import Appraisal
from sangtao.campaigns.domain import Cascade
from sangtao.campaigns.models import Campaign, Document, IncomingDocument
from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.coverage.domain import compute
from sangtao.coverage.models import UpwardReport
from sangtao.orgs.models import Organization, Person
from sangtao.orgs.rules import READ_ROLES, scopes
from sangtao.registrations.models import Registration
from sangtao.registrations.workflow import State
from sangtao.reports.models import ReportState, ResultsReport

STEP = Organization.steplen


@dataclass
class Task:  # một việc cần làm
    kind: str
    title: str
    action: str  # the button's words
    url: str
    deadline: dt.date | None = None
    detail: str = ""
    campaign: str = ""
    since: dt.datetime | None = None  # waiting since (things sent to this person)

    def days_left(self, today: dt.date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


@dataclass
class Home:
    tasks: list[Task] = field(default_factory=list)
    next_up: list[tuple[dt.date, str]] = field(default_factory=list)  # what comes next when nothing is due
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (campaign, organization, coverage page)


def _figures(user, campaign) -> list[tuple[str, str, str]]:
    """The coverage pages this person may read in the campaign: one per organization they hold a reading role at
    (a leader who only reads has no task, and this is what he opens the app for); a role above the campaign's root
    reads the root's page."""
    pages = {}
    for s in scopes(user):
        if s.role not in READ_ROLES:
            continue
        if s.path.startswith(campaign.root.path):
            pages.setdefault(s.org_id, s.org_name)
        elif campaign.root.path.startswith(s.path):
            pages.setdefault(campaign.root_id, campaign.root.name)
    return [
        (campaign.name, name, reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": pk}))
        for pk, name in pages.items()
    ]


def _acting(user) -> list:
    return [s for s in scopes(user) if s.role in ACTING_ROLES]


def _campaigns(user, person: Person | None) -> list[Campaign]:
    """Open campaigns the user works in: their root is above (or at) one of the user's organizations, or the user
    is above the root."""
    paths = [s.path for s in scopes(user)] + ([person.org.path] if person else [])
    return [
        c
        for c in Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("root").order_by("-year")
        if any(p.startswith(c.root.path) or c.root.path.startswith(p) for p in paths)
    ]


def tasks_for(user, today: dt.date) -> Home:
    person = Person.objects.filter(user=user, active=True).select_related("org").first()
    home = Home()
    for campaign in _campaigns(user, person):
        cascade = Cascade(campaign)
        for source in (_register, _drafts, _reports_due, _to_receive, _to_score, _to_publish, _upward, _missing):
            home.tasks += source(user, campaign, cascade, person, today)
        home.next_up += _next_dates(user, campaign, cascade, person, today)
        home.figures += _figures(user, campaign)
    home.tasks += _letters(user) + _to_sign(user)
    far = dt.date.max
    home.tasks.sort(key=lambda t: (t.deadline or far, t.since.date() if t.since else far, t.title))
    home.next_up.sort()
    return home


def _in_campaign(campaign, org_path: str) -> bool:
    return org_path.startswith(campaign.root.path)


def _register(user, campaign, cascade, person, today) -> list[Task]:
    """The collectives the user acts for, and the user's own model (a leader), not registered yet."""
    own_orgs = {s.org_id: s for s in _acting(user) if _in_campaign(campaign, s.path) and s.org_id != campaign.root_id}
    if own_orgs:  # not those excluded from appraisal (in a village, a private enterprise, or under one: SPEC §2)
        paths = {p[:i] for p in (s.path for s in own_orgs.values()) for i in range(STEP, len(p) + 1, STEP)}
        flagged = list(
            Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True), path__in=paths).values_list(
                "path", flat=True
            )
        )
        own_orgs = {k: s for k, s in own_orgs.items() if not any(s.path.startswith(f) for f in flagged)}
    registered = Q(subject_org_id__in=list(own_orgs), person__isnull=True)
    if person and person.is_leader:
        registered |= Q(person=person)
    done = set(Registration.objects.filter(registered, campaign=campaign).values_list("subject_org_id", "person_id"))
    out = []
    create = reverse("registrations:create", kwargs={"code": campaign.code})
    for org_id, s in own_orgs.items():
        if (org_id, None) not in done:
            out.append(
                Task(
                    "register",
                    _("Đăng ký mô hình của %(org)s") % {"org": s.org_name},
                    _("Đăng ký"),
                    f"{create}?to_chuc={org_id}",
                    cascade.applicable(_path_only(s.path)).deadline,
                    _("Tập thể chưa đăng ký mô hình mới, cách làm sáng tạo."),
                    campaign.name,
                )
            )
    if (
        person
        and person.is_leader
        and _in_campaign(campaign, person.org.path)
        and (person.org_id, person.pk) not in done
    ):
        out.append(
            Task(
                "register_own",
                _("Đăng ký mô hình của cá nhân anh/chị"),
                _("Đăng ký"),
                f"{create}?ca_nhan={person.pk}",
                cascade.applicable(person.org).deadline,
                _("Cán bộ lãnh đạo, quản lý đăng ký mô hình của mình (HD 09, I.2)."),
                campaign.name,
            )
        )
    return out


def _path_only(path: str):

    return SimpleNamespace(path=path)


def _registrant_q(user, person, prefix: str = "") -> Q:
    """Registrations this user writes: their own model, or a collective of an organization they act for."""
    q = Q(**{f"{prefix}subject_org_id__in": [s.org_id for s in _acting(user)], f"{prefix}person__isnull": True})
    if person:
        q |= Q(**{f"{prefix}person": person})
    return q


def _drafts(user, campaign, cascade, person, today) -> list[Task]:
    out = []
    for reg in (
        Registration.objects.filter(
            _registrant_q(user, person), campaign=campaign, state__in=[State.DRAFT, State.RETURNED]
        )
        .select_related("subject_org")
        .order_by("updated_at")[:20]
    ):
        returned = reg.state == State.RETURNED
        out.append(
            Task(
                "draft",
                (_("Sửa và gửi lại: %(t)s") if returned else _("Hoàn thiện và gửi đăng ký: %(t)s")) % {"t": reg.title},
                _("Mở đăng ký"),
                reverse("registrations:detail", kwargs={"pk": reg.pk}),
                cascade.applicable(reg.subject_org).deadline,
                (_("Bị trả lại: %(r)s") % {"r": reg.return_reason}) if returned else _("Đăng ký còn là dự thảo."),
                campaign.name,
            )
        )
    return out


def _reports_due(user, campaign, cascade, person, today) -> list[Task]:
    regs = (
        Registration.objects.filter(
            _registrant_q(user, person), campaign=campaign, state__in=[State.ACCEPTED, State.IN_PROGRESS]
        )
        .filter(Q(report__isnull=True) | Q(report__state__in=[ReportState.DRAFT, ReportState.RETURNED]))
        .select_related("subject_org", "report")
        .order_by("pk")[:20]
    )
    out = []
    for reg in regs:
        report = getattr(reg, "report", None)
        returned = report is not None and report.state == ReportState.RETURNED
        out.append(
            Task(
                "report_due",
                _("Báo cáo kết quả: %(t)s") % {"t": reg.title},
                _("Viết báo cáo") if report is None else _("Mở báo cáo"),
                reverse("reports:for_registration", kwargs={"reg_pk": reg.pk}),
                cascade.applicable(reg.subject_org).results_deadline,
                (_("Bị trả lại: %(r)s") % {"r": report.return_reason})
                if returned
                else _("Mô hình đã được tiếp nhận; cần gửi báo cáo kết quả có minh chứng."),
                campaign.name,
            )
        )
    return out


def _receiving_q(user, prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for s in _acting(user):
        q |= Q(**{f"{prefix}receiving_org__path__startswith": s.path})
    return q


def _to_receive(user, campaign, cascade, person, today) -> list[Task]:
    """Registrations and reports sent to a level the user acts for, that the user did not write: one task each
    with their number and the oldest's date."""
    if not _acting(user):
        return []
    sent = (
        (
            "receive_registrations",
            Registration.objects.filter(_receiving_q(user), campaign=campaign, state=State.SUBMITTED).exclude(
                person__user=user
            ),
            lambda n: ngettext("%(n)d đăng ký chờ tiếp nhận", "%(n)d đăng ký chờ tiếp nhận", n) % {"n": n},
            reverse("registrations:list", kwargs={"code": campaign.code}) + "?state=submitted",
        ),
        (
            "receive_reports",
            ResultsReport.objects.filter(
                _receiving_q(user, "registration__"), registration__campaign=campaign, state=ReportState.SUBMITTED
            ).exclude(registration__created_by=user),
            lambda n: (
                ngettext("%(n)d báo cáo kết quả chờ tiếp nhận", "%(n)d báo cáo kết quả chờ tiếp nhận", n) % {"n": n}
            ),
            reverse("reports:list", kwargs={"code": campaign.code}) + "?status=submitted",
        ),
    )
    out = []
    for kind, items, title, url in sent:
        found = (
            items.exclude(created_by=user)
            .exclude(versions__actor=user)
            .aggregate(n=Count("pk", distinct=True), since=Min("last_submitted_at"))
        )
        if found["n"]:
            out.append(
                Task(
                    kind,
                    title(found["n"]),
                    _("Xem và tiếp nhận"),
                    url,
                    None,
                    _("Tiếp nhận hoặc trả lại có lý do."),
                    campaign.name,
                    since=found["since"],
                )
            )
    return out


def _to_score(user, campaign, cascade, person, today) -> list[Task]:
    """Score sheets this member has not submitted; councils this chair can close (all sheets in)."""
    current = Appraisal.objects.filter(registration__campaign=campaign, state=Appraisal.State.SCORING, is_current=True)
    seat_ids = set(current.filter(Q(members=user) | Q(chair=user)).values_list("pk", flat=True))
    if not seat_ids:
        return []
    member_of = set(
        Appraisal.members.through.objects.filter(user_id=user.pk, appraisal_id__in=seat_ids).values_list(
            "appraisal_id", flat=True
        )
    )
    seats = (
        Appraisal.objects.filter(pk__in=seat_ids)
        .annotate(
            n_members=Count("members", distinct=True),
            n_in=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True),
            mine_in=Count(
                "sheets", filter=Q(sheets__appraiser=user, sheets__submitted_at__isnull=False), distinct=True
            ),
        )
        .select_related("registration", "registration__subject_org", "registration__person")
        .order_by("created_at")[:30]
    )
    out = []
    for ap in seats:
        reg = ap.registration
        deadline = cascade.applicable(reg.subject_org).results_deadline
        url = reverse("appraisals:detail", kwargs={"pk": ap.pk})
        if ap.pk in member_of and not ap.mine_in:
            out.append(
                Task(
                    "score",
                    _("Chấm phiếu: %(t)s") % {"t": reg.title},
                    _("Mở phiếu chấm"),
                    url,
                    deadline,
                    reg.subject_name,
                    campaign.name,
                )
            )
        elif ap.chair_id == user.pk and ap.n_in >= ap.n_members:
            out.append(
                Task(
                    "chair",
                    _("Thống nhất điểm và ký duyệt: %(t)s") % {"t": reg.title},
                    _("Ký duyệt"),
                    url,
                    deadline,
                    _("Đã đủ phiếu chấm của hội đồng."),
                    campaign.name,
                )
            )
    return out


def _to_publish(user, campaign, cascade, person, today) -> list[Task]:
    own = [s.org_id for s in _acting(user)]
    rows = (
        Appraisal.objects.filter(
            registration__campaign=campaign, state=Appraisal.State.SIGNED, is_current=True, appraising_org_id__in=own
        )
        .values("appraising_org_id")
        .annotate(n=Count("pk"), since=Min("signed_at"))
    )
    return [
        Task(
            "publish",
            ngettext(
                "%(n)d kết quả thẩm định đã ký duyệt chờ công bố",
                "%(n)d kết quả thẩm định đã ký duyệt chờ công bố",
                r["n"],
            )
            % {"n": r["n"]},
            _("Công bố"),
            reverse("appraisals:results", kwargs={"code": campaign.code}),
            None,
            _("Đơn vị chỉ thấy kết quả sau khi cấp thẩm định công bố."),
            campaign.name,
            since=r["since"],
        )
        for r in rows
    ]


def _levels_below(user, campaign) -> list:
    """Organizations the user acts for, inside the campaign, that have subordinates."""
    acting = [s for s in _acting(user) if _in_campaign(campaign, s.path)]
    with_children = set(
        Organization.objects.filter(pk__in=[s.org_id for s in acting], numchild__gt=0).values_list("pk", flat=True)
    )
    return [s for s in acting if s.org_id in with_children]


def _upward(user, campaign, cascade, person, today) -> list[Task]:
    """The upward report due from a level once its subordinates' deadline passed; those received from below."""
    levels = _levels_below(user, campaign)
    out = []
    sent = set(
        UpwardReport.objects.filter(campaign=campaign, org_id__in=[s.org_id for s in levels])
        .exclude(state=UpwardReport.State.RETURNED)
        .values_list("org_id", flat=True)
    )
    for s in levels:
        if s.org_id == campaign.root_id or s.org_id in sent:
            continue
        given = cascade.for_subordinates(_path_only(s.path))
        if given.deadline and today > given.deadline:
            out.append(
                Task(
                    "upward_due",
                    _("Gửi báo cáo tổng hợp lên cấp trên: %(org)s") % {"org": s.org_name},
                    _("Chốt số liệu và gửi"),
                    reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": s.org_id}),
                    cascade.applicable(_path_only(s.path)).results_deadline,
                    _("Hạn đăng ký của các cấp trực thuộc đã qua."),
                    campaign.name,
                )
            )
    q = Q(pk__in=[])
    for s in levels:
        q |= Q(org__path__startswith=s.path, org__depth=len(s.path) // STEP + 1)
    received = (
        UpwardReport.objects.filter(q, campaign=campaign, state=UpwardReport.State.SUBMITTED)
        .select_related("org")
        .order_by("submitted_at")[:20]
    )
    return out + [
        Task(
            "upward_receive",
            _("Báo cáo tổng hợp của %(org)s chờ tiếp nhận") % {"org": rep.org.name},
            _("Xem và tiếp nhận"),
            reverse("coverage:upward", kwargs={"pk": rep.pk}),
            None,
            "",
            campaign.name,
            since=rep.submitted_at,
        )
        for rep in received
    ]


def _missing(user, campaign, cascade, person, today) -> list[Task]:
    """Units still not registered below a level the user acts for (the coverage figures, brought up to date as
    the coverage page does — left to the background above its limit)."""
    levels = _levels_below(user, campaign)
    orgs = Organization.objects.in_bulk([s.org_id for s in levels])
    out = []
    for s in levels:
        n = compute(campaign, orgs[s.org_id], limit=settings.SANGTAO_COVERAGE_INLINE_LIMIT).missing_count
        if not n:
            continue
        deadline = cascade.for_subordinates(_path_only(s.path)).deadline
        out.append(
            Task(
                "missing",
                ngettext("%(n)d đơn vị thuộc %(org)s chưa đăng ký", "%(n)d đơn vị thuộc %(org)s chưa đăng ký", n)
                % {"n": n, "org": s.org_name},
                _("Xem và nhắc"),
                reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": s.org_id}),
                deadline,
                _("Nhắc các đơn vị chưa đăng ký bằng một nút trên trang tổng hợp."),
                campaign.name,
            )
        )
    return out


def _letters(user) -> list[Task]:
    """Papers received by an organization the user acts for and not yet acknowledged: each says what it is and who
    sent it (its issuing body, as the inbox's “Cơ quan ban hành” column)."""
    own = [s.org_id for s in _acting(user)]
    rows = list(
        IncomingDocument.objects.filter(recipient_id__in=own, acknowledged_at__isnull=True)
        .select_related("document__issuer")
        .order_by("received_on")[:10]
    )
    url = reverse("campaigns:inbox")
    return [
        Task(
            "letter",
            _("Văn bản đến chưa xác nhận: %(s)s") % {"s": inc.document.listed_subject},
            _("Mở hộp văn bản đến"),
            url,
            None,
            _("Số đến %(n)s, ngày %(d)s — %(org)s")
            % {"n": inc.number, "d": inc.received_on.strftime("%d/%m/%Y"), "org": inc.document.issuer.name},
            since=dt.datetime.combine(inc.received_on, dt.time()),
        )
        for inc in rows
    ]


def _to_sign(user) -> list[Task]:
    """Letters of an organization the user acts for, numbered and waiting for their signer's USB token signature
    (Chờ ký số): nothing goes out until the signed copy is uploaded on the letter's page."""
    rows = (
        Document.objects.filter(
            issuer_id__in=[s.org_id for s in _acting(user)], status=Document.Status.AWAITING_SIGNATURE
        )
        .select_related("campaign")
        .order_by("issued_on", "pk")[:20]
    )
    return [
        Task(
            "sign",
            _("Văn bản chờ ký số: %(r)s — %(s)s") % {"r": doc.reference, "s": doc.subject},
            _("Tải lên bản đã ký"),
            reverse("campaigns:document", kwargs={"pk": doc.pk}) + "#cho-ky-so",
            None,
            _("%(n)s ký bằng USB token; văn bản chỉ gửi đến nơi nhận khi bản đã ký được tải lên.")
            % {"n": doc.signer_name},
            doc.campaign.name if doc.campaign else "",
            since=dt.datetime.combine(doc.issued_on, dt.time()),
        )
        for doc in rows
    ]


def _next_dates(user, campaign, cascade, person, today) -> list[tuple[dt.date, str]]:
    """The dates ahead in this campaign for the user's own level (to say what comes next)."""
    orgs = [_path_only(s.path) for s in scopes(user) if _in_campaign(campaign, s.path)]
    if person:
        orgs.append(person.org)
    out = []
    for org in orgs[:5]:
        a = cascade.applicable(org)
        if a.deadline and a.deadline >= today:
            out.append((a.deadline, _("Hạn đăng ký mô hình (%(c)s)") % {"c": campaign.name}))
        if a.results_deadline and a.results_deadline >= today:
            out.append((a.results_deadline, _("Hạn báo cáo kết quả (%(c)s)") % {"c": campaign.name}))
    return sorted(set(out))[:3]
