"""Check translations against the glossary: missing, deprecated and inconsistent terms, numbers.

:func:`check` takes aligned segments (any format :func:`ctlex.formats.read_segments` reads:
TMX, PO, XLIFF, TSV…) and a :class:`~ctlex.glossary.Glossary` and returns a :class:`QAReport`
of :class:`Issue` records.  Four kinds of issue, reported in this order within a segment:

``missing-term``
    A concept found in the source (with :meth:`Glossary.scan`, so clitics and spelling variants
    count) whose accepted English terms (preferred or admitted) are all absent from the target.
    English matching is case-, hyphen-, spacing-, possessive- and plural-tolerant
    (Counter-Terrorism = counterterrorism, fighter = fighters, EU's = EU); all-capital acronyms
    are matched with their case, so "us" is not "US".
``deprecated-term``
    A deprecated English term in the target.  When a deprecated term differs from an accepted one
    only in case (Interpol / INTERPOL) only its exact spelling counts.
``inconsistent``
    One Arabic term of a concept rendered by different accepted terms in different segments of
    the input (ISIS here, Daesh there).  Full forms and acronyms are compared separately, since
    "European Union … EU" is ordinary style.  Segments using the less frequent rendering are
    reported, with the majority rendering expected.
``number-mismatch``
    Numbers (digits in any script, thousands separators ignored) present on one side only, such
    as a resolution number off by one or a wrong year.  A small number (below 100) missing from
    one side is excused when the other side writes it in words.
``forbidden-term`` (an error)
    An English term flagged *forbidden* (usage ``forbidden``) in the target.  Forbidden terms
    are deprecated too, but are reported only under this kind.
``untranslated-dnt`` (a warning)
    A *do-not-translate* term (goTravel) written in the source whose kept form is missing from
    the target: it was translated or respelt.  The concept is then not also reported missing.

Every issue has a ``severity`` (:data:`SEVERITY`): ``error`` for forbidden terms, ``warning``
for everything else.  With a house ``style`` (``check(..., style="UN")``), that style's term is
the expected rendering listed first.

One-word Arabic short forms with the article (المجلس, المنظمة, التنظيم…) are common nouns as
often as they are names, and a name found only through its consonant skeleton may be another
word (الجديدة ~ القاعدة), so in those two cases a missing rendering is not reported.

Everything is a pure function over its inputs; issues are sorted by segment, kind, concept id and
position.  Exit codes and printing are the CLI's job.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from . import arabic

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Concept, Glossary, Hit, Term
    from .segment import Segment

__all__ = ["KINDS", "SEVERITY", "Issue", "QAReport", "check", "check_file", "english_fold", "find_english", "numbers"]

KINDS: tuple[str, ...] = ("missing-term", "deprecated-term", "inconsistent", "number-mismatch", "forbidden-term", "untranslated-dnt")
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}
SEVERITY: dict[str, str] = {k: "error" if k == "forbidden-term" else "warning" for k in KINDS}


# -- English matching -------------------------------------------------------------------------
def _singular(tok: str) -> str:
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 4 and tok.endswith(("ches", "shes", "sses", "xes")):
        return tok[:-2]
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


def _is_caps_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 1 < len(letters) <= 8 and all(c.isupper() for c in letters) and " " not in text.strip()


def _token_pattern(tok: str) -> str:
    if len(tok) > 3 and tok.endswith("y") and tok[-2] not in "aeiou":
        return re.escape(tok[:-1]) + "(?:y|ies)"
    s = _singular(tok)
    if s != tok:
        tok = s
        if tok.endswith("y") and len(tok) > 3:
            return re.escape(tok[:-1]) + "(?:y|ies)"
    return re.escape(tok) + "(?:e?s)?"


@lru_cache(maxsize=8192)
def _term_regex(term: str) -> tuple[re.Pattern[str], bool]:
    """(pattern, on_original): acronyms are searched case-sensitively in the original text."""
    if _is_caps_acronym(term):
        return re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?:s|'s|’s)?(?![A-Za-z0-9])"), True
    toks = [t for t in arabic.key_text(term).split(" ") if t]
    body = " ?".join(_token_pattern(t) for t in toks)
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"), False


def find_english(term: str, target: str, target_key: str | None = None) -> str | None:
    """The stretch of ``target`` matching the English ``term`` tolerantly, or ``None``.

    ``target_key`` is ``arabic.key_text(target)`` when the caller already has it.  The match is
    returned in key form (lower case) except for acronyms, which keep their case.

    Example:
        >>> find_english("counter-terrorism", "EU Counterterrorism efforts")
        'counterterrorism'
        >>> find_english("foreign terrorist fighter", "Foreign Terrorist Fighters returned")
        'foreign terrorist fighters'
        >>> find_english("US", "he told us") is None
        True
    """
    pat, on_original = _term_regex(term)
    if on_original:
        m = pat.search(target)
    else:
        m = pat.search(target_key if target_key is not None else arabic.key_text(target))
    return m.group(0) if m else None


# -- numbers ----------------------------------------------------------------------------------
_NUMBER = re.compile(r"(?<!\d)(?<!\d[.,])\d+(?:,\d{3})*(?:\.\d+)?")
_SCALE = re.compile(r"[)\s]{0,2}(ألفا|الفا|ألف|الف|آلاف|الاف|مليونا|مليون|ملايين|مليارا|مليار|مليارات|thousand|million|billion)\b", re.I)
_SCALES = {"ألفا": 3, "الفا": 3, "مليونا": 6, "مليارا": 9, "ألف": 3, "الف": 3, "آلاف": 3, "الاف": 3, "thousand": 3, "مليون": 6, "ملايين": 6, "million": 6,
           "مليار": 9, "مليارات": 9, "billion": 9}
_EN_WORDS = {
    1: ("one", "first", "single", "once"), 2: ("two", "second", "both", "twice", "pair", "double"), 3: ("three", "third"),
    4: ("four", "fourth"), 5: ("five", "fifth"), 6: ("six", "sixth"), 7: ("seven", "seventh"), 8: ("eight", "eighth"),
    9: ("nine", "ninth"), 10: ("ten", "tenth"), 11: ("eleven",), 12: ("twelve", "dozen"), 20: ("twenty",),
    30: ("thirty",), 40: ("forty",), 50: ("fifty", "half"), 100: ("hundred",),
}
# Arabic number words on the key level (ا for any alef, ه for ta marbuta), as stems.
_AR_WORDS = {
    1: ("واحد", "اول", "احادي"), 2: ("اثن", "ثاني", "ثنائي"), 3: ("ثلاث", "ثالث"), 4: ("اربع", "رابع"),
    5: ("خمس", "خامس"), 6: ("ست", "سادس"), 7: ("سبع", "سابع"), 8: ("ثمان", "ثامن"), 9: ("تسع", "تاسع"),
    10: ("عشر", "عاشر"), 20: ("عشرين", "عشرون"), 50: ("خمسين", "خمسون"), 100: ("مئه", "مائه", "مءه", "ماءه"),
}


def numbers(text: str) -> list[tuple[str, str]]:
    """Numbers in ``text`` as ``(value, as written)``; Arabic-Indic digits and separators folded.

    Example:
        >>> numbers("القرار ٢١٧٨ لعام 2014")
        [('2178', '٢١٧٨'), ('2014', '2014')]
        >>> numbers("2,500 fighters, 7th meeting, بـ14 مليون و(21)ألف")
        [('2500', '2,500'), ('7', '7'), ('14000000', '14'), ('21000', '21')]
    """
    c = arabic.clean(text)
    out: list[tuple[str, str]] = []
    for m in _NUMBER.finditer(c.text):
        raw = m.group(0)
        value = raw.replace(",", "")
        sc = _SCALE.match(c.text, m.end())
        if sc:  # 21 ألف = 21,000 = 21 thousand; 14 million = 14 مليون
            from decimal import Decimal

            value = format(Decimal(value).scaleb(_SCALES[sc.group(1).lower()]).normalize(), "f")
        elif "." not in value:
            value = str(int(value))
        s, e = c.span(m.start(), m.end())
        out.append((value, text[s:e]))
    return out


def _in_words(value: str, words_key: str, table: dict[int, tuple[str, ...]]) -> bool:
    try:
        v = int(value)
    except ValueError:
        return False
    stems = table.get(v, ())
    return any(re.search(r"(?<!\w)(?:[وفبلك]|ال|وال|بال|لل)?" + re.escape(s), words_key) for s in stems)


# -- records ----------------------------------------------------------------------------------
@dataclass
class Issue:
    """One finding, with the evidence a reviewer needs (see the module docstring for ``kind``)."""

    segment: int | str  # the segment's id, else its 1-based position
    index: int  # 0-based position in the input
    kind: str
    concept: str | None  # glossary concept id (None for number-mismatch)
    source_term: str | None  # the source text at fault, as written
    expected: list[str]  # accepted renderings (or the numbers the target should hold)
    target: str
    source: str = ""
    span: tuple[int, int] | None = None  # of source_term in source
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "kind": self.kind,
            "id": self.concept,
            "source_term": self.source_term,
            "expected": self.expected,
            "target": self.target,
            "message": self.message,
            "severity": self.severity,
        }

    @property
    def severity(self) -> str:
        return SEVERITY.get(self.kind, "warning")

    def sort_key(self) -> tuple[int, int, str, int]:
        return (self.index, _KIND_RANK[self.kind], self.concept or "", self.span[0] if self.span else -1)


@dataclass
class QAReport:
    """All issues found, and how many segments were checked."""

    issues: list[Issue] = field(default_factory=list)
    segments: int = 0

    @property
    def clean(self) -> bool:
        return not self.issues

    def counts(self) -> dict[str, int]:
        c = Counter(i.kind for i in self.issues)
        return {k: c[k] for k in KINDS if c[k]}

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: ``{"issues": [...], "segments": int}``."""
        return {"issues": [i.to_dict() for i in self.issues], "segments": self.segments}


