"""A level's upward report (báo cáo tổng hợp): its aggregate frozen as a snapshot, written as a party-format
report (BC) in .docx and PDF, sent to its parent's inbox before its own deadline; the parent accepts it or
returns it with a reason, and a returned report is sent again as a new number. Snapshots never change."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangtao.appraisals.domain import subject_rows
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.domain import Cascade, is_late
from sangtao.campaigns.models import Campaign, Document
from sangtao.common import audit
from sangtao.common.fields import plain
from sangtao.common.templatetags.vn import vn_number
from sangtao.notifications.domain import notify
from sangtao.orgs.models import Organization
from sangtao.orgs.rules import acting_users
from sangtao.registrations.models import Registration

from .domain import compute
from .models import UpwardReport


class UpwardError(ValidationError):
    pass


def subjects(campaign: Campaign, org: Organization) -> list[dict]:
    """Every subject's models and result in `org`'s subtree, as a snapshot stores them."""
    rows = subject_rows(
        campaign, Registration.objects.filter(campaign=campaign, subject_org__path__startswith=org.path)
    )
    return [
        {
            "name": r.name,
            "org": r.org.name,
            "kind": r.kind,
            "models": [
                {
                    "title": reg.title,
                    "late": reg.late,
                    "total": str(ap.total) if ap else None,
                    "class": ap.classification if ap else None,
                }
                for reg, ap in r.models
            ],
            "result": str(r.final) if r.final is not None else None,
            "class": r.classification,
        }
        for r in rows
        if r.org.path.startswith(org.path)
    ]


def snapshot(campaign: Campaign, org: Organization) -> dict:
    cov = compute(campaign, org)
    return {**cov.as_dict(), "taken_at": timezone.now().isoformat(), "subjects": subjects(campaign, org)}


def changes_since(report: UpwardReport) -> list[dict]:
    """The subjects whose result or class differs now from the figures the report froze when it was sent
    (a correction published since, a re-appraisal): the report keeps its figures and says they changed."""

    def key(s):
        return (s["org"], s["name"], s["kind"])

    def figures(s):
        return (Decimal(s["result"]) if s and s.get("result") else None, (s or {}).get("class") or "")

    now = {key(s): s for s in subjects(report.campaign, report.org)}
    out = []
    for old in report.snapshot.get("subjects", []):
        new = now.pop(key(old), None)
        if figures(old) != figures(new):
            out.append({"name": old["name"], "before": old, "after": new or {}})
    out += [{"name": new["name"], "before": {}, "after": new} for new in now.values() if new.get("class")]
    return out


def _pct(num, den) -> str:
    return f"{vn_number(round(num * 100 / den, 1))}%" if den else "—"


SECTIONS = ("assessment", "shortcomings", "proposals")  # đánh giá (ưu điểm), hạn chế, đề xuất


def _rated_den(t: dict, targets: dict) -> int:
    return t["registered"] if targets["rated_base"] == "registered" else t["subjects"]


def _missing(org: Organization, snap: dict) -> list[dict]:
    """Units still unregistered below the reporting committee (never the committee itself)."""
    return [m for m in snap["missing_units"] if m.get("code") != org.code]


def assessment_defaults(campaign: Campaign, org: Organization, snap: dict) -> dict:
    """The assessment sections of the report (đánh giá, hạn chế, đề xuất), written from the figures for the
    clerk to edit before sending (rules V6a)."""
    return write_assessment(campaign.year, snap["total"], snap["targets"], len(_missing(org, snap)))


def assessment_for_page(cov) -> dict:
    """The same, from a coverage computed for the page (without listing every missing unit)."""
    targets = {"registered": cov.target_registered, "rated": cov.target_rated, "rated_base": cov.rated_base}
    return write_assessment(
        cov.campaign.year, cov.total.as_dict(), targets, cov.total.missing_units - cov.own.missing_units
    )


def write_assessment(year: int, t: dict, targets: dict, missing_count: int) -> dict:
    reg_pct = t["registered"] * 100 / t["subjects"] if t["subjects"] else 0
    den = _rated_den(t, targets)
    rated_pct = t["rated"] * 100 / den if den else 0
    strengths = [
        (
            f"Các cấp ủy, tổ chức đảng đã quán triệt, triển khai đăng ký mô hình mới, cách làm sáng tạo năm "
            f"{year}; {t['registered']}/{t['subjects']} chủ thể đã đăng ký ({_pct(t['registered'], t['subjects'])})"
        )
        + (", đạt chỉ tiêu đề ra." if reg_pct >= float(targets["registered"]) else ".")
    ]
    if t["rated"]:
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


def report_body(campaign: Campaign, org: Organization, snap: dict, sections: dict | None = None) -> str:
    """The report's text (an official document: Vietnamese, never translated), laid out as a BÁO CÁO: Roman-numbered
    bold headings, the figures, the assessment sections (edited by the clerk, else written from the figures);
    the list of models is the annex (`annex_table`)."""
    t = snap["total"]
    targets = snap["targets"]
    texts = {
        **assessment_defaults(campaign, org, snap),
        **{k: v.strip() for k, v in (sections or {}).items() if v.strip()},
    }
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
        f"Số chủ thể xếp loại đạt trở lên: {t['rated']} ({_pct(t['rated'], _rated_den(t, targets))}; "
        f"chỉ tiêu {vn_number(targets['rated'])}%). "
        + "; ".join(f"{label}: {n}" for label, n in t["classes"].items())
        + ".",
        "III. KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC",
    ]
    for i, c in enumerate([c for c in snap["children"] if not c["excluded"]], start=1):
        lines.append(
            f"{i}. {c['name']}: {c['registered']}/{c['subjects']} chủ thể đăng ký "
            f"({_pct(c['registered'], c['subjects'])}), muộn {c['late']}, chưa đăng ký {c['missing']}; "
            f"đạt trở lên {c['rated']}."
        )
    missing = _missing(org, snap)
    number = iter(["IV", "V", "VI"])
    if missing:
        lines.append(f"{next(number)}. ĐƠN VỊ CHƯA ĐĂNG KÝ")
        lines.append(
            "; ".join(m["name"] + (f" (đã nhắc {m['reminders']} lần)" if m.get("reminders") else "") for m in missing)
            + "."
        )
    lines += [
        f"{next(number)}. ĐÁNH GIÁ CHUNG",
        f"1. Ưu điểm: {texts['assessment']}",
        f"2. Hạn chế: {texts['shortcomings']}",
        f"{next(number)}. ĐỀ XUẤT, KIẾN NGHỊ",
        texts["proposals"],
    ]
    return "\n".join(lines)


def annex_table(campaign: Campaign, org: Organization, snap: dict) -> dict:
    """Danh sách đăng ký tổng hợp: every submitted registration of the subtree with its appraisal as frozen in the
    snapshot, for the report's annex (stored with the document, so it never changes either)."""
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
        result = f"{vn_number(plain(Decimal(m['total'])))} điểm, {m['class']}" if m.get("total") else "Chưa thẩm định"
        rows.append([str(len(rows) + 1), who, reg.title, "Muộn" if reg.late else "Đúng hạn", result])
    return {
        "title": f"DANH SÁCH ĐĂNG KÝ MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM {campaign.year}",
        "subtitle": "(Kèm theo Báo cáo tổng hợp)",
        "columns": ["STT", "Chủ thể", "Tên mô hình", "Đăng ký", "Kết quả thẩm định"],
        "rows": rows,
    }


