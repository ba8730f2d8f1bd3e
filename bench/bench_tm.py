#!/usr/bin/env python
"""Translation-memory benchmarks: figures and ratios, no pass/fail.

Builds 100k- and 1M-unit TMX files by recombining the real sentence pairs of ``tm/articles.tmx``
(a prefix of one sentence joined to a suffix of another, Arabic and English cut at the same
relative point, so word, length and n-gram statistics stay those of the articles), then reports:

* import time and peak memory (``resource.getrusage`` of a fresh child process, and of the helper
  process a large import normalizes in) and store size;
* fuzzy search latency p50/p95 per query (index + RapidFuzz re-ranking), with the store's default
  postings budget and candidate count;
* recall@1 against the exhaustive twin (``Store.search_exhaustive``): a query counts as recalled
  when the index's best score equals the exhaustive best score (ties between equally good
  segments are not misses), including "no match ≥ min_score" agreeing with "no match";
* at 100k, the speed-up over translate-toolkit's ``translate.search.match.matcher`` on the same
  queries.  Its default ``max_length=70`` skips every candidate longer than 70 characters (most
  Arabic sentences), so it is run with ``max_length`` large enough to see every segment, and the
  same ``min_similarity`` and candidate count;
* the import floor, measured in the same run: the same TMX read with a bare lxml ``iterparse``
  into a plain SQLite table (tuid, texts, languages; one ``executemany`` a batch), in a fresh
  child process like the import, and the ratios of time, peak memory and file size to it;
* SQLite FTS5 + rerank on the same queries: an FTS5 table of the segments' search keys, the
  query's words OR-ed, the best ``CANDIDATES`` by bm25 re-scored with the same RapidFuzz
  similarity (latency and recall@1 against the exhaustive twin);
* the search curve over the sizes run (10k → 100k → 1M by default; 10M with ``--sizes``): p95 of
  ctlex and of FTS5 + rerank, and the scaling exponent (the log-log slope of p95 against size);
* ``ctlex --help`` cold-start time;
* against a baseline revision (``--baseline``, default the TM before issue 14) in the same run:
  import time, peak memory and store size, and search p50/p95 in fresh processes on the same
  queries (the baseline merged units by normalized key; this code keeps every unit).

Queries are lightly edited TM segments (a word dropped, replaced or moved, diacritics, tatweel
and hamza spellings added) plus fresh recombinations that are not in the TM.

Example:
    python bench/bench_tm.py                       # 10k, 100k and 1M, ~15 minutes on 2 cores
    python bench/bench_tm.py --sizes 10000,100000 --queries 50 --baseline ''
    python bench/bench_tm.py --sizes 100000 --baseline '' --import-only   # import vs its floor only
    python bench/bench_tm.py --sizes 1000000 --baseline '' --import-only --import-baseline main   # and vs main's import
    python bench/bench_tm.py --sizes 10000,100000,1000000,10000000   # the curve to 10M (a 7 GB TMX)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ctlex.formats.tmx import read_segments, write_segments  # noqa: E402
from ctlex.segment import Segment  # noqa: E402

MIN_SCORE = 70.0
LIMIT = 5


def real_pairs() -> list[tuple[list[str], list[str]]]:
    """Sentence pairs of the articles, as word lists (boilerplate shorter than 5 words dropped)."""
    out = []
    for s in read_segments(ROOT / "tm" / "articles.tmx"):
        ar, en = s.source.split(), s.target.split()
        if len(ar) >= 5 and len(en) >= 5:
            out.append((ar, en))
    return out


def recombine(pairs: list[tuple[list[str], list[str]]], rng: random.Random) -> tuple[str, str]:
    (a_ar, a_en), (b_ar, b_en) = rng.choice(pairs), rng.choice(pairs)
    fa = rng.uniform(0.2, 0.8)  # A's first part joined to B's rest: about one sentence long
    fb = min(0.95, max(0.05, fa + rng.uniform(-0.1, 0.1)))
    ar = a_ar[: max(2, round(len(a_ar) * fa))] + b_ar[round(len(b_ar) * fb) :]
    en = a_en[: max(2, round(len(a_en) * fa))] + b_en[round(len(b_en) * fb) :]
    return " ".join(ar), " ".join(en)


def synthetic(n: int, seed: int) -> Iterator[Segment]:
    pairs = real_pairs()
    rng = random.Random(seed)
    for i in range(n):
        ar, en = recombine(pairs, rng)
        yield Segment(ar, en, id=f"s{i}", props={"x-synthetic": "recombined"})


DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"


def edit(text: str, rng: random.Random, vocab: list[str]) -> str:
    """A light edit, as between two versions of one sentence."""
    w = text.split()
    for _ in range(rng.choice((1, 1, 2))):
        op = rng.choice(("drop", "replace", "swap", "diacritics", "hamza"))
        i = rng.randrange(len(w))
        if op == "drop" and len(w) > 6:
            del w[i]
        elif op == "replace":
            w[i] = rng.choice(vocab)
        elif op == "swap" and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
        elif op == "diacritics":
            w[i] = "".join(c + (rng.choice(DIACRITICS) if rng.random() < 0.4 else "") for c in w[i])
            if len(w[i]) > 3:
                w[i] = w[i][:2] + "\u0640" + w[i][2:]  # tatweel
        else:
            w[i] = w[i].replace("ا", "أ", 1).replace("ي", "ى") if rng.random() < 0.5 else w[i].replace("أ", "ا")
    return " ".join(w)


def make_queries(store: "object", n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    db = store.db  # type: ignore[attr-defined]
    top = db.execute("SELECT MAX(id) FROM segment").fetchone()[0]
    pairs = real_pairs()
    vocab = sorted({w for ar, _ in pairs for w in ar})
    out = []
    while len(out) < n:
        if rng.random() < 0.8:
            row = db.execute("SELECT source FROM segment WHERE id = ?", (rng.randint(1, top),)).fetchone()
            if row:
                out.append(edit(row[0], rng, vocab))
        else:
            out.append(recombine(pairs, rng)[0])
    return out


def build_tmx(n: int, path: Path) -> float:
    if path.exists():
        return 0.0
    t = time.perf_counter()
    write_segments(synthetic(n, seed=n), path, srclang="ar")
    return time.perf_counter() - t


IMPORT_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {src!r})
from ctlex.tm import Store
t = time.perf_counter()
with Store({db!r}) as s:
    r = s.import_files([{tmx!r}])
el = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
from ctlex.tm import workers
print(json.dumps({{"seconds": el, "maxrss_kb": me.ru_maxrss, "children_maxrss_kb": kids.ru_maxrss,
                  "keyed_here": getattr(workers, "KEYED_HERE", 0),
                  "cpu": me.ru_utime + me.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime, **r.to_dict()}}))
"""


