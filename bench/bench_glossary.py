"""Glossary benchmarks: lookup latency per cascade level, scan throughput, index build time.

Prints figures; asserts nothing.  Run:  python bench/bench_glossary.py [--concepts 100000] [--mb 5]

A synthetic glossary of N concepts is generated from Arabic syllables (names of 1–4 words,
realistic lengths) plus the real shipped glossary, so the index holds real and random keys.
Scan throughput is measured on the five seed articles repeated to the requested size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ctlex import arabic
from ctlex.glossary import Concept, Glossary, Term, load
from ctlex.match.index import _gc_paused

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SYLL = ["با", "تو", "ري", "سا", "كو", "لي", "ما", "نو", "فا", "دي", "غا", "جو", "شي", "زا", "هو", "را", "وي", "كا", "مو", "سي", "تا", "بو", "في", "نا", "لا", "يو", "كي", "دا"]
LAT = ["ba", "to", "ri", "sa", "ko", "li", "ma", "no", "fa", "di", "ga", "jo", "shi", "za", "ho", "ra", "wi", "ka", "mo", "si", "ta", "bo", "fi", "na", "la", "yo", "ki", "da"]


def synthetic(n: int, seed: int = 7, real: bool = True) -> Glossary:
    rnd = random.Random(seed)
    g = load(ROOT / "glossary" / "ctlex.tbx") if real else Glossary()
    for i in range(n):
        words_ar, words_en = [], []
        for _ in range(rnd.choice((1, 2, 2, 3, 4))):
            idx = [rnd.randrange(len(SYLL)) for _ in range(rnd.choice((2, 3, 3, 4)))]
            words_ar.append("".join(SYLL[k] for k in idx))
            words_en.append("".join(LAT[k] for k in idx).capitalize())
        c = Concept(f"syn-{i}", rnd.choice(("person", "organization", "term", "place")))
        c.terms += [Term(" ".join(words_en), "en", "preferred"), Term(" ".join(words_ar), "ar", "preferred")]
        if rnd.random() < 0.3:
            c.terms.append(Term("ال" + " ".join(words_ar), "ar", "admitted"))
        g.add(c)
    return g


def timeit(fn, queries, repeat=1):
    out = []
    for q in queries:
        t = time.perf_counter()
        for _ in range(repeat):
            fn(q)
        out.append((time.perf_counter() - t) / repeat)
    return out


def ms(xs):
    xs = sorted(xs)
    return f"median {statistics.median(xs)*1e3:.4f} ms, p95 {xs[int(len(xs)*0.95)]*1e3:.4f} ms"


def _repeat(text: str, mb: float) -> str:
    size = len(text.encode("utf-8"))
    return "\n".join([text] * max(1, int(mb * 1e6 / size)))


def _independent_text() -> str:
    """Sentences the glossary was not built from: the shared news dev set and the everyday set."""
    out = []
    for p in (ROOT.parent / "shared" / "devsets" / "recognition_ar.tsv", ROOT / "bench" / "devsets" / "everyday_ar.tsv",
              ROOT / "bench" / "devsets" / "news_ar.tsv"):
        if p.is_file():
            out += [line.split("\t", 1)[1] for line in p.read_text(encoding="utf-8").splitlines() if "\t" in line and not line.startswith("#")]
    return "\n".join(out)


def _scan_time(gl: Glossary, big: str) -> tuple[float, float, int]:
    """(median wall seconds, median CPU seconds, hits) of three scans.  On a loaded machine the
    wall time includes waiting for a core; the CPU time does not."""
    runs, cpu, hits = [], [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        hits = gl.scan(big)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(runs), statistics.median(cpu), len(hits)


def _baseline_time(gl: Glossary, big: str, parts: dict[str, float] | None = None) -> tuple[float, float, int]:
    """The reference: normalize with the same key level (the public ``arabic.normalize``, so the
    compiled fast path whenever ctlex has it), then collect every match of a plain pyahocorasick
    automaton over the terms' key forms (no variants, no boundaries, no offsets).  ``parts``
    receives the median CPU seconds of the two steps ("normalize", "automaton")."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for c in gl:
        for term in c.terms:
            k = arabic.key_text(term.text)
            if k:
                a.add_word(k, c.id)
    a.make_automaton()
    runs, cpu, n = [], [], 0
    norm_cpu, auto_cpu = [], []
    for _ in range(3):
        with _gc_paused():
            t, c = time.perf_counter(), time.process_time()
            norm = arabic.normalize(big, "key")
            c1 = time.process_time()
            found = list(a.iter(norm.text))
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            norm_cpu.append(c1 - c)
            auto_cpu.append(time.process_time() - c1)
        n = len(found)
    if parts is not None:
        parts["normalize"] = statistics.median(norm_cpu)
        parts["automaton"] = statistics.median(auto_cpu)
    return statistics.median(runs), statistics.median(cpu), n


