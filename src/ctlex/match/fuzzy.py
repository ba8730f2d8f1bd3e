"""Fuzzy lookup: a character-trigram index that picks candidates, RapidFuzz to score them.

A key within a few edits of the query shares at least one of the query's rarest trigrams (an
edit destroys at most three), so only the postings of the rarest few are counted (numpy), the
best-supported keys are rescored with ``fuzz.ratio``, and nothing else is touched.  Fuzzy
matches never fire on frequent ordinary words (:func:`guarded`).  Lookup only: scan never
matches fuzzily.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from .. import arabic
from . import guard

__all__ = ["FuzzyIndex", "best_supported", "guarded", "trigrams"]

RARE_GRAMS = 7  # how many of the query's rarest trigrams select candidates
MAX_CANDIDATES = 3000  # most candidates RapidFuzz rescores per query
CERTAIN = 92  # from this ratio a fuzzy match is allowed even on frequent words


def trigrams(k: str) -> set[str]:
    s = f" {k} "
    return {s[i : i + 3] for i in range(len(s) - 2)}


def best_supported(counts: dict[int, int], n: int) -> list[int]:
    """The ``n`` key ids with the most trigram votes in ``counts``, ties to the lower id, in id
    order: the candidates :meth:`FuzzyIndex.candidates` keeps, chosen the same way without numpy
    (the compiled stores use this, so a cold lookup does not import it).

    Example:
        >>> best_supported({7: 2, 3: 2, 5: 9, 1: 1}, 2)
        [3, 5]
    """
    return sorted(sorted(counts, key=lambda i: (-counts[i], i))[:n])


def guarded(query: str, ratio: float) -> bool:
    """Should a fuzzy match of ``query`` be refused?  Yes when every word of it is a frequent
    ordinary word (طالبان, الإدارة الأمريكية) and the match is not nearly certain."""
    if ratio >= CERTAIN:
        return False
    lang = "ar" if arabic.is_arabic(query) else "en"
    toks = [arabic.clean(t).text for t in re.findall(r"\w+", query)]
    return bool(toks) and all(guard.is_frequent(t, lang) for t in toks)


class FuzzyIndex:
    """Built lazily from the entries' key texts; ``candidates`` gives ``(entry, ratio)``."""

    def __init__(self, keys: Sequence[str]) -> None:
        import numpy as np

        self.keys: list[str] = []
        self.entries: list[list[int]] = []
        pos: dict[str, int] = {}
        for i, k in enumerate(keys):
            if k not in pos:
                pos[k] = len(self.keys)
                self.keys.append(k)
                self.entries.append([])
            self.entries[pos[k]].append(i)
        postings: dict[str, list[int]] = {}
        for ki, k in enumerate(self.keys):
            for g in trigrams(k):
                postings.setdefault(g, []).append(ki)
        self.postings: dict[str, Any] = {g: np.asarray(pl, dtype=np.int32) for g, pl in postings.items()}

    def candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
        import numpy as np
        from rapidfuzz import fuzz, process

        lists = sorted((pl for g in trigrams(k) if (pl := self.postings.get(g)) is not None), key=len)[:RARE_GRAMS]
        if not lists:
            return []
        ids, counts = np.unique(np.concatenate(lists), return_counts=True)
        if len(ids) > MAX_CANDIDATES:  # the best-supported keys, ties to the lower key id: see best_supported
            ids = np.sort(ids[np.lexsort((ids, -counts))[:MAX_CANDIDATES]])
        cand = ids.tolist()
        res = process.extract(k, [self.keys[i] for i in cand], scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        return [(e, score) for _, score, j in res for e in self.entries[cand[j]]]
