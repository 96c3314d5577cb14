"""Novelty check: the registrations most similar to a text, across this campaign and every earlier one.

**Score.** The cosine of two TF-IDF vectors, computed at query time from the current corpus:

    w(t)   = idf(t) · m(t),   idf(t) = ln((N + 1) / (df(t) + 1)) + 1,   m(t) = STOCK_WEIGHT for a syllable or
             pair of syllables of a stock phrase (StockPhrase), 1 otherwise
    q_t    = tf_query(t) · w(t),   d_t = tf_doc(t) · w(t)
    score  = Σ q_t·d_t / (‖q‖ · ‖d‖)

N (documents indexed), df and the norms ‖d‖ are read from the current index at every lookup — nothing is
stored with the statistics of an earlier moment — so the score is a function of the query, the *set* of
indexed texts and the stock list only: the order in which the corpus was indexed (one by one, an import, a
rebuild) cannot change it. Every component is ≥ 0, so by Cauchy–Schwarz 0 ≤ score ≤ 1 by construction
(nothing is clipped); it is 1 exactly when the two weighted vectors are parallel (the same text).

**Terms.** Syllable unigrams and bigrams, twice: folded (lower case, no diacritics, đ→d: "hộ" → "ho") so a
query typed without diacritics finds its twin, and accented (prefixed "~": "~hộ", "~hộ_nghèo") for syllables
that carry diacritics, so "hộ" and "hồ" are different words. A query with diacritics is compared in the space
of both kinds (an accented match counts twice, a folded-only match once); a query without diacritics in the
folded space only. The title counts twice: it names the model.

**Storage and speed.** The postings live in the database (NoveltyTerm, NoveltyPosting: shared by every web
node, the truth that `manage.py novelty --check` compares with a fresh build). Each process answers from an
in-memory copy (numpy arrays: term → documents and document → terms), loaded on first use and kept current by
the NoveltyChange log: every indexing writes a row in the same transaction; before each lookup a process reads
the rows it has not applied yet (one index scan) and reloads those registrations' postings. Candidates come
from the query's rarest terms (about CANDIDATE_POSTINGS postings); the best RESCORE of them are then scored
exactly (full dot product and norm with the current statistics).
"""

from __future__ import annotations

import math
import re
import secrets
import threading
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F

from sangtao.common import audit

from .models import NoveltyChange, NoveltyPosting, NoveltyTerm, Registration, StockPhrase
from .workflow import SUBMITTED_STATES

CANDIDATE_POSTINGS = 30_000
RESCORE = 300
STOCK_WEIGHT = 0.2
FLAG_THRESHOLD = 0.6  # at or above: shown as "similar" (red) — bench/RESULTS.md measures the false-flag rate here
WATCH_THRESHOLD = 0.35  # at or above: worth a look (amber)
# A process re-reads the last RECHECK change rows at every lookup: a row committed late (its id taken before one
# already applied) is still seen, and a row whose token changed (rolled back, id reused) forces a reload.
RECHECK = 64
ACCENT = "~"
_WORD = re.compile(r"[^\W_]+")
DEFAULT_STOCK_PHRASES = [
    "nâng cao chất lượng",
    "nâng cao hiệu quả",
    "nâng cao năng lực",
    "thực hiện tốt nhiệm vụ chính trị",
    "hoàn thành tốt nhiệm vụ",
    "hoàn thành xuất sắc nhiệm vụ",
    "đổi mới phương thức lãnh đạo",
    "đổi mới nội dung phương thức",
    "tăng cường sự lãnh đạo của đảng",
    "sự lãnh đạo chỉ đạo",
    "lãnh đạo chỉ đạo",
    "xây dựng chỉnh đốn đảng",
    "xây dựng đảng và hệ thống chính trị trong sạch vững mạnh",
    "trong sạch vững mạnh",
    "góp phần thực hiện thắng lợi",
    "nghị quyết đại hội",
    "học tập và làm theo tư tưởng đạo đức phong cách hồ chí minh",
    "tư tưởng đạo đức phong cách hồ chí minh",
    "phát huy vai trò",
    "vai trò tiên phong gương mẫu",
    "tiên phong gương mẫu của cán bộ đảng viên",
    "cán bộ đảng viên",
    "cán bộ công chức viên chức",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "mô hình mới cách làm sáng tạo",
    "cách làm sáng tạo",
    "mô hình mới",
    "trên địa bàn",
    "đáp ứng yêu cầu nhiệm vụ",
    "trong tình hình mới",
    "phát triển kinh tế xã hội",
    "đảm bảo quốc phòng an ninh",
    "tạo sự chuyển biến",
    "chuyển biến tích cực",
    "góp phần nâng cao",
    "thực hiện có hiệu quả",
    "tổ chức thực hiện",
    "triển khai thực hiện",
    "công tác xây dựng đảng",
]

