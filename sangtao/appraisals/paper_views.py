"""Buttons that draw the appraisal's papers as drafts (issue 17): biên bản, phiếu chấm điểm of each member, thông
báo kết quả. Each opens the draft in the document editor (campaigns:document), where it is edited, previewed,
issued with its number and downloaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangtao.campaigns.access import get_campaign
from sangtao.common import actions
from sangtao.orgs.models import Organization

from . import papers
from .models import ScoreSheet
from .views import appraisal_for


@login_required
@require_POST
def minutes(request, pk):
    ap = appraisal_for(request.user, pk)
    doc = papers.draft_minutes(actor=request.user, appraisal=ap)
    messages.info(request, _("Dự thảo biên bản họp thẩm định: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)


@login_required
@require_POST
def score_sheet(request, pk, sheet_pk):
    ap = appraisal_for(request.user, pk)
    sheet = get_object_or_404(ScoreSheet, pk=sheet_pk, appraisal=ap)
    doc = papers.draft_score_sheet(actor=request.user, sheet=sheet)
    messages.info(request, _("Dự thảo phiếu chấm điểm: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)


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
    messages.info(request, _("Dự thảo thông báo kết quả thẩm định: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)
