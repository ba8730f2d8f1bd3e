"""Accepted English renderings of a concept, found tolerantly in a target, and near misses of them.

A concept's *renderings* are, in the order a reviewer expects them:

1. with a house style (``style="UN"``), the terms that style prescribes;
2. preferred, then admitted terms (never ``forbidden`` ones), adjectives the glossary holds
   included;
3. derived forms, accepted but never expected: demonyms of places (North Korea → North Korean,
   Lebanon → Lebanese, Middle East → Middle Eastern, "the North" for North Korea), surnames of
   people (Guterres), and names of dated events without their date ("Foreign Affairs Council").

:func:`find` matches one rendering in a prepared target (see :mod:`ctlex.qa.markup`) and returns
its span.  Matching folds case, accents, hyphens and spaces (Counter-Terrorism = counterterrorism),
English inflection and possessives (fighter/fighters/fighter's, wolf/wolves, agency/agencies),
British/American spelling (organisation/organization, centre/center, defence/defense,
adviser/advisor), "terror" for "terrorist"/"terrorism" (terror attack, war on terror), and gerunds
("fighting terrorism" for "fight against terrorism", "countering terrorism").  All-capital acronyms
keep their case, so "us" is not "US"; "U.S."/"U.S.A." are closed up before matching.

:func:`near_miss` finds a stretch of the target that is close to, but not equal to, a name
(edit distance, RapidFuzz): "Michele Bachelet" for "Michelle Bachelet".

``english_fold`` and ``find_english`` are the older key-based helpers, kept for other modules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import arabic

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Term

__all__ = ["english_fold", "find_english", "fold", "Rendering", "renderings", "find", "near_miss", "is_acronym"]


# -- the older key-based helpers ------------------------------------------------------------------
def _singular(tok: str) -> str:
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 4 and tok.endswith(("ches", "shes", "sses", "xes")):
        return tok[:-2]
    if len(tok) > 4 and tok.endswith("ves") and tok[:-3] in ("wol", "hal", "lea", "li", "thie", "kni", "wi", "shel"):
        return tok[:-3] + ("fe" if tok[:-3] in ("li", "kni", "wi") else "f")
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
        return tok[:-1]
    return tok


@lru_cache(maxsize=65536)
def english_fold(text: str) -> str:
    """A comparison key for English terms: case, accents, hyphens, spaces and plurals folded.

    Example:
        >>> english_fold("Counter-Terrorism") == english_fold("counterterrorism")
        True
        >>> english_fold("foreign terrorist fighters") == english_fold("Foreign Terrorist Fighter")
        True
    """
    return "".join(_singular(t) for t in arabic.key_text(text).split(" "))


@lru_cache(maxsize=16384)
def is_acronym(text: str) -> bool:
    """An all-capital short form (INTERPOL, FTFs, UNSCR): matched with its case."""
    letters = [c for c in text if c.isalpha()]
    return 1 < len(letters) <= 8 and sum(c.isupper() for c in letters) >= len(letters) - 1 and letters[0].isupper() \
        and " " not in text.strip() and sum(c.isupper() for c in letters) >= 2


def _old_token_pattern(tok: str) -> str:
    if len(tok) > 3 and tok.endswith("y") and tok[-2] not in "aeiou":
        return re.escape(tok[:-1]) + "(?:y|ies)"
    s = _singular(tok)
    if s != tok:
        tok = s
        if tok.endswith("y") and len(tok) > 3:
            return re.escape(tok[:-1]) + "(?:y|ies)"
    return re.escape(tok) + "(?:e?s)?"


@lru_cache(maxsize=8192)
def _old_regex(term: str) -> tuple[re.Pattern[str], bool]:
    if is_acronym(term):
        return re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?:s|'s|’s)?(?![A-Za-z0-9])"), True
    toks = [t for t in arabic.key_text(term).split(" ") if t]
    body = " ?".join(_old_token_pattern(t) for t in toks)
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"), False


def find_english(term: str, target: str, target_key: str | None = None) -> str | None:
    """The stretch of ``target`` matching the English ``term`` tolerantly, or ``None``.

    ``target_key`` is ``arabic.key_text(target)`` when the caller already has it.  The match is
    returned in key form (lower case) except for acronyms, which keep their case.

    Example:
        >>> find_english("counter-terrorism", "EU Counterterrorism efforts")
        'counterterrorism'
        >>> find_english("US", "he told us") is None
        True
    """
    pat, on_original = _old_regex(term)
    m = pat.search(target) if on_original else pat.search(target_key if target_key is not None else arabic.key_text(target))
    return m.group(0) if m else None


# -- same-length folding ----------------------------------------------------------------------------
class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table computed on demand: lower case, accents off, punctuation to space."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        out = ch
        if ch.isalnum():
            base = unicodedata.normalize("NFD", ch)[0].lower()
            out = base if len(base) == 1 and base.isalnum() else ch.lower()[:1] or " "
        elif unicodedata.category(ch) in ("Mn", "Me"):
            out = ch
        else:
            out = " "
        self[cp] = out
        return out


_FOLD = _FoldTable()


_ASCII = bytes(ord(c.lower()) if c.isalnum() else 32 for c in map(chr, range(256)))


def fold(text: str) -> str:
    """``text`` lower-cased, accents removed, punctuation as spaces, *same length* as ``text``.

    Example:
        >>> fold("Europol's Counter-Terrorism Centre")
        'europol s counter terrorism centre'
        >>> fold("Kocijančič") == "kocijancic"
        True
    """
    if text.isascii():  # the common case, at C speed
        return text.encode("ascii").translate(_ASCII).decode("ascii")
    return text.translate(_FOLD)


# -- token patterns -------------------------------------------------------------------------------
_SPELLING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"^advis[eo]r$", "advis[eo]r"),
        (r"i[sz](e|ed|es|ing|ation|ations|er|ers)$", r"i[sz]\1"),  # organise/organize
        (r"(?<=\w{3})ou?r$", "ou?r"),  # labour/labor, neighbour
        (r"(?<=\w{3})t(?:re|er)$", "t(?:re|er)"),  # centre/center
        (r"(?<=\w{2})en[cs]e$", "en[cs]e"),  # defence/defense, offence
        (r"^programm?e?$", "program(?:me)?"),
        (r"(?<=\w{3})ll(ing|ed|er|ers)$", r"l{1,2}\1"),  # travelling/traveling
    )
)


def _stem_pattern(stem: str) -> str:
    p = re.escape(stem)
    for rx, rep in _SPELLING:
        q = rx.sub(rep, stem)
        if q != stem:
            return q
    return p


def _token_pattern(tok: str) -> str:
    if tok in ("terrorist", "terrorists"):
        return "terror(?:ist)?s?"
    if tok == "terrorism":
        return "terror(?:ism)?"
    if tok.isdigit():
        return tok
    base = _singular(tok)
    if len(base) > 3 and base.endswith("y") and base[-2] not in "aeiou":
        return _stem_pattern(base[:-1]) + "(?:y|ies)"
    if len(base) > 3 and base.endswith("fe"):
        return _stem_pattern(base[:-2]) + "(?:fe|ves)"
    if len(base) > 3 and base.endswith("f"):
        return _stem_pattern(base[:-1]) + "(?:f|ves|fs)"
    return _stem_pattern(base) + "(?:e?s)?"


def _gerunds(toks: list[str]) -> list[str]:
    """Token patterns with gerund alternatives: "fight against X" / "fighting X", "countering X"."""
    out = [_token_pattern(t) for t in toks]
    if len(toks) >= 3 and toks[0] in ("fight", "struggle") and toks[1] == "against":
        out[0] = f"(?:{toks[0]} *against|{toks[0][:-1] if toks[0].endswith('e') else toks[0]}(?:t)?ing)"
        out[1] = ""
    elif len(toks) >= 2 and toks[0] in ("counter", "combat", "combating", "countering"):
        stem = toks[0].removesuffix("ing")
        out[0] = f"{stem}(?:t?ing)?"
    return [p for p in out if p]


_US = {"US": "US(?:A)?", "UN": "UN", "UK": "UK"}
_POSS = "(?: s(?![a-z0-9]))?"  # a possessive inside a name: "the EU's foreign policy chief"


@lru_cache(maxsize=16384)
def _probe(text: str) -> tuple[tuple[str, ...], bool]:
    """Literals every match contains (in the folded or the case text): a cheap test before the regex.

    The start of the two longest words, short enough to survive inflection and spelling variants
    (centre/center share "cent"; terrorist/terror share "terror").
    """
    if is_acronym(text):
        return (text[:2],), True
    words = [_singular(t) for t in fold(text).split() if t and t not in ("against", "of", "the", "and", "on", "for", "in")]
    toks = sorted(words, key=len, reverse=True)[:2]
    out = []
    for t in toks:
        out.append("terror" if t.startswith("terror") else t[: max(2, min(5, len(t) - 2))])
    return tuple(out), False


@lru_cache(maxsize=16384)
def _regex(text: str) -> tuple[re.Pattern[str], bool]:
    """(pattern, on_case_text): acronyms search the prepared text with its case, others the fold."""
    if is_acronym(text):
        body = _US.get(text, re.escape(text))
        return re.compile(r"(?<![A-Za-z0-9])" + body + r"(?:s|'s|’s)?(?![A-Za-z0-9])"), True
    toks = [t for t in fold(text).split() if t]
    body = (_POSS + " *").join(_gerunds(toks))
    if body[:1].isalnum():  # literal first: the regex engine can then skip ahead to it
        return re.compile(body[0] + "(?<![a-z0-9]" + body[0] + ")" + body[1:] + r"(?![a-z0-9])"), False
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"), False


def find(text: str, prepared: str, folded: str, start: int = 0) -> tuple[int, int] | None:
    """Span of the first match of rendering ``text`` at or after ``start``, or ``None``.

    ``prepared`` is the target after :func:`ctlex.qa.markup.prepare` and ``folded`` is
    ``fold(prepared)``; both have the target's length, so the span is the target's.

    Example:
        >>> t = "U.S. officials said fighting terrorism and the terror attacks of Europol's allies"
        >>> from ctlex.qa.markup import prepare
        >>> p = prepare(t, english=True)
        >>> [p[s:e] for s, e in (find(x, p, fold(p)) for x in ("US", "fight against terrorism", "terrorist attack", "Europol"))]
        ['US', 'fighting terrorism', 'terror attacks', 'Europol']
    """
    pat, on_case = _regex(text)
    m = pat.search(prepared if on_case else folded, start)
    if not m:
        return None
    s, e = m.span()
    return (s, e)


def pattern_key(text: str) -> str:
    """Two renderings with the same key match the same target text (organised/organized crime)."""
    return _regex(text)[0].pattern


def find_all(text: str, prepared: str, folded: str) -> list[tuple[int, int]]:
    probes, case = _probe(text)
    hay = prepared if case else folded
    for p in probes:
        if p not in hay:
            return []
    pat, on_case = _regex(text)
    return [m.span() for m in pat.finditer(prepared if on_case else folded)]


# -- renderings -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendering:
    """An accepted English form of a concept and where it comes from."""

    text: str
    how: str  # "style", "term", "demonym", "surname", "undated"
    term: "Term | None" = None

    @property
    def derived(self) -> bool:
        return self.how not in ("style", "term")


_COMPASS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western"}
_MONTHS = "january february march april may june july august september october november december".split()
_DATE = re.compile(r"\b(?:of\s+)?(?:\d{1,2}\s+)?(?:" + "|".join(_MONTHS) + r")?\s*\b\d{4}\b|\b\d{1,2}\s+(?:" + "|".join(_MONTHS) + r")\b", re.I)
_PARTICLES = {"de", "di", "da", "van", "von", "al", "el", "bin", "ben", "abu", "le", "la", "du", "dos", "del"}


def _demonyms(word: str) -> list[str]:
    """Adjective forms of a place name's last word, by the regular English patterns."""
    w = word
    stems = {w}
    if w[-1:] in "aeiouy":
        stems.add(w[:-1])
    if w.endswith(("on", "ey")):
        stems.add(w[:-2])
    if w.endswith("stan"):
        stems.add(w)
    out: set[str] = set()
    for s in stems:
        if len(s) < 3:
            continue
        for suf in ("n", "an", "ian", "ese", "i", "ish", "ern", "ic"):
            out.add(s + suf)
    out.discard(w)
    if w in _COMPASS:
        out.add(_COMPASS[w])
    best = _likely_demonym(w)
    return [best] + sorted(out - {best})


