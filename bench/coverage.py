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
from django.db.models import F, Q  # noqa: E402

from sangtao.campaigns.models import Campaign  # noqa: E402
from sangtao.coverage.domain import compute, forget  # noqa: E402
from sangtao.orgs.models import Organization  # noqa: E402
from sangtao.registrations.models import Registration  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from coverage_data import build  # noqa: E402


def fresh_database():
    if engine == "sqlite":
        db.parent.mkdir(exist_ok=True)
        if db.exists():
            return False
    else:
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{dbname}'",
            ],
            capture_output=True,
            text=True,
        )
        if exists.stdout.strip() == "1":
            return False
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {dbname}"],
            check=True,
            capture_output=True,
        )
    return True


SQL = """
WITH
flag AS {mat} (SELECT path FROM orgs_organization WHERE (in_village OR private_enterprise)
               AND (path LIKE %(prefix)s OR path IN ({above}))),
lv AS {mat} (SELECT org.path, {deadline_end} AS e FROM campaigns_campaignlevel l
       JOIN orgs_organization org ON org.id = l.org_id
       WHERE l.campaign_id = %(campaign)s AND l.registration_deadline IS NOT NULL
         AND (org.path LIKE %(prefix)s OR org.path IN ({above}))),
o AS {mat} (
  SELECT org.id, substr(org.path, 1, %(child_len)s) AS prefix, {coalesce} AS e
  FROM orgs_organization org {joins}
  WHERE org.path LIKE %(prefix)s AND org.path LIKE %(root_prefix)s AND org.id <> %(root)s
    AND org.valid_from <= %(day)s AND (org.valid_to IS NULL OR org.valid_to > %(day)s)
    {excluded}),
f AS {mat} (
  SELECT r.subject_org_id AS org_id, COALESCE(r.person_id, 0) AS pk, o.prefix,
         CASE WHEN MIN(r.first_submitted_at) >= o.e THEN 1 ELSE 0 END AS late
  FROM registrations_registration r JOIN o ON o.id = r.subject_org_id
  WHERE r.campaign_id = %(campaign)s AND r.first_submitted_at IS NOT NULL
  GROUP BY r.subject_org_id, COALESCE(r.person_id, 0), o.prefix, o.e),
eff AS (SELECT a.registration_id, a.total FROM appraisals_appraisal a
        WHERE a.state <> 'scoring' AND NOT EXISTS (
            SELECT 1 FROM appraisals_appraisal b WHERE b.registration_id = a.registration_id
            AND b.state <> 'scoring' AND b.number > a.number)),
best AS (SELECT r.subject_org_id AS org_id, COALESCE(r.person_id, 0) AS pk, MAX(eff.total) AS best,
                SUM(CASE WHEN eff.total >= 7 THEN 1 ELSE 0 END) AS kha
         FROM registrations_registration r JOIN o ON o.id = r.subject_org_id JOIN eff ON eff.registration_id = r.id
         WHERE r.campaign_id = %(campaign)s AND r.first_submitted_at IS NOT NULL GROUP BY 1, 2),
bonus AS (SELECT j.subject_org_id AS org_id, COALESCE(j.person_id, 0) AS pk, COUNT(*) AS a
          FROM appraisals_bonusjudgement j JOIN o ON o.id = j.subject_org_id
          WHERE j.campaign_id = %(campaign)s AND j.granted GROUP BY 1, 2)
SELECT prefix, SUM(s), SUM(reg), SUM(reg) - SUM(late), SUM(late), SUM(rated) FROM (
  SELECT prefix, COUNT(*) AS s, 0 AS reg, 0 AS late, 0 AS rated FROM o GROUP BY prefix
  UNION ALL
  SELECT o.prefix, COUNT(*), 0, 0, 0 FROM orgs_person p JOIN o ON o.id = p.org_id
  WHERE p.is_leader AND p.active GROUP BY o.prefix
  UNION ALL
  SELECT f.prefix, SUM(CASE WHEN f.pk <> 0 AND p.id IS NULL THEN 1 ELSE 0 END), COUNT(*), SUM(f.late),
         SUM(CASE WHEN b.best IS NOT NULL AND b.best
                  + CASE WHEN b.kha >= 2 THEN (CASE WHEN f.pk = 0 THEN 0.5 ELSE 1 END) ELSE 0 END
                  + CASE WHEN f.pk = 0 AND COALESCE(bo.a, 0) > 0 THEN 0.5 ELSE 0 END >= 5 THEN 1 ELSE 0 END)
  FROM f LEFT JOIN orgs_person p ON p.id = f.pk AND p.org_id = f.org_id AND p.is_leader AND p.active
  LEFT JOIN best b ON b.org_id = f.org_id AND b.pk = f.pk
  LEFT JOIN bonus bo ON bo.org_id = f.org_id AND bo.pk = f.pk
  GROUP BY f.prefix) x
WHERE length(prefix) >= %(child_len)s
GROUP BY prefix
"""