# -- the check --------------------------------------------------------------------------------
def _accepted(concept: "Concept", style: str | None = None) -> list["Term"]:
    return [t for t in concept.terms_for("en", style) if t.status in ("preferred", "admitted")]


def _ambiguous_short_form(hit: "Hit") -> bool:
    """One-word Arabic short forms with the article are as often common nouns as names."""
    t = hit.term
    k = arabic.key_text(t.text)
    return t.term_type == "shortForm" and " " not in k and k.startswith("ال")


def _skeleton_only(hit: "Hit") -> bool:
    """A name found only through its consonant skeleton (الجديدة ~ القاعدة): too weak to blame the target."""
    if hit.match != "variant":
        return False
    a = arabic.key_text(hit.text).replace(" ", "")
    b = arabic.key_text(hit.term.text).replace(" ", "")
    return not (a.endswith(b) or b.endswith(a) or a.endswith(b[2:]) and b.startswith("ال"))


def _is_acronymish(term: "Term") -> bool:
    return term.term_type in ("acronym", "abbreviation") or _is_caps_acronym(term.text)


@dataclass
class _Deprecated:
    concept: "Concept"
    term: "Term"
    exact: bool  # only this exact spelling counts (it clashes with an accepted term but for case)


def _deprecated_terms(glossary: "Glossary") -> list[_Deprecated]:
    accepted = {english_fold(t.text) for c in glossary for t in _accepted(c)}
    out = []
    for c in glossary:
        for t in c.terms_for("en"):
            if t.status == "deprecated" and t.usage != "forbidden":  # forbidden: _usage_issues
                out.append(_Deprecated(c, t, english_fold(t.text) in accepted))
    return out


