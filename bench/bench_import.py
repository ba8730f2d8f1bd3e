"""Import figures for issue 14: what an import changes that it must not, and the bad-input corpus.

Prints figures; asserts nothing (the tests do).  Run:  python bench/bench_import.py

* a TBX without statuses (the shipped glossary with every administrativeStatus removed except
  deprecated, which forbidden terms need) merged with ``prefer="theirs"``: concepts changed and
  concepts that lost a preferred term (both must be 0);
* translate-toolkit's ``csv2tbx`` output for the glossary's preferred pairs (languages relabelled
  ar/en, ids are the Arabic terms): read or refused, and the same two counts;
* ``polib`` re-save of the shipped PO (comments re-wrapped at 78 columns): concepts changed;
* the bad-input corpus (tests/bad_corpus.py): size, and time through the CLI, against the time of
  importing the good TBX the same number of times (the baseline, measured in the same run).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ctlex import formats
from ctlex.cli import cli
from ctlex.merge import merge

ROOT = Path(__file__).resolve().parents[1]
TBX, PO = ROOT / "glossary" / "ctlex.tbx", ROOT / "glossary" / "ctlex.po"


def _snap(g: Any) -> dict[str, list[tuple[str, str, str]]]:
    return {c.id: [(t.lang, t.text, t.status) for t in c.terms] for c in g}


def _damage(before: dict, after: dict) -> tuple[int, int]:
    changed = sum(before[c] != after.get(c) for c in before)
    lost = sum(1 for c in before if {(lg, t) for lg, t, s in before[c] if s == "preferred"}
               - {(lg, t) for lg, t, s in after.get(c, []) if s == "preferred"})
    return changed, lost


def _merge_theirs(path: Path) -> tuple[int, int, int]:
    inc = formats.read_glossary(path)
    base = formats.read_glossary(TBX)
    before = _snap(base)
    merge(base, inc, prefer="theirs")
    return (len(inc), *_damage(before, _snap(base)))


def main() -> None:
    d = Path(tempfile.mkdtemp())
    bare = d / "bare.tbx"
    bare.write_text(re.sub(r'\s*<termNote type="administrativeStatus">(?!deprecated)[^<]*</termNote>', "",
                           TBX.read_text(encoding="utf-8")), encoding="utf-8")
    n, changed, lost = _merge_theirs(bare)
    print(f"status-less TBX, prefer theirs: {n} concepts read, {changed} changed, {lost} lost a preferred term")

    if shutil.which("csv2tbx"):
        g = formats.read_glossary(TBX)
        pairs = [(c.preferred("ar").text, c.preferred("en").text) for c in g if c.preferred("ar") and c.preferred("en")]  # type: ignore[union-attr]
        with open(d / "pairs.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["source", "target"])
            w.writerows(pairs)
        subprocess.run(["csv2tbx", str(d / "pairs.csv"), str(d / "c.tbx")], check=True, capture_output=True)
        text = (d / "c.tbx").read_text(encoding="utf-8").replace('xml:lang="en"', 'xml:lang="ar"').replace('xml:lang="xx"', 'xml:lang="en"')
        (d / "c2.tbx").write_text(text, encoding="utf-8")
        rep = formats.ReadReport(d / "c2.tbx")
        formats.read_glossary(d / "c2.tbx", report=rep)
        n, changed, lost = _merge_theirs(d / "c2.tbx")
        print(f"csv2tbx output, prefer theirs: {n} concepts read ({sum('not a valid XML id' in w.message for w in rep.warnings)} ids derived), {changed} changed, {lost} lost a preferred term")

    try:
        import polib
    except ImportError:  # pragma: no cover
        polib = None
    if polib is not None:
        polib.pofile(str(PO)).save(str(d / "resaved.po"))
        a, b = formats.read_glossary(PO), formats.read_glossary(d / "resaved.po")
        print(f"polib re-save: {len(a)} concepts, {sum(1 for c in a if b.get(c.id) != c)} changed")

    sys.path.insert(0, str(ROOT / "tests"))
    from bad_corpus import cases

    t0 = time.perf_counter()
    corpus = cases()
    gen = time.perf_counter() - t0
    runner = CliRunner()
    t0 = time.perf_counter()
    for i, c in enumerate(corpus):
        p = d / f"bad{i}-{c.filename}"
        p.write_bytes(c.data)
        argv = (["import", str(p), "--into", str(d / "o.tbx")] if c.kind == "glossary"
                else ["export", "--format", "tmx", "-o", str(d / "o.tmx"), "--tm", str(p)])
        runner.invoke(cli, argv)
    bad = time.perf_counter() - t0
    reps = 5
    t0 = time.perf_counter()
    for _ in range(reps):
        runner.invoke(cli, ["import", str(TBX), "--dry-run", "--into", str(d / "base.tbx")])
    good = (time.perf_counter() - t0) / reps
    each = bad / len(corpus)
    print(f"bad-input corpus: {len(corpus)} cases, generated in {gen:.2f}s, through the CLI in {bad:.2f}s "
          f"({each * 1000:.1f} ms each; one import of the good 264-concept glossary: {good * 1000:.0f} ms, "
          f"ratio {each / good:.3f})")


if __name__ == "__main__":
    main()
