"""Plain-text rendering for the CLI: aligned columns that work with Arabic text, terminal-safe
output (no bidi override can reverse a line) and a progress line on terminals."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any, Iterable, Iterator, Sequence, TypeVar


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


# -- terminal safety ------------------------------------------------------------------------------

# Characters that can reorder or rewrite what a terminal shows: bidi embeddings/overrides
# (U+202A–U+202E) and isolates (U+2066–U+2069), C0 controls other than tab and newline, DEL and C1
# controls.  The marks Arabic text uses legitimately (RLM U+200F, LRM U+200E, ALM U+061C, ZWJ,
# ZWNJ) reorder nothing beyond themselves and are left alone.
_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    r"""``text`` with every character that could reverse or rewrite a terminal line shown as a
    ``\uXXXX`` escape (which is also what JSON means by it, so JSON output stays exact).

    >>> terminal_safe("abc\u202edef")
    'abc\\u202edef'
    >>> terminal_safe("حركة\u200f الشباب\n")
    'حركة\u200f الشباب\n'
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalSafeStream(io.TextIOBase):
    """A text stream that writes through :func:`terminal_safe` (installed on a terminal only:
    piped output stays byte-exact)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._raw, "encoding", "utf-8") or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._raw, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(self._raw.isatty())

    def fileno(self) -> int:
        return int(self._raw.fileno())

    def write(self, s: str) -> int:
        self._raw.write(terminal_safe(s))
        return len(s)

    def flush(self) -> None:
        self._raw.flush()


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# -- progress ---------------------------------------------------------------------------------------

T = TypeVar("T")


def progress(items: Iterable[T], label: str, *, total: int | None = None, every: int = 200, stream: Any = None) -> Iterator[T]:
    """Yield ``items``, showing ``label: n[/total]`` on ``stream`` (stderr) when it is a terminal;
    elsewhere (pipes, files, tests) nothing is printed.  The line is cleared at the end."""
    import sys
    import time

    out = stream if stream is not None else sys.stderr
    if not is_terminal(out):
        yield from items
        return
    n, last = 0, 0.0
    try:
        for n, item in enumerate(items, 1):
            if n % every == 0 and time.monotonic() - last > 0.1:
                last = time.monotonic()
                out.write(f"\r{label}: {n}" + (f"/{total}" if total else "") + " …")
                out.flush()
            yield item
    finally:
        out.write("\r\x1b[K")
        out.flush()
