"""Buttons that draw the appraisal's papers as drafts (issue 17): biên bản of an appraisal or of a council's whole
session, phiếu chấm điểm of each member, thông báo kết quả. Each opens the draft in the document editor
(campaigns:document), where it is edited, previewed, issued with its number and downloaded. The chair of a council
reads the session minutes he signs on the same page as the office draws them (rules D20)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sangtao.campaigns.access import get_campaign, level_org
from sangtao.common import actions
from sangtao.common.fields import DateField
from sangtao.common.templatetags.vn import vn_number
from sangtao.documents import render as doc_render
from sangtao.orgs.models import Organization, Role
from sangtao.orgs.rules import scopes

from . import papers
from .models import Appraisal, ScoreSheet
from .views import appraisal_for


def _opened(request, doc, what: str):
    messages.info(request, _("Dự thảo %(w)s: kiểm tra, sửa rồi ban hành.") % {"w": what})
    return redirect("campaigns:document", pk=doc.pk)


@login_required
@require_POST
def minutes(request, pk):
    doc = papers.draft_minutes(actor=request.user, appraisal=appraisal_for(request.user, pk))
    return _opened(request, doc, _("biên bản họp thẩm định"))


@login_required
@require_POST
def score_sheet(request, pk, sheet_pk):
    sheet = get_object_or_404(ScoreSheet, pk=sheet_pk, appraisal=appraisal_for(request.user, pk))
    return _opened(request, papers.draft_score_sheet(actor=request.user, sheet=sheet), _("phiếu chấm điểm"))


@login_required
@require_POST
def notice(request, code, org_pk):
    campaign = get_campaign(request.user, code)
    org = get_object_or_404(Organization, pk=org_pk)
    try:
        doc = papers.draft_notice(actor=request.user, campaign=campaign, org=org)
    except ValidationError as exc:
        actions.refused(request, exc)
        return redirect("appraisals:results", code=campaign.code)
    return _opened(request, doc, _("thông báo kết quả thẩm định"))


class SessionForm(forms.Form):
    """The meeting's day and the models it appraised (by default: signed off that day, in no session's minutes)."""

    day = DateField(label=gettext_lazy("Ngày họp"))
    appraisals = forms.MultipleChoiceField(
        label=gettext_lazy("Các mô hình Hội đồng đã thẩm định trong phiên"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), done=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(ap.pk): ap for ap in candidates}
        self.fields["appraisals"].choices = [
            (
                str(ap.pk),
                f"{ap.registration.title} — {ap.registration.subject_name}: {vn_number(ap.total)} điểm, "
                f"{ap.classification} (ký duyệt {timezone.localtime(ap.signed_at):%d/%m/%Y %H:%M})"
                + (_(" — đã có trong biên bản phiên họp") if ap.pk in done else ""),
            )
            for ap in candidates
        ]

    def chosen(self) -> list:
        return [self.candidates[pk] for pk in self.cleaned_data["appraisals"]]


def _day(text: str):
    """The day asked for in the address (?ngay=dd/mm/yyyy); a wrong one is ignored (the default day is shown)."""
    try:
        return DateField(required=False).clean(text)
    except ValidationError:
        return None


def sits_on_council(user, org: Organization) -> bool:
    """An appraiser of exactly this level: who sits on its councils, and chairs them."""
    return any(s.role == Role.APPRAISER and s.org_id == org.pk for s in scopes(user))


def chaired_minutes(user, campaign, org: Organization) -> list[tuple]:
    """The level's session minutes in the campaign (draft or issued, newest first) that `user` signs as chair —
    covering an appraisal he chaired — and may read (rules D12: every result in them), each with the appraisals
    it covers; in a fixed number of queries however many."""
    docs = list(papers.session_papers(org.pk).filter(campaign=campaign))
    readable = papers.readable_papers(user, [d.source for d in docs])
    covered = {d.pk: [int(pk) for pk in (d.annex or {}).get("appraisals", [])] for d in docs if d.source in readable}
    aps = Appraisal.objects.select_related("registration").in_bulk({pk for pks in covered.values() for pk in pks})
    return [
        (d, [aps[pk] for pk in covered[d.pk] if pk in aps])
        for d in docs
        if d.pk in covered and any(pk in aps and aps[pk].chair_id == user.pk for pk in covered[d.pk])
    ]


def _chair_side(request, campaign, org: Organization):
    """What the page shows a member of the level's council (rules D20): the minutes he signs as chair, to read in
    full (`?pdf=<pk>`: the PDF, draft or issued) — never the form, which is the office's (D18)."""
    chaired = chaired_minutes(request.user, campaign, org)
    wanted = request.GET.get("pdf")
    if wanted is not None:
        doc = next((d for d, _aps in chaired if str(d.pk) == wanted), None)
        if doc is None:
            raise Http404
        data = doc.pdf_file.read() if doc.pdf_file else doc_render.pdf_bytes(doc)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = doc_render.attachment_header(f"{doc_render.file_stem(doc)}.pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request,
        "appraisals/session_minutes.html",
        {"campaign": campaign, "org": org, "office": False, "chaired": chaired},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_minutes(request, code, org_pk):
    """Biên bản họp Hội đồng thẩm định of a whole session at a level: the office picks the day and the models;
    a member of the level's council reads there the minutes he signs as chair (rules D18, D20)."""
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    if not papers.is_office(request.user, org.pk):
        if request.method == "GET" and sits_on_council(request.user, org):
            return _chair_side(request, campaign, org)
        raise PermissionDenied if request.user.has_perm("campaigns.read_level", org) else Http404
    candidates = papers.session_candidates(request.user, campaign, org)
    done = papers.in_sessions(org)
    day, ticked = papers.session_defaults(candidates, done, _day(request.GET.get("ngay", "")))
    form = SessionForm(
        request.POST or None,
        candidates=candidates,
        done=done,
        initial={"day": day, "appraisals": [str(ap.pk) for ap in ticked]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            doc = papers.draft_session_minutes(
                actor=request.user,
                campaign=campaign,
                org=org,
                appraisals=form.chosen(),
                day=form.cleaned_data["day"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _opened(request, doc, _("biên bản họp Hội đồng thẩm định"))
    return render(
        request,
        "appraisals/session_minutes.html",
        {
            "campaign": campaign,
            "org": org,
            "office": True,
            "form": form,
            "day": day,
            "sessions": list(papers.session_papers(org.pk)),
        },
    )