def import_store(tmx: Path, db: Path, src: Path = ROOT / "src") -> dict:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            Path(f"{db}{suffix}").unlink()
    code = IMPORT_CHILD.format(src=str(src), db=str(db), tmx=str(tmx))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


FLOOR_CHILD = """
import json, resource, sqlite3, sys, time
from lxml import etree
LANG = "{{http://www.w3.org/XML/1998/namespace}}lang"
t = time.perf_counter()
con = sqlite3.connect({db!r})
con.execute("CREATE TABLE tu (id INTEGER PRIMARY KEY, tuid TEXT, source TEXT, target TEXT, source_lang TEXT, target_lang TEXT)")
put = "INSERT INTO tu (tuid, source, target, source_lang, target_lang) VALUES (?,?,?,?,?)"
rows, n = [], 0
for _, tu in etree.iterparse({tmx!r}, tag="tu", resolve_entities=False, no_network=True, load_dtd=False):
    tuvs = [(tuv.get(LANG), tuv.findtext("seg") or "") for tuv in tu.iter("tuv")]
    if len(tuvs) >= 2:
        rows.append((tu.get("tuid"), tuvs[0][1], tuvs[1][1], tuvs[0][0], tuvs[1][0]))
    tu.clear()
    while tu.getprevious() is not None:
        del tu.getparent()[0]
    if len(rows) >= 5000:
        con.executemany(put, rows)
        n += len(rows)
        rows.clear()
con.executemany(put, rows)
n += len(rows)
con.commit()
con.close()
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": time.perf_counter() - t, "rows": n, "maxrss_kb": me.ru_maxrss, "cpu": me.ru_utime + me.ru_stime}}))
"""


