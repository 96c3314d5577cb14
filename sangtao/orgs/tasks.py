import logging
from functools import partial

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sangtao.common import jobs
from sangtao.common.jobs import set_progress

from .interfaces.excel import ImportFailed, import_workbook
from .models import ImportJob

logger = logging.getLogger(__name__)


def run_import_job(job_id: int, do_import) -> str:
    """Run an import job of any kind once: `do_import(job, progress)` writes everything and returns the summary,
    or raises ImportFailed with every problem. The job ends done or failed, in a state the user sees whatever
    happened, its file dropped; a redelivered task finds it finished and does nothing (idempotent)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with override("vi"):
        try:
            job.summary = do_import(job, partial(set_progress, "import", job.pk))
        except ImportFailed as exc:
            job.status = ImportJob.Status.FAILED
            job.problems = [p.as_dict() for p in exc.problems]
            outcome = _("Tệp có lỗi: không dữ liệu nào được ghi.")
        except Exception:  # the job must end in a state the user sees, whatever happened
            logger.exception("%s import %s failed", job.kind, job.pk)
            job.status = ImportJob.Status.FAILED
            job.problems = [
                {
                    "sheet": "",
                    "row": 0,
                    "column": "",
                    "reason": _("Lỗi hệ thống khi nhập; không dữ liệu nào được ghi. Hãy báo quản trị hệ thống."),
                }
            ]
            outcome = _("Lỗi hệ thống")
        else:
            job.status = ImportJob.Status.DONE
            outcome = _("Hoàn tất")
        set_progress("import", job.pk, 100, outcome)
    job.finished_at = timezone.now()
    job.data = b""
    job.save(update_fields=["status", "problems", "summary", "finished_at", "data"])
    return job.status


def import_tree(job, progress) -> dict:
    result = import_workbook(bytes(job.data), user=job.user, effective_date=job.effective_date, progress=progress)
    return result.as_dict()


@shared_task(acks_late=True)
def run_import(job_id: int):
    return run_import_job(job_id, import_tree)


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
