"""Suggestion accuracy: the devset (terms with the translators' renderings) and the shipped TM.

1. **Devset** (``$CTLEX_SHARED/devsets/suggest_pairs.tsv`` + ``suggest_gold.tsv``): for every gold
   term, ``suggest`` over the 270 professional pairs (with the shipped glossary) and check that the
   top suggestion is the translators' rendering (case-insensitive, :func:`ctlex.qa.english_fold`).
   Figures per frequency band (seen once, twice, three times or more), for the *tuning* half of
   the terms, the *held-out* half and overall.  The halves are fixed: within each band the terms
   are ordered by CRC32 of their Arabic and alternate (even = tune, odd = held-out).  Every
   threshold and the confidence calibration were set looking at the tune half only.
2. **Shipped TM** (``tm/articles.tmx``): for every glossary concept found in at least two
   segments, the top suggestion for its most frequent Arabic spelling must be one of the
   concept's preferred or admitted English terms.
3. **Calibration**: suggestions binned by confidence, with the share that is right in each bin
   (devset top-1 plus shipped TM top-1), for the held-out half and overall.

Run:  python bench/eval_suggest.py [--misses] [--features FILE] [--sampled N]
(``--features`` writes one TSV row of evidence per top suggestion, for fitting the calibration.)
"""

from __future__ import annotations

import argparse
import os
import zlib
from pathlib import Path

from ctlex.formats import read_segments
from ctlex.glossary import Glossary, load
from ctlex.qa import english_fold
from ctlex.suggest import AlignedSet, suggest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CTLEX_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "devsets"
BANDS = ("once", "twice", "3+")


def band(occ: int) -> str:
    return "once" if occ <= 1 else "twice" if occ == 2 else "3+"