def check(segments: Iterable["Segment"], glossary: "Glossary", *, style: str | None = None) -> QAReport:
    """Check aligned Arabic→English ``segments`` against ``glossary``.

    Example:
        >>> from ctlex.glossary import Concept, Glossary, Term
        >>> from ctlex.segment import Segment
        >>> g = Glossary([Concept("europol", "organization", terms=[Term("يوروبول", "ar", "preferred"), Term("Europol", "en", "preferred")])])
        >>> r = check([Segment("وأعلن يوروبول", "Europol announced"), Segment("وقال اليوروبول", "Interpol said")], g)
        >>> [(i.segment, i.kind, i.concept, i.source_term) for i in r.issues]
        [(2, 'missing-term', 'europol', 'يوروبول')]
    """
    style = glossary.check_style(style)
    deprecated = _deprecated_terms(glossary)
    flags = _usage_terms(glossary)
    report = QAReport()
    issues: list[Issue] = []
    # (concept id, Arabic term, acronym?) → [(segment index, rendering fold, surface, term status rank)]
    renderings: dict[tuple[str, str, bool], list[tuple[int, str, str, int, Issue]]] = {}
    from .glossary import STATUS_RANK

    n = 0
    for n, seg in enumerate(segments, 1):
        idx = n - 1
        src, tgt = seg.source, seg.target
        if (seg.source_lang or "").lower().startswith("en") and (seg.target_lang or "").lower().startswith("ar"):
            src, tgt = tgt, src
        sid: int | str = seg.id if seg.id else n
        tgt_key = arabic.key_text(tgt)
        hits = glossary.scan(src, lang="ar") if src else []
        flagged: set[str] = set()
        found_usage = _usage_issues(flags, sid, idx, src, tgt, tgt_key, hits, style)
        issues.extend(found_usage)
        flagged.update(i.concept for i in found_usage if i.concept)
        # deprecated terms in the target
        for d in deprecated:
            if d.exact:
                found = re.search(r"(?<![\w-])" + re.escape(d.term.text) + r"(?![\w-])", tgt) is not None
            else:
                found = find_english(d.term.text, tgt, tgt_key) is not None
            if not found:
                continue
            hit = next((h for h in hits if h.concept.id == d.concept.id), None)
            flagged.add(d.concept.id)
            issues.append(
                Issue(sid, idx, "deprecated-term", d.concept.id, hit.text if hit else None, [t.text for t in _accepted(d.concept, style)], tgt, src,
                      (hit.start, hit.end) if hit else None, f"deprecated term {d.term.text!r} in the target")
            )
        # glossary concepts in the source
        seen: set[str] = set()
        for h in hits:
            cid = h.concept.id
            if h.match in ("pattern", "related"):
                continue  # citations are checked as numbers; an adjective is not the place itself
            accepted = _accepted(h.concept, style)
            if not accepted or cid in seen:
                continue
            seen.add(cid)
            matches = [(m, t) for t in accepted if (m := find_english(t.text, tgt, tgt_key)) is not None]
            if not matches:
                if cid in flagged or _ambiguous_short_form(h) or _skeleton_only(h):
                    continue
                if any(other.concept.id != cid and _en_overlap(other, h) for other in hits):
                    continue
                issues.append(
                    Issue(sid, idx, "missing-term", cid, h.text, [t.text for t in accepted], tgt, src, (h.start, h.end),
                          f"{h.text!r} ({cid}) is not rendered as {' / '.join(t.text for t in accepted)}")
                )
                continue
            # an adjective rendering (Italian for إيطاليا) is accepted but is not a rendering to
            # keep consistent: the noun and the adjective are both ordinary style
            matches = [(m, t) for m, t in matches if t.pos != "adjective"]
            for acro in (False, True):
                group = [(m, t) for m, t in matches if _is_acronymish(t) == acro]
                if not group:
                    continue
                m, t = max(group, key=lambda mt: (len(mt[0]), -STATUS_RANK[mt[1].status]))
                issue = Issue(sid, idx, "inconsistent", cid, h.text, [], tgt, src, (h.start, h.end))
                key = (cid, arabic.key_text(h.term.text), acro)
                renderings.setdefault(key, []).append((idx, english_fold(t.text), t.text, STATUS_RANK[t.status], issue))
        # numbers
        issues.extend(_number_issues(sid, idx, src, tgt, tgt_key))
    report.segments = n
    issues.extend(_inconsistencies(renderings))
    issues.sort(key=Issue.sort_key)
    report.issues = issues
    return report


