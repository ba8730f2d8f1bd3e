"""Suggest English renderings of Arabic terms from aligned segments, and propose new entries.

The input is an :class:`AlignedSet`: Arabic–English segments (a TM, or any bilingual file that
:func:`ctlex.formats.read_segments` reads) indexed once on both sides.

:func:`suggest` ranks English candidates for one Arabic term:

1. **Where the term occurs.**  Segments whose source contains the term are found with the glossary
   index machinery (a one-concept :class:`~ctlex.glossary.Glossary` scanned over candidate
   segments picked from an inverted index of key-level tokens and their clitic readings), so
   spelling variants, proclitics (و ب ل ال …) and plural endings all match.
2. **Candidates.**  English n-grams of those segments' targets that neither start nor end with a
   function word and do not cross punctuation.
3. **Association.**  Each candidate is scored with the Dice coefficient over the *whole* set,
   ``2·c / (n_term + n_candidate)``, where ``c`` counts segments holding both; the
   log-likelihood ratio (G²) of the same 2×2 table is kept as evidence.  A word that occurs
   everywhere ("said", "minister") has a large ``n_candidate`` and loses.
4. **Names.**  Unless the glossary says the term is a common term or role, each capitalised
   candidate's score is raised to the mean of its score and its transliteration similarity to the
   term (:func:`ctlex.romanize.similarity`), so a name seen in one or two segments still finds
   its rendering among equally rare words; the result says ``name_like`` when some candidate
   reaches 0.75.
5. **Complete phrases.**  A candidate gives way to a longer one containing it when the longer
   one occurs in at least 80% of its segments and every added word is itself associated with the
   term (Global Counterterrorism Forum over Counterterrorism Forum, but not "Europol said").
6. **Acronyms** are linked to an expansion among the candidates (GCTF ↔ Global Counterterrorism
   Forum), **casing** is the most frequent one seen, and when the glossary has the concept each
   suggestion says whether it is the preferred, an admitted or a deprecated term.

:func:`suggest_new` finds recurring Arabic n-grams that no glossary term covers and proposes an
entry for each one with a confident rendering; :func:`draft_glossary` turns the proposals into a
:class:`~ctlex.glossary.Glossary` whose terms are all ``admitted`` (for review, never preferred).

Everything here is a pure function returning records with their evidence (segment ids, counts);
ties are broken by text so output is stable.  Nothing prints.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from . import arabic
from .errors import CtlexError

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Concept, Glossary
    from .segment import Segment

__all__ = [
    "AlignedSet",
    "Suggestion",
    "SuggestResult",
    "NewEntry",
    "suggest",
    "suggest_new",
    "draft_glossary",
    "english_tokens",
]

# English words that never start or end a candidate (they may sit inside one: "Council of the EU").
EN_STOP = frozenset(
    """a an the of in on at to for from by with and or nor as is are was were be been being am
    that this these those which who whom whose what it its it's he she they them his her their
    our we you your i me my has have had do does did not no but also than then so such there
    here into onto over under about after before between against during through upon within
    without will would shall should can could may might must very more most other another
    each every all any some both either neither one's per via among amid while when where""".split()
)
_EN_TOKEN = re.compile(r"[^\W_]+(?:(?:[.&/]|['’](?!s\b))[^\W_]+)*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$|^[A-Z]{1,3}(?:/[A-Z]{1,3})+$")

# Arabic function words that never start or end a proposed term (key level: ا for any alef).
AR_STOP = frozenset(
    """في من الي علي عن مع ان او ثم حتي قد لقد كما التي الذي الذين اللذين اللتين هذا هذه ذلك تلك
    هو هي هم هما انه انها كان كانت يكون تكون لم لن لا ما ماذا بين عند منذ خلال ضد حول لدي
    بعد قبل كل بعض غير اي ايضا وقد وان وفي ومن فقط او ام بل اذا اذ حيث لكن لكنه ولكن عبر
    نحو دون سوي تم يتم كذلك وكان وكانت فيه فيها منه منها عليه عليها اليه به بها له لها لهم
    الا هناك هنا مثل وهو وهي التى والتي والذي عام وذلك ذات قال وقال قالت وقالت اكد واكد""".split()
)

