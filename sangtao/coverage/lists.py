"""Danh sách đăng ký tổng hợp of a level as a print-ready workbook (issue 17; docs/rules.md D16): every registration
sent from the level's subtree (the rows of its upward report's annex), with the subject, unit, model, date sent, on
time or late, the receiving level, state, and the appraisal's score and class — only where the reader may see that
result (rules P11: an unpublished result stays blank for the appraised and for anyone below the appraising level). Laid out by common.xlsx.print_sheet: title block, frozen headings repeated on each page, A4
landscape fitted to the width, real numbers and dates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from openpyxl.styles import Alignment, Border, Side

from sangtao.appraisals.domain import effective
from sangtao.appraisals.models import Appraisal
from sangtao.appraisals.rules import visible_results_q
from sangtao.campaigns.access import get_campaign, level_org
from sangtao.campaigns.domain import committee_name
from sangtao.campaigns.models import Campaign
from sangtao.common import audit, xlsx
from sangtao.documents.render import attachment_header
from sangtao.orgs.models import Organization
from sangtao.registrations.models import Registration

COLUMNS = [
    ("STT", 6),
    ("Chủ thể", 30),
    ("Đơn vị", 34),
    ("Tên mô hình, cách làm", 44),
    ("Gửi ngày", 12),
    ("Đăng ký", 10),
    ("Cấp tiếp nhận", 28),
    ("Trạng thái", 16),
    ("Điểm", 8),
    ("Xếp loại", 12),
]


def _lines(values) -> int:
    """How many lines the row's longest text wraps onto (a spreadsheet opened elsewhere does not measure it)."""
    return max(
        1,
        *(
            -(-len(v) * 11 // (10 * (width - 1)))
            for v, (_h, width) in zip(values, COLUMNS, strict=True)
            if isinstance(v, str)
        ),
    )


def registration_list(user, campaign: Campaign, org: Organization) -> bytes:
    regs = list(
        Registration.objects.filter(
            campaign=campaign, subject_org__path__startswith=org.path, first_submitted_at__isnull=False
        )
        .select_related("subject_org", "person", "receiving_org")
        .order_by("subject_org__path", "person__full_name", "title")
    )
    by_reg: dict[int, list] = {}
    for ap in Appraisal.objects.filter(visible_results_q(user), registration__in=[r.pk for r in regs]):
        by_reg.setdefault(ap.registration_id, []).append(ap)
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "DS_dang_ky"
    xlsx.print_sheet(
        ws,
        issuer=committee_name(org),
        title=f"Danh sách đăng ký mô hình mới, cách làm sáng tạo năm {campaign.year}",
        as_of=timezone.localdate(),
        columns=COLUMNS,
        subtitle=f"{campaign.name} — {org.name}",
    )
    thin = Side(style="thin")
    style = {
        "alignment": Alignment(wrap_text=True, vertical="top"),
        "border": Border(top=thin, bottom=thin, left=thin, right=thin),
    }  # long names wrap in their cell
    late = 0
    for n, reg in enumerate(regs, start=1):
        ap = effective(by_reg.get(reg.pk, []))
        sent = timezone.localtime(reg.first_submitted_at).date()
        late += reg.late
        values = [
            n,
            reg.person.full_name if reg.person_id else reg.subject_org.name,
            reg.subject_org.name,
            reg.title,
            sent,
            "Muộn" if reg.late else "Đúng hạn",
            reg.receiving_org.name if reg.receiving_org_id else "",
            reg.get_state_display(),
            ap.total if ap and ap.total is not None else None,
            ap.classification if ap else "",
        ]
        ws.append(xlsx.formatted(ws, values, {4: xlsx.DATE, 8: xlsx.DECIMAL}, **style))
        ws.row_dimensions[ws.max_row].height = 15 * _lines(values)
    ws.append([None, f"Tổng cộng: {len(regs)} đăng ký ({len(regs) - late} đúng hạn, {late} muộn)"])
    return xlsx.to_bytes(wb)


@login_required
@require_safe
def registration_list_download(request, code, org_pk):
    """The coverage page's “Danh sách đăng ký tổng hợp (Excel)”: readers of the level."""
    campaign = get_campaign(request.user, code)
    org = level_org(request.user, campaign, org_pk)
    if not request.user.has_perm("campaigns.read_level", org):  # an individual cadre reads his own models only (R12)
        raise PermissionDenied
    data = registration_list(request.user, campaign, org)
    audit.record("coverage.registration_list", actor=request.user, obj=org, changes={"campaign": campaign.code})
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = attachment_header(f"danh-sach-dang-ky-{campaign.code}-{org.code}.xlsx")
    return response
