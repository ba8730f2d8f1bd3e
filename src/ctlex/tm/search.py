"""Fuzzy search: index, then re-rank (the postings vote, RapidFuzz re-scores the best candidates)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .keys import features, floor1, search_key
from .postings import doc_freq, unpack_ids
from .records import CandidatePlan, Match

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from ..glossary import Glossary


BUDGET = 50_000  # postings a search reads at most (the first key always)
CANDIDATES = 100  # best-voted segments re-scored
DENSE = 8  # votes are summed in an array by id while the store is at most this many times the postings read


class Searcher:
    """Fuzzy search over one store's connection; caches the key lengths until the data changes."""

    def __init__(self, db: "sqlite3.Connection") -> None:
        self.db = db
        self._cache: tuple[int, Any, int] | None = None  # (data_version, key lengths, segments)
        self._fetched: dict[int, tuple[Any, ...]] = {}  # rows that came with the candidates' keys

    def invalidate(self) -> None:
        """Forget the cached key lengths (this connection wrote: ``data_version`` does not see it)."""
        self._cache = None

    def _plan(self, qkey: str, budget: int) -> tuple[list[tuple[str, int]], list[str]]:
        toks = sorted(features(qkey))
        return admit(qkey, doc_freq(self.db, toks), budget)

    def _lengths(self) -> tuple[Any, int]:
        """Source-key length per segment id (-1 where there is none) and the number of segments;
        cached until this store or another connection writes (``PRAGMA data_version``)."""
        import numpy as np

        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1], self._cache[2]
        # searching reads pages straight from the OS page cache (imports turn this off again: mapped
        # pages would count towards their memory)
        self.db.execute("PRAGMA mmap_size = 1073741824")
        rows = self.db.execute("SELECT first, lens FROM seglen").fetchall()
        top = max((first + len(blob) // 4 for first, blob in rows), default=0)
        lens = np.full(top + 1, -1, dtype=np.int32)
        for first, blob in rows:
            lens[first : first + len(blob) // 4] = np.frombuffer(blob, dtype="<i4")
        n = int(np.count_nonzero(lens >= 0))
        self._cache = (version, lens, n)
        return lens, n

    def _defaults(self, budget: int | None, candidates: int | None) -> tuple[int, int]:
        """The postings budget and candidate count, unless given: :data:`BUDGET` and
        :data:`CANDIDATES`, whatever the store's size (a search costs the same in a store ten
        times larger: the rarest keys still pin the best matches down)."""
        return (BUDGET if budget is None else budget), (CANDIDATES if candidates is None else candidates)

    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates for ``text``, without running the search.

        ``tokens`` are the query's index keys (words, and word bigrams such as ``"تابعنا علي"``)
        with their document frequencies, rarest first.

        Example:
            >>> from ctlex.segment import Segment
            >>> from ctlex.tm import Store
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [t for t, df in s.candidate_plan("تابعنا على فيسبوك").tokens]
            ['تابعنا', 'تابعنا علي', 'علي']
        """
        qkey = search_key(text)
        budget, candidates = self._defaults(budget, candidates)
        ranked, used = self._plan(qkey, budget)
        plans = [self._explain(q, args) for q, args in self._PROBES]
        return CandidatePlan(qkey, ranked, used, budget, candidates, list(self._PLAN_SQL), plans)

    #: the statements a search runs, as :meth:`candidate_plan` shows them
    _PLAN_SQL: tuple[str, ...] = (
        "SELECT token, SUM(n) FROM postings WHERE token IN (?, …) GROUP BY token",
        "SELECT token, ids FROM postings WHERE token IN (?, …)",
        "SELECT first, lens FROM seglen  -- cached: key length per segment, for the length bound",
        "SELECT id, source FROM segment WHERE id IN (?, …)",
    )
    #: the same statements with sample arguments, for the database's own plan
    _PROBES: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("SELECT token, SUM(n) FROM postings WHERE token IN (?) GROUP BY token", ("x",)),
        ("SELECT token, ids FROM postings WHERE token IN (?)", ("x",)),
        ("SELECT first, lens FROM seglen", ()),
        ("SELECT id, source FROM segment WHERE id IN (?)", (1,)),
    )

    def _explain(self, sql: str, args: tuple[Any, ...]) -> list[str]:
        return [row[-1] for row in self.db.execute("EXPLAIN QUERY PLAN " + sql, args)]

    def _candidates(self, qkey: str, used: list[str], df: dict[str, int], min_score: float, candidates: int) -> list[int]:
        """Ids of the ``candidates`` segments the index ranks best for ``qkey``.

        Every key in ``used`` votes, weighted by its idf, for the segments it occurs in (numpy,
        over an array indexed by segment id).  Segments whose length alone keeps them under
        ``min_score`` are dropped (similarity ≤ shorter / longer length), and the rest ranked by
        votes × that length ratio.
        """
        lens, n = self._lengths()
        q = f"SELECT token, ids FROM postings WHERE token IN ({','.join('?' * len(used))})"
        return vote(qkey, self.db.execute(q, used), df, lens, n, min_score, candidates)

    def search(
        self,
        text: str,
        *,
        min_score: float = 70.0,
        limit: int = 5,
        glossary: "Glossary | None" = None,
        budget: int | None = None,
        candidates: int | None = None,
    ) -> list[Match]:
        """The best fuzzy matches for the source segment ``text``, best first.

        The index proposes candidates: the query's words and word bigrams, rarest first, until
        ``budget`` postings have been read, vote (idf-weighted) for the segments that contain them;
        segments too short or too long to reach ``min_score`` are skipped; the ``candidates``
        best-voted are re-scored with :func:`similarity` and those scoring at least ``min_score``
        are returned (ties broken by id).  ``budget`` and ``candidates`` default to
        :data:`BUDGET` postings and :data:`CANDIDATES` candidates, whatever the store's size.  With ``glossary``, each
        match lists the glossary terms in its source.

        Example:
            >>> from ctlex.segment import Segment
            >>> from ctlex.tm import Store
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [(m.score, m.target) for m in s.search("تابعنا على تويتر!", min_score=50)]
            [(100.0, 'Follow us on Twitter')]
        """
        qkey = search_key(text)
        if not qkey:
            return []
        budget, candidates = self._defaults(budget, candidates)
        ranked, used = self._plan(qkey, budget)
        if not used:
            return []
        best = self._candidates(qkey, used, dict(ranked), min_score, candidates)
        if not best:
            return []
        try:
            return self._rescore(qkey, self._keys(best), min_score, limit, glossary)
        finally:
            self._fetched = {}

    def search_exhaustive(
        self,
        text: str,
        *,
        min_score: float = 70.0,
        limit: int = 5,
        glossary: "Glossary | None" = None,
        keys: dict[int, str] | None = None,
    ) -> list[Match]:
        """The slow reference twin of :meth:`search`: score *every* segment, no index.

        ``keys`` (id → search key, from :meth:`keys`) may be passed to score many queries without
        reading the table again.  Same scores and order as :meth:`search` whenever the index finds
        the best match, which is how recall@1 is measured.

        Example:
            >>> from ctlex.segment import Segment
            >>> from ctlex.tm import Store
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> s.search_exhaustive("تابعنا على تويتر")[0].score
            100.0
        """
        qkey = search_key(text)
        if not qkey:
            return []
        return self._rescore(qkey, keys if keys is not None else self.keys(), min_score, limit, glossary)

    def keys(self) -> dict[int, str]:
        """Every index entry's id and search key (for exhaustive scoring and benchmarks)."""
        return {rid: search_key(src) for rid, src in self.db.execute("SELECT id, source FROM segment WHERE head IS NULL")}

    def _keys(self, ids: Sequence[int]) -> dict[int, str]:
        """The candidates' search keys, normalized from their sources (the word cache makes that
        a few microseconds each); their rows are kept for :meth:`_rows`, which then reads none."""
        fetched = self._rows(list(ids))
        self._fetched = fetched
        return {rid: search_key(row[1]) for rid, row in fetched.items()}

    def _rows(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """``(id, source, target, origin, count, source_lang, target_lang)`` of the matches."""
        got, self._fetched = self._fetched, {}
        if got and all(i in got for i in ids):
            return {i: got[i] for i in ids}
        out: dict[int, tuple[Any, ...]] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            out.update((r[0], r) for r in self.db.execute(
                "SELECT id, source, target, origin, count, source_lang, target_lang FROM segment"
                f" WHERE id IN ({','.join('?' * len(part))})", part))
        return out

    def _rescore(self, qkey: str, choices: dict[int, str], min_score: float, limit: int, glossary: "Glossary | None") -> list[Match]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        # extract() keeps the best `limit` (ties: first seen); ask for more and sort by id ourselves
        scored = process.extract(qkey, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=min_score / 100.0,
                                 limit=None)
        scored.sort(key=lambda x: (-x[1], x[2]))
        top = scored[:limit]
        if not top:
            return []
        rows = self._rows([rid for _, _, rid in top])
        out = []
        for _, sim, rid in top:
            _, src, tgt, origin, count, sl, tl = rows[rid]
            m = Match(floor1(sim * 100.0), src, tgt, origin, rid, count, sl, tl)
            if glossary is not None:
                m.terms = [(h.start, h.end, h.concept.id) for h in glossary.scan(src)]
            out.append(m)
        return out


REGIONS = 4  # parts of the query whose keys take turns in the budget


def admit(qkey: str, df: dict[str, int], budget: int) -> tuple[list[tuple[str, int]], list[str]]:
    """The query's keys found in the index with their document frequencies, rarest first, and
    those whose postings are read: the rarest key of each of :data:`REGIONS` parts of the query
    in turn (then the next rarest of each…), each while it fits in ``budget`` postings (the
    first one always).  Taking turns keeps the keys read spread over the whole query, so the
    segment that shares its beginning *and* its end outvotes the many sharing only one part.
    """
    ranked = sorted(((t, n) for t, n in df.items()), key=lambda x: (x[1], x[0]))
    words = qkey.split()
    where: dict[str, int] = {}
    for i, w in enumerate(words):
        where.setdefault(w, i)
        if i + 1 < len(words):
            where.setdefault(f"{w} {words[i + 1]}", i)
    parts = max(1, min(REGIONS, len(words)))
    queues: list[list[tuple[str, int]]] = [[] for _ in range(parts)]
    for t, n in ranked:
        queues[where.get(t, 0) * parts // max(1, len(words))].append((t, n))
    turns = sorted(((k, n, t) for q in queues for k, (t, n) in enumerate(q)), key=lambda x: (x[0], x[1], x[2]))
    used: list[str] = []
    total = 0
    for _, n, t in turns:
        if used and total + n > budget:
            continue
        used.append(t)
        total += n
    return ranked, used


def vote(qkey: str, postings: Iterable[tuple[str, bytes]], df: dict[str, int], lens: Any, n: int, min_score: float,
         candidates: int) -> list[int]:
    """The candidate ids of :meth:`Searcher._candidates` from the ``(token, packed ids)`` rows
    of the keys used (any backend's: the ranking is the same wherever the postings come from)."""
    import numpy as np

    ids, weights = [], []
    for tok, blob in sorted(postings, key=lambda x: x[0]):  # key order: the same sums whatever order a backend returns
        ids.append(unpack_ids(blob))
        weights.append(math.log((n + 1) / df[tok]))
    if not ids:
        return []
    # a key's ids are distinct (within a chunk and across its chunks): one vote per key and
    # segment.  A store large next to the postings read sums each segment's votes by sorting
    # them (sorted runs: a merge), in time that depends on the budget, not on the store's size;
    # a smaller one through an array indexed by id.  Both add in the same order: the same sums.
    every = np.concatenate(ids)
    w = np.repeat(np.asarray(weights), [len(a) for a in ids])
    if len(lens) <= DENSE * len(every):
        by_id = np.bincount(every, weights=w, minlength=len(lens))
        cand = np.flatnonzero(by_id)
        scores = by_id[cand]
    else:
        order = np.argsort(every, kind="stable")
        every = every[order]
        first = np.flatnonzero(np.r_[True, every[1:] != every[:-1]])
        cand = every[first]
        scores = np.add.reduceat(w[order], first)
    lq = len(qkey)
    ls = lens[cand]
    if min_score > 0:
        c = min_score / 100.0
        ok = (ls >= c * lq - 1e-9) & (ls * c <= lq + 1e-9)
        cand, ls, scores = cand[ok], ls[ok], scores[ok]
    if len(cand) > candidates:
        rank = scores * (np.minimum(ls, lq) / np.maximum(np.maximum(ls, lq), 1))
        cand = cand[np.argpartition(-rank, candidates - 1)[:candidates]]
    return cand.tolist()
