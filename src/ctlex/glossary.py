"""The concept-oriented glossary: data model, index, lookup and scan.

Two nouns carry the model, as in TBX: a :class:`Glossary` holds :class:`Concept` objects, and a
concept holds its :class:`Term` objects (each with a language and a status) and its
:class:`Source` citations.  Everything else is a method on those nouns.

The index is built lazily on the first lookup or scan and dropped whenever the glossary changes,
so it is always current.  Lookups cascade through match kinds, best first::

    exact → normalized → clitic → variant → fuzzy

and :meth:`Glossary.scan` finds every term in running text with offsets into the *original*
string (see :mod:`ctlex.arabic`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Container, Iterable, Iterator, Literal, Sequence

from . import arabic
from .errors import CtlexError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from .match.index import Matcher

__all__ = [
    "STATUSES",
    "USAGES",
    "CONCEPT_TYPES",
    "Term",
    "Source",
    "Concept",
    "Glossary",
    "Match",
    "Hit",
    "load",
    "slug_id",
    "unique_id",
]

Status = Literal["preferred", "admitted", "deprecated", "superseded"]
STATUSES: tuple[str, ...] = ("preferred", "admitted", "deprecated", "superseded")
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
# Usage flags CAT tools and reviewers rely on: a *forbidden* term must never appear in a target;
# a *do-not-translate* term is kept as written (goTravel).
USAGES: tuple[str, ...] = ("forbidden", "do-not-translate")
CONCEPT_TYPES: tuple[str, ...] = (
    "person",
    "organization",
    "group",
    "media",
    "programme",
    "instrument",
    "document",
    "place",
    "event",
    "role",
    "term",
)
MatchKind = Literal["exact", "pattern", "normalized", "clitic", "variant", "related", "short-form", "fuzzy"]
# an XML NCName (what TBX's id attribute allows): letters of any script, digits, - _ . and combining marks
_ID = re.compile(r"^[^\W\d][\w.\-\u00b7\u0300-\u036f\u203f\u2040\u064b-\u065f\u0670]*$")


@dataclass
class Term:
    """One designation of a concept in one language."""

    text: str
    lang: str
    status: str = "admitted"
    pos: str | None = None  # TBX partOfSpeech: noun, adjective, verb, adverb, other
    term_type: str | None = None  # TBX termType: fullForm, acronym, abbreviation, shortForm, variant, phrase
    note: str | None = None
    extra: list[str] = field(default_factory=list)  # unmodelled XML children, kept verbatim
    styles: list[str] = field(default_factory=list)  # house styles (TBX customerSubset) that prescribe this term
    usage: str | None = None  # None, "forbidden" or "do-not-translate" (see USAGES)
    # exclusion contexts: phrases in which this spelling is NOT this concept (كرة القاعدة for القاعدة)
    exclude: list[str] = field(default_factory=list)
    # False when the source file gave no status (a TBX without administrativeStatus, a plain
    # glossary): ``status`` is then only a placeholder ("admitted"), which merge never takes as a
    # demotion and writers never write out as if it were data
    status_given: bool = True

    def __post_init__(self) -> None:
        if self.usage is not None and self.usage not in USAGES:
            raise CtlexError(f"term {self.text!r}: unknown usage flag {self.usage!r} (known: {', '.join(USAGES)})")
        if self.status not in STATUS_RANK:
            raise CtlexError(f"term {self.text!r}: unknown status {self.status!r} (known: {', '.join(STATUSES)})")
        if self.usage == "forbidden" and self.status != "deprecated":
            # TBX carries "forbidden" as administrativeStatus deprecatedTerm plus a usage note
            raise CtlexError(f"term {self.text!r}: a forbidden term must have status 'deprecated', not {self.status!r}")
        if not self.text or not self.text.strip():
            raise CtlexError("empty term text")


@dataclass
class Source:
    """Where a concept was found: a document (e.g. a seed file name) and the sentence quoted from it."""

    file: str
    sentence: str = ""


@dataclass
class Concept:
    """A concept: what all its terms, in every language, designate."""

    id: str
    type: str = "term"
    subject: str | None = None
    definition: str | None = None
    notes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # unmodelled XML children, kept verbatim

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise CtlexError(f"concept id {self.id!r} is not a valid XML id (a letter or _, then letters, digits, - _ .)")

    def terms_for(self, lang: str, style: str | None = None) -> list[Term]:
        """Terms in ``lang`` (``'en'`` also matches ``'en-US'``), preferred first, file order kept.

        With a house ``style`` (``UN``, ``EU``, ``US-press``…), the terms that style prescribes
        come first (a deprecated one never does), then the rest in the usual order.
        """
        ts = sorted((t for t in self.terms if _same_lang(t.lang, lang)), key=lambda t: STATUS_RANK[t.status])
        if style is None:
            return ts
        return sorted(ts, key=lambda t: 0 if style in t.styles and t.status != "deprecated" else 1)

    def preferred(self, lang: str, style: str | None = None) -> Term | None:
        """The term to use in ``lang``: the ``style``'s term if it has one, else the preferred one."""
        ts = self.terms_for(lang, style)
        return ts[0] if ts else None

    def styles(self) -> list[str]:
        """House styles any term of this concept belongs to, in order of first appearance."""
        return list(dict.fromkeys(s for t in self.terms for s in t.styles))

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.terms:
            seen.setdefault(t.lang, None)
        return list(seen)

    def add_term(self, text: str, lang: str, status: str = "admitted", **kw: Any) -> Term:
        t = Term(text=text, lang=lang, status=status, **kw)
        self.terms.append(t)
        return t

    def to_dict(self, style: str | None = None) -> dict[str, Any]:
        """Summary in the shape the CLI's ``--json`` uses (a ``style``'s terms first)."""
        return {
            "id": self.id,
            "type": self.type,
            "en": [t.text for t in self.terms_for("en", style)],
            "ar": [t.text for t in self.terms_for("ar", style)],
        }