def floor_import(tmx: Path, db: Path) -> dict:
    """The import floor: lxml iterparse + a plain SQLite insert of the same TMX (fresh process)."""
    if db.exists():
        db.unlink()
    out = subprocess.run([sys.executable, "-c", FLOOR_CHILD.format(db=str(db), tmx=str(tmx))], check=True,
                         capture_output=True, text=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["bytes"] = db.stat().st_size
    db.unlink()
    return res


class Fts5Rerank:
    """The FTS5 + rerank baseline: an FTS5 table of the index entries' search keys; a query's
    words OR-ed, the best ``candidates`` by bm25, re-scored with the same similarity."""

    def __init__(self, keys: dict[int, str], path: Path, candidates: int) -> None:
        import sqlite3

        if path.exists():
            path.unlink()
        t = time.perf_counter()
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE k USING fts5(key, tokenize = 'unicode61 remove_diacritics 0')")
        self.db.executemany("INSERT INTO k (rowid, key) VALUES (?, ?)", keys.items())
        self.db.commit()
        self.build_s = time.perf_counter() - t
        self.candidates = candidates

    def search(self, text: str) -> list[tuple[float, int]]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        from ctlex.tm import search_key
        from ctlex.tm.keys import floor1

        qkey = search_key(text)
        words = sorted(set(qkey.split()))
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute("SELECT rowid, key FROM k WHERE k MATCH ? ORDER BY rank LIMIT ?", (match, self.candidates)).fetchall()
        scored = process.extract(qkey, dict(rows), scorer=Levenshtein.normalized_similarity, score_cutoff=MIN_SCORE / 100.0, limit=None)
        scored.sort(key=lambda x: (-x[1], x[2]))
        return [(floor1(sim * 100.0), rid) for _, sim, rid in scored[:LIMIT]]

    def close(self) -> None:
        self.db.close()


def fts_compare(store: "object", queries: list[str], keys: dict[int, str], ref_best: list[float | None], workdir: Path, n: int) -> dict:
    from ctlex.tm.search import CANDIDATES

    fts = Fts5Rerank(keys, workdir / f"fts-{n}.sqlite", CANDIDATES)  # as many candidates as ctlex re-scores
    try:
        for q in queries[:5]:
            fts.search(q)
        ms, hits = [], 0
        for q, best in zip(queries, ref_best):
            t = time.perf_counter()
            got = fts.search(q)
            ms.append((time.perf_counter() - t) * 1000)
            hits += (got[0][0] if got else None) == best
    finally:
        fts.close()
        (workdir / f"fts-{n}.sqlite").unlink()
    return {"ms": ms, "recall": hits / len(queries), "build_s": fts.build_s, "candidates": fts.candidates}


def slope(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(p95) against log(size): 0 flat, 1 linear in the store."""
    import math

    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


SEARCH_CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from ctlex.tm import Store
queries = json.load(open({queries!r}, encoding="utf-8"))
with Store({db!r}, readonly=True) as s:
    for q in queries[:5]:
        s.search(q, min_score={min_score}, limit={limit})
    ms = []
    for q in queries:
        t = time.perf_counter()
        s.search(q, min_score={min_score}, limit={limit})
        ms.append((time.perf_counter() - t) * 1000)
print(json.dumps(ms))
"""


def search_times(db: Path, queries_file: Path, src: Path = ROOT / "src") -> list[float]:
    """Search latencies (ms) of the queries in a fresh process running the code at ``src``."""
    code = SEARCH_CHILD.format(src=str(src), db=str(db), queries=str(queries_file), min_score=MIN_SCORE, limit=LIMIT)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline_tree(rev: str, workdir: Path) -> Path | None:
    """The ``src`` tree of git revision ``rev`` (the code to compare against), or None."""
    dest = workdir / f"baseline-{rev}"
    if (dest / "src" / "ctlex").exists():
        return dest / "src"
    dest.mkdir(parents=True, exist_ok=True)
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"(no baseline: cannot check out {rev}: {e})", flush=True)
        return None
    return dest / "src"


def table_sizes(db: Path) -> str:
    """Bytes per table and index (SQLite's dbstat, when compiled in)."""
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.DatabaseError:
        return "(dbstat not available)"
    finally:
        con.close()
    return ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in rows if size >= 1e6)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench_search(store: "object", queries: list[str]) -> tuple[list[float], list[list]]:
    for q in queries[:5]:  # warm the page cache and the lazily built tables
        store.search(q, min_score=MIN_SCORE, limit=LIMIT)  # type: ignore[attr-defined]
    times, results = [], []
    for q in queries:
        t = time.perf_counter()
        r = store.search(q, min_score=MIN_SCORE, limit=LIMIT)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
        results.append(r)
    return times, results


