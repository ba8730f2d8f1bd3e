"""Ranking English candidates for one Arabic term: :func:`suggest`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .. import arabic
from .aligned import AlignedSet, even_sample
from .confidence import TIE, confidence, features
from .evidence import _lexical, _llr
from .records import Suggestion, SuggestResult
from .tokens import _ACRONYM, AR_STOP, EN_STOP, _is_capitalised, acronym_of, is_edge_word

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Glossary

_NAME_T = 0.75  # transliteration similarity that makes a term name-like
_FULL_POOL = 1500  # candidates scored in full; above this, the best by Dice
_GLOSSARY_TIE = 0.1  # a glossary term this close to the top wins
_GLOSSARY_POOL = 30  # candidates searched for glossary terms
_NOT_NAME = 0.85  # a name's rendering loses this share per lower-case word it holds ("inspector Scott Ritter")
_PARTICLES = frozenset("al el bin ibn bint abu de du da di van von der la le".split())
_CONTAIN = 0.8  # a longer candidate must occur in this share of the shorter one's segments
_SUPPORT = 0.3  # link weight that makes an added word part of the term (5 of the 16 votes of a small set)
_MIN_LINK = 1 / 6  # a link made by fewer aligner runs × directions is noise
_ALIGN_SAMPLE = 60  # term segments whose word links are read


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
    positions = {i: {p for a, b in aligned.term_spans(term, ctype, i) for p in range(a, b)} for i in seg_ids}
    return _rank(term, seg_ids, aligned, concept, similarity, limit=limit, max_n=max_n, sample=sample, shortlist=shortlist, names=names,
                 glossary=glossary, positions=positions)


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
    glossary: "Glossary | None" = None,
    positions: dict[int, set[int]] | None = None,
    align_sample: int = _ALIGN_SAMPLE,
) -> SuggestResult:
    pref = concept.preferred("en") if concept is not None else None
    result = SuggestResult(term, len(seg_ids), [], concept.id if concept else None, pref.text if pref else None)
    n_t = len(seg_ids)
    if not n_t:
        return result
    n = len(aligned)
    read = even_sample(seg_ids, sample)
    counts: dict[str, int] = {}  # plain dicts: a Counter's missing-key path is a Python call per new gram
    surfaces: dict[str, dict[str, int]] = {}
    aseg = aligned.align_choice(seg_ids, read, align_sample)
    rset = set(read)
    edge_memo: dict[str, tuple[bool, bool]] = {}

    def edge(k: str) -> tuple[bool, bool]:
        e = edge_memo.get(k)
        if e is None:
            e = edge_memo[k] = (is_edge_word(k), is_edge_word(k, at_end=True))
        return e

    occ: dict[int, dict[str, list[tuple[int, ...]]]] = {i: {} for i in aseg}  # segment -> key -> content positions
    for i in read + [i for i in aseg if i not in rset]:  # a large set's aligned segments need not be among those read
        counted = i in rset
        occ_i = occ.get(i)
        tgt = aligned.targets[i]
        seen: set[str] = set()
        off = 0
        for chunk, keys, joins in aligned.en_chunks(i):
            edges = [edge(k) for k in keys]  # (may not start, may not end) a candidate
            L = len(chunk)
            for a in range(L):
                if edges[a][0]:
                    continue
                k = ""
                content: list[int] = []
                for b in range(a, min(L, a + max_n)):  # the gram a..b grown one token at a time (= _gram)
                    kb = keys[b]
                    k = kb if b == a else k + joins[b] + kb
                    if kb not in EN_STOP:
                        content.append(off + b)
                    if edges[b][1] or a == b and kb.isdigit():
                        continue
                    if occ_i is not None:
                        occ_i.setdefault(k, []).append(tuple(content))
                    if k in seen or not counted:
                        continue
                    seen.add(k)
                    counts[k] = counts.get(k, 0) + 1
                    surface = tgt[chunk[a][0] : chunk[b][1]]
                    sc = surfaces.get(k)
                    if sc is None:
                        surfaces[k] = {surface: 1}
                    else:
                        sc[surface] = sc.get(surface, 0) + 1
            off += L
    if not counts:
        return result
    # Shortlist by sampled count, unigram association breaking ties, then count exactly.
    top_c = max(counts.values())
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
            if _is_capitalised(s.en) and len(s.key.split(" ")) <= 5 and (len(s.en) >= 4 or not _ACRONYM.match(s.en)) and s.dice >= 0.2:
                s.translit = similarity(term, s.en)
        result.name_like = any(s.translit >= _NAME_T for s in cands.values())
    for s in cands.values():
        if result.name_like:  # a name is rendered by a name: its transliteration counts as much as co-occurrence
            s.score = (0.5 * s.score + 0.5 * s.translit) * _NOT_NAME ** _lower_words(s.en)
        else:  # a transliteration can only raise a score
            s.score = max(s.score, 0.5 * s.score + 0.5 * s.translit)
    # Word alignment: how much of what the term's words link to the candidate covers (recall) and
    # how much of the candidate those links explain (precision); words explained by other
    # glossary terms or by the rest of the sentence count against it (competitive linking).
    ev = _alignment_evidence(term, aseg, aligned, concept, glossary, positions, qtoks)
    if ev is not None:
        result.alignment = aligned.align_method
        for s in cands.values():
            s.align, s.links, s.foreign = _align_score(s.key, aseg, occ, ev)
            # a name written out letter for letter is linked by its spelling, whatever one
            # sampled alignment of a few segments says (eflomal can link يوروبول to the Eurojust
            # beside it): a name-like candidate's transliteration stands in for missing links
            linked = max(s.align, s.translit) if result.name_like and s.translit >= _NAME_T else s.align
            s.score = max(0.0, 0.5 * s.score + 0.5 * linked - 0.25 * s.foreign)
    else:
        result.alignment = "none"
        result.alignment_note = aligned.align_reason
    zipf = _zipf()
    final = sorted(cands.values(), key=lambda s: (-round(s.score, 3), -round(s.align, 3), -s.count, -round(s.translit, 3),
                                                   zipf(s.key), -len(s.key.split(" ")), s.key))
    if ev is not None and final:
        _complete(final, aseg, occ, ev, term)
    _link_acronyms(final)
    head = final[: max(limit, _GLOSSARY_POOL)]
    for s in head:
        s.glossary = _status_of(concept, s.en)
    _glossary_ties(head, result)
    scores = [s.score for s in head]
    for j, s in enumerate(head[:limit]):
        s.llr = round(_llr(s.count, n_t, s.df, n), 3)
        s.examples = [aligned.ids[i] for i in sorted(aligned.en_segments(s.key) & tset)[:3]]
        others = scores[:j] + scores[j + 1 :]
        margin = s.score - max(others) if others else s.score
        tied = abs(margin) < TIE and not s.glossary_tie
        s.tied = tied
        s.evidence = features(min(1.0, s.score), margin, n_t, s.align, s.translit, s.glossary in ("preferred", "admitted"))
        s.confidence = confidence(s.evidence, tied=tied)
        s.score = round(min(1.0, s.score), 4)
        s.dice = round(s.dice, 4)
        s.lex = round(s.lex, 4)
        s.align = round(s.align, 4)
        s.translit = round(s.translit, 4)
        s.links = round(s.links, 2)
    result.suggestions = head[:limit]
    _usage_note(result, aligned, tset, concept)
    return result


def _glossary_ties(ranked: list[Suggestion], result: SuggestResult) -> None:
    """The glossary wins ties: a preferred or admitted term within :data:`_GLOSSARY_TIE` of the top goes first.

    Preferred beats admitted; the winner is marked ``glossary_tie`` when the glossary decided: it
    was not first, or the runner-up ties with it.
    """
    if not ranked:
        return
    top = ranked[0].score
    best = None
    for s in ranked:
        if s.glossary in ("preferred", "admitted") and s.score >= top - _GLOSSARY_TIE:
            if best is None or (s.glossary == "preferred" and best.glossary != "preferred"):
                best = s
    if best is None:
        return
    if best is not ranked[0]:
        best.glossary_tie = True
        best.score = max(best.score, top)
        ranked.remove(best)
        ranked.insert(0, best)
    elif len(ranked) > 1 and ranked[1].score >= top - TIE and ranked[1].glossary not in ("preferred", "admitted"):
        best.glossary_tie = True  # first already, but only the glossary tells it from the runner-up


def _usage_note(result: SuggestResult, aligned: AlignedSet, tset: frozenset[int], concept: "Concept | None") -> None:
    """Say so when the translators consistently use another rendering than the glossary's preferred term."""
    top = result.top
    if concept is None or top is None or top.glossary == "preferred" or result.preferred is None:
        return
    from .tokens import _en_key, english_tokens

    pkey = " ".join(_en_key(t) for c in english_tokens(result.preferred) for *_r, t in c)
    n_pref = len(aligned.en_segments(pkey) & tset) if pkey else 0
    if top.count > n_pref and top.count >= 2:
        result.usage = (f"translators use {top.en!r} in {top.count} of {result.segments} segments; "
                        f"the glossary prefers {result.preferred!r} ({n_pref} of {result.segments})")


