"""How far a reviewer can trust ``ctlex check`` (prints figures; not a test).

On ``../shared/devsets/`` (see its README):

* false-alarm segments on ``pairs_professional.tsv`` (270 correct pairs): segments with an issue at
  ``warning`` or above, and, for information, with any issue at all;
* planted errors on ``pairs_with_errors.tsv``: per ``error_kind``, how many are caught *with the
  right kind* (wrong-body → missing-term, misspelt-name → misspelt-term,
  wrong-resolution-number → number-mismatch, the others by their own name), and false alarms on its
  66 untouched rows;
* whether ``tm/articles.tmx`` is clean (no issue at warning or above);
* the time to check 10,000 segments (recombined from the TM, as in ``bench_suggest_qa.py``),
  against the implementation before the QA package (``src/ctlex/qa.py`` at ``--baseline``, read
  from git and timed in the same run), as a ratio.

Run:  python bench/bench_check.py [--segments 10000] [--baseline 6e8d101] [-v]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CTLEX_SHARED", ROOT.parent / "shared"))
RIGHT_KIND = {"wrong-body": "missing-term", "misspelt-name": "misspelt-term", "wrong-resolution-number": "number-mismatch"}


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Devset TSV: a ``#``-prefixed header, tab-separated, no quoting."""
    lines = path.read_text(encoding="utf-8").split("\n")
    head = lines[0].lstrip("#").split("\t")
    return [dict(zip(head, ln.split("\t"))) for ln in lines[1:] if ln.strip()]


def segments(rows: list[dict[str, str]]) -> list:  # type: ignore[type-arg]
    from ctlex.segment import Segment

    return [Segment(r["arabic"], r["english"], id=r["pid"]) for r in rows]


