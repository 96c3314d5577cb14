"""Excel import (with a progress bar) and export of the tree and its people."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sangtao.common import audit
from sangtao.common.jobs import dispatch, get_progress
from sangtao.common.uploads import read_checked
from sangtao.common.views import job_status, workbook

from . import forms
from .interfaces import excel
from .models import ImportJob
from .tasks import run_import
from .views import get_managed_org


@login_required
@require_safe
def template_download(request):
    if not request.user.has_perm("orgs.import_tree"):
        raise PermissionDenied
    return workbook(excel.workbook_bytes(excel.build_workbook(include_data=False)), "mau-nhap-to-chuc.xlsx")


@login_required
@require_safe
def export_tree(request, pk):
    org = get_managed_org(request.user, pk)
    audit.record("org.export", obj=org)
    stamp = timezone.localdate().strftime("%d-%m-%Y")
    return workbook(excel.workbook_bytes(excel.build_workbook(org)), f"to-chuc-{org.code}-{stamp}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    if not request.user.has_perm("orgs.import_tree"):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:  # by content, not by name, and no archive bomb: the checks of every workbook upload
            data, _type, _name = read_checked(upload, {".xlsx"}, settings.SANGTAO_IMPORT_MAX_BYTES)
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            job = ImportJob.objects.create(
                user=request.user,
                file_name=upload.name[:255],
                data=data,
                effective_date=form.cleaned_data["effective_date"],
            )
            audit.record(
                "org.import_start",
                obj=None,
                object_type="orgs.importjob",
                object_id=str(job.pk),
                object_repr=job.file_name,
            )
            dispatch(run_import, job.pk)
            return redirect("orgs:import_status", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user).defer("data")[:10]
    return render(request, "orgs/import.html", {"form": form, "jobs": jobs})


@login_required
@require_safe
def import_status(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk, user=request.user)
    progress = get_progress("import", job.pk)
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    context = {
        "job": job,
        "progress": progress,
        "finished": finished,
        "grouped": excel.problems_by_sheet(job.problems) if job.problems else {},
    }
    return job_status(request, context, finished=finished, page="orgs/import_status.html")
