"""Buttons on the report page that draw its papers as drafts (issue 17): the unit's BÁO CÁO kết quả thực hiện mô
hình, and the receiving level's written notice returning the report. Each opens the document editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import papers
from .views import report_for


@login_required
@require_POST
def report_paper(request, pk):
    doc = papers.draft_report(actor=request.user, report=report_for(request.user, pk))
    messages.info(request, _("Dự thảo báo cáo kết quả thực hiện mô hình: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)


@login_required
@require_POST
def return_paper(request, pk):
    doc = papers.draft_report_return(actor=request.user, report=report_for(request.user, pk))
    messages.info(request, _("Dự thảo công văn trả lại báo cáo: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)
