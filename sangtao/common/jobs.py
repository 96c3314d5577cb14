"""Background work and its progress.

With a Celery broker (production) a job is a Celery task, enqueued once the transaction commits. With no
broker, Celery runs tasks eagerly; the web process instead runs long jobs in a thread
(SANGTAO_THREAD_JOBS) so that the page can poll their progress. Progress lives in the cache (Redis in
production), because the job writes inside one transaction that pollers cannot see until it commits.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, transaction


def progress_key(kind: str, pk) -> str:
    return f"sangtao:progress:{kind}:{pk}"


def set_progress(kind: str, pk, percent: int, message: str):
    cache.set(progress_key(kind, pk), {"percent": max(0, min(100, int(percent))), "message": str(message)}, 3600)


def get_progress(kind: str, pk) -> dict:
    return cache.get(progress_key(kind, pk)) or {"percent": 0, "message": ""}


def dispatch(task, *args):
    """Run a Celery task in the background once the current transaction commits."""
    if settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: task.delay(*args))
    elif settings.SANGTAO_THREAD_JOBS:

        def run():
            try:
                task.apply(args=args)
            finally:
                close_old_connections()

        transaction.on_commit(lambda: threading.Thread(target=run, daemon=True).start())
    else:
        transaction.on_commit(lambda: task.apply(args=args))


# The database is the outbox (docs/reliability.md): every app whose jobs are rows registers a sweeper that
# dispatches again its jobs still "queued"/"running" long after they were asked for. `common.tasks` runs them all
# on a beat; the apps register in their AppConfig.ready, so common never imports a domain app.
SWEEPERS: list = []


def sweeper(fn):
    """Register `fn(cutoff) -> int`: dispatch again this app's unfinished jobs asked for before `cutoff`."""
    SWEEPERS.append(fn)
    return fn


def requeue_stale(cutoff) -> int:
    return sum(fn(cutoff) for fn in SWEEPERS)
