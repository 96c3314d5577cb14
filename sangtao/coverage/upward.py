"""A level's upward report (báo cáo tổng hợp): first a draft BÁO CÁO (BC) in the document editor, drawn from the
figures with the clerk's assessment sections and the danh sách đăng ký tổng hợp as annex (`draft_report`); on
confirmation its aggregate is frozen as a snapshot and it is issued to its parent's inbox before its own deadline
(`submit`, the issue step registered in apps.py); the parent accepts it or returns it with a reason, and a
returned report is drafted and sent again as a new number. Snapshots never change.

What the report says is what its sending level's office may see when it drafts and sends it (rules V12, P11): the
figures that count a result the drafter may not see yet are "chưa công bố", as on the coverage page he drafts
from (`withheld`, the page's own rule), and so are those results in the annex and the frozen snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangtao.appraisals.domain import subject_rows, visible_subject_rows
from sangtao.appraisals.models import Appraisal
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns import papers
from sangtao.campaigns.domain import Cascade, is_late
from sangtao.campaigns.models import Campaign, Document
from sangtao.common import audit
from sangtao.common.fields import plain
from sangtao.common.templatetags.vn import vn_number
from sangtao.documents import render
from sangtao.notifications.domain import notify
from sangtao.orgs.models import Organization
from sangtao.orgs.rules import acting_users
from sangtao.registrations.models import Registration

from . import disclosure
from .domain import Coverage, compute
from .models import UpwardReport


class UpwardError(ValidationError):
    pass


@dataclass(frozen=True)
class Withheld:
    """Which rated figures of a level's coverage a reader may not see yet — the coverage page's rule, used by the
    page and by the report (rules V12): every figure that counts a signed, unpublished result the reader may not see
    (`disclosure.withheld_paths`, i.e. `appraisals.rules.sees_unpublished`) says "chưa công bố" instead — a unit's
    row when such a result lies in its subtree, the level's own row when it is one of the level's own subjects, the
    total (and its classes) when there is any."""

    paths: frozenset[str]  # the subjects' organizations with such a result
    rows: frozenset[int]  # the unit rows (organization ids) counting one
    own: bool  # the row "Chủ thể trực tiếp"

    @property
    def total(self) -> bool:
        return bool(self.paths)


def withheld(user, cov: Coverage) -> Withheld:
    paths = frozenset(disclosure.withheld_paths(user, cov.campaign, cov.org))
    return Withheld(
        paths=paths,
        rows=frozenset(r.org_id for r in cov.rows if any(p.startswith(r.path) for p in paths)),
        own=cov.org.path in paths,
    )


def subjects(campaign: Campaign, org: Organization, user) -> list[dict]:
    """Every subject's models and result in `org`'s subtree as `user` may see them (P11, `visible_subject_rows`;
    None: the command line, everything), as a snapshot stores them. A model with a result `user` may not see yet
    has none and is marked `withheld` (the report says "chưa công bố"); a re-appraisal not yet published shows the
    version published before. `published`: every result counted is published."""
    regs = Registration.objects.filter(campaign=campaign, subject_org__path__startswith=org.path)
    if disclosure.sees_everything(user):
        rows = subject_rows(campaign, regs)
    else:
        rows = visible_subject_rows(user, campaign, regs)
    signed = set(  # models with a result, seen or not
        Appraisal.objects.filter(registration__in=regs)
        .exclude(state=Appraisal.State.SCORING)
        .values_list("registration_id", flat=True)
    )
    out = []
    for r in rows:
        if not r.org.path.startswith(org.path):
            continue
        models = [
            {
                "title": reg.title,
                "late": reg.late,
                "total": str(ap.total) if ap else None,
                "class": ap.classification if ap else None,
                "withheld": ap is None and reg.pk in signed,
            }
            for reg, ap in r.models
        ]
        out.append(
            {
                "name": r.name,
                "org": r.org.name,
                "kind": r.kind,
                "models": models,
                "result": str(r.final) if r.final is not None else None,
                "class": r.classification,
                "withheld": any(m["withheld"] for m in models),
                "published": r.published,
            }
        )
    return out


def _withhold(figures: dict) -> dict:
    return {**figures, "rated": None, "rated_pct": None, "classes": {}, "withheld": True}


def snapshot(campaign: Campaign, org: Organization, user) -> dict:
    """The level's figures as `user` (who drafts or sends the report) may see them: the coverage page's (rules V12)."""
    cov = compute(campaign, org)
    hidden = withheld(user, cov)
    data = cov.as_dict()
    data["children"] = [
        _withhold(c) if row.org_id in hidden.rows else c for row, c in zip(cov.rows, data["children"], strict=True)
    ]
    if hidden.own:
        data["own"] = _withhold(data["own"])
    if hidden.total:
        data["total"] = _withhold(data["total"])
    return {**data, "taken_at": timezone.now().isoformat(), "subjects": subjects(campaign, org, user)}


def changes_since(report: UpwardReport, user) -> list[dict]:
    """The subjects whose result or class differs now, as `user` may see it, from the figures the report froze when
    it was sent (a correction published since, a re-appraisal, a result published since the report said "chưa
    công bố"): the report keeps its figures and says they changed. Nothing `user` may not see now is shown; a
    result still unpublished that the report left out is no change (the report said so)."""

    def key(s):
        return (s["org"], s["name"], s["kind"])

    def figures(s):
        return (Decimal(s["result"]) if s and s.get("result") else None, (s or {}).get("class") or "")

    now = {key(s): s for s in subjects(report.campaign, report.org, user)}
    out = []
    for old in report.snapshot.get("subjects", []):
        new = now.pop(key(old), None)
        if new is not None and (new["withheld"] or (old.get("withheld") and not new["published"])):
            continue
        if old.get("withheld") and new is None:
            continue
        if old.get("withheld") or figures(old) != figures(new):
            out.append({"name": old["name"], "before": old, "after": new or {}})
    out += [
        {"name": new["name"], "before": {}, "after": new}
        for new in now.values()
        if new.get("class") and not new["withheld"]
    ]
    return out


def _pct(num, den) -> str:
    return f"{vn_number(round(num * 100 / den, 1))}%" if den else "—"


SECTIONS = ("assessment", "shortcomings", "proposals")  # đánh giá (ưu điểm), hạn chế, đề xuất
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ASSESSMENT_HEADING = "ĐÁNH GIÁ CHUNG"  # where the clerk's part of the body begins (the figures come before it)
_NUMERAL = re.compile(r"^([IVXLC]+)\.\s+")


def _rated_den(t: dict, targets: dict) -> int:
    return t["registered"] if targets["rated_base"] == "registered" else t["subjects"]


def _missing(org: Organization, snap: dict) -> list[dict]:
    """Units still unregistered below the reporting committee (never the committee itself): the coverage page's
    list (`domain.missing_units`, rules V11) as the snapshot froze it; snapshots taken before that list left the
    level out name it, and it is dropped here."""
    return [m for m in snap["missing_units"] if m.get("code") != org.code]


def assessment_defaults(campaign: Campaign, org: Organization, snap: dict) -> dict:
    """The assessment sections of the report (đánh giá, hạn chế, đề xuất), written from the figures for the
    clerk to edit in the draft (rules V6a)."""
    return write_assessment(campaign.year, snap["total"], snap["targets"], len(_missing(org, snap)))


def write_assessment(year: int, t: dict, targets: dict, missing_count: int) -> dict:
    """Written from the figures the drafter may see: nothing of the rated figures when they are withheld from him
    (rules V12)."""
    reg_pct = t["registered"] * 100 / t["subjects"] if t["subjects"] else 0
    den = 0 if t.get("withheld") else _rated_den(t, targets)
    rated_pct = t["rated"] * 100 / den if den else 0
    strengths = [
        (
            f"Các cấp ủy, tổ chức đảng đã quán triệt, triển khai đăng ký mô hình mới, cách làm sáng tạo năm "
            f"{year}; {t['registered']}/{t['subjects']} chủ thể đã đăng ký ({_pct(t['registered'], t['subjects'])})"
        )
        + (", đạt chỉ tiêu đề ra." if reg_pct >= float(targets["registered"]) else ".")
    ]
    if den and t["rated"]:
        strengths.append(
            f"Có {t['rated']} chủ thể được đánh giá từ “đạt” trở lên ({_pct(t['rated'], den)})"
            + (", đạt chỉ tiêu." if rated_pct >= float(targets["rated"]) else ".")
        )
    limits = []
    if reg_pct < float(targets["registered"]):
        limits.append(
            f"Tỷ lệ đăng ký {_pct(t['registered'], t['subjects'])}, chưa đạt chỉ tiêu "
            f"{vn_number(targets['registered'])}%."
        )
    if t["late"]:
        limits.append(f"Còn {t['late']} chủ thể đăng ký muộn so với hạn.")
    if missing_count:
        limits.append(f"Còn {missing_count} đơn vị chưa đăng ký.")
    if den and rated_pct < float(targets["rated"]):
        limits.append(
            f"Tỷ lệ chủ thể đạt trở lên {_pct(t['rated'], den)}, chưa đạt chỉ tiêu {vn_number(targets['rated'])}%."
        )
    proposals = [
        (
            "Đề nghị cấp trên tiếp tục hướng dẫn, tập huấn cách xây dựng mô hình có chỉ tiêu đo được; "
            "biểu dương, nhân rộng các mô hình được đánh giá tốt."
        )
    ]
    if missing_count or t["late"]:
        proposals.append(
            "Cấp ủy tiếp tục đôn đốc các đơn vị chưa đăng ký, đăng ký muộn hoàn thành trong thời gian tới."
        )
    return {
        "assessment": " ".join(strengths),
        "shortcomings": " ".join(limits) or "Không có hạn chế đáng kể.",
        "proposals": " ".join(proposals),
    }


OWN_COUNTS = (
    "subjects",
    "collectives",
    "individuals",
    "registered",
    "on_time",
    "late",
    "missing",
    "rated",
    "registrations",
    "missing_units",
)


def own_row(snap: dict) -> dict:
    """The “Chủ thể trực tiếp” row of a snapshot (rules V9: the unit rows and this one add up to the total), as the
    coverage page showed it when the snapshot was taken: its `own` (`domain.Coverage.as_dict`) — on the sent
    report's page and in the BC's section III.

    Snapshots taken before the coverage page had that row (without `own`) get it here the way
    `domain.Coverage.own` computes it — the total less the unit rows — from the same frozen figures, so it is what
    the page would have shown then. The stored snapshot is not changed (snapshots never change)."""
    if "own" in snap:
        return snap["own"]
    total, children = snap["total"], snap["children"]
    own = {
        name: None
        if total[name] is None or any(c.get(name) is None for c in children)  # withheld from the sender (V12)
        else total[name] - sum(c.get(name, 0) for c in children)
        for name in OWN_COUNTS
        if name in total
    }
    subjects = own.get("subjects", 0)
    # The percentage as domain.Coverage.pct gives it (one decimal), stored as as_dict stores it (a float).
    own["registered_pct"] = (
        float((Decimal(own["registered"]) * 100 / subjects).quantize(Decimal("0.1"))) if subjects else None
    )
    return own


def own_label(org_name: str) -> str:
    """The row's label, as the coverage page and the sent report's page write it (an official document's text:
    Vietnamese, never translated)."""
    return f"Chủ thể trực tiếp của {org_name} (bản thân tổ chức, lãnh đạo và đảng viên có đăng ký)"


def _unit_line(n: int, name: str, f: dict) -> str:
    """One line of section III: a unit's figures, or the level's own subjects'; its rated count says "chưa công
    bố" where the snapshot withheld it from the sender (rules V12)."""
    rated = (
        "đạt trở lên: chưa công bố." if f.get("withheld") or f.get("rated") is None else f"đạt trở lên {f['rated']}."
    )
    return (
        f"{n}. {name}: {f['registered']}/{f['subjects']} chủ thể đăng ký "
        f"({_pct(f['registered'], f['subjects'])}), muộn {f['late']}, chưa đăng ký {f['missing']}; " + rated
    )


def figure_lines(campaign: Campaign, org: Organization, snap: dict) -> list[str]:
    """The figures part of the report's text (an official document: Vietnamese, never translated): the opening,
    then Roman-numbered bold headings with the figures — what “Cập nhật số liệu vào dự thảo” rewrites."""
    t = snap["total"]
    targets = snap["targets"]
    lines = [
        (
            f"Thực hiện hướng dẫn của cấp trên về đăng ký, thẩm định mô hình mới, cách làm sáng tạo năm {campaign.year}, "
            f"{cdomain.header_for(org)['committee']} báo cáo kết quả như sau:"
        ),
        "I. KẾT QUẢ ĐĂNG KÝ",
        (
            f"Tổng số chủ thể thuộc diện đăng ký: {t['subjects']} ({t['collectives']} tập thể, {t['individuals']} cá nhân). "
            f"Đã đăng ký: {t['registered']} ({_pct(t['registered'], t['subjects'])}; chỉ tiêu "
            f"{vn_number(targets['registered'])}%), trong đó đúng hạn {t['on_time']}, muộn {t['late']}; chưa đăng ký: "
            f"{t['missing']}. Số mô hình đã đăng ký: {t['registrations']} (danh sách tại Phụ lục)."
        ),
        "II. KẾT QUẢ THẨM ĐỊNH",
        (
            f"Số chủ thể xếp loại đạt trở lên: chưa công bố (chỉ tiêu {vn_number(targets['rated'])}%)."
            if t.get("withheld")  # rules V12: as the coverage page shows the drafter
            else f"Số chủ thể xếp loại đạt trở lên: {t['rated']} ({_pct(t['rated'], _rated_den(t, targets))}; "
            f"chỉ tiêu {vn_number(targets['rated'])}%). "
            + "; ".join(f"{label}: {n}" for label, n in t["classes"].items())
            + "."
        ),
        "III. KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC",
    ]
    units = [c for c in snap["children"] if not c["excluded"]]
    lines += [_unit_line(i, c["name"], c) for i, c in enumerate(units, start=1)]
    # The level itself and its leaders (and members who registered), so that section III adds up to section I as
    # the coverage page's rows add up to its total (rules V9).
    own = own_row(snap)
    if own.get("subjects"):
        lines.append(_unit_line(len(units) + 1, own_label(org.name), own))
    missing = _missing(org, snap)
    if missing:
        lines.append("IV. ĐƠN VỊ CHƯA ĐĂNG KÝ")
        lines.append(
            "; ".join(m["name"] + (f" (đã nhắc {m['reminders']} lần)" if m.get("reminders") else "") for m in missing)
            + "."
        )
    return lines


def _clerk_lines(texts: dict) -> list[str]:
    """The clerk's part: the assessment sections (numbered after the figures by `_renumber`)."""
    return [
        f"I. {ASSESSMENT_HEADING}",
        f"1. Ưu điểm: {texts['assessment']}",
        f"2. Hạn chế: {texts['shortcomings']}",
        "II. ĐỀ XUẤT, KIẾN NGHỊ",
        texts["proposals"],
    ]


def _renumber(lines: list[str], after: int) -> list[str]:
    """The clerk's headings numbered on from the figures' (`after` headings already)."""
    out, n = [], after
    for line in lines:
        match = _NUMERAL.match(line)
        if match and render.is_heading(line):
            out.append(f"{ROMAN[n] if n < len(ROMAN) else n + 1}. {line[match.end() :]}")
            n += 1
        else:
            out.append(line)
    return out


def _headings(lines: list[str]) -> int:
    return sum(1 for line in lines if _NUMERAL.match(line) and render.is_heading(line))


def _join(figures: list[str], clerk: list[str]) -> str:
    return "\n".join([*figures, *_renumber(clerk, _headings(figures))])


def clerk_part(body: str) -> list[str] | None:
    """The lines of a draft's body from its “ĐÁNH GIÁ CHUNG” heading on (None: the clerk removed that heading)."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        match = _NUMERAL.match(line.strip())
        if match and line.strip()[match.end() :].upper().startswith(ASSESSMENT_HEADING):
            return lines[i:]
    return None


def _clerk_texts(campaign: Campaign, org: Organization, snap: dict, sections: dict | None) -> list[str]:
    """The assessment sections as given (`sections`: assessment, shortcomings, proposals), else written from
    the figures."""
    given = {k: v.strip() for k, v in (sections or {}).items() if k in SECTIONS and v and v.strip()}
    return _clerk_lines({**assessment_defaults(campaign, org, snap), **given})


def annex_table(campaign: Campaign, org: Organization, snap: dict) -> dict:
    """Danh sách đăng ký tổng hợp: every submitted registration of the subtree with its appraisal as frozen in the
    snapshot, for the report's annex (stored with the document, so it never changes either); a result the snapshot
    withheld from the sender reads "Chưa công bố" (rules V12, D16)."""
    results = {(s["name"], m["title"]): m for s in snap["subjects"] for m in s["models"]}
    rows = []
    for reg in (
        Registration.objects.filter(
            campaign=campaign, subject_org__path__startswith=org.path, first_submitted_at__isnull=False
        )
        .select_related("subject_org", "person")
        .order_by("subject_org__path", "person__full_name", "title")
    ):
        name = reg.person.full_name if reg.person_id else reg.subject_org.name
        who = f"{name} ({reg.subject_org.name})" if reg.person_id else name
        m = results.get((name, reg.title)) or {}
        if m.get("total"):
            result = f"{vn_number(plain(Decimal(m['total'])))} điểm, {m['class']}"
        else:
            result = "Chưa công bố" if m.get("withheld") else "Chưa thẩm định"
        rows.append([str(len(rows) + 1), who, reg.title, "Muộn" if reg.late else "Đúng hạn", result])
    return {
        "title": f"DANH SÁCH ĐĂNG KÝ MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM {campaign.year}",
        "subtitle": "(Kèm theo Báo cáo tổng hợp)",
        "columns": ["STT", "Chủ thể", "Tên mô hình", "Đăng ký", "Kết quả thẩm định"],
        "rows": rows,
    }


def _drafted_annex(campaign: Campaign, org: Organization, snap: dict) -> dict:
    """The annex of a draft, with the figures' text it was drawn with (`figures`: compared at sending time to
    say what changed since; dropped when the report is issued) and the assessment as written from those figures
    (`clerk_drawn`: a refresh rewrites an assessment the clerk left as it was drawn, since its numbers are the old
    ones, and keeps one the clerk wrote)."""
    figures = figure_lines(campaign, org, snap)
    drawn = clerk_part(_join(figures, _clerk_texts(campaign, org, snap, None)))
    return {
        **annex_table(campaign, org, snap),
        "figures": {"lines": figures, "taken_at": snap["taken_at"], "clerk_drawn": drawn},
    }


def addressee(parent: Organization) -> str:
    """A level's report goes to the body that gathers it: at the province, its Ban Tổ chức (436-CV/ĐUK: “để tổng
    hợp, báo cáo Ban Tổ chức Tỉnh ủy”); below, the parent's committee (rules D5)."""
    if parent.depth == 1:
        return cdomain.header_for(parent)["committee"]
    return cdomain.receiving_body(parent)


