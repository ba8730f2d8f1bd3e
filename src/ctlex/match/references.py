"""Numbered references as a table of patterns: Security Council resolutions, EU directives and
regulations, UN documents.  Numbers are facts: a citation maps to the glossary concept with the
*same* number or, when the glossary has none, to a generated reference (match kind ``pattern``).

Patterns run on key-level text (:func:`ctlex.arabic.key_text`): digits are ASCII, brackets and
slashes are spaces, ة is ه.  Each yields the span of the citation and its number; a concept is
found for a number through the same patterns run over the glossary's own terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept

__all__ = ["Reference", "REFERENCES", "find_references", "number_alone", "is_year"]

_YEAR = r"(?:19[4-9]\d|20\d\d)"
# one number, optionally followed by its year: "2396 2017" (from "2396 (2017)") or "2396 لعام 2017"
_AR_NUM = rf"(?P<num>\d{{3,4}})(?: (?:(?:ل|في )?(?:عام|سنه) )?{_YEAR}(?!\d))?"
_EN_NUM = rf"(?P<num>\d{{3,4}})(?: {_YEAR}(?!\d))?"


@dataclass(frozen=True)
class Reference:
    """One family of numbered references.

    ``patterns`` are regular expressions with a ``num`` group (and, for two-part numbers, ``num2``);
    ``more`` matches a further number joined to the previous one (القرارين 2396 و2462,
    resolutions 2396 and 2462).  ``english``/``arabic`` name a generated reference.
    """

    name: str
    patterns: tuple[re.Pattern[str], ...]
    more: re.Pattern[str] | None
    english: str
    arabic: str
    id_prefix: str
    max_number: int | None = None

    @cached_property
    def anchors(self) -> tuple[str, ...]:
        """The literal each pattern starts with (its text up to the first regex operator)."""
        out = []
        for p in self.patterns:
            m = re.search(r"[\\()\[?*+{|]", p.pattern)
            lit = p.pattern if m is None else p.pattern[: m.start()]
            if m is not None and m.group() in "?*{":
                lit = lit[:-1]  # the last letter is optional (resolutions?)
            out.append(lit)
        return tuple(out)

    def number(self, m: re.Match[str]) -> str | None:
        n = m.group("num")
        n2 = m.groupdict().get("num2")
        if n2:
            return f"{n}/{n2}"
        v = int(n)
        if v == 0 or (self.max_number is not None and v > self.max_number):
            return None
        return str(v)


def _c(*ps: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"{p}(?![\w])") for p in ps)


REFERENCES: tuple[Reference, ...] = (
    Reference(
        "unsc-resolution",
        _c(
            rf"قرار(?:ين|ات|ي)?(?: مجلس الامن(?: الدولي| التابع للامم المتحده)?| الامم المتحده| الاممي| الدولي)?(?: رقم)? {_AR_NUM}",
            rf"resolutions? (?:no |number )?{_EN_NUM}",
            rf"unscr {_EN_NUM}",
            rf"s res {_EN_NUM}",
        ),
        re.compile(rf"(?: ?(?:و|and |, |،)) ?(?:[وف]?(?:ال)?قرار )?(?P<num>\d{{1,4}})(?: {_YEAR}(?!\d))?(?![\w])"),
        "Security Council resolution {n}",
        "قرار مجلس الأمن {n}",
        "unscr-",
        max_number=2999,
    ),
    Reference(
        "eu-act",
        _c(
            r"(?:directive|regulation|decision) eu (?P<num>(?:19|20)\d\d) (?P<num2>\d{1,4})",
            r"(?:توجيه|لاءحه|قرار) (?:الاتحاد الاوروبي |الاوروبي )(?:رقم )?(?P<num>(?:19|20)\d\d) (?P<num2>\d{1,4})",
        ),
        None,
        "EU act {n}",
        "قانون الاتحاد الأوروبي {n}",
        "eu-act-",
    ),
    Reference(
        "un-document",
        _c(r"s (?P<num>(?:19|20)\d\d) (?P<num2>\d{1,4})"),
        None,
        "UN document S/{n}",
        "وثيقة الأمم المتحدة S/{n}",
        "un-doc-",
    ),
)


_EN_ISSUER = re.compile(r"(?:(?:un |united nations )?security council |un |unsc )$")


def _word_start(text: str, pos: int) -> int:
    """Where a citation starts: a proclitic glued to its first word (للقرار) and an English issuer
    before it (UN Security Council resolution) belong to it."""
    from .variants import PROCLITICS

    w = text.rfind(" ", 0, pos) + 1
    pre = text[w:pos]
    if pre and pre in PROCLITICS:
        return w
    if w == pos:
        m = _EN_ISSUER.search(text, max(0, pos - 32), pos)
        if m:
            return m.start()
    return pos


def find_references(key_text: str) -> Iterator[tuple[int, int, Reference, str]]:
    """``(start, end, reference, number)`` for every citation in key-level text, left to right.

    Patterns are literal-led (قرار، resolution…) so the regex engine skips ahead fast; a
    proclitic glued to the first word (للقرار، والقرار) is added to the span afterwards.
    """
    for ref in REFERENCES:
        for pat, anchor in zip(ref.patterns, ref.anchors):
            if anchor not in key_text:
                continue  # the literal every match starts with is absent: skip the regex pass
            for m in pat.finditer(key_text):
                n = ref.number(m)
                if n is None:
                    continue
                yield _word_start(key_text, m.start()), m.end(), ref, n
                pos = m.end()
                while ref.more is not None:
                    mm = ref.more.match(key_text, pos)
                    if not mm:
                        break
                    n2 = ref.number(mm)
                    if n2 is None:
                        break
                    s = mm.start("num")
                    # the joined number's span starts at its conjunction (و2462)
                    w = key_text.rfind(" ", 0, s) + 1
                    yield max(w, pos), mm.end(), ref, n2
                    pos = mm.end()


_ALONE = re.compile(rf"(?P<num>\d{{3,4}})(?: (?:(?:ل|في )?(?:عام|سنه) )?{_YEAR})?")
_YEAR_ONLY = re.compile(_YEAR)


def number_alone(key_text: str) -> Iterator[tuple[int, int, Reference, str]]:
    """A lookup query that is a citation number alone, as :func:`find_references` yields it.

    In running text a number joined to a citation (the second of القرارين 2396 و2462) is part of
    it (``Reference.more``); a query holds no citation before it, so a whole query of the shape of
    such a number (3 or 4 digits, optionally its year) is read as one, in every family whose
    numbers are joined that way.  A proclitic of :data:`~ctlex.match.variants.PROCLITICS`
    without the article may stand before it (و2462, ف٢٤٦٢); the span starts at the digits, so the
    caller checks the prefix as it checks any candidate's.

    >>> [(s, e, n) for s, e, _, n in number_alone("و2462")], list(number_alone("وال2462")), list(number_alone("2462 شخصا"))
    ([(1, 5, '2462')], [], [])
    """
    from .variants import PROCLITICS

    m = re.search(r"\d", key_text)
    if m is None:
        return
    i = m.start()
    pre = key_text[:i]
    if pre and PROCLITICS.get(pre, True):  # not a proclitic, or one with the article
        return
    mm = _ALONE.fullmatch(key_text, i)
    if mm is None:
        return
    for ref in REFERENCES:
        if ref.more is None:
            continue
        n = ref.number(mm)
        if n is not None:
            yield i, mm.end(), ref, n


def is_year(number: str) -> bool:
    """Could ``number`` be a year (1940-2099)?  A bare number of that shape is more often one."""
    return _YEAR_ONLY.fullmatch(number) is not None


def term_numbers(text: str) -> Iterator[tuple[str, str]]:
    """``(reference name, number)`` when the term ``text`` is a citation as a whole (القرار 2396)."""
    from .. import arabic

    for _ in (0,):
        k = arabic.key_text(text)
        for s, e, ref, n in find_references(k):
            if s == 0 and e == len(k):
                yield ref.name, n


def generated_concept(ref: Reference, number: str) -> "Concept":
    """A concept standing for a citation the glossary does not hold."""
    from ..glossary import Concept, Term

    slug = number.replace("/", "-")
    c = Concept(f"{ref.id_prefix}{slug}", "document", definition=f"{ref.english.format(n=number)} (generated: not in the glossary)")
    c.terms = [Term(ref.english.format(n=number), "en", "preferred"), Term(ref.arabic.format(n=number), "ar", "preferred")]
    return c
