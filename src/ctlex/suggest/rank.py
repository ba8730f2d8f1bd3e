"""Ranking English candidates for one Arabic term: :func:`suggest`."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

from .. import arabic
from .aligned import AlignedSet
from .evidence import _lexical, _llr
from .records import Suggestion, SuggestResult
from .tokens import _ACRONYM, AR_STOP, _gram, _is_capitalised, acronym_of, is_edge_word

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Glossary

_NAME_T = 0.75  # transliteration similarity that makes a term name-like
_FULL_POOL = 1500  # candidates scored in full; above this, the best by Dice


def _glossary_concept(glossary: "Glossary | None", term: str) -> "Concept | None":
    if glossary is None:
        return None
    ms = glossary.lookup(term, lang="ar", limit=1, fuzzy=False)
    return ms[0].concept if ms and ms[0].score >= 0.85 else None


def _status_of(concept: "Concept | None", surface: str) -> str | None:
    if concept is None:
        return None
    from ..qa import english_fold

    f = english_fold(surface)
    for t in concept.terms_for("en"):
        if english_fold(t.text) == f:
            return t.status
    return None


def suggest(
    term: str,
    aligned: AlignedSet,
    glossary: "Glossary | None" = None,
    *,
    limit: int = 10,
    max_n: int = 10,
    sample: int = 400,
    shortlist: int = 60,
    concept_type: str | None = None,
) -> SuggestResult:
    """Rank English renderings of the Arabic ``term`` found in ``aligned``.

    ``sample`` caps how many of the term's segments are read to *enumerate* candidates (evenly
    spaced, deterministic); the ``shortlist`` best-attested candidates are then counted exactly
    over the whole set, so a term found in 10,000 segments costs about as much as one in 400.

    Example:
        >>> from ctlex.segment import Segment
        >>> segs = [Segment("وقال يوروبول إن", "Europol said that"), Segment("أعلن اليوروبول", "Europol announced"),
        ...         Segment("قال الوزير", "The minister said"), Segment("قال الرئيس", "The president said")]
        >>> r = suggest("يوروبول", AlignedSet(segs))
        >>> r.top.en, r.top.count, r.top.examples
        ('Europol', 2, ['1', '2'])
    """
    from ..romanize import similarity

    concept = _glossary_concept(glossary, term)
    # an unknown term is matched as a name that may take the article (اليوروبول): organization
    ctype = concept_type or (concept.type if concept is not None else "organization")
    seg_ids = aligned.segments_with(term, ctype)
    names = concept is None or concept.type not in ("term", "role", "instrument", "document")
    return _rank(term, seg_ids, aligned, concept, similarity, limit=limit, max_n=max_n, sample=sample, shortlist=shortlist, names=names)


def _rank(
    term: str,
    seg_ids: list[int],
    aligned: AlignedSet,
    concept: "Concept | None",
    similarity: Any,
    *,
    limit: int,
    max_n: int,
    sample: int,
    shortlist: int,
    names: bool = True,
) -> SuggestResult:
    pref = concept.preferred("en") if concept is not None else None
    result = SuggestResult(term, len(seg_ids), [], concept.id if concept else None, pref.text if pref else None)
    n_t = len(seg_ids)
    if not n_t:
        return result
    n = len(aligned)
    read = seg_ids if n_t <= sample else [seg_ids[(j * n_t) // sample] for j in range(sample)]
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for i in read:
        tgt = aligned.targets[i]
        seen: set[str] = set()
        for chunk, keys, joins in aligned.en_chunks(i):
            start_ok = [not is_edge_word(k) for k in keys]
            end_ok = [not is_edge_word(k, at_end=True) for k in keys]
            L = len(chunk)
            for a in range(L):
                if not start_ok[a]:
                    continue
                for b in range(a, min(L, a + max_n)):
                    if not end_ok[b] or keys[b].isdigit() and a == b:
                        continue
                    k = _gram(keys, joins, a, b)
                    if k in seen:
                        continue
                    seen.add(k)
                    counts[k] += 1
                    sc = surfaces.get(k)
                    if sc is None:
                        sc = surfaces[k] = Counter()
                    sc[tgt[chunk[a][0] : chunk[b][1]]] += 1
    if not counts:
        return result
    # Shortlist by sampled count, unigram association breaking ties, then count exactly.
    top_c = counts.most_common(1)[0][1]
    floor = 1 if top_c < 3 else max(2, int(top_c * 0.15))
    pool = [k for k, c in counts.items() if c >= floor]
    cap = shortlist * 20 if n_t <= len(read) else shortlist * 3  # large terms: counts are reliable
    if len(pool) > cap:
        pool = sorted(pool, key=lambda k: (-counts[k], k))[:cap]
    tset = frozenset(seg_ids)
    cands: dict[str, Suggestion] = {}
    for k in pool:
        f = aligned.en_df(k)
        segs = aligned.en_segments(k) if n_t > len(read) else None
        c = len(segs & tset) if segs is not None else counts[k]
        dice = 2 * c / (n_t + f)
        cands[k] = Suggestion(en=_pick_surface(surfaces[k]), score=dice, count=c, examples=[], key=k, df=f, dice=dice)
    if len(cands) > _FULL_POOL:
        ranked = sorted(cands.values(), key=lambda s: (-s.dice, -s.count, s.key))[: max(shortlist, limit * 3)]
        cands = {s.key: s for s in ranked}
    qtoks = [q for q in arabic.key_text(term).split(" ") if q and q not in AR_STOP] or [term]
    lexcache: dict[str, list[float]] = {}
    for s in cands.values():
        s.lex = _lexical(s.key, qtoks, aligned, lexcache)
        s.score = math.sqrt(s.dice * s.lex)
    # Names: a transliteration-like capitalised candidate makes the term name-like.
    if names:
        for s in cands.values():
            if _is_capitalised(s.en) and len(s.key.split(" ")) <= 5 and not _ACRONYM.match(s.en) and s.dice >= 0.2:
                s.translit = similarity(term, s.en)
        result.name_like = any(s.translit >= _NAME_T for s in cands.values())
    for s in cands.values():  # a transliteration can only raise a score
        s.score = max(s.score, 0.5 * s.score + 0.5 * s.translit)
    final = sorted(cands.values(), key=lambda s: (-round(s.score, 6), -s.count, -s.translit, -round(s.lex, 6), -len(s.key), s.key))
    _link_acronyms(final)
    for s in final[:limit]:
        s.llr = round(_llr(s.count, n_t, s.df, n), 3)
        s.examples = [aligned.ids[i] for i in sorted(aligned.en_segments(s.key) & tset)[:3]]
        s.glossary = _status_of(concept, s.en)
        s.score = round(min(1.0, s.score), 4)
        s.dice = round(s.dice, 4)
        s.lex = round(s.lex, 4)
    result.suggestions = final[:limit]
    return result


def _pick_surface(c: Counter[str]) -> str:
    """Most frequent spelling; ties go to the one with more capitals, then alphabetical order."""
    return min(c.items(), key=lambda kv: (-kv[1], -sum(ch.isupper() for ch in kv[0]), kv[0]))[0]



def _link_acronyms(ranked: list[Suggestion]) -> None:
    for s in ranked:
        if not _ACRONYM.match(s.en):
            continue
        for e in ranked:
            if e is not s and " " in e.en.strip() and acronym_of(s.en, e.en):
                s.expansion = e.en
                if e.acronym is None:
                    e.acronym = s.en
                break