def draft_source(campaign: Campaign, org: Organization) -> str:
    """One draft per campaign and level (campaigns.papers: a second click reopens it)."""
    return f"upward:{campaign.pk}:{org.pk}"


def current_draft(campaign: Campaign, org: Organization) -> Document | None:
    return Document.objects.filter(source=draft_source(campaign, org), status=Document.Status.DRAFT).first()


def check(campaign: Campaign, org: Organization, *, signer_name: str | None = None, lock: bool = False) -> list[str]:
    """Why the level's report cannot be drafted or sent now — the one check of the draft, the confirmation
    preview and `submit` (the signer only once there is a draft to send)."""
    parent = org.parent_org
    if parent is None or not org.path.startswith(campaign.root.path) or org.pk == campaign.root_id:
        return [_("Cấp mở đợt không gửi báo cáo tổng hợp lên cấp trên trong hệ thống.")]
    reports = UpwardReport.objects.filter(campaign=campaign, org=org)
    last = (reports.select_for_update() if lock else reports).order_by("-number").first()
    problems = []
    if last and last.state != UpwardReport.State.RETURNED:
        problems.append(
            _("Đã gửi báo cáo tổng hợp số %(n)d (%(s)s); chỉ gửi lại khi cấp trên trả lại.")
            % {"n": last.number, "s": last.get_state_display()}
        )
    if signer_name is not None and not signer_name.strip():
        problems.append(_("Ghi họ tên người ký."))
    return problems


