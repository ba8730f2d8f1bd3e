"""Result records of the translation memory: matches, concordance hits, import reports, plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Match", "ConcordanceHit", "ImportReport", "CandidatePlan"]

@dataclass
class Match:
    """A fuzzy match: score 0..100 (higher is better), the original texts and where they came from.

    ``terms`` lists glossary hits in the match's source (when a glossary was given), as
    ``(start, end, concept_id)`` in original offsets, so a front end can highlight them.
    """

    score: float
    source: str
    target: str
    origin: str | None
    id: int
    count: int = 1
    source_lang: str = "ar"
    target_lang: str = "en"
    terms: list[tuple[int, int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"score": self.score, "source": self.source, "target": self.target, "origin": self.origin}
        if self.terms:
            d["terms"] = [{"start": s, "end": e, "concept": c} for s, e, c in self.terms]
        return d


@dataclass
class ConcordanceHit:
    """A segment containing the phrase: ``spans`` index the side searched (``side``), in original
    offsets; ``counterpart_spans`` mark the glossary equivalent in the other side when known."""

    id: int
    source: str
    target: str
    origin: str | None
    side: str
    spans: list[tuple[int, int]]
    counterpart_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source if self.side == "source" else self.target

    @property
    def counterpart(self) -> str:
        return self.target if self.side == "source" else self.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "side": self.side,
            "text": self.text,
            "hits": [{"start": s, "end": e, "text": self.text[s:e]} for s, e in self.spans],
            "counterpart": self.counterpart,
            "counterpart_hits": [{"start": s, "end": e, "text": self.counterpart[s:e]} for s, e in self.counterpart_spans],
            "origin": self.origin,
        }


@dataclass
class ImportReport:
    """What an import did: units read, rows added (of which ``variants`` share an earlier unit's
    index entry), same units merged, units skipped by reason, and (``reads``) each file's
    reader report: what it skipped, on which lines, and its warnings.

    Example:
        >>> r = ImportReport(read=3, added=1, merged=1)
        >>> r.skip("empty source or target")
        >>> r.to_dict()["skipped"], r.skipped_total
        ({'empty source or target': 1}, 1)
    """

    read: int = 0
    added: int = 0
    merged: int = 0
    variants: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    reads: list[Any] = field(default_factory=list, repr=False)  # one ctlex.formats.ReadReport per file imported

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` units skipped for ``reason``."""
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "read": self.read, "added": self.added, "merged": self.merged,
                "variants": self.variants, "skipped": dict(self.skipped), "readers": [r.to_dict() for r in self.reads]}


@dataclass
class CandidatePlan:
    """How the index will find candidates for a query (``tm search --explain``)."""

    query_key: str
    tokens: list[tuple[str, int]]  # (token, document frequency), rarest first
    used: list[str]  # tokens whose postings are read
    budget: int
    candidates: int  # how many candidates are re-scored
    sql: list[str]  # the statements run, with their SQLite query plans
    plans: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_key": self.query_key,
            "tokens": [{"token": t, "df": df, "used": t in self.used} for t, df in self.tokens],
            "postings_budget": self.budget,
            "rescored_candidates": self.candidates,
            "sql": [{"statement": s, "plan": p} for s, p in zip(self.sql, self.plans)],
        }
