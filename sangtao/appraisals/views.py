"""Appraisal screens: the competent level's queue, opening an appraisal with its council, the appraisal page
(registration, report and evidence beside the rubric, live total), consensus and sign-off, phúc tra, the
subjects' results with bonus judgements and publication, individuals without a registration, the quality of
appraisal per organization, and the rubric editor."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from sangtao.common import actions, confirm, formtoken, params
from sangtao.common.ops import replica_allowed
from sangtao.common.views import permitted, readable, stored_file
from sangtao.orgs.models import Organization, Person, Role
from sangtao.orgs.rules import READ_ROLES, scopes
from sangtao.registrations.models import Registration
from sangtao.registrations.rules import visible_q
from sangtao.registrations.views import REGISTRATION_RELATED_VIA, registration_for
from sangtao.reports.models import ResultsReport
from sangtao.reports.views import report_context

from . import domain, papers, scoring
from .models import Appraisal, IndividualAppraisal, ResultCorrection, Rubric, SubjectKind
from .rules import can_see_unregistered, is_subject_of, sees_unpublished, visible_results_q


def _appraisal(user, pk, act: str | None = None) -> Appraisal:
    """The appraisal the user may see (404 otherwise) and, when named, `act` on (403 otherwise)."""
    return readable(
        user,
        Appraisal.objects.select_related(
            "registration", *REGISTRATION_RELATED_VIA, "appraising_org", "rubric", "chair"
        ),
        pk,
        read="appraisals.view",
        act=act,
    )


appraisal_for = _appraisal  # the appraisal a user may see, or 404 (for the papers' views)


def appraisers_of(org: Organization):
    return (
        get_user_model()
        .objects.filter(roles__org=org, roles__role=Role.APPRAISER, is_active=True)
        .select_related("person__org")
        .distinct()
        .order_by("username")
    )


def council_label(user, org: Organization) -> tuple[str, str]:
    """A council candidate as the picker shows them: the full name, and beside it the position and organization
    of the cadre the account belongs to, or else the appraiser's role at `org` (login names are technical)."""
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name, ", ".join(part for part in (person.position, person.org.name) if part)
    return str(user), f"{Role.APPRAISER.label}, {org.name}"


def rubric_name(rubric: Rubric) -> str:
    """A rubric as users read it: its name and version in words (“phiên bản 2”, not “v2”)."""
    return _("%(name)s (phiên bản %(n)d)") % {"name": rubric.name, "n": rubric.version}


@replica_allowed
@login_required
@require_safe
def queue(request, code):
    """The models the user's levels appraise (or oversee), with where each stands."""
    campaign = get_campaign(request.user, code)
    q = (
        Registration.objects.filter(campaign=campaign, state__in=domain.APPRAISABLE | {"appraised"})
        .filter(visible_q(request.user))
        .select_related("subject_org", "person", "receiving_org", "report")
        .order_by("receiving_org__path", "subject_org__path", "person__full_name", "title")
    )
    mine = request.GET.get("cua_toi") == "1"
    if mine:
        q = q.filter(receiving_org_id__in=[s.org_id for s in scopes(request.user)])
    page = Paginator(q, 50).get_page(request.GET.get("page"))
    current = {
        a.registration_id: a
        for a in Appraisal.objects.filter(registration__in=[r.pk for r in page], is_current=True).only(
            "id", "registration_id", "appraising_org_id", "state", "total", "classification", "number"
        )
    }
    rows = []
    for reg in page:
        ap = current.get(reg.pk)
        report = getattr(reg, "report", None)
        rows.append(
            {
                "reg": reg,
                "appraisal": ap if ap and request.user.has_perm("appraisals.view", _bind(ap, reg)) else None,
                "report": report if report and report.first_submitted_at else None,
                "can_open": ap is None and request.user.has_perm("appraisals.open", reg),
            }
        )
    return render(request, "appraisals/queue.html", {"campaign": campaign, "page": page, "rows": rows, "mine": mine})


