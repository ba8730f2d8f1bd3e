"""Plain-text rendering for the CLI: aligned columns that work with Arabic text."""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence


def width(s: str) -> int:
    """Display width: combining marks take no column, wide East Asian characters two."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], max_width: int = 48) -> str:
    cells: list[list[str]] = [[_clip(str(c), max_width) for c in r] for r in rows]
    cols = [list(headers)] + cells
    widths = [max(width(r[i]) for r in cols) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cols):
        lines.append("  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if width(s) <= n else s[: n - 1] + "…"