def load_gold() -> list[tuple[str, str, int, str]]:
    """(term, expected, occurrences, half) with half = "tune" or "held-out"."""
    rows = []
    for line in (DEV / "suggest_gold.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        term, exp, occ = line.split("\t")
        rows.append((term, exp, int(occ)))
    out = []
    for b in BANDS:
        inb = sorted((r for r in rows if band(r[2]) == b), key=lambda r: (zlib.crc32(r[0].encode()), r[0]))
        out += [(t, e, o, "tune" if j % 2 == 0 else "held-out") for j, (t, e, o) in enumerate(inb)]
    return out


def devset(g: Glossary) -> list[dict]:  # type: ignore[type-arg]
    aligned = AlignedSet(read_segments(DEV / "suggest_pairs.tsv"))
    res = []
    for term, exp, occ, half in load_gold():
        r = suggest(term, aligned, g)
        top = r.top
        ok = top is not None and english_fold(top.en) == english_fold(exp)
        res.append({"set": "dev", "term": term, "expected": exp, "occ": occ, "band": band(occ), "half": half,
                    "got": top.en if top else None, "ok": ok, "top": top, "n": r.segments, "result": r,
                    "second": r.suggestions[1].en if len(r.suggestions) > 1 else None})
    return res


def shipped_concepts(g: Glossary, aligned: AlignedSet) -> dict[str, str]:
    """Concept id -> its most frequent Arabic spelling, for every concept in >= 2 segments of ``aligned``."""
    occ: dict[str, dict[str, set[int]]] = {}
    for i, src in enumerate(aligned.sources):
        for h in g.scan(src, lang="ar"):
            occ.setdefault(h.concept.id, {}).setdefault(h.term.text, set()).add(i)
    return {cid: max(terms, key=lambda t: (len(terms[t]), t))
            for cid, terms in sorted(occ.items()) if len(set().union(*terms.values())) >= 2}


def shipped(g: Glossary) -> list[dict]:  # type: ignore[type-arg]
    aligned = AlignedSet(list(read_segments(ROOT / "tm" / "articles.tmx")))
    res = []
    for cid, term in shipped_concepts(g, aligned).items():
        c = g[cid]
        r = suggest(term, aligned, g)
        accepted = {english_fold(t.text) for t in c.terms_for("en") if t.status in ("preferred", "admitted")}
        top = r.top
        ok = top is not None and english_fold(top.en) in accepted
        res.append({"set": "tm", "term": term, "expected": c.preferred("en").text, "cid": cid, "ok": ok,
                    "got": top.en if top else None, "top": top, "n": r.segments, "half": "tm"})
    return res


def pct(rows: list[dict]) -> str:  # type: ignore[type-arg]
    if not rows:
        return "   -"
    k = sum(r["ok"] for r in rows)
    return f"{k:>3}/{len(rows):<3} {k / len(rows):6.1%}"


def calibration(rows: list[dict], label: str) -> None:  # type: ignore[type-arg]
    edges = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
    print(f"\ncalibration ({label}): confidence bin -> share right")
    print(f"  {'bin':<12} {'n':>4} {'right':>6} {'mean conf':>10} {'accuracy':>9}")
    for lo, hi in zip(edges, edges[1:]):
        inb = [r for r in rows if r["top"] is not None and lo <= r["top"].confidence < hi]
        if not inb:
            continue
        k = sum(r["ok"] for r in inb)
        mc = sum(r["top"].confidence for r in inb) / len(inb)
        print(f"  {lo:.2f}-{min(hi, 1):.2f}   {len(inb):>4} {k:>6} {mc:>10.2f} {k / len(inb):>9.1%}")
    shown = [r for r in rows if r["top"] is not None and r["top"].confidence >= 0.9]
    if shown:
        print(f"  shown at >= 0.9: {sum(r['ok'] for r in shown)}/{len(shown)} right")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--features", help="write the evidence of each top suggestion to this TSV")
    ap.add_argument("--fit", action="store_true", help="fit the confidence model on the tune half and print its coefficients")
    ap.add_argument("--sampled", type=int, metavar="N",
                    help="measure the large-set alignment path: a shared sample of N segments, N of context, capped iterations")
    args = ap.parse_args()
    if args.sampled:
        from ctlex.suggest import aligned as al

        al.ALIGN_WHOLE = al.ALIGN_SHARED = al.ALIGN_CONTEXT = args.sampled
        print(f"large-set path: sets over {args.sampled} segments align a shared sample of {args.sampled} "
              f"({al.SAMPLE_ITERATIONS} iterations) and {args.sampled} segments of context per rare term")
    g = load(ROOT / "glossary" / "ctlex.tbx")
    dev = devset(g)
    tm = shipped(g)
    print(f"devset: {len(dev)} terms over {DEV / 'suggest_pairs.tsv'}")
    print(f"  {'band':<8} {'tune':>14} {'held-out':>14} {'all':>14}")
    for b in (*BANDS, "all"):
        inb = [r for r in dev if b == "all" or r["band"] == b]
        print(f"  {b:<8} {pct([r for r in inb if r['half'] == 'tune']):>14} {pct([r for r in inb if r['half'] == 'held-out']):>14} {pct(inb):>14}")
    print(f"shipped TM (tm/articles.tmx, concepts in >= 2 segments): {pct(tm)}")
    calibration([r for r in dev if r["half"] == "tune"], "devset tune half")
    calibration([r for r in dev if r["half"] == "held-out"], "devset held-out half")
    calibration(dev + tm, "devset + shipped TM")
    if args.fit:
        from ctlex.suggest.confidence import fit, fit_platt

        tune = [r for r in dev if r["half"] == "tune"]
        rows = [(s.features(), int(english_fold(s.en) == english_fold(r["expected"]))) for r in tune for s in r["result"].suggestions[:2]]
        coef = fit(rows)
        tops = [(r["top"].features(), int(r["ok"])) for r in tune if r["top"] is not None]
        print(f"\nconfidence model fitted on {len(rows)} tune-half suggestions (top-1 and top-2), "
              f"recalibrated on their {len(tops)} top-1 suggestions:")
        print("COEF = " + repr(coef))
        print("PLATT = " + repr(fit_platt(tops, coef)))
    if args.misses:
        print("\nmisses:")
        for r in dev + tm:
            if not r["ok"]:
                conf = f"{r['top'].confidence:.2f}" if r["top"] is not None else "-"
                print(f"  [{r['set']} {r.get('band', '')} {r['half']}] {r['term']} -> {r['got']!r} (want {r['expected']!r}; conf {conf}; 2nd {r.get('second')!r})")
    if args.features:
        with open(args.features, "w", encoding="utf-8") as f:
            for r in dev + tm:
                t = r["top"]
                if t is None:
                    continue
                ev = t.features()  # the confidence model's inputs
                f.write("\t".join([r["set"], r["half"], str(int(r["ok"])), *(f"{k}={v}" for k, v in ev.items())]) + "\n")


if __name__ == "__main__":
    main()
