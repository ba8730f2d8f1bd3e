"""Recognition quality on text the glossary was not built from.

Prints precision and recall of ``scan`` and ``lookup`` on the annotated news sentences of
``shared/devsets`` (and on ``bench/devsets`` when present), trap hits, false hits per 1,000
everyday sentences, resolution numbers, and recall on the seed articles.  Asserts nothing.

Scoring follows ``shared/devsets/README.md``: a hit is correct when its concept id equals the
gold row's and the spans overlap; each gold row is matched once.  ``RESOLUTION:NNNN`` rows are
matched by a ``pattern`` hit carrying that number.  Nested hits are not scored (the gold keeps
the longest mention only).  ``related`` hits (adjectives) are left out of the score; a missed
gold row that a related hit of its concept covers is listed "(found as related)".

Run:  python bench/eval_recognition.py [--misses] [--glossary PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if row and not row[0].startswith("#")]


def hit_id(h) -> str:
    num = getattr(h, "number", None)
    if h.match == "pattern" and num is not None and h.concept.id.startswith("unscr-"):
        return f"RESOLUTION:{num}"
    return h.concept.id


UNIVERSE = ROOT / "bench" / "devsets_universe.txt"


def universe() -> set[str] | None:
    """Concept ids of the glossary the shared dev set was annotated against (241 concepts).

    Concepts added since then have no gold rows, so their hits are counted apart (unscored), and
    the nested hits under them are scored instead."""
    return set(UNIVERSE.read_text(encoding="utf-8").split()) if UNIVERSE.is_file() else None


def scored_hits(hits, known: set[str] | None, related: list | None = None):
    """Top-level hits, except that ``related`` hits (an adjective: الأوروبية) are not mentions and
    a hit of a concept outside ``known`` gives way to its nested hits.  ``related`` collects the
    related hits left out."""
    out, unscored = [], 0
    for h in hits:
        if h.match == "related":
            unscored += 1
            if related is not None:
                related.append(h)
        elif known is not None and hit_id(h) not in known and not hit_id(h).startswith("RESOLUTION:"):
            unscored += 1
            # the nested hits stand for the outer one: the longest of them, as the gold keeps
            # (a nested hit inside another nested hit, الإرهاب in تمويل الإرهاب, is no mention)
            outer = [x for x in h.nested if not any(y is not x and y.start <= x.start and x.end <= y.end
                                                    and (y.start, y.end) != (x.start, x.end) for y in h.nested)]
            sub, n = scored_hits(outer, known, related)
            out += sub
            unscored += n
        else:
            out.append(h)
    return out, unscored


def score_scan(g, sentences: dict[str, str], gold: list[list[str]], traps: list[list[str]], known: set[str] | None = None):
    by_sid: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for sid, s, e, surface, cid, *_ in gold:
        by_sid[sid].append((int(s), int(e), surface, cid))
    tp = fp = 0
    misses, false = [], []
    kinds: Counter[str] = Counter()
    res_ok = res_total = 0
    unscored = 0
    related_on_gold = 0
    for sid, text in sentences.items():
        related: list = []
        hits, n_un = scored_hits(g.scan(text), known, related)
        unscored += n_un
        rows = list(by_sid.get(sid, ()))
        used = [False] * len(rows)
        for h in hits:
            hid = hit_id(h)
            ok = False
            for k, (s, e, _, cid) in enumerate(rows):
                if not used[k] and cid == hid and h.start < e and s < h.end:
                    used[k] = ok = True
                    break
            if ok:
                tp += 1
                kinds[h.match] += 1
            else:
                fp += 1
                false.append((sid, h.text, hid, h.match))
        for k, (s, e, surface, cid) in enumerate(rows):
            if cid.startswith("RESOLUTION:") or "resolution" in cid:
                res_total += 1
                res_ok += used[k]
            if not used[k]:
                # an adjective row (أممية → united-nations) that a related hit of its concept covers:
                # still a miss of the score, which leaves every related hit out, but listed as found
                as_related = any(h.concept.id == cid and h.start < e and s < h.end for h in related)
                related_on_gold += as_related
                misses.append((sid, surface, cid, "(found as related)") if as_related else (sid, surface, cid))
    n_gold = len(gold)
    trap_hits = 0
    for sid, word, _ in traps:
        text = sentences.get(sid, "")
        for h in scored_hits(g.scan(text), known)[0]:
            if word in h.text or h.text in word:
                row_ok = any(cid == hit_id(h) and int(s) < h.end and h.start < int(e) for s2, s, e, _, cid, *_ in [r for r in gold if r[0] == sid] for _ in [0])
                if not row_ok:
                    trap_hits += 1
                    break
    return {
        "gold": n_gold, "hits": tp + fp, "tp": tp, "fp": fp,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": (n_gold - len(misses)) / n_gold if n_gold else 1.0,
        "resolutions": f"{res_ok}/{res_total}", "trap_hits": trap_hits, "traps": len(traps), "by_match": dict(kinds), "unscored": unscored, "related_on_gold": related_on_gold,
    }, misses, false


def score_lookup(g, gold: list[list[str]]):
    right = wrong = none = 0
    misses = []
    for sid, s, e, surface, cid, *_ in gold:
        res = g.lookup(surface, limit=3)
        if not res:
            none += 1
            misses.append((sid, surface, cid, "no match"))
            continue
        got = res[0].concept.id
        if got.startswith("unscr-") and getattr(res[0], "number", None) is not None:
            got = f"RESOLUTION:{res[0].number}"
        if got == cid:
            right += 1
        else:
            wrong += 1
            misses.append((sid, surface, cid, f"{got} ({res[0].match})"))
    n = len(gold)
    return {"queries": n, "precision": right / (right + wrong) if right + wrong else 1.0, "recall": right / n if n else 1.0}, misses


def everyday(g, path: Path) -> tuple[int, int, list]:
    rows = read_tsv(path)
    false = []
    for sid, text, *_ in rows:
        for h in scored_hits(g.scan(text), universe())[0]:
            false.append((sid, h.text, h.concept.id, h.match))
    return len(rows), len(false), false


def seeds_recall(g) -> tuple[int, int]:
    """Every occurrence of every Arabic glossary term in the seeds is covered by a hit of its concept.

    A line counts a term when its key form stands there as whole words; a one-word nisba-shaped
    term right after a definite noun (المقاتلين الإرهابيين) is an adjective there, not counted."""
    from ctlex import arabic

    found = total = 0
    # adjectives are reported as *related*, not as their place; an exclusion context vetoes on purpose
    terms = [(arabic.key_text(t.text), c.id, [arabic.key_text(x) for x in t.exclude]) for c in g for t in c.terms if t.lang == "ar" and t.pos != "adjective"]
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            k = " " + arabic.key_text(line) + " "
            present = {cid for tk, cid, ex in terms if tk and f" {tk} " in k and not any(x in k for x in ex)
                       and not all(_adjectival_at(k, i, tk) for i in _starts(k, f" {tk} "))}
            if not present:
                continue
            hit_ids = {h.concept.id for top in g.scan(line) for h in top.walk()} | {a for top in g.scan(line) for h in top.walk() for a in h.alternatives}
            total += len(present)
            found += len(present & hit_ids)
    return found, total


def _adjectival_at(k: str, i: int, word: str) -> bool:
    """Is the one-word, nisba-shaped ``word`` at ``k[i:]`` right after a definite word?"""
    if " " in word or not word.startswith("ال") or not word.endswith(("ي", "يه", "يين", "يون", "يات")):
        return False
    j = k.rfind(" ", 0, i - 1) + 1
    return k[j : i - 1].startswith("ال")


def _starts(text: str, sub: str) -> list[int]:
    """Start offsets of the word ``sub`` (padded with spaces) in ``text``, past its leading space."""
    out, i = [], text.find(sub)
    while i != -1:
        out.append(i + 1)
        i = text.find(sub, i + 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list every miss and false hit")
    ap.add_argument("--glossary")
    args = ap.parse_args()
    from ctlex.glossary import load

    g = load(args.glossary)
    sets = [("shared/devsets", SHARED / "devsets", "recognition_ar.tsv", "recognition_gold.tsv", "recognition_traps.tsv"),
            ("bench/devsets", ROOT / "bench" / "devsets", "news_ar.tsv", "news_gold.tsv", "news_traps.tsv")]
    t0 = time.perf_counter()
    for name, d, a, gd, tr in sets:
        if not (d / a).is_file():
            continue
        sentences = {r[0]: r[1] for r in read_tsv(d / a)}
        gold = read_tsv(d / gd)
        traps = read_tsv(d / tr) if (d / tr).is_file() else []
        sc, misses, false = score_scan(g, sentences, gold, traps, universe())
        lk, lmisses = score_lookup(g, gold)
        print(f"{name}: {len(sentences)} sentences, {sc['gold']} gold mentions")
        print(f"  scan    precision {sc['precision']:.3f}  recall {sc['recall']:.3f}  ({sc['tp']} right, {sc['fp']} false, {len(misses)} missed)")
        print(f"          resolutions right {sc['resolutions']}; trap words tagged {sc['trap_hits']}/{sc['traps']}; by match kind {sc['by_match']}")
        print(f"          unscored: {sc['unscored']} related (adjective) hits or hits of concepts added after the annotation;"
              f" {sc['related_on_gold']} missed gold rows are covered by a related hit of their concept")
        print(f"  lookup  precision {lk['precision']:.3f}  recall {lk['recall']:.3f}  (top-1 of each gold surface)")
        if args.misses:
            for m in misses:
                print("    scan miss ", *m, sep="\t")
            for f in false:
                print("    scan false", *f, sep="\t")
            for m in lmisses:
                print("    lookup miss", *m, sep="\t")
    ev = ROOT / "bench" / "devsets" / "everyday_ar.tsv"
    if ev.is_file():
        n, k, false = everyday(g, ev)
        print(f"everyday Arabic: {n} sentences, {k} false hits = {1000 * k / n:.2f} per 1,000 sentences")
        if args.misses:
            for f in false:
                print("    everyday false", *f, sep="\t")
    f, t = seeds_recall(g)
    print(f"seeds: {f}/{t} term occurrences covered (recall {f / t:.3f})")
    print(f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
