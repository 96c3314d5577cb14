"""Buttons on the report page that draw its papers as drafts (issue 17): the unit's BÁO CÁO kết quả thực hiện mô
hình, and the receiving level's written notice returning the report. Each opens the document editor."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sangtao.registrations.paper_views import draft_button

from . import papers
from .views import report_for

report_paper = draft_button(
    lambda user, pk: papers.draft_report(actor=user, report=report_for(user, pk)),
    _("Dự thảo báo cáo kết quả thực hiện mô hình: kiểm tra, sửa rồi ban hành."),
)
return_paper = draft_button(
    lambda user, pk: papers.draft_report_return(actor=user, report=report_for(user, pk)),
    _("Dự thảo công văn trả lại báo cáo: kiểm tra, sửa rồi ban hành."),
)