# A Vietnamese letter → its base letter, one character each (so a word keeps its length and position).
_FOLD = {}
for _cp in range(0xC0, 0x1F00):
    _ch = chr(_cp)
    _base = "".join(c for c in unicodedata.normalize("NFD", _ch) if unicodedata.category(c) != "Mn")
    if _base != _ch and len(_base) == 1:
        _FOLD[_cp] = _base
_FOLD.update({ord("đ"): "d", ord("Đ"): "D"})
del _cp, _ch, _base


def words(text: str) -> list[str]:
    """The syllables of a text, lower case, with their diacritics (NFC)."""
    return _WORD.findall(unicodedata.normalize("NFC", (text or "").lower()))


def fold_word(word: str) -> str:
    return word.translate(_FOLD)


def terms(text: str) -> Counter:
    """Folded unigrams and bigrams, plus accented ones ("~hộ", "~hộ_nghèo") where a syllable has diacritics."""
    acc = words(text)
    folded = [fold_word(w) for w in acc]
    counts = Counter(folded)
    counts.update(f"{a}_{b}" for a, b in pairwise(folded))
    marked = [w != f for w, f in zip(acc, folded, strict=True)]
    counts.update(ACCENT + w for w, m in zip(acc, marked, strict=True) if m)
    counts.update(f"{ACCENT}{acc[i]}_{acc[i + 1]}" for i in range(len(acc) - 1) if marked[i] or marked[i + 1])
    return counts


def has_diacritics(text: str) -> bool:
    return any(fold_word(w) != w for w in words(text))


def phrase_terms(phrase: str) -> set[str]:
    """The terms of a stock phrase, folded and accented, syllables and pairs: the terms it weighs down wherever
    they occur (a weight per term, not per occurrence, so an edit of the list needs no re-indexing)."""
    return set(terms(phrase))


def document_text(reg: Registration) -> str:
    return f"{reg.title}\n{reg.title}\n{reg.novelty}"  # the title counts twice: it names the model


def query_text(title: str, description: str = "") -> str:
    return f"{title}\n{title}\n{description}"


# ---------------------------------------------------------------------------------------------------------------
# The stored index (database): written when a registration is submitted, read by every process.


def indexed_registrations():
    """What the index holds: every registration that has been submitted (returned ones included: the receiving
    level still compares against them), with its current text."""
    return Registration.objects.filter(state__in=SUBMITTED_STATES)


@transaction.atomic
def index(reg: Registration) -> None:
    """(Re)index one registration: its postings and the terms' document frequencies; a change row tells every
    process to reload it. A registration no longer in a submitted state is removed."""
    old = dict(NoveltyPosting.objects.filter(registration=reg).values_list("term_id", "tf"))
    if old:
        NoveltyTerm.objects.filter(pk__in=list(old)).update(df=F("df") - 1)
        NoveltyPosting.objects.filter(registration=reg).delete()
    counts = terms(document_text(reg)) if reg.state in SUBMITTED_STATES else Counter()
    if counts:
        keys = {t: t[:80] for t in counts}
        NoveltyTerm.objects.bulk_create([NoveltyTerm(text=k) for k in keys.values()], ignore_conflicts=True)
        ids = dict(NoveltyTerm.objects.filter(text__in=list(keys.values())).values_list("text", "pk"))
        NoveltyTerm.objects.filter(pk__in=ids.values()).update(df=F("df") + 1)
        merged = Counter()
        for t, tf in counts.items():
            merged[ids[keys[t]]] += tf
        NoveltyPosting.objects.bulk_create(
            [NoveltyPosting(term_id=tid, registration=reg, tf=min(tf, 32767)) for tid, tf in merged.items()]
        )
    NoveltyChange.objects.create(registration_id=reg.pk, token=secrets.token_hex(8))


def fresh_documents(progress=None, page: int = 2000):
    """(registration pk, {term: tf}) for every indexed registration, from its current text, one at a time. Read
    a page at a time by primary key, so that no query stays open between pages (a COPY may run in between)."""
    last = 0
    while True:
        regs = list(indexed_registrations().filter(pk__gt=last).only("pk", "title", "novelty").order_by("pk")[:page])
        for reg in regs:
            counts = Counter()
            for t, tf in terms(document_text(reg)).items():
                counts[t[:80]] += tf
            yield reg.pk, dict(counts)
            if progress:
                progress()
        if len(regs) < page:
            return
        last = regs[-1].pk


