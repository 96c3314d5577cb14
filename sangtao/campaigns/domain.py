"""Campaign rules (SPEC §3, §8): opening, the cascade of deadlines and targets, letters and their numbers.

- A deadline is a date; it ends at 23:59:59 of that day in Asia/Ho_Chi_Minh.
- The deadline that applies to organization Y is the one Y's parent set for its subordinates; where the
  parent set none, the parent's own applicable deadline (inherited upward); the campaign root sets one.
- A level may not give its subordinates a deadline later than the one that applies to itself, nor move
  its deadline earlier than one a level below it already set (that one would then break the rule).
- Document numbers run per issuing organization, document kind and the committee's term (nhiệm kỳ); incoming
  numbers per recipient and year. Both are taken under a row lock on the organization, so concurrent issues never share one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template import TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sangtao.common import audit
from sangtao.documents import placeholders, render
from sangtao.documents.placeholders import TEXT
from sangtao.documents.signing import SigningError
from sangtao.notifications.domain import notify
from sangtao.orgs.domain import is_excluded
from sangtao.orgs.models import Organization, Person
from sangtao.orgs.rules import acting_users
from sangtao.signatures import domain as signatures

from . import papers
from .models import Campaign, CampaignLevel, CommitteeTerm, Document, IncomingDocument, LetterTemplate


class CampaignError(ValidationError):
    pass


def _fmt(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def deadline_end(day: dt.date) -> dt.datetime:
    """The last instant of a deadline day, in Vietnam's time zone."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=ZoneInfo(settings.TIME_ZONE))


def is_late(moment: dt.datetime, day: dt.date | None) -> bool:
    return day is not None and moment > deadline_end(day)


def days_left(day: dt.date | None, today: dt.date | None = None) -> int | None:
    if day is None:
        return None
    return (day - (today or timezone.localdate())).days


@dataclass(frozen=True)
class Applicable:
    deadline: dt.date | None
    results_deadline: dt.date | None
    set_by: Organization | None
    target_registered: Decimal
    target_rated: Decimal


class Cascade:
    """The campaign's levels loaded once (one query); answers for any organization by its path, with no
    further queries."""

    FIELDS = ("registration_deadline", "results_deadline", "target_registered", "target_rated")

    def __init__(self, campaign: Campaign, within: Organization | None = None, light: bool = False, paths=None):
        """`within`: only the levels that can matter for that organization's subtree (its ancestors and
        the levels inside it) — for a small subtree of a large campaign. `paths`: only the levels of these
        organizations (the ancestors of a few scattered ones). `light`: plain rows instead of model
        instances (for computing over thousands of levels; `level()` then returns those rows)."""
        self.campaign = campaign
        levels = campaign.levels.all()
        if paths is not None:
            levels = levels.filter(org__path__in=list(paths))
        elif within is not None:
            step = Organization.steplen
            ancestors = [within.path[: step * i] for i in range(1, within.depth)]
            levels = levels.filter(Q(org__path__startswith=within.path) | Q(org__path__in=ancestors))
        if light:
            self.by_path = {
                row[0]: SimpleNamespace(
                    org=SimpleNamespace(path=row[0]), **dict(zip(self.FIELDS, row[1:], strict=True))
                )
                for row in levels.values_list("org__path", *self.FIELDS)
            }
        else:
            self.by_path: dict[str, CampaignLevel] = {lvl.org.path: lvl for lvl in levels.select_related("org")}

    def level(self, org: Organization) -> CampaignLevel | None:
        return self.by_path.get(org.path)

    def _ancestor_levels(self, org: Organization, include_self: bool):
        step = Organization.steplen
        end = len(org.path) if include_self else len(org.path) - step
        for length in range(end, 0, -step):
            lvl = self.by_path.get(org.path[:length])
            if lvl is not None:
                yield lvl

    def applicable(self, org: Organization) -> Applicable:
        """What applies to `org` itself: set by its nearest ancestor that set it."""
        return self._resolve(org, include_self=False)

    def for_subordinates(self, org: Organization) -> Applicable:
        """What `org` gives its subordinates: its own setting, or what applies to it."""
        return self._resolve(org, include_self=True)

    def _resolve(self, org, include_self):
        deadline = results = set_by = None
        reg = rated = None
        for lvl in self._ancestor_levels(org, include_self):
            if deadline is None and lvl.registration_deadline:
                deadline, set_by = lvl.registration_deadline, lvl.org
            if results is None and lvl.results_deadline:
                results = lvl.results_deadline
            if reg is None and lvl.target_registered is not None:
                reg = lvl.target_registered
            if rated is None and lvl.target_rated is not None:
                rated = lvl.target_rated
        return Applicable(
            deadline=deadline,
            results_deadline=results or self.campaign.results_deadline,
            set_by=set_by,
            target_registered=reg if reg is not None else self.campaign.target_registered,
            target_rated=rated if rated is not None else self.campaign.target_rated,
        )


