"""Compiled glossary store (issue 15): every figure beside its baseline, measured in one run.

    python bench/bench_glossary_store.py [--concepts 100000] [--mb 5] [--workdir /tmp/ctlex-bench]
                                         [--no-baseline-cli] [--no-in-memory]

On an independent generated termbase (bench/gen_glossary.py: fictional names, domain vocabulary,
nothing from the shipped glossary):

* compile (``ctlex glossary compile``) against a streaming lxml read of the same file into a dict
  (target: ≤ 1.5×);
* cold CLI lookup (a new process per query) from the store against the same command on the TBX
  (targets: < 300 ms, < 150 MB RSS), with ``ctlex --help`` as the floor of any command;
* scan of MB of text (independent news sentences plus sentences citing generated terms): in
  process, store (opened fresh: its compiled matcher, only the concepts of hits read) against
  the in-memory glossary with its index built (target: < 1.2×); and end to end through the CLI;
* lookup answers: store against in-memory on a sample of queries (must be identical).

The baselines that need the whole glossary in memory (TBX CLI calls, the in-memory glossary)
can be switched off for very large termbases, where they do not fit; the script says so.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = "{urn:iso:std:iso:30042:ed-2}"


def _gen():
    spec = importlib.util.spec_from_file_location("gen_glossary", ROOT / "bench" / "gen_glossary.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def run_rss(cmd: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, max RSS MB, exit code, CPU seconds) of one fresh process, timed and
    measured by a small parent process of its own (RUSAGE_CHILDREN is then that one child).
    On a loaded machine the wall time includes waiting for a core; the CPU time does not."""
    code = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "ru = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(json.dumps([time.perf_counter() - t, ru.ru_maxrss / 1024, p.returncode, ru.ru_utime + ru.ru_stime]))")
    import json

    r = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True)
    dt, rss, rc, cpu = json.loads(r.stdout)
    return dt, rss, rc, cpu