# -- usage flags: forbidden and do-not-translate terms ----------------------------------------
def _usage_terms(glossary: "Glossary") -> list[tuple["Concept", "Term"]]:
    """Every term with a usage flag: forbidden English terms and do-not-translate terms."""
    return [(c, t) for c in glossary for t in c.terms
            if t.usage == "do-not-translate" or (t.usage == "forbidden" and t.lang.lower().startswith("en"))]


def _kept(text: str, target: str) -> bool:
    """``text`` written as is in ``target`` (a capital first letter at a sentence start allowed)."""
    forms = {text, text[:1].upper() + text[1:]}
    return any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", target) for f in forms)


def _usage_issues(flags: list[tuple["Concept", "Term"]], sid: int | str, idx: int, src: str, tgt: str, tgt_key: str,
                  hits: list["Hit"], style: str | None) -> list[Issue]:
    out: list[Issue] = []
    dnt_done: set[str] = set()
    for c, t in flags:
        hit = next((h for h in hits if h.concept.id == c.id), None)
        span = (hit.start, hit.end) if hit else None
        if t.usage == "forbidden":
            if find_english(t.text, tgt, tgt_key) is None:
                continue
            out.append(Issue(sid, idx, "forbidden-term", c.id, hit.text if hit else None, [x.text for x in _accepted(c, style)],
                             tgt, src, span, f"forbidden term {t.text!r} in the target"))
        elif c.id not in dnt_done and re.search(r"(?<![\w-])" + re.escape(t.text) + r"(?![\w-])", src, re.I) and not _kept(t.text, tgt):
            dnt_done.add(c.id)
            m = re.search(re.escape(t.text), src, re.I)
            out.append(Issue(sid, idx, "untranslated-dnt", c.id, m.group(0) if m else t.text, [t.text], tgt, src,
                             (m.start(), m.end()) if m else span, f"{t.text!r} is not to be translated: keep it as written"))
    return out


