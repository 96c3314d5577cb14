"""Benchmark: the novelty check, measured two ways.

1. **Scale** (`python bench/novelty.py [N]`, default 1,000,000): N synthetic earlier models (title of 8–15
   syllables + a description of 20–60, drawn Zipf-like from 1,800 Vietnamese syllables with tone marks), built
   into `novelty.MemoryIndex` exactly as a web process builds it from the stored postings; 400 queries — a
   registered title with ~30% of its syllables dropped and 1–2 added, half with the (equally perturbed)
   description too, half typed without diacritics. Against the same run's exact baseline (every document that
   shares a term scored by brute force with the same formula), it prints p50/p95 of a lookup, recall@10,
   lookups per second with one worker process per core (forked, sharing the index copy-on-write), the time to
   build the index and the resident memory. `--db N` also loads N stored registrations through the app's own
   loader (`novelty.current_index()` on the configured database) and times it.
2. **Quality** (`python bench/novelty.py --labelled`): the labelled Vietnamese set of
   tests/registrations/paraphrases.py — originals indexed among the distractors, then each twin (reworded,
   with or without diacritics) looked up: the share whose original is in the top 3; and each negative
   (routine-duty texts, genuinely new models) looked up: the share flagged at FLAG_THRESHOLD.
"""

import gc
import math
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

import numpy as np  # noqa: E402

from sangtao.registrations import novelty  # noqa: E402

ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
RHYMES = [
    "a",
    "á",
    "à",
    "ả",
    "ã",
    "ạ",
    "ai",
    "ài",
    "ải",
    "an",
    "án",
    "àn",
    "ang",
    "áng",
    "anh",
    "ánh",
    "ành",
    "ao",
    "ào",
    "ảo",
    "at",
    "át",
    "ạt",
    "ay",
    "áy",
    "ây",
    "ấy",
    "e",
    "é",
    "è",
    "em",
    "en",
    "ên",
    "ền",
    "ết",
    "i",
    "ì",
    "í",
    "im",
    "in",
    "ình",
    "ính",
    "o",
    "ó",
    "ò",
    "oa",
    "oá",
    "oàn",
    "oạt",
    "oi",
    "ói",
    "ôi",
    "ối",
    "ồi",
    "on",
    "ông",
    "ống",
    "ồng",
    "ơn",
    "ớn",
    "u",
    "ú",
    "ù",
    "ung",
    "úng",
    "ương",
    "ướng",
    "ường",
    "ưu",
    "ức",
    "ực",
    "y",
]
SEED = 2023
QUERIES = 400


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
    cum = np.cumsum([1 / (i + 1) ** 0.9 for i in range(len(vocab))])
    rnd = random.Random(SEED)
    for _ in range(n):
        title = rnd.choices(vocab, cum_weights=cum, k=rnd.randint(8, 15))
        desc = rnd.choices(vocab, cum_weights=cum, k=rnd.randint(20, 60))
        yield " ".join(title).capitalize(), " ".join(desc).capitalize() + "."


def perturb(text, rnd, vocab):
    words = text.split()
    kept = [w for w in words if rnd.random() > 0.3] or words[:3]
    for _ in range(rnd.randint(1, 2)):
        kept.insert(rnd.randrange(len(kept) + 1), rnd.choice(vocab))
    return " ".join(kept)


def queries(texts, n):
    rnd, vocab = random.Random(SEED + 1), vocabulary()
    out = []
    for i in range(QUERIES):
        title, desc = texts[rnd.randrange(n)]
        q = novelty.query_text(perturb(title, rnd, vocab), perturb(desc, rnd, vocab) if i % 2 else "")
        out.append(novelty.fold_word(q.lower()) if rnd.random() < 0.5 else q)
    return out


class Exact:
    """The baseline: every document sharing a term with the query scored by brute force (dense accumulator over
    all N rows), with the same weights and the norms of both spaces computed for the whole corpus."""

    def __init__(self, idx: novelty.MemoryIndex, stock):
        self.idx, self.stock = idx, idx.stock_weights(stock)
        full, folded = [], []
        for start in range(0, len(idx.row_pk), 100_000):  # in slices: the whole corpus at once needs ~5 GB more
            rows = np.arange(start, min(start + 100_000, len(idx.row_pk)))
            a, b = idx.d_ptr[rows[0]], idx.d_ptr[rows[-1] + 1]
            terms_ = idx.d_terms[a:b].astype(np.int64)
            vals = idx.d_tf[a:b].astype(np.float64) * idx.weights(terms_, self.stock)
            seg = np.repeat(np.arange(len(rows)), np.diff(idx.d_ptr[rows[0] : rows[-1] + 2]))
            full.append(np.bincount(seg, weights=vals * vals, minlength=len(rows)))
            vals[idx.accented[terms_]] = 0.0
            folded.append(np.bincount(seg, weights=vals * vals, minlength=len(rows)))
        self.norm_full, self.norm_folded = np.sqrt(np.concatenate(full)), np.sqrt(np.concatenate(folded))

    def top(self, counts, k=10):
        idx = self.idx
        accented_space = any(t.startswith(novelty.ACCENT) for t in counts)
        counts = {t: tf for t, tf in counts.items() if accented_space or not t.startswith(novelty.ACCENT)}
        unseen = math.log(idx.n + 1) + 1.0
        q_norm2, acc = 0.0, np.zeros(len(idx.row_pk))
        for t, tf in counts.items():
            tid = idx.term_id.get(t)
            if tid is None:
                q_norm2 += (tf * unseen * (novelty.STOCK_WEIGHT if t in STOCK else 1.0)) ** 2
                continue
            w = float(idx.weights(np.array([tid]), self.stock)[0])
            q_norm2 += (tf * w) ** 2
            a, b = idx.t_ptr[tid], idx.t_ptr[tid + 1]
            acc += np.bincount(idx.t_rows[a:b], weights=idx.t_tf[a:b] * (tf * w * w), minlength=len(acc))
        norms = self.norm_full if accented_space else self.norm_folded
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(norms > 0, acc / (norms * np.sqrt(q_norm2)), 0.0)
        best = np.argpartition(-scores, k)[:k]
        return {int(idx.row_pk[r]) for r in best if scores[r] > 0}


