"""Công văn đôn đốc (issue 17; docs/rules.md D15): a level's letter urging the units still missing to register,
before or after the deadline, drawn from the coverage figures as a draft in the document editor — addressed to
each unit's committee, the list of units with their deadline and the reminders already sent, the deadline's
distance written out (“còn 5 ngày” / “đã quá hạn 3 ngày”), the level's cascade letter cited when there is one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangtao.campaigns import papers
from sangtao.campaigns.access import get_campaign, level_org
from sangtao.campaigns.domain import Cascade, citation, header_for
from sangtao.campaigns.models import Campaign, Document
from sangtao.common import actions
from sangtao.orgs.models import Organization

from . import domain


class NothingToUrgeError(ValidationError):
    """Every unit has registered."""


def _own_letter(campaign: Campaign, org: Organization) -> Document | None:
    """The level's own issued letter of the campaign (what the units are urged to carry out)."""
    return (
        Document.objects.filter(
            campaign=campaign, issuer=org, kind=Document.Kind.CV, status=Document.Status.ISSUED, source=""
        )
        .order_by("-issued_on", "-pk")
        .first()
    )


def draft_reminder_letter(*, actor, campaign: Campaign, org: Organization, today=None) -> Document:
    if not actor.has_perm("campaigns.act_for", org):
        raise PermissionDenied
    today = today or timezone.localdate()
    domain.compute(campaign, org)  # the tallies the list is read from are fresh
    missing = domain.missing_units(campaign, org)  # never the level itself (rules V11)
    if not missing:
        raise NothingToUrgeError(_("Không còn đơn vị nào chưa đăng ký: không cần công văn đôn đốc."))
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=[m["org_id"] for m in missing]).select_related("kind")}
    units = [orgs[m["org_id"]] for m in missing]
    committee = header_for(org)["committee"]
    deadline = Cascade(campaign).for_subordinates(org).deadline
    letter = _own_letter(campaign, org)
    year = campaign.year
    if deadline is None:
        when = ""
    elif today <= deadline:
        when = f" Hạn đăng ký là ngày {deadline:%d/%m/%Y}, còn {(deadline - today).days} ngày."
    else:
        when = f" Hạn đăng ký là ngày {deadline:%d/%m/%Y}, đã quá hạn {(today - deadline).days} ngày."
    opening = (
        f"Thực hiện {citation(letter)}"
        if letter
        else f"Thực hiện kế hoạch đăng ký mô hình mới, cách làm sáng tạo năm {year}"
    )
    body = [
        (
            f"{opening}, đến ngày {today:%d/%m/%Y}, còn {len(units)} đơn vị chưa đăng ký mô hình mới, cách làm sáng tạo "
            f"năm {year}.{when} Danh sách các đơn vị như sau:"
        ),
        "[BẢNG]",
        f"{committee} đề nghị cấp ủy các đơn vị trên khẩn trương lãnh đạo, chỉ đạo đăng ký mô hình mới, cách làm "
        f"sáng tạo và gửi về {committee} qua hệ thống"
        + (
            f" trước ngày {deadline:%d/%m/%Y}."
            if deadline and today <= deadline
            else " trong thời gian sớm nhất; trường hợp không đăng ký, báo cáo rõ lý do."
        ),
    ]
    table = {
        "inline": True,
        "columns": ["STT", "Đơn vị", "Cấp ủy nhận", "Đã nhắc", "Hạn đăng ký"],
        "rows": [
            [
                str(i),
                unit.name,
                papers.salutation_for([unit]),
                f"{m['reminders']} lần",
                f"{m['deadline']:%d/%m/%Y}" if m["deadline"] else "—",
            ]
            for i, (unit, m) in enumerate(zip(units, missing, strict=True), start=1)
        ],
    }
    return papers.draft_paper(
        actor=actor,
        campaign=campaign,
        org=org,
        kind=Document.Kind.CV,
        source=f"coverage:{campaign.pk}:{org.pk}:urge:{today:%Y%m%d}",
        subject=f"đôn đốc đăng ký mô hình mới, cách làm sáng tạo năm {year}",
        body="\n".join(body),
        salutation=papers.salutation_for(units),
        recipients=units,
        annex=table,
    )


@login_required
@require_POST
def reminder_letter(request, code, org_pk):
    """The coverage page's “Lập công văn đôn đốc” button: the draft opens in the document editor."""
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    try:
        doc = draft_reminder_letter(actor=request.user, campaign=campaign, org=org)
    except NothingToUrgeError as exc:
        actions.refused(request, exc)
        return redirect("coverage:page", code=campaign.code, org_pk=org.pk)
    messages.info(request, _("Dự thảo công văn đôn đốc: kiểm tra, sửa rồi ban hành."))
    return redirect("campaigns:document", pk=doc.pk)