SUBJECT = "Kết quả đăng ký, thẩm định mô hình mới, cách làm sáng tạo năm {year}"


@transaction.atomic
def draft_report(
    *, actor, campaign: Campaign, org: Organization, signer_name: str | None = None, sections: dict | None = None
) -> Document:
    """“Lập dự thảo báo cáo tổng hợp”: the level's BC as a draft in the document editor — the figures, the
    assessment sections written from them (after a return: the clerk's sections of the report returned), the
    danh sách đăng ký tổng hợp as annex, the parent's body addressed, the signer prefilled. A second click
    reopens the draft (campaigns.papers.draft_paper); the clerk edits everything there."""
    problems = check(campaign, org)
    if problems:
        raise UpwardError(problems)
    source = draft_source(campaign, org)
    existing = current_draft(campaign, org)
    if existing:
        return existing
    snap = snapshot(campaign, org, actor)  # what the drafter may see (rules V12)
    figures = figure_lines(campaign, org, snap)
    sent = papers.latest(source)  # the report returned: its sections are the clerk's starting point
    kept = clerk_part(sent.body) if sent and not sections else None
    parent = org.parent_org
    doc = papers.draft_paper(
        actor=actor,
        campaign=campaign,
        org=org,
        kind=Document.Kind.BC,
        source=source,
        subject=SUBJECT.format(year=campaign.year),
        body=_join(figures, kept or _clerk_texts(campaign, org, snap, sections)),
        salutation=addressee(parent),
        recipients=[parent],
        annex=_drafted_annex(campaign, org, snap),
        signer_name=signer_name,
    )
    doc.purpose = Document.Purpose.UPWARD_REPORT  # issued by `submit` (the step registered in apps.py)
    doc.save(update_fields=["purpose"])
    return doc


