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
    tied: bool = False  # the next candidate scores the same: low confidence
    glossary_tie: bool = False  # first because the glossary has it and the evidence was close
    evidence: dict[str, float] = field(default_factory=dict, repr=False)  # the confidence model's inputs

    def features(self) -> dict[str, float]:
        """The evidence the confidence was computed from."""
        return dict(self.evidence)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"en": self.en, "score": round(self.score, 4), "confidence": self.confidence, "count": self.count,
                             "examples": self.examples}
        for k in ("glossary", "acronym", "expansion", "completes"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.glossary_tie:
            d["glossary_tie"] = True
        if self.tied:
            d["tied"] = True
        d["evidence"] = {"segments": self.count, "alignment_links": self.links, "alignment": self.align,
                         "transliteration": self.translit, "dice": self.dice, "g2": self.llr}
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
    usage: str | None = None  # "translators use X in 7 of 9 segments; the glossary prefers Y"

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
            "alignment": self.alignment,
            "alignment_note": self.alignment_note,
            "usage": self.usage,
            "low_confidence": self.low_confidence,
        }

    @property
    def low_confidence(self) -> bool:
        """Thin evidence: one segment, a tie, or a top confidence below :data:`~ctlex.suggest.confidence.LOW`."""
        from .confidence import LOW

        t = self.top
        return t is not None and (self.segments <= 1 or t.tied or t.confidence < LOW)



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
    confidence: float = 0.0  # the top suggestion's calibrated confidence
    links: float = 0.0  # weighted alignment links from the Arabic term into the rendering
    translit: float = 0.0  # transliteration similarity (names)
    together: int = 0  # segments holding both the Arabic term and the rendering

    def evidence_note(self) -> str:
        """One line of evidence for a reviewer (written into the draft's notes)."""
        return (f"evidence: {self.together} of {self.count} segments hold both; alignment links {self.links:g}; "
                f"transliteration {self.translit:.2f}; confidence {self.confidence:.2f}; score {self.score:.2f}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ar": self.ar,
            "en": self.en,
            "score": round(self.score, 4),
            "confidence": self.confidence,
            "count": self.count,
            "examples": self.examples,
            "alternatives": self.alternatives,
            "status": "admitted",
            "evidence": {"segments": self.count, "together": self.together, "alignment_links": self.links,
                         "transliteration": round(self.translit, 4)},
        }

