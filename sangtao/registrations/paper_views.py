"""The registration page's button that drafts the written notice returning a registration (issue 17); the draft
opens in the document editor. `draft_button` makes such a button's view for any paper drawn from an object."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import papers
from .views import registration_for


def draft_button(draw, drawn: str):
    """The POST view of a button that draws a paper as a draft: `draw(user, pk)` makes the document (404 for an
    object the user may not read); `drawn` says what it is and what to do next, above the document editor."""

    @login_required
    @require_POST
    def view(request, pk):
        doc = draw(request.user, pk)
        messages.info(request, drawn)
        return redirect("campaigns:document", pk=doc.pk)

    return view


return_paper = draft_button(
    lambda user, pk: papers.draft_registration_return(actor=user, registration=registration_for(user, pk)),
    _("Dự thảo công văn trả lại đăng ký: kiểm tra, sửa rồi ban hành."),
)