def recipient_names(doc: Document) -> list[str]:
    """Whose inboxes the report goes to: the parent level always, and whoever the clerk added."""
    return sorted({o.name for o in doc.recipients.all()} | {doc.issuer.parent_org.name})


def _locked_draft(document: Document) -> Document:
    doc = Document.objects.select_for_update(of=("self",)).select_related("campaign", "issuer").get(pk=document.pk)
    if doc.status != Document.Status.DRAFT or doc.purpose != Document.Purpose.UPWARD_REPORT:
        raise UpwardError(_("Văn bản này không phải dự thảo báo cáo tổng hợp chưa gửi."))
    return doc


def draft_changes(doc: Document, snap: dict | None = None, *, user=None) -> list[str]:
    """What changed in the figures since the draft was drawn (or last updated): each line of the figures part
    that reads differently now, and each model added to, gone from or changed in the annex — in `snap`, else in
    the figures as `user` may see them (None: the command line, everything)."""
    drawn = (doc.annex or {}).get("figures")
    if not drawn:
        return []
    snap = snap or snapshot(doc.campaign, doc.issuer, user)
    before, now = drawn["lines"], figure_lines(doc.campaign, doc.issuer, snap)
    out = [_("Trước: %(l)s") % {"l": line} for line in before if line not in now]
    out += [_("Nay: %(l)s") % {"l": line} for line in now if line not in before]
    old = {(r[1], r[2]): r[3:] for r in doc.annex.get("rows", [])}
    new = {(r[1], r[2]): r[3:] for r in annex_table(doc.campaign, doc.issuer, snap)["rows"]}
    for key in old.keys() | new.keys():
        who, title = key
        if key not in old:
            out.append(_("Phụ lục, thêm: %(w)s — “%(t)s” (%(r)s)") % {"w": who, "t": title, "r": ", ".join(new[key])})
        elif key not in new:
            out.append(_("Phụ lục, không còn: %(w)s — “%(t)s”") % {"w": who, "t": title})
        elif old[key] != new[key]:
            out.append(
                _("Phụ lục: %(w)s — “%(t)s”: %(a)s → %(b)s")
                % {"w": who, "t": title, "a": ", ".join(old[key]), "b": ", ".join(new[key])}
            )
    return out


