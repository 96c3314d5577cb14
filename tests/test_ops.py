"""Operations: health endpoints, metrics, JSON logs, the read-replica router."""

import json
import logging
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse

from sangtao.common import ops
from sangtao.common.middleware import RequestIdFilter, _request_id
from sangtao.coverage.models import Rollup, TallyDirty
from sangtao.orgs.models import Organization
from sangtao.registrations.models import Registration
from tests.conftest import make_user
from tests.support import open_campaign

pytestmark = pytest.mark.django_db


def test_liveness_and_readiness(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/healthz").content == b"ok"
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["checks"]["database"] == "ok" and r.json()["checks"]["storage"] == "ok"
    assert list(tmp_path.rglob("*.txt")) == []  # the probe file is removed


def test_readiness_fails_when_storage_is_broken(client, monkeypatch):

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(default_storage, "save", broken)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["storage"] == "error: OSError"


def test_metrics_only_from_loopback_or_with_the_token(client, settings):
    client.get("/healthz")
    r = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert (
        r.status_code == 200 and b"sangtao_request_seconds" in r.content and b"sangtao_task_queue_length" in r.content
    )
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 404
    settings.SANGTAO_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_json_logs_carry_the_request_id():
    token = _request_id.set("abc123")
    try:
        record = logging.LogRecord("sangtao", logging.INFO, __file__, 1, "Đã gửi %d lời nhắc", (3,), None)
        RequestIdFilter().filter(record)
        line = json.loads(ops.JsonFormatter().format(record))
    finally:
        _request_id.reset(token)
    assert line["message"] == "Đã gửi 3 lời nhắc" and line["request_id"] == "abc123" and line["level"] == "INFO"


def test_replica_router_reads_only_inside_marked_get_views(settings, monkeypatch, login, demo):
    """With a replica configured, a marked read-only page (GET) reads from it; writes, POSTs and other pages
    never do. (The alias points at the same test database here; what matters is where each read is sent.)"""

    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    router = ops.ReplicaRouter()
    assert router.db_for_read(Organization) == "default" and router.db_for_write(Organization) == "default"
    seen = []
    original = ops.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        seen.append(alias)
        return "default"  # the test database has no second connection; record the decision only

    monkeypatch.setattr(ops.ReplicaRouter, "db_for_read", spy)
    campaign = open_campaign(2030, code="DK-R")
    c = login("duk.canbo")
    seen.clear()
    assert (
        c.get(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})).status_code == 200
    )
    assert "replica" in seen
    seen.clear()
    c.get(reverse("orgs:detail", kwargs={"pk": demo["LD-DUK"].pk}))
    assert "replica" not in seen  # not marked
    seen.clear()
    c.post(reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk}))
    assert "replica" not in seen
    # Outside a request (tasks, commands) everything stays on the primary.
    assert original(router, Organization) == "default"


def test_request_factory_outside_middleware_is_primary():
    request = RequestFactory().get("/")
    assert request.method == "GET" and ops.ReplicaRouter().db_for_read(None) == "default"


def test_user_guide_in_the_app(login, demo):

    make_user("reader", "viewer", demo["LD"])
    c = login("reader")
    body = c.get("/huong-dan/").content.decode()
    assert "Hướng dẫn sử dụng Sáng tạo" in body and 'src="/huong-dan/anh/tong-hop-khoi.png"' in body
    assert c.get("/huong-dan/anh/tong-hop-khoi.png")["Content-Type"] == "image/png"
    assert c.get("/huong-dan/anh/..%2Fsettings.py").status_code == 404


def test_user_guide_tells_clerks_how_to_try_signing_without_a_developer_command(login, demo):
    """The in-app guide is read by committee clerks: the demo's signing step names the demo certificate and any PDF
    signing tool; the operator's command stays in docs/commands.md and docs/deploy.md."""
    make_user("reader", "viewer", demo["LD"])
    body = login("reader").get("/huong-dan/").content.decode()
    assert "truong-van-hai.p12" in body and "phần mềm ký số PDF bất kỳ" in body
    assert "sign_pdf" not in body and "manage.py" not in body and ".venv" not in body
    root = Path(__file__).resolve().parents[1] / "docs"
    for operators in ("commands.md", "deploy.md"):
        assert "sign_pdf --p12" in (root / operators).read_text(encoding="utf-8"), operators


def test_coverage_recomputes_on_the_primary_even_on_a_replica_page(settings, monkeypatch, login, demo):
    """The coverage page may read from a replica, but what decides a write — the dirty marks and the rows the
    tallies are recomputed from — is read from the primary: a lagging replica must not be written back as fact."""

    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    seen = []
    original = ops.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model, original(self, model, **hints)))
        return "default"

    monkeypatch.setattr(ops.ReplicaRouter, "db_for_read", spy)
    # The page also lists replications (registrations read for display only, fine on a replica); this test is about
    # the reads that recompute the tallies, so that list is left out of what the spy sees.
    monkeypatch.setattr("sangtao.coverage.views.replication_counts", lambda campaign, org: [])
    campaign = open_campaign(2030, code="DK-R2")
    c = login("duk.canbo")
    url = reverse("coverage:page", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    seen.clear()
    assert c.get(url).status_code == 200  # the campaign's first read: every tally computed
    assert (TallyDirty, "default") in seen and (Registration, "default") in seen
    assert not [m for m, alias in seen if alias == "replica" and m in (TallyDirty, Registration)]
    seen.clear()
    assert c.get(url).status_code == 200  # nothing to recompute: the rollups come from the replica
    assert (Rollup, "replica") in seen