def _python_normalize_cpu(big: str) -> float:
    """CPU seconds of the key normalization on the pure-Python path (the compiled one switched
    off), for the second baseline line: what the baseline cost before ctlex had C."""
    was = arabic._NATIVE
    arabic._NATIVE = False
    try:
        with _gc_paused():
            c = time.process_time()
            arabic.normalize(big, "key")
            return time.process_time() - c
    finally:
        arabic._NATIVE = was


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concepts", type=int, default=100_000)
    ap.add_argument("--mb", type=float, default=5.0)
    args = ap.parse_args()

    t = time.perf_counter()
    g = synthetic(args.concepts)
    print(f"generated {len(g):,} concepts, {sum(len(c.terms) for c in g):,} terms in {time.perf_counter()-t:.1f} s")
    t = time.perf_counter()
    idx = g.index
    print(f"index build (hash tables): {time.perf_counter()-t:.2f} s")
    t = time.perf_counter()
    idx._ensure()
    print(f"scan automaton (Aho-Corasick, with variants and short forms) build: {time.perf_counter()-t:.2f} s, {len(idx._plen):,} patterns")
    t = time.perf_counter()
    idx.fuzzy_index()
    print(f"fuzzy trigram index build: {time.perf_counter()-t:.2f} s")

    rnd = random.Random(1)
    concepts = [c for c in g if c.id.startswith("syn-")]
    sample = rnd.sample(concepts, 500)
    exact = [c.preferred("ar").text for c in sample]
    normalized = [t.replace("ا", "أ", 1) + "ُ" for t in exact]
    clitic = ["و" + (t if not t.startswith("ال") else t) for t in exact]

    def typo(s: str) -> str:
        i = rnd.randrange(1, len(s) - 1)
        return s[:i] + s[i + 1 :]

    fuzzy = [typo(t) for t in exact]
    english = [c.preferred("en").text.upper() for c in sample]
    for name, qs in (("exact", exact), ("normalized", normalized), ("clitic", clitic), ("english (case-folded)", english), ("fuzzy (one letter dropped)", fuzzy)):
        g.lookup(qs[0])
        lat = timeit(lambda q: g.lookup(q), qs, repeat=3 if name != "fuzzy (one letter dropped)" else 1)
        found = sum(1 for q, c in zip(qs, sample) if any(m.concept.id == c.id for m in g.lookup(q)))
        print(f"lookup {name:28s} {ms(lat)}   found {found}/{len(qs)}")
    # the raw exact path (hash table only)
    lat = timeit(lambda q: idx.by_text.get(q), exact, repeat=100)
    print(f"lookup exact hash probe        {ms(lat)}")
    # hit@1 on the same queries, every miss explained against an exhaustive edit-distance search
    # (bench/fuzzy_quality.py does this for four edit types on three termbases)
    sys.path.insert(0, str(ROOT / "bench"))
    import fuzzy_quality

    r = fuzzy_quality.score(g, fuzzy_quality.Oracle(g), [(c.id, q) for c, q in zip(sample, fuzzy)])
    print(fuzzy_quality.report("synthetic (one letter dropped)", "", r))
    lat = timeit(lambda q: g.lookup(q, fuzzy=False), exact, repeat=3)
    print(f"lookup exact, cascade w/o fuzzy {ms(lat)}")

    texts = {"seed articles (dense hits)": "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))}
    indep = _independent_text()
    if indep:
        texts["independent news + everyday Arabic"] = indep
    for label, text in texts.items():
        big = _repeat(text, args.mb)
        mb = len(big.encode("utf-8")) / 1e6
        sp = idx.spellings
        sp._word_cache.clear(), sp._frequent_words.clear()
        t = time.perf_counter()
        g.scan(text)  # cold per-word caches (the skeleton index is built once per glossary)
        cold_dt = time.perf_counter() - t
        words = len(set(arabic.key_text(text).split()))
        print(f"scan of the text once, {len(text.encode('utf-8'))/1e6:.2f} MB, {words:,} distinct words, cold word caches: {cold_dt:.2f} s"
              f" = {len(text.encode('utf-8'))/1e6/cold_dt:.2f} MB/s (a repeated text reuses them: the next line is the warm rate)")
        parts: dict[str, float] = {}
        base_dt, base_cpu, base_n = _baseline_time(g, big, parts)
        dt, cpu, nh = _scan_time(g, big)
        native = "compiled (ctlex._native)" if arabic._native_module() is not None else "pure Python (ctlex._native not built)"
        print(f"scan {mb:.1f} MB, {label}, {len(g):,} concepts (median of 3): ctlex {dt:.2f} s = {mb/dt:.2f} MB/s, {nh:,} hits;"
              f" pyahocorasick over key-normalized text {base_dt:.2f} s = {mb/base_dt:.2f} MB/s, {base_n:,} raw matches;"
              f" ratio ctlex/baseline {dt/base_dt:.2f} wall, {cpu/base_cpu:.2f} CPU ({cpu:.2f} / {base_cpu:.2f} s; target <= 1.00)")
        # the same run, split: normalization is shared (the same public function on both sides);
        # what ctlex does after it is compared with the baseline's automaton pass alone
        after = cpu - parts["normalize"]
        print(f"  split (CPU): key normalization {parts['normalize']:.3f} s ({native}, both sides);"
              f" after it ctlex {after:.3f} s vs pyahocorasick list(iter) {parts['automaton']:.3f} s:"
              f" ratio {after/parts['automaton']:.2f}")
        py_norm = _python_normalize_cpu(big)
        print(f"  baseline with the pure-Python normalizer instead: {py_norm + parts['automaton']:.3f} s CPU"
              f" (normalization {py_norm:.3f} s); ctlex/that {cpu/(py_norm + parts['automaton']):.2f}")
    with _gc_paused():
        t = time.perf_counter()
        arabic.normalize(big, "key")
        print(f"  normalization alone (key level + offset map, shared by both): {time.perf_counter()-t:.2f} s")

    cold = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ctlex.cli", "--help"], capture_output=True, check=False)
        cold.append(time.perf_counter() - t)
    print(f"`python -m ctlex.cli --help` cold start: median {statistics.median(cold)*1e3:.0f} ms")


if __name__ == "__main__":
    main()