def fresh_postings(progress=None) -> dict[int, dict[str, int]]:
    """The index as a fresh build would make it: registration → {term: tf}, from the current texts."""
    return dict(fresh_documents(progress))


def stored_documents():
    """(registration pk, {term: tf}) as stored, in registration order, streamed through a server-side cursor."""
    text = dict(NoveltyTerm.objects.values_list("pk", "text"))
    table = NoveltyPosting._meta.db_table
    current, doc = None, {}
    with connection.chunked_cursor() as cur:
        # only the model's own table name is formatted in
        cur.execute(f"SELECT registration_id, term_id, tf FROM {table} ORDER BY registration_id")  # noqa: S608  # nosec B608
        while rows := cur.fetchmany(50_000):
            for reg_id, term_id, tf in rows:
                if reg_id != current:
                    if current is not None:
                        yield current, doc
                    current, doc = reg_id, {}
                doc[text[term_id]] = tf
    if current is not None:
        yield current, doc


def check() -> list[str]:
    """Differences between the stored index and a fresh build (empty: they agree). Both are streamed in
    registration order and compared one registration at a time; only the term counts are held."""
    problems, df = [], Counter()
    fresh, stored = fresh_documents(), stored_documents()
    a, b = next(fresh, None), next(stored, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            problems.append(f"registration {a[0]}: not in the stored index")
            df.update(a[1].keys())  # one per document, whatever the tf
            a = next(fresh, None)
        elif a is None or b[0] < a[0]:
            problems.append(f"registration {b[0]}: stored but not submitted (or gone)")
            b = next(stored, None)
        else:
            if a[1] != b[1]:
                problems.append(f"registration {a[0]}: stored postings differ from its current text")
            df.update(a[1].keys())  # one per document, whatever the tf
            a, b = next(fresh, None), next(stored, None)
    stored_df = {t: d for t, d in NoveltyTerm.objects.values_list("text", "df") if d}
    problems.extend(
        f"term {t!r}: df stored {stored_df.get(t, 0)}, counted {df.get(t, 0)}"
        for t in sorted(set(df) | set(stored_df))
        if df.get(t, 0) != stored_df.get(t, 0)
    )
    return problems


def rebuild(progress=None) -> int:
    """Write the whole index again from the current texts, streaming (a national corpus does not fit in Python
    objects): term ids are given here, postings written as they are made (COPY on PostgreSQL), the terms with
    their df last — the foreign keys are checked at commit. Every process then reloads. Returns the count."""
    ids: dict[str, int] = {}
    df: Counter = Counter()
    count = 0

    with transaction.atomic():
        if connection.vendor == "postgresql":  # millions of rows: no per-row delete
            tables = ", ".join(m._meta.db_table for m in (NoveltyPosting, NoveltyTerm, NoveltyChange))
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks pending in this transaction run first
                cur.execute(f"TRUNCATE {tables}")  # nosec B608 — the models' own table names
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for model in (NoveltyPosting, NoveltyTerm, NoveltyChange):
                model.objects.all().delete()
        rows = []
        for reg_id, doc in fresh_documents(progress):
            count += 1
            for t, tf in doc.items():
                tid = ids.setdefault(t, len(ids) + 1)
                df[tid] += 1
                rows.append((tid, reg_id, min(tf, 32767)))
            if len(rows) >= 200_000:  # written between two pages of registrations: one statement at a time
                _write_postings(rows)
                rows = []
        _write_postings(rows)
        NoveltyTerm.objects.bulk_create(
            (NoveltyTerm(pk=tid, text=t, df=df[tid]) for t, tid in ids.items()), batch_size=5000
        )
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), [NoveltyTerm]):
                cur.execute(sql)
        NoveltyChange.objects.create(registration_id=0, token=secrets.token_hex(8))  # 0: reload everything
    return count


def _write_postings(rows) -> None:
    if connection.vendor == "postgresql":
        table = NoveltyPosting._meta.db_table
        with connection.cursor() as cur, cur.copy(f"COPY {table} (term_id, registration_id, tf) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    NoveltyPosting.objects.bulk_create(
        [NoveltyPosting(term_id=tid, registration_id=reg_id, tf=tf) for tid, reg_id, tf in rows], batch_size=20000
    )


# ---------------------------------------------------------------------------------------------------------------
# The in-memory index of this process.


