"""Proposing new glossary entries: :func:`suggest_new` and :func:`draft_glossary`."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable

from .. import arabic
from .aligned import AlignedSet, _token_covers, even_sample
from .records import NewEntry, Suggestion
from .rank import _NAME_T, _rank
from .tokens import _ACRONYM, AR_STOP, EN_STOP

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary

_NEW_SAMPLE = 40  # segments of each candidate read (and aligned)
_CONTAIN = 0.8  # a longer n-gram wins when it holds this share of the shorter one's segments


def _strip_proclitics(tok: str, vocab: dict[str, list[int]]) -> str:
    """The reading of ``tok`` without و/ف and ب/ك/ل that the corpus attests most often."""
    best, best_n = tok, len(vocab.get(tok, ()))
    for c in arabic.clitic_candidates(tok, strip_article=False)[1:]:
        if not tok.endswith(c) and not (c.startswith("ال") and tok.endswith(c[2:])):
            continue  # an ending alternate, not a proclitic reading
        n = len(vocab.get(c, ()))
        if n > best_n:
            best, best_n = c, n
    return best


def suggest_new(
    aligned: AlignedSet,
    glossary: "Glossary",
    *,
    min_count: int = 2,
    max_n: int = 4,
    min_score: float = 0.5,
    max_candidates: int = 200,
    limit: int | None = None,
    min_confidence: float = 0.0,
) -> list[NewEntry]:
    """Propose entries for recurring Arabic terms and names that ``glossary`` lacks.

    Arabic n-grams (up to ``max_n`` words, not starting or ending with a function word, no glossary
    term inside) found in at least ``min_count`` segments are grouped by their reading without
    proclitics; a shorter n-gram gives way to a longer one found in 80% of its segments.  Each of
    the ``max_candidates`` most frequent groups is ranked with :func:`suggest`'s statistics, and a
    proposal is kept when its best rendering scores at least ``min_score``, is not already an
    English term of the glossary, and is a name, an acronym or a phrase (single common words are
    vocabulary, not terminology).  Sorted by count, then score, then Arabic text.

    Example:
        >>> from ctlex.glossary import Glossary
        >>> from ctlex.segment import Segment
        >>> segs = [Segment("زار ماركوس ريتر بيروت", "Markus Ritter visited Beirut"),
        ...         Segment("وقال ماركوس ريتر", "Markus Ritter said"), Segment("قال الوزير", "The minister said")]
        >>> [(e.ar, e.en, e.count) for e in suggest_new(AlignedSet(segs), Glossary())]
        [('ماركوس ريتر', 'Markus Ritter', 2)]
    """
    from ..romanize import similarity

    n = len(aligned)
    seg_toks: list[list[str]] = []
    tok_counts: Counter[str] = Counter()
    covered = _token_covers(glossary, aligned._ar_keys)
    for i in range(n):
        toks = aligned._ar_keys[i].split(" ") if aligned._ar_keys[i] else []
        seg_toks.append(toks)
        cov = covered[i]
        tok_counts.update({t for j, t in enumerate(toks) if j not in cov} if cov else set(toks))
    vocab = aligned._ar_post
    # per token: (the gram's first word when the token may start one, may it continue one, is it
    # left out as an edge: a function word or one letter)
    info: dict[str, tuple[str | None, bool, bool]] = {}

    def tok_info(t: str) -> tuple[str | None, bool, bool]:
        r = info.get(t)
        if r is None:
            frequent_ar = arabic.is_arabic(t) and tok_counts[t] >= min_count
            first = None
            if len(t) >= 2 and not t.isdigit() and frequent_ar and t not in AR_STOP:
                first = _strip_proclitics(t, vocab)
                if first in AR_STOP:
                    first = None
            r = info[t] = (first, frequent_ar, t in AR_STOP or len(t) < 2)
        return r

    def grams_of(toks: list[str], cov: set[int]) -> list[str]:
        """The distinct grams of one segment, in order of first occurrence."""
        seen: dict[str, None] = {}
        L = len(toks)
        inf = [tok_info(t) for t in toks]
        for a in range(L):
            first = inf[a][0]
            if first is None or a in cov:
                continue
            k = first
            for b in range(a, min(L, a + max_n)):
                if b > a:
                    if b in cov or not inf[b][1]:
                        break
                    k = k + " " + toks[b]
                    if inf[b][2]:
                        continue
                seen[k] = None
        return list(seen)

    gram_segs: dict[str, list[int]] = {}  # gram -> the segments holding it, ascending, each once
    repeated = {t for t, c in Counter(aligned._ar_keys).items() if c > 1}
    memo: dict[str, list[str]] = {}  # a repeated segment's grams are found once
    for i, toks in enumerate(seg_toks):
        text = aligned._ar_keys[i]
        gs = memo.get(text)
        if gs is None:
            gs = grams_of(toks, covered[i])
            if text in repeated:
                memo[text] = gs
        for k in gs:
            segs = gram_segs.get(k)
            if segs is None:
                gram_segs[k] = [i]
            else:
                segs.append(i)
    frequent = {k: len(v) for k, v in gram_segs.items() if len(v) >= min_count}
    # complete phrases: drop k when a longer frequent gram containing it covers 80% of its segments
    keep: list[str] = []
    by_first: dict[str, list[str]] = {}
    for k in frequent:
        for t in set(k.split(" ")):
            by_first.setdefault(t, []).append(k)
    for k, c in frequent.items():
        pk = f" {k} "
        toks = k.split(" ")
        rare = min(toks, key=lambda t: len(by_first[t]))
        if any(o != k and len(o) > len(k) and pk in f" {o} " and frequent[o] >= _CONTAIN * c for o in by_first[rare]):
            continue
        keep.append(k)
    keep.sort(key=lambda k: (-frequent[k], -len(k), k))
    en_terms = {_fold(t.text) for c in glossary for t in c.terms_for("en")}
    out: list[NewEntry] = []
    chosen = keep[:max_candidates]
    # one alignment run for every candidate's sampled segments (a large set is aligned in part)
    want: list[int] = []
    if chosen:
        aligned.align_shared()  # many queries: the shared sample first, so most candidates read it
    for k in chosen:
        segs = gram_segs[k]
        want += aligned.align_choice(segs, even_sample(segs, _NEW_SAMPLE), _NEW_SAMPLE)
    if want:
        aligned.links(want)
    for k in chosen:
        segs = gram_segs[k]
        r = _rank(k, segs, aligned, None, similarity, limit=5, max_n=6, sample=_NEW_SAMPLE, shortlist=30, align_sample=_NEW_SAMPLE)
        top = r.top
        if top is None or top.score < min_score or top.count < min(min_count, len(segs)) or top.confidence < min_confidence:
            continue
        if _fold(top.en) in en_terms:
            continue
        if not _term_like(k, top, r.name_like):
            continue
        out.append(
            NewEntry(
                ar=_surface(aligned, segs, k),
                en=top.en,
                score=top.score,
                count=len(segs),
                examples=[aligned.ids[i] for i in segs[:3]],
                alternatives=[s.en for s in r.suggestions[1:4]],
                name_like=r.name_like,
                key=k,
                confidence=top.confidence,
                links=top.links,
                translit=top.translit,
                together=top.count,
            )
        )
    # one proposal per English rendering: the best-attested Arabic wins
    best: dict[str, NewEntry] = {}
    for e in out:
        f = _fold(e.en)
        if f not in best or (e.count, e.score, -len(e.key)) > (best[f].count, best[f].score, -len(best[f].key)):
            best[f] = e
    res = sorted(best.values(), key=lambda e: (-e.count, -e.score, e.key))
    return res[:limit] if limit else res


_AR_DATES = frozenset(
    """يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر كانون شباط اذار نيسان
    ايار حزيران تموز اب ايلول تشرين الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد اليوم امس غدا""".split()
)


_CLAUSE_WORDS = frozenset(
    "is are was were be been being am will would shall should can could may might must do does did "
    "not n't never us our ours your yours we you i me my".split()
)


def _term_like(ar_key: str, top: Suggestion, name_like: bool) -> bool:
    """Is this pair terminology rather than vocabulary or page furniture?

    Names (transliteration evidence), acronyms and multi-word capitalised names pass; otherwise
    both sides must be compact multi-word phrases of similar length with a strong score.
    """
    ar_words = [t for t in ar_key.split(" ") if t not in AR_STOP]
    if any(t in _AR_DATES for t in ar_words):
        return False
    # A clause, not a term: a finite or modal verb, a negation, or a pronoun addressing the
    # reader ("Follow us on Twitter", "Required fields are marked", "… is essential").
    if any(w.lower().strip(".,:;!?") in _CLAUSE_WORDS for w in top.en.split()):
        return False
    if name_like and top.translit >= _NAME_T:
        return True
    if _ACRONYM.match(top.en):
        return True
    en_words = [w for w in top.key.split(" ") if w not in EN_STOP]
    if len(en_words) >= 2 and all(w[:1].isupper() for w in top.en.split() if w.lower() not in EN_STOP):
        return 2 <= len(ar_words) and len(en_words) <= len(ar_words) + 2 and top.score >= 0.6
    return len(ar_words) >= 2 and 2 <= len(en_words) <= len(ar_words) + 1 and top.score >= 0.85


def _fold(text: str) -> str:
    from ..qa import english_fold

    return english_fold(text)


def _surface(aligned: AlignedSet, segs: list[int], k: str) -> str:
    """The most frequent original spelling of the key-level gram ``k`` (proclitics left out)."""
    from ..glossary import _positions

    ktoks = k.split(" ")
    seen: Counter[str] = Counter()
    for i in segs[:50]:
        src = aligned.sources[i]
        norm = arabic.normalize(src, "key")
        toks = norm.text.split(" ")
        pos = _positions(toks)
        for a in range(len(toks) - len(ktoks) + 1):
            if toks[a + 1 : a + len(ktoks)] != ktoks[1:] or not toks[a].endswith(ktoks[0][2:] if ktoks[0].startswith("ال") else ktoks[0]):
                continue
            end = a + len(ktoks) - 1
            cut = len(toks[a]) - len(ktoks[0]) if toks[a].endswith(ktoks[0]) else 0
            s, e = norm.span(pos[a] + max(cut, 0), pos[end] + len(toks[end]))
            seen[arabic.clean(src[s:e]).text] += 1
    if not seen:
        return k
    return min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def draft_glossary(entries: Iterable[NewEntry], glossary: "Glossary | None" = None, *, title: str = "ctlex suggest --new draft") -> "Glossary":
    """A glossary of proposals, every term ``admitted`` and noted *for review* (never preferred).

    Concept ids are ``new-<slug>``, made unique against ``glossary`` and each other.

    Example:
        >>> g = draft_glossary([NewEntry("ماركوس ريتر", "Markus Ritter", 0.9, 2, ["a", "b"])])
        >>> c = next(iter(g)); c.id, [(t.text, t.status) for t in c.terms]
        ('new-markus-ritter', [('ماركوس ريتر', 'admitted'), ('Markus Ritter', 'admitted')])
    """
    from ..glossary import Concept, Glossary, Source, Term, slug_id, unique_id

    g = Glossary(title=title)
    taken = set(c.id for c in glossary) if glossary is not None else set()
    for e in entries:
        cid = unique_id(slug_id(e.en, prefix="new-", default="term"), taken)
        taken.add(cid)
        note = f"proposed by ctlex suggest --new; review before use (confidence {e.confidence:.2f}, {e.count} segments)"
        c = Concept(
            cid,
            "term",
            notes=[note, e.evidence_note(), "examples: " + ", ".join(e.examples)]
            + ([f"alternatives: {'; '.join(e.alternatives)}"] if e.alternatives else []),
            sources=[Source(x) for x in e.examples[:2]],
            terms=[Term(e.ar, "ar", "admitted", note="for review"), Term(e.en, "en", "admitted", note="for review")],
        )
        g.add(c)
    return g
