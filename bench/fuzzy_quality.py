"""Fuzzy lookup quality: hit@1 on one-letter edits, every miss explained, at 100k concepts.

    python bench/fuzzy_quality.py [--concepts 100000] [--sample 400] [--seed 5]

Three termbases: the synthetic one of ``bench_glossary.py`` (syllable names plus the shipped
glossary), an independent one from ``gen_glossary.py`` (organizations, terms, people, places),
and the shipped glossary's own Arabic terms looked up inside the synthetic 100k.  Four edit types,
one edit each, never on the first letter: a letter dropped, a letter inserted, a letter replaced
(a random Arabic letter), two neighbouring letters swapped.

What a query can be, judged by an exhaustive edit-distance search over every key
(optimal string alignment: Levenshtein with a swap of neighbours one edit) (the oracle and
baseline, measured in the same run):

* *answerable*: the intended concept is among the nearest keys (ties included);
  *unique*: it is the only nearest concept;
* *unanswerable*: another concept's term is nearer, or the query is another concept's term
  exactly (or nothing is within 3 edits).  No ranking can put the intended concept first there
  without being wrong by the edit distance, so hit@1 over all queries has that share as its
  ceiling;
* the baseline: the oracle itself, breaking ties at random (its expected hit@1: one over the
  number of nearest concepts, summed over the answerable queries).  A tie is a query as near to
  several concepts; a ranking beats the baseline there only through what it knows beyond the
  distance (which edits are likely in Arabic, status, length).

Every miss is classified: equals another concept's term; another concept strictly nearer; a tie
at the same distance; a number changed (never fuzzy); refused by the frequency guard; another
concept read exactly by the cascade (ل + its term, its surname alone: the oracle compares whole
keys only); the unique nearest but outranked (by which match kind); the unique nearest and not
returned at all (the candidate stage lost it, or a stronger kind of evidence stopped the
fuzzy stage, or the frequency guard refused).  Candidate recall: the share of answerable queries
whose concept is among the fuzzy index's candidates.  Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from ctlex import arabic
from ctlex.glossary import Concept, Glossary, Term, load
from ctlex.match.fuzzy import guarded

ROOT = Path(__file__).resolve().parents[1]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def generated(n: int, seed: int = 11) -> Glossary:
    """The gen_glossary termbase, built in memory (the same concepts its TBX holds)."""
    g = Glossary()
    for d in _module("gen_glossary").concepts(n, seed):
        c = Concept(d["id"], d["type"])
        c.terms += [Term(text, lang, status) for text, lang, status, *_ in d["terms"]]
        g.add(c)
    return g


# -- edits (never the first letter: people rarely mistype it, and the rank of a prefix is moot)
def drop(s: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(s))
    return s[:i] + s[i + 1 :]


def insert(s: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(s) + 1)
    return s[:i] + rnd.choice(LETTERS) + s[i:]


def replace(s: str, rnd: random.Random) -> str:
    pos = [i for i in range(1, len(s)) if s[i] != " "]
    i = rnd.choice(pos)
    return s[:i] + rnd.choice([c for c in LETTERS if c != s[i]]) + s[i + 1 :]


def swap(s: str, rnd: random.Random) -> str:
    pos = [i for i in range(1, len(s) - 1) if s[i] != s[i + 1]]
    if not pos:
        return replace(s, rnd)
    i = rnd.choice(pos)
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


#: match kinds that read the query exactly through the cascade's rules (a clitic, a surname alone)
EXACT_READINGS = frozenset({"exact", "normalized", "clitic", "short-form", "related", "pattern"})
EDITS: dict[str, Callable[[str, random.Random], str]] = {"drop": drop, "insert": insert, "replace": replace, "swap": swap}


class Oracle:
    """Exhaustive edit distance (OSA: Levenshtein plus neighbour swaps) over every key of a glossary's matcher."""

    def __init__(self, g: Glossary) -> None:
        idx = g.index
        self.keys = idx.keys
        self.owner = [c.id for c, _ in idx.entries]

    def key_of(self, cid: str, qk: str) -> str:
        """The key of concept ``cid`` nearest to ``qk``."""
        from rapidfuzz.distance import OSA

        return min((k for k, o in zip(self.keys, self.owner) if o == cid), key=lambda k: OSA.distance(qk, k))

    def nearest(self, qk: str, cid: str) -> tuple[int, set[str], int]:
        """(smallest distance, concepts at it, distance of concept ``cid``)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA, Levenshtein

        # OSA <= 3 implies Levenshtein <= 6: the faster Levenshtein scan first
        near = [(k, d, i) for k, _, i in process.extract(qk, self.keys, scorer=Levenshtein.distance, score_cutoff=6, limit=None)
                if (d := OSA.distance(qk, k)) <= 3]
        if not near:
            return 99, set(), 99
        d0 = min(d for _, d, _ in near)
        mine = [d for _, d, i in near if self.owner[i] == cid]
        return d0, {self.owner[i] for _, d, i in near if d == d0}, min(mine) if mine else 99


def queries(targets: list[tuple[str, str]], edit: str, seed: int) -> list[tuple[str, str]]:
    """``targets``: (concept id, Arabic term); one query per target with one ``edit``."""
    rnd = random.Random(seed)
    out = []
    for cid, text in targets:
        q = EDITS[edit](text, rnd)
        if arabic.key_text(q) and arabic.key_text(q) != arabic.key_text(text):
            out.append((cid, q))
    return out


def score(g: Glossary, oracle: Oracle, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """hit@1 of ``g.lookup`` on ``pairs`` (concept id, query), each miss classified."""
    from rapidfuzz import fuzz

    fi = g.index.fuzzy_index()
    owner = oracle.owner
    hits = answerable = ans_hits = unique = uniq_hits = in_cands = 0
    oracle_hits = 0.0
    misses: Counter[str] = Counter()
    lat = []
    for cid, q in pairs:
        qk = arabic.key_text(q)
        t = time.perf_counter()
        res = g.lookup(q)
        lat.append(time.perf_counter() - t)
        ids = [m.concept.id for m in res]
        top = ids[0] == cid if ids else False
        d0, nearest, mine = oracle.nearest(qk, cid)
        ans = mine == d0 and d0 <= 3
        hits += top
        if ans:
            answerable += 1
            ans_hits += top
            oracle_hits += 1 / len(nearest)
            cands = {owner[e] for e, _ in fi.candidates(qk, limit=10, cutoff=75)}
            in_cands += cid in cands or d0 == 0
            if nearest == {cid}:
                unique += 1
                uniq_hits += top
        if top:
            continue
        if d0 == 0 and mine > 0:
            misses["equals another concept's term"] += 1
        elif mine > d0:
            misses["another concept strictly nearer"] += 1
        elif nearest != {cid}:
            misses["tie at the same distance"] += 1
        elif re.findall(r"\d+", qk) != re.findall(r"\d+", oracle.key_of(cid, qk)):
            misses["a number changed: never matched fuzzily (numbers are facts)"] += 1
        elif not res and guarded(q, fuzz.ratio(qk, oracle.key_of(cid, qk))):
            misses["refused: every word a frequent ordinary word (the guard)"] += 1
        elif res and res[0].match in EXACT_READINGS and res[0].score >= 0.75:  # (a surname by likeness scores less)
            misses[f"another concept read exactly ({res[0].match}: its term with a clitic, or a surname)"] += 1
        elif cid in ids:
            misses[f"unique nearest, outranked by {res[0].match}"] += 1
        else:
            misses[f"unique nearest, not returned ({res[0].match if res else 'no result'} first)"] += 1
    return {"n": len(pairs), "hits": hits, "answerable": answerable, "ans_hits": ans_hits, "unique": unique, "uniq_hits": uniq_hits,
            "in_cands": in_cands, "misses": misses, "lat": lat, "oracle": oracle_hits}


def report(label: str, edit: str, r: dict[str, Any]) -> str:
    n, a, u = r["n"], r["answerable"], r["unique"]
    lat = sorted(r["lat"])
    miss = "; ".join(f"{k} {v}" for k, v in r["misses"].most_common()) or "none"
    return (f"fuzzy {label:28s} {edit:8s} hit@1 {r['hits']/max(1, n):.3f} of {n}; oracle with random tie-break {r['oracle']/max(1, n):.3f}"
            f" (ratio {r['hits']/max(1e-9, r['oracle']):.2f}); ceiling {a/max(1, n):.3f} ({n - a} unanswerable)"
            f" | answerable {r['ans_hits']/max(1, a):.3f} of {a} | unique nearest {r['uniq_hits']/max(1, u):.3f} of {u}"
            f" | candidate recall {r['in_cands']/max(1, a):.3f} | median {statistics.median(lat)*1e3:.2f} ms, p95 {lat[int(len(lat)*0.95)]*1e3:.2f} ms\n"
            f"    misses: {miss}")


def run(g: Glossary, label: str, targets: list[tuple[str, str]], seed: int, edits: list[str] | None = None) -> None:
    oracle = Oracle(g)
    g.lookup(targets[0][1])
    for e, edit in enumerate(edits or list(EDITS)):
        print(report(label, edit, score(g, oracle, queries(targets, edit, seed + e))), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concepts", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    synthetic = _module("bench_glossary").synthetic

    print("unanswerable query: another concept's term is nearer to it (or equals it) by edit distance than any term of the"
          " intended concept; ceiling = the share of answerable queries, the best hit@1 any ranking can reach")
    t = time.perf_counter()
    g = synthetic(args.concepts)
    g.index.fuzzy_index()
    print(f"synthetic: {len(g):,} concepts, built in {time.perf_counter()-t:.0f} s")
    rnd = random.Random(args.seed)
    syn = [(c.id, c.preferred("ar").text) for c in rnd.sample([c for c in g if c.id.startswith("syn-")], args.sample)]
    run(g, f"synthetic {args.concepts // 1000}k", syn, args.seed)
    real = load(ROOT / "glossary" / "ctlex.tbx")
    shipped = [(c.id, t.text) for c in real for t in c.terms if t.lang.startswith("ar") and len(arabic.key_text(t.text)) >= 4]
    shipped = rnd.sample(shipped, min(args.sample, len(shipped)))
    run(g, f"shipped terms in synthetic {args.concepts // 1000}k", shipped, args.seed)
    del g
    t = time.perf_counter()
    gen = generated(args.concepts)
    gen.index.fuzzy_index()
    print(f"gen_glossary: {len(gen):,} concepts, built in {time.perf_counter()-t:.0f} s")
    targets = [(c.id, c.preferred("ar").text) for c in rnd.sample(list(gen), args.sample)]
    run(gen, f"gen_glossary {args.concepts // 1000}k", targets, args.seed)


if __name__ == "__main__":
    main()
