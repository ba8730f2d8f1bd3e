"""Association evidence: G², word-level Dice agreement (competitive linking)."""

from __future__ import annotations

import math

from .aligned import AlignedSet
from .tokens import EN_STOP

_EXTRA_EN = 0.8  # an English word left unlinked keeps this share of its best word association


def _llr(c: int, n_t: int, f: int, n: int) -> float:
    """Dunning's G² for the 2×2 table (term, candidate) over ``n`` segments."""
    k = [c, n_t - c, f - c, n - n_t - f + c]
    rows = [n_t, n - n_t]
    cols = [f, n - f]
    g = 0.0
    for i, obs in enumerate(k):
        exp = rows[i // 2] * cols[i % 2] / n if n else 0
        if obs > 0 and exp > 0:
            g += obs * math.log(obs / exp)
    return 2 * g



def _lexical(key: str, qtoks: list[str], aligned: AlignedSet, cache: dict[str, list[float]]) -> float:
    """How well the candidate's words and the term's words translate each other, 0..1.

    Word pairs are linked one to one, best pair first (competitive linking on word-level Dice);
    a word left without a partner counts half its best score.  Precision averages over the
    English content words, recall over the term's words, and the result is their harmonic mean.
    Words that belong to the rest of the sentence ("said", "Monday") lower precision, and a
    fragment that leaves a term word untranslated ("Korea" for كوريا الشمالية) lowers recall, so
    complete phrases win over fragments and over phrases padded with context.
    """
    groups = key.split(" ")
    words = [w for w in groups if w not in EN_STOP and not w.isdigit()] or groups
    rows = []
    for w in words:
        r = cache.get(w)
        if r is None:
            parts = [[aligned.lex(q, p) for q in qtoks] for p in w.split("-") if p]
            r = cache[w] = [max(col) for col in zip(*parts)] if parts else [0.0] * len(qtoks)
        rows.append(r)
    nw, nq = len(rows), len(qtoks)
    pairs = sorted(((rows[i][j], i, j) for i in range(nw) for j in range(nq)), reverse=True)
    wl: dict[int, float] = {}
    ql: dict[int, float] = {}
    for v, i, j in pairs:
        if i not in wl and j not in ql:
            wl[i] = ql[j] = v
    prec = sum(wl.get(i, _EXTRA_EN * max(rows[i])) for i in range(nw)) / nw
    rec = sum(ql.get(j, 0.5 * max(r[j] for r in rows)) for j in range(nq)) / nq
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0

