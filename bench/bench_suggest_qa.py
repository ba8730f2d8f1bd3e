"""Benchmarks for ctlex.suggest and ctlex.qa (prints figures; not a test).

Builds large aligned sets by recombining the real sentence pairs of tm/articles.tmx (each new
segment joins 1–3 random pairs, seeded), then times:

* ``suggest_new`` over 100,000 segments (plus building the index);
* a single ``suggest`` at 100,000 segments, for a frequent and a rare term;
* ``check`` of 10,000 segments against the shipped glossary.

Run:  python bench/bench_suggest_qa.py [--segments 100000] [--check 10000]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def recombine(pairs: list[tuple[str, str]], n: int, seed: int = 7) -> list:  # type: ignore[type-arg]
    from ctlex.segment import Segment

    rnd = random.Random(seed)
    out = []
    for i in range(n):
        k = rnd.randint(1, 3)
        picked = [pairs[rnd.randrange(len(pairs))] for _ in range(k)]
        out.append(Segment(" ".join(p[0] for p in picked), " ".join(p[1] for p in picked), id=str(i + 1)))
    return out


def timed(label: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    res = fn(*args, **kw)
    dt = time.perf_counter() - t
    print(f"{label:<52} {dt:8.3f} s")
    return res, dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--check", type=int, default=10_000)
    args = ap.parse_args()

    from ctlex.formats import read_segments
    from ctlex.glossary import load
    from ctlex.qa import check
    from ctlex.suggest import AlignedSet, suggest, suggest_new

    g = load(ROOT / "glossary" / "ctlex.tbx")
    base = [(s.source, s.target) for s in read_segments(ROOT / "tm" / "articles.tmx") if s.source and s.target]
    print(f"glossary: {len(g)} concepts; base pairs: {len(base)}")

    segs = recombine(base, args.segments)
    aligned, t_index = timed(f"index AlignedSet ({len(segs):,} segments)", AlignedSet, segs)
    _, t_new = timed(f"suggest_new over {len(aligned):,} segments", suggest_new, aligned, g)
    print(f"{'  = index + suggest_new':<52} {t_index + t_new:8.3f} s")
    for term in ("الإرهاب", "المنتدى العالمي لمكافحة الإرهاب", "ماركوس ريتر"):
        r, _ = timed(f"suggest {term!r} (first call)", suggest, term, aligned, g)
        _, dt = timed(f"suggest {term!r} (warm)", suggest, term, aligned, g)
        print(f"    {r.segments:,} segments hold it; top: {r.top.en if r.top else None!r}")

    csegs = recombine(base, args.check, seed=11)
    rep, dt = timed(f"check {len(csegs):,} segments", check, csegs, g)
    print(f"    {len(rep.issues):,} issues; {len(csegs) / dt:,.0f} segments/s")

    small = AlignedSet(read_segments(ROOT / "tm" / "articles.tmx"))
    timed(f"suggest_new over tm/articles.tmx ({len(small)} segments)", suggest_new, small, g)


if __name__ == "__main__":
    main()
