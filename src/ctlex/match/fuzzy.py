"""Fuzzy lookup: a character-trigram index that picks candidates, a weighted edit distance that
knows Arabic to rank them.

A key within a few edits of the query shares at least one of the query's rarest trigrams (an
edit destroys at most three), so only the postings of the rarest few are counted (numpy); keys
too long or too short to reach the cutoff are dropped (lossless: RapidFuzz's ratio could not
pass it), the best-supported keys are prescreened with ``fuzz.ratio`` and the closest few ranked
by :func:`similarity`; nothing else is touched.  Fuzzy matches never fire on frequent ordinary
words (:func:`guarded`).  Lookup only: scan never matches fuzzily.

:func:`similarity` counts an edit that a known confusion explains as two thirds of one: letters
that differ only by their dots (ت ث ن ب ي, ح ج خ, د ذ, ر ز, س ش, ص ض, ط ظ, ع غ, ف ق), letters of one
transliteration sound class (:data:`ctlex.match.variants.SOUND_CLASSES`: ت/ط, ج/غ/ق/ك …), a long
vowel (ا و ي) or a doubled letter dropped as media spellings do, a word space; a hamza seat
(ء/ا) costs a third, the article ال on or off a word four thirds (two letters, each two thirds).  It is the mean of the optimal-string-alignment distance (a transposition is
one edit) at three levels: the key text, its dot-less letter shapes, its consonant skeleton.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Sequence

from .. import arabic
from . import guard
from .variants import name_skeleton

__all__ = ["FuzzyIndex", "best_supported", "guarded", "length_bounds", "rank", "similarity", "trigrams", "weighted_distance"]

RARE_GRAMS = 7  # how many of the query's rarest trigrams select candidates
MAX_CANDIDATES = 3000  # most candidates RapidFuzz prescreens per query
SHORTLIST = 40  # the closest keys by ratio (and every key tied with the last) ranked by similarity
PRESCREEN = 10  # the prescreen's ratio cutoff is this far below the similarity cutoff (known confusions cost less)
CERTAIN = 92  # from this fuzz.ratio a fuzzy match is allowed even on frequent words

#: letters that differ only by their dots, each group to one letter (and a hamza to its seat)
_SHAPES = str.maketrans({**{c: "ب" for c in "تثنيپ"}, **{c: "ح" for c in "جخ"}, "ذ": "د", "ز": "ر", "ش": "س",
                         "ض": "ص", "ظ": "ط", "غ": "ع", "ق": "ف", "ڤ": "ف", "ء": "ا"})


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


def length_bounds(n: int, cutoff: float) -> tuple[int, int]:
    """The key lengths that can reach ``fuzz.ratio`` ``cutoff`` (0–100) with a query of ``n``
    characters: a length difference of d costs at least d insertions or deletions.

    Example:
        >>> length_bounds(3, 75)
        (2, 5)
    """
    c = max(cutoff, 1.0) / 100
    lo = n * c / (2 - c)
    hi = n * (2 - c) / c
    return math.ceil(lo - 1e-9), math.floor(hi + 1e-9)


_ARTICLE = re.compile(r"(?:(?<=^)|(?<= ))ال(?=..)")


@lru_cache(maxsize=65536)
def _levels(k: str) -> tuple[str, str, str]:
    if arabic.is_arabic(k):
        return k, k.translate(_SHAPES), name_skeleton(_ARTICLE.sub("", k) if "ال" in k else k)
    return k, k, name_skeleton(k)


def weighted_distance(a: str, b: str) -> float:
    """Edits between two key-level texts, a known confusion counting two thirds of one (see the
    module docstring).

    Example:
        >>> weighted_distance("غوتيريس", "غوتيريش"), weighted_distance("يوربول", "يوروبول")
        (0.6666666666666666, 0.6666666666666666)
        >>> weighted_distance("ساكا", "سالا"), weighted_distance("مسءول", "مساول"), weighted_distance("الاممي", "اممي")
        (1.0, 0.3333333333333333, 1.3333333333333333)
    """
    return _distance(_levels(a), _levels(b))


def _distance(la: tuple[str, str, str], lb: tuple[str, str, str]) -> float:
    from rapidfuzz.distance import OSA

    d = OSA.distance
    return (d(la[0], lb[0]) + d(la[1], lb[1]) + d(la[2], lb[2])) / 3


def similarity(a: str, b: str) -> float:
    """0–100: one minus the weighted distance per character of the longer text, so one edit in
    a long term is a closer match than one edit in a short one."""
    return _similarity(_levels(a), _levels(b))


def _similarity(la: tuple[str, str, str], lb: tuple[str, str, str]) -> float:
    n = max(len(la[0]), len(lb[0]))
    return 100.0 * max(0.0, 1 - _distance(la, lb) / n) if n else 100.0


def rank(k: str, keys: Sequence[str], *, limit: int, cutoff: float) -> list[tuple[int, float]]:
    """``(position in keys, similarity)`` of the ``limit`` keys closest to ``k``: prescreened by
    ``fuzz.ratio`` (the :data:`SHORTLIST` best and their ties), ranked by :func:`similarity`,
    then ratio, then position.  The in-memory index and the compiled stores both rank with this."""
    from rapidfuzz import fuzz, process

    pre = process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=max(0.0, cutoff - PRESCREEN), limit=None)
    if len(pre) > SHORTLIST:
        last = pre[SHORTLIST - 1][1]
        pre = [p for p in pre if p[1] >= last]
    scored = []
    lk = _levels(k)
    for key, ratio, j in pre:
        s = _similarity(lk, _levels(key))
        if s >= cutoff:
            scored.append((-s, -ratio, j))
    scored.sort()
    return [(j, -s) for s, _, j in scored[:limit]]


def guarded(query: str, ratio: float) -> bool:
    """Should a fuzzy match of ``query`` be refused?  Yes when every word of it is a frequent
    ordinary word (طالبان, الإدارة الأمريكية) and the match is not nearly certain."""
    if ratio >= CERTAIN:
        return False
    lang = "ar" if arabic.is_arabic(query) else "en"
    toks = [arabic.clean(t).text for t in re.findall(r"\w+", query)]
    return bool(toks) and all(guard.is_frequent(t, lang) for t in toks)


class FuzzyIndex:
    """Built lazily from the entries' key texts; ``candidates`` gives ``(entry, similarity)``."""

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
        self.lengths = np.asarray([len(k) for k in self.keys], dtype=np.int32)

    def candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
        import numpy as np

        lists = sorted((pl for g in trigrams(k) if (pl := self.postings.get(g)) is not None), key=len)[:RARE_GRAMS]
        if not lists:
            return []
        ids, counts = np.unique(np.concatenate(lists), return_counts=True)
        if len(ids) > MAX_CANDIDATES:
            # keys of a length that cannot pass the prescreen go first (lossless), then the
            # best-supported keys, ties to the lower key id: see best_supported
            lo, hi = length_bounds(len(k), cutoff - PRESCREEN)
            lens = self.lengths[ids]
            fit = (lens >= lo) & (lens <= hi)
            ids, counts = ids[fit], counts[fit]
            if len(ids) > MAX_CANDIDATES:
                ids = np.sort(ids[np.lexsort((ids, -counts))[:MAX_CANDIDATES]])
        cand = ids.tolist()
        return [(e, s) for j, s in rank(k, [self.keys[i] for i in cand], limit=limit, cutoff=cutoff) for e in self.entries[cand[j]]]
