#!/usr/bin/env python
"""Search budget against recall on stores already built by ``bench_tm.py``: figures, no pass/fail.

For each store given, the same 200 queries as ``bench_tm.py`` (lightly edited segments plus fresh
recombinations) are answered once by the exhaustive twin (its best score is the reference), then
with each budget (postings read, candidates re-scored), the budgets taking turns query by query so
that every budget sees the same machine load.  It prints p50/p95 latency and recall@1 for each.

This answers what the constant default budget costs at sizes past 1M: the recombined sentences of
``bench_tm.py`` keep the articles' fixed vocabulary, so every word's postings grow linearly with
the store (real corpora keep adding words), which is the hardest case for a constant budget.

Example:
    python bench/bench_tm_budget.py /tmp/ctlex-bench/tm-1000000.sqlite /tmp/ctlex-bench/tm-10000000.sqlite
    python bench/bench_tm_budget.py STORE --budgets 50000:100,100000:200 --queries 100
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import bench_tm  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stores", nargs="+", type=Path)
    ap.add_argument("--budgets", default="50000:100,100000:200,200000:200,400000:400",
                    help="budget:candidates pairs, comma separated (the first is the default)")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)
    budgets = [tuple(int(x) for x in b.split(":")) for b in args.budgets.split(",")]
    from ctlex.tm import Store

    for path in args.stores:
        with Store(path, readonly=True) as store:
            n = store.db.execute("SELECT COUNT(*) FROM segment").fetchone()[0]
            queries = bench_tm.make_queries(store, args.queries, seed=7)
            keys = store.keys()
            t = time.perf_counter()
            ref = []
            for q in queries:
                r = store.search_exhaustive(q, min_score=bench_tm.MIN_SCORE, limit=1, keys=keys)
                ref.append(r[0].score if r else None)
            ex_s = (time.perf_counter() - t) / len(queries)
            del keys
            for q in queries[:5]:  # page cache and lazily built tables
                store.search(q, min_score=bench_tm.MIN_SCORE, limit=bench_tm.LIMIT)
            ms: dict[tuple[int, int], list[float]] = {b: [] for b in budgets}
            hit: dict[tuple[int, int], int] = {b: 0 for b in budgets}
            for q, best in zip(queries, ref):
                for b in budgets:
                    t = time.perf_counter()
                    got = store.search(q, min_score=bench_tm.MIN_SCORE, limit=bench_tm.LIMIT, budget=b[0], candidates=b[1])
                    ms[b].append((time.perf_counter() - t) * 1000)
                    hit[b] += (got[0].score if got else None) == best
            print(f"== {path.name}: {n:,} segments, {len(queries)} queries, exhaustive twin {ex_s * 1000:.0f} ms/query", flush=True)
            base = budgets[0]
            for b in budgets:
                print(f"  budget {b[0]:>7,} postings, {b[1]:>3} candidates: p50 {bench_tm.pct(ms[b], 50):6.1f} ms, "
                      f"p95 {bench_tm.pct(ms[b], 95):6.1f} ms, recall@1 {hit[b] / len(queries):.3f}"
                      f"  (p95 x{bench_tm.pct(ms[b], 95) / bench_tm.pct(ms[base], 95):.2f} the first budget's)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