_NOT_ID = re.compile(r"[^a-z0-9]+")


def slug_id(text: str, *, prefix: str = "", default: str = "c") -> str:
    """A valid concept id made from ``text`` (key-folded, so Kocijančič → kocijancic).

    >>> slug_id("Global Counterterrorism Forum"), slug_id("2396"), slug_id("Markus Ritter", prefix="new-")
    ('global-counterterrorism-forum', 'c-2396', 'new-markus-ritter')
    """
    s = _NOT_ID.sub("-", arabic.key_text(text)).strip("-") or default
    s = prefix + s
    return s if s[0].isalpha() else "c-" + s


def unique_id(base: str, taken: "Container[str]") -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not in ``taken`` first."""
    cid, n = base, 2
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    return cid


def _same_lang(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a.split("-")[0] == b.split("-")[0]


@dataclass(frozen=True)
class Match:
    """A lookup result: which concept, how well, by which rule, and through which term."""

    concept: Concept
    score: float  # 0..1, higher is better
    match: MatchKind
    term: Term
    number: str | None = None  # the cited number, for pattern matches (resolution 2396)
    style: str | None = None  # house style the caller asked for: its terms are listed first

    def to_dict(self) -> dict[str, Any]:
        d = self.concept.to_dict(self.style)
        d.update(score=round(self.score, 4), match=self.match, matched_term=self.term.text)
        out = {k: d[k] for k in ("id", "type", "score", "match", "en", "ar", "matched_term")}
        if self.number is not None:
            out["number"] = self.number
        return out


@dataclass(slots=True)
class Hit:
    """A term found in running text; ``start``/``end`` index the *original* text."""

    start: int
    end: int
    text: str
    concept: Concept
    term: Term
    match: MatchKind
    alternatives: tuple[str, ...] = ()  # other concepts the same spelling designates
    nested: tuple["Hit", ...] = ()  # shorter terms inside this one (مكافحة الإرهاب in the GCTF's name)
    number: str | None = None  # the cited number, for pattern hits (القرار 2396)
    style: str | None = None  # house style the caller asked for: its terms are listed first

    def walk(self) -> Iterator["Hit"]:
        """This hit and, depth first, every hit nested in it."""
        yield self
        for h in self.nested:
            yield from h.walk()

    def to_dict(self) -> dict[str, Any]:
        d = self.concept.to_dict(self.style)
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "id": self.concept.id,
            "type": self.concept.type,
            "match": self.match,
            "term": self.term.text,
            "en": d["en"],
            "ar": d["ar"],
            "alternatives": list(self.alternatives),
            "nested": [h.to_dict() for h in self.nested],
            **({"number": self.number} if self.number is not None else {}),
        }


class Glossary:
    """An ordered collection of concepts with an index for lookup and scanning.

    >>> g = Glossary()
    >>> c = g.add(Concept("europol", "organization"))
    >>> _ = c.add_term("Europol", "en", "preferred"); _ = c.add_term("يوروبول", "ar", "preferred")
    >>> g.lookup("وليوروبول")[0].concept.id
    'europol'
    """

    def __init__(
        self,
        concepts: Iterable[Concept] = (),
        *,
        title: str = "ctlex glossary",
        description: str = "",
        source_lang: str = "ar",
        path: str | None = None,
        extra: list[str] | None = None,
    ) -> None:
        self.title = title
        self.extra: list[str] = list(extra or [])  # file-level parts a format keeps verbatim (TBX <back>…)
        self.description = description
        self.source_lang = source_lang
        self.path = path
        self._concepts: dict[str, Concept] = {}
        self._index: Matcher | None = None
        for c in concepts:
            self.add(c)

    # -- collection ---------------------------------------------------------------------------
    def add(self, concept: Concept) -> Concept:
        if concept.id in self._concepts:
            raise CtlexError(f"duplicate concept id {concept.id!r}")
        self._concepts[concept.id] = concept
        self._index = None
        return concept

    def replace(self, concept: Concept) -> None:
        """Add or overwrite the concept with ``concept.id``."""
        self._concepts[concept.id] = concept
        self._index = None

    def remove(self, concept_id: str) -> Concept:
        try:
            c = self._concepts.pop(concept_id)
        except KeyError:
            raise NotFoundError(f"no concept {concept_id!r}") from None
        self._index = None
        return c

    def touch(self) -> None:
        """Tell the glossary that a concept was edited in place, so the index is rebuilt."""
        self._index = None

    def get(self, concept_id: str) -> Concept | None:
        return self._concepts.get(concept_id)

    def __getitem__(self, concept_id: str) -> Concept:
        try:
            return self._concepts[concept_id]
        except KeyError:
            raise NotFoundError(f"no concept {concept_id!r}") from None

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())

    def __len__(self) -> int:
        return len(self._concepts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Glossary):
            return NotImplemented
        return list(self) == list(other)

    def styles(self) -> dict[str, int]:
        """House styles (TBX customerSubset) in the glossary → number of terms in each, by name."""
        counts: dict[str, int] = {}
        for c in self:
            for t in c.terms:
                for s in t.styles:
                    counts[s] = counts.get(s, 0) + 1
        return dict(sorted(counts.items()))

    def check_style(self, style: str | None) -> str | None:
        """``style`` itself if the glossary knows it (or it is ``None``); else a :class:`CtlexError`."""
        if style is None or style in self.styles():
            return style
        known = ", ".join(self.styles()) or "none"
        raise CtlexError(f"unknown style {style!r} (styles in this glossary: {known})")

    def stats(self) -> dict[str, Any]:
        by_type: dict[str, int] = {}
        by_lang: dict[str, int] = {}
        for c in self:
            by_type[c.type] = by_type.get(c.type, 0) + 1
            for t in c.terms:
                by_lang[t.lang] = by_lang.get(t.lang, 0) + 1
        return {
            "path": self.path,
            "concepts": len(self),
            "terms": sum(by_lang.values()),
            "by_type": dict(sorted(by_type.items())),
            "terms_by_lang": dict(sorted(by_lang.items())),
            "styles": self.styles(),
            "usage": dict(sorted(Counter(t.usage for c in self for t in c.terms if t.usage).items())),
        }

    # -- files --------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str], format: str | None = None) -> "Glossary":
        """Read a glossary file; the format comes from ``format``, the extension or the content."""
        from . import formats

        return formats.read_glossary(path, format=format)

    def save(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> None:
        """Write the glossary atomically (temporary file, then rename)."""
        from . import formats

        formats.write_glossary(self, path, format=format, **options)

    # -- index --------------------------------------------------------------------------------
    @property
    def index(self) -> "Matcher":
        """The matcher (:mod:`ctlex.match`) for the glossary as it is now; rebuilt after changes."""
        if self._index is None:
            from .match.index import Matcher

            self._index = Matcher(self)
        return self._index

    def lookup(self, query: str, lang: str | None = None, limit: int = 10, *, fuzzy: bool = True, min_score: float = 0.6,
               style: str | None = None) -> list[Match]:
        """Concepts that ``query`` designates, best first.

        ``lang`` (``'ar'``/``'en'``) restricts the terms considered; by default it is detected
        from the script of the query (a query in both scripts is looked up part by part).  Each
        result says which rule matched (``match``) and carries a score in 0..1: exact and pattern
        1.0, normalized 0.95, clitic 0.9, variant ≤ 0.85 (by similarity), related 0.8, short-form
        0.75, fuzzy ≤ 0.8 (by similarity).  A spelling found only through a name's skeleton is
        scored like a fuzzy match, by :func:`ctlex.match.fuzzy.similarity` (≤ 0.8; a surname alone
        ≤ 0.75), so it never outranks a nearer fuzzy match.  Numbers are compared as numbers,
        never fuzzily.
        With a house ``style`` (see :meth:`styles`) each result lists that style's terms first;
        an unknown style is a :class:`CtlexError`.
        """
        style = self.check_style(style)
        if not query.strip():
            return []
        lang = lang or arabic.detect_lang(query)
        found = self.index.lookup(query, lang=lang, limit=limit, fuzzy=fuzzy, min_score=min_score)
        return [replace(m, style=style) for m in found] if style else found

    def scan(self, text: str, lang: str | None = None, *, style: str | None = None) -> list[Hit]:
        """Every glossary term in ``text``, leftmost first, overlaps resolved (longest, then status).

        With a house ``style`` each hit (and nested hit) lists that style's terms first."""
        style = self.check_style(style)
        hits = self.index.scan(text, lang=lang)
        if style:
            for h in hits:
                for n in h.walk():
                    n.style = style
        return hits

    def scan_many(self, texts: Iterable[str], lang: str | None = None, *, style: str | None = None) -> list[list[Hit]]:
        """``[self.scan(t) for t in texts]``, faster for many short texts (segments of a file):
        the texts are scanned in batches, no match or context rule reaching from one into the next."""
        if type(self).scan is not Glossary.scan:  # a subclass's own scan is honoured, text by text
            return [self.scan(t, lang) if style is None else self.scan(t, lang, style=style) for t in texts]
        style = self.check_style(style)
        out = self.index.scan_many(list(texts), lang=lang)
        if style:
            for hits in out:
                for h in hits:
                    for n in h.walk():
                        n.style = style
        return out


def load(path: str | os.PathLike[str] | None = None, format: str | None = None) -> Glossary:
    """Load a glossary: ``path``, else ``$CTLEX_GLOSSARY``, else the glossary shipped with ctlex.
    A ``postgresql://`` URL opens the glossary store compiled into that database."""
    from .data import GLOSSARY_ENV, glossary_path
    from .store import open_glossary
    from .dburl import is_url

    chosen = path or os.environ.get(GLOSSARY_ENV)
    if isinstance(chosen, str) and is_url(chosen):  # a glossary store in PostgreSQL
        return open_glossary(chosen, format=format)
    p = glossary_path(path)
    return open_glossary(p, format=format)  # a compiled store (or a fresh one beside the file) opens as one


def _positions(tokens: Sequence[str]) -> list[int]:
    """Start offsets of space-separated tokens."""
    return [0, *accumulate(len(t) + 1 for t in tokens[:-1])] if tokens else []