_NAME_T = 0.75  # transliteration similarity that makes a term name-like
_FULL_POOL = 1500  # candidates scored in full; above this, the best by Dice
_EXTRA_EN = 0.8  # an English word left unlinked keeps this share of its best word association
_CONTAIN = 0.8  # suggest_new: a longer n-gram wins when it holds this share of the shorter one's segments


def english_tokens(text: str) -> list[list[tuple[int, int, str]]]:
    """Chunks of English word tokens ``(start, end, text)``; chunks break at punctuation.

    Hyphenated words are split (so "terrorism" is found inside "counter-terrorism"; the surface
    text of a candidate keeps the hyphen), dotted abbreviations and ``HR/VP`` stay one token, and a
    possessive ``'s`` is skipped.

    Example:
        >>> [[t for _, _, t in c] for c in english_tokens("The EU's Counter-Terrorism Coordinator, Gilles de Kerchove")]
        [['The', 'EU', 'Counter', 'Terrorism', 'Coordinator'], ['Gilles', 'de', 'Kerchove']]
    """
    chunks: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    last = 0
    for m in _EN_TOKEN.finditer(text):
        gap = text[last : m.start()]
        if m.group(0) in ("s", "S") and gap in ("'", "’"):  # possessive 's: dropped
            last = m.end()
            continue
        if cur and gap.strip() not in ("", "-", "–"):
            chunks.append(cur)
            cur = []
        cur.append((m.start(), m.end(), m.group(0)))
        last = m.end()
    if cur:
        chunks.append(cur)
    return chunks


def _en_key(tok: str) -> str:
    return arabic.key_text(tok).replace(" ", "") if not tok.isascii() else tok.lower()