def _pick_surface(c: dict[str, int]) -> str:
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



# -- alignment evidence ---------------------------------------------------------------------
class _SegEvidence:
    __slots__ = ("linked", "explained", "total")

    def __init__(self, linked: dict[int, float], explained: set[int]) -> None:
        self.linked = linked  # English positions linked to the term's words, with the link's weight
        self.total = sum(linked.values())
        self.explained = explained  # English positions linked to other words or other glossary terms


def _alignment_evidence(term: str, aseg: list[int], aligned: AlignedSet, concept: "Concept | None", glossary: "Glossary | None",
                        positions: dict[int, set[int]] | None, qtoks: list[str]) -> dict[int, _SegEvidence] | None:
    aligned.links(aseg)
    if aligned.align_method != "eflomal":
        return None
    out: dict[int, _SegEvidence] = {}
    en_terms = _EnTerms(glossary)
    for i in aseg:
        toks = aligned._ar_keys[i].split(" ")
        tpos = positions.get(i) if positions else None
        if not tpos:
            tpos = _find_gram(toks, qtoks, aligned.clitics)
        linked: dict[int, float] = {}
        elsewhere: dict[int, float] = {}
        for (a, b), w in aligned.link_weights(i).items():
            d = linked if a in tpos else elsewhere
            d[b] = max(d.get(b, 0.0), w)
        linked = {b: w for b, w in linked.items() if w >= _MIN_LINK}
        # a word is explained elsewhere when other words claim it more strongly than the term does
        other = {b for b, w in elsewhere.items() if w >= 0.5 and w > linked.get(b, 0.0)}
        if glossary is not None:
            other |= en_terms.explained(aligned, i, toks, tpos, concept) - set(linked)
        out[i] = _SegEvidence(linked, other)
    return out


