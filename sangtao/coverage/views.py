"""Coverage and dashboards with drill-down, reminders, upward reports, background exports."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sangtao.campaigns.access import get_campaign, level_org, visible_campaigns
from sangtao.campaigns.models import Campaign, Document
from sangtao.common import actions, confirm
from sangtao.common.jobs import dispatch, get_progress
from sangtao.common.ops import replica_allowed
from sangtao.orgs.models import Organization
from sangtao.orgs.rules import scopes
from sangtao.registrations.models import Field
from sangtao.registrations.novelty import replication_counts

from . import domain, upward
from .models import Export, Reminder, UpwardReport
from .tasks import may_start, run_export


@login_required
@require_safe
def coverage_home(request, code):
    """The user's own top level in the campaign."""
    campaign = get_campaign(request.user, code)
    mine = sorted(
        (
            s
            for s in scopes(request.user)
            if (s.path.startswith(campaign.root.path) or campaign.root.path.startswith(s.path))
        ),
        key=lambda s: len(s.path),
    )
    if not mine:
        raise Http404
    org_pk = campaign.root_id if campaign.root.path.startswith(mine[0].path) else mine[0].org_id
    return redirect("coverage:page", code=code, org_pk=org_pk)


def _chart_data(cov: domain.Coverage, withheld: set[str] = frozenset()) -> dict:
    """The page's charts; results not yet published to this reader (`withheld` paths) are left out. The rows are
    the table's: the units below with subjects, then “Chủ thể trực tiếp của …” (the level itself, its leaders and
    members who registered; rules V9) — without it a level whose only registration is its own drew nothing."""
    rows = [r for r in cov.rows if not r.excluded and r.figures.subjects]
    if cov.own.subjects:
        rows.append(
            SimpleNamespace(
                label=_("Chủ thể trực tiếp của %(o)s") % {"o": cov.org.name},  # the table's words, whole
                path=cov.org.path,
                figures=cov.own,
                own=True,
            )
        )

    def label(r):
        return getattr(r, "label", None) or r.name[:40]

    def rated(r):
        if getattr(r, "own", False):  # the level's own subjects: withheld when one of them is (Withheld.own)
            return 0.0 if cov.org.path in withheld else float(cov.rated_pct(r.figures) or 0)
        return 0.0 if any(p.startswith(r.path) for p in withheld) else float(cov.rated_pct(r.figures) or 0)

    fields = cov.total.fields.most_common(8)
    labels = dict(Field.choices)
    return {
        "by_child": {
            "labels": [label(r) for r in rows],
            "horizontal": True,
            "suffix": "%",
            "datasets": [
                {"label": _("Tỷ lệ đăng ký (%)"), "values": [float(cov.registered_pct(r.figures) or 0) for r in rows]},
                {"label": _("Tỷ lệ đạt (%)"), "values": [rated(r) for r in rows]},
            ],
        },
        "classes": {
            "labels": [] if withheld else cov.bands,
            "datasets": [
                {
                    "label": _("Số chủ thể"),
                    "values": [] if withheld else [cov.total.classes.get(b, 0) for b in cov.bands],
                }
            ],
        },
        "timeliness": {
            "labels": [label(r) for r in rows],
            "horizontal": True,
            "datasets": [
                {"label": _("Đúng hạn"), "values": [r.figures.on_time for r in rows], "colour": "#2e7d32"},
                {"label": _("Muộn"), "values": [r.figures.late for r in rows], "colour": "#ef6c00"},
                {"label": _("Chưa đăng ký"), "values": [r.figures.missing for r in rows], "colour": "#c62828"},
            ],
        },
        "fields": {
            "labels": [str(labels.get(k, k)) for k, _n in fields],
            "horizontal": True,
            "datasets": [{"label": _("Số mô hình"), "values": [n for _k, n in fields]}],
        },
    }


def _trend(campaign: Campaign, org: Organization, user, current: domain.Coverage, withheld=frozenset()) -> dict | None:
    """Registered and rated percentages of this organization over its recent campaigns."""
    earlier = [
        c
        for c in visible_campaigns(user).filter(year__lte=campaign.year).select_related("root").order_by("-year")[:5]
        if org.path.startswith(c.root.path)
    ]
    if len(earlier) < 2:
        return None
    points = []
    for c in reversed(earlier):
        # Earlier campaigns rarely change: their figures are kept for an hour (five minutes while open).
        key = f"sangtao:coverage:trend:{c.pk}:{org.pk}"
        point = cache.get(key)
        if point is None:
            cov = domain.compute(c, org, limit=settings.SANGTAO_COVERAGE_INLINE_LIMIT) if c.pk != campaign.pk else None
            point = (
                (c.year, float(cov.registered_pct(cov.total) or 0), float(cov.rated_pct(cov.total) or 0))
                if cov
                else None
            )
            if point and not cov.pending:
                cache.set(key, point, 3600 if c.status == Campaign.Status.CLOSED else 300)
        points.append(point)
    points[-1] = (
        campaign.year,
        float(current.registered_pct(current.total) or 0),
        None if withheld else float(current.rated_pct(current.total) or 0),
    )  # not yet published to him
    return {
        "labels": [str(y) for y, _a, _b in points],
        "suffix": "%",
        "datasets": [
            {"label": _("Tỷ lệ đăng ký (%)"), "values": [a for _y, a, _b in points]},
            {"label": _("Tỷ lệ đạt (%)"), "values": [b for _y, _a, b in points]},
        ],
    }


