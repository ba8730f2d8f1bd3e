"""Suppressions: issues a reviewer has accepted, kept in a TSV file so a re-run shows only new ones.

The file has a header and three columns::

    segment-or-source-text	concept	kind
    p017	council-of-the-european-union	missing-term
    وأعلن يوروبول عن خطة جديدة		number-mismatch

``segment-or-source-text`` is a segment id, or the segment's source text when segments have no ids
(it then survives reordering); ``concept`` is a concept id, empty for issues not tied to one;
``kind`` is an issue kind or ``*`` for any.  Lines starting with ``#`` and blank lines are skipped.
:func:`write` produces such a file from a report; :func:`load` reads one, and a bad line is a
:class:`~ctlex.errors.ParseError` naming the file and the line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

from ..errors import ParseError
from .report import KINDS, Issue, QAReport

__all__ = ["HEADER", "Suppression", "load", "write", "apply"]

HEADER = ("segment-or-source-text", "concept", "kind")


@dataclass(frozen=True)
class Suppression:
    segment: str
    concept: str
    kind: str

    def matches(self, issue: Issue) -> bool:
        if self.kind != "*" and self.kind != issue.kind:
            return False
        if self.concept != (issue.concept or ""):
            return False
        return self.segment == str(issue.segment) or self.segment == _one_line(issue.source)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load(path: str | os.PathLike[str]) -> list[Suppression]:
    """The suppressions in ``path``."""
    from ..formats._io import read_text

    text = read_text(path)
    out: list[Suppression] = []
    header_seen = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\r").split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cols) != HEADER:
                raise ParseError(f"expected the header {' / '.join(HEADER)} (tab-separated)", path, n)
            header_seen = True
            continue
        if len(cols) != 3:
            raise ParseError(f"expected 3 tab-separated columns, found {len(cols)}", path, n)
        seg, concept, kind = (c.strip() for c in cols)
        if not seg:
            raise ParseError("empty segment-or-source-text", path, n)
        if kind != "*" and kind not in KINDS:
            raise ParseError(f"unknown issue kind {kind!r} (known: {', '.join(KINDS)}, or *)", path, n)
        out.append(Suppression(seg, concept, kind))
    if not header_seen:
        raise ParseError("empty suppression file (no header)", path, 1)
    return out


def rows(issues: Iterable[Issue]) -> list[tuple[str, str, str]]:
    out: dict[tuple[str, str, str], None] = {}
    for i in issues:
        # a real id is kept; a position (or a numeric id a TSV reader made from line numbers) is not stable
        seg = str(i.segment) if isinstance(i.segment, str) and not str(i.segment).isdigit() else _one_line(i.source)
        out.setdefault((seg.replace("\t", " "), i.concept or "", i.kind), None)
    return list(out)


def write(report: QAReport, path: str | os.PathLike[str]) -> int:
    """Write the report's issues as suppressions (atomically); returns the number of rows."""
    from ..formats._io import atomic_write

    rs = rows(report.issues)
    with atomic_write(path, newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rs:
            f.write("\t".join(r) + "\n")
    return len(rs)


def apply(report: QAReport, suppressions: list[Suppression]) -> QAReport:
    """A copy of ``report`` without the suppressed issues; ``suppressed`` counts them.

    Example:
        >>> from ctlex.qa.report import Issue, QAReport
        >>> r = QAReport([Issue("u1", 0, "missing-term", "europol", "يوروبول", ["Europol"], "Eurojust")], segments=1)
        >>> r2 = apply(r, [Suppression("u1", "europol", "missing-term")])
        >>> len(r2.issues), r2.suppressed
        (0, 1)
    """
    kept = [i for i in report.issues if not any(s.matches(i) for s in suppressions)]
    return QAReport(issues=kept, segments=report.segments, suppressed=report.suppressed + len(report.issues) - len(kept))
