"""The records a check produces: :class:`Issue` (one finding) and :class:`QAReport` (all of them).

Every issue has a *kind* (what is wrong) and a *severity* (how sure and how bad):

========================  ========  ===========================================================
kind                      severity  meaning
========================  ========  ===========================================================
``untranslated``          error     the target is empty, or is the source text again
``forbidden-term``        error     a term the glossary marks ``forbidden`` is in the target
``missing-term``          error     a source concept none of whose accepted renderings is there
``misspelt-term``         error     a rendering close to an accepted one but not equal (names)
``number-mismatch``       error     a number (or resolution number) on one side only
``url-mismatch``          error     URLs differ (translate-toolkit ``urls``)
``email-mismatch``        error     e-mail addresses differ (translate-toolkit ``emails``)
``deprecated-term``       warning   a deprecated English term in the target
``dnt-translated``        warning   a do-not-translate term rendered otherwise
``doubled-word``          warning   "the the" (translate-toolkit ``doublewords``)
``brackets``              info      brackets added or dropped (translate-toolkit ``brackets``)
``end-punctuation``       info      end punctuation differs (translate-toolkit ``endpunc``)
``inconsistent``          info      one source concept rendered differently across the file
``inconsistent-target``   info      one English rendering used for two concepts in the file
========================  ========  ===========================================================

There is one row per (segment, concept): a concept that is both misspelt and, say, deprecated is
reported once, with the most severe kind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "SEVERITIES", "SEVERITY", "Issue", "QAReport", "at_least"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY: dict[str, str] = {
    "untranslated": "error",
    "forbidden-term": "error",
    "missing-term": "error",
    "misspelt-term": "error",
    "number-mismatch": "error",
    "url-mismatch": "error",
    "email-mismatch": "error",
    "deprecated-term": "warning",
    "dnt-translated": "warning",
    "doubled-word": "warning",
    "brackets": "info",
    "end-punctuation": "info",
    "inconsistent": "info",
    "inconsistent-target": "info",
}
KINDS: tuple[str, ...] = tuple(SEVERITY)
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}
_SEV_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as serious as ``threshold`` or more (error ≥ warning ≥ info)."""
    return _SEV_RANK[severity] <= _SEV_RANK[threshold]


@dataclass
class Issue:
    """One finding, with the evidence a reviewer needs (see the module docstring for ``kind``)."""

    segment: int | str  # the segment's id, else its 1-based position
    index: int  # 0-based position in the input
    kind: str
    concept: str | None  # glossary concept id (None for checks not tied to a concept)
    source_term: str | None  # the source text at fault, as written
    expected: list[str]  # accepted renderings (or the numbers the target should hold)
    target: str
    source: str = ""
    span: tuple[int, int] | None = None  # of source_term in source
    message: str = ""
    severity: str = ""  # defaults to SEVERITY[kind]
    target_span: tuple[int, int] | None = None  # the target text at fault, when there is one
    found: str | None = None  # that target text, as written

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = SEVERITY[self.kind]

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
            "source": self.source,
            "source_span": list(self.span) if self.span else None,
            "found": self.found,
            "target_span": list(self.target_span) if self.target_span else None,
        }

    def sort_key(self) -> tuple[int, int, str, int]:
        return (self.index, _KIND_RANK[self.kind], self.concept or "", self.span[0] if self.span else -1)

    def rank(self) -> tuple[int, int]:
        """Smaller is more serious: used to keep one row per (segment, concept)."""
        return (_SEV_RANK[self.severity], _KIND_RANK[self.kind])


@dataclass
class QAReport:
    """All issues found, how many segments were checked, and how many issues were suppressed."""

    issues: list[Issue] = field(default_factory=list)
    segments: int = 0
    suppressed: int = 0

    @property
    def clean(self) -> bool:
        return not self.issues

    def counts(self) -> dict[str, int]:
        """Issues per kind, in :data:`KINDS` order, kinds with none left out."""
        c = Counter(i.kind for i in self.issues)
        return {k: c[k] for k in KINDS if c[k]}

    def severity_counts(self) -> dict[str, int]:
        c = Counter(i.severity for i in self.issues)
        return {s: c[s] for s in SEVERITIES if c[s]}

    def fails(self, fail_on: str = "warning") -> bool:
        """True when an issue is at ``fail_on`` severity or above (the CLI's exit status 1)."""
        return any(at_least(i.severity, fail_on) for i in self.issues)

    def flagged_segments(self, at: str = "warning") -> set[int]:
        """0-based indexes of the segments with an issue at ``at`` severity or above."""
        return {i.index for i in self.issues if at_least(i.severity, at)}

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: ``{"issues": [...], "segments": int, ...}`` (fields only ever added)."""
        return {
            "issues": [i.to_dict() for i in self.issues],
            "segments": self.segments,
            "counts": self.counts(),
            "severities": self.severity_counts(),
            "suppressed": self.suppressed,
        }