STOCK = frozenset(t for p in novelty.DEFAULT_STOCK_PHRASES for t in novelty.phrase_terms(p))


def pct(values, p):
    return sorted(values)[max(int(len(values) * p) - 1, 0)] * 1000


def rss_gb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def throughput(idx, qs, workers=2, seconds=20):
    """Lookups per second with `workers` forked processes sharing the index, each looping over the queries."""
    read, write = os.pipe()
    pids = []
    start = time.perf_counter()
    for w in range(workers):
        pid = os.fork()
        if pid == 0:
            os.close(read)
            done, t0, i = 0, time.perf_counter(), w
            while time.perf_counter() - t0 < seconds:
                idx.search(novelty.terms(qs[i % len(qs)]), stock_terms=STOCK, limit=10)
                done, i = done + 1, i + 1
            os.write(write, f"{done}\n".encode())
            os._exit(0)
        pids.append(pid)
    os.close(write)
    for pid in pids:
        os.waitpid(pid, 0)
    total = sum(int(x) for x in os.read(read, 1000).split())
    return total / (time.perf_counter() - start)


def scale(n):
    t0 = time.perf_counter()
    texts = list(generate(n))
    print(f"generated {n:,} models in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    idx = novelty.MemoryIndex.build(
        (pk, dict(novelty.terms(novelty.query_text(t, d)))) for pk, (t, d) in enumerate(texts, start=1)
    )
    gc.collect()
    print(
        f"index built in {time.perf_counter() - t0:.0f} s: {len(idx.term_id):,} terms, {len(idx.d_terms):,} "
        f"postings, peak RSS {rss_gb():.1f} GiB"
    )
    qs = queries(texts, n)
    del texts
    exact = Exact(idx, STOCK)
    times, exact_times, recalls = [], [], []
    for q in qs:
        t0 = time.perf_counter()
        counts = novelty.terms(q)
        found = {pk for _s, pk in idx.search(counts, stock_terms=STOCK, limit=10)}
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        truth = exact.top(novelty.terms(q))
        exact_times.append(time.perf_counter() - t0)
        recalls.append(len(found & truth) / max(len(truth), 1))
    print(f"corpus={n:,} queries={len(qs)}")
    print(
        f"exact baseline (brute force, same formula): p50 {pct(exact_times, 0.5):7.1f} ms  p95 {pct(exact_times, 0.95):7.1f} ms"
    )
    print(f"novelty lookup (MemoryIndex.search):        p50 {pct(times, 0.5):7.1f} ms  p95 {pct(times, 0.95):7.1f} ms")
    print(f"recall@10 against exact: {statistics.mean(recalls):.4f} (min {min(recalls):.1f})")
    del exact
    gc.collect()
    print(f"throughput, 2 worker processes: {throughput(idx, qs):,.0f} lookups/s")
    print(f"peak RSS {rss_gb():.1f} GiB")