@dataclass
class MemoryIndex:
    """Postings in numpy arrays. `base` rows are in compressed arrays; documents changed since the base was
    built live in `delta` (a dict) and their base rows are marked dead. df and N cover both."""

    term_id: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    accented: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    df: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    row_pk: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    t_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    t_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    t_tf: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    d_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    d_terms: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    d_tf: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    row_of: dict[int, int] = field(default_factory=dict)
    delta: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    delta_by_term: dict[int, set[int]] = field(default_factory=dict)
    n: int = 0
    logdf: np.ndarray = field(default_factory=lambda: np.zeros(0))  # ln(df + 1) per term
    _qpos: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)  # scratch: term → query slot
    _stock: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    _stock_key: tuple | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    # -- building
    @classmethod
    def build(cls, docs) -> MemoryIndex:
        """From (pk, {term: tf}) pairs."""
        idx = cls()
        pks, ptr, term_list, tf_list = array("q"), array("q", [0]), array("i"), array("f")  # compact while reading
        intern = idx.intern_term
        for pk, doc in docs:
            if not doc:
                continue
            pks.append(pk)
            term_list.extend([intern(t) for t in doc])
            tf_list.extend(doc.values())
            ptr.append(len(term_list))
        idx.set_base(
            np.frombuffer(pks, np.int64),
            np.frombuffer(ptr, np.int64),
            np.frombuffer(term_list, np.int32),
            np.frombuffer(tf_list, np.float32),
        )
        return idx

    def intern_term(self, term: str) -> int:
        tid = self.term_id.get(term)
        if tid is None:
            tid = self.term_id[term] = len(self.term_id)
            self.texts.append(term)
        return tid

    def _grow(self):
        size = len(self.term_id)
        if len(self.df) < size:
            extra = size - len(self.df)
            self.df = np.concatenate([self.df, np.zeros(extra, np.int64)])
            self.logdf = np.concatenate([self.logdf, np.zeros(extra)])
            self._qpos = np.concatenate([self._qpos, np.full(extra, -1, np.int64)])
            texts = self.texts[len(self.accented) :]
            self.accented = np.concatenate([self.accented, np.array([t.startswith(ACCENT) for t in texts], bool)])

    def set_base(self, pks, ptr, d_terms, d_tf):
        self.row_pk, self.d_ptr, self.d_terms, self.d_tf = pks, ptr, d_terms, d_tf
        self.row_of = {int(pk): i for i, pk in enumerate(pks.tolist())}
        self.alive = np.ones(len(pks), bool)
        self.delta, self.delta_by_term = {}, {}
        self._grow()
        self.df = np.bincount(d_terms, minlength=len(self.term_id)).astype(np.int64)
        self.logdf = np.log1p(self.df.astype(np.float64))
        rows = np.repeat(np.arange(len(pks), dtype=np.int32), np.diff(ptr))
        order = np.argsort(d_terms, kind="stable")
        self.t_rows, self.t_tf = rows[order], d_tf[order]
        self.t_ptr = np.concatenate([[0], np.cumsum(np.bincount(d_terms, minlength=len(self.term_id)))]).astype(
            np.int64
        )
        self.n = len(pks)

    def compact(self):
        docs = [(pk, self.doc_terms(pk)) for pk in self.pks()]
        texts = self.texts
        rebuilt = MemoryIndex.build((pk, {texts[t]: tf for t, tf in zip(*doc, strict=True)}) for pk, doc in docs)
        with self._lock:
            self.__dict__.update({k: v for k, v in rebuilt.__dict__.items() if k != "_lock"})

    # -- changes
    def pks(self) -> list[int]:
        return sorted(
            [int(p) for p, a in zip(self.row_pk.tolist(), self.alive.tolist(), strict=True) if a] + list(self.delta)
        )

    def doc_terms(self, pk: int) -> tuple[np.ndarray, np.ndarray]:
        if pk in self.delta:
            return self.delta[pk]
        row = self.row_of.get(pk)
        if row is None or not self.alive[row]:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        a, b = self.d_ptr[row], self.d_ptr[row + 1]
        return self.d_terms[a:b], self.d_tf[a:b]

    def remove(self, pk: int):
        with self._lock:
            self._remove(pk)

    def _remove(self, pk: int):
        old_terms, _tf = self.doc_terms(pk)
        if not len(old_terms):
            return
        np.subtract.at(self.df, old_terms, 1)
        self.logdf[old_terms] = np.log1p(self.df[old_terms].astype(np.float64))
        self.n -= 1
        if pk in self.delta:
            del self.delta[pk]
            for t in old_terms.tolist():
                self.delta_by_term[t].discard(pk)
        else:
            self.alive[self.row_of[pk]] = False

    def put(self, pk: int, doc: dict[str, int]):
        with self._lock:
            self._put(pk, doc)

    def _put(self, pk: int, doc: dict[str, int]):
        self._remove(pk)
        if not doc:
            return
        ids = np.array([self.intern_term(t) for t in doc], np.int32)
        self._grow()
        self.delta[pk] = (ids, np.array(list(doc.values()), np.float32))
        np.add.at(self.df, ids, 1)
        self.logdf[ids] = np.log1p(self.df[ids].astype(np.float64))
        self.n += 1
        for t in ids.tolist():
            self.delta_by_term.setdefault(t, set()).add(pk)
        if len(self.delta) > 5000:
            self.compact()

    def snapshot(self) -> dict[int, dict[str, int]]:
        texts = self.texts
        return {
            pk: {texts[t]: int(tf) for t, tf in zip(*(a.tolist() for a in self.doc_terms(pk)), strict=True)}
            for pk in self.pks()
        }

    # -- scoring
    def weights(self, term_ids: np.ndarray, stock: np.ndarray) -> np.ndarray:
        """w(t) = idf(t) · m(t) with the current N and df (ln(df + 1) is kept per term, updated on change)."""
        return ((math.log(self.n + 1) + 1.0) - self.logdf[term_ids]) * stock[term_ids]

    def stock_weights(self, stock_terms: frozenset) -> np.ndarray:
        """m(t) per term id: STOCK_WEIGHT for the stock phrases' terms, 1 otherwise (cached per list and size)."""
        key = (stock_terms, len(self.term_id))
        if self._stock_key != key:
            mult = np.ones(len(self.term_id))
            mult[[self.term_id[t] for t in stock_terms if t in self.term_id]] = STOCK_WEIGHT
            self._stock, self._stock_key = mult, key
        return self._stock

    def search(
        self, counts: Counter, *, stock_terms: frozenset = frozenset(), exclude=(), limit=10, exhaustive=False
    ) -> list[tuple[float, int]]:
        """[(score, pk)] best first. `exhaustive` scores every document sharing a term (the exact baseline)."""
        with self._lock:
            return self._search(counts, stock_terms, exclude, limit, exhaustive)

    def _search(self, counts, stock_terms, exclude, limit, exhaustive):
        accented_space = any(t.startswith(ACCENT) for t in counts)
        counts = {t: tf for t, tf in counts.items() if accented_space or not t.startswith(ACCENT)}
        if not counts or not self.n:
            return []
        stock = self.stock_weights(stock_terms)
        known = {self.term_id[t]: tf for t, tf in counts.items() if t in self.term_id}
        if not known:
            return []
        unseen_idf = math.log(self.n + 1) + 1.0
        q_norm2 = sum(
            (tf * unseen_idf * (STOCK_WEIGHT if t in stock_terms else 1.0)) ** 2
            for t, tf in counts.items()
            if t not in self.term_id
        )
        q_ids = np.array(sorted(known), np.int64)
        q_w = self.weights(q_ids, stock)
        q_vec = np.array([known[i] for i in q_ids.tolist()], np.float64) * q_w
        q_norm = math.sqrt(q_norm2 + float(np.dot(q_vec, q_vec)))
        # candidates: base rows from the rarest terms (or all, exhaustively), then every delta document sharing a term
        in_base = q_ids < len(self.t_ptr) - 1
        safe = np.where(in_base, q_ids, 0) if len(self.t_ptr) > 1 else np.zeros(0, np.int64)
        starts = np.where(in_base, self.t_ptr[safe], 0) if len(safe) else np.zeros(len(q_ids), np.int64)
        lens = np.where(in_base, self.t_ptr[safe + 1] - starts, 0) if len(safe) else np.zeros(len(q_ids), np.int64)
        order = np.argsort(self.df[q_ids], kind="stable")
        if exhaustive:
            chosen = order
        else:
            cum = np.cumsum(lens[order])
            chosen = order[: max(int(np.searchsorted(cum, CANDIDATE_POSTINGS, side="right")), 1)]
        chosen = chosen[lens[chosen] > 0]
        rows = np.zeros(0, np.int64)
        if len(chosen):
            pos = _ranges(starts[chosen], lens[chosen])
            contrib = self.t_tf[pos] * np.repeat(q_vec[chosen] * q_w[chosen], lens[chosen])
            rows, inv = np.unique(self.t_rows[pos], return_inverse=True)
            partial = np.bincount(inv, weights=contrib)
            keep = self.alive[rows]
            rows, partial = rows[keep], partial[keep]
            if not exhaustive and len(rows) > RESCORE:
                rows = rows[np.argpartition(-partial, RESCORE)[:RESCORE]]
        excluded = set(exclude)
        if excluded:
            rows = rows[~np.isin(self.row_pk[rows], list(excluded))]
        delta = sorted({pk for t in q_ids.tolist() for pk in self.delta_by_term.get(t, ())} - excluded)
        return self._exact(rows, delta, q_ids, q_vec, q_norm, stock, accented_space, limit)

    def _exact(self, rows, delta, q_ids, q_vec, q_norm, stock, accented_space, limit) -> list[tuple[float, int]]:
        """Full dot products and norms, with the current statistics, of the candidate base rows and delta docs."""
        pks = self.row_pk[rows].tolist() + delta
        if not pks:
            return []
        lens = self.d_ptr[rows + 1] - self.d_ptr[rows]
        pos = _ranges(self.d_ptr[rows], lens)
        terms_, tfs = [self.d_terms[pos]], [self.d_tf[pos]]
        for pk in delta:
            terms_.append(self.delta[pk][0])
            tfs.append(self.delta[pk][1])
        all_lens = np.concatenate([lens, np.array([len(self.delta[pk][0]) for pk in delta], np.int64)])
        terms_ = np.concatenate(terms_).astype(np.int64)
        seg = np.repeat(np.arange(len(pks)), all_lens)
        vals = np.concatenate(tfs).astype(np.float64) * self.weights(terms_, stock)
        if not accented_space:
            vals[self.accented[terms_]] = 0.0
        norms = np.sqrt(np.bincount(seg, weights=vals * vals, minlength=len(pks)))
        qpos = self._qpos
        qpos[q_ids] = np.arange(len(q_ids))
        where = qpos[terms_]
        qpos[q_ids] = -1
        hit = where >= 0
        dots = np.bincount(seg[hit], weights=vals[hit] * q_vec[where[hit]], minlength=len(pks))
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(norms > 0, dots / (norms * q_norm), 0.0)
        pk_arr = np.array(pks, np.int64)
        ranked = sorted(
            zip((-scores).tolist(), pk_arr.tolist(), strict=True)
        )  # best first; ties by registration number
        return [(-s, pk) for s, pk in ranked[:limit] if s < 0]


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The positions start..start+len-1 of every (start, len), concatenated."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lens) - lens
    return np.arange(total, dtype=np.int64) - np.repeat(offsets - starts, lens)


