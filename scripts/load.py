"""Deadline-day load against the production profile (make prod-up, then make load): many officers at once
register models (one-time form tokens), open list and coverage pages, and upload evidence to a results report,
while faults are injected — PostgreSQL connections killed, a gunicorn worker killed, a Celery worker killed in
the middle of an export, Redis restarted. Bounded in time and count. Afterwards it checks that every
acknowledged registration exists exactly once, that nothing unacknowledged half-exists, and that no stored
evidence file lacks its row. Prints requests/s, p50/p95, errors.

    .venv/bin/python scripts/load.py [--users 20] [--seconds 60] [--faults]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings_production")

import django  # noqa: E402

django.setup()

from sangtao.common.formtoken import token_in  # noqa: E402
from sangtao.orgs.demo import DEMO_PASSWORD  # noqa: E402
from sangtao.registrations.forms import example_post  # noqa: E402

BASE = os.environ.get("LOAD_BASE", "http://127.0.0.1:8100")
RUN = time.strftime("%H%M%S")  # titles of this run never collide with an earlier run's
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
latencies: list[float] = []
codes: Counter = Counter()
acknowledged: list[str] = []  # titles whose submission was answered with a redirect to the new registration
errors: list[str] = []
lock = threading.Lock()


def timed(session, method, url, **kw):
    t = time.perf_counter()
    try:
        r = session.request(method, BASE + url, timeout=30, **kw)
    except requests.RequestException as exc:
        with lock:
            codes["exception"] += 1
            errors.append(f"{method} {url}: {type(exc).__name__}")
        return None
    with lock:
        latencies.append(time.perf_counter() - t)
        codes[r.status_code // 100 * 100] += 1
        if r.status_code >= 500:
            errors.append(f"{method} {url}: {r.status_code}")
    return r


def login(username):
    s = requests.Session()
    s.get(BASE + "/accounts/login/", timeout=30)
    s.post(
        BASE + "/accounts/login/",
        data={"login": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": BASE + "/"},
        timeout=30,
    )
    return s


def officer(n, org_pk, deadline_at, campaign):
    s = login("capnuoc.canbo")
    rnd = random.Random(n)
    i = 0
    while time.time() < deadline_at:
        i += 1
        roll = rnd.random()
        if roll < 0.45:
            page = timed(s, "GET", f"/dot/{campaign}/dang-ky/moi/?to_chuc={org_pk}")
            token = token_in(page.text) if page is not None else None
            if token is None:  # an error page, or logged out when the session store restarted: log in again
                s = login("capnuoc.canbo")
                continue
            title = f"Tải {RUN}-{n}-{i}: mô hình ngày hạn"
            data = example_post(
                csrfmiddlewaretoken=s.cookies["csrftoken"], form_token=token, to_chuc=org_pk, title=title
            )
            headers = {"Referer": BASE + "/", "X-CSRFToken": s.cookies["csrftoken"]}
            sends = 2 if rnd.random() < 0.2 else 1  # a double click now and then
            for _ in range(sends):
                r = timed(
                    s,
                    "POST",
                    f"/dot/{campaign}/dang-ky/moi/?to_chuc={org_pk}",
                    data=data,
                    headers=headers,
                    allow_redirects=False,
                )
                if (
                    r is not None
                    and r.status_code == 302
                    and (m := re.search(r"/dang-ky/(\d+)/$", r.headers["Location"]))
                ):
                    with lock:
                        acknowledged.append(title)
                    if rnd.random() < 0.5:  # and attaches a document to it
                        name = f"tai-lieu-{RUN}-{n}-{i}.pdf"
                        up = timed(
                            s,
                            "POST",
                            f"/dang-ky/{m.group(1)}/dinh-kem/",
                            files={"file": (name, PDF, "application/pdf")},
                            data={"csrfmiddlewaretoken": s.cookies["csrftoken"]},
                            headers=headers,
                            allow_redirects=False,
                        )
                        if up is not None and up.status_code == 302:
                            with lock:
                                uploads.append(name)
        elif roll < 0.75:
            timed(s, "GET", f"/dot/{campaign}/dang-ky/?page={rnd.randint(1, 3)}")
        elif roll < 0.9:
            timed(s, "GET", f"/dot/{campaign}/bao-cao-ket-qua/")
        else:
            timed(s, "GET", "/to-chuc/")


exports: list[int] = []
uploads: list[str] = []


def exporter(deadline_at, org_pk, campaign):
    """The bloc officer asks for a coverage export every few seconds (work for the Celery workers to lose)."""
    s = login("duk.canbo")
    while time.time() < deadline_at:
        r = timed(
            s,
            "POST",
            f"/dot/{campaign}/tong-hop/{org_pk}/chay/coverage/",
            data={"csrfmiddlewaretoken": s.cookies.get("csrftoken", "")},
            headers={"Referer": BASE + "/", "X-CSRFToken": s.cookies.get("csrftoken", "")},
            allow_redirects=False,
        )
        if r is not None and r.status_code == 302 and (m := re.search(r"/viec-chay-nen/(\d+)/", r.headers["Location"])):
            with lock:
                exports.append(int(m.group(1)))
        elif r is not None and "/accounts/login" in r.headers.get("Location", ""):
            s = login("duk.canbo")
        time.sleep(3)


def faults(deadline_at, log):
    """Every few seconds, one of: kill the app's PostgreSQL connections, kill a gunicorn worker (the master
    starts another), kill a Celery worker and start it again, restart Redis."""
    prod = ROOT / "var" / "prod"
    n = 0
    while time.time() < deadline_at - 5:
        time.sleep(6)
        n += 1
        kind = ["pg", "gunicorn", "celery", "redis"][n % 4]
        if kind == "pg":
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qtAc",
                    (
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='sangtao_prod' "
                        "AND pid <> pg_backend_pid()"
                    ),
                ],
                capture_output=True,
            )
        elif kind == "gunicorn":
            master = int((prod / "web.pid").read_text())
            children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
            if children:
                os.kill(int(random.choice(children)), 9)
        elif kind == "celery":
            pid = int((prod / "worker1.pid").read_text())
            subprocess.run(["pkill", "-9", "-P", str(pid)], capture_output=True)
            os.kill(pid, 9)
            env = os.environ.copy()
            proc = subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "sangtao", "worker", "-n", "w1@%h", "-c", "1"],
                cwd=ROOT,
                env=env,
                stdout=open(prod / "worker1.log", "a"),
                stderr=subprocess.STDOUT,
            )
            (prod / "worker1.pid").write_text(str(proc.pid))
        else:
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], capture_output=True)
            subprocess.run(
                [
                    "redis-server",
                    "--daemonize",
                    "yes",
                    "--bind",
                    "127.0.0.1",
                    "-::1",
                    "--port",
                    "6379",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                capture_output=True,
            )
        log.append(f"{time.strftime('%H:%M:%S')} {kind}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()
    from sangtao.campaigns.models import Campaign
    from sangtao.orgs.models import Organization
    from sangtao.registrations.models import Registration

    campaign = Campaign.objects.get(code="DK-2027")
    org = Organization.objects.get(code="DUK-CTN")
    deadline_at = time.time() + args.seconds
    fault_log: list[str] = []
    threads = [
        threading.Thread(target=officer, args=(n, org.pk, deadline_at, campaign.code)) for n in range(args.users)
    ]
    bloc = Organization.objects.get(code="LD-DUK")
    threads.append(threading.Thread(target=exporter, args=(deadline_at, bloc.pk, campaign.code)))
    if args.faults:
        threads.append(threading.Thread(target=faults, args=(deadline_at, fault_log)))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    time.sleep(2)
    from django.db import connection

    connection.close()
    rows = Counter(Registration.objects.filter(title__startswith=f"Tải {RUN}-").values_list("title", flat=True))
    acked = Counter(acknowledged)
    missing = [t for t in acked if rows[t] == 0]
    duplicated = [t for t, n in rows.items() if n > 1]
    unacknowledged = [t for t in rows if t not in acked]
    from django.core.files.storage import default_storage

    from sangtao.registrations.models import RegistrationAttachment
    from sangtao.reports.models import Evidence

    def stored(prefix):
        try:
            dirs, files = default_storage.listdir(prefix)
        except Exception:  # noqa: BLE001 — nothing stored there yet
            return set()
        return {f"{prefix}{f}" for f in files} | {x for d in dirs for x in stored(f"{prefix}{d}/")}

    referenced = set(Evidence.objects.values_list("file", flat=True)) | set(
        RegistrationAttachment.objects.values_list("file", flat=True)
    )
    orphans = (stored("evidence/") | stored("registrations/")) - referenced
    attached = Counter(
        RegistrationAttachment.objects.filter(original_name__startswith=f"tai-lieu-{RUN}-").values_list(
            "original_name", flat=True
        )
    )
    lost_uploads = [u for u in uploads if attached[u] == 0]
    # Background work: every export asked for must end, even those whose message went with a Redis restart or
    # whose worker was killed — the database is the outbox (coverage.tasks.requeue_stale_jobs).
    from sangtao.coverage.models import Export
    from sangtao.coverage.tasks import requeue_stale_jobs

    requeued = requeue_stale_jobs(minutes=0) if args.faults else 0
    waited = 0
    while waited < 180 and Export.objects.filter(pk__in=exports).exclude(status__in=["done", "failed"]).exists():
        time.sleep(2)
        waited += 2
    export_states = Counter(Export.objects.filter(pk__in=exports).values_list("status", flat=True))
    lat = sorted(latencies)
    print(f"{args.users} users, {elapsed:.0f} s, faults: {', '.join(fault_log) or 'none'}")
    print(
        f"requests: {len(lat):,} ({len(lat) / elapsed:.1f}/s); p50 {statistics.median(lat) * 1000:.0f} ms, "
        f"p95 {lat[int(len(lat) * 0.95)] * 1000:.0f} ms; answers {dict(codes)}"
    )
    print(
        f"registrations acknowledged: {len(acked):,} (distinct titles), in the database: {sum(rows.values()):,}; "
        f"missing {len(missing)}, duplicated {len(duplicated)}, written but unacknowledged {len(unacknowledged)}; "
        f"orphan files {len(orphans)}"
    )
    print(f"uploads acknowledged: {len(uploads)}, in the database: {sum(attached.values())}, lost {len(lost_uploads)}")
    print(
        f"exports asked for: {len(exports)}; finished: {dict(export_states)}; dispatched again from the database: "
        f"{requeued}; waited {waited} s"
    )
    if errors:
        print("errors (first 10):", *errors[:10], sep="\n  ")
    if missing or duplicated or lost_uploads or orphans:
        raise SystemExit("LOST OR DUPLICATED WRITES, OR ORPHAN FILES")
    if export_states.get("done", 0) != len(exports):
        raise SystemExit("BACKGROUND WORK LOST")


if __name__ == "__main__":
    main()