def recall_at_1(store: "object", queries: list[str], results: list[list], keys: dict[int, str],
                ref_best: list[float | None]) -> tuple[float, float, int]:
    """recall@1 of ``results`` against the exhaustive twin (whose best scores go to ``ref_best``)."""
    hits, times, with_match = 0, [], 0
    for q, got in zip(queries, results):
        t = time.perf_counter()
        ref = store.search_exhaustive(q, min_score=MIN_SCORE, limit=1, keys=keys)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
        with_match += bool(ref)
        best_ref = ref[0].score if ref else None
        ref_best.append(best_ref)
        best_got = got[0].score if got else None
        hits += best_ref == best_got
    return hits / len(queries), statistics.median(times), with_match


def tt_compare(store: "object", queries: list[str], ours_ms: list[float]) -> dict:
    from translate.search.match import matcher
    from translate.storage import base

    # matcher keeps a heap of (score, unit); two equal scores make it compare units, which base
    # units cannot do (TypeError).  Give them an order so the comparison runs at all.
    base.TranslationUnit.__lt__ = lambda a, b: id(a) < id(b)  # type: ignore[method-assign]

    tt_store = base.TranslationStore()
    for src, tgt in store.db.execute("SELECT source, target FROM segment"):  # type: ignore[attr-defined]
        u = base.TranslationUnit(src)
        u.target = tgt
        tt_store.units.append(u)
    longest = store.db.execute("SELECT MAX(LENGTH(source)) FROM segment").fetchone()[0]  # type: ignore[attr-defined]
    t = time.perf_counter()
    m = matcher(tt_store, max_candidates=LIMIT, min_similarity=int(MIN_SCORE), max_length=longest + 1)
    init = time.perf_counter() - t
    tt_ms = []
    for q in queries:
        t = time.perf_counter()
        m.matches(q)
        tt_ms.append((time.perf_counter() - t) * 1000)
    ours = statistics.mean(ours_ms)
    return {"queries": len(queries), "tt_mean_ms": statistics.mean(tt_ms), "ours_mean_ms": ours,
            "speedup": statistics.mean(tt_ms) / ours, "tt_init_s": init, "tt_max_length": longest + 1}


def help_cold_start() -> float:
    best = 1e9
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['ctlex', '--help']; from ctlex.cli import main; main()"],
                       check=False, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


# The TM before issue 14 (schema 2: units merged by normalized key, one rollback-journal file,
# helper through multiprocessing): what keeping every unit, WAL and the pipe helper are measured against.
BASELINE = "a944e1a"


def compare_baseline(rev: str, base_src: Path, tmx: Path, db: Path, imp: dict, queries: list[str], workdir: Path) -> None:
    """Import and search with the baseline code in the same run, then again with this code
    (alternating, so both see the same machine load), and print the ratios."""
    qfile = workdir / "queries.json"
    qfile.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    base_db = workdir / f"{db.stem}-baseline.sqlite"
    base = import_store(tmx, base_db, base_src)
    again = import_store(tmx, db)  # this code once more, right after the baseline
    ours_s = again["seconds"]  # the run next to the baseline's (the first one is printed too)
    size, base_size = db.stat().st_size, base_db.stat().st_size
    print(f"baseline {rev}: import {base['seconds']:.1f} s, peak RSS {base['maxrss_kb'] / 1024:.0f} MB, "
          f"{base['added']:,} rows kept of {base['read']:,} units; store {base_size / 1e6:.0f} MB", flush=True)
    print(f"  this code: import {ours_s:.1f} s (the run before the baseline's: {imp['seconds']:.1f} s), "
          f"peak RSS {again['maxrss_kb'] / 1024:.0f} MB, {again['added']:,} rows kept; store {size / 1e6:.0f} MB "
          f"-> import x{ours_s / base['seconds']:.2f}, store x{size / base_size:.2f}", flush=True)
    b_ms, o_ms = search_times(base_db, qfile, base_src), search_times(db, qfile)
    print(f"  search (fresh process each, same {len(queries)} queries): baseline p50 {pct(b_ms, 50):.1f} / p95 {pct(b_ms, 95):.1f} ms, "
          f"this code p50 {pct(o_ms, 50):.1f} / p95 {pct(o_ms, 95):.1f} ms "
          f"-> p50 x{pct(o_ms, 50) / pct(b_ms, 50):.2f}, p95 x{pct(o_ms, 95) / pct(b_ms, 95):.2f}", flush=True)
    base_db.unlink()


