import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import jobs

logger = logging.getLogger(__name__)
STALE_AFTER_MINUTES = 10


@shared_task
def requeue_stale_jobs(minutes: int = STALE_AFTER_MINUTES) -> int:
    """The database is the outbox: an export, bulk reminder or import whose row still says "queued" or "running"
    long after it was asked for (its message lost with a Redis restart, its worker killed) is dispatched again.
    The tasks are idempotent: a finished job is never redone, and redoing an unfinished one gives the same result.
    Each app registers how to find and dispatch its own jobs (`jobs.sweeper`)."""
    n = jobs.requeue_stale(timezone.now() - timedelta(minutes=minutes))
    if n:
        logger.warning("requeued %d stale background jobs", n)
    return n