MISSING_SHOWN = 100  # the page lists this many units still missing; the Excel export lists them all


@replica_allowed
@login_required
@require_safe
def page(request, code, org_pk):
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    cov = domain.compute(campaign, org, limit=settings.SANGTAO_COVERAGE_INLINE_LIMIT)
    ancestors = list(
        Organization.objects.filter(
            path__in=[org.path[: 5 * i] for i in range(1, org.depth)], path__startswith=campaign.root.path
        ).order_by("depth")
    )
    can_act = request.user.has_perm("campaigns.act_for", org)
    reports = (
        upward.children_status(campaign, org) if can_act or request.user.has_perm("campaigns.read_level", org) else []
    )
    own_reports = list(UpwardReport.objects.filter(campaign=campaign, org=org).order_by("-number"))
    reported = {r["org"].pk: r["report"] for r in reports}
    hidden = upward.withheld(request.user, cov)  # results not yet published to this reader; the BC's rule too (V12)
    withheld = hidden.paths
    return render(
        request,
        "coverage/page.html",
        {
            "campaign": campaign,
            "org": org,
            "cov": cov,
            "ancestors": ancestors,
            "can_act": can_act,
            "reported": reported,
            "own_reports": own_reports,
            "charts": _chart_data(cov, withheld),
            "trend": _trend(campaign, org, request.user, cov, withheld),
            "missing_shown": domain.missing_units(campaign, org, limit=MISSING_SHOWN),
            "rows": [
                {
                    "row": r,
                    "registered_pct": cov.registered_pct(r.figures),
                    "rated_pct": cov.rated_pct(r.figures),
                    "report": reported.get(r.org_id),
                    "withheld": r.org_id in hidden.rows,
                }
                for r in cov.rows
            ],
            "own": {
                "row": SimpleNamespace(figures=cov.own),
                "registered_pct": cov.registered_pct(cov.own),
                "rated_pct": cov.rated_pct(cov.own),
                "withheld": hidden.own,
            },
            "total_withheld": hidden.total,
            "can_export": may_start(request.user, "coverage", org),
            "total_registered_pct": cov.registered_pct(cov.total),
            "total_rated_pct": cov.rated_pct(cov.total),
            "can_submit_upward": can_act and org.pk != campaign.root_id,
            "upward_draft": upward.current_draft(campaign, org) if can_act else None,
            "replications": replication_counts(campaign, org),
            "can_list": request.user.has_perm("campaigns.read_level", org),  # danh sách đăng ký tổng hợp (lists.py)
        },
    )


@login_required
@require_POST
def start_job(request, code, org_pk, kind):
    """Remind every unit still missing, or build a workbook — in the background, with a progress bar."""
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    if kind not in ("coverage", "year_end", "reminders"):
        raise Http404
    if not may_start(request.user, kind, org):
        raise PermissionDenied
    job = Export.objects.create(user=request.user, campaign=campaign, org=org, kind=kind)
    dispatch(run_export, job.pk)
    return redirect("coverage:job", pk=job.pk)


@login_required
@require_safe
def job_status(request, pk):
    job = get_object_or_404(Export.objects.select_related("campaign", "org"), pk=pk, user=request.user)
    template = "coverage/_job.html" if request.htmx else "coverage/job.html"
    return render(request, template, {"job": job, "progress": get_progress("export", job.pk)})


@login_required
@require_safe
def job_download(request, pk):
    job = get_object_or_404(Export, pk=pk, user=request.user, status=Export.Status.DONE)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_safe
def reminder_log(request, code, org_pk):
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    log = Reminder.objects.filter(campaign=campaign, org__path__startswith=org.path).select_related("org", "sent_by")[
        :500
    ]
    return render(request, "coverage/reminders.html", {"campaign": campaign, "org": org, "log": log})


@login_required
@require_POST
def upward_draft(request, code, org_pk):
    """“Lập dự thảo báo cáo tổng hợp”: the BC drawn from the figures (or the draft already made) in the editor."""
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    if not request.user.has_perm("campaigns.act_for", org):
        raise PermissionDenied
    try:
        doc = upward.draft_report(actor=request.user, campaign=campaign, org=org)
    except ValidationError as exc:
        actions.refused(request, exc)
        return redirect("coverage:page", code=code, org_pk=org.pk)
    messages.info(
        request,
        _(
            "Dự thảo báo cáo tổng hợp: kiểm tra, sửa các phần đánh giá, xem trước rồi bấm “Xác nhận và gửi báo cáo "
            "lên cấp trên”."
        ),
    )
    return redirect("campaigns:document", pk=doc.pk)


