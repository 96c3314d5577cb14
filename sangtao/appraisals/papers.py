"""The appraisal's papers (issue 17; docs/rules.md D10–D12), each drawn from the app's data as a draft Document:
- the biên bản họp thẩm định (BB) of an appraisal: time, place, who sat, each criterion's council score with the
  sheets' marks and the agreed reasons, total and class, signed by the chair and the secretary;
- the phiếu chấm điểm (PCĐ) of each council member: his criteria, maximum, score and justification, total, class;
- the thông báo kết quả thẩm định (TB) of a level: only published results (rules P11), to the units concerned.
The office of the appraising level (its officers and admins) makes them; nobody who is appraised ever does."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangtao.campaigns import papers
from sangtao.campaigns.domain import committee_name, header_for
from sangtao.campaigns.models import Campaign, Document
from sangtao.orgs.models import Organization, Person, Role
from sangtao.orgs.rules import scopes
from sangtao.registrations.models import Registration

from . import domain, scoring
from .models import Appraisal, ScoreSheet
from .rules import can_see_result, visible_results_q

OFFICE_ROLES = {Role.OFFICER, Role.ADMIN}


def person_name(user) -> str:
    """A council member's name as it is signed: his party record's, else his account's."""
    if user is None:
        return ""
    person = Person.objects.filter(user_id=user.pk).only("full_name").first()
    return person.full_name if person else (user.get_full_name() or user.username)


def _fmt(value: Decimal | None) -> str:
    return scoring.fmt(value) if value is not None else "—"


def can_make_for(user, ap: Appraisal) -> bool:
    """The appraising level's office, once the council has concluded, and only who may see the result (P11)."""
    return (
        ap.state != Appraisal.State.SCORING
        and can_see_result(user, ap)
        and any(s.role in OFFICE_ROLES and s.org_id == ap.appraising_org_id for s in scopes(user))
    )


def may_read_paper(user, source: str) -> bool:
    """A council's paper (“appraisal:<pk>:…”) is read only by who may see that appraisal's result (rules P11)."""
    pk = source.split(":")[1]
    ap = (
        Appraisal.objects.select_related(
            "registration", "registration__subject_org", "registration__person", "appraising_org"
        )
        .filter(pk=pk)
        .first()
    )
    return ap is not None and can_see_result(user, ap)


def _check(user, ap: Appraisal):
    if not can_make_for(user, ap):
        raise PermissionDenied


def minutes_source(ap: Appraisal) -> str:
    return f"appraisal:{ap.pk}:bb"


def sheet_source(sheet: ScoreSheet) -> str:
    return f"appraisal:{sheet.appraisal_id}:sheet:{sheet.pk}"


def notice_source(campaign: Campaign, org: Organization) -> str:
    return f"results:{campaign.pk}:{org.pk}:tb"