def addressee(parent: Organization) -> str:
    """A level's report goes to the body that gathers it: at the province, its Ban Tổ chức (436-CV/ĐUK: “để tổng
    hợp, báo cáo Ban Tổ chức Tỉnh ủy”); below, the parent's committee (rules D5)."""
    if parent.depth == 1:
        return cdomain.header_for(parent)["committee"]
    return cdomain.receiving_body(parent)


def preview(campaign: Campaign, org: Organization, signer_name: str, sections: dict | None = None) -> dict:
    """What `submit` would send now, for the confirmation page: the addressee, the body as it will read, the annex's
    rows, and the reasons it cannot be sent yet (the same checks as `submit`)."""
    parent = org.parent_org
    problems = []
    if parent is None or org.pk == campaign.root_id:
        problems.append(_("Cấp mở đợt không gửi báo cáo tổng hợp lên cấp trên trong hệ thống."))
        return {"problems": problems}
    last = UpwardReport.objects.filter(campaign=campaign, org=org).order_by("-number").first()
    if last and last.state != UpwardReport.State.RETURNED:
        problems.append(
            _("Đã gửi báo cáo tổng hợp số %(n)d (%(s)s); chỉ gửi lại khi cấp trên trả lại.")
            % {"n": last.number, "s": last.get_state_display()}
        )
    if not signer_name.strip():
        problems.append(_("Ghi họ tên người ký."))
    snap = snapshot(campaign, org)
    return {
        "problems": problems,
        "addressee": addressee(parent),
        "body": report_body(campaign, org, snap, sections),
        "annex": annex_table(campaign, org, snap),
        "signature": cdomain.header_for(org)["signature"],
    }


@transaction.atomic
def submit(
    *, actor, campaign: Campaign, org: Organization, signer_name: str, now=None, sections: dict | None = None
) -> UpwardReport:
    """`sections`: the clerk's assessment, shortcomings and proposals (empty: written from the figures)."""
    parent = org.parent_org
    if parent is None or not org.path.startswith(campaign.root.path) or org.pk == campaign.root_id:
        raise UpwardError(_("Cấp mở đợt không gửi báo cáo tổng hợp lên cấp trên trong hệ thống."))
    last = UpwardReport.objects.select_for_update().filter(campaign=campaign, org=org).order_by("-number").first()
    if last and last.state != UpwardReport.State.RETURNED:
        raise UpwardError(
            _("Đã gửi báo cáo tổng hợp số %(n)d (%(s)s); chỉ gửi lại khi cấp trên trả lại.")
            % {"n": last.number, "s": last.get_state_display()}
        )
    if not signer_name.strip():
        raise UpwardError(_("Ghi họ tên người ký."))
    now = now or timezone.now()
    snap = snapshot(campaign, org)
    head = cdomain.header_for(org)
    doc = Document.objects.create(
        campaign=campaign,
        issuer=org,
        parent_name=head["parent_name"],
        issuer_name=head["issuer_name"],
        kind=Document.Kind.BC,
        year=timezone.localdate().year,
        symbol=head["symbol"],
        place=org.place_name or parent.place_name or "",
        subject=f"Kết quả đăng ký, thẩm định mô hình mới, cách làm sáng tạo năm {campaign.year}",
        salutation=addressee(parent),
        body=report_body(campaign, org, snap, sections),
        annex=annex_table(campaign, org, snap),
        copies_to="- Như trên,\n- Lưu.",
        signature=head["signature"],
        signer_title=head["signer_title"],
        signer_name=signer_name.strip(),
        created_by=actor,
    )
    doc.recipients.set([parent])
    doc = cdomain.issue_document(actor=actor, document=doc, tell=False)  # told below, with the report's page
    deadline = Cascade(campaign).applicable(org).results_deadline
    report = UpwardReport.objects.create(
        campaign=campaign,
        org=org,
        number=(last.number + 1) if last else 1,
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