class _Process:
    """This process's index and what it has applied of the change log."""

    def __init__(self):
        self.lock = threading.Lock()
        self.index: MemoryIndex | None = None
        self.applied: dict[int, str] = {}  # change id → token, for the recent ones
        self.last = 0
        self.vendor_db = None

    def reset(self):
        self.index, self.applied, self.last = None, {}, 0

    def current(self) -> MemoryIndex:
        with self.lock:
            db = (connection.vendor, connection.settings_dict.get("NAME"))
            if self.vendor_db != db:
                self.reset()
                self.vendor_db = db
            if self.index is None:  # the newest rows only: a new process loads everything anyway
                changes = sorted(
                    NoveltyChange.objects.order_by("-id").values_list("id", "token", "registration_id")[:RECHECK]
                )
                self._load(changes)
                return self.index
            window = max(self.last - RECHECK, 0)
            changes = list(
                NoveltyChange.objects.filter(id__gt=window).order_by("id").values_list("id", "token", "registration_id")
            )
            seen = {i: tok for i, tok, _r in changes}
            rolled_back = any(seen.get(i, tok) != tok for i, tok in self.applied.items() if i > window) or (
                self.last and self.last not in seen and self.last > window
            )
            if rolled_back or any(r == 0 for i, _t, r in changes if i not in self.applied):
                self._load(changes)
                return self.index
            todo = [(i, tok, r) for i, tok, r in changes if i not in self.applied]
            if todo:
                fresh = self._read({r for _i, _t, r in todo})
                for _i, _t, r in todo:
                    self.index.put(r, fresh.get(r, {}))
                self._mark(todo)
            return self.index

    def _mark(self, changes):
        for i, tok, _r in changes:
            self.applied[i] = tok
            self.last = max(self.last, i)
        if len(self.applied) > 2000:
            self.applied = {i: t for i, t in self.applied.items() if i > self.last - RECHECK}

    def _load(self, changes):
        self.applied, self.last = {}, 0
        self.index = load_stored_index()
        self._mark(changes)

    @staticmethod
    def _read(pks) -> dict[int, dict[str, int]]:
        rows = list(
            NoveltyPosting.objects.filter(registration_id__in=pks).values_list("registration_id", "term_id", "tf")
        )
        text = dict(NoveltyTerm.objects.filter(pk__in={t for _r, t, _tf in rows}).values_list("pk", "text"))
        out: dict[int, dict[str, int]] = {}
        for reg_id, term_id, tf in rows:
            out.setdefault(reg_id, {})[text[term_id]] = tf
        return out