def _find_gram(toks: list[str], qtoks: list[str], clitics: Any = arabic.clitic_candidates) -> set[int]:
    """Positions of tokens that may stand for the key-level term words (proclitics allowed)."""
    out: set[int] = set()
    qs = set(qtoks)
    for j, t in enumerate(toks):
        if t in qs or any(c in qs for c in clitics(t)):
            out.add(j)
    return out


class _EnTerms:
    """English renderings of the other glossary concepts found in a segment's Arabic."""

    def __init__(self, glossary: "Glossary | None") -> None:
        self.g = glossary
        self.cache: dict[str, list[list[str]]] = {}

    def explained(self, aligned: AlignedSet, i: int, toks: list[str], tpos: set[int], concept: "Concept | None") -> set[int]:
        from bisect import bisect_right

        from ..glossary import _positions
        from .tokens import _en_key, english_tokens

        assert self.g is not None
        pos = _positions(toks)
        flat = [k for _c, keys, _j in aligned.en_chunks(i) for k in keys]
        out: set[int] = set()
        for h in self.g.index.scan(" ".join(toks), "ar"):
            if concept is not None and h.concept.id == concept.id:
                continue
            a = bisect_right(pos, h.start) - 1
            b = bisect_right(pos, max(h.end - 1, h.start))
            if any(p in tpos for p in range(a, b)):
                continue  # the term itself, or a longer name holding it
            seqs = self.cache.get(h.concept.id)
            if seqs is None:
                seqs = self.cache[h.concept.id] = [[_en_key(t) for c in english_tokens(x.text) for *_r, t in c]
                                                   for x in h.concept.terms_for("en")]
            for q in seqs:
                L = len(q)
                if not L:
                    continue
                for j in range(len(flat) - L + 1):
                    if flat[j : j + L] == q:
                        out.update(range(j, j + L))
        return out


