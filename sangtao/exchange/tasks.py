from celery import shared_task

from sangtao.common import jobs
from sangtao.orgs.tasks import requeue_import_jobs, run_import_job

from .campaign_excel import import_campaign


def import_whole_campaign(job, progress) -> dict:
    return import_campaign(bytes(job.data), user=job.user, progress=progress)


@shared_task(acks_late=True)
def run_campaign_import(job_id: int):
    return run_import_job(job_id, import_whole_campaign)


@jobs.sweeper
def requeue_stale_campaign_imports(cutoff) -> int:
    return requeue_import_jobs(["campaign"], run_campaign_import, cutoff)
