"""Coverage: which names in a set of documents does the glossary not know yet?

Arabic has no capital letters, so candidate names are found by cues that reporting uses:
quoted spans (“…”, «…», "…") of up to five words, the words after a title or a naming
noun (السيد، الرئيس، وزير، منظمة، مركز…), Latin-script words, and acronyms.  A candidate is
*covered* when a glossary term overlaps it (:meth:`Glossary.scan`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any, Iterable

from .glossary import Glossary

_QUOTED = re.compile(r"[“”\"«»]\s*([^“”\"«»\n]{2,60}?)\s*[“”\"«»]")
_LATIN = re.compile(r"\b[A-Z][A-Za-z0-9&.-]{1,}(?:\s+[A-Z][A-Za-z0-9&.-]+)*\b")
_CUE = re.compile(
    r"(?:السيد|السيدة|الرئيس|رئيس|وزير|وزيرة|نائب|المتحدثة|المتحدث|منظمة|مركز|معهد|وكالة|شبكة|صحيفة|مدينة|العاصمة|برنامج|مبادرة|قرار|كتائب|تنظيم)"
    r"\s+((?:[\u0621-\u064a\u0640]+)(?:\s+[\u0621-\u064a\u0640]+)?)"
)


# Words a name never starts or ends with: a quoted span that does is the text *between* two
# quotations (”،وأضافت أن “), not a quotation.
_FUNCTION_WORDS = frozenset(
    "من إلى الى على في عن أن ان بأن لأن التي الذي الذين كما قد لقد ثم أو او و هذا هذه ذلك تلك أيضا ايضا كل بشكل مع بين عند".split()
)
# Website furniture in Latin script (rating widgets, captcha, navigation) is not terminology.
_FURNITURE = re.compile(r"^(?:(\w+) \1|Star|Next|Previous|Read Time|Minute|Second|Average Rating|Enter Security Code.*|.*Captcha.*)$")


def _plausible(cand: str) -> bool:
    words = cand.split()
    if not words or len(words) > 5 or len(cand) < 2 or not cand[0].isalnum():
        return False
    strip = lambda w: w.lstrip("وفبل") if len(w) > 3 else w  # noqa: E731 - tiny local helper
    if words[0] in _FUNCTION_WORDS or words[-1] in _FUNCTION_WORDS or strip(words[0]) in _FUNCTION_WORDS:
        return False
    return not _FURNITURE.match(" ".join(words))


def candidates(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for rx in (_QUOTED, _LATIN, _CUE):
        for m in rx.finditer(text):
            g = 1 if rx.groups else 0
            s, e = m.span(g)
            cand = text[s:e].strip()
            if _plausible(cand):
                out.append((s, e, cand))
    return out


def uncovered(glossary: Glossary, paths: Iterable[str | os.PathLike[str]]) -> dict[str, Any]:
    """Candidate names in the files at ``paths`` that no glossary term overlaps."""
    from .formats._io import read_text

    counts: Counter[str] = Counter()
    where: dict[str, tuple[str, str]] = {}
    total_hits = 0
    for p in paths:
        text = read_text(p)
        hits = glossary.scan(text)
        total_hits += len(hits)
        spans = [(h.start, h.end) for h in hits]
        for s, e, cand in candidates(text):
            if any(hs < e and s < he for hs, he in spans):
                continue
            counts[cand] += 1
            where.setdefault(cand, (os.path.basename(os.fspath(p)), text[max(0, s - 30) : e + 30].replace("\n", " ")))
    rows = [
        {"candidate": c, "count": n, "file": where[c][0], "context": where[c][1]}
        for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {"covered_hits": total_hits, "uncovered": rows}