def _align_score(key: str, aseg: list[int], occ: dict[int, dict[str, list[tuple[int, ...]]]],
                 ev: dict[int, _SegEvidence]) -> tuple[float, float, float]:
    """(mean best F of the candidate against the term's links, links inside it, share explained elsewhere)."""
    tot = 0.0
    nlinks = 0.0
    foreign = 0.0
    for i in aseg:
        e = ev[i]
        best = (0.0, 0.0, 0.0)
        for ps in occ[i].get(key, ()):
            if not ps:
                continue
            hit = sum(e.linked.get(p, 0.0) for p in ps)
            out = sum(p in e.explained for p in ps)
            if e.linked:
                prec, rec = hit / len(ps), hit / e.total
                f = 2 * prec * rec / (prec + rec) if hit else 0.0
            else:
                f = 0.0
            cand = (f, hit, out / len(ps))
            if cand[0] > best[0] or (cand[0] == best[0] and cand[2] < best[2]) or best == (0.0, 0.0, 0.0):
                best = cand
        tot += best[0]
        nlinks += best[1]
        foreign += best[2]
    n = len(aseg) or 1
    return tot / n, nlinks, foreign / n


def _zipf() -> Any:
    """``key -> mean Zipf frequency`` of the candidate's words (rarer, more specific wins ties)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - declared dependency
        return lambda k: 0.0
    cache: dict[str, float] = {}

    def f(key: str) -> float:
        ws = [w for w in key.split(" ") if w not in EN_STOP] or key.split(" ")
        tot = 0.0
        for w in ws:
            z = cache.get(w)
            if z is None:
                z = cache[w] = zipf_frequency(w, "en")
            tot += z
        return round(tot / len(ws), 2)

    return f


def _complete(final: list[Suggestion], aseg: list[int], occ: dict[int, dict[str, list[tuple[int, ...]]]],
              ev: dict[int, _SegEvidence], term: str) -> None:
    """The longest complete phrase the evidence supports wins: put it first.

    A candidate holding the top one (United Nations ⊃ United, death penalty ⊃ penalty) takes its
    place when it occurs in at least 80% of the top one's segments and, in most of the segments
    where it does, every word it adds is linked to the term and claimed by no other word.  A
    capitalised word spelt like one of the term's words (Syrian for سوريا, Libyan for ليبيا)
    is linked by its spelling, whatever one sampled alignment says or links it to.
    """
    top = final[0]
    words = [w for w in term.split() if w]
    for _ in range(4):
        best: Suggestion | None = None
        for c in final[:80]:
            if c is top or len(c.key) <= len(top.key) or f" {top.key} " not in f" {c.key} " or c.count < _CONTAIN * top.count:
                continue
            if _supported(c, top.key, aseg, occ, ev, words) and (best is None or len(c.key) > len(best.key)):
                best = c
        if best is None:
            break
        best.completes = top.en
        best.score = max(best.score, top.score)
        final.remove(best)
        final.insert(0, best)
        top = best


def _spelt_like(word: str, term_words: list[str]) -> bool:
    """Is the capitalised English ``word`` (or its demonym stem: Syrian → Syria, Iranian → Iran)
    a transliteration of one of the Arabic ``term_words``?"""
    from ..romanize import similarity

    if not word[:1].isupper() or len(word) < 4:
        return False
    stems = {word}
    for suffix in ("ian", "an", "n", "i"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stems.add(word[: -len(suffix)])
    return any(similarity(a, w) >= _NAME_T for a in term_words for w in stems)


def _supported(long: Suggestion, short: str, aseg: list[int], occ: dict[int, dict[str, list[tuple[int, ...]]]],
               ev: dict[int, _SegEvidence], term_words: list[str]) -> bool:
    surface = long.en.split()
    spelt = {k for k, w in enumerate(surface) if _spelt_like(w, term_words)} if len(surface) == len(long.key.split(" ")) else set()
    seen = ok = 0
    for i in aseg:
        lo = occ[i].get(long.key)
        so = occ[i].get(short)
        if not lo or not so:
            continue
        seen += 1
        e = ev[i]
        for lp in lo:
            inner = [sp for sp in so if set(sp) <= set(lp)]
            if not inner:
                continue
            extra = set(lp) - set(inner[0])
            # a word spelt like a term word is the term's, whatever else the aligner links it to
            if extra and all(lp.index(p) in spelt or (p not in e.explained and e.linked.get(p, 0.0) >= _SUPPORT) for p in extra):
                ok += 1
                break
    return seen > 0 and ok * 2 > seen


def _lower_words(surface: str) -> int:
    """Lower-case content words of a candidate (name particles and function words aside)."""
    n = 0
    for w in surface.split():
        lw = w.lower()
        if lw in EN_STOP or lw in _PARTICLES or not w[:1].isalpha() or w[:1].isupper():
            continue
        if "-" in w and w.split("-", 1)[0].lower() in _PARTICLES:  # al-Baghdadi
            continue
        n += 1
    return n