@transaction.atomic
def open_campaign(
    *,
    actor,
    root: Organization,
    code: str,
    name: str,
    year: int,
    legal_bases: str,
    guidance: str,
    registration_deadline: dt.date,
    results_deadline: dt.date,
    theme: str = "",
    target_registered: Decimal = Decimal(90),
    target_rated: Decimal = Decimal(25),
    rated_base: str = Campaign.RatedBase.REGISTERED,
    late_policy: str = Campaign.LatePolicy.ACCEPT,
    tree_date: dt.date | None = None,
) -> Campaign:
    if results_deadline < registration_deadline:
        raise CampaignError(_("Hạn báo cáo kết quả không được sớm hơn hạn đăng ký."))
    if Campaign.objects.filter(code=code).exists():
        raise CampaignError(_("Mã đợt “%(c)s” đã tồn tại.") % {"c": code})
    campaign = Campaign.objects.create(
        code=code,
        name=name,
        year=year,
        root=root,
        legal_bases=legal_bases,
        guidance=guidance,
        theme=theme,
        registration_deadline=registration_deadline,
        results_deadline=results_deadline,
        target_registered=target_registered,
        target_rated=target_rated,
        rated_base=rated_base,
        late_policy=late_policy,
        tree_date=tree_date or timezone.localdate(),
        created_by=actor,
    )
    CampaignLevel.objects.create(
        campaign=campaign,
        org=root,
        registration_deadline=registration_deadline,
        results_deadline=results_deadline,
        target_registered=target_registered,
        target_rated=target_rated,
        created_by=actor,
    )
    audit.record(
        "campaign.open",
        actor=actor,
        obj=campaign,
        changes={
            "root": root.code,
            "registration_deadline": registration_deadline,
            "results_deadline": results_deadline,
            "target_registered": target_registered,
            "target_rated": target_rated,
            "late_policy": late_policy,
        },
    )
    return campaign


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, **values) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = {k: getattr(campaign, k) for k in values}
    for k, v in values.items():
        setattr(campaign, k, v)
    if campaign.results_deadline < campaign.registration_deadline:
        raise CampaignError(_("Hạn báo cáo kết quả không được sớm hơn hạn đăng ký."))
    _check_descendants(Cascade(campaign), campaign.root, campaign.registration_deadline, campaign.results_deadline)
    campaign.save()
    root_level = campaign.levels.get(org=campaign.root)
    root_level.registration_deadline = campaign.registration_deadline
    root_level.results_deadline = campaign.results_deadline
    root_level.target_registered = campaign.target_registered
    root_level.target_rated = campaign.target_rated
    root_level.save()
    audit.record("campaign.update", actor=actor, obj=campaign, changes=audit.diff(before, values))
    return campaign


def _check_descendants(cascade: Cascade, org: Organization, deadline, results):
    """A level may not move its deadline earlier than one its subordinates already gave further down."""
    later = []
    for path, lvl in cascade.by_path.items():
        if path.startswith(org.path) and path != org.path:
            if deadline and lvl.registration_deadline and lvl.registration_deadline > deadline:
                later.append(f"{lvl.org.name} ({_fmt(lvl.registration_deadline)})")
            elif results and lvl.results_deadline and lvl.results_deadline > results:
                later.append(f"{lvl.org.name} ({_fmt(lvl.results_deadline)})")
    if later:
        raise CampaignError(
            _("Cấp dưới đã giao hạn muộn hơn hạn mới: %(l)s. Hãy đề nghị các cấp này sửa hạn trước.")
            % {"l": "; ".join(sorted(later))}
        )