def _bind(ap: Appraisal, reg: Registration) -> Appraisal:
    ap.registration = reg
    ap.appraising_org = reg.receiving_org if ap.appraising_org_id == reg.receiving_org_id else ap.appraising_org
    return ap


@login_required
@require_http_methods(["GET", "POST"])
def open_appraisal(request, reg_pk):
    reg = registration_for(request.user, reg_pk, act="appraisals.open")
    return _council_form(
        request,
        reg,
        domain.competent_org(reg),
        lambda members, chair: domain.open_appraisal(
            actor=request.user, registration=reg, members=members, chair=chair
        ),
        success=_("Đã mở thẩm định."),
        template="appraisals/open.html",
        context={"reg": reg},
    )


def _council_form(request, reg, org, appoint, *, success, template, context):
    """Choosing the council of an appraisal (opening one, or a phúc tra): the appraisers of `org` who did not
    write the model, the members ticked among them and their chair. `appoint(members, chair)` opens the
    appraisal; `success` is its message (or a function of it)."""
    writers = domain.writer_ids(reg)
    candidates = [u for u in appraisers_of(org) if not domain.own_model(u, reg, writers)]
    for u in candidates:
        u.council_name, u.council_detail = council_label(u, org)
    errors = []
    if request.method == "POST":
        chosen = [u for u in candidates if str(u.pk) in request.POST.getlist("members")]
        chair = next((u for u in chosen if str(u.pk) == request.POST.get("chair")), None)
        try:
            if chair is None:
                raise domain.AppraisalError(_("Chọn người chủ trì trong số thành viên chấm."))
            ap = appoint(chosen, chair)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, success(ap) if callable(success) else success)
            return redirect("appraisals:detail", pk=ap.pk)
    return render(
        request,
        template,
        {
            **context,
            "org": org,
            "candidates": candidates,
            "errors": errors,
            "chosen": request.POST.getlist("members"),
            "chair": request.POST.get("chair", ""),
        },
    )


def _my_sheet(ap, user):
    return next((s for s in ap.sheets.all() if s.appraiser_id == user.pk), None)


@login_required
@require_safe
def detail(request, pk):
    ap = _appraisal(request.user, pk)
    return render(request, "appraisals/detail.html", _detail_context(request, ap))


def _detail_context(request, ap, raw=None, errors=None):

    user = request.user
    reg = ap.registration
    report = ResultsReport.objects.filter(registration=reg, first_submitted_at__isnull=False).first()
    sheet = _my_sheet(ap, user)
    can_score = user.has_perm("appraisals.score", ap) and not (sheet and sheet.submitted_at)
    is_member = ap.members.filter(pk=user.pk).exists()
    # Independence: a member sees the others' scores only after sending their own sheet; others see them
    # once the appraisal is signed.
    sees_council = (is_member and sheet is not None and sheet.submitted_at is not None) or (
        not is_member and ap.state != Appraisal.State.SCORING
    )
    rules = ap.rubric.rules
    raw = (
        raw
        if raw is not None
        else {c: (v.get("score", ""), v.get("note", "")) for c, v in (sheet.scores if sheet else {}).items()}
    )
    criteria = [
        {"c": c, "score": raw.get(c.code, ("", ""))[0], "note": raw.get(c.code, ("", ""))[1]} for c in rules.criteria
    ]
    ctx = {
        "ap": ap,
        "reg": reg,
        "rules": rules,
        "criteria": criteria,
        "errors": errors or [],
        "indicators": reg.indicators.all(),
        "attachments": reg.attachments.all(),
        "sheet": sheet,
        "can_score": can_score,
        "sees_council": sees_council,
        "preview": domain.preview(ap) if sees_council else None,
        "can_sign": user.has_perm("appraisals.sign", ap),
        "can_reappraise": user.has_perm("appraisals.reappraise", ap) and not hasattr(ap, "superseded_by"),
        # not "versions": the report's context (merged below) has its own, which replaced these rounds' links
        "appraisal_versions": Appraisal.objects.filter(visible_results_q(user), registration=reg)
        .select_related("appraising_org")
        .order_by("number"),
        "members": list(ap.members.all()),
        "submitted_ids": {s.appraiser_id for s in ap.sheets.all() if s.submitted_at},
        "live": _live(rules, raw),
        "papers": papers.detail_papers(user, ap),
    }
    if report is not None:
        ctx.update(report_context(report))
        ctx["report"] = report
        ctx["reg"] = reg
    return ctx