def load_stored_index(chunk: int = 200_000) -> MemoryIndex:
    """The whole stored index as a MemoryIndex, streamed: the term dictionary, then the postings in registration
    order (the (registration, term, tf) covering index) through a server-side cursor, a chunk at a time into
    compact arrays — never one Python object per posting."""
    idx = MemoryIndex()
    top = NoveltyTerm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    local = np.full(top + 1, -1, np.int64)
    for pk, text in NoveltyTerm.objects.values_list("pk", "text").iterator(chunk_size=50_000):
        local[pk] = idx.intern_term(text)
    regs, terms_, tfs = [], [], []
    table = NoveltyPosting._meta.db_table
    with connection.chunked_cursor() as cur:
        # only the model's own table name is formatted in
        cur.execute(f"SELECT registration_id, term_id, tf FROM {table} ORDER BY registration_id")  # noqa: S608  # nosec B608
        while rows := cur.fetchmany(chunk):
            block = np.array(rows, np.int64)
            regs.append(block[:, 0])
            terms_.append(local[block[:, 1]].astype(np.int32))
            tfs.append(block[:, 2].astype(np.float32))
    if not regs:
        idx.set_base(np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
        return idx
    reg = np.concatenate(regs)
    del regs
    starts = np.flatnonzero(np.r_[True, reg[1:] != reg[:-1]])
    idx.set_base(reg[starts], np.r_[starts, len(reg)].astype(np.int64), np.concatenate(terms_), np.concatenate(tfs))
    return idx


_PROCESS = _Process()


def current_index() -> MemoryIndex:
    return _PROCESS.current()


def reset_process_index():
    """Forget this process's copy (tests; after a restore). The next lookup loads it again."""
    _PROCESS.reset()


def stock_terms() -> frozenset:

    def load():
        return frozenset(t for p in StockPhrase.objects.values_list("text", flat=True) for t in phrase_terms(p))

    key = f"sangtao:novelty:stock:{stock_version()}"
    return cache.get_or_set(key, load, 3600)


def stock_version() -> str:

    return cache.get_or_set("sangtao:novelty:stock-version", lambda: secrets.token_hex(4), None)


def stock_changed():

    cache.delete("sangtao:novelty:stock-version")


@dataclass
class Match:
    registration: Registration
    score: float  # 0..1, by construction
    declared: bool = False  # the registration declares it replicates this model (nhân rộng)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def level(self) -> str:
        return "flag" if self.score >= FLAG_THRESHOLD else "watch" if self.score >= WATCH_THRESHOLD else "low"


def similar(
    text: str, *, exclude: int | None = None, limit: int = 10, minimum: float = 0.15, replicates: int | None = None
) -> list[Match]:
    counts = terms(text)
    if not counts:
        return []
    ranked = current_index().search(
        counts, stock_terms=stock_terms(), exclude=[exclude] if exclude else (), limit=limit
    )
    ranked = [(s, pk) for s, pk in ranked if s >= minimum]
    found = Registration.objects.filter(pk__in=[pk for _s, pk in ranked]).select_related(
        "campaign", "subject_org", "person"
    )
    by_pk = {r.pk: r for r in found}
    return [Match(by_pk[pk], s, declared=pk == replicates) for s, pk in ranked if pk in by_pk]


def similar_to(reg: Registration, *, limit: int = 10, minimum: float = 0.15) -> list[Match]:
    return similar(document_text(reg), exclude=reg.pk, limit=limit, minimum=minimum, replicates=reg.replicates_id)


# ---------------------------------------------------------------------------------------------------------------
# Explanation: the phrases two texts share.


def shared_segments(text: str, other: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, kind) with kind "shared" for runs of two or more syllables that also stand
    together in `other` (compared folded, so a twin typed without diacritics still lights up), "stock" for
    such runs that are only a stock phrase, "" for the rest. Joining the pieces gives `text` back."""
    stock = {t for t in stock_terms() if not t.startswith(ACCENT)}
    other_words = [fold_word(w) for w in words(other)]
    other_bigrams = {f"{a}_{b}" for a, b in pairwise(other_words)}
    spans = [(m.start(), m.end(), fold_word(m.group().lower())) for m in _WORD.finditer(text or "")]
    kind = [""] * len(spans)
    run: list[int] = []  # a run of consecutive shared pairs: "stock" only if every pair in it is a stock phrase's
    for i in range(len(spans)):
        bigram = f"{spans[i][2]}_{spans[i + 1][2]}" if i + 1 < len(spans) else None
        if bigram in other_bigrams:
            run.append(i)
            continue
        if run:
            mark = "stock" if all(f"{spans[j][2]}_{spans[j + 1][2]}" in stock for j in run) else "shared"
            for j in [*run, run[-1] + 1]:
                kind[j] = mark
            run = []
    out, pos = [], 0
    for (start, end, _w), k in zip(spans, kind, strict=True):
        if start > pos:
            out.append((text[pos:start], "gap"))
        out.append((text[start:end], k))
        pos = end
    if pos < len(text or ""):
        out.append((text[pos:], "gap"))
    merged: list[list[str]] = []
    for piece, k in out:  # a gap between two pieces of the same kind belongs to the run
        merged.append([piece, k])
    for i in range(1, len(merged) - 1):
        if (
            merged[i][1] == "gap"
            and merged[i - 1][1] == merged[i + 1][1]
            and merged[i + 1][1] in {"shared", "stock"}
            and "\n" not in merged[i][0]
        ):
            merged[i][1] = merged[i - 1][1]
    result: list[tuple[str, str]] = []
    for piece, raw in merged:
        k = "" if raw == "gap" else raw
        if result and result[-1][1] == k:
            result[-1] = (result[-1][0] + piece, k)
        else:
            result.append((piece, k))
    return result


def explain(reg: Registration, other: Registration) -> dict:
    """Both registrations' title, novelty and method cut into pieces, the phrases they share marked in each — each
    field is compared with the other's whole text, as the score is — and whether either declared replicating the
    other (nhân rộng)."""
    fields = ("title", "novelty", "method")

    def whole(r):
        return "\n".join(getattr(r, f) for f in fields)

    return {
        "sides": [
            (reg, {f: shared_segments(getattr(reg, f), whole(other)) for f in fields}),
            (other, {f: shared_segments(getattr(other, f), whole(reg)) for f in fields}),
        ],
        "declared": reg.replicates_id == other.pk or other.replicates_id == reg.pk,
    }


# ---------------------------------------------------------------------------------------------------------------
# The stock-phrase list (cụm từ sáo), edited by admins.


def save_stock_phrases(*, actor, phrases: list[str]) -> dict:
    """Replace the list: phrases are kept lower case, one syllable apart; returns what was added and removed."""

    wanted = {" ".join(words(p)) for p in phrases} - {""}
    with transaction.atomic():
        current = set(StockPhrase.objects.select_for_update().values_list("text", flat=True))
        added, removed = sorted(wanted - current), sorted(current - wanted)
        StockPhrase.objects.filter(text__in=removed).delete()
        StockPhrase.objects.bulk_create([StockPhrase(text=t[:200]) for t in added], ignore_conflicts=True)
        audit.record(
            "novelty.stock_phrases",
            actor=actor,
            object_type="registrations.stockphrase",
            object_repr="Cụm từ thường gặp",
            changes={"added": added, "removed": removed},
        )
        stock_changed()
        transaction.on_commit(stock_changed)  # again: a lookup between the two may have cached the old list
    return {"added": added, "removed": removed}


# ---------------------------------------------------------------------------------------------------------------
# Declared replication (nhân rộng): the spread 1240-CV/BTCTU asks about.


def replication_counts(campaign, org) -> list[dict]:
    """Per original model: how many registrations of `campaign` in `org`'s subtree (submitted, not drafts) declare
    they replicate it — the original may be of any unit and any year. Most replicated first."""

    rows = (
        Registration.objects.filter(
            campaign=campaign,
            subject_org__path__startswith=org.path,
            state__in=SUBMITTED_STATES,
            replicates__isnull=False,
        )
        .values("replicates")
        .annotate(n=Count("pk"))
        .order_by("-n", "replicates")
    )
    counts = {r["replicates"]: r["n"] for r in rows}
    originals = Registration.objects.filter(pk__in=counts).select_related("campaign", "subject_org", "person")
    by_pk = {r.pk: r for r in originals}
    return [
        {
            "registration": by_pk[pk],
            "id": pk,
            "title": by_pk[pk].title,
            "unit": by_pk[pk].subject_name,
            "year": by_pk[pk].campaign.year,
            "replications": n,
        }
        for pk, n in counts.items()
        if pk in by_pk
    ]