@transaction.atomic
def refresh_figures(*, actor, document: Document) -> Document:
    """“Cập nhật số liệu vào dự thảo”: the figures part of the draft's body and its annex are drawn again from
    the figures now; the clerk's part (from “ĐÁNH GIÁ CHUNG” on) is kept as edited, renumbered after them."""
    doc = _locked_draft(document)
    kept = clerk_part(doc.body)
    if kept is None:
        raise UpwardError(
            _("Dự thảo không còn mục “%(h)s”: số liệu được cập nhật vào phần trước mục này, hãy giữ tiêu đề mục.")
            % {"h": ASSESSMENT_HEADING}
        )
    snap = snapshot(doc.campaign, doc.issuer, actor)  # what the officer updating it may see (rules V12)
    changes = draft_changes(doc, snap)
    drawn = (doc.annex or {}).get("figures", {}).get("clerk_drawn")
    doc.clerk_text_kept = kept != drawn  # the clerk wrote the assessment: kept, and its numbers are for him to check
    if not doc.clerk_text_kept:  # as drawn from the old figures: drawn again from the new ones
        kept = _clerk_texts(doc.campaign, doc.issuer, snap, None)
    doc.body = _join(figure_lines(doc.campaign, doc.issuer, snap), kept)
    doc.annex = _drafted_annex(doc.campaign, doc.issuer, snap)
    doc.save(update_fields=["body", "annex"])
    audit.record(
        "upward.refresh",
        actor=actor,
        obj=doc,
        changes={"changes": len(changes), "assessment": "kept" if doc.clerk_text_kept else "redrawn"},
    )
    return doc