def lxml_read(path: str) -> tuple[float, float, float]:
    code = f"""
import time, resource
from lxml import etree
t = time.perf_counter()
d = {{}}
for _, el in etree.iterparse({path!r}, tag={NS + 'conceptEntry'!r}, resolve_entities=False, no_network=True):
    d[el.get("id")] = [(t.text, t.getparent().getparent().get("{{http://www.w3.org/XML/1998/namespace}}lang")) for t in el.iter({NS + 'term'!r})]
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]
ru = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, ru.ru_maxrss / 1024, time.process_time())
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    a, b, c = r.stdout.split()
    return float(a), float(b), float(c)


def scan_text(g_terms: list[tuple[str, str]], mb: float, seed: int = 3) -> str:
    """Independent news-style sentences (shared dev set) interleaved with sentences citing
    generated terms, to ``mb`` megabytes."""
    rnd = random.Random(seed)
    news = []
    for p in (ROOT.parent / "shared" / "devsets" / "recognition_ar.tsv", ROOT / "bench" / "devsets" / "news_ar.tsv"):
        if p.is_file():
            news += [ln.split("\t", 1)[1] for ln in p.read_text(encoding="utf-8").splitlines() if "\t" in ln and not ln.startswith("#")]
    frames = ["أعلن {} اليوم عن خطة جديدة.", "وقال مسؤول إن {} يعمل منذ سنوات.", "وشارك ممثلون عن {} في الاجتماع.", "{} described the attack as coordinated."]
    out, size = [], 0
    while size < mb * 1e6:
        if news and rnd.random() < 0.6:
            s = rnd.choice(news)
        else:
            text, lang = rnd.choice(g_terms)
            s = rnd.choice(frames[3:] if lang == "en" else frames[:3]).format(text)
        out.append(s)
        size += len(s.encode("utf-8")) + 1
    return "\n".join(out)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concepts", type=int, default=100_000)
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--workdir", default="/tmp/ctlex-bench")
    ap.add_argument("--no-baseline-cli", action="store_true", help="skip the CLI calls on the TBX (minutes and GBs at 1M)")
    ap.add_argument("--no-in-memory", action="store_true", help="skip the in-memory glossary (does not fit at 1M)")
    ap.add_argument("--reuse", action="store_true", help="reuse a store already compiled in workdir (compile not timed)")
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    tbx = work / f"gen{args.concepts}.tbx"
    # not gen{N}.ctlexdb: that name beside the TBX would be picked up by --glossary gen{N}.tbx,
    # and the TBX baseline would measure the store
    db = work / f"gen{args.concepts}-store.ctlexdb"
    ctlex = [sys.executable, "-m", "ctlex.cli"]
    if not tbx.is_file():
        t = time.perf_counter()
        with open(tbx, "w", encoding="utf-8") as f:
            _gen().write_tbx(f, args.concepts)
        print(f"generated {tbx} ({tbx.stat().st_size / 1e6:.0f} MB, {args.concepts:,} concepts) in {time.perf_counter() - t:.1f} s")
    print(f"== {args.concepts:,} concepts, {tbx.stat().st_size / 1e6:.0f} MB TBX ==")

    # 1. compile vs a streaming lxml read
    base_t, base_rss, base_cpu = lxml_read(str(tbx))
    if args.reuse and db.is_file():
        print(f"compile: reusing {db}; streaming lxml read into a dict {base_t:.2f} s, {base_rss:.0f} MB")
    else:
        ct, crss, rc, ccpu = run_rss([*ctlex, "glossary", "compile", str(tbx), "-o", str(db)])
        print(f"compile: ctlex {ct:.2f} s wall, {ccpu:.2f} s CPU, {crss:.0f} MB RSS (exit {rc}); streaming lxml read into a dict"
              f" {base_t:.2f} s wall, {base_cpu:.2f} s CPU, {base_rss:.0f} MB; ratio {ratio(ct, base_t)} wall, {ratio(ccpu, base_cpu)} CPU"
              f" (target <= 1.5x); store {db.stat().st_size / 1e6:.0f} MB")

    # 2. cold CLI lookup
    from ctlex.store import open_glossary

    st = open_glossary(db)
    rnd = random.Random(1)
    sample = [st.store.concepts([o])[0][1] for o in rnd.sample(range(len(st)), 4)]  # type: ignore[attr-defined]
    ar = [c.preferred("ar").text for c in sample]
    queries = {"exact": ar[0], "clitic": "و" + ar[1], "english": sample[2].preferred("en").text.upper(),
               "fuzzy (letter dropped)": ar[3][:5] + ar[3][6:], "no match": "يوروبول"}
    help_runs = [run_rss([*ctlex, "--help"]) for _ in range(3)]
    print(f"cold CLI floor: `ctlex --help` {statistics.median(r[0] for r in help_runs) * 1e3:.0f} ms wall,"
          f" {statistics.median(r[3] for r in help_runs) * 1e3:.0f} ms CPU")
    for name, q in queries.items():
        runs = [run_rss([*ctlex, "lookup", q, "--glossary", str(db), "--json"]) for _ in range(3)]
        dt = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        rss = max(r[1] for r in runs)
        line = f"cold CLI lookup, {name:22s}: store {dt * 1e3:.0f} ms wall, {cpu * 1e3:.0f} ms CPU, {rss:.0f} MB RSS (targets < 300 ms, < 150 MB)"
        if not args.no_baseline_cli and name in ("exact", "no match"):
            bt, brss, _, bcpu = run_rss([*ctlex, "lookup", q, "--glossary", str(tbx), "--json"])
            line += f"; TBX {bt:.1f} s wall, {bcpu:.1f} s CPU, {brss:.0f} MB; ratio TBX/store {ratio(bt, dt)}"
        print(line)

    # 3. scan
    terms = [(t.text, t.lang) for c in st.store.concepts(rnd.sample(range(len(st)), min(3000, len(st)))) for t in [c[1].preferred("ar"), c[1].preferred("en")] if t]  # type: ignore[attr-defined]
    text = scan_text(terms, args.mb)
    mb = len(text.encode("utf-8")) / 1e6
    path = work / "scan.txt"
    path.write_text(text, encoding="utf-8")
    from ctlex.store.view import StoreGlossary

    fresh = StoreGlossary(st.store)
    t, c0 = time.perf_counter(), time.process_time()
    fresh.scan(text[:2000])  # opening: the store's matcher (automaton of every stored spelling); word frequencies load
    open_dt, open_cpu = time.perf_counter() - t, time.process_time() - c0
    t, c0 = time.perf_counter(), time.process_time()
    hits_store = fresh.scan(text)
    store_dt, store_cpu = time.perf_counter() - t, time.process_time() - c0
    line = (f"scan {mb:.1f} MB in process: store {store_dt:.2f} s wall, {store_cpu:.2f} s CPU, {len(hits_store):,} hits"
            f" (+ {open_dt:.2f} s wall, {open_cpu:.2f} s CPU once per process: the store's matcher, an automaton of every stored spelling)")
    mem = None
    if not args.no_in_memory:
        from ctlex.glossary import Glossary

        t = time.perf_counter()
        mem = Glossary.load(tbx)
        load_dt = time.perf_counter() - t
        t = time.perf_counter()
        mem.index._ensure()
        build_dt = time.perf_counter() - t
        mem.scan(text[:2000])
        t, c0 = time.perf_counter(), time.process_time()
        hits_mem = mem.scan(text)
        mem_dt, mem_cpu = time.perf_counter() - t, time.process_time() - c0
        same = [h.to_dict() for h in hits_mem] == [h.to_dict() for h in hits_store]
        line += (f"; in-memory (index built) {mem_dt:.2f} s wall, {mem_cpu:.2f} s CPU, {len(hits_mem):,} hits; ratio {ratio(store_dt, mem_dt)} wall,"
                 f" {ratio(store_cpu, mem_cpu)} CPU (target < 1.2x);"
                 f" same hits: {same}; in-memory also paid TBX load {load_dt:.1f} s + index {build_dt:.1f} s")
    print(line)
    sdt, srss, _, scpu = run_rss([*ctlex, "scan", str(path), "--glossary", str(db), "--json"])
    line = f"scan {mb:.1f} MB through the CLI: store {sdt:.1f} s wall, {scpu:.1f} s CPU, {srss:.0f} MB RSS"
    if not args.no_baseline_cli:
        bdt, brss, _, bcpu = run_rss([*ctlex, "scan", str(path), "--glossary", str(tbx), "--json"])
        line += f"; TBX {bdt:.1f} s wall, {bcpu:.1f} s CPU, {brss:.0f} MB; ratio TBX/store {ratio(bdt, sdt)} wall, {ratio(bcpu, scpu)} CPU"
    print(line)

    # 4. same answers
    if mem is not None:
        qs = []
        for c in st.store.concepts(rnd.sample(range(len(st)), min(100, len(st)))):  # type: ignore[attr-defined]
            t0 = c[1].preferred("ar").text
            qs += [t0, "و" + t0, t0[:4] + t0[5:], c[1].preferred("en").text.lower()]
        key = lambda ms: [(m.concept.id, round(m.score, 6), m.match, m.term.text) for m in ms]  # noqa: E731
        t = time.perf_counter()
        a = [key(mem.lookup(q)) for q in qs]
        mem_l = time.perf_counter() - t
        t = time.perf_counter()
        b = [key(st.lookup(q)) for q in qs]
        st_l = time.perf_counter() - t
        same = sum(x == y for x, y in zip(a, b))
        print(f"lookup answers, store vs in-memory: {same}/{len(qs)} identical; warm per query: store {st_l / len(qs) * 1e3:.1f} ms,"
              f" in-memory {mem_l / len(qs) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