def draft_minutes(*, actor, appraisal: Appraisal) -> Document:
    """Biên bản họp thẩm định of one model (BB)."""
    ap = appraisal
    _check(actor, ap)
    reg = ap.registration
    rules = ap.rubric.rules
    p = domain.preview(ap)
    members = list(ap.members.order_by("username"))
    chair = person_name(ap.chair)
    secretary = next((person_name(m) for m in members if m.pk != ap.chair_id), "")
    when = timezone.localtime(ap.signed_at) if ap.signed_at else None
    total = ap.total if ap.total is not None else p.total
    klass = ap.classification or p.classification
    lines = [
        f"Thời gian: {when:%H} giờ {when:%M}, ngày {when:%d/%m/%Y}." if when else "Thời gian: …",
        f"Địa điểm: trụ sở {committee_name(ap.appraising_org)}.",
        "I. THÀNH PHẦN",
        f"Chủ trì: đồng chí {chair}.",
        f"Thành viên Hội đồng có mặt: {len(members)}/{len(members)} đồng chí: "
        + ", ".join(person_name(m) for m in members)
        + ".",
        f"Thư ký: đồng chí {secretary or '…'}.",
        "II. NỘI DUNG",
        (
            f"Hội đồng thẩm định mô hình “{reg.title}” của {reg.subject_name}, theo bộ tiêu chí {rules_name(ap)}. "
            f"Mỗi thành viên chấm độc lập trên phiếu chấm điểm; điểm của Hội đồng theo từng tiêu chí là trung bình các "
            f"phiếu, làm tròn theo bước {scoring.fmt(rules.step)} điểm, hoặc điểm Hội đồng thống nhất có ghi lý do."
        ),
        "Kết quả chấm theo từng tiêu chí:",
        "[BẢNG]",
    ]
    for row in p.rows:
        agreed = row["consensus"]
        if agreed:
            lines.append(
                f"Ý kiến thống nhất về tiêu chí “{row['criterion'].label}”: "
                f"{scoring.fmt(Decimal(agreed['score']))} điểm — {agreed['reason']}"
            )
    lines += [
        "III. KẾT LUẬN",
        (
            f"Mô hình “{reg.title}” đạt tổng {_fmt(total)}/{scoring.fmt(rules.cap)} điểm, xếp loại {klass}. "
            f"Các thành viên Hội đồng thống nhất với kết quả trên."
        ),
        "Biên bản kết thúc cùng ngày, đã đọc lại cho các thành viên Hội đồng cùng nghe và thống nhất ký tên.",
    ]
    table = {
        "inline": True,
        "columns": ["STT", "Tiêu chí", "Điểm các phiếu", "Điểm tối đa", "Điểm Hội đồng"],
        "rows": [
            [
                str(i),
                row["criterion"].label,
                "; ".join(_fmt(mark) for _sheet, mark in row["marks"]),
                scoring.fmt(row["criterion"].max),
                _fmt(row["final"]),
            ]
            for i, row in enumerate(p.rows, start=1)
        ],
    }
    table["rows"].append(["", "Tổng cộng", "", scoring.fmt(rules.cap), _fmt(total)])
    return papers.draft_paper(
        actor=actor,
        campaign=reg.campaign,
        org=ap.appraising_org,
        kind=Document.Kind.BB,
        source=minutes_source(ap),
        subject=f"Họp Hội đồng thẩm định mô hình “{reg.title}”",
        body="\n".join(lines),
        annex=table,
        copies_to=f"THƯ KÝ\n{secretary}",
        signature=Document.Signature.HEAD,
        signer_title="CHỦ TRÌ",
        signer_name=chair,
    )


def rules_name(ap: Appraisal) -> str:
    rubric = ap.rubric
    return f"{rubric.name} ({rubric.source})" if rubric.source else rubric.name


def draft_score_sheet(*, actor, sheet: ScoreSheet) -> Document:
    """Phiếu chấm điểm of one council member (PCĐ): as he submitted it."""
    ap = sheet.appraisal
    _check(actor, ap)
    if sheet.submitted_at is None:
        raise PermissionDenied
    reg = ap.registration
    rules = ap.rubric.rules
    marks = domain.sheet_scores(sheet)
    total = scoring.model_total(marks, rules) if len(marks) == len(rules.criteria) else None
    member = person_name(sheet.appraiser)
    lines = [
        f"Họ và tên thành viên Hội đồng: {member}.",
        f"Mô hình: “{reg.title}” của {reg.subject_name}.",
        f"Bộ tiêu chí: {rules_name(ap)}.",
        "[BẢNG]",
        (
            f"Tổng điểm: {_fmt(total)}/{scoring.fmt(rules.cap)} điểm; xếp loại: "
            f"{scoring.classify(total, rules) if total is not None else '—'}."
        ),
        f"Ngày chấm: {timezone.localtime(sheet.submitted_at):%d/%m/%Y}.",
    ]
    rows = [
        [str(i), c.label, (sheet.scores.get(c.code) or {}).get("note", ""), scoring.fmt(c.max), _fmt(marks.get(c.code))]
        for i, c in enumerate(rules.criteria, start=1)
    ]
    rows.append(["", "Tổng cộng", "", scoring.fmt(rules.cap), _fmt(total)])
    table = {
        "inline": True,
        "columns": ["STT", "Tiêu chí", "Lý do chấm điểm", "Điểm tối đa", "Điểm chấm"],
        "rows": rows,
    }
    return papers.draft_paper(
        actor=actor,
        campaign=reg.campaign,
        org=ap.appraising_org,
        kind=Document.Kind.PCD,
        source=sheet_source(sheet),
        subject=f"Thẩm định mô hình “{reg.title}”",
        body="\n".join(lines),
        annex=table,
        copies_to="- Lưu Hội đồng.",
        signature=Document.Signature.HEAD,
        signer_title="NGƯỜI CHẤM",
        signer_name=member,
    )


