"""Results report screens: the campaign's list of reports, writing a report against the outline (with
evidence), its page with the workflow actions and versions, the reviewer's side-by-side view, evidence
downloads through a permission check, and the province's outline editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from sangtao.campaigns.access import get_campaign
from sangtao.campaigns.domain import days_left
from sangtao.common import actions
from sangtao.common.fields import plain
from sangtao.common.ops import replica_allowed
from sangtao.common.text import fold
from sangtao.common.views import permitted, readable, stored_file
from sangtao.registrations.models import Registration
from sangtao.registrations.rules import visible_q
from sangtao.registrations.views import REGISTRATION_RELATED_VIA, registration_for

from . import domain, papers
from .forms import EvidenceForm, ReportFilterForm, ReportForm, SectionFormSet
from .models import Evidence, ReportState, ResultsReport


def _report(user, pk, act: str | None = None) -> ResultsReport:
    """The report the user may read — another unit's report, or a draft, does not exist for them (404) — and,
    when named, `act` on (403 otherwise)."""
    return readable(
        user,
        ResultsReport.objects.select_related("registration", *REGISTRATION_RELATED_VIA),
        pk,
        read="reports.read",
        act=act,
    )


report_for = _report  # the report a user may read, or 404 (for the papers' views)

WORKFLOW = actions.Workflow(
    domain.TRANSITIONS,
    perms={"registrant": "reports.write", "receiver": "reports.review"},
    domain=domain,
    arg="report",
)


def _evidence_by_claim(rep: ResultsReport) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for ev in rep.evidence.all():
        out.setdefault(ev.claim, []).append(ev)
    return out


def report_context(rep: ResultsReport) -> dict:
    outline = domain.outline_for(rep.registration.campaign).sections
    evidence = _evidence_by_claim(rep)
    rows = domain.rows(rep)
    return {
        "report": rep,
        "reg": rep.registration,
        "sections": [
            {
                "title": s["title"],
                "text": rep.sections.get(s["key"], ""),
                "required": s["required"],
                "evidence": evidence.get(f"section:{s['key']}", []),
            }
            for s in outline
        ],
        "rows": [{"row": r, "evidence": evidence.get(f"indicator:{r.indicator.pk}", [])} for r in rows],
        "chart": {
            "labels": [r.indicator.name[:60] for r in rows],
            "values": [float(r.percent) if r.percent is not None else None for r in rows],
        },
        "versions": rep.versions.select_related("actor"),
    }


@replica_allowed
@login_required
@require_safe
def report_list(request, code):
    campaign = get_campaign(request.user, code)
    form = ReportFilterForm(request.GET or None)
    qs = (
        Registration.objects.filter(campaign=campaign, state__in=domain.REPORTABLE | {"appraised"})
        .filter(visible_q(request.user))
        .select_related("subject_org", "person", "receiving_org", "report")
    )
    if form.is_valid():
        status, q = form.cleaned_data["status"], form.cleaned_data["q"]
        if status == "none":
            qs = qs.filter(report__isnull=True)
        elif status == "late":
            qs = qs.filter(report__late=True)
        elif status:
            qs = qs.filter(report__state=status)
        if q:
            qs = qs.filter(search_key__contains=fold(q))
    # A writer's draft is theirs: others see "not yet submitted" for it.
    qs = qs.order_by("subject_org__path", "person__full_name", "title").distinct()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for reg in page:
        rep = getattr(reg, "report", None)
        reg.report_visible = (
            rep if rep and (rep.first_submitted_at or request.user.has_perm("reports.write", rep)) else None
        )
    return render(
        request,
        "reports/list.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "can_edit_outline": request.user.has_perm("campaigns.open", campaign.root),
        },
    )


@login_required
@require_safe
def report_for_registration(request, reg_pk):
    """A registration's results report, or — for its writers — the invitation to write it."""
    reg = registration_for(request.user, reg_pk)
    rep = ResultsReport.objects.filter(registration=reg).first()
    if rep is not None:
        return redirect("reports:detail", pk=rep.pk)
    probe = ResultsReport(registration=reg)
    if not request.user.has_perm("reports.write", probe):
        raise Http404
    return redirect("reports:edit", reg_pk=reg.pk)


