"""Result records of suggestions and proposals, with their JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    align: float = 0.0  # word alignment agreement: mean F of candidate vs the term's links
    links: float = 0.0  # weighted alignment links from the term's words into this candidate
    foreign: float = 0.0  # share of the candidate explained by other words or glossary terms
    completes: str | None = None  # the shorter candidate this complete phrase replaced at the top
    confidence: float = 0.0  # 0..1, calibrated: of suggestions at 0.9, about nine in ten are right

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
    alignment: str = "none"  # "eflomal" when word links were used
    alignment_note: str | None = None  # why there were none

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