def _chunk_keys(text: str, chunk: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """Key tokens of a chunk and the joiner before each (``" - "`` inside a hyphenated word)."""
    keys = [_en_key(t) for _, _, t in chunk]
    joins = [""] + [" - " if text[chunk[j - 1][1] : chunk[j][0]] in ("-", "–") else " " for j in range(1, len(chunk))]
    return keys, joins


def _gram(keys: list[str], joins: list[str], a: int, b: int) -> str:
    return keys[a] + "".join(joins[j] + keys[j] for j in range(a + 1, b + 1))


# -- the aligned set --------------------------------------------------------------------------
class AlignedSet:
    """Arabic–English segments indexed for :func:`suggest` and :func:`suggest_new`.

    Built once (one pass over the segments); English n-gram frequencies are computed on demand
    from token postings and cached.  Segments whose source is English and target Arabic are
    turned round; segments without Arabic source text are skipped.

    Example:
        >>> from ctlex.segment import Segment
        >>> s = AlignedSet([Segment("أعلن يوروبول", "Europol announced"), Segment("قال الوزير", "The minister said")])
        >>> len(s), s.segments_with("اليوروبول")
        (2, [0])
    """

    def __init__(self, segments: Iterable["Segment"]) -> None:
        self.ids: list[str] = []
        self.sources: list[str] = []
        self.targets: list[str] = []
        self._ar_keys: list[str] = []
        self._en_strs: list[str] = []  # " tok tok | tok " (key tokens, chunks separated by |)
        self._ar_post: dict[str, list[int]] = {}
        self._en_post: dict[str, list[int]] = {}
        self._en_df: dict[str, int] = {}
        self._en_sets: dict[str, frozenset[int]] = {}
        self._cand_tokens: dict[str, list[str]] | None = None
        self._skel_tokens: dict[str, list[str]] | None = None
        self._chunks: dict[int, list[tuple[list[tuple[int, int, str]], list[str], list[str]]]] = {}
        for n, seg in enumerate(segments):
            src, tgt = seg.source, seg.target
            if (seg.source_lang or "").lower().startswith("en") and (seg.target_lang or "").lower().startswith("ar"):
                src, tgt = tgt, src
            if not src or not tgt or not arabic.is_arabic(src):
                continue
            i = len(self.ids)
            self.ids.append(seg.id or seg.origin or str(n + 1))
            self.sources.append(src)
            self.targets.append(tgt)
            k = arabic.key_text(src)
            self._ar_keys.append(k)
            for t in set(k.split(" ")):
                if t:
                    self._ar_post.setdefault(t, []).append(i)
            parts = []
            words: set[str] = set()
            for c in english_tokens(tgt):
                keys, joins = _chunk_keys(tgt, c)
                parts.append(_gram(keys, joins, 0, len(keys) - 1))
                words.update(keys)
            self._en_strs.append(" " + " | ".join(parts) + " ")
            for t in words:
                self._en_post.setdefault(t, []).append(i)

    @classmethod
    def from_paths(cls, paths: Sequence[str | os.PathLike[str]], format: str | None = None) -> "AlignedSet":
        """Read every file in ``paths`` with :func:`ctlex.formats.read_segments` and index them."""
        from itertools import chain

        from .formats import read_segments

        return cls(chain.from_iterable(read_segments(p, format) for p in paths))

    def __len__(self) -> int:
        return len(self.ids)

    # -- Arabic side ---------------------------------------------------------------------------
    def _candidate_index(self) -> dict[str, list[str]]:
        """clitic reading → corpus tokens that may stand for it (built on first use)."""
        if self._cand_tokens is None:
            idx: dict[str, list[str]] = {}
            for tok in self._ar_post:
                for c in arabic.clitic_candidates(tok):
                    idx.setdefault(c, []).append(tok)
            self._cand_tokens = idx
        return self._cand_tokens

    def _skeleton_index(self) -> dict[str, list[str]]:
        if self._skel_tokens is None:
            idx: dict[str, list[str]] = {}
            for tok in self._ar_post:
                if arabic.is_arabic(tok):
                    for c in arabic.clitic_candidates(tok):
                        sk = arabic.name_skeleton(c)
                        if len(sk) >= 4:
                            idx.setdefault(sk, []).append(tok)
            self._skel_tokens = idx
        return self._skel_tokens

    def _token_segments(self, qtok: str, names: bool) -> set[int]:
        cidx = self._candidate_index()
        toks: set[str] = set()
        for c in arabic.clitic_candidates(qtok):
            toks.update(cidx.get(c, ()))
        if names:
            sidx = self._skeleton_index()
            for c in arabic.clitic_candidates(qtok):
                toks.update(sidx.get(arabic.name_skeleton(c), ()))
        out: set[int] = set()
        for t in toks:
            out.update(self._ar_post.get(t, ()))
        return out

    def segments_with(self, term: str, concept_type: str = "term") -> list[int]:
        """Indexes of segments whose source contains ``term`` (any spelling, clitics, endings).

        ``concept_type`` selects the glossary's matching rules: name types (person, organization…)
        also match spacing and transliteration variants of one-word names.
        """
        from .glossary import Concept, Glossary, Term

        k = arabic.key_text(term)
        if not k or not arabic.is_arabic(k):
            raise CtlexError(f"not an Arabic term: {term!r}")
        terms = [Term(term, "ar", "preferred")]
        if k.startswith("ال") and len(k.split(" ")[0]) > 4:  # the article is optional in running text
            terms.append(Term(k[2:], "ar", "admitted"))
        g = Glossary([Concept("q", concept_type, terms=terms)])
        names = concept_type not in ("term", "role", "instrument", "document")
        qtoks = k.split(" ")
        cands: set[int] | None = None
        if len(qtoks) == 1 or not names:
            for q in sorted(qtoks, key=lambda q: -len(q))[:2]:
                s = self._token_segments(q, names and len(qtoks) == 1)
                cands = s if cands is None else cands & s
        else:  # joined or split spellings of a multi-part name: any part may carry it
            cands = set()
            for q in qtoks:
                cands |= self._token_segments(q, False)
            cands |= self._token_segments("".join(qtoks), True)
        assert cands is not None
        has = _token_matcher(g)
        keys = self._ar_keys
        return [i for i in sorted(cands) if has(keys[i].split(" "))]

    def ar_token_segments(self, qtok: str) -> frozenset[int]:
        """Segments whose source has a token that may stand for the key-level ``qtok`` (no check)."""
        key = "\x01" + qtok
        s = self._en_sets.get(key)
        if s is None:
            s = self._en_sets[key] = frozenset(self._token_segments(qtok, False))
        return s

    def lex(self, qtok: str, en_tok: str) -> float:
        """Dice association of an Arabic key token and an English key token over all segments."""
        a = self.ar_token_segments(qtok)
        b = self.en_segments(en_tok)
        return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0

    # -- English side --------------------------------------------------------------------------
    def en_segments(self, key: str) -> frozenset[int]:
        """Segments whose target contains the English n-gram ``key`` (space-joined key tokens)."""
        s = self._en_sets.get(key)
        if s is None:
            toks = [t for t in key.split(" ") if t != "-"]
            posts = [self._en_post.get(t, ()) for t in toks]
            rare = min(posts, key=len)
            if len(toks) == 1:
                s = frozenset(rare)
            else:
                pat = f" {key} "
                strs = self._en_strs
                s = frozenset(i for i in rare if pat in strs[i])
            if len(self._en_sets) > 500_000:
                self._en_sets.clear()
            self._en_sets[key] = s
        return s

    def en_chunks(self, i: int) -> list[tuple[list[tuple[int, int, str]], list[str], list[str]]]:
        """Target chunks of segment ``i`` with their key tokens and joiners (cached)."""
        c = self._chunks.get(i)
        if c is None:
            tgt = self.targets[i]
            c = [(ch, *_chunk_keys(tgt, ch)) for ch in english_tokens(tgt)]
            if len(self._chunks) > 200_000:
                self._chunks.clear()
            self._chunks[i] = c
        return c

    def en_df(self, key: str) -> int:
        """How many segments' targets contain the n-gram ``key``."""
        d = self._en_df.get(key)
        if d is None:
            d = self._en_df[key] = len(self.en_segments(key))
        return d


def _token_cover(g: "Glossary") -> Any:
    """``tokens -> set of positions`` covered by Arabic terms of ``g``."""
    idx = g.index

    def cover(toks: list[str]) -> set[int]:
        out: set[int] = set()
        for i, j, *_ in idx.match_tokens(toks, "ar"):
            out.update(range(i, j))
        return out

    return cover


def _token_matcher(g: "Glossary") -> Any:
    """``tokens -> bool``: does a key-level token list contain an Arabic term of ``g``?

    The index's own matching (clitics, endings, name variants) run on the set's pre-normalized
    tokens, so segments are not normalized again per query.
    """
    idx = g.index

    def has(toks: list[str]) -> bool:
        return bool(idx.match_tokens(toks, "ar"))

    return has


# -- records ----------------------------------------------------------------------------------
@dataclass
class Suggestion:
    """One English candidate for a term, with the evidence behind its score."""

    en: str  # as written most often in the segments
    score: float  # 0..1
    count: int  # segments with both the term and the candidate
    examples: list[str]  # ids of segments with both
    key: str = ""  # space-joined lower-case tokens
    df: int = 0  # segments with the candidate (whole set)
    dice: float = 0.0
    llr: float = 0.0
    lex: float = 0.0  # word-level agreement of candidate and term words (F of precision, recall)
    translit: float = 0.0  # romanize.similarity(term, en), 0 when not computed
    glossary: str | None = None  # "preferred" / "admitted" / "deprecated" when it is a term of the concept
    acronym: str | None = None  # the acronym linked to this expansion
    expansion: str | None = None  # the expansion linked to this acronym

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"en": self.en, "score": round(self.score, 4), "count": self.count, "examples": self.examples}
        for k in ("glossary", "acronym", "expansion"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d


@dataclass
class SuggestResult:
    """Ranked suggestions for one term, and what the glossary says about the term."""

    term: str
    segments: int  # segments whose source contains the term
    suggestions: list[Suggestion]
    concept: str | None = None  # glossary concept id when the glossary knows the term
    preferred: str | None = None  # that concept's preferred English term
    name_like: bool = False

    @property
    def top(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: ``{"term", "suggestions": [{"en", "score", "count", "examples"}]}`` plus context."""
        return {
            "term": self.term,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "segments": self.segments,
            "concept": self.concept,
            "preferred": self.preferred,
        }


# -- statistics -------------------------------------------------------------------------------
def _llr(c: int, n_t: int, f: int, n: int) -> float:
    """Dunning's G² for the 2×2 table (term, candidate) over ``n`` segments."""
    k = [c, n_t - c, f - c, n - n_t - f + c]
    rows = [n_t, n - n_t]
    cols = [f, n - f]
    g = 0.0
    for i, obs in enumerate(k):
        exp = rows[i // 2] * cols[i % 2] / n if n else 0
        if obs > 0 and exp > 0:
            g += obs * math.log(obs / exp)
    return 2 * g


def _is_capitalised(surface: str) -> bool:
    return any(p[:1].isupper() for w in surface.split() if w.lower() not in EN_STOP for p in w.split("-"))


def _initials(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if w.lower() in EN_STOP:
            continue
        out.extend(p for p in re.split(r"[-/]", w) if p)
    return out


def acronym_of(acronym: str, expansion: str) -> bool:
    """Can ``acronym`` stand for ``expansion``?  Every content word gives its first letter, in order;
    extra acronym letters may come from inside words (GCTF = Global CounterTerrorism Forum).

    Example:
        >>> acronym_of("GCTF", "Global Counterterrorism Forum"), acronym_of("EU", "European Union")
        (True, True)
        >>> acronym_of("UN", "European Union")
        False
    """
    a = acronym.rstrip("s").replace("/", "").lower() if len(acronym) > 2 else acronym.replace("/", "").lower()
    words = [w.lower() for w in _initials(expansion.split())]
    if len(words) < 2 or not a:
        return False

    def match(i: int, j: int) -> bool:  # a[i:] against words[j:]
        if j == len(words):
            return i == len(a)
        if i == len(a) or a[i] != words[j][0]:
            return False
        w = words[j]
        # take the initial, then optionally more letters of this word as a subsequence
        k, pos = i + 1, 1
        if match(k, j + 1):
            return True
        while k < len(a):
            p = w.find(a[k], pos)
            if p < 0:
                return False
            k, pos = k + 1, p + 1
            if match(k, j + 1):
                return True
        return False

    return match(0, 0)


# -- suggest ----------------------------------------------------------------------------------
def _glossary_concept(glossary: "Glossary | None", term: str) -> "Concept | None":
    if glossary is None:
        return None
    ms = glossary.lookup(term, lang="ar", limit=1, fuzzy=False)
    return ms[0].concept if ms and ms[0].score >= 0.85 else None


def _status_of(concept: "Concept | None", surface: str) -> str | None:
    if concept is None:
        return None
    from .qa import english_fold

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
    from .romanize import similarity

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
            stop = [k in EN_STOP for k in keys]
            L = len(chunk)
            for a in range(L):
                if stop[a]:
                    continue
                for b in range(a, min(L, a + max_n)):
                    if stop[b] or keys[b].isdigit() and a == b:
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


def _lexical(key: str, qtoks: list[str], aligned: AlignedSet, cache: dict[str, list[float]]) -> float:
    """How well the candidate's words and the term's words translate each other, 0..1.

    Word pairs are linked one to one, best pair first (competitive linking on word-level Dice);
    a word left without a partner counts half its best score.  Precision averages over the
    English content words, recall over the term's words, and the result is their harmonic mean.
    Words that belong to the rest of the sentence ("said", "Monday") lower precision, and a
    fragment that leaves a term word untranslated ("Korea" for كوريا الشمالية) lowers recall, so
    complete phrases win over fragments and over phrases padded with context.
    """
    groups = key.replace(" - ", "-").split(" ")  # a hyphenated word is one word
    words = [w for w in groups if w not in EN_STOP and not w.isdigit()] or groups
    rows = []
    for w in words:
        r = cache.get(w)
        if r is None:
            parts = [[aligned.lex(q, p) for q in qtoks] for p in w.split("-") if p]
            r = cache[w] = [max(col) for col in zip(*parts)] if parts else [0.0] * len(qtoks)
        rows.append(r)
    nw, nq = len(rows), len(qtoks)
    pairs = sorted(((rows[i][j], i, j) for i in range(nw) for j in range(nq)), reverse=True)
    wl: dict[int, float] = {}
    ql: dict[int, float] = {}
    for v, i, j in pairs:
        if i not in wl and j not in ql:
            wl[i] = ql[j] = v
    prec = sum(wl.get(i, _EXTRA_EN * max(rows[i])) for i in range(nw)) / nw
    rec = sum(ql.get(j, 0.5 * max(r[j] for r in rows)) for j in range(nq)) / nq
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


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


# -- new entries ------------------------------------------------------------------------------
@dataclass
class NewEntry:
    """A proposed glossary entry: a recurring Arabic term no concept covers, and its best rendering."""

    ar: str  # as written in the segments (most frequent spelling, proclitics removed)
    en: str
    score: float
    count: int  # segments with the Arabic term
    examples: list[str]
    alternatives: list[str] = field(default_factory=list)
    name_like: bool = False
    key: str = ""  # key-level Arabic

    def to_dict(self) -> dict[str, Any]:
        return {
            "ar": self.ar,
            "en": self.en,
            "score": round(self.score, 4),
            "count": self.count,
            "examples": self.examples,
            "alternatives": self.alternatives,
            "status": "admitted",
        }


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
    from .romanize import similarity

    n = len(aligned)
    covered: list[set[int]] = []  # token positions covered by glossary hits, per segment
    seg_toks: list[list[str]] = []
    tok_counts: Counter[str] = Counter()
    cover = _token_cover(glossary)
    for i in range(n):
        toks = aligned._ar_keys[i].split(" ") if aligned._ar_keys[i] else []
        seg_toks.append(toks)
        cov: set[int] = set()
        if toks:
            cov = cover(toks)
        covered.append(cov)
        tok_counts.update({t for j, t in enumerate(toks) if j not in cov})
    vocab = aligned._ar_post
    canon_cache: dict[str, str] = {}

    def canon(t: str) -> str:
        c = canon_cache.get(t)
        if c is None:
            c = canon_cache[t] = _strip_proclitics(t, vocab)
        return c

    def ok(t: str) -> bool:
        return len(t) >= 2 and not t.isdigit() and arabic.is_arabic(t) and t not in AR_STOP and tok_counts[t] >= min_count

    grams: Counter[str] = Counter()
    gram_segs: dict[str, list[int]] = {}
    for i, toks in enumerate(seg_toks):
        cov = covered[i]
        seen: set[str] = set()
        L = len(toks)
        for a in range(L):
            if a in cov or not ok(toks[a]):
                continue
            first = canon(toks[a])
            if first in AR_STOP:
                continue
            for b in range(a, min(L, a + max_n)):
                if b in cov or (b > a and not (arabic.is_arabic(toks[b]) and tok_counts[toks[b]] >= min_count)):
                    break
                if toks[b] in AR_STOP or len(toks[b]) < 2:
                    continue
                k = " ".join([first, *toks[a + 1 : b + 1]])
                if k not in seen:
                    seen.add(k)
                    grams[k] += 1
                    gram_segs.setdefault(k, []).append(i)
    frequent = {k: c for k, c in grams.items() if c >= min_count}
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
    for k in keep[:max_candidates]:
        segs = sorted(set(gram_segs[k]))
        r = _rank(k, segs, aligned, None, similarity, limit=5, max_n=6, sample=60, shortlist=30)
        top = r.top
        if top is None or top.score < min_score or top.count < min(min_count, len(segs)):
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
    en_words = [w for w in top.key.replace(" - ", "-").split(" ") if w not in EN_STOP]
    if len(en_words) >= 2 and all(w[:1].isupper() for w in top.en.split() if w.lower() not in EN_STOP):
        return 2 <= len(ar_words) and len(en_words) <= len(ar_words) + 2 and top.score >= 0.6
    return len(ar_words) >= 2 and 2 <= len(en_words) <= len(ar_words) + 1 and top.score >= 0.85


def _fold(text: str) -> str:
    from .qa import english_fold

    return english_fold(text)


def _surface(aligned: AlignedSet, segs: list[int], k: str) -> str:
    """The most frequent original spelling of the key-level gram ``k`` (proclitics left out)."""
    from .glossary import _positions

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
    from .glossary import Concept, Glossary, Source, Term, slug_id, unique_id

    g = Glossary(title=title)
    taken = set(c.id for c in glossary) if glossary is not None else set()
    for e in entries:
        cid = unique_id(slug_id(e.en, prefix="new-", default="term"), taken)
        taken.add(cid)
        note = f"proposed by ctlex suggest --new; review before use (score {e.score:.2f}, {e.count} segments)"
        c = Concept(
            cid,
            "term",
            notes=[note, "examples: " + ", ".join(e.examples)] + ([f"alternatives: {'; '.join(e.alternatives)}"] if e.alternatives else []),
            sources=[Source(x) for x in e.examples[:2]],
            terms=[Term(e.ar, "ar", "admitted", note="for review"), Term(e.en, "en", "admitted", note="for review")],
        )
        g.add(c)
    return g
