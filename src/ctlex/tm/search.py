"""Fuzzy search: index, then re-rank (the postings vote, RapidFuzz re-scores the best candidates)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .keys import features, floor1, search_key, unpack_key
from .postings import doc_freq, unpack_ids
from .records import CandidatePlan, Match

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from ..glossary import Glossary


class Searcher:
    """Fuzzy search over one store's connection; caches the key lengths until the data changes."""

    def __init__(self, db: "sqlite3.Connection") -> None:
        self.db = db
        self._cache: tuple[int, Any, int] | None = None  # (data_version, key lengths, segments)

    def invalidate(self) -> None:
        """Forget the cached key lengths (this connection wrote: ``data_version`` does not see it)."""
        self._cache = None

    def _plan(self, qkey: str, budget: int) -> tuple[list[tuple[str, int]], list[str]]:
        toks = sorted(features(qkey))
        df = doc_freq(self.db, toks)
        ranked = sorted(((t, df[t]) for t in toks if t in df), key=lambda x: (x[1], x[0]))
        used: list[str] = []
        total = 0
        for t, n in ranked:
            if used and total + n > budget:
                break
            used.append(t)
            total += n
        return ranked, used

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
        """The postings budget and candidate count for this store's size, unless given: the more
        segments, the more of them share a query's rarer keys, so both grow (within bounds)."""
        n = self._lengths()[1]
        if budget is None:
            budget = max(30_000, min(400_000, n // 4))
        if candidates is None:
            candidates = max(100, min(500, n // 2000))
        return budget, candidates

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
        sql = [
            "SELECT token, SUM(n) FROM postings WHERE token IN (?, …) GROUP BY token",
            "SELECT token, ids FROM postings WHERE token IN (?, …)",
            "SELECT first, lens FROM seglen  -- cached: key length per segment, for the length bound",
            "SELECT id, source FROM segment WHERE id IN (?, …)",
        ]
        probes = [
            ("SELECT token, SUM(n) FROM postings WHERE token IN (?) GROUP BY token", ("x",)),
            ("SELECT token, ids FROM postings WHERE token IN (?)", ("x",)),
            ("SELECT first, lens FROM seglen", ()),
            ("SELECT id, source FROM segment WHERE id IN (?)", (1,)),
        ]
        plans = [[row[-1] for row in self.db.execute("EXPLAIN QUERY PLAN " + q, p)] for q, p in probes]
        return CandidatePlan(qkey, ranked, used, budget, candidates, sql, plans)

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
        are returned (ties broken by id).  ``budget`` and ``candidates`` default to values that
        grow with the store (30,000–400,000 postings, 100–500 candidates).  With ``glossary``, each
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
        return self._rescore(qkey, self._keys(best), min_score, limit, glossary)

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
        """Every segment's id and search key (for exhaustive scoring and benchmarks)."""
        return {rid: unpack_key(k) for rid, k in self.db.execute("SELECT id, key FROM segkey")}

    def _keys(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id, key FROM segkey WHERE id IN ({','.join('?' * len(part))})"
            out.update((rid, unpack_key(k)) for rid, k in self.db.execute(q, part))
        return out

    def _rows(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """``(id, source, target, origin, count, source_lang, target_lang)`` of the matches."""
        return {r[0]: r for r in self.db.execute(
            f"SELECT id, source, target, origin, count, source_lang, target_lang FROM segment WHERE id IN ({','.join('?' * len(ids))})",
            ids)}

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


def vote(qkey: str, postings: Iterable[tuple[str, bytes]], df: dict[str, int], lens: Any, n: int, min_score: float,
         candidates: int) -> list[int]:
    """The candidate ids of :meth:`Searcher._candidates` from the ``(token, packed ids)`` rows
    of the keys used (any backend's: the ranking is the same wherever the postings come from)."""
    import numpy as np

    ids, weights = [], []
    for tok, blob in postings:
        ids.append(unpack_ids(blob))
        weights.append(math.log((n + 1) / df[tok]))
    if not ids:
        return []
    # a key's ids are distinct (within a chunk and across its chunks): one vote per key and segment
    scores = np.bincount(np.concatenate(ids), weights=np.repeat(weights, [len(a) for a in ids]), minlength=len(lens))
    cand = np.flatnonzero(scores)
    lq = len(qkey)
    ls = lens[cand]
    if min_score > 0:
        c = min_score / 100.0
        ok = (ls >= c * lq - 1e-9) & (ls * c <= lq + 1e-9)
        cand, ls = cand[ok], ls[ok]
    if len(cand) > candidates:
        rank = scores[cand] * (np.minimum(ls, lq) / np.maximum(np.maximum(ls, lq), 1))
        cand = cand[np.argpartition(-rank, candidates - 1)[:candidates]]
    return cand.tolist()