def _live(rules, raw) -> dict:
    """The total and class of what is typed so far (each valid score counted)."""
    total, complete, problems = Decimal(0), True, []
    for c in rules.criteria:
        value = raw.get(c.code, ("", ""))[0]
        if value in (None, ""):
            complete = False
            continue
        try:
            total += scoring.parse_score(value, c, rules.step)
        except scoring.ScoreError as exc:
            complete = False
            problems.append(str(exc))
    return {
        "total": total,
        "complete": complete,
        "problems": problems,
        "classification": scoring.classify(total, rules) if complete else "",
        "max": rules.criteria_max,
    }


def _raw_from_post(post, rules):
    return {c.code: (post.get(f"score_{c.code}", "").strip(), post.get(f"note_{c.code}", "")) for c in rules.criteria}


@login_required
@require_POST
def calc(request, pk):
    """HTMX: the live total and class while an appraiser types."""
    rules = _appraisal(request.user, pk).rubric.rules
    return render(request, "appraisals/_live.html", {"live": _live(rules, _raw_from_post(request.POST, rules))})


@login_required
@require_POST
def save_sheet(request, pk):
    ap = _appraisal(request.user, pk, act="appraisals.score")
    raw = _raw_from_post(request.POST, ap.rubric.rules)
    submit = "submit" in request.POST
    if submit and not confirm.confirmed(request):
        scores, notes, problems = domain.parse_sheet(ap.rubric.rules, raw, complete=True)
        if problems:  # shown on the sheet itself, with what was typed
            return render(request, "appraisals/detail.html", _detail_context(request, ap, raw=raw, errors=problems))
        live = _live(ap.rubric.rules, raw)
        rows = [
            (f"{c.code}. {c.label} ({scoring.fmt(scores[c.code])}/{scoring.fmt(c.max)})", notes[c.code])
            for c in ap.rubric.rules.criteria
        ]
        rows.append((_("Tổng"), f"{scoring.fmt(live['total'])} — {live['classification']}"))
        return confirm.preview(
            request,
            title=_("Nộp phiếu chấm: %(t)s") % {"t": ap.registration.title},
            rows=rows,
            action=_("Nộp phiếu chấm"),
            back=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
            warning=_(
                "Phiếu đã nộp không sửa được; các thành viên khác thấy điểm của đồng chí sau khi nộp phiếu của họ."
            ),
        )
    try:
        domain.save_sheet(actor=request.user, appraisal=ap, raw=raw, submit=submit)
    except ValidationError as exc:
        return render(
            request, "appraisals/detail.html", _detail_context(request, ap, raw=raw, errors=exc.messages), status=200
        )
    messages.success(request, _("Đã nộp phiếu chấm.") if submit else _("Đã lưu phiếu chấm (chưa nộp)."))
    return redirect("appraisals:detail", pk=ap.pk)


@login_required
@require_POST
def consensus(request, pk):
    ap = _appraisal(request.user, pk, act="appraisals.sign")
    fields = actions.posted(request, "code", "score", "reason")
    return actions.run(
        request,
        lambda: domain.record_consensus(actor=request.user, appraisal=ap, **fields),
        success=_("Đã ghi điểm thống nhất."),
        to=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
    )


