"""A unit's results report as a party paper (issue 17; docs/rules.md D13–D14):
- the báo cáo kết quả thực hiện mô hình (BC) the unit sends to the level that received its model: the outline's
  sections as bold Roman-numbered headings, the indicators table (target, achieved, % of target, explanation),
  the list of evidence files;
- the written notice returning a report (công văn trả lại) with its reason, from the receiving level to the unit.
Both are drafts in the document editor, issued with their number; a returned report's notice is delivered to the
unit's inbox and linked from the report page."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied

from sangtao.campaigns import papers
from sangtao.campaigns.domain import header_for, receiving_body
from sangtao.campaigns.models import Document
from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.orgs.rules import scopes
from sangtao.registrations import papers as reg_papers

from . import domain
from .models import ReportState, ResultsReport

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def number(value) -> str:
    """85.50 → “85,5”, 52000 → “52.000” (document text)."""
    if value is None:
        return "—"
    value = Decimal(value).normalize()
    whole, _dot, frac = f"{value:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = ".".join(digits[max(i - 3, 0) : i] for i in range(len(digits), 0, -3)[::-1])
    return f"{sign}{grouped}" + (f",{frac}" if frac else "")


def report_source(rep: ResultsReport) -> str:
    return f"report:{rep.pk}:bc:{rep.version}"


def can_make_report(user, rep: ResultsReport) -> bool:
    """The unit's office puts its report on paper: who acts for the unit (its officers, or a committee above it
    that writes for a cell) — never the receiving level, which reviews the report and does not send it to itself."""
    reg = rep.registration
    unit_side = any(
        s.role in ACTING_ROLES
        and reg.subject_org.path.startswith(s.path)
        and not reg.receiving_org.path.startswith(s.path)
        for s in scopes(user)
    )
    return unit_side and user.has_perm("reports.write", rep)


def draft_report(*, actor, report: ResultsReport) -> Document:
    rep = report
    if not can_make_report(actor, rep):
        raise PermissionDenied
    reg = rep.registration
    unit = reg.subject_org
    outline = domain.outline_for(reg.campaign).sections
    committee = header_for(unit)["committee"]
    lines = [
        (
            f"Thực hiện {reg.campaign.guidance}, {committee} báo cáo kết quả thực hiện mô hình “{reg.title}”"
            f"{f' của đồng chí {reg.person.full_name}' if reg.person_id else ''} năm {reg.campaign.year} như sau:"
        )
    ]
    n = 0
    for section in outline:
        text = (rep.sections.get(section["key"]) or "").strip()
        if not text:
            continue
        lines.append(f"{ROMAN[n]}. {section['title'].upper()}")
        lines.extend(line for line in text.splitlines() if line.strip())
        n += 1
    rows = domain.rows(rep)
    lines += [f"{ROMAN[n]}. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÃ ĐĂNG KÝ", "[BẢNG]"]
    evidence = list(rep.evidence.order_by("claim", "uploaded_at", "pk"))
    lines.append(f"{ROMAN[n + 1]}. MINH CHỨNG KÈM THEO")
    lines += [
        f"{i}. {ev.description or ev.original_name} (tệp {ev.original_name})." for i, ev in enumerate(evidence, start=1)
    ] or ["Không có minh chứng kèm theo."]
    lines.append(f"Trên đây là báo cáo kết quả thực hiện mô hình “{reg.title}” của {committee}.")
    table = {
        "inline": True,
        "columns": ["STT", "Chỉ tiêu", "Giải trình, nguồn số liệu", "Đạt được / mục tiêu", "Tỷ lệ so với mục tiêu"],
        "rows": [
            [
                str(i),
                f"{row.indicator.name} ({row.indicator.unit})",
                row.result.note,
                f"{number(row.result.achieved)} / {number(row.indicator.target)}",
                f"{number(row.percent)}%" if row.percent is not None else "—",
            ]
            for i, row in enumerate(rows, start=1)
        ],
    }
    return papers.draft_paper(
        actor=actor,
        campaign=reg.campaign,
        org=unit,
        kind=Document.Kind.BC,
        source=report_source(rep),
        subject=f"Kết quả thực hiện mô hình “{reg.title}” năm {reg.campaign.year}",
        body="\n".join(lines),
        salutation=receiving_body(reg.receiving_org),
        recipients=[reg.receiving_org],
        annex=table,
    )


# --- Returning a report in writing (the notice itself: registrations.papers) ------------------------------------


def draft_report_return(*, actor, report: ResultsReport) -> Document:
    rep = report
    if rep.state != ReportState.RETURNED or not rep.return_reason:
        raise PermissionDenied
    version = rep.versions.filter(action="return").order_by("-number").first()
    return reg_papers.draft_return_notice(
        actor=actor,
        registration=rep.registration,
        what="báo cáo kết quả thực hiện",
        reason=rep.return_reason,
        source=reg_papers.return_source("report", rep.pk, version.number if version else rep.version),
        returned_at=version.created_at if version else None,
    )


def report_papers(user, rep: ResultsReport) -> dict:
    """What the report page offers: the unit's paper, the receiving level's return notice, and the papers of this
    report the user may open (the unit sees a return notice once issued: it is in its inbox)."""
    docs = [
        d
        for d in papers.papers_of(f"report:{rep.pk}:")
        if user.has_perm("campaigns.act_for", d.issuer)
        or (d.status == Document.Status.ISSUED and user.has_perm("campaigns.read_level", rep.registration.subject_org))
    ]
    return {
        "can_report": can_make_report(user, rep),
        "can_return": rep.state == ReportState.RETURNED and reg_papers.can_make_return(user, rep.registration),
        "documents": docs,
    }
