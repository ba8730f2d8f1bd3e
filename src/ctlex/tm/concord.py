"""Concordance: segments containing a phrase, located in the original text (clitic-aware)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import arabic
from .keys import TARGET, search_key
from .postings import doc_freq, posting_ids
from .records import ConcordanceHit

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from ..glossary import Glossary

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def _clitic_forms(word: str) -> set[str]:
    """Key-level spellings of ``word`` with proclitics (و ف, ب ك ل, ال, لل), each confirmed by
    :func:`ctlex.arabic.clitic_candidates` so no form is invented.

    >>> {"وليوروبول", "لليوروبول", "اليوروبول"} <= _clitic_forms("يوروبول")
    True
    """
    if not arabic.is_arabic(word):
        return {word}
    stem = word[2:] if word.startswith("ال") and len(word) - 2 >= 3 else word
    forms = {word}
    for conj in _CONJ:
        for prep in _PREP:
            forms.add(conj + prep + stem)
            forms.add(conj + ("لل" if prep == "ل" else prep + "ال") + stem)
    return {f for f in forms if f == word or stem in arabic.clitic_candidates(f)}


def _find_phrase(text: str, variants: list[set[str]]) -> list[tuple[int, int]]:
    norm = arabic.key(text)
    toks = arabic.tokenize(norm.text)
    n = len(variants)
    spans = []
    i = 0
    while i + n <= len(toks):
        if all(toks[i + j][2] in variants[j] for j in range(n)):
            spans.append(norm.span(toks[i][0], toks[i + n - 1][1]))
            i += n
        else:
            i += 1
    return spans


def _concepts_of(glossary: "Glossary | None", phrase: str) -> set[str]:
    if glossary is None:
        return set()
    return {m.concept.id for m in glossary.lookup(phrase, limit=3, fuzzy=False)}


def concordance(db: "sqlite3.Connection", phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
    """Segments containing ``phrase`` on either side, with the phrase located in the original.

    Arabic phrases are looked up on the source side, normalization- and clitic-aware (searching
    يوروبول finds وليوروبول and لليوروبول; a query word that carries a clitic itself, such as
    بالإنتربول, falls back to its stem); anything else on the target side, case-insensitive.
    With ``glossary``, the glossary equivalent of the phrase is marked in the counterpart.

    Example:
        >>> from ctlex.segment import Segment
        >>> from ctlex.tm import Store
        >>> s = Store(":memory:")
        >>> _ = s.add([Segment("التعاون مع وليوروبول", "cooperation with Europol")])
        >>> h = concordance(s.db, "يوروبول")[0]
        >>> h.text[h.spans[0][0]:h.spans[0][1]]
        'وليوروبول'
    """
    pkey = search_key(phrase)
    words = pkey.split()
    if not words:
        return []
    side = "source" if arabic.is_arabic(phrase) else "target"
    prefix = "" if side == "source" else TARGET
    variants: list[set[str]] = []
    for w in words:
        forms = _clitic_forms(w) if side == "source" else {w}
        found = set(doc_freq(db, [prefix + f for f in sorted(forms)]))
        if not found and side == "source":  # the query itself carries a clitic (بالإنتربول)
            for stem in arabic.clitic_candidates(w)[1:]:
                forms |= _clitic_forms(stem)
            found = set(doc_freq(db, [prefix + f for f in sorted(forms)]))
        variants.append({f[len(prefix):] for f in found})
    if any(not v for v in variants):
        return []
    ids: set[int] | None = None
    for v in sorted(variants, key=len):
        s: set[int] = set()
        for f in v:
            s.update(posting_ids(db, prefix + f))
        ids = s if ids is None else ids & s
        if not ids:
            return []
    assert ids is not None
    counterpart_concepts = _concepts_of(glossary, phrase)
    out: list[ConcordanceHit] = []
    for i in range(0, len(ids), 900):
        part = sorted(ids)[i : i + 900]
        q = f"SELECT id, source, target, origin FROM segment WHERE id IN ({','.join('?' * len(part))}) ORDER BY id"
        for rid, src, tgt, origin in db.execute(q, part):
            text = src if side == "source" else tgt
            spans = _find_phrase(text, variants)
            if not spans:
                continue
            hit = ConcordanceHit(rid, src, tgt, origin, side, spans)
            if counterpart_concepts and glossary is not None:
                other = tgt if side == "source" else src
                hit.counterpart_spans = [(h.start, h.end) for h in glossary.scan(other) if h.concept.id in counterpart_concepts]
            out.append(hit)
            if len(out) >= limit:
                return out
    return out