@transaction.atomic
def cascade(
    *,
    actor,
    campaign: Campaign,
    org: Organization,
    registration_deadline: dt.date | None,
    results_deadline: dt.date | None = None,
    target_registered: Decimal | None = None,
    target_rated: Decimal | None = None,
    note: str = "",
) -> CampaignLevel:
    """A level (below the root) gives its subordinates its own deadline and targets."""
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignError(_("Đợt đã kết thúc."))
    if not org.path.startswith(campaign.root.path) or org.pk == campaign.root_id:
        raise CampaignError(_("Cấp này không thuộc phạm vi triển khai của đợt."))
    state = Cascade(campaign)
    mine = state.applicable(org)
    if registration_deadline and mine.deadline and registration_deadline > mine.deadline:
        raise CampaignError(
            _(
                "Hạn %(d)s muộn hơn hạn %(p)s mà %(o)s giao cho cấp này: hạn của cấp dưới không được muộn hơn hạn của cấp trên."
            )
            % {"d": _fmt(registration_deadline), "p": _fmt(mine.deadline), "o": mine.set_by.name if mine.set_by else ""}
        )
    if results_deadline and mine.results_deadline and results_deadline > mine.results_deadline:
        raise CampaignError(
            _("Hạn báo cáo kết quả %(d)s muộn hơn hạn của cấp trên (%(p)s).")
            % {"d": _fmt(results_deadline), "p": _fmt(mine.results_deadline)}
        )
    _check_descendants(state, org, registration_deadline or mine.deadline, results_deadline or mine.results_deadline)
    level, created = CampaignLevel.objects.get_or_create(campaign=campaign, org=org, defaults={"created_by": actor})
    before = {
        f: getattr(level, f) for f in ("registration_deadline", "results_deadline", "target_registered", "target_rated")
    }
    level.registration_deadline = registration_deadline
    level.results_deadline = results_deadline
    level.target_registered = target_registered
    level.target_rated = target_rated
    level.note = note
    level.save()
    after = {f: getattr(level, f) for f in before}
    audit.record(
        "campaign.cascade",
        actor=actor,
        obj=campaign,
        object_repr=f"{campaign} — {org}",
        changes={"org": org.code, **audit.diff({} if created else before, after)},
    )
    return level


# --- letters ----------------------------------------------------------------------------------------------

DEFAULT_CASCADE_BODY = """{% if parent_letter %}- Thực hiện {{ parent_letter }}.
{% endif %}{% for basis in campaign.legal_basis_list %}- Căn cứ {{ basis }}.
{% endfor %}
{{ committee }} đề nghị cấp ủy các tổ chức đảng trực thuộc đăng ký mô hình mới, cách làm sáng tạo năm {{ campaign.year }} của cấp ủy, tổ chức đảng, cá nhân lãnh đạo, quản lý trong lãnh đạo, chỉ đạo thực hiện nhiệm vụ ở địa phương, cơ quan, đơn vị (đảm bảo có {{ target_registered }}% các cấp ủy, tổ chức đảng, tập thể, cá nhân lãnh đạo, quản lý đăng ký mô hình mới, cách làm sáng tạo, trong đó có từ {{ target_rated }}% cấp ủy, tổ chức đảng, tập thể, cá nhân có sản phẩm cụ thể được đánh giá cấp độ “đạt” theo yêu cầu).{% if campaign.theme %}

Mô hình đăng ký bám sát Chủ đề năm {{ campaign.year }}: “{{ campaign.theme }}”, gắn với hiệu quả thực hiện nhiệm vụ chính trị ở địa phương, cơ quan, đơn vị.{% endif %}

Cấp ủy các tổ chức đảng trực thuộc đăng ký bằng văn bản, gửi về {{ committee }} trước ngày {{ deadline }} để tổng hợp, báo cáo cấp trên. Báo cáo kết quả thực hiện gửi trước ngày {{ results_deadline }}."""


DEFAULT_CASCADE_SUBJECT = "đăng ký mô hình mới, cách làm sáng tạo năm {{ campaign.year }}"

# What a letter template may name: plain values only (documents.placeholders; issue 15 item 6, rules C10).
LETTER_SCHEMA = {
    "campaign": {"year": TEXT, "name": TEXT, "code": TEXT, "theme": TEXT, "guidance": TEXT, "legal_basis_list": [TEXT]},
    "committee": TEXT,
    "issuer_name": TEXT,
    "deadline": TEXT,
    "results_deadline": TEXT,
    "target_registered": TEXT,
    "target_rated": TEXT,
    "parent_letter": TEXT,
}


def letter_template(code="cascade") -> LetterTemplate:
    tpl, _created = LetterTemplate.objects.get_or_create(
        code=code,
        defaults={
            "name": "Công văn triển khai đăng ký mô hình mới, cách làm sáng tạo",
            "subject": DEFAULT_CASCADE_SUBJECT,
            "body": DEFAULT_CASCADE_BODY,
        },
    )
    return tpl