def _en_overlap(other: "Hit", h: "Hit") -> bool:
    """True when ``h`` lies inside a longer hit (scan already resolves overlaps; kept for safety)."""
    return other.start <= h.start and h.end <= other.end and (other.end - other.start) > (h.end - h.start)


def _inconsistencies(renderings: dict[tuple[str, str, bool], list[tuple[int, str, str, int, "Issue"]]]) -> list[Issue]:
    out: list[Issue] = []
    for key in sorted(renderings):
        rows = renderings[key]
        folds = Counter(r[1] for r in rows)
        if len(folds) < 2:
            continue
        best_rank = {f: min(r[3] for r in rows if r[1] == f) for f in folds}
        major = min(folds, key=lambda f: (-folds[f], best_rank[f], f))
        surface = next(r[2] for r in rows if r[1] == major)
        for idx, f, text, _, issue in rows:
            if f == major or f in major or major in f:  # "Syromolotov" within "Oleg Syromolotov"
                continue
            issue.expected = [surface]
            issue.message = f"rendered {text!r} here but {surface!r} in {folds[major]} other segment(s)"
            out.append(issue)
    return out


def _number_issues(sid: int | str, idx: int, src: str, tgt: str, tgt_key: str) -> list[Issue]:
    sn = numbers(src)
    tn = numbers(tgt)
    if not sn and not tn:
        return []
    svals = {v for v, _ in sn}
    tvals = {v for v, _ in tn}
    missing = [(v, w) for v, w in sn if v not in tvals and not _small_in_words(v, tgt_key, _EN_WORDS)]
    extra = [(v, w) for v, w in tn if v not in svals]
    if extra:
        src_key = arabic.key_text(src)
        extra = [(v, w) for v, w in extra if not _small_in_words(v, src_key, _AR_WORDS)]
    missing = list(dict.fromkeys(missing))
    extra = list(dict.fromkeys(extra))
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append("not in the target: " + ", ".join(w for _, w in missing))
    if extra:
        parts.append("not in the source: " + ", ".join(w for _, w in extra))
    span = None
    if missing:
        m = re.search(re.escape(missing[0][1]), src)
        span = (m.start(), m.end()) if m else None
    return [
        Issue(sid, idx, "number-mismatch", None, ", ".join(w for _, w in missing) or None, [v for v, _ in missing] or [v for v, _ in sn],
              tgt, src, span, "; ".join(parts))
    ]


def _small_in_words(value: str, other_key: str, table: dict[int, tuple[str, ...]]) -> bool:
    """A number up to 100 that the other side writes in words (مائة مليون ↔ 100 million)."""
    try:
        v = int(value)
    except ValueError:
        return False
    while v >= 1000 and v % 1000 == 0:  # 100 million → 100: the scale word is checked with the digits
        v //= 1000
    return v <= 100 and _in_words(str(v), other_key, table)


def check_file(path: str | os.PathLike[str], glossary: "Glossary", format: str | None = None, *, style: str | None = None) -> QAReport:
    """Read a bilingual file with :func:`ctlex.formats.read_segments` and :func:`check` it.

    Example:
        >>> from ctlex.data import tm_files
        >>> from ctlex.glossary import load
        >>> check_file(tm_files()[0], load()).counts()
        {}
    """
    from .formats import read_segments

    return check(read_segments(path, format), glossary, style=style)
