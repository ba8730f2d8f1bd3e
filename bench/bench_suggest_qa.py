"""Benchmarks for ctlex.suggest and ctlex.qa (prints figures; not a test).

Builds large aligned sets by recombining the real sentence pairs of tm/articles.tmx (each new
segment joins 1–3 random pairs, seeded), then times, in wall-clock seconds and CPU seconds
(this process and its children: eflomal runs as a subprocess):

* ``suggest_new`` over 100,000 segments plus building the index (target: under 60 s), against a
  baseline measured in the same run: counting the set's Arabic 1–4-grams with
  :class:`collections.Counter` (the bare floor of finding recurring n-grams);
* a single ``suggest`` at 100,000 segments, for a frequent, a mid and a rare term (target: well
  under 10 s), first call and warm;
* with ``--scale-accuracy``: top-1 at 100,000 segments for every glossary concept the shipped TM
  holds in two or more segments (the shipped-TM test of ``eval_suggest.py``, repeated over the
  large set, whose word alignment is a sample), against the same concepts over the shipped TM;
* the accuracy figures of ``eval_suggest.py`` (devset per band, shipped TM);
* ``check`` of 10,000 segments against the shipped glossary.

Run:  python bench/bench_suggest_qa.py [--segments 100000] [--check 10000] [--scale-accuracy] [--no-eval]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
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


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(label: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), _cpu()
    res = fn(*args, **kw)
    dt, dc = time.perf_counter() - t, _cpu() - c
    print(f"{label:<56} {dt:8.3f} s  (cpu {dc:7.2f} s)")
    return res, dt


def counter_ngrams(keys: list[str], max_n: int = 4) -> Counter[str]:
    """Baseline: every Arabic 1..max_n-gram of the key texts counted once per segment."""
    c: Counter[str] = Counter()
    for k in keys:
        toks = k.split(" ")
        L = len(toks)
        c.update({" ".join(toks[a:b]) for a in range(L) for b in range(a + 1, min(L, a + max_n) + 1)})
    return c


def accepted_top1(aligned, g, concepts: dict[str, str]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(right, asked): top suggestion among the concept's preferred or admitted English terms."""
    from ctlex.qa import english_fold
    from ctlex.suggest import suggest

    ok = 0
    for cid, term in concepts.items():
        top = suggest(term, aligned, g).top
        accepted = {english_fold(t.text) for t in g[cid].terms_for("en") if t.status in ("preferred", "admitted")}
        ok += top is not None and english_fold(top.en) in accepted
    return ok, len(concepts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--check", type=int, default=10_000)
    ap.add_argument("--scale-accuracy", action="store_true", help="top-1 of the shipped TM's concepts over the large set (minutes)")
    ap.add_argument("--no-eval", action="store_true", help="skip the devset and shipped-TM accuracy figures")
    args = ap.parse_args()

    from ctlex.formats import read_segments
    from ctlex.glossary import load
    from ctlex.qa import check
    from ctlex.suggest import AlignedSet, suggest, suggest_new

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import eval_suggest

    g = load(ROOT / "glossary" / "ctlex.tbx")
    base = [(s.source, s.target) for s in read_segments(ROOT / "tm" / "articles.tmx") if s.source and s.target]
    print(f"glossary: {len(g)} concepts; base pairs: {len(base)}")

    segs = recombine(base, args.segments)
    aligned, t_index = timed(f"index AlignedSet ({len(segs):,} segments)", AlignedSet, segs)
    grams, t_base = timed(f"baseline: Counter of Arabic 1-4-grams ({len(aligned):,} segments)", counter_ngrams, aligned._ar_keys)
    new, t_new = timed(f"suggest_new over {len(aligned):,} segments", suggest_new, aligned, g)
    total = t_index + t_new
    print(f"{'  = index + suggest_new':<56} {total:8.3f} s  (target < 60 s: {'met' if total < 60 else 'NOT met'}); "
          f"{total / t_base:.1f}x the Counter baseline ({len(grams):,} n-grams)")
    print(f"    {len(new)} proposals; alignment: {aligned.align_method}, "
          f"{aligned.aligned_segments:,} of {len(aligned):,} segments aligned")
    for term in ("الإرهاب", "المنتدى العالمي لمكافحة الإرهاب", "ماركوس ريتر"):
        r, dt1 = timed(f"suggest {term!r} (first call)", suggest, term, aligned, g)
        _, dt = timed(f"suggest {term!r} (warm)", suggest, term, aligned, g)
        print(f"    {r.segments:,} segments hold it; top: {r.top.en if r.top else None!r}; "
              f"first call {dt1 / t_base:.1f}x the Counter baseline (target < 10 s: {'met' if dt1 < 10 else 'NOT met'})")

    if args.scale_accuracy:
        small = AlignedSet(read_segments(ROOT / "tm" / "articles.tmx"))
        concepts = eval_suggest.shipped_concepts(g, small)
        (k0, n0), _ = timed(f"top-1 of {len(concepts)} shipped-TM concepts over tm/articles.tmx", accepted_top1, small, g, concepts)
        (k1, n1), dt = timed(f"top-1 of the same concepts over {len(aligned):,} segments", accepted_top1, aligned, g, concepts)
        print(f"    {k1}/{n1} = {k1 / n1:.1%} at {len(aligned):,} segments vs {k0}/{n0} = {k0 / n0:.1%} over the shipped TM; "
              f"{dt / n1:.2f} s per term")

    if not args.no_eval:
        dev, _ = timed("accuracy: devset (eval_suggest.py)", eval_suggest.devset, g)
        tm, _ = timed("accuracy: shipped TM (eval_suggest.py)", eval_suggest.shipped, g)

        def share(rows: list) -> str:  # type: ignore[type-arg]
            return f"{sum(r['ok'] for r in rows)}/{len(rows)} = {sum(r['ok'] for r in rows) / max(1, len(rows)):.1%}"

        print(f"    top-1 overall {share(dev)} (floor 85%), seen once {share([r for r in dev if r['band'] == 'once'])} (floor 70%), "
              f"seen 3+ {share([r for r in dev if r['band'] == '3+'])} (floor 95%); shipped TM {share(tm)} (floor 90%)")

    csegs = recombine(base, args.check, seed=11)
    rep, dt = timed(f"check {len(csegs):,} segments", check, csegs, g)
    print(f"    {len(rep.issues):,} issues; {len(csegs) / dt:,.0f} segments/s")

    small = AlignedSet(read_segments(ROOT / "tm" / "articles.tmx"))
    timed(f"suggest_new over tm/articles.tmx ({len(small)} segments)", suggest_new, small, g)


if __name__ == "__main__":
    main()