def preview(document: Document, user) -> dict:
    """What `submit` would send now if `user` sent it, for the confirmation page: the addressee, signer, annex
    size, what changed in the figures (as `user` may see them) since the draft was drawn, and the reasons it
    cannot be sent yet (`check`, as `submit`)."""
    doc = document
    if doc.status != Document.Status.DRAFT:
        return {"problems": [_("Văn bản đã ban hành.")]}
    problems = check(doc.campaign, doc.issuer, signer_name=doc.signer_name)
    if problems:
        return {"problems": problems}
    snap = snapshot(doc.campaign, doc.issuer, user)
    return {
        "problems": [],
        "changes": draft_changes(doc, snap),
        "annex_rows": len(annex_table(doc.campaign, doc.issuer, snap)["rows"]),
    }


@transaction.atomic
def submit(*, actor, document: Document, now=None) -> UpwardReport:
    """The clerk confirms the draft (`draft_report`, the only way a report starts): the figures are frozen as the
    report's snapshot (as the sender may see them, rules V12), the annex drawn again from them (the figures at
    sending time), the document issued to the parent's inbox (signed by the server when the level has a certificate) and the UpwardReport made."""
    doc = _locked_draft(document)
    campaign, org = doc.campaign, doc.issuer
    problems = check(campaign, org, signer_name=doc.signer_name, lock=True)
    if problems:
        raise UpwardError(problems)
    now = now or timezone.now()
    snap = snapshot(campaign, org, actor)  # what the sender may see (rules V12), frozen
    parent = org.parent_org
    doc.annex = annex_table(campaign, org, snap)
    doc.save(update_fields=["annex"])
    doc.recipients.add(parent)
    doc = cdomain.issue_document(actor=actor, document=doc, tell=False)  # told below, with the report's page
    deadline = Cascade(campaign).applicable(org).results_deadline
    number = (UpwardReport.objects.filter(campaign=campaign, org=org).aggregate(n=Max("number"))["n"] or 0) + 1
    report = UpwardReport.objects.create(
        campaign=campaign,
        org=org,
        number=number,
        snapshot=snap,
        document=doc,
        deadline=deadline,
        late=is_late(now, deadline),
        submitted_by=actor,
    )
    audit.record(
        "upward.submit",
        actor=actor,
        obj=org,
        changes={"campaign": campaign.code, "number": report.number, "document": doc.reference, "late": report.late},
    )
    notify(
        "upward.received",
        recipients=acting_users(parent),
        key=f"up{report.pk}",
        url=reverse("coverage:upward", kwargs={"pk": report.pk}),
        context={"org": org.name, "campaign": campaign.name},
    )
    return report


