"""Import a whole campaign from Excel (background, with progress), export it, download the template."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sangtao.campaigns.access import get_campaign
from sangtao.common.jobs import dispatch, get_progress
from sangtao.common.uploads import read_checked
from sangtao.common.views import job_status, permitted, workbook
from sangtao.orgs.models import ImportJob

from . import campaign_excel
from .tasks import run_campaign_import


def _require_admin(user):
    if not user.has_perm("orgs.import_tree"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_admin(request.user)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            data, _type, _name = read_checked(upload, {".xlsx"}, settings.SANGTAO_IMPORT_MAX_BYTES)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            job = ImportJob.objects.create(
                user=request.user,
                file_name=upload.name[:255],
                data=data,
                kind="campaign",
                effective_date=timezone.localdate(),
            )
            dispatch(run_campaign_import, job.pk)
            return redirect("exchange:status", pk=job.pk)
    return render(request, "exchange/import.html", {"error": error})


@login_required
@require_safe
def status(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, user=request.user, kind="campaign")
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    labels = {
        "registrations_created": _("Đăng ký mới"),
        "registrations_unchanged": _("Đăng ký đã có, không đổi"),
        "appraisals_created": _("Thẩm định mới"),
        "appraisals_unchanged": _("Thẩm định đã có, không đổi"),
        "levels_set": _("Hạn, chỉ tiêu của các cấp"),
        "bonuses_set": _("Điểm thưởng"),
        "orgs_created": _("Tổ chức mới"),
        "orgs_updated": _("Tổ chức cập nhật"),
        "orgs_moved": _("Tổ chức điều chuyển"),
        "people_created": _("Cán bộ, đảng viên mới"),
        "people_updated": _("Cán bộ, đảng viên cập nhật"),
    }
    context = {
        "job": job,
        "finished": finished,
        "progress": get_progress("import", job.pk),
        "summary": [(labels.get(k, k), v) for k, v in (job.summary or {}).items()],
    }
    return job_status(request, context, finished=finished, page="exchange/status.html")


@login_required
@require_safe
def template(request):
    _require_admin(request.user)
    return workbook(campaign_excel.template_bytes(), "mau-nhap-ca-dot.xlsx")


@login_required
@require_safe
def export(request, code):
    campaign = get_campaign(request.user, code)
    permitted(request.user, "campaigns.open", campaign.root)
    return workbook(campaign_excel.export_campaign(campaign), f"ca-dot-{campaign.code}.xlsx")
