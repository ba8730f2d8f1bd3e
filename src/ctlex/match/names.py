"""Name parts of person concepts, derived from their terms (never typed by hand).

For every Arabic or English term of a person with two words or more:

- the surname with its particles (دو كيرشوف, de Kerchove) and without them (كيرشوف, Kerchove);
- for Arabic names of three words or more, the first name with the last (أيمن الظواهري for
  أيمن محمد ربيع الظواهري);
- a kunya (ابو بكر البغدادي → ابو بكر) and a nisba or laqab alone (البغدادي).

They are *short forms*: lookup ranks them below full matches, and scan links a bare short form
only when the full name occurs earlier in the same text, or when it is unique in the glossary
and not a frequent word.
"""

from __future__ import annotations

from typing import Iterator

__all__ = ["short_forms"]

_AR_PARTICLES = frozenset({"دو", "دي", "فان", "فون", "دا", "لا"})
_EN_PARTICLES = frozenset({"de", "du", "van", "von", "der", "den", "da", "di", "la", "le", "al", "el", "bin", "ibn", "abu"})
_AR_JOINERS = frozenset({"عبد", "ابو", "ابن", "بن", "ام"})  # Arabic name parts that bind to the next word


def _parts(tokens: list[str], lang: str) -> list[list[str]]:
    """Tokens grouped into name parts: a particle or عبد/ابو binds to the word after it."""
    binders = _AR_PARTICLES | _AR_JOINERS if lang == "ar" else _EN_PARTICLES
    parts: list[list[str]] = []
    pending: list[str] = []
    for t in tokens:
        pending.append(t)
        if t not in binders:
            parts.append(pending)
            pending = []
    if pending:
        if parts:
            parts[-1] += pending
        else:
            parts.append(pending)
    return parts


def short_forms(key: str, lang: str) -> Iterator[str]:
    """Key-level short forms of one person's term ``key``.

    >>> list(short_forms("جيل دو كيرشوف", "ar"))
    ['دو كيرشوف', 'كيرشوف']
    >>> list(short_forms("ايمن محمد ربيع الظواهري", "ar"))
    ['الظواهري', 'ايمن الظواهري']
    >>> list(short_forms("abu bakr al baghdadi", "en"))
    ['al baghdadi', 'baghdadi', 'abu bakr']
    """
    tokens = key.split(" ")
    if len(tokens) < 2:
        return
    parts = _parts(tokens, lang)
    if len(parts) < 2:
        return
    out: list[str] = []
    last = parts[-1]
    out.append(" ".join(last))
    if len(last) > 1:
        out.append(last[-1])  # without its particle
    if lang == "ar" and len(parts) >= 3:
        out.append(" ".join(parts[0] + last))  # first name + last name
    if parts[0][0] in ("ابو", "abu") and len(parts[0]) > 1:
        out.append(" ".join(parts[0]))  # kunya
    seen = {key}
    for s in out:
        if s not in seen and len(s.replace(" ", "")) >= 3:
            seen.add(s)
            yield s