@transaction.atomic
def decide(*, actor, report: UpwardReport, accept: bool, reason: str = "") -> UpwardReport:
    rep = UpwardReport.objects.select_for_update().get(pk=report.pk)
    if rep.state != UpwardReport.State.SUBMITTED:
        raise UpwardError(_("Báo cáo đang ở trạng thái “%(s)s”.") % {"s": rep.get_state_display()})
    if rep.submitted_by_id == actor.pk:
        raise UpwardError(_("Người gửi không tự tiếp nhận hoặc trả lại báo cáo của mình."))
    if not accept and not reason.strip():
        raise UpwardError(_("Ghi lý do trả lại."))
    rep.state = UpwardReport.State.ACCEPTED if accept else UpwardReport.State.RETURNED
    rep.return_reason = "" if accept else reason.strip()
    rep.decided_by, rep.decided_at = actor, timezone.now()
    rep.save()
    audit.record(
        "upward.accept" if accept else "upward.return",
        actor=actor,
        obj=rep.org,
        changes={"number": rep.number, "reason": rep.return_reason},
    )
    notify(
        "upward.accepted" if accept else "upward.returned",
        recipients=acting_users(rep.org),
        key=f"up{rep.pk}d",
        url=reverse("coverage:upward", kwargs={"pk": rep.pk}),
        context={"org": rep.org.name, "campaign": rep.campaign.name, "reason": rep.return_reason},
    )
    return rep


def children_status(campaign: Campaign, org: Organization) -> list[dict]:
    """For a parent: which direct subordinates reported (on time / late), were returned, or are missing."""
    children = list(Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1))
    latest = {}
    for rep in UpwardReport.objects.filter(campaign=campaign, org__in=children).order_by("number"):
        latest[rep.org_id] = rep
    return [{"org": c, "report": latest.get(c.pk)} for c in children]
