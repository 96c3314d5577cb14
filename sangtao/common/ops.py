"""Operations: health endpoints, Prometheus metrics, structured (JSON) logs with the request id, and a
database router that sends read-only pages to a replica when one is configured."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .middleware import client_ip

# --- Health --------------------------------------------------------------------------------------


@never_cache
@require_safe
def liveness(request):
    """The process answers (for the load balancer / orchestrator to restart a dead one)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readiness(request):
    """Ready to serve: the database answers, Redis answers (when configured), file storage can be written,
    read back and deleted. 503 with the failing checks otherwise."""
    checks = {}
    try:
        with connections["default"].cursor() as c:
            c.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 — any failure is a failed check
        checks["database"] = f"error: {type(exc).__name__}"
    if getattr(settings, "REDIS_URL", ""):
        try:
            key = f"sangtao:ready:{uuid.uuid4().hex}"
            cache.set(key, "1", 10)
            checks["redis"] = "ok" if cache.get(key) == "1" else "error: no read-back"
            cache.delete(key)
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {type(exc).__name__}"
    try:
        name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        with default_storage.open(name) as fh:
            ok = fh.read() == b"ok"
        default_storage.delete(name)
        checks["storage"] = "ok" if ok else "error: no read-back"
    except Exception as exc:  # noqa: BLE001
        checks["storage"] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


# --- Metrics -------------------------------------------------------------------------------------


def _registry():
    """Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR makes every worker's figures add up."""
    from prometheus_client import CollectorRegistry, multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY

    return REGISTRY


_metrics = {}


def metric(name):
    if not _metrics:
        from prometheus_client import Counter, Histogram

        _metrics["latency"] = Histogram(
            "sangtao_request_seconds",
            "Request latency",
            ["method", "view", "status"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        _metrics["reminders"] = Counter("sangtao_reminders_sent_total", "Reminders sent", ["kind", "reason"])
        _metrics["tasks"] = Counter("sangtao_tasks_total", "Background tasks run", ["task", "status"])
    return _metrics[name]


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        metric("latency").labels(request.method, view, str(response.status_code)).observe(time.perf_counter() - start)
        return response


@never_cache
@require_safe
def metrics(request):
    """Prometheus text format. Open to the loopback address; elsewhere a bearer token (SANGTAO_METRICS_TOKEN)."""
    from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest

    token = getattr(settings, "SANGTAO_METRICS_TOKEN", "")
    local = client_ip(request) in ("127.0.0.1", "::1")  # behind a local proxy: the client, not the proxy
    if not local and (not token or request.headers.get("Authorization") != f"Bearer {token}"):
        return HttpResponse(status=404)
    registry = _registry()
    queue = Gauge("sangtao_task_queue_length", "Tasks waiting in the Celery queue", registry=None)
    queue.set(_queue_length())
    from prometheus_client import CollectorRegistry

    extra = CollectorRegistry()
    extra.register(queue)
    return HttpResponse(generate_latest(registry) + generate_latest(extra), content_type=CONTENT_TYPE_LATEST)


def _queue_length() -> int:
    broker = getattr(settings, "CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        return 0
    try:
        import redis

        return int(redis.Redis.from_url(broker).llen("celery"))
    except Exception:  # noqa: BLE001 — the metric is best effort
        return -1


# --- Logs ----------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json): time, level, logger, message, request id, exception."""

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# --- Read replica --------------------------------------------------------------------------------

_replica_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_ok", default=False)


def replica_allowed(view):
    """Mark a read-only page (dashboards, coverage, lists): its reads may go to the replica."""
    view.replica_allowed = True
    return view


@contextlib.contextmanager
def primary_only():
    """Reads inside go to the primary even on a replica-allowed page: for reads that decide a write (the coverage
    tallies recomputed before a page reads them), which must not see a replica that lags behind."""
    token = _replica_ok.set(False)
    try:
        yield
    finally:
        _replica_ok.reset(token)


class ReplicaMiddleware:
    """Reads go to the replica only inside a GET/HEAD of a view marked `replica_allowed`, so a write and the
    reads that check it always share the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_ok.set(False)
        try:
            return self.get_response(request)
        finally:
            _replica_ok.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        _replica_ok.set(request.method in ("GET", "HEAD") and getattr(view_func, "replica_allowed", False))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if "replica" in settings.DATABASES and _replica_ok.get():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