def _upward_draft(user, pk) -> Document:
    """A BC draft of an upward report, for the office of its level (others: 404, or 403 for its readers)."""
    doc = get_object_or_404(
        Document.objects.select_related("issuer", "campaign"), pk=pk, purpose=Document.Purpose.UPWARD_REPORT
    )
    if not user.has_perm("campaigns.act_for", doc.issuer):
        raise PermissionDenied if user.has_perm("campaigns.read_level", doc.issuer) else Http404
    return doc


@login_required
@require_POST
def upward_refresh(request, pk):
    """“Cập nhật số liệu vào dự thảo”: the figures part and the annex drawn again; the clerk's sections kept."""
    doc = _upward_draft(request.user, pk)
    return actions.run(
        request,
        lambda: upward.refresh_figures(actor=request.user, document=doc),
        success=lambda doc: (
            _(
                "Đã cập nhật số liệu vào dự thảo. Phần đánh giá, đề xuất anh/chị đã sửa được giữ nguyên: hãy kiểm tra lại "
                "các con số trong phần đó theo số liệu mới."
            )
            if doc.clerk_text_kept
            else _("Đã cập nhật số liệu vào dự thảo, cả phần đánh giá, đề xuất viết từ số liệu (chưa được sửa).")
        ),
        to=("campaigns:document", doc.pk),
    )


@login_required
@require_POST
def upward_confirm(request, pk):
    """The editor's issue step for the BC draft: what goes out and what changed since the draft, then `submit`."""
    doc = _upward_draft(request.user, pk)
    back = reverse("campaigns:document", kwargs={"pk": doc.pk})
    title = _("Gửi báo cáo tổng hợp lên cấp trên")
    if not confirm.confirmed(request):
        p = upward.preview(doc, request.user)
        if p["problems"]:
            return confirm.preview(request, title=title, problems=p["problems"], action=_("Gửi báo cáo"), back=back)
        rows = [
            (_("Số, ký hiệu"), _("cấp khi gửi: …-%(k)s/%(s)s") % {"k": doc.kind, "s": doc.symbol}),
            (_("Trích yếu"), doc.subject),
            (_("Kính gửi"), doc.salutation),
            (_("Gửi vào hộp văn bản đến của"), "; ".join(upward.recipient_names(doc))),
            (_("Thẩm quyền ký, người ký"), f"{' / '.join(doc.signature_lines)} — {doc.signer_name}"),
            (_("Phụ lục"), _("Danh sách %(n)d mô hình đã đăng ký (theo số liệu lúc gửi)") % {"n": p["annex_rows"]}),
        ]
        changed = p["changes"]
        return confirm.preview(
            request,
            title=title,
            rows=rows,
            text=doc.body,
            items=[_("Số liệu đã thay đổi từ khi lập dự thảo:"), *changed] if changed else (),
            lead=_("Báo cáo sẽ được ban hành với số mới và gửi vào hộp văn bản đến của cấp trên, nội dung như sau:"),
            action=_("Gửi báo cáo"),
            back=back,
            warning=(
                _(
                    "Số liệu trong nội dung là số liệu lúc lập dự thảo; muốn đưa số liệu mới vào, quay lại và bấm "
                    "“Cập nhật số liệu vào dự thảo” ở trang Tổng hợp. "
                )
                if changed
                else ""
            )
            + _("Số liệu được chốt tại thời điểm gửi; báo cáo đã gửi không sửa được (gửi lại khi bị trả lại)."),
        )
    try:
        rep = upward.submit(actor=request.user, document=doc)
    except ValidationError as exc:
        actions.refused(request, exc)
        return redirect(back)
    messages.success(request, _("Đã gửi báo cáo tổng hợp số %(r)s lên cấp trên.") % {"r": rep.document.reference})
    return redirect("coverage:upward", pk=rep.pk)


def _upward(user, pk) -> UpwardReport:
    rep = get_object_or_404(UpwardReport.objects.select_related("campaign", "org", "document", "submitted_by"), pk=pk)
    if not user.has_perm("campaigns.read_level", rep.org):
        raise Http404
    return rep


@login_required
@require_safe
def upward_detail(request, pk):
    rep = _upward(request.user, pk)
    parent = rep.org.parent_org
    return render(
        request,
        "coverage/upward.html",
        {
            "rep": rep,
            "snap": rep.snapshot,
            "own": upward.own_row(rep.snapshot),
            "changes": upward.changes_since(rep, request.user),  # only what this reader may see now (P11)
            "can_decide": parent is not None
            and request.user.has_perm("campaigns.act_for", parent)
            and rep.submitted_by_id != request.user.pk
            and rep.state == UpwardReport.State.SUBMITTED,
        },
    )


@login_required
@require_POST
def upward_decide(request, pk, action):
    rep = _upward(request.user, pk)
    parent = rep.org.parent_org
    if parent is None or not request.user.has_perm("campaigns.act_for", parent) or action not in ("accept", "return"):
        raise PermissionDenied
    try:
        upward.decide(actor=request.user, report=rep, accept=action == "accept", reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        actions.refused(request, exc)
    else:
        messages.success(request, _("Đã tiếp nhận báo cáo.") if action == "accept" else _("Đã trả lại báo cáo."))
    return redirect("coverage:upward", pk=rep.pk)