@login_required
@require_POST
def sign(request, pk):
    ap = _appraisal(request.user, pk, act="appraisals.sign")
    if not confirm.confirmed(request):
        p = domain.preview(ap)
        rows = [
            (
                f"{r['criterion'].code}. {r['criterion'].label}",
                scoring.fmt(r["final"]) if r["final"] is not None else "—",
            )
            for r in p.rows
        ]
        rows.append(
            (_("Tổng, xếp loại"), f"{scoring.fmt(p.total)} — {p.classification}" if p.total is not None else "—")
        )
        waiting = (
            [_("Còn chờ phiếu chấm của: %(u)s.") % {"u": ", ".join(str(u) for u in p.waiting_for)}]
            if p.waiting_for
            else []
        )
        return confirm.preview(
            request,
            title=_("Ký duyệt kết quả thẩm định: %(t)s") % {"t": ap.registration.title},
            rows=rows,
            lead=_(
                "Kết quả của hội đồng như sau (trung bình các phiếu, làm tròn theo bước điểm, hoặc điểm thống nhất "
                "của chủ trì)."
            ),
            problems=waiting,
            action=_("Ký duyệt"),
            back=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
            warning=_("Sau khi ký duyệt, kết quả bị khóa; đơn vị chỉ thấy kết quả khi cấp thẩm định công bố."),
        )
    return actions.run(
        request,
        lambda: domain.sign_off(actor=request.user, appraisal=ap),
        success=lambda signed: (
            _("Đã ký duyệt: %(t)s điểm, xếp loại %(c)s.") % {"t": scoring.fmt(signed.total), "c": signed.classification}
        ),
        to=reverse("appraisals:detail", kwargs={"pk": ap.pk}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reappraise(request, pk):
    ap = _appraisal(request.user, pk, act="appraisals.reappraise")
    # The upper level that re-appraises: the user's own level above the one that appraised.
    orgs = [
        s
        for s in scopes(request.user)
        if s.role in (Role.APPRAISER, Role.ADMIN)
        and ap.appraising_org.path.startswith(s.path)
        and s.path != ap.appraising_org.path
    ]
    org = Organization.objects.get(pk=max(orgs, key=lambda s: len(s.path)).org_id)
    return _council_form(
        request,
        ap.registration,
        org,
        lambda members, chair: domain.reappraise(
            actor=request.user,
            appraisal=ap,
            org=org,
            reason=request.POST.get("reason", ""),
            members=members,
            chair=chair,
        ),
        success=lambda new: _("Đã mở phúc tra (lần %(n)d); kết quả cũ được giữ nguyên.") % {"n": new.number},
        template="appraisals/reappraise.html",
        context={"ap": ap, "reason": request.POST.get("reason", "")},
    )


def _visible_rows(user, campaign):
    rows = domain.visible_subject_rows(
        user, campaign, Registration.objects.filter(campaign=campaign).filter(visible_q(user))
    )
    for row in rows:
        row.can_judge = (
            not row.hidden
            and row.appraising_org is not None
            and domain.is_appraiser_of(user, row.appraising_org)
            and not is_subject_of(user, row.org, row.person)
        )
    return rows


@replica_allowed
@login_required
@require_safe
def results(request, code):
    campaign = get_campaign(request.user, code)
    rows = _visible_rows(request.user, campaign)
    rules = {k: domain.rubric_for(campaign, k).rules for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    judgement_bonuses = {k: [b for b in r.bonuses if b.kind == "judgement"] for k, r in rules.items()}
    bonus_names = {b.code: b.label for r in rules.values() for b in r.bonuses}  # people read the name, not TH_A
    publishable = sorted(
        {
            row.appraising_org
            for row in rows
            if row.appraising_org is not None
            and request.user.has_perm("appraisals.publish", row.appraising_org)
            and not row.published
            and row.final is not None
        },
        key=lambda o: o.path,
    )
    pending = _corrections(request.user, campaign, rows)
    shown = [r for r in rows if not r.hidden and r.classification]
    bands = [b.label for b in rules[SubjectKind.COLLECTIVE].bands]
    counts = Counter(r.classification for r in shown)
    chart = {"labels": bands, "datasets": [{"label": _("Số chủ thể"), "values": [counts.get(b, 0) for b in bands]}]}
    return render(
        request,
        "appraisals/results.html",
        {
            "campaign": campaign,
            "rows": rows,
            "judgement_bonuses": judgement_bonuses,
            "publishable": publishable,
            "bonus_names": bonus_names,
            "chart": chart,
            "shown": len(shown),
            "pending": pending,
            "notice_levels": papers.notice_levels(request.user, rows),
        },
    )


def _corrections(user, campaign, rows) -> list[ResultCorrection]:
    """Each visible row gets its published corrections (`row.corrections`); the corrections not yet published
    are returned for those who may see unpublished figures (never the unit), with what the user may do."""
    by_subject = {(r.org.pk, r.person.pk if r.person else None): r for r in rows}
    pending = []
    for c in ResultCorrection.objects.filter(campaign=campaign).select_related(
        "subject_org", "person", "appraising_org", "proposed_by", "signed_by"
    ):
        row = by_subject.get((c.subject_org_id, c.person_id))
        if row is None:
            continue
        if c.state == ResultCorrection.State.PUBLISHED:
            if not row.hidden:
                row.corrections = [*getattr(row, "corrections", []), c]
        elif sees_unpublished(user, c.appraising_org, c.subject_org, c.person):
            c.can_sign = (
                c.state == ResultCorrection.State.PROPOSED
                and c.proposed_by_id != user.pk
                and domain.is_appraiser_of(user, c.appraising_org)
                and not is_subject_of(user, c.subject_org, c.person)
            )
            c.can_publish = c.state == ResultCorrection.State.SIGNED and user.has_perm(
                "appraisals.publish", c.appraising_org
            )
            pending.append(c)
    return pending


def _bonus_from_post(request, campaign) -> domain.BonusDecision:
    """The judged bonus a form names — its subject (404 outside the user's view), code, whether it is granted and
    why — as the decision the domain sets or corrects."""
    org = get_object_or_404(Organization, pk=params.pk(request.POST.get("org")))
    person = get_object_or_404(Person, pk=params.pk(request.POST["person"])) if request.POST.get("person") else None
    if not request.user.has_perm("orgs.view_org", org):
        raise Http404
    return domain.BonusDecision(
        campaign=campaign,
        subject_org=org,
        person=person,
        code=request.POST.get("code", ""),
        granted=request.POST.get("granted") == "1",
        justification=request.POST.get("justification", ""),
    )


@login_required
@require_POST
def correction_new(request, code):
    """Propose a correction of a published bonus (with its reason)."""
    campaign = get_campaign(request.user, code)
    judged = _bonus_from_post(request, campaign)
    try:
        with formtoken.once(request) as made:  # one proposal per form, however often it is sent
            c = domain.propose_correction(actor=request.user, decision=judged, reason=request.POST.get("reason", ""))
            made(reverse("appraisals:results", kwargs={"code": campaign.code}))
    except formtoken.Duplicate:
        messages.info(request, _("Biểu mẫu này đã được gửi; không ghi đề xuất thứ hai."))
    except ValidationError as exc:
        actions.refused(request, exc)
    else:
        messages.success(request, _("Đã ghi đề xuất đính chính (phiên bản %(n)d), chờ ký duyệt.") % {"n": c.number})
    return redirect("appraisals:results", code=campaign.code)


@login_required
@require_POST
def correction_act(request, pk, action):
    c = get_object_or_404(
        ResultCorrection.objects.select_related("campaign", "appraising_org", "subject_org", "person"), pk=pk
    )
    if not sees_unpublished(request.user, c.appraising_org, c.subject_org, c.person):
        raise Http404
    try:
        if action == "sign":
            domain.sign_correction(actor=request.user, correction=c)
            messages.success(request, _("Đã ký duyệt đính chính."))
        else:
            domain.publish_correction(actor=request.user, correction=c)
            messages.success(request, _("Đã công bố đính chính; đơn vị đã được thông báo."))
    except ValidationError as exc:
        actions.refused(request, exc)
    return redirect("appraisals:results", code=c.campaign.code)


@login_required
@require_POST
def bonus(request, code):
    campaign = get_campaign(request.user, code)
    judged = _bonus_from_post(request, campaign)
    subject = judged.person.full_name if judged.person else judged.subject_org.name
    return actions.run(
        request,
        lambda: domain.set_bonus(actor=request.user, decision=judged),
        success=_("Đã ghi điểm thưởng của %(s)s.") % {"s": subject},
        to=reverse("appraisals:results", kwargs={"code": campaign.code}),
    )


@login_required
@require_POST
def publish(request, code, org_pk):
    campaign = get_campaign(request.user, code)
    org = permitted(request.user, "appraisals.publish", get_object_or_404(Organization, pk=org_pk))
    if not confirm.confirmed(request):
        waiting = domain.to_publish(campaign, org)
        items = [f"{name}: {title} — {scoring.fmt(total)} {_('điểm')}, {cls}" for name, title, total, cls in waiting]
        return confirm.preview(
            request,
            title=_("Công bố kết quả thẩm định của %(o)s") % {"o": org.name},
            items=items,
            lead=_("%(n)d kết quả đã ký duyệt sẽ được công bố cho các đơn vị, cá nhân:") % {"n": len(items)},
            problems=[] if items else [_("Không có kết quả nào đã ký duyệt đang chờ công bố.")],
            action=_("Công bố"),
            back=reverse("appraisals:results", kwargs={"code": campaign.code}),
            warning=_("Sau khi công bố, kết quả chỉ thay đổi qua đính chính có lý do, ký duyệt và công bố lại."),
        )
    return actions.run(
        request,
        lambda: domain.publish(actor=request.user, campaign=campaign, org=org),
        success=lambda n: _("Đã công bố %(n)d kết quả thẩm định của %(o)s.") % {"n": n, "o": org.name},
        to=reverse("appraisals:results", kwargs={"code": campaign.code}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unregistered(request, code):
    """An individual who registered no model, appraised on one of the three bases of HD 09 I.2.2."""
    campaign = get_campaign(request.user, code)
    my_orgs = [s.org_id for s in scopes(request.user) if s.role == Role.APPRAISER]
    if not my_orgs:
        raise PermissionDenied
    people = (
        Person.objects.filter(active=True, evaluating_org_id__in=my_orgs).select_related("org").order_by("full_name")
    )
    errors, values = [], request.POST
    if request.method == "POST":
        person = next((p for p in people if str(p.pk) == request.POST.get("person")), None)
        try:
            if person is None:
                raise domain.AppraisalError(_("Chọn cá nhân thuộc thẩm quyền đánh giá của cấp mình."))
            with formtoken.once(request) as made:  # sent twice, it is recorded once
                domain.appraise_unregistered(
                    actor=request.user,
                    campaign=campaign,
                    person=person,
                    basis=request.POST.get("basis", ""),
                    reference=request.POST.get("reference", ""),
                    description=request.POST.get("description", ""),
                    score=request.POST.get("score", ""),
                    upload=request.FILES.get("evidence"),
                    reason=request.POST.get("reason", ""),
                )
                made(reverse("appraisals:results", kwargs={"code": campaign.code}))
        except formtoken.Duplicate as dup:
            messages.info(request, _("Biểu mẫu này đã được gửi; kết quả chỉ ghi một lần."))
            return redirect(dup.result_url)
        except (ValidationError, scoring.ScoreError) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        else:
            messages.success(request, _("Đã ghi kết quả thẩm định của %(p)s.") % {"p": person.full_name})
            return redirect("appraisals:results", code=campaign.code)
    done = [
        ia
        for ia in IndividualAppraisal.objects.filter(
            campaign=campaign, is_current=True, appraising_org_id__in=my_orgs
        ).select_related("person", "person__org", "appraising_org")
        if can_see_unregistered(request.user, ia)
    ]
    return render(
        request,
        "appraisals/unregistered.html",
        {
            "campaign": campaign,
            "people": people,
            "errors": errors,
            "values": values,
            "bases": IndividualAppraisal.Basis.choices,
            "done": done,
        },
    )


@login_required
@require_safe
def unregistered_evidence(request, pk):
    ia = get_object_or_404(IndividualAppraisal.objects.select_related("person", "person__org", "appraising_org"), pk=pk)
    if not can_see_unregistered(request.user, ia) or not ia.evidence:
        raise Http404
    return stored_file(ia.evidence, content_type=ia.evidence_type, filename=ia.evidence_name)


@login_required
@require_safe
def quality(request, code):
    """For the levels above: how each appraising organization below scores (1240-CV/BTCTU)."""
    campaign = get_campaign(request.user, code)
    tops = [s for s in scopes(request.user) if s.role in READ_ROLES]  # only one's own subtree is shown
    q = Organization.objects.none()
    for s in tops:
        q |= Organization.objects.filter(path__startswith=s.path)
    if request.user.is_superuser:
        q = Organization.objects.all()
    visible = visible_results_q(request.user)
    org_ids = set(
        Appraisal.objects.filter(visible, registration__campaign=campaign).values_list("appraising_org", flat=True)
    )
    orgs = list(q.filter(pk__in=org_ids).order_by("path"))
    stats = domain.quality(campaign, orgs, visible)
    bands = [b.label for b in domain.rubric_for(campaign, SubjectKind.COLLECTIVE).rules.bands]
    chart = {
        "labels": [s.org.short_name or s.org.name[:30] for s in stats],
        "horizontal": True,
        "datasets": [{"label": band, "values": [s.classes.get(band, 0) for s in stats]} for band in bands],
    }
    return render(
        request, "appraisals/quality.html", {"campaign": campaign, "stats": stats, "bands": bands, "chart": chart}
    )


# --- Rubrics --------------------------------------------------------------------------------------


@login_required
@require_safe
def rubric_list(request):
    permitted(request.user, "appraisals.manage_rubrics")
    for kind in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL):
        domain.default_rubric(kind)
    rubrics = list(Rubric.objects.all())
    for r in rubrics:
        r.frozen = domain.rubric_frozen(r)
    return render(request, "appraisals/rubric_list.html", {"rubrics": rubrics})


def _lines(rubric: Rubric) -> dict:
    criteria = "\n".join(f"{c['code']} | {scoring.fmt(Decimal(c['max']))} | {c['label']}" for c in rubric.criteria)
    bonuses = "\n".join(
        f"{b['code']} | {scoring.fmt(Decimal(b['points']))} | "
        f"{'đánh giá' if b['kind'] == 'judgement' else 'ít nhất ' + str(b['min_count']) + ' mô hình ' + b['min_class']}"
        f" | {b['label']}"
        for b in rubric.bonuses
    )
    bands = "\n".join(f"{b['label']} | {scoring.fmt(Decimal(b['min']))}" for b in rubric.bands)
    return {"criteria": criteria, "bonuses": bonuses, "bands": bands}


def parse_lines(criteria: str, bonuses: str, bands: str):
    """The rubric editor's three boxes, one item per line with | between the parts; every bad line named."""

    errors, out_c, out_b, out_k = [], [], [], []

    def num(text, where):  # bounds are checked with the whole rubric (scoring.number_problems)
        try:
            value = Decimal(text.strip().replace(",", "."))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite():
            errors.append(_("%(w)s: “%(t)s” không phải là số.") % {"w": where, "t": text.strip()[:40]})
            return "0"
        return str(value)

    for i, line in enumerate([x for x in criteria.splitlines() if x.strip()], start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            errors.append(_("Tiêu chí, dòng %(n)d: cần “mã | điểm tối đa | nội dung”.") % {"n": i})
            continue
        out_c.append({"code": parts[0], "max": num(parts[1], _("Tiêu chí, dòng %(n)d") % {"n": i}), "label": parts[2]})
    for i, line in enumerate([x for x in bonuses.splitlines() if x.strip()], start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            errors.append(
                _("Điểm thưởng, dòng %(n)d: cần “mã | điểm | đánh giá hoặc ít nhất N mô hình Mức | nội dung”.")
                % {"n": i}
            )
            continue
        m = re.fullmatch(r"ít nhất\s+(\d+)\s+mô hình\s+(.+)", parts[2], re.IGNORECASE)
        if parts[2].lower() == "đánh giá":
            kind = {"kind": "judgement"}
        elif m:
            kind = {"kind": "derived", "min_count": int(m.group(1)), "min_class": m.group(2).strip()}
        else:
            errors.append(
                _("Điểm thưởng, dòng %(n)d: cột thứ ba là “đánh giá” hoặc “ít nhất 2 mô hình Khá”.") % {"n": i}
            )
            continue
        out_b.append(
            {
                "code": parts[0],
                "points": num(parts[1], _("Điểm thưởng, dòng %(n)d") % {"n": i}),
                "label": parts[3],
                **kind,
            }
        )
    for i, line in enumerate([x for x in bands.splitlines() if x.strip()], start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 2:
            errors.append(_("Xếp loại, dòng %(n)d: cần “tên mức | điểm từ”.") % {"n": i})
            continue
        out_k.append({"label": parts[0], "min": num(parts[1], _("Xếp loại, dòng %(n)d") % {"n": i})})
    return out_c, out_b, out_k, errors


@login_required
@require_http_methods(["GET", "POST"])
def rubric_new(request, pk):
    """A new version of a rubric (a rubric is never edited in place: what a campaign used stays as it was)."""
    permitted(request.user, "appraisals.manage_rubrics")
    base = get_object_or_404(Rubric, pk=pk)
    values = {
        **_lines(base),
        "name": base.name,
        "source": base.source,
        "cap": scoring.fmt(base.cap),
        "step": scoring.fmt(base.step),
    }
    errors = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        criteria, bonuses, bands, errors = parse_lines(values["criteria"], values["bonuses"], values["bands"])
        if not errors:
            try:
                with formtoken.once(request) as made:  # a double click makes one version, not two
                    rubric = domain.new_rubric_version(
                        actor=request.user,
                        base=base,
                        code="",
                        name=values["name"],
                        source=values["source"],
                        subject_kind=base.subject_kind,
                        criteria=criteria,
                        bonuses=bonuses,
                        bands=bands,
                        cap=Decimal(values["cap"].replace(",", ".") or "10"),
                        step=Decimal(values["step"].replace(",", ".") or "0.25"),
                    )
                    made(reverse("appraisals:rubrics"))
            except formtoken.Duplicate as dup:
                messages.info(request, _("Biểu mẫu này đã được gửi; không tạo phiên bản thứ hai."))
                return redirect(dup.result_url or reverse("appraisals:rubrics"))
            except (ValidationError, ArithmeticError) as exc:
                errors = exc.messages if isinstance(exc, ValidationError) else [_("Điểm trần, bước điểm phải là số.")]
            else:
                messages.success(request, _("Đã tạo %(r)s.") % {"r": rubric_name(rubric)})
                return redirect("appraisals:rubrics")
    return render(request, "appraisals/rubric_form.html", {"base": base, "values": values, "errors": errors})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_rubrics(request, code):
    campaign = get_campaign(request.user, code)
    permitted(request.user, "campaigns.open", campaign.root)
    if request.method == "POST":
        rubric = get_object_or_404(Rubric, pk=params.pk(request.POST.get("rubric")))
        return actions.run(
            request,
            lambda: domain.assign_rubric(
                actor=request.user, campaign=campaign, kind=rubric.subject_kind, rubric=rubric
            ),
            success=_("Đợt dùng %(r)s.") % {"r": rubric_name(rubric)},
            to=reverse("appraisals:campaign_rubrics", kwargs={"code": campaign.code}),
        )
    current = {k: domain.rubric_for(campaign, k) for k in (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL)}
    return render(
        request,
        "appraisals/campaign_rubrics.html",
        {
            "campaign": campaign,
            "current": current,
            "choices": {k: Rubric.objects.filter(subject_kind=k) for k in current},
        },
    )
