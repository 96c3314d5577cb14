import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sangtao.common import jobs
from sangtao.common.jobs import set_progress
from sangtao.orgs.models import ImportJob
from sangtao.orgs.tasks import requeue_import_jobs

from .campaign_excel import ImportFailed, import_campaign

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def run_campaign_import(job_id: int):
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job.status  # a redelivered task does nothing
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with override("vi"):

        def progress(pct, msg):
            set_progress("import", job.pk, pct, msg)

        try:
            job.summary = import_campaign(bytes(job.data), user=job.user, progress=progress)
            job.status = ImportJob.Status.DONE
        except ImportFailed as exc:
            job.status, job.problems = ImportJob.Status.FAILED, [p.as_dict() for p in exc.problems]
        except Exception:  # the job ends in a state the user sees
            logger.exception("campaign import %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.problems = [
                {
                    "sheet": "",
                    "row": 0,
                    "column": "",
                    "reason": _("Lỗi hệ thống khi nhập; không dữ liệu nào được ghi. Hãy báo quản trị hệ thống."),
                }
            ]
        set_progress("import", job.pk, 100, _("Hoàn tất"))
    job.finished_at, job.data = timezone.now(), b""
    job.save(update_fields=["status", "problems", "summary", "finished_at", "data"])
    return job.status


@jobs.sweeper
def requeue_stale_campaign_imports(cutoff) -> int:
    return requeue_import_jobs(["campaign"], run_campaign_import, cutoff)
