"""Benchmark: the coverage rollup (SPEC §8) against the fastest SQL I could write over the same tables, in the
same run, on the same data (bench/coverage_data.py). For each scope it prints the median of 5 runs of
`coverage.domain.compute` (what the coverage page, the CLI and the upward report use) and of the hand SQL,
and their ratio; both must agree on every figure of every child row, or the run fails.

    make bench                                  # province on SQLite and PostgreSQL, nation on PostgreSQL
    .venv/bin/python bench/coverage.py province sqlite
    .venv/bin/python bench/coverage.py nation postgres
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
scale = sys.argv[1] if len(sys.argv) > 1 else "province"
engine = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
if engine == "sqlite":
    db = ROOT / "var" / f"bench-coverage-{scale}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
else:
    dbname = f"sangtao_bench_cov_{scale}"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["REDIS_URL"] = ""

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from sangtao.campaigns.models import Campaign  # noqa: E402
from sangtao.coverage.domain import compute  # noqa: E402
from sangtao.orgs.models import Organization  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from coverage_data import build  # noqa: E402


def fresh_database():
    if engine == "sqlite":
        db.parent.mkdir(exist_ok=True)
        if db.exists():
            return False
    else:
        exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                                 f"SELECT 1 FROM pg_database WHERE datname='{dbname}'"], capture_output=True, text=True)
        if exists.stdout.strip() == "1":
            return False
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {dbname}"], check=True,
                       capture_output=True)
    return True


SQL = """
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 12),
o AS (SELECT id, path, depth FROM orgs_organization
      WHERE path LIKE %(prefix)s AND valid_from <= %(day)s AND (valid_to IS NULL OR valid_to > %(day)s)),
flag AS (SELECT path FROM orgs_organization WHERE in_village OR private_enterprise),
exc AS (SELECT DISTINCT o.id FROM o JOIN n ON n.k <= o.depth JOIN flag ON flag.path = substr(o.path, 1, 5 * n.k)),
s_org AS (SELECT o.id, o.path FROM o WHERE o.id <> %(root)s AND o.path LIKE %(root_prefix)s
          AND NOT EXISTS (SELECT 1 FROM exc WHERE exc.id = o.id)),
lv AS (SELECT org.path, l.registration_deadline AS d FROM campaigns_campaignlevel l
       JOIN orgs_organization org ON org.id = l.org_id
       WHERE l.campaign_id = %(campaign)s AND l.registration_deadline IS NOT NULL),
dl AS (SELECT s.id, (SELECT {deadline_end} FROM n JOIN lv ON lv.path = substr(s.path, 1, 5 * n.k)
                     WHERE 5 * n.k < length(s.path) ORDER BY n.k DESC LIMIT 1) AS d_end
       FROM s_org s),
firsts AS (SELECT r.subject_org_id AS org_id, r.person_id, min(r.first_submitted_at) AS first
           FROM registrations_registration r JOIN s_org ON s_org.id = r.subject_org_id
           WHERE r.campaign_id = %(campaign)s AND r.first_submitted_at IS NOT NULL
           GROUP BY r.subject_org_id, r.person_id),
eff AS (SELECT a.registration_id, a.total FROM appraisals_appraisal a
        WHERE a.state <> 'scoring' AND NOT EXISTS (
            SELECT 1 FROM appraisals_appraisal b WHERE b.registration_id = a.registration_id
            AND b.state <> 'scoring' AND b.number > a.number)),
best AS (SELECT r.subject_org_id AS org_id, r.person_id, max(eff.total) AS best,
                sum(CASE WHEN eff.total >= 7 THEN 1 ELSE 0 END) AS kha
         FROM registrations_registration r JOIN eff ON eff.registration_id = r.id
         JOIN s_org ON s_org.id = r.subject_org_id
         WHERE r.campaign_id = %(campaign)s GROUP BY r.subject_org_id, r.person_id),
bonus AS (SELECT subject_org_id AS org_id, person_id, count(*) AS a FROM appraisals_bonusjudgement
          WHERE campaign_id = %(campaign)s AND granted GROUP BY subject_org_id, person_id),
subjects AS (
    SELECT id AS org_id, NULL AS person_id FROM s_org
    UNION SELECT p.org_id, p.id FROM orgs_person p JOIN s_org ON s_org.id = p.org_id WHERE p.is_leader AND p.active
    UNION SELECT org_id, person_id FROM firsts WHERE person_id IS NOT NULL),