def populate(n):
    """N submitted registrations with the generated texts in the configured database, indexed by `rebuild`."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from sangtao.campaigns import domain as cdomain
    from sangtao.campaigns.models import Campaign
    from sangtao.orgs import domain as odomain
    from sangtao.orgs.demo import ensure_default_kinds
    from sangtao.orgs.models import Organization, OrgKind
    from sangtao.registrations.models import Registration

    call_command("migrate", verbosity=0)
    ensure_default_kinds()
    user = get_user_model().objects.get_or_create(username="bench")[0]
    day = dt.date(2020, 1, 1)
    root = Organization.objects.filter(code="BENCH").first() or odomain.create_org(
        actor=None, parent=None, code="BENCH", name="Tỉnh thử", kind=OrgKind.objects.get(code="tinh"), valid_from=day
    )
    campaign = Campaign.objects.filter(code="BENCH").first() or cdomain.open_campaign(
        actor=None,
        root=root,
        code="BENCH",
        name="Thử",
        year=2023,
        legal_bases="-",
        guidance="-",
        registration_deadline=dt.date(2023, 3, 24),
        results_deadline=dt.date(2023, 11, 30),
    )
    if Registration.objects.filter(campaign=campaign).count() != n:
        Registration.objects.filter(campaign=campaign).delete()
        Registration.objects.bulk_create(
            [
                Registration(
                    campaign=campaign,
                    subject_kind="collective",
                    subject_org=root,
                    receiving_org=root,
                    title=t,
                    novelty=d,
                    state="submitted",
                    created_by=user,
                )
                for t, d in generate(n)
            ],
            batch_size=5000,
        )
    t0 = time.perf_counter()
    novelty.rebuild()
    print(f"{n:,} registrations indexed by novelty.rebuild in {time.perf_counter() - t0:.0f} s")


def load_from_db(n):
    """Time the app's own loader (stored postings → MemoryIndex), as a new web process does, on the configured
    database; and the change-log check every lookup makes."""
    from sangtao.registrations.models import NoveltyPosting

    populate(n)
    print(f"stored postings: {NoveltyPosting.objects.count():,}")
    novelty.reset_process_index()
    t0 = time.perf_counter()
    idx = novelty.current_index()
    print(
        f"a new process loaded {idx.n:,} registrations from the database in {time.perf_counter() - t0:.1f} s, "
        f"peak RSS {rss_gb():.1f} GiB"
    )
    t0 = time.perf_counter()
    for _ in range(200):
        novelty.current_index()
    print(f"change-log check per lookup (no change): {(time.perf_counter() - t0) / 200 * 1000:.2f} ms")
    qs = queries(list(generate(n)), n)
    times = []
    for q in qs:
        t0 = time.perf_counter()
        novelty.similar(q, limit=10)
        times.append(time.perf_counter() - t0)
    print(
        f"novelty.similar end to end (change log, lookup, 10 registrations read): p50 {pct(times, 0.5):.1f} ms  "
        f"p95 {pct(times, 0.95):.1f} ms"
    )


def labelled():
    from tests.registrations.paraphrases import DISTRACTORS, NEGATIVES, PAIRS

    docs = [(i + 1, o) for i, (o, _p) in enumerate(PAIRS)] + [(10_000 + i, d) for i, d in enumerate(DISTRACTORS)]
    idx = novelty.MemoryIndex.build((pk, dict(novelty.terms(novelty.query_text(t)))) for pk, t in docs)
    print(
        f"labelled set: {len(PAIRS)} twins ({sum(novelty.has_diacritics(t) for _o, t in PAIRS)} with diacritics), "
        f"{len(DISTRACTORS)} other registered models indexed with the originals, {len(NEGATIVES)} negatives "
        f"(routine duties and genuinely new models)"
    )
    for name, stock in (("default stock list", STOCK), ("no stock list", frozenset())):

        def top(text, k, stock=stock):
            return idx.search(novelty.terms(novelty.query_text(text)), stock_terms=stock, limit=k)

        ranks = [[pk for _s, pk in top(twin, 3)] for _o, twin in PAIRS]
        top3 = [i + 1 in r for i, r in enumerate(ranks)]
        accented = [novelty.has_diacritics(t) for _o, t in PAIRS]
        twin_best = [{pk: s for s, pk in top(twin, 10)}.get(i + 1, 0.0) for i, (_o, twin) in enumerate(PAIRS)]
        neg_best = [(top(t, 1) or [(0.0, 0)])[0][0] for t in NEGATIVES]
        print(
            f"[{name}] twin's original in the top 3: {sum(top3) / len(PAIRS):.3f} (with diacritics "
            f"{sum(h for h, a in zip(top3, accented, strict=True) if a)}/{sum(accented)}, without "
            f"{sum(h for h, a in zip(top3, accented, strict=True) if not a)}/{len(PAIRS) - sum(accented)}); top 1: "
            f"{sum(bool(r) and r[0] == i + 1 for i, r in enumerate(ranks)) / len(PAIRS):.3f}"
        )
        for threshold in (0.35, 0.5, novelty.FLAG_THRESHOLD):
            caught = sum(s >= threshold for s in twin_best) / len(PAIRS)
            false = sum(s >= threshold for s in neg_best)
            print(
                f"   at {threshold:.0%}: twins reaching it {caught:.3f}; negatives flagged {false}/{len(NEGATIVES)} "
                f"= {false / len(NEGATIVES):.3f}"
            )
        worst = sorted(zip(neg_best, NEGATIVES, strict=True), reverse=True)[:3]
        print("   highest negatives: " + "; ".join(f"{s:.2f} {t}" for s, t in worst))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--labelled" in sys.argv:
        labelled()
        return
    if "--db" in sys.argv:
        load_from_db(int(args[0]) if args else 0)
        return
    scale(int(args[0]) if args else 1_000_000)


if __name__ == "__main__":
    main()