def letter_context(
    campaign: Campaign, committee: str, issuer_name: str, given: Applicable, parent_letter: str = ""
) -> dict:
    """The only values a letter template sees: strings, numbers and a list of strings — never a model."""
    return {
        "campaign": {
            "year": campaign.year,
            "name": campaign.name,
            "code": campaign.code,
            "theme": campaign.theme,
            "guidance": campaign.guidance,
            "legal_basis_list": list(campaign.legal_basis_list),
        },
        "committee": committee,
        "issuer_name": issuer_name,
        "deadline": _fmt(given.deadline) if given.deadline else "",
        "results_deadline": _fmt(given.results_deadline) if given.results_deadline else "",
        "target_registered": _pct(given.target_registered),
        "target_rated": _pct(given.target_rated),
        "parent_letter": parent_letter,
    }


def render_letter_template(tpl: LetterTemplate, values: dict) -> tuple[str, str, bool]:
    """(subject, body, used_stored): a stored template that names anything outside LETTER_SCHEMA (saved before
    templates were checked) is not rendered; the built-in one is used instead."""
    try:
        return (
            placeholders.render(tpl.subject, values, LETTER_SCHEMA).strip(),
            placeholders.render(tpl.body, values, LETTER_SCHEMA).strip(),
            True,
        )
    except (TemplateSyntaxError, placeholders.PlaceholderError):
        return (
            placeholders.render(DEFAULT_CASCADE_SUBJECT, values, LETTER_SCHEMA).strip(),
            placeholders.render(DEFAULT_CASCADE_BODY, values, LETTER_SCHEMA).strip(),
            False,
        )


COMMITTEE_PREFIXES = (
    ("Đảng bộ tỉnh", "Tỉnh ủy"),
    ("Đảng bộ thành phố", "Thành ủy"),
    ("Đảng bộ thị xã", "Thị ủy"),
    ("Đảng bộ quận", "Quận ủy"),
    ("Đảng bộ huyện", "Huyện ủy"),
    ("Đảng bộ bộ phận", "Đảng ủy bộ phận"),
    ("Đảng bộ", "Đảng ủy"),
)


def committee_name(org: Organization) -> str:
    """The committee that leads the organization: “Đảng bộ huyện X” → “Huyện ủy X”, “Đảng bộ …” → “Đảng ủy …”."""
    name = org.name
    for prefix, committee in COMMITTEE_PREFIXES:
        if name.startswith(prefix):
            return committee + name[len(prefix) :]
    return name


def receiving_body(org: Organization) -> str:
    """Who a document to `org` is addressed to, from the organization's kind (SPEC §8a Addressing; rules D5): a
    province or upper-grassroots committee's standing committee (“Ban Thường vụ Huyện ủy …”, “Ban Thường vụ Đảng ủy
    Khối …”), a grassroots or partial committee (“Đảng ủy …”), a cell with a chi ủy (“Chi ủy Chi bộ …”), one without
    (“Chi bộ …”, which its secretary acts for), an advisory board by its own name (“Ban Tổ chức Tỉnh ủy”)."""
    kind = org.kind.code
    if kind in ("tinh", "tren_co_so"):
        return f"Ban Thường vụ {committee_name(org)}"
    if org.kind.is_cell and org.cell_committee:
        return f"Chi ủy {org.name}"
    if org.kind.is_cell or kind in ("co_quan_tham_muu", "dang_doan"):
        return org.name
    return committee_name(org)


def _province_name(org: Organization) -> str:
    """“TỈNH ỦY LÂM ĐỒNG” for the province (or a board under it)."""
    return committee_name(org).upper()


def _symbol(org: Organization) -> str:
    """The issuing body's symbol: its short name (ĐUK, HU, BTCTU); a cell without one signs “CB”, a committee
    “ĐU” — never a raw internal code such as “CTN-KT”."""
    if org.short_name:
        return org.short_name
    return "CB" if org.kind.is_cell else "ĐU"


