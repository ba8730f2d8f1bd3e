"""What a reader did with a file: how much it read, what it skipped and why, what it warns about.

Every reader takes an optional ``report=`` (a :class:`ReadReport`).  Nothing a reader leaves out
is silent: each skipped unit is counted under a reason, and each oddity that does not stop the
import (a PO file without header, a file that may be truncated) is a warning with its line::

    >>> r = ReadReport("x.xlf")
    >>> r.read(); r.skip("empty target", line=7); r.skip("empty target", line=9)
    >>> r.summary()
    'x.xlf: read 1, skipped 2 (empty target: 2)'

The CLI prints :meth:`ReadReport.lines` after an import; ``to_dict`` feeds ``--json``.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ReadReport", "Warning_"]


@dataclass(frozen=True)
class Warning_:
    """One warning: what and where (``line`` is None when the file has no lines, e.g. XLSX)."""

    message: str
    line: int | None = None

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: warning: {self.message}" if self.line is not None else f"{path}: warning: {self.message}"


@dataclass
class ReadReport:
    """Counts for one file: units read, units skipped by reason (with the first lines), warnings."""

    path: str = "<input>"
    count: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_lines: dict[str, list[int]] = field(default_factory=dict)  # reason -> first few lines
    warnings: list[Warning_] = field(default_factory=list)

    MAX_LINES = 5

    def __post_init__(self) -> None:
        self.path = os.fspath(self.path)

    def read(self, n: int = 1) -> None:
        self.count += n

    def skip(self, reason: str, line: int | None = None, n: int = 1) -> None:
        self.skipped[reason] += n
        if line is not None:
            lines = self.skipped_lines.setdefault(reason, [])
            if len(lines) < self.MAX_LINES:
                lines.append(line)

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(Warning_(message, line))

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        s = f"{self.path}: read {self.count}"
        if self.skipped:
            s += f", skipped {self.total_skipped} (" + ", ".join(f"{k}: {v}" for k, v in sorted(self.skipped.items())) + ")"
        return s

    def lines(self) -> list[str]:
        """Human-readable lines: one per skip reason (with example lines), one per warning."""
        out: list[str] = []
        for reason, n in sorted(self.skipped.items()):
            where = self.skipped_lines.get(reason)
            at = f" (line {', '.join(map(str, where))}{'…' if n > len(where) else ''})" if where else ""
            out.append(f"{self.path}: skipped {n} × {reason}{at}")
        out.extend(w.format(self.path) for w in self.warnings)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "read": self.count,
            "skipped": dict(sorted(self.skipped.items())),
            "skipped_lines": {k: v for k, v in sorted(self.skipped_lines.items())},
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
        }