def baseline_sql(campaign, org):
    """The fastest SQL I could write (see bench/RESULTS.md): subjects never joined into one big set — collectives
    and leaders counted per child straight from their tables, registered subjects grouped once (with the
    deadline that applies joined per organization), results only where there are appraisals."""
    depths = sorted(
        set(
            Organization.objects.filter(
                Q(path__startswith=org.path) | Q(path__in=[org.path[: 5 * i] for i in range(1, org.depth)]),
                campaign_levels__campaign=campaign,
            ).values_list("depth", flat=True)
        )
    )
    joins = " ".join(
        f"LEFT JOIN lv l{d} ON l{d}.path = substr(org.path, 1, {5 * d}) AND length(org.path) > {5 * d}" for d in depths
    )
    coalesce = "COALESCE(" + ", ".join(f"l{d}.e" for d in reversed(depths)) + ", NULL)" if depths else "NULL"
    if connection.vendor == "postgresql":
        deadline_end = "((l.registration_deadline + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    else:
        deadline_end = "datetime(l.registration_deadline, '+17 hours')"
    flagged = Organization.objects.filter(Q(in_village=True) | Q(private_enterprise=True)).filter(
        Q(path__startswith=org.path) | Q(path__in=[org.path[: 5 * i] for i in range(1, org.depth)])
    )
    excluded = " ".join(
        f"AND substr(org.path, 1, {5 * d}) NOT IN (SELECT path FROM flag)"
        for d in sorted(set(flagged.values_list("depth", flat=True)))
    )
    above = ", ".join(f"'{org.path[: 5 * i]}'" for i in range(1, org.depth)) or "''"
    sql = SQL.format(
        deadline_end=deadline_end, joins=joins, coalesce=coalesce, mat="MATERIALIZED", excluded=excluded, above=above
    )
    params = {
        "prefix": org.path + "%",
        "root_prefix": campaign.root.path + "%",
        "day": campaign.tree_date,
        "root": campaign.root_id,
        "campaign": campaign.pk,
        "child_len": len(org.path) + 5,
    }
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET jit = off")  # JIT compiling this plan costs more than it saves (measured: +1.1 s)
        c.execute(sql, params)
        return {row[0]: tuple(int(x or 0) for x in row[1:]) for row in c.fetchall()}


def ours(campaign, org):
    cov = compute(campaign, org)
    return {
        r.path: (r.figures.subjects, r.figures.registered, r.figures.on_time, r.figures.late, r.figures.rated)
        for r in cov.rows
        if r.figures.subjects
    }


def after_change(campaign, org, runs=5):
    """A read right after a write: one registration in the scope touched (its trigger marks its organization),
    so the read recomputes that one tally first. Median of 5."""
    reg = (
        Registration.objects.filter(
            campaign=campaign, subject_org__path__startswith=org.path, first_submitted_at__isnull=False
        )
        .order_by("id")
        .first()
    )
    times = []
    for _ in range(runs):
        Registration.objects.filter(pk=reg.pk).update(fields=F("fields"))
        t = time.perf_counter()
        compute(campaign, org)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


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
        scopes.append(
            (f"one province ({Organization.objects.filter(path__startswith=province.path).count():,} orgs)", province)
        )
    committee = Organization.objects.filter(depth=3 if scale == "nation" else 2).order_by("path")[1]
    scopes.append(
        (f"one committee ({Organization.objects.filter(path__startswith=committee.path).count():,} orgs)", committee)
    )
    print(f"{connection.vendor}, {scale}: {Organization.objects.count():,} organizations")
    forget(campaign)
    t = time.perf_counter()
    compute(campaign, root)
    print(
        f"first read of the campaign (computes every organization's tally and rollup): {time.perf_counter() - t:.1f} s"
    )
    if connection.vendor == "postgresql":
        # What autovacuum does after bulk writes (it is off on our bench machine's PostgreSQL, on by default in
        # production): generating the data left ~1.5 million dirty marks, all deleted by the first read; until
        # they are vacuumed, every read's look for marks scans them (about 15 ms).
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE coverage_tallydirty, coverage_tally, coverage_rollup")
    print(f"{'scope':<34} {'ours (ms)':>10} {'after a change':>15} {'hand SQL (ms)':>14} {'ratio':>7}")
    only = os.environ.get("BENCH_SCOPES")  # e.g. "1,2" to skip the whole nation while tuning
    for i, (label, org) in enumerate(scopes):
        if only and str(i) not in only.split(","):
            continue
        t_ours, a = timed(ours, campaign, org)
        t_change = after_change(campaign, org)
        t_sql, b = timed(baseline_sql, campaign, org)
        if a != b:
            diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
            raise SystemExit(f"MISMATCH for {label}: {list(diff.items())[:5]}")
        print(
            f"{label:<34} {t_ours * 1000:>10.1f} {t_change * 1000:>15.1f} {t_sql * 1000:>14.1f} {t_ours / t_sql:>7.3g}×"
        )
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
    print(
        f"coverage page of {org.name} ({Organization.objects.filter(path__startswith=org.path).count():,} orgs): "
        f"{t * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
