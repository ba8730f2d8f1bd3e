"""The glossary store in PostgreSQL against the SQLite store file, same termbase, same run.

    python bench/bench_glossary_pg.py [--concepts 100000] [--workdir /tmp/ctlex-bench] [--url URL]

On the generated termbase of bench/gen_glossary.py (fictional names, domain vocabulary), prints:

* compile into PostgreSQL (``ctlex glossary compile X.tbx -o postgresql://…``: the SQLite
  compile plus the COPY into the database) against compiling into an SQLite file;
* cold CLI lookup (a new process per query) on each, with ``ctlex --help`` as the floor;
* warm in-process lookup per query on each (exact, clitic, English, a letter dropped, no match),
  and whether both give the same answers.

The server is ``--url`` or a throw-away cluster on a Unix socket (tests/pg_fixture.py: Debian's
postgresql package), stopped at the end.  Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_glossary_store import _gen, ratio, run_rss  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concepts", type=int, default=100_000)
    ap.add_argument("--workdir", default="/tmp/ctlex-bench")
    ap.add_argument("--url", default=None, help="a PostgreSQL database to use (default: a throw-away cluster)")
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    tbx = work / f"gen{args.concepts}.tbx"
    if not tbx.is_file():
        with open(tbx, "w", encoding="utf-8") as f:
            _gen().write_tbx(f, args.concepts)
    db = work / f"gen{args.concepts}-pgbench.ctlexdb"
    ctlex = [sys.executable, "-m", "ctlex.cli"]
    print(f"== {args.concepts:,} concepts, {tbx.stat().st_size / 1e6:.0f} MB TBX ==")

    cluster = None
    url = args.url
    if url is None:
        from pg_fixture import TempCluster, new_schema

        cluster = TempCluster().start()
        url = new_schema(cluster.url())
    try:
        st, srss, rc1, _ = run_rss([*ctlex, "glossary", "compile", str(tbx), "-o", str(db)])
        pt, prss, rc2, _ = run_rss([*ctlex, "glossary", "compile", str(tbx), "-o", url])
        print(f"compile: into PostgreSQL {pt:.1f} s, {prss:.0f} MB RSS (exit {rc2}); into an SQLite file {st:.1f} s,"
              f" {srss:.0f} MB (exit {rc1}); ratio {ratio(pt, st)}")

        from ctlex.store import open_glossary

        local, pg = open_glossary(db), open_glossary(url)
        rnd = random.Random(1)
        sample = [local.store.concepts([o])[0][1] for o in rnd.sample(range(len(local)), 4)]  # type: ignore[attr-defined]
        ar = [c.preferred("ar").text for c in sample]
        queries = {"exact": ar[0], "clitic": "و" + ar[1], "english": sample[2].preferred("en").text.upper(),
                   "fuzzy (letter dropped)": ar[3][:5] + ar[3][6:], "no match": "يوروبول"}
        floor = statistics.median(run_rss([*ctlex, "--help"])[0] for _ in range(3))
        print(f"cold CLI floor: `ctlex --help` {floor * 1e3:.0f} ms")
        key = lambda ms: [(m.concept.id, round(m.score, 6), m.match, m.term.text) for m in ms]  # noqa: E731
        for name, q in queries.items():
            cold_pg = [run_rss([*ctlex, "lookup", q, "--glossary", url, "--json"]) for _ in range(3)]
            cold_sq = [run_rss([*ctlex, "lookup", q, "--glossary", str(db), "--json"]) for _ in range(3)]
            warm = {}
            for label, g in (("pg", pg), ("sqlite", local)):
                g.lookup(q)
                t = time.perf_counter()
                for _ in range(5):
                    ans = key(g.lookup(q))
                warm[label] = ((time.perf_counter() - t) / 5, ans)
            cp, cs = statistics.median(r[0] for r in cold_pg), statistics.median(r[0] for r in cold_sq)
            print(f"lookup {name:22s}: cold CLI PostgreSQL {cp * 1e3:.0f} ms ({max(r[1] for r in cold_pg):.0f} MB), SQLite file"
                  f" {cs * 1e3:.0f} ms ({max(r[1] for r in cold_sq):.0f} MB), ratio {ratio(cp, cs)}; warm PostgreSQL"
                  f" {warm['pg'][0] * 1e3:.1f} ms, SQLite {warm['sqlite'][0] * 1e3:.1f} ms, ratio"
                  f" {ratio(warm['pg'][0], warm['sqlite'][0])}; same answers: {warm['pg'][1] == warm['sqlite'][1]}")
        pg.store.close()  # type: ignore[attr-defined]
        local.store.close()  # type: ignore[attr-defined]
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
