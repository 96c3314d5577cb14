"""Novelty check: the registrations most similar to a text, across this campaign and every earlier one.

Vietnamese-aware: text is folded (lower case, diacritics removed, đ→d), split into syllables, and indexed
as syllable unigrams and bigrams, so "cải cách hành chính" matches "cai cach hanh chinh" and a reordered
or partly reworded title still shares most of its terms. Scoring is TF-IDF cosine. Candidates come from an
inverted index in the database (NoveltyPosting): first the query's rarest terms (until about
CANDIDATE_POSTINGS postings), then the remaining terms only for the best candidates — so a lookup reads a
bounded number of postings whatever the size of the corpus (PERFORMANCE.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from sangtao.common.text import fold

from .models import NoveltyPosting, NoveltyTerm, Registration

CANDIDATE_POSTINGS = 10_000
RESCORE = 200
_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str) -> Counter:
    words = _WORD.findall(fold(text))
    counts = Counter(words)
    counts.update(f"{a}_{b}" for a, b in zip(words, words[1:]))
    return counts


def document_text(reg: Registration) -> str:
    return f"{reg.title}\n{reg.title}\n{reg.novelty}"  # the title counts twice: it names the model


def _idf(df: int, n: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1.0


def corpus_size() -> int:
    return Registration.objects.exclude(novelty_norm=0).count()


@transaction.atomic
def index(reg: Registration) -> None:
    """(Re)index one registration: its postings, the terms' document frequencies and its vector norm."""
    old = dict(NoveltyPosting.objects.filter(registration=reg).values_list("term_id", "tf"))
    if old:
        NoveltyTerm.objects.filter(pk__in=list(old)).update(df=F("df") - 1)
        NoveltyPosting.objects.filter(registration=reg).delete()
    counts = terms(document_text(reg))
    if not counts:
        Registration.objects.filter(pk=reg.pk).update(novelty_norm=0)
        return
    NoveltyTerm.objects.bulk_create([NoveltyTerm(text=t[:80]) for t in counts], ignore_conflicts=True)
    ids = dict(NoveltyTerm.objects.filter(text__in=[t[:80] for t in counts]).values_list("text", "pk"))
    NoveltyTerm.objects.filter(pk__in=ids.values()).update(df=F("df") + 1)
    NoveltyPosting.objects.bulk_create(
        [NoveltyPosting(term_id=ids[t[:80]], registration=reg, tf=min(tf, 32767)) for t, tf in counts.items()])
    from django.core.cache import cache

    cache.delete("sangtao:novelty:n")
    n = max(corpus_size(), 1)
    dfs = dict(NoveltyTerm.objects.filter(pk__in=ids.values()).values_list("text", "df"))
    norm = math.sqrt(sum((tf * _idf(dfs[t[:80]], n)) ** 2 for t, tf in counts.items()))
    Registration.objects.filter(pk=reg.pk).update(novelty_norm=norm or 1.0)


@dataclass
class Match:
    registration: Registration
    score: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _corpus_size() -> int:
    """How many documents are indexed — cached briefly: an exact count of a million rows per keystroke is waste."""
    from django.core.cache import cache

    return cache.get_or_set("sangtao:novelty:n", corpus_size, 300)


def _scores(weights: dict[int, float]) -> dict[int, float]:
    """Σ tf·weight per registration over the given (rare) terms, computed by the database: the best
    RESCORE candidates only."""
    from django.db import connection

    if not weights:
        return {}
    values = ", ".join(["(%s, %s)"] * len(weights))
    params: list = [x for pair in weights.items() for x in pair]
    # Only placeholders, the model's own table name and a constant are formatted in; values go as parameters.
    sql = (f"WITH q(term_id, w) AS (VALUES {values}) "  # nosec B608
           f"SELECT p.registration_id, SUM(p.tf * q.w) FROM {NoveltyPosting._meta.db_table} p "
           f"JOIN q ON q.term_id = p.term_id GROUP BY p.registration_id ORDER BY 2 DESC LIMIT {RESCORE}")
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {reg_id: float(score) for reg_id, score in cur.fetchall()}


def _complete(scores: dict[int, float], weights: dict[int, float], candidates: list[int]) -> None:
    """Add the other terms' contributions for the candidates: their postings are read through the
    (registration, term, tf) index — a few dozen rows each — instead of the common terms' long lists."""
    if not weights or not candidates:
        return
    rows = NoveltyPosting.objects.filter(registration_id__in=candidates).values_list("registration_id", "term_id", "tf")
    for reg_id, term_id, tf in rows:
        w = weights.get(term_id)
        if w is not None:
            scores[reg_id] = scores.get(reg_id, 0.0) + tf * w


def similar(text: str, *, exclude: int | None = None, limit: int = 10, minimum: float = 0.15) -> list[Match]:
    counts = terms(text)
    if not counts:
        return []
    rows = list(NoveltyTerm.objects.filter(text__in=[t[:80] for t in counts], df__gt=0).values_list("pk", "text", "df"))
    if not rows:
        return []
    n = max(_corpus_size(), 1)
    idf = {pk: _idf(df, n) for pk, _t, df in rows}
    weight = {pk: counts[text] * idf[pk] * idf[pk] for pk, text, _df in rows}  # query tf·idf times the document's idf
    q_norm = math.sqrt(sum((counts[text] * idf[pk]) ** 2 for pk, text, _df in rows))
    # 1. candidates from the rarest terms, scored by the database
    rare, total = [], 0
    for pk, _t, df in sorted(rows, key=lambda r: r[2]):
        if rare and total + df > CANDIDATE_POSTINGS:
            break
        rare.append(pk)
        total += df
    scores = _scores({pk: weight[pk] for pk in rare})
    if exclude is not None:
        scores.pop(exclude, None)
    best = sorted(scores, key=scores.get, reverse=True)[:RESCORE]
    # 2. the other terms, for the best candidates only
    _complete(scores, {pk: weight[pk] for pk, _t, _df in rows if pk not in set(rare)}, best)
    norms = dict(Registration.objects.filter(pk__in=best).values_list("pk", "novelty_norm"))
    ranked = sorted(((scores[r] / (q_norm * norms[r]), r) for r in best if norms.get(r)), reverse=True)
    ranked = [(s, r) for s, r in ranked if s >= minimum][:limit]
    found = Registration.objects.filter(pk__in=[r for _s, r in ranked]).select_related(
        "campaign", "subject_org", "person")
    by_pk = {r.pk: r for r in found}
    return [Match(by_pk[r], min(1.0, s)) for s, r in ranked if r in by_pk]