per AS (
    SELECT s.org_id, count(*) AS subjects, count(f.first) AS registered,
           sum(CASE WHEN f.first IS NOT NULL AND (dl.d_end IS NULL OR f.first < dl.d_end) THEN 1 ELSE 0 END) AS on_time,
           sum(CASE WHEN f.first IS NOT NULL AND f.first >= dl.d_end THEN 1 ELSE 0 END) AS late,
           sum(CASE WHEN f.first IS NOT NULL AND b.best IS NOT NULL AND
                    b.best + CASE WHEN b.kha >= 2 THEN (CASE WHEN s.person_id IS NULL THEN 0.5 ELSE 1 END) ELSE 0 END
                    + CASE WHEN s.person_id IS NULL AND coalesce(bo.a, 0) > 0 THEN 0.5 ELSE 0 END >= 5
               THEN 1 ELSE 0 END) AS rated
    FROM subjects s JOIN dl ON dl.id = s.org_id
    LEFT JOIN firsts f ON f.org_id = s.org_id AND {person_match_f}
    LEFT JOIN best b ON b.org_id = s.org_id AND {person_match_b}
    LEFT JOIN bonus bo ON bo.org_id = s.org_id AND {person_match_bo}
    GROUP BY s.org_id)
SELECT substr(o.path, 1, %(child_len)s) AS child, sum(per.subjects), sum(per.registered), sum(per.on_time),
       sum(per.late), sum(per.rated)
FROM per JOIN o ON o.id = per.org_id
WHERE length(o.path) >= %(child_len)s
GROUP BY substr(o.path, 1, %(child_len)s)
"""


def baseline_sql(campaign, org):
    if connection.vendor == "postgresql":
        deadline_end = "((lv.d + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')"
        match = "{a}.person_id IS NOT DISTINCT FROM s.person_id"
    else:
        deadline_end = "datetime(lv.d, '+17 hours')"
        match = "{a}.person_id IS s.person_id"
    sql = SQL.format(deadline_end=deadline_end, person_match_f=match.format(a="f"), person_match_b=match.format(a="b"),
                     person_match_bo=match.format(a="bo"))
    params = {"prefix": org.path + "%", "root_prefix": campaign.root.path + "%", "day": campaign.tree_date,
              "root": campaign.root_id, "campaign": campaign.pk, "child_len": len(org.path) + 5}
    with connection.cursor() as c:
        c.execute(sql, params)
        return {row[0]: tuple(int(x or 0) for x in row[1:]) for row in c.fetchall()}


def ours(campaign, org):
    cov = compute(campaign, org)
    return {r.path: (r.figures.subjects, r.figures.registered, r.figures.on_time, r.figures.late, r.figures.rated)
            for r in cov.rows if r.figures.subjects}


def timed(fn, *args, runs=5):
    fn(*args)  # warm up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    if fresh_database():
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        build(scale)
        print(f"generated in {time.perf_counter() - t:.0f} s")
    else:
        call_command("migrate", verbosity=0)
    campaign = Campaign.objects.select_related("root").get(code=f"BENCH-{scale}")
    root = campaign.root
    scopes = [("whole " + scale, root)]
    if scale == "nation":
        province = Organization.objects.filter(depth=2).order_by("path").first()
        scopes.append((f"one province ({Organization.objects.filter(path__startswith=province.path).count():,} orgs)",
                       province))
    committee = Organization.objects.filter(depth=3 if scale == "nation" else 2).order_by("path")[1]
    scopes.append((f"one committee ({Organization.objects.filter(path__startswith=committee.path).count():,} orgs)",
                   committee))
    print(f"{connection.vendor}, {scale}: {Organization.objects.count():,} organizations")
    print(f"{'scope':<34} {'ours (ms)':>10} {'hand SQL (ms)':>14} {'ratio':>7}")
    only = os.environ.get("BENCH_SCOPES")  # e.g. "1,2" to skip the whole nation while tuning
    for i, (label, org) in enumerate(scopes):
        if only and str(i) not in only.split(","):
            continue
        t_ours, a = timed(ours, campaign, org)
        t_sql, b = timed(baseline_sql, campaign, org)
        if a != b:
            diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
            raise SystemExit(f"MISMATCH for {label}: {list(diff.items())[:5]}")
        print(f"{label:<34} {t_ours * 1000:>10.1f} {t_sql * 1000:>14.1f} {t_ours / t_sql:>6.2f}×")
    page_time(campaign, scopes[1][1] if scale == "nation" else root)


def page_time(campaign, org):
    """The coverage page itself, served through the whole Django stack (middleware, permissions, template)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    user = get_user_model().objects.get(username="bench")
    if not user.is_superuser:
        user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    url = f"/dot/{campaign.code}/tong-hop/{org.pk}/"
    t, response = timed(client.get, url)
    assert response.status_code == 200, response.status_code
    print(f"coverage page of {org.name} ({Organization.objects.filter(path__startswith=org.path).count():,} orgs): "
          f"{t * 1000:.0f} ms")


if __name__ == "__main__":
    main()