def _likely_demonym(w: str) -> str:
    """The regular English demonym to show a reviewer first (Korea → Korean, Lebanon → Lebanese)."""
    if w in _COMPASS:
        return _COMPASS[w]
    if w.endswith("a"):
        return w + "n"
    if w.endswith("on"):
        return w[:-2] + "ese"
    if w.endswith(("stan", "q", "en")):
        return w + "i"
    if w.endswith("any"):
        return w[:-1]
    if w.endswith("y"):
        return w[:-1] + "ian"
    if w.endswith("i"):
        return w + "an"
    if w.endswith("e"):
        return w + "an"
    return w + "ian"


def _derived(concept: "Concept", accepted: list["Term"]) -> list[Rendering]:
    out: list[Rendering] = []
    seen = {t.text.lower() for t in accepted}

    def add(text: str, how: str, term: "Term") -> None:
        if text.lower() not in seen and text.strip():
            seen.add(text.lower())
            out.append(Rendering(text, how, term))

    for t in accepted:
        if is_acronym(t.text):
            continue
        words = t.text.split()
        if concept.type == "place" and words and words[-1][:1].isupper():
            for d in _demonyms(words[-1].lower()):
                add(" ".join(words[:-1] + [d.capitalize()]), "demonym", t)
            if len(words) == 2 and words[0].lower() in _COMPASS:
                add("the " + words[0], "demonym", t)  # "the North" for North Korea
        if concept.type == "person" and len(words) >= 2:
            rest = words[1:] if words[0].lower() not in ("sir", "dr", "dame") else words[2:]
            if len(rest) >= 2 or (rest and words[0].lower() in ("sir", "dr", "dame")):
                add(" ".join(rest), "surname", t)
            last = [w for w in words if w.lower() not in _PARTICLES][-1]
            if len(last) >= 4 and last[:1].isupper() and last != words[0]:
                add(last, "surname", t)
                if len(words) >= 3 and words[-2].lower() in _PARTICLES:
                    add(" ".join(words[-2:]), "surname", t)
        if any(c.isdigit() for c in t.text):
            undated = " ".join(_DATE.sub(" ", t.text).split())
            if len(undated.split()) >= 2 and undated != t.text:
                add(undated, "undated", t)
    return out


