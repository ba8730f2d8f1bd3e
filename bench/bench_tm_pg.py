#!/usr/bin/env python
"""PostgreSQL vs SQLite translation memory: the same units, the same queries, in one run.

For each size (100k and 1M generated units by default: recombined article sentence pairs, as
in ``bench_tm.py``), imports them into an SQLite store and into a PostgreSQL store (COPY), then
times fuzzy search (index + RapidFuzz re-rank, default budget and candidates) on both, the
queries interleaved so machine noise hits both alike, and reports p50/p95 per query, the
PostgreSQL/SQLite ratio, and how often both return exactly the same matches (scores, texts,
origins).  The PostgreSQL server is ``--url`` or, by default, a throw-away cluster on a Unix
socket (tests/pg_fixture.py; Debian's postgresql package), stopped at the end.

Example:
    python bench/bench_tm_pg.py                      # 100k and 1M, ~10 minutes on 2 cores
    python bench/bench_tm_pg.py --sizes 20000 --queries 50
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_tm import make_queries, synthetic  # noqa: E402

from ctlex.tm import Store, open_store  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def view(ms) -> list[tuple]:
    return [(m.score, m.source, m.target, m.origin) for m in ms]


def run(size: int, admin_url: str, queries: int, workdir: Path) -> dict[str, float]:
    from pg_fixture import new_schema

    lite_path = workdir / f"bench-{size}.sqlite"
    if lite_path.exists():
        lite_path.unlink()
    t = time.perf_counter()
    lite = Store(lite_path)
    lite.add(synthetic(size, seed=size))
    t_lite = time.perf_counter() - t
    url = new_schema(admin_url, f"bench{size}")
    t = time.perf_counter()
    pg = open_store(url)
    pg.add(synthetic(size, seed=size))
    t_pg = time.perf_counter() - t
    qs = make_queries(lite, queries, seed=7)
    for q in qs[:5]:  # warm: key lengths cached, pages in memory
        lite.search(q)
        pg.search(q)
    tl, tp, same = [], [], 0
    for q in qs:
        a0 = time.perf_counter()
        a = lite.search(q)
        a1 = time.perf_counter()
        b = pg.search(q)
        b1 = time.perf_counter()
        tl.append((a1 - a0) * 1000)
        tp.append((b1 - a1) * 1000)
        same += view(a) == view(b)
    out = {"size": size, "import_sqlite_s": t_lite, "import_pg_s": t_pg, "sqlite_p50_ms": pct(tl, 50), "sqlite_p95_ms": pct(tl, 95),
           "pg_p50_ms": pct(tp, 50), "pg_p95_ms": pct(tp, 95), "same_matches": same / len(qs), "segments_pg": len(pg),
           "segments_sqlite": len(lite)}
    out["p95_ratio"] = out["pg_p95_ms"] / out["sqlite_p95_ms"]
    out["p50_ratio"] = out["pg_p50_ms"] / out["sqlite_p50_ms"]
    lite.close()
    pg.close()
    lite_path.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="ctlex TM: PostgreSQL vs SQLite")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--url", default=None, help="a PostgreSQL server to use (default: a throw-away cluster)")
    args = ap.parse_args()
    from pg_fixture import TempCluster

    cluster = None if args.url else TempCluster().start()
    admin = args.url or cluster.url()  # type: ignore[union-attr]
    try:
        with tempfile.TemporaryDirectory(prefix="ctlex-bench-pg-") as d:
            for size in (int(s) for s in args.sizes.split(",")):
                r = run(size, admin, args.queries, Path(d))
                print(f"{r['size']:>9,} units  import: SQLite {r['import_sqlite_s']:.1f} s, PostgreSQL {r['import_pg_s']:.1f} s")
                print(f"           search p50: SQLite {r['sqlite_p50_ms']:.1f} ms, PostgreSQL {r['pg_p50_ms']:.1f} ms (×{r['p50_ratio']:.2f})")
                print(f"           search p95: SQLite {r['sqlite_p95_ms']:.1f} ms, PostgreSQL {r['pg_p95_ms']:.1f} ms (×{r['p95_ratio']:.2f})")
                print(f"           same matches on both: {r['same_matches']:.1%} of {args.queries} queries"
                      f" (stored rows: SQLite {r['segments_sqlite']:,}, PostgreSQL {r['segments_pg']:,})", flush=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