def detail_papers(user, ap: Appraisal) -> dict | None:
    """What the appraisal page offers the level's office: the minutes and each submitted sheet, with the papers
    already drawn (None: nothing for this user)."""
    if not can_make_for(user, ap):
        return None
    sheets = [s for s in ap.sheets.select_related("appraiser").order_by("appraiser__username") if s.submitted_at]
    return {
        "sheets": [(s, person_name(s.appraiser)) for s in sheets],
        "documents": list(papers.papers_of(f"appraisal:{ap.pk}:")),
    }


# --- Thông báo kết quả thẩm định ---------------------------------------------------------------------------


def published_rows(user, campaign: Campaign, org: Organization) -> list[domain.SubjectRow]:
    """The level's results as released: only published appraisals the user may see (rules P11), never one
    still waiting for publication."""
    regs = Registration.objects.filter(campaign=campaign, receiving_org=org)
    rows = domain.subject_rows(
        campaign,
        regs,
        appraisals=visible_results_q(user) & Q(state=Appraisal.State.PUBLISHED),
        individuals=lambda ia: ia.published_at is not None and ia.appraising_org_id == org.pk,
    )
    return [r for r in rows if r.published and r.final is not None and r.appraising_org == org]


def can_notify(user, org: Organization) -> bool:
    return user.has_perm("appraisals.publish", org)


def notice_levels(user, rows) -> list[Organization]:
    """The levels on the results page whose published results the user may put in a TB."""
    levels = {r.appraising_org for r in rows if r.appraising_org is not None and r.published and not r.hidden}
    return sorted((o for o in levels if can_notify(user, o)), key=lambda o: o.path)


def draft_notice(*, actor, campaign: Campaign, org: Organization) -> Document:
    """Thông báo kết quả thẩm định of a level (TB), from its published results only."""
    if not can_notify(actor, org):
        raise PermissionDenied
    rows = published_rows(actor, campaign, org)
    if not rows:
        raise domain.AppraisalError(_("Chưa có kết quả thẩm định nào đã công bố để thông báo."))
    committee = header_for(org)["committee"]
    counts: dict[str, int] = {}
    table_rows = []
    for i, row in enumerate(rows, start=1):
        titles = "; ".join(f"“{reg.title}”" for reg, ap in row.models if ap is not None) or (
            row.unregistered.get_basis_display() if row.unregistered else ""
        )
        table_rows.append(
            [
                str(i),
                row.name if row.person is None else f"{row.name} ({row.org.name})",
                titles,
                scoring.fmt(row.final),
                row.classification,
            ]
        )
        counts[row.classification] = counts.get(row.classification, 0) + 1
    summary = "; ".join(f"{label}: {n}" for label, n in counts.items())
    year = campaign.year
    body = [
        *([f"Căn cứ {campaign.guidance};"] if campaign.guidance else []),
        (
            f"Căn cứ kết quả thẩm định của Hội đồng thẩm định, {committee} thông báo kết quả thẩm định mô hình mới, "
            f"cách làm sáng tạo năm {year} như sau:"
        ),
        "[BẢNG]",
        f"Tổng số: {len(rows)} chủ thể được thẩm định ({summary}).",
        (
            "Đề nghị cấp ủy các tổ chức đảng có mô hình được thẩm định tiếp tục duy trì, nhân rộng mô hình, cách làm "
            "có hiệu quả; các chủ thể chưa đạt yêu cầu khắc phục hạn chế theo ý kiến của Hội đồng thẩm định."
        ),
    ]
    orgs = list(dict.fromkeys(r.org for r in rows))
    table = {"inline": True, "columns": ["STT", "Chủ thể", "Tên mô hình", "Điểm", "Xếp loại"], "rows": table_rows}
    return papers.draft_paper(
        actor=actor,
        campaign=campaign,
        org=org,
        kind=Document.Kind.TB,
        source=notice_source(campaign, org),
        subject=f"Kết quả thẩm định mô hình mới, cách làm sáng tạo năm {year}",
        body="\n".join(body),
        salutation=papers.salutation_for(orgs),
        recipients=orgs,
        annex=table,
    )