def renderings(concept: "Concept", style: str | None = None) -> list[Rendering]:
    """Every accepted rendering of ``concept``: expected ones first, then derived forms.

    Example:
        >>> from ctlex.glossary import Concept, Term
        >>> c = Concept("north-korea", "place", terms=[Term("North Korea", "en", "preferred"), Term("DPRK", "en", "admitted")])
        >>> [(r.text, r.how) for r in renderings(c) if r.text in ("North Korea", "DPRK", "North Korean", "the North")]
        [('North Korea', 'term'), ('DPRK', 'term'), ('North Korean', 'demonym'), ('the North', 'demonym')]
    """
    return list(_renderings(concept, style))


_SIGS: dict[tuple[int, str | None], tuple[tuple[object, ...], tuple[Rendering, ...]]] = {}


def _renderings(concept: "Concept", style: str | None) -> tuple[Rendering, ...]:
    """Cached per concept object and style; recomputed when the concept's terms change."""
    key = (id(concept), style)
    sig = tuple((t.text, t.lang, t.status, t.usage, tuple(t.styles)) for t in concept.terms) + (concept.type,)
    cached = _SIGS.get(key)
    if cached is not None and cached[0] == sig:
        return cached[1]
    en = [t for t in concept.terms_for("en") if t.usage != "forbidden"]
    styled = [t for t in en if style and style in t.styles]
    accepted = [t for t in en if t.status in ("preferred", "admitted") and t not in styled]
    out = [Rendering(t.text, "style", t) for t in styled] + [Rendering(t.text, "term", t) for t in accepted]
    out += _derived(concept, styled + accepted)
    res = tuple(out)
    _SIGS[key] = (sig, res)
    return res


