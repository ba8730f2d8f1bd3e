"""Word alignment of an aligned set: eflomal in both directions, symmetrized.

:func:`align` takes token lists (Arabic key tokens with their proclitics stripped, English key
tokens) and returns, per segment, the set of ``(arabic_position, english_position)`` links.
eflomal (a Bayesian IBM-model aligner, offline, a PyPI package) is run forward and reverse and
the two are symmetrized with *grow-diag-final-and*: the links both directions agree on, grown
by neighbouring links either direction has, then words left unaligned on both sides are linked
where one direction says so.

When eflomal cannot run (not installed, the binary fails) or the set is too small for a model
to learn anything, :func:`align` returns no links and says why; the caller falls back to the
association statistics alone and reports the reason.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field

MIN_SEGMENTS = 50  # below this a statistical aligner learns nothing but noise: association statistics only

Links = frozenset[tuple[int, int]]


@dataclass
class Alignment:
    """Symmetrized links per segment, the method that made them and, if none, the reason."""

    links: list[Links] = field(default_factory=list)
    strong: list[Links] = field(default_factory=list)  # the links most runs of both directions agree on
    weights: list[dict[tuple[int, int], float]] = field(default_factory=list)  # share of runs × directions with each link
    method: str = "none"  # "eflomal" or "none"
    reason: str | None = None  # why there are no links


def _pharaoh(path: str, n: int) -> list[set[tuple[int, int]]]:
    out: list[set[tuple[int, int]]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s: set[tuple[int, int]] = set()
            for p in line.split():
                a, _, b = p.partition("-")
                s.add((int(a), int(b)))
            out.append(s)
    out += [set() for _ in range(n - len(out))]
    return out[:n]


def symmetrize(fwd: set[tuple[int, int]], rev: set[tuple[int, int]]) -> Links:
    """grow-diag-final-and of two directional link sets (both as (source, target) pairs).

    Example:
        >>> sorted(symmetrize({(0, 0), (1, 1), (2, 1)}, {(0, 0), (1, 1), (2, 2)}))
        [(0, 0), (1, 1), (2, 1), (2, 2)]
    """
    union = fwd | rev
    cur = set(fwd & rev)
    src_done = {a for a, _ in cur}
    tgt_done = {b for _, b in cur}
    nb = [(-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]
    grew = True
    while grew:
        grew = False
        for a, b in sorted(cur):
            for da, db in nb:
                p = (a + da, b + db)
                if p in union and p not in cur and (p[0] not in src_done or p[1] not in tgt_done):
                    cur.add(p)
                    src_done.add(p[0])
                    tgt_done.add(p[1])
                    grew = True
    for d in (fwd, rev):  # final-and: unaligned on both sides
        for a, b in sorted(d):
            if a not in src_done and b not in tgt_done:
                cur.add((a, b))
                src_done.add(a)
                tgt_done.add(b)
    return frozenset(cur)


def iterations(n: int, rel_iterations: float = 0.3, max_iterations: int | None = None) -> tuple[int, int, int]:
    """eflomal's iterations of its three models for ``n`` segments, the last capped at ``max_iterations``.

    eflomal's own schedule gives a set of ``n`` segments ``rel · 5000 / √n`` iterations of the
    fertility model (a small set needs many passes), and a quarter of that to each of the two
    models before it.

    Example:
        >>> iterations(4000), iterations(2000, max_iterations=12)
        ((6, 6, 24), (3, 3, 12))
    """
    it = max(2, int(round(rel_iterations * 5000.0 / math.sqrt(max(n, 1)))))
    if max_iterations is not None:
        it = max(2, min(it, max_iterations))
    q = max(1, it // 4)
    return (max(2, q), q, it)


def align(src: list[list[str]], tgt: list[list[str]], *, runs: int = 4, rel_iterations: float = 0.3,
          max_iterations: int | None = None) -> Alignment:
    """Align token lists ``src[i]`` ↔ ``tgt[i]`` with eflomal, both directions, symmetrized.

    eflomal samples (it seeds itself from the system), so one run's links vary.  It is run
    ``runs`` times; a link's weight is the share of the ``2 * runs`` directional alignments that
    have it.  ``links`` are the grow-diag-final-and symmetrization of the majority links of each
    direction, ``weights`` hold every link's share, ``strong`` the links most runs agree on.

    ``max_iterations`` caps eflomal's iterations (:func:`iterations`): a sample of a large set
    need not be aligned as long as a small set on its own.

    Never raises: a missing package, a failing binary or a tiny set gives an empty
    :class:`Alignment` with the reason.
    """
    n = len(src)
    empty: list[frozenset[tuple[int, int]]] = [frozenset()] * n
    if n < MIN_SEGMENTS:
        return Alignment(empty, empty, [{} for _ in range(n)], "none", f"{n} segments: too few to train a word aligner (need {MIN_SEGMENTS})")
    try:
        import eflomal
    except ImportError as e:  # pragma: no cover - declared dependency
        return Alignment(empty, empty, [{} for _ in range(n)], "none", f"eflomal is not installed ({e})")
    # eflomal cannot take an empty sentence: a placeholder token that links to nothing useful
    s_lines = [" ".join(t) if t else "\u2205" for t in src]
    t_lines = [" ".join(t) if t else "\u2205" for t in tgt]
    fwd_votes: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
    rev_votes: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
    d = tempfile.mkdtemp(prefix="ctlex-align-")
    try:
        fwd_p, rev_p = os.path.join(d, "fwd"), os.path.join(d, "rev")
        for _ in range(runs):
            aligner = eflomal.Aligner(n_samplers=1, n_iterations=iterations(n, rel_iterations, max_iterations))
            aligner.align(s_lines, t_lines, links_filename_fwd=fwd_p, links_filename_rev=rev_p, quiet=True)
            for votes, path in ((fwd_votes, fwd_p), (rev_votes, rev_p)):
                for i, pairs in enumerate(_pharaoh(path, n)):
                    v = votes[i]
                    for p in pairs:
                        v[p] = v.get(p, 0) + 1
    except Exception as e:  # the binary failed: report, fall back
        return Alignment(empty, empty, [{} for _ in range(n)], "none", f"eflomal failed: {type(e).__name__}: {e}".strip())
    finally:
        shutil.rmtree(d, ignore_errors=True)
    links, strong, weights = [], [], []
    half = runs / 2
    for i in range(n):
        ls, lt = len(src[i]), len(tgt[i])
        fv, rv = fwd_votes[i], rev_votes[i]
        w = {p: (fv.get(p, 0) + rv.get(p, 0)) / (2 * runs) for p in set(fv) | set(rv) if p[0] < ls and p[1] < lt}
        fl = {p for p, k in fv.items() if k > half and p in w}
        rl = {p for p, k in rv.items() if k > half and p in w}
        links.append(symmetrize(fl, rl))
        strong.append(frozenset(p for p, x in w.items() if x >= 0.75))
        weights.append(w)
    return Alignment(links, strong, weights, "eflomal", None)