def header_for(org: Organization) -> dict:
    """Prefilled header and signature of a document issued at `org` (all editable in the draft); rules D5–D7."""
    kind = org.kind.code
    sig = Document.Signature
    if org.depth == 1:  # the province's campaign work is issued by its Ban Tổ chức (1240-CV/BTCTU)
        return {
            "parent_name": _province_name(org),
            "issuer_name": "BAN TỔ CHỨC",
            "symbol": "BTCTU",
            "signature": sig.HEAD,
            "signer_title": "TRƯỞNG BAN",
            "committee": "Ban Tổ chức Tỉnh ủy",
            "signer_keyword": "Trưởng Ban Tổ chức",
        }
    parent = org.parent_org
    if kind == "co_quan_tham_muu":  # Văn phòng / Ban … of the Tỉnh ủy: its head signs in his own title
        short = org.name
        for suffix in (" Tỉnh ủy", " Thành ủy"):
            short = short.removesuffix(suffix)
        title = "CHÁNH VĂN PHÒNG" if short.lower().startswith("văn phòng") else "TRƯỞNG BAN"
        return {
            "parent_name": _province_name(parent) if parent else "",
            "issuer_name": short.upper(),
            "symbol": _symbol(org),
            "signature": sig.HEAD,
            "signer_title": title,
            "committee": org.name,
            "signer_keyword": "Chánh Văn phòng" if title == "CHÁNH VĂN PHÒNG" else "Trưởng Ban",
        }
    if kind == "tren_co_so":
        signature, committee = sig.TM_BTV, f"Ban Thường vụ {committee_name(org)}"
    elif org.kind.is_cell and org.cell_committee:  # the chi ủy acts between the cell's meetings
        signature, committee = sig.TM_CU, f"Chi ủy {org.name}"
    elif org.kind.is_cell:
        signature, committee = sig.TM_CB, org.name
    else:  # grassroots or partial committee: the committee signs “T/M ĐẢNG ỦY”, addressed as “Đảng ủy …”
        signature, committee = sig.TM_DU, committee_name(org)
    return {
        "parent_name": parent.name.upper() if parent else "",
        "issuer_name": committee_name(org).upper(),
        "symbol": _symbol(org),
        "signature": signature,
        "signer_title": "BÍ THƯ",
        "committee": committee,
        "signer_keyword": "Bí thư",
    }


def draft_header(org: Organization, head: dict | None = None) -> dict:
    """The fields of a draft issued at `org` that come from the organization, not from what it says: the header,
    the symbol, this year, the place (the parent's when the organization has none), the signing authority and the
    usual “Nơi nhận” — for letters and every paper (rules D5–D7). `head`: `header_for(org)`, when the caller has it."""
    head = head or header_for(org)
    parent = org.parent_org
    return {
        "issuer": org,
        "parent_name": head["parent_name"],
        "issuer_name": head["issuer_name"],
        "year": timezone.localdate().year,
        "symbol": head["symbol"],
        "place": org.place_name or (parent.place_name if parent else "") or "",
        "copies_to": "- Như trên,\n- Lưu.",
        "signature": head["signature"],
        "signer_title": head["signer_title"],
    }


def default_signer(org: Organization, head: dict) -> Person | None:
    """The leader who signs: the province board's head for the province, else the leader of the issuing body whose
    position names the signer's title, else its first leader."""
    if org.depth == 1:
        people = Person.objects.filter(org__path__startswith=org.path, org__depth=2)
    else:
        people = Person.objects.filter(org=org)
    people = people.filter(is_leader=True, active=True).order_by("full_name")
    return people.filter(position__icontains=head["signer_keyword"]).first() or (
        None if org.depth == 1 else people.first()
    )


def cited_letter(campaign: Campaign, org: Organization) -> Document | None:
    """The higher level's letter this level's cascade letter carries out: the latest one of the campaign delivered
    to its inbox, else the nearest ancestor's latest issued letter of the campaign — never one of the cycle's
    papers (a đôn đốc, a notice, a return: `Document.source` set)."""
    incoming = (
        IncomingDocument.objects.filter(
            recipient=org, document__campaign=campaign, document__source="", document__status=Document.Status.ISSUED
        )
        .exclude(document__kind=Document.Kind.BC)
        .select_related("document", "document__issuer")
        .order_by("-received_on", "-pk")
        .first()
    )
    if incoming:
        return incoming.document
    step = Organization.steplen
    ancestors = [org.path[:length] for length in range(len(org.path) - step, 0, -step)]
    for path in ancestors:
        doc = (
            Document.objects.filter(
                campaign=campaign, issuer__path=path, status=Document.Status.ISSUED, kind=Document.Kind.CV, source=""
            )
            .select_related("issuer")
            .order_by("-issued_on", "-pk")
            .first()
        )
        if doc:
            return doc
    return None