def compare_import(rev: str, tmx: Path, db: Path, imp: dict, floor_s: float, floor_cpu: float, workdir: Path) -> None:
    """Import with the code of revision ``rev`` in the same run (right after this code's import
    and the floors), and print both side by side: time, CPU of each process, peak RSS, size."""
    base_src = baseline_tree(rev, workdir)
    if base_src is None:
        return
    base_db = workdir / f"{db.stem}-import-baseline.sqlite"
    base = import_store(tmx, base_db, base_src)
    size, base_size = db.stat().st_size, base_db.stat().st_size
    for label, r, sz in ((f"baseline {rev}", base, base_size), ("this code", imp, size)):
        print(f"  {label}: import {r['seconds']:.1f} s (x{r['seconds'] / floor_s:.2f} the floor), CPU {r['cpu']:.1f} s here + "
              f"{r['children_cpu']:.1f} s in the helper (x{(r['cpu'] + r['children_cpu']) / floor_cpu:.2f} the floor's CPU), "
              f"peak RSS {r['maxrss_kb'] / 1024:.0f} + {r['children_maxrss_kb'] / 1024:.0f} MB, store {sz / 1e6:.0f} MB", flush=True)
    print(f"  -> this code x{imp['seconds'] / base['seconds']:.2f} the baseline's time, "
          f"x{(imp['cpu'] + imp['children_cpu']) / (base['cpu'] + base['children_cpu']):.2f} its CPU", flush=True)
    base_db.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ctlex TM benchmarks")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--tt-queries", type=int, default=50)
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ctlex-bench")
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare import and search against ('' for none)")
    ap.add_argument("--import-only", action="store_true", help="only the import figures (against the floor), no search")
    ap.add_argument("--import-baseline", default="", metavar="REV",
                    help="with --import-only: import with the code of git revision REV too, in the same run")
    ap.add_argument("--fts-max", type=int, default=1_000_000,
                    help="largest size FTS5 + rerank is built for (the issue compares it from 10k to 1M; at 10M it takes hours)")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    base_src = baseline_tree(args.baseline, args.workdir) if args.baseline else None
    print(f"ctlex --help cold start: {help_cold_start() * 1000:.0f} ms", flush=True)
    curve: list[tuple[int, float, float, float, float]] = []
    for n in (int(x) for x in args.sizes.split(",")):
        tmx, db = args.workdir / f"tm-{n}.tmx", args.workdir / f"tm-{n}.sqlite"
        gen = build_tmx(n, tmx)
        print(f"\n== {n:,} units  (TMX {tmx.stat().st_size / 1e6:.0f} MB{f', generated in {gen:.0f} s' if gen else ''})", flush=True)
        floor = floor_import(tmx, args.workdir / f"floor-{n}.sqlite")
        imp = import_store(tmx, db)
        floor2 = floor_import(tmx, args.workdir / f"floor-{n}.sqlite")  # again: both sides see the same load
        size = db.stat().st_size
        floor_s = (floor["seconds"] + floor2["seconds"]) / 2
        print(f"import: {imp['seconds']:.1f} s, peak RSS {imp['maxrss_kb'] / 1024:.0f} MB "
              f"(+ {imp['children_maxrss_kb'] / 1024:.0f} MB in its helper process, which reads a large TMX and makes the search keys; "
              f"{imp['keyed_here']} batches left for this process to key while it waited), "
              f"{imp['added']:,} segments stored, {imp['merged']:,} duplicates merged", flush=True)
        floor_cpu = (floor["cpu"] + floor2["cpu"]) / 2
        print(f"  CPU: import {imp['cpu']:.1f} s + {imp['children_cpu']:.1f} s in its helper process = "
              f"{imp['cpu'] + imp['children_cpu']:.1f} s; floor {floor['cpu']:.1f} / {floor2['cpu']:.1f} s "
              f"-> x{(imp['cpu'] + imp['children_cpu']) / floor_cpu:.2f} the floor's CPU "
              f"(x{max(imp['cpu'], imp['children_cpu']) / floor_cpu:.2f} for the busier process)", flush=True)
        print(f"  floor (lxml iterparse + plain SQLite insert, run before and after): {floor['seconds']:.1f} / {floor2['seconds']:.1f} s, "
              f"peak RSS {floor['maxrss_kb'] / 1024:.0f} MB, {floor['bytes'] / 1e6:.0f} MB "
              f"-> import x{imp['seconds'] / floor_s:.2f} the floor; store x{size / tmx.stat().st_size:.2f} the TMX, "
              f"x{size / floor['bytes']:.2f} the plain table", flush=True)
        print(f"store size: {size / 1e6:.0f} MB  ({size / 1e6 / (imp['added'] / 1e6):.0f} MB per million segments stored, "
              f"{size / 1e6 / (imp['read'] / 1e6):.0f} MB per million units read): {table_sizes(db)}", flush=True)
        if args.import_only:
            if args.import_baseline:
                compare_import(args.import_baseline, tmx, db, imp, floor_s, floor_cpu, args.workdir)
            continue
        from ctlex.tm import Store

        with Store(db, readonly=True) as store:
            queries = make_queries(store, args.queries, seed=7)
            ms, results = bench_search(store, queries)
            print(f"fuzzy search ({len(queries)} queries, min_score {MIN_SCORE:.0f}, limit {LIMIT}): "
                  f"p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms", flush=True)
            if base_src is not None:
                compare_baseline(args.baseline, base_src, tmx, db, imp, queries, args.workdir)
            keys = store.keys()
            ref_best: list[float | None] = []
            rec, ex_ms, with_match = recall_at_1(store, queries, results, keys, ref_best)
            print(f"recall@1 vs exhaustive: {rec:.3f}  ({with_match} queries with a match >= {MIN_SCORE:.0f}; "
                  f"exhaustive twin p50 {ex_ms:.0f} ms/query)", flush=True)
            if n > args.fts_max:
                del keys
                print(f"SQLite FTS5 + rerank: not built at {n:,} (above --fts-max {args.fts_max:,})", flush=True)
                curve.append((n, pct(ms, 95), float("nan"), rec, float("nan")))
                continue
            fts = fts_compare(store, queries, keys, ref_best, args.workdir, n)
            del keys
            print(f"SQLite FTS5 + rerank (same queries, {fts['candidates']} candidates by bm25; table built in {fts['build_s']:.1f} s): "
                  f"p50 {pct(fts['ms'], 50):.1f} ms, p95 {pct(fts['ms'], 95):.1f} ms, recall@1 {fts['recall']:.3f} "
                  f"-> ctlex p95 x{pct(ms, 95) / pct(fts['ms'], 95):.2f} of it", flush=True)
            curve.append((n, pct(ms, 95), pct(fts["ms"], 95), rec, fts["recall"]))
            if n <= 200_000:
                k = args.tt_queries
                r = tt_compare(store, queries[:k], ms[:k])
                print(f"translate-toolkit matcher (max_length={r['tt_max_length']}, same {r['queries']} queries): "
                      f"{r['tt_mean_ms']:.0f} ms/query vs ctlex {r['ours_mean_ms']:.1f} ms/query -> {r['speedup']:.0f}x "
                      f"(its TM load {r['tt_init_s']:.1f} s)", flush=True)
    if curve:
        print("\n== search curve (p95 ms; recall@1 vs exhaustive)", flush=True)
        for n, ours, fts_p95, rec, fts_rec in curve:
            print(f"  {n:>10,}: ctlex {ours:6.1f} (recall {rec:.3f})   FTS5 + rerank {fts_p95:7.1f} (recall {fts_rec:.3f})"
                  f"   -> x{ours / fts_p95:.2f}", flush=True)
        if len(curve) > 1:
            measured = [(n, f) for n, _, f, *_ in curve if f == f]  # FTS5 where it was built
            print(f"  scaling exponent (log-log slope of p95 vs size): ctlex {slope([(n, o) for n, o, *_ in curve]):.2f}"
                  f" ({curve[0][0]:,} to {curve[-1][0]:,}), FTS5 + rerank "
                  + (f"{slope(measured):.2f} ({measured[0][0]:,} to {measured[-1][0]:,})" if len(measured) > 1 else "n/a"), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