def devset_figures(glossary, verbose: bool = False, devsets: Path | None = None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The measured figures as a dict (also used by the tests)."""
    from ctlex.qa import check

    d = devsets or SHARED / "devsets"
    out: dict[str, object] = {}
    pro = read_tsv(d / "pairs_professional.tsv")
    rep = check(segments(pro), glossary)
    warn = rep.flagged_segments("warning")
    anyi = rep.flagged_segments("info")
    from ctlex.arabic import key_text

    traps: dict[str, list[str]] = {}  # "019" (r019 = p019) -> trap words
    for t in read_tsv(d / "recognition_traps.tsv"):
        traps.setdefault(t["sid"][1:], []).append(key_text(t["trap_word"]))

    def on_trap(i) -> bool:  # type: ignore[no-untyped-def]
        words = traps.get(pro[i.index]["pid"][1:], [])
        k = key_text(i.source_term or "")
        return bool(k) and any(w in k or k in w for w in words)

    trap_fa = {n for n in warn if all(on_trap(i) for i in rep.issues if i.index == n and i.severity != "info")}
    out["professional"] = len(pro)
    out["professional_flagged"] = len(warn)
    out["professional_flagged_traps"] = len(trap_fa)  # on sentences of the recognition traps file
    out["professional_flagged_pids"] = sorted(pro[n]["pid"] for n in warn)
    out["professional_flagged_own"] = sorted(pro[n]["pid"] for n in warn - trap_fa)
    out["professional_flagged_any"] = len(anyi)
    if verbose:
        for i in rep.issues:
            if i.severity != "info":
                print(f"  FA {i.segment} {i.kind} {i.concept} {i.message}")
    err = read_tsv(d / "pairs_with_errors.tsv")
    rep = check(segments(err), glossary)
    by_seg: dict[int, list] = {}  # type: ignore[type-arg]
    for i in rep.issues:
        by_seg.setdefault(i.index, []).append(i)
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    untouched_fa = 0
    missed: list[str] = []
    not_recognised: list[str] = []  # the planted error's concept is not among the scan's hits
    glossary_gap: list[str] = []  # the planted deprecated term is not recorded as deprecated
    deprecated = {t.text.lower() for c in glossary for t in c.terms_for("en") if t.status == "deprecated" or t.usage == "forbidden"}
    for n, r in enumerate(err):
        kind = r["error_kind"]
        found = [i for i in by_seg.get(n, []) if i.severity != "info"]
        if kind == "none":
            untouched_fa += bool(found)
            continue
        total[kind] += 1
        want = RIGHT_KIND.get(kind, kind)
        if any(i.kind == want for i in found):
            caught[kind] += 1
            continue
        missed.append(f"{r['pid']} {kind}: {r['error_detail']} -> {[(i.kind, i.concept) for i in found]}")
        cid = r["error_detail"].split(":", 1)[0].strip()
        quoted = re.findall(r"'([^']+)'", r["error_detail"])
        if kind == "deprecated-term" and quoted and not any(q.lower() in deprecated for q in quoted):
            glossary_gap.append(r["pid"])
        elif cid in glossary and cid not in {h.concept.id for h in glossary.scan(r["arabic"], lang="ar")}:
            not_recognised.append(r["pid"])
    out["planted"] = {k: (caught[k], total[k]) for k in sorted(total)}
    out["planted_caught"] = sum(caught.values())
    out["planted_total"] = sum(total.values())
    out["untouched"] = sum(1 for r in err if r["error_kind"] == "none")
    out["untouched_flagged"] = untouched_fa
    out["missed"] = missed
    out["not_recognised"] = not_recognised
    out["glossary_gap"] = glossary_gap
    return out


def mutate(segments: list, glossary, seed: int = 5) -> list[tuple[object, str]]:  # type: ignore[type-arg, no-untyped-def]
    """Our own planted-error set: each TM segment with at most one error, and the issue kind expected.

    Kinds, in turn: a digit of a number changed (number-mismatch); a body's name replaced by
    another body's (missing-term); a person's name misspelt by one letter (misspelt-term); a
    term left out (missing-term).  Segments where the planned mutation has nothing to act on are
    left out.
    """
    import random

    from ctlex.qa.markup import prepare
    from ctlex.qa.renderings import find, find_all, fold, renderings
    from ctlex.segment import Segment

    rnd = random.Random(seed)
    orgs = [c for c in glossary if c.type == "organization" and c.preferred("en")]
    out: list[tuple[object, str]] = []
    for n, seg in enumerate(segments):
        src, tgt = seg.source, seg.target
        if not src or not tgt:
            continue
        plan = ("number", "body", "name", "omit")[n % 4]
        new = None
        if plan == "number":
            ms = [m for m in re.finditer(r"\d{2,}", tgt)]
            if ms:
                m = rnd.choice(ms)
                d = m.group(0)
                i = rnd.randrange(len(d))
                repl = d[:i] + str((int(d[i]) + rnd.randint(1, 8)) % 10) + d[i + 1 :]
                if repl[0] != "0":
                    new, kind = tgt[: m.start()] + repl + tgt[m.end() :], "number-mismatch"
        else:
            p = prepare(tgt, english=True)
            f = fold(p)
            hits = {h.concept.id: h for h in glossary.scan(src, lang="ar")}
            for h in hits.values():
                c = h.concept
                want = {"body": "organization", "name": "person", "omit": "term"}[plan]
                if c.type != want:
                    continue
                t = c.preferred("en")
                sp = find(t.text, p, f) if t else None
                if not sp:
                    continue
                # only a concept rendered once in the segment: otherwise the error is not an error
                spans = {x for r in renderings(c) for x in find_all(r.text, p, f)}
                if len({x for x in spans if not (x[1] <= sp[0] or sp[1] <= x[0])}) != len(spans):
                    continue
                s0, e0 = sp
                if plan == "body":
                    other = rnd.choice([o for o in orgs if o.id not in hits])
                    new, kind = tgt[:s0] + other.preferred("en").text + tgt[e0:], "missing-term"
                elif plan == "name":
                    word = tgt[s0:e0]
                    i = rnd.randrange(2, max(3, len(word) - 1))
                    if word[i].isalpha():
                        new, kind = tgt[:s0] + word[:i] + word[i + 1 :] + tgt[e0:], "misspelt-term"
                else:
                    new, kind = (tgt[:s0] + tgt[e0:]).replace("  ", " "), "missing-term"
                break
        if new is not None and new != tgt:
            out.append((Segment(src, new, id=seg.id), kind))
    return out


def mutation_figures(glossary) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Per expected kind: (caught with that kind, planted) on :func:`mutate` of tm/articles.tmx."""
    from ctlex.formats import read_segments
    from ctlex.qa import check

    segs = list(read_segments(ROOT / "tm" / "articles.tmx"))
    planted = mutate(segs, glossary)
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for seg, kind in planted:  # one at a time: consistency across the file is not what is measured
        total[kind] += 1
        rep = check([seg], glossary)
        caught[kind] += any(i.kind == kind and i.severity != "info" for i in rep.issues)
    return {k: (caught[k], total[k]) for k in sorted(total)}


def load_baseline(commit: str):  # type: ignore[no-untyped-def]
    """The single-module qa.py of ``commit``, imported as ``ctlex._qa_baseline`` (None if unavailable)."""
    try:
        code = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:src/ctlex/qa.py"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    import ctlex

    d = tempfile.mkdtemp()
    path = Path(d) / "_qa_baseline.py"
    path.write_bytes(code)
    spec = importlib.util.spec_from_file_location("ctlex._qa_baseline", path, submodule_search_locations=None)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "ctlex"
    sys.modules["ctlex._qa_baseline"] = mod
    spec.loader.exec_module(mod)
    _ = ctlex
    return mod


def timed(fn, *a, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    res = fn(*a, **kw)
    return res, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=10_000)
    ap.add_argument("--baseline", default="6e8d101", help="commit whose src/ctlex/qa.py is the baseline")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_suggest_qa import recombine

    from ctlex.formats import read_segments
    from ctlex.glossary import load
    from ctlex.qa import check, check_file

    g = load(ROOT / "glossary" / "ctlex.tbx")
    f = devset_figures(g, args.verbose)
    pro, flagged = f["professional"], f["professional_flagged"]
    print(f"professional pairs: {flagged}/{pro} segments flagged at warning+ ({100 * flagged / pro:.1f}%; target <= 1%); "  # type: ignore[operator]
          f"{f['professional_flagged_any']} with any issue, info included")
    print(f"    of which only on words of the recognition traps file: {f['professional_flagged_traps']} "
          f"({' '.join(p for p in f['professional_flagged_pids'] if p not in f['professional_flagged_own'])}); "  # type: ignore[attr-defined]
          f"QA's own: {len(f['professional_flagged_own'])} = {100 * len(f['professional_flagged_own']) / pro:.1f}% "  # type: ignore[arg-type, operator]
          f"({' '.join(f['professional_flagged_own'])})")  # type: ignore[arg-type]
    print(f"planted errors caught with the right kind: {f['planted_caught']}/{f['planted_total']} "
          f"({100 * f['planted_caught'] / f['planted_total']:.0f}%; target >= 95%)")  # type: ignore[operator]
    for k, (c, t) in f["planted"].items():  # type: ignore[attr-defined]
        print(f"    {k:<26} {c}/{t}")
    gap, rec = f["glossary_gap"], f["not_recognised"]
    judged = f["planted_total"] - len(gap) - len(rec)  # type: ignore[operator, arg-type]
    print(f"    missed because recognition misses the source term: {len(rec)} ({' '.join(rec)})")  # type: ignore[arg-type]
    print(f"    missed because of a glossary gap (deprecated term not recorded): {len(gap)} ({' '.join(gap)})")  # type: ignore[arg-type]
    print(f"    caught among the {judged} the glossary and recognition support: {f['planted_caught']}/{judged} "
          f"({100 * f['planted_caught'] / judged:.0f}%)")  # type: ignore[operator]
    print(f"untouched rows of pairs_with_errors.tsv flagged: {f['untouched_flagged']}/{f['untouched']}")
    if args.verbose:
        for m in f["missed"]:  # type: ignore[attr-defined]
            print("  missed", m)
    tm = check_file(ROOT / "tm" / "articles.tmx", g)
    print(f"tm/articles.tmx: {'clean' if not tm.fails('warning') else 'NOT clean'} ({tm.segments} segments, "
          f"{len(tm.issues)} info issues)" if not tm.fails("warning") else f"tm/articles.tmx: NOT clean: {tm.counts()}")

    for k, (c, t) in mutation_figures(g).items():
        print(f"own planted errors in tm/articles.tmx, {k:<16} {c}/{t} caught with the right kind")

    base = [(s.source, s.target) for s in read_segments(ROOT / "tm" / "articles.tmx") if s.source and s.target]
    segs = recombine(base, args.segments, seed=11)
    check(segs[:20], g)  # warm caches and compiled patterns for both, fairly
    old = load_baseline(args.baseline)
    if old is not None:
        old.check(segs[:20], g)
    rep, dt = timed(check, segs, g)
    print(f"check {len(segs):,} segments: {dt:.2f} s ({len(rep.issues):,} issues; target < 3 s)")
    if old is not None:
        orep, odt = timed(old.check, segs, g)
        print(f"baseline ({args.baseline}) in the same run: {odt:.2f} s ({len(orep.issues):,} issues); ratio new/old = {dt / odt:.2f}")
    else:
        print("baseline not available (no git history): ratio not measured")


if __name__ == "__main__":
    main()