def citation(doc: Document) -> str:
    """“Công văn số 1240-CV/BTCTU, ngày 23/02/2023 của Ban Tổ chức Tỉnh ủy về việc đăng ký …”."""
    kind = str(Document.Kind(doc.kind).label)
    return (
        f"{kind} số {doc.reference}, ngày {_fmt(doc.issued_on)} của {header_for(doc.issuer)['committee']} "
        f"về việc {doc.subject}"
    )


def recipients_default(org: Organization):

    if is_excluded(org):
        return []
    children = Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1)
    return list(children.filter(in_village=False, private_enterprise=False).select_related("kind").order_by("name"))


@transaction.atomic
def draft_cascade_letter(*, actor, campaign: Campaign, org: Organization) -> Document:
    """A draft letter prefilled from the campaign, the level's cascade and the editable template."""
    state = Cascade(campaign)
    mine = state.for_subordinates(org)
    head = header_for(org)
    parent = cited_letter(campaign, org)
    subject, body, used_stored = render_letter_template(
        letter_template(),
        letter_context(campaign, head["committee"], head["issuer_name"], mine, citation(parent) if parent else ""),
    )
    recipients = recipients_default(org)
    salutation = (
        "\n".join(receiving_body(r) for r in recipients)
        if 0 < len(recipients) <= 6
        else "Cấp ủy các tổ chức đảng trực thuộc"
    )  # document text: always Vietnamese
    signer = default_signer(org, head)
    doc = Document.objects.create(
        **draft_header(org, head),
        campaign=campaign,
        kind=Document.Kind.CV,
        subject=subject,
        salutation=salutation,
        body=body,
        attachment_note=f"(Gửi kèm {campaign.guidance})" if campaign.guidance else "",  # document text, Vietnamese
        signer_name=signer.full_name if signer else "",
        cites=parent,
        created_by=actor,
    )
    doc.recipients.set(recipients)
    audit.record(
        "document.draft",
        actor=actor,
        obj=doc,
        changes={} if used_stored else {"template": "stored template refused; built-in one used"},
    )
    return doc


