"""The appraisal's papers (issue 17; docs/rules.md D10–D12), each drawn from the app's data as a draft Document:
- the biên bản họp thẩm định (BB) of an appraisal: time, place, who sat, each criterion's council score with the
  sheets' marks and the agreed reasons, total and class, signed by the chair and the secretary;
- the phiếu chấm điểm (PCĐ) of each council member: his criteria, maximum, score and justification, total, class;
- the thông báo kết quả thẩm định (TB) of a level: only published results (rules P11), to the units concerned.
The office of the appraising level (its officers and admins) makes them; nobody who is appraised ever does."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
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
    return ap.state != Appraisal.State.SCORING and can_see_result(user, ap) and is_office(user, ap.appraising_org_id)


def may_read_paper(user, source: str) -> bool:
    """A council's paper (“appraisal:<pk>:…”, or a session's “appraisal:session:…” over several appraisals) is read
    only by who may see the result of every appraisal in it (rules P11) — `readable_papers` for one source."""
    return source in readable_papers(user, [source])


def readable_papers(user, sources) -> set[str]:
    """The council papers among `sources` that `user` may read — who may see the result of every appraisal in it
    (`can_see_result`) — in two queries however many: the appraisals the sessions cover, and every appraisal
    concerned. A source naming no appraisal is read by nobody."""
    sources = set(sources)
    sessions = {s for s in sources if s.startswith(SESSION)}
    covered: dict[str, set[int]] = {}
    if sessions:  # as `session_appraisals`: the table of the first paper from that source
        for source, annex in Document.objects.filter(source__in=sessions).order_by("pk").values_list("source", "annex"):
            covered.setdefault(source, {int(pk) for pk in (annex or {}).get("appraisals", [])})
    for source in sources - sessions:
        pk = source.split(":")[1] if source.count(":") else ""
        covered[source] = {int(pk)} if pk.isdigit() else set()
    wanted = set().union(*covered.values())
    aps = Appraisal.objects.select_related(
        "registration", "registration__subject_org", "registration__person", "appraising_org"
    ).filter(pk__in=wanted)
    seen = {ap.pk for ap in aps if can_see_result(user, ap)} if wanted else set()
    return {source for source, pks in covered.items() if pks and pks <= seen}


def _check(user, ap: Appraisal):
    if not can_make_for(user, ap):
        raise PermissionDenied


def minutes_source(ap: Appraisal) -> str:
    return f"appraisal:{ap.pk}:bb"


def sheet_source(sheet: ScoreSheet) -> str:
    return f"appraisal:{sheet.appraisal_id}:sheet:{sheet.pk}"


def notice_source(campaign: Campaign, org: Organization) -> str:
    return f"results:{campaign.pk}:{org.pk}:tb"


def secretary_block(secretary: str) -> str:
    """The left signature block of a council's biên bản (rules D10): the title, then the name — a council of one
    has no other member to take the minutes, so the name is left “…” for the office to write in, never dropped
    (the block's last line is read as the name)."""
    return f"THƯ KÝ\n{secretary or '…'}"


def _composition(aps: list[Appraisal]) -> tuple[str, str, list[str]]:
    """Who sat (chair, secretary and the “I. THÀNH PHẦN” lines): the council of these appraisals — its chair (the
    one who chaired most of them), every member, the first other member as secretary."""
    chairs = Counter(ap.chair_id for ap in aps)
    chair_user = next(ap.chair for ap in aps if ap.chair_id == chairs.most_common(1)[0][0])
    members = sorted({m for ap in aps for m in ap.members.all()}, key=lambda m: m.username)
    chair = person_name(chair_user)
    secretary = next((person_name(m) for m in members if m.pk != chair_user.pk), "")
    return (
        chair,
        secretary,
        [
            "I. THÀNH PHẦN",
            f"Chủ trì: đồng chí {chair}.",
            f"Thành viên Hội đồng có mặt: {len(members)}/{len(members)} đồng chí: "
            + ", ".join(person_name(m) for m in members)
            + ".",
            f"Thư ký: đồng chí {secretary or '…'}.",
        ],
    )


def draft_minutes(*, actor, appraisal: Appraisal) -> Document:
    """Biên bản họp thẩm định of one model (BB)."""
    ap = appraisal
    _check(actor, ap)
    reg = ap.registration
    rules = ap.rubric.rules
    p = domain.preview(ap)
    chair, secretary, composition = _composition([ap])
    when = timezone.localtime(ap.signed_at) if ap.signed_at else None
    total = ap.total if ap.total is not None else p.total
    klass = ap.classification or p.classification
    lines = [
        f"Thời gian: {when:%H} giờ {when:%M}, ngày {when:%d/%m/%Y}." if when else "Thời gian: …",
        f"Địa điểm: trụ sở {committee_name(ap.appraising_org)}.",
        *composition,
        "II. NỘI DUNG",
        (
            f"Hội đồng thẩm định mô hình “{reg.title}” của {reg.subject_name}, theo {rules_cited([ap])}. "
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
        MINUTES_END,
    ]
    rows = [
        [
            str(i),
            row["criterion"].label,
            "; ".join(_fmt(mark) for _sheet, mark in row["marks"]),
            scoring.fmt(row["criterion"].max),
            _fmt(row["final"]),
        ]
        for i, row in enumerate(p.rows, start=1)
    ]
    return _criteria_paper(actor, ap, minutes_source(ap), lines, (rows, total), (secretary_block(secretary), chair))


def _council_paper(actor, campaign, org, kind, *, lines, table, left, signer, **paper) -> Document:
    """A council's paper (biên bản, phiếu chấm) as a draft: its table in the body, signed by the head of the
    council's act (`signer`: title and name) — for a biên bản the secretary too, on the left (rules D11);
    `paper`: its source and subject."""
    return papers.draft_paper(
        actor=actor,
        campaign=campaign,
        org=org,
        kind=kind,
        body="\n".join(lines),
        annex=table,
        copies_to=left,
        signature=Document.Signature.HEAD,
        signer_title=signer[0],
        signer_name=signer[1],
        **paper,
    )


CRITERIA_PAPERS = {  # a paper of one appraisal, by its source's last part: kind, subject, table's columns, signer
    "bb": (
        Document.Kind.BB,
        "Họp Hội đồng thẩm định mô hình “{title}”",
        ["STT", "Tiêu chí", "Điểm các phiếu", "Điểm tối đa", "Điểm Hội đồng"],
        "CHỦ TRÌ",
    ),
    "sheet": (
        Document.Kind.PCD,
        "Thẩm định mô hình “{title}”",
        ["STT", "Tiêu chí", "Lý do chấm điểm", "Điểm tối đa", "Điểm chấm"],
        "NGƯỜI CHẤM",
    ),
}


def _criteria_paper(actor, ap: Appraisal, source: str, lines: list[str], table: tuple, signed: tuple) -> Document:
    """A paper of one appraisal (`CRITERIA_PAPERS`, by `source`) whose table lists its criteria — `table`: one row a
    criterion and the total, closed by the total row against the rubric's maximum; `signed`: the left block and
    the signer's name."""
    kind, subject, columns, title = CRITERIA_PAPERS[source.split(":")[2]]
    rows, total = table
    rows = [*rows, ["", "Tổng cộng", "", scoring.fmt(ap.rubric.rules.cap), _fmt(total)]]
    return _council_paper(
        actor,
        ap.registration.campaign,
        ap.appraising_org,
        kind,
        source=source,
        subject=subject.format(title=ap.registration.title),
        lines=lines,
        table=_table(columns, rows),
        left=signed[0],
        signer=(title, signed[1]),
    )


MINUTES_END = "Biên bản kết thúc cùng ngày, đã đọc lại cho các thành viên Hội đồng cùng nghe và thống nhất ký tên."


def _table(columns: list[str], rows: list[list[str]], **kept) -> dict:
    """A paper's table, standing in its body where the text says [BẢNG] (rules D11); `kept`: what the paper
    keeps with it (a session's appraisals)."""
    return {"inline": True, "columns": columns, "rows": rows, **kept}


def rules_name(ap: Appraisal) -> str:
    rubric = ap.rubric
    return f"{rubric.name} ({rubric.source})" if rubric.source else rubric.name


def rules_cited(aps: list[Appraisal]) -> str:
    """What follows “theo” in a biên bản: the rubrics these appraisals were scored by, each name quoted with its
    source — preceded by “bộ tiêu chí” only when a name does not already say it (the default rubrics are named
    “Tiêu chí thẩm định …”: “theo bộ tiêu chí Tiêu chí thẩm định …” read twice, walkthrough)."""
    rubrics = list(dict.fromkeys(ap.rubric for ap in aps))
    cited = "; ".join(f"“{r.name}”" + (f" ({r.source})" if r.source else "") for r in rubrics)
    named = all(r.name.strip().lower().startswith(("tiêu chí", "bộ tiêu chí")) for r in rubrics)
    return cited if named else f"bộ tiêu chí {cited}"


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
    return _criteria_paper(actor, ap, sheet_source(sheet), lines, (rows, total), ("- Lưu Hội đồng.", member))


def detail_papers(user, ap: Appraisal) -> dict | None:
    """What the appraisal page offers the level's office: the minutes and each submitted sheet, with the papers
    already drawn (None: nothing for this user)."""
    if not can_make_for(user, ap):
        return None
    sheets = [s for s in ap.sheets.select_related("appraiser").order_by("appraiser__username") if s.submitted_at]
    return {
        "sheets": [(s, person_name(s.appraiser)) for s in sheets],
        "documents": [
            *papers.papers_of(f"appraisal:{ap.pk}:"),
            *(d for d in session_papers(ap.appraising_org_id) if ap.pk in d.annex.get("appraisals", [])),
        ],
    }


# --- Biên bản họp Hội đồng thẩm định của cả phiên ------------------------------------------------------------

SESSION = "appraisal:session:"  # the source of a session's minutes; its table keeps the appraisals it covers


def session_source(org: Organization, day: dt.date, aps) -> str:
    """“appraisal:session:<level>:<yyyymmdd>:<digest of its appraisals>”: one draft per meeting and set of models
    (choosing the same models again reopens it)."""
    digest = hashlib.sha256(",".join(str(pk) for pk in sorted(ap.pk for ap in aps)).encode()).hexdigest()[:10]
    return f"{SESSION}{org.pk}:{day:%Y%m%d}:{digest}"


def session_appraisals(source: str) -> list[int]:
    """The appraisals a session's minutes cover (kept in its table as `appraisals`)."""
    annex = Document.objects.filter(source=source).values_list("annex", flat=True).first() or {}
    return [int(pk) for pk in annex.get("appraisals", [])]


def session_papers(org_id: int):
    """The minutes of the level's sessions (draft or issued), newest first."""
    return papers.papers_of(f"{SESSION}{org_id}:")


def in_sessions(org: Organization) -> set[int]:
    """The level's appraisals already in a session's minutes (draft or issued)."""
    annexes = session_papers(org.pk).values_list("annex", flat=True)
    return {int(pk) for annex in annexes for pk in (annex or {}).get("appraisals", [])}


def is_office(user, org_id: int) -> bool:
    """The level's office (its officers and admins): who draws the council's papers."""
    return any(s.role in OFFICE_ROLES and s.org_id == org_id for s in scopes(user))


SESSION_SHOWN = 200  # the session form lists this many of the level's latest sign-offs


def session_candidates(user, campaign: Campaign, org: Organization) -> list[Appraisal]:
    """The level's appraisals the council has signed off in the campaign (newest first) that the office may put in
    a session's minutes."""
    aps = (
        Appraisal.objects.filter(registration__campaign=campaign, appraising_org=org, signed_at__isnull=False)
        .exclude(state=Appraisal.State.SCORING)
        .select_related(
            "registration", "registration__subject_org", "registration__person", "appraising_org", "chair", "rubric"
        )
        .prefetch_related("members")
        .order_by("-signed_at", "-pk")[:SESSION_SHOWN]
    )
    return [ap for ap in aps if can_make_for(user, ap)]


def signed_on(ap: Appraisal) -> dt.date:
    return timezone.localtime(ap.signed_at).date()


def session_defaults(candidates: list[Appraisal], done: set[int], day: dt.date | None) -> tuple[dt.date, list]:
    """The meeting's day (given, else the latest sign-off not yet in a session's minutes, else today) and the
    appraisals ticked by default: those signed off that day and in no session's minutes yet."""
    fresh = [ap for ap in candidates if ap.pk not in done]
    day = day or (signed_on(fresh[0]) if fresh else timezone.localdate())
    return day, [ap for ap in fresh if signed_on(ap) == day]


def _model_cell(ap: Appraisal) -> str:
    """“Title” — its subject (a person's unit), and the re-appraisal's number."""
    reg = ap.registration
    return (
        f"“{reg.title}” — {reg.subject_name}"
        + (f" ({reg.subject_org.name})" if reg.person_id else "")
        + (f", phúc tra lần {ap.number}" if ap.number > 1 else "")
    )


def _votes(ap: Appraisal) -> str:
    """The council's sheets for the minutes: “2/2 phiếu: 7,5; 8” and the agreed scores with their reasons."""
    rules = ap.rubric.rules
    sheets = [s for s in ap.sheets.order_by("appraiser__username") if s.submitted_at]
    totals = []
    for sheet in sheets:
        marks = domain.sheet_scores(sheet)
        totals.append(_fmt(scoring.model_total(marks, rules) if len(marks) == len(rules.criteria) else None))
    labels = {c.code: c.label for c in rules.criteria}
    agreed = [
        f"thống nhất “{labels.get(code, code)}”: {scoring.fmt(Decimal(v['score']))} điểm — {v['reason']}"
        for code, v in (ap.consensus or {}).items()
    ]
    members = len(ap.members.all())
    return "; ".join([f"{len(sheets)}/{members} phiếu: " + "; ".join(totals), *agreed])


def draft_session_minutes(*, actor, campaign: Campaign, org: Organization, appraisals, day: dt.date) -> Document:
    """Biên bản họp Hội đồng thẩm định of a meeting that appraised several models at once (BB): when and where,
    who sat, each model with its unit, points, class and the council's votes and agreed scores, the conclusion;
    signed by the chair and the secretary. Read only by who may see every result in it (rules D12)."""
    if not is_office(actor, org.pk):
        raise PermissionDenied
    aps = sorted(appraisals, key=lambda ap: (ap.signed_at, ap.pk))
    if not aps:
        raise domain.AppraisalError(_("Chọn ít nhất một mô hình Hội đồng đã ký duyệt."))
    for ap in aps:
        if ap.appraising_org_id != org.pk or ap.registration.campaign_id != campaign.pk:
            raise domain.AppraisalError(
                _("“%(t)s” không do %(o)s thẩm định trong đợt này.") % {"t": ap.registration.title, "o": org.name}
            )
        _check(actor, ap)
    chair, secretary, composition = _composition(aps)
    times = sorted(timezone.localtime(ap.signed_at) for ap in aps if signed_on(ap) == day)
    span = [f"{t:%H} giờ {t:%M}" for t in (times[:1] + times[-1:] if times else [])]
    when = f"Thời gian: ngày {day:%d/%m/%Y}" + (
        f" (Hội đồng ký duyệt kết quả từ {span[0]} đến {span[1]})"
        if span and span[0] != span[1]
        else f" (Hội đồng ký duyệt kết quả lúc {span[0]})"
        if span
        else ""
    )
    classes = Counter(ap.classification or "Chưa xếp loại" for ap in aps)
    lines = [
        when + ".",
        f"Địa điểm: trụ sở {committee_name(org)}.",
        *composition,
        "II. NỘI DUNG",
        (
            f"Hội đồng thẩm định của {header_for(org)['committee']} họp thẩm định {len(aps)} mô hình mới, cách làm "
            f"sáng tạo năm {campaign.year}, theo {rules_cited(aps)}. Mỗi thành viên chấm độc lập trên phiếu chấm "
            f"điểm; điểm của Hội đồng theo từng tiêu chí là trung bình các phiếu, làm tròn theo bước quy định, hoặc "
            f"điểm Hội đồng thống nhất có ghi lý do."
        ),
        "Kết quả thẩm định từng mô hình:",
        "[BẢNG]",
        "III. KẾT LUẬN",
        (
            f"Hội đồng thống nhất kết quả thẩm định {len(aps)} mô hình: "
            + "; ".join(f"{label}: {n}" for label, n in classes.items())
            + ". Các thành viên Hội đồng thống nhất với kết quả trên."
        ),
        MINUTES_END,
    ]
    rows = [
        [str(i), _model_cell(ap), _votes(ap), _fmt(ap.total), ap.classification] for i, ap in enumerate(aps, start=1)
    ]
    table = _table(
        ["STT", "Mô hình, chủ thể", "Phiếu chấm, ý kiến Hội đồng", "Điểm", "Xếp loại"],
        rows,
        appraisals=[ap.pk for ap in aps],
    )
    return _council_paper(
        actor,
        campaign,
        org,
        Document.Kind.BB,
        source=session_source(org, day, aps),
        subject=f"Họp Hội đồng thẩm định mô hình mới, cách làm sáng tạo năm {campaign.year}",
        lines=lines,
        table=table,
        left=secretary_block(secretary),
        signer=("CHỦ TRÌ", chair),
    )


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
    table = _table(["STT", "Chủ thể", "Tên mô hình", "Điểm", "Xếp loại"], table_rows)
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