# -- near misses ----------------------------------------------------------------------------------
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def near_miss(names: list[str], prepared: str, folded: str, *, cutoff: float = 85.0) -> tuple[int, int, str, float] | None:
    """The stretch of the target closest to one of ``names`` when close but not equal.

    Returns ``(start, end, name, score)`` with a RapidFuzz ``ratio`` of at least ``cutoff``.

    Example:
        >>> t = "High Commissioner Michele Bachelet said"
        >>> s, e, name, score = near_miss(["Michelle Bachelet"], t, fold(t))
        >>> t[s:e], name
        ('Michele Bachelet', 'Michelle Bachelet')
    """
    from rapidfuzz import fuzz

    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    best: tuple[int, int, str, float] | None = None
    for name in names:
        nf = " ".join(fold(name).split())
        if len(nf.replace(" ", "")) < 5:
            continue
        n = nf.count(" ") + 1
        for size in {max(1, n - 1), n, n + 1}:
            for i in range(0, len(toks) - size + 1):
                window = " ".join(t[2] for t in toks[i : i + size])
                if window == nf or abs(len(window) - len(nf)) > 4:
                    continue
                if window[:1] != nf[:1] and size == 1:
                    continue
                sc = fuzz.ratio(window, nf, score_cutoff=cutoff)
                if sc and (best is None or sc > best[3]):
                    best = (toks[i][0], toks[i + size - 1][1], name, sc)
    return best
