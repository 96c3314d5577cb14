"""The registration page's button that drafts the written notice returning a registration (issue 17); the draft
opens in the document editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import papers
from .views import registration_for


@login_required
@require_POST
def return_paper(request, pk):
    doc = papers.draft_registration_return(actor=request.user, registration=registration_for(request.user, pk))
    messages.info(request, _("Dự thảo công văn trả lại đăng ký: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)