def _pct(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def term_bounds(org: Organization, day: dt.date) -> tuple[dt.date, dt.date | None]:
    """The first and last day of the issuing committee's term (nhiệm kỳ) on `day` (rules C8): its own
    CommitteeTerm when one covers the day, else the default — from 1 January of the latest of
    SANGTAO_TERM_START_YEARS (2020, 2025, 2030…) on or before the day, never overlapping a recorded term."""
    terms = list(CommitteeTerm.objects.filter(org=org).order_by("starts_on"))
    for term in terms:
        if term.starts_on <= day and (term.ends_on is None or day <= term.ends_on):
            later = [t.starts_on for t in terms if t.starts_on > term.starts_on]
            end = term.ends_on or (min(later) - dt.timedelta(days=1) if later else None)
            return term.starts_on, end
    years = sorted(settings.SANGTAO_TERM_START_YEARS)
    start = dt.date(max([y for y in years if y <= day.year], default=day.year), 1, 1)
    nexts = [dt.date(y, 1, 1) for y in years if y > day.year]
    end = nexts[0] - dt.timedelta(days=1) if nexts else None
    for term in terms:  # a recorded term bounds the default one
        if term.ends_on and start <= term.ends_on < day:
            start = term.ends_on + dt.timedelta(days=1)
        if day < term.starts_on and (end is None or term.starts_on <= end):
            end = term.starts_on - dt.timedelta(days=1)
    return start, end


def term_start(org: Organization, day: dt.date) -> dt.date:
    return term_bounds(org, day)[0]


@transaction.atomic
def set_term(
    *, actor, org: Organization, starts_on: dt.date, ends_on: dt.date | None = None, name: str = ""
) -> CommitteeTerm:
    """Record a committee's term (its congress dates); documents issued in it are numbered from 01."""
    if ends_on and ends_on <= starts_on:
        raise CampaignError(_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."))
    term, _created = CommitteeTerm.objects.update_or_create(
        org=org, starts_on=starts_on, defaults={"ends_on": ends_on, "name": name}
    )
    audit.record(
        "committee_term.set", actor=actor, obj=org, changes={"starts_on": starts_on, "ends_on": ends_on, "name": name}
    )
    return term


PLACEHOLDER_NAME = re.compile(r"[\s.…_\-]*")  # “…”, “...”, “___”: a name still to be written in


def _unwritten(name: str) -> bool:
    return PLACEHOLDER_NAME.fullmatch(name) is not None


def issue_problems(doc: Document) -> list[str]:
    """Why this draft cannot be issued yet (nothing when it can): the one check of `issue_document`, also listed
    on the page that previews the issue, before anything is confirmed. A biên bản is signed by its secretary on
    the left (rules D11, D21): while that name is missing or still “…” (a council of one leaves it to write in),
    it is not numbered — a BB signed “THƯ KÝ” over “…” went out in the walkthrough."""
    problems = []
    if doc.token_signing and papers.issue_step(doc) is not None:
        problems.append(_("Văn bản này gửi đi cùng hồ sơ của nó nên không chờ ký bằng USB token."))
    missing = [
        label
        for label, value in (
            (_("trích yếu"), doc.subject),
            (_("nội dung"), doc.body),
            (_("người ký"), doc.signer_name),
            (_("địa danh"), doc.place),
        )
        if not value.strip()
    ]
    if missing:
        problems.append(_("Chưa thể ban hành: còn thiếu %(m)s.") % {"m": ", ".join(missing)})
    if doc.kind == Document.Kind.BB:
        left = [line.strip() for line in doc.copies_to.splitlines() if line.strip()]
        if len(left) < 2 or _unwritten(left[-1]):
            problems.append(
                _(
                    "Ghi họ tên thư ký vào dòng cuối của ô “Người ký bên trái (thư ký)” (dưới dòng “THƯ KÝ”, thay "
                    "cho “…”) rồi lưu dự thảo: biên bản chưa có tên thư ký thì chưa ban hành được."
                )
            )
        if any(
            line.strip().startswith("Thư ký:") and _unwritten(line.strip()[len("Thư ký:") :].replace("đồng chí", ""))
            for line in doc.body.splitlines()
        ):
            problems.append(_("Ghi họ tên thư ký vào dòng “Thư ký: đồng chí …” của ô “Nội dung” rồi lưu dự thảo."))
    return problems


@transaction.atomic
def issue_document(*, actor, document: Document, on: dt.date | None = None, tell: bool = True) -> Document:
    """Ban hành: take the next number of the issuer for this kind and term, render the files, sign them with the
    issuer's certificate when it has one, and deliver the letter (`deliver`). A letter its signer signs with their
    own USB token (`token_signing`) is numbered and rendered but delivered to nobody: it waits (Chờ ký số) for the
    signed copy, which `accept_token_signature` takes and then delivers. `tell=False`: the caller tells the
    recipients in its own words, as an upward report does."""

    Organization.objects.select_for_update().filter(pk=document.issuer_id).first()
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if doc.status != Document.Status.DRAFT:
        raise CampaignError(
            _("Văn bản đã ban hành.")
            if doc.status == Document.Status.ISSUED
            else _("Văn bản đã được cấp số %(r)s và đang chờ ký số.") % {"r": doc.reference}
        )
    problems = issue_problems(doc)
    if problems:
        raise CampaignError(" ".join(problems))
    doc.issued_on = on or timezone.localdate()
    doc.year = doc.issued_on.year
    doc.term_start, term_end = term_bounds(doc.issuer, doc.issued_on)
    # By issue date, so documents issued before the term was recorded (or before numbering by term) count too.
    in_term = Q(issued_on__gte=doc.term_start) & (Q(issued_on__lte=term_end) if term_end else Q())
    issued = Document.objects.filter(in_term, issuer=doc.issuer, kind=doc.kind, number__isnull=False)
    last = issued.aggregate(n=Max("number"))["n"] or 0
    doc.number = last + 1
    if doc.token_signing:
        doc.status = Document.Status.AWAITING_SIGNATURE
        doc.save()
        render.store_files(doc)
        signatures.verify_stored(doc.pdf_file, actor=actor)  # “Chưa ký số” until the signer's copy is accepted
        _tell_awaiting(doc)
        audit.record(
            "document.await_signature",
            actor=actor,
            obj=doc,
            changes={"reference": doc.reference, "signer": doc.signer_name, "recipients": doc.recipients.count()},
        )
        return doc
    doc.status = Document.Status.ISSUED
    doc.issued_at = timezone.now()
    doc.save()
    render.store_files(doc)
    signatures.sign_stored_pdf(doc.pdf_file, organization=doc.issuer, actor=actor)  # chữ ký số (issue 20)
    deliver(doc, on=doc.issued_on, tell=tell)
    audit.record(
        "document.issue",
        actor=actor,
        obj=doc,
        changes={"reference": doc.reference, "recipients": doc.recipients.count()},
    )
    return doc


def _tell_awaiting(doc: Document) -> None:
    """The issuer's officers: a letter waits for its signer's token signature (the page to upload it)."""
    notify(
        "document.awaiting_signature",
        recipients=acting_users(doc.issuer),
        key=f"doc{doc.pk}",
        url=reverse("campaigns:document", kwargs={"pk": doc.pk}),
        context={
            "document": f"{doc.reference} ({doc.subject})",
            "signer": doc.signer_name,
            "count": doc.recipients.count(),
        },
    )


def deliver(doc: Document, *, on: dt.date, tell: bool = True) -> None:
    """Put an issued document in every recipient's inbox, received `on` that day with the recipient's next
    incoming number of that year (under a row lock on the recipient), and tell its officers — the one way a
    document goes out, whether issued at once or after its signer's token signature."""
    for org in doc.recipients.all().order_by("pk"):
        Organization.objects.select_for_update().filter(pk=org.pk).first()
        n = IncomingDocument.objects.filter(recipient=org, year=on.year).aggregate(n=Max("number"))["n"] or 0
        IncomingDocument.objects.create(document=doc, recipient=org, year=on.year, number=n + 1, received_on=on)
        if tell:
            notify(
                "letter.received",
                recipients=acting_users(org),
                key=f"doc{doc.pk}",
                url=reverse("campaigns:inbox"),
                context={"document": f"{doc.reference} ({doc.subject})", "sender": doc.issuer.name, "org": org.name},
            )


@transaction.atomic
def accept_token_signature(*, actor, document: Document, signed: bytes) -> Document:
    """The copy of a letter waiting for its signer (Chờ ký số), signed with the signer's USB token: accepted only
    when it covers exactly the bytes rendered at numbering and its signature is valid, trusted and the named
    signer's (`signatures.domain.accept_personal_signature`); then the letter is issued and delivered as any
    other. A refused copy changes nothing: the letter still waits, and the reason is raised."""

    doc = Document.objects.select_for_update().select_related("issuer").get(pk=document.pk)
    if doc.status != Document.Status.AWAITING_SIGNATURE:
        raise CampaignError(_("Văn bản không ở trạng thái chờ ký số."))
    try:
        record = signatures.accept_personal_signature(
            actor=actor, field_file=doc.pdf_file, signed=signed, signer_name=doc.signer_name
        )
    except SigningError as exc:
        raise CampaignError(str(exc)) from None
    doc.status = Document.Status.ISSUED
    doc.issued_at = timezone.now()
    doc.save(update_fields=["status", "issued_at"])
    deliver(doc, on=timezone.localdate())  # received when it goes out, not on the date printed at numbering
    audit.record(
        "document.issue",
        actor=actor,
        obj=doc,
        changes={"reference": doc.reference, "recipients": doc.recipients.count(), "signed_by": record.signer},
    )
    return doc


@transaction.atomic
def back_to_draft(*, actor, document: Document) -> Document:
    """A letter waiting for its signer's token signature taken back to a draft (the signer is away, the text must
    change): nothing went out under its number, so the number is released and its files dropped; issued again, it
    takes the next number then (rules D19)."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if doc.status != Document.Status.AWAITING_SIGNATURE:
        raise CampaignError(_("Chỉ văn bản đang chờ ký số mới trở lại dự thảo được."))
    reference = doc.reference
    for stored in (doc.pdf_file, doc.docx_file):
        if stored:
            stored.delete(save=False)
    doc.status, doc.number, doc.issued_on, doc.term_start = Document.Status.DRAFT, None, None, None
    doc.save()
    audit.record("document.back_to_draft", actor=actor, obj=doc, changes={"reference": reference})
    return doc


@transaction.atomic
def acknowledge(*, actor, incoming: IncomingDocument) -> IncomingDocument:
    incoming = IncomingDocument.objects.select_for_update().get(pk=incoming.pk)
    if incoming.acknowledged_at is None:
        incoming.acknowledged_at = timezone.now()
        incoming.acknowledged_by = actor
        incoming.save()
        audit.record(
            "document.acknowledge",
            actor=actor,
            object_type="campaigns.incomingdocument",
            object_id=str(incoming.pk),
            object_repr=f"{incoming.document.reference} → {incoming.recipient}",
        )
    return incoming
