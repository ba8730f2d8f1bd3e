"""Suggestion accuracy on the shipped aligned articles (the evaluation of issue 6).

For every glossary concept that occurs in at least two segments of tm/articles.tmx, suggest an
English rendering for its most frequent Arabic spelling and check that the top suggestion is one
of the concept's preferred or admitted English terms.  Prints the accuracy and every miss.
"""

from __future__ import annotations

from pathlib import Path

from ctlex.formats import read_segments
from ctlex.glossary import load
from ctlex.qa import english_fold
from ctlex.suggest import AlignedSet, suggest

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    g = load(ROOT / "glossary" / "ctlex.tbx")
    aligned = AlignedSet(list(read_segments(ROOT / "tm" / "articles.tmx")))
    occ: dict[str, dict[str, set[int]]] = {}
    for i, src in enumerate(aligned.sources):
        for h in g.scan(src, lang="ar"):
            occ.setdefault(h.concept.id, {}).setdefault(h.term.text, set()).add(i)
    occ = {c: t for c, t in occ.items() if len(set().union(*t.values())) >= 2}
    ok, misses = 0, []
    for cid, terms in sorted(occ.items()):
        c = g[cid]
        term = max(terms, key=lambda t: (len(terms[t]), t))
        r = suggest(term, aligned, g)
        accepted = {english_fold(t.text) for t in c.terms_for("en") if t.status in ("preferred", "admitted")}
        if r.top is not None and english_fold(r.top.en) in accepted:
            ok += 1
        else:
            misses.append((cid, term, r.top.en if r.top else None, c.preferred("en").text))
    print(f"top-1 accuracy: {ok}/{len(occ)} = {ok / len(occ):.1%} (concepts in >= 2 of {len(aligned.sources)} segments)")
    for cid, term, got, want in misses:
        print(f"  miss {cid}: {term} -> {got!r} (glossary: {want!r})")


if __name__ == "__main__":
    main()