@login_required
@require_safe
def report_detail(request, pk):
    rep = _report(request.user, pk)
    user = request.user
    deadline = domain.results_deadline(rep.registration)
    return render(
        request,
        "reports/detail.html",
        {
            **report_context(rep),
            "actions": WORKFLOW.available(user, rep),
            "can_edit": rep.state in domain.EDITABLE and user.has_perm("reports.write", rep),
            "missing": domain.missing_for_submission(rep) if rep.state in domain.EDITABLE else [],
            "deadline": deadline,
            "days_left": days_left(deadline),
            "can_review": user.has_perm("reports.review", rep)
            or (user.has_perm("registrations.read", rep.registration) and rep.first_submitted_at is not None),
            "papers": papers.report_papers(user, rep),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, reg_pk):  # noqa: C901 — text, indicators and an evidence file saved by one form, each refusal kept on it
    reg = registration_for(request.user, reg_pk)
    rep = ResultsReport.objects.filter(registration=reg).first()
    if not request.user.has_perm("reports.write", rep or ResultsReport(registration=reg)):
        raise PermissionDenied
    if rep is None and reg.state not in domain.REPORTABLE:
        messages.error(
            request,
            _("Chỉ báo cáo kết quả khi đăng ký đã được tiếp nhận (đang ở trạng thái “%(s)s”).")
            % {"s": reg.get_state_display()},
        )
        return redirect("registrations:detail", pk=reg.pk)
    if rep is not None and rep.state not in domain.EDITABLE:
        messages.error(request, _("Báo cáo ở trạng thái “%(s)s” không sửa được.") % {"s": rep.get_state_display()})
        return redirect("reports:detail", pk=rep.pk)
    outline = domain.outline_for(reg.campaign).sections
    indicators = list(reg.indicators.all())
    initial = {"version": rep.version if rep else None}
    if rep is not None:
        initial.update({f"s_{k}": v for k, v in rep.sections.items()})
        for res in rep.results.all():
            initial[f"a_{res.indicator_id}"], initial[f"n_{res.indicator_id}"] = plain(res.achieved), res.note
    form = ReportForm(request.POST or None, initial=initial, sections=outline, indicators=indicators)
    claims = (
        domain.claims(rep)
        if rep
        else [(f"section:{s['key']}", s["title"]) for s in outline]
        + [(f"indicator:{i.pk}", _("Chỉ tiêu: %(n)s") % {"n": i.name}) for i in indicators]
    )
    evidence_form = EvidenceForm(request.POST or None, request.FILES or None, claims=claims)
    if request.method == "POST" and form.is_valid() and evidence_form.is_valid():
        try:
            rep = rep or domain.start_report(actor=request.user, registration=reg)
            rep = domain.save_draft(
                actor=request.user,
                report=rep,
                sections=form.section_values(),
                results=form.result_values(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            upload = evidence_form.cleaned_data.get("file")
            if upload is not None:
                try:
                    domain.add_evidence(
                        actor=request.user,
                        report=rep,
                        upload=upload,
                        claim=evidence_form.cleaned_data.get("claim") or "",
                        description=evidence_form.cleaned_data.get("description") or "",
                    )
                except ValidationError as exc:
                    # The text is saved; the file is refused with its reason, on the same form.
                    messages.success(request, _("Đã lưu dự thảo báo cáo."))
                    for m in exc.messages:
                        evidence_form.add_error("file", m)
                    data = request.POST.copy()
                    data["version"] = rep.version  # the text just saved is the current version
                    form = ReportForm(data, sections=outline, indicators=indicators)
                    form.is_valid()
                    return render(request, "reports/form.html", _form_context(reg, rep, form, evidence_form))
                messages.success(request, _("Đã đính kèm “%(f)s”.") % {"f": upload.name})
            if "submit" in request.POST:
                if not actions.attempt(request, lambda: domain.submit(actor=request.user, report=rep)):
                    return redirect("reports:edit", reg_pk=reg.pk)
                messages.success(request, _("Đã gửi báo cáo kết quả."))
                return redirect("reports:detail", pk=rep.pk)
            messages.success(request, _("Đã lưu dự thảo báo cáo."))
            if "stay" in request.POST or upload is not None:
                return redirect("reports:edit", reg_pk=reg.pk)
            return redirect("reports:detail", pk=rep.pk)
    return render(request, "reports/form.html", _form_context(reg, rep, form, evidence_form))


def _form_context(reg, rep, form, evidence_form):
    deadline = domain.results_deadline(reg)
    per_file, per_report = domain.limits()
    return {
        "reg": reg,
        "report": rep,
        "form": form,
        "evidence_form": evidence_form,
        "evidence": list(rep.evidence.all()) if rep else [],
        "deadline": deadline,
        "days_left": days_left(deadline),
        "claims": dict(evidence_form.fields["claim"].choices),
        "max_file_mb": per_file // 2**20,
        "max_report_mb": per_report // 2**20,
        "missing": domain.missing_for_submission(rep) if rep else [],
    }


report_action = WORKFLOW.view(_report, to="reports:detail")


@login_required
@require_safe
def side_by_side(request, pk):
    """What the receiving level and the appraiser read: what was registered beside what was reported,
    indicator by indicator, with the evidence for each claim."""
    rep = _report(request.user, pk)
    return render(
        request,
        "reports/side_by_side.html",
        {
            **report_context(rep),
            "indicators": rep.registration.indicators.all(),
            "attachments": rep.registration.attachments.all(),
        },
    )


@login_required
@require_POST
def evidence_upload(request, pk):
    rep = _report(request.user, pk, act="reports.write")
    upload = request.FILES.get("file")
    return actions.run(
        request,
        lambda: domain.add_evidence(
            actor=request.user, report=rep, upload=upload, **actions.posted(request, "claim", "description")
        ),
        success=lambda ev: _("Đã đính kèm “%(f)s”.") % {"f": ev.original_name},
        to=reverse("reports:edit", kwargs={"reg_pk": rep.registration_id}),
    )


@login_required
@require_safe
def evidence_download(request, pk):
    ev = get_object_or_404(Evidence, pk=pk)
    _report(request.user, ev.report_id)
    return stored_file(ev.file, content_type=ev.content_type, filename=ev.original_name, sandbox=True)


@login_required
@require_POST
def evidence_delete(request, pk):
    ev = get_object_or_404(Evidence, pk=pk)
    rep = _report(request.user, ev.report_id, act="reports.write")
    return actions.run(  # the refusal has one reason: the report is no longer a draft
        request,
        lambda: domain.remove_evidence(actor=request.user, evidence=ev),
        success=_("Đã bỏ minh chứng “%(f)s”.") % {"f": ev.original_name},
        to=reverse("reports:edit", kwargs={"reg_pk": rep.registration_id}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outline_edit(request, code):
    campaign = get_campaign(request.user, code)
    permitted(request.user, "campaigns.open", campaign.root)
    outline = domain.outline_for(campaign)
    formset = SectionFormSet(request.POST or None, prefix="s", initial=outline.sections)
    errors = []
    if request.method == "POST" and formset.is_valid():
        try:
            domain.save_outline(
                actor=request.user, campaign=campaign, sections=[f.cleaned_data for f in formset if f.cleaned_data]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã lưu đề cương báo cáo kết quả."))
            return redirect("reports:outline", code=campaign.code)
    used = ResultsReport.objects.filter(registration__campaign=campaign).filter(~Q(state=ReportState.DRAFT)).count()
    return render(
        request, "reports/outline.html", {"campaign": campaign, "formset": formset, "errors": errors, "used": used}
    )
