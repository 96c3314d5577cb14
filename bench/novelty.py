"""Benchmark: the novelty check over N earlier models (default 1,000,000) on PostgreSQL.

Generates N synthetic registrations deterministically (titles of 8–15 syllables and a description of
10–25, drawn Zipf-like from 1,800 Vietnamese syllables with tone marks), indexes them exactly as the app
does (syllable unigrams + bigrams after folding), then runs 200 queries — registered titles with ~30% of
their syllables dropped, 1–2 added, half typed without diacritics — through `novelty.similar` and through
exact TF-IDF cosine scoring of every document (scipy sparse matrix, in memory) in the same run, and prints
p50/p95 latency of both and recall@10 of the app's lookup against the exact top-10.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sangtao_bench .venv/bin/python bench/novelty.py [N]
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sangtao_bench")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from scipy import sparse  # noqa: E402

from sangtao.common.text import fold  # noqa: E402
from sangtao.registrations import novelty  # noqa: E402

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "r", "s",
          "t", "th", "tr", "v", "x"]
RHYMES = ["a", "á", "à", "ả", "ã", "ạ", "ai", "ài", "ải", "an", "án", "àn", "ang", "áng", "anh", "ánh", "ành", "ao",
          "ào", "ảo", "at", "át", "ạt", "ay", "áy", "ây", "ấy", "e", "é", "è", "em", "en", "ên", "ền", "ết", "i", "ì",
          "í", "im", "in", "ình", "ính", "o", "ó", "ò", "oa", "oá", "oàn", "oạt", "oi", "ói", "ôi", "ối", "ồi", "on",
          "ông", "ống", "ồng", "ơn", "ớn", "u", "ú", "ù", "ung", "úng", "ương", "ướng", "ường", "ưu", "ức", "ực", "y"]
SEED = 2023


def vocabulary(n=1800):  # 25 onsets x 77 rhymes = 1,925 possible syllables
    rnd = random.Random(SEED)
    seen, out = set(), []
    while len(out) < n:
        s = rnd.choice(ONSETS) + rnd.choice(RHYMES)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def generate(n):
    vocab = vocabulary()
    weights = [1 / (i + 1) ** 0.9 for i in range(len(vocab))]
    rnd = random.Random(SEED)
    for _ in range(n):
        title = rnd.choices(vocab, weights, k=rnd.randint(8, 15))
        desc = rnd.choices(vocab, weights, k=rnd.randint(10, 25))
        yield " ".join(title).capitalize(), " ".join(desc).capitalize() + "."


def reuse(n):
    """Re-read an already loaded corpus (same seed) instead of writing it again."""
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM registrations_registration WHERE campaign_id = (SELECT id FROM campaigns_campaign WHERE code = 'BENCH') ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
    if len(ids) != n:
        return None
    texts = list(generate(n))
    term_id, rows, cols, vals = {}, [], [], []
    for doc, (title, desc) in enumerate(texts):
        for term, tf in novelty.terms(f"{title}\n{title}\n{desc}").items():
            rows.append(doc)
            cols.append(term_id.setdefault(term, len(term_id)))
            vals.append(tf)
    matrix = sparse.csr_matrix((np.array(vals, dtype=np.float32), (np.array(rows), np.array(cols))), shape=(n, len(term_id)))
    df = np.bincount(np.array(cols), minlength=len(term_id))
    idf = np.log((n + 1) / (df + 1)) + 1.0
    weighted = matrix.multiply(idf).tocsr()
    norms = np.sqrt(weighted.multiply(weighted).sum(axis=1)).A1
    return texts, ids, term_id, weighted, norms, idf


def load(n):
    """Bulk-load N registrations and their postings with COPY; returns the sparse doc-term matrix."""
    from sangtao.campaigns import domain as cdomain
    from sangtao.orgs import domain as odomain
    from sangtao.orgs.demo import ensure_default_kinds
    from sangtao.orgs.models import OrgKind

    call_command("migrate", verbosity=0)
    ensure_default_kinds()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE registrations_noveltyposting, registrations_noveltyterm, registrations_registrationversion, "
                    "registrations_indicator, registrations_registration CASCADE")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get_or_create(username="bench")[0]
    from sangtao.campaigns.models import Campaign
    from sangtao.orgs.models import Organization

    root = Organization.objects.filter(code="BENCH").first() or odomain.create_org(
        actor=None, parent=None, code="BENCH", name="Tỉnh thử", kind=OrgKind.objects.get(code="tinh"), valid_from=__import__("datetime").date(2020, 1, 1))
    unit = Organization.objects.filter(code="BENCH-1").first() or odomain.create_org(
        actor=None, parent=root, code="BENCH-1", name="Đơn vị thử", kind=OrgKind.objects.get(code="dang_bo_co_so"), valid_from=root.valid_from)
    campaign = Campaign.objects.filter(code="BENCH").first() or cdomain.open_campaign(
        actor=None, root=root, code="BENCH", name="Thử", year=2023, legal_bases="-", guidance="-",
        registration_deadline=__import__("datetime").date(2023, 3, 24), results_deadline=__import__("datetime").date(2023, 11, 30))
    texts = []
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        with cur.copy("COPY registrations_registration (campaign_id, subject_kind, subject_org_id, receiving_org_id, title, "
                      "content_areas, fields, novelty, method, theme_link, state, late, return_reason, not_new, "
                      "not_new_reason, version, created_by_id, created_at, updated_at, search_key, novelty_norm) FROM STDIN") as copy:
            for title, desc in generate(n):
                texts.append((title, desc))
                copy.write_row((campaign.pk, "collective", unit.pk, root.pk, title, "[]", "[]", desc, "", "", "submitted",
                                False, "", False, "", 1, user.pk, "2023-03-01 00:00+07", "2023-03-01 00:00+07", "", 1.0))
        cur.execute("SELECT id FROM registrations_registration ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
    print(f"registrations written: {len(ids):,} in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    term_id: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for doc, (title, desc) in enumerate(texts):
        counts = novelty.terms(f"{title}\n{title}\n{desc}")
        for term, tf in counts.items():
            tid = term_id.setdefault(term, len(term_id))
            rows.append(doc)
            cols.append(tid)
            vals.append(tf)
    rows, cols, vals = np.array(rows, dtype=np.int32), np.array(cols, dtype=np.int32), np.array(vals, dtype=np.float32)
    print(f"terms: {len(term_id):,}; postings: {len(vals):,} ({time.perf_counter() - t0:.1f} s to tokenize)")
    t0 = time.perf_counter()
    df = np.bincount(cols, minlength=len(term_id))
    terms_sorted = sorted(term_id.items(), key=lambda kv: kv[1])
    with connection.cursor() as cur:
        with cur.copy("COPY registrations_noveltyterm (id, text, df) FROM STDIN") as copy:
            for text, tid in terms_sorted:
                copy.write_row((tid + 1, text[:80], int(df[tid])))
        cur.execute("SELECT setval(pg_get_serial_sequence('registrations_noveltyterm', 'id'), %s)", [len(term_id) + 1])
        cur.execute("DROP INDEX IF EXISTS posting_term_covering")
        cur.execute("DROP INDEX IF EXISTS posting_registration_covering")
        # a bulk load without per-row foreign-key triggers (54 million deferred checks otherwise)
        cur.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'registrations_noveltyposting'::regclass AND contype = 'f'")
        foreign_keys = [r[0] for r in cur.fetchall()]
        for name in foreign_keys:
            cur.execute(f'ALTER TABLE registrations_noveltyposting DROP CONSTRAINT "{name}"')
        with cur.copy("COPY registrations_noveltyposting (term_id, registration_id, tf) FROM STDIN") as copy:
            id_arr = np.array(ids, dtype=np.int64)
            chunk = 1_000_000
            for start in range(0, len(vals), chunk):
                t = (cols[start:start + chunk] + 1).tolist()
                r = id_arr[rows[start:start + chunk]].tolist()
                v = vals[start:start + chunk].astype(np.int32).tolist()
                copy.write("".join(f"{a}\t{b}\t{c}\n" for a, b, c in zip(t, r, v)))
    print(f"postings copied in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE INDEX posting_term_covering ON registrations_noveltyposting (term_id, registration_id, tf)")
        cur.execute("CREATE INDEX posting_registration_covering ON registrations_noveltyposting (registration_id, term_id, tf)")
        cur.execute("ALTER TABLE registrations_noveltyposting ADD CONSTRAINT posting_term_fk FOREIGN KEY (term_id) "
                    "REFERENCES registrations_noveltyterm (id) DEFERRABLE INITIALLY DEFERRED NOT VALID")
        cur.execute("ALTER TABLE registrations_noveltyposting ADD CONSTRAINT posting_registration_fk FOREIGN KEY "
                    "(registration_id) REFERENCES registrations_registration (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID")
    connection.ensure_connection()
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE registrations_noveltyposting")
        cur.execute("VACUUM ANALYZE registrations_registration")
    connection.connection.autocommit = old
    print(f"indexes built in {time.perf_counter() - t0:.1f} s")
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(term_id)))
    idf = np.log((n + 1) / (df + 1)) + 1.0
    weighted = matrix.multiply(idf).tocsr()
    norms = np.sqrt(weighted.multiply(weighted).sum(axis=1)).A1
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE norms (id bigint, norm double precision)")
        with cur.copy("COPY norms FROM STDIN") as copy:
            for rid, norm in zip(ids, norms.tolist()):
                copy.write_row((rid, norm))
        cur.execute("UPDATE registrations_registration r SET novelty_norm = n.norm FROM norms n WHERE r.id = n.id")
    print(f"norms stored in {time.perf_counter() - t0:.1f} s")
    return texts, ids, term_id, weighted, norms, idf


def perturb(title, rnd, vocab):
    words = title.split()
    kept = [w for w in words if rnd.random() > 0.3] or words[:3]
    for _ in range(rnd.randint(1, 2)):
        kept.insert(rnd.randrange(len(kept) + 1), rnd.choice(vocab))
    text = " ".join(kept)
    return fold(text) if rnd.random() < 0.5 else text


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1_000_000
    loaded = reuse(n) if "--reuse" in sys.argv else None
    texts, ids, term_id, weighted, norms, idf = loaded or load(n)
    rnd = random.Random(SEED + 1)
    vocab = vocabulary()
    queries = [perturb(texts[rnd.randrange(n)][0], rnd, vocab) for _ in range(200)]
    by_column = weighted.tocsc()  # exact scoring touches only the query's columns
    exact_times, app_times, recalls = [], [], []
    for q in queries:
        text = f"{q}\n{q}"
        t0 = time.perf_counter()
        counts = novelty.terms(text)
        qcols = [term_id[t] for t in counts if t in term_id]
        qv = np.array([counts[t] * idf[term_id[t]] for t in counts if t in term_id], dtype=np.float32)
        scores = by_column[:, qcols].dot(qv) / (norms * (np.linalg.norm(qv) or 1))
        top = np.argpartition(-scores, 10)[:10]
        exact = {ids[i] for i in top}
        exact_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        found = {m.registration.pk for m in novelty.similar(text, limit=10, minimum=0)}
        app_times.append(time.perf_counter() - t0)
        recalls.append(len(found & exact) / 10)

    def pct(values, p):
        return sorted(values)[int(len(values) * p) - 1] * 1000

    print(f"corpus={n:,} queries={len(queries)} engine={connection.vendor}")
    print(f"baseline exact scoring (scipy, in memory): p50 {pct(exact_times, .5):6.1f} ms  p95 {pct(exact_times, .95):6.1f} ms")
    print(f"novelty.similar (database inverted index): p50 {pct(app_times, .5):6.1f} ms  p95 {pct(app_times, .95):6.1f} ms"
          f"  ratio p95 {pct(app_times, .95) / pct(exact_times, .95):4.2f}x")
    print(f"recall@10 against exact: {statistics.mean(recalls):.3f}")


if __name__ == "__main__":
    main()
