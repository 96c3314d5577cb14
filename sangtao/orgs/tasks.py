import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sangtao.common import jobs
from sangtao.common.jobs import set_progress

from .interfaces.excel import ImportFailed, import_workbook
from .models import ImportJob

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def run_import(job_id: int):
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job.status  # idempotent: a redelivered task does nothing
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with override("vi"):

        def progress(pct, msg):
            set_progress("import", job.pk, pct, msg)

        try:
            result = import_workbook(
                bytes(job.data), user=job.user, effective_date=job.effective_date, progress=progress
            )
        except ImportFailed as exc:
            job.status = ImportJob.Status.FAILED
            job.problems = [p.as_dict() for p in exc.problems]
            set_progress("import", job.pk, 100, _("Tệp có lỗi: không dữ liệu nào được ghi."))
        except Exception:  # the job must end in a state the user sees, whatever happened
            logger.exception("import %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.problems = [
                {
                    "sheet": "",
                    "row": 0,
                    "column": "",
                    "reason": _("Lỗi hệ thống khi nhập; không dữ liệu nào được ghi. Hãy báo quản trị hệ thống."),
                }
            ]
            set_progress("import", job.pk, 100, _("Lỗi hệ thống"))
        else:
            job.status = ImportJob.Status.DONE
            job.summary = result.as_dict()
            set_progress("import", job.pk, 100, _("Hoàn tất"))
    job.finished_at = timezone.now()
    job.data = b""
    job.save(update_fields=["status", "problems", "summary", "finished_at", "data"])
    return job.status


def requeue_import_jobs(kinds, task, cutoff, *, exclude=False) -> int:
    """Dispatch again the import jobs of these kinds (or of every other kind) still unfinished before `cutoff`."""
    stale_jobs = ImportJob.objects.filter(
        status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING], created_at__lt=cutoff
    )
    stale_jobs = stale_jobs.exclude(kind__in=kinds) if exclude else stale_jobs.filter(kind__in=kinds)
    stale = list(stale_jobs.values_list("pk", flat=True))
    for job_id in stale:
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.PENDING)
        task.delay(job_id)
    return len(stale)


@jobs.sweeper
def requeue_stale_tree_imports(cutoff) -> int:
    return requeue_import_jobs(["campaign"], run_import, cutoff, exclude=True)
