"""Text preparation before any check, keeping every offset: markup blanked, dotted abbreviations closed.

Both functions return a string of the *same length* as their input, so a span found in the
prepared text is a span of what the user wrote; reports can highlight it without a map.

Example:
    >>> blank_markup('<seg id="1">150 fighters</seg>')
    '            150 fighters      '
    >>> undot("U.S. President and the U.N.-backed plan")
    'US   President and the UN  -backed plan'
"""

from __future__ import annotations

import re

__all__ = ["blank_markup", "undot", "prepare"]

# XML/HTML tags (<seg id="1">, </b>, <br/>), placeholders such as {1} or %s are left alone.
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->", re.S)
# U.S. U.N. U.S.A. E.U. (two or more capitals each followed by a dot)
_DOTTED = re.compile(r"(?<![A-Za-z.])((?:[A-Z]\.){2,})(?![A-Za-z])")


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def blank_markup(text: str) -> str:
    """``text`` with tags and comments replaced by spaces of the same length."""
    if "<" not in text:
        return text
    return _TAG.sub(_blank, text)


def _close(m: re.Match[str]) -> str:
    s = m.group(1)
    letters = s.replace(".", "")
    return letters + " " * (len(s) - len(letters))


def undot(text: str) -> str:
    """Dotted capital abbreviations (U.S., U.N., U.S.A.) closed up, padded to the same length."""
    if "." not in text:
        return text
    return _DOTTED.sub(_close, text)


def prepare(text: str, *, english: bool = False) -> str:
    """What the checks read: markup blanked, and for English dotted abbreviations closed."""
    t = blank_markup(text)
    return undot(t) if english else t
