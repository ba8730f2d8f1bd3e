"""Numbers as numbers, in Arabic and English text: digits, separators, scales, ranges and words.

:func:`extract` finds every number in a text and gives each one the *set* of values it can be
read as, so that two sides agree when their readings meet:

* ASCII, Arabic-Indic (٠–٩) and Persian (۰–۹) digits;
* thousands separators ``,`` ``٬`` ``،`` ``.`` and (no-break, thin or plain) spaces, decimal ``٫``
  and ``.``; ``150.000`` reads as 150000 *or* 150.0 (both languages write both);
* scale words after the digits: ``21 ألف`` = ``21 thousand`` = 21000, ``2.5 million``;
* ranges: ``1950-53`` is 1950 and 1953 (and 53); percentages are just numbers;
* decades: ``the 1990s`` is 1990, and so is ``تسعينيات``;
* number words (``Twenty-two``, ``a decade``, ``a million``; ``ثلاثين``, ``عشر``, ``مليون``, via
  :mod:`pyarabic.number`).  Numbers written in words only *excuse* a number on the other side;
  they are never required there, since "one of them" or ``الأول`` are rarely counts.

:func:`compare` returns the numbers each side has that the other lacks.  Markup is blanked
before anything is read (see :mod:`ctlex.qa.markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .markup import blank_markup

__all__ = ["Number", "extract", "numbers", "compare"]


@dataclass(frozen=True)
class Number:
    """One number in a text: its possible values, where it is, and whether it was written in words."""

    values: frozenset[str]
    written: str
    start: int
    end: int
    word: bool = False
    primary: str = ""

    @property
    def value(self) -> str:
        return self.primary or min(self.values)


_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")} | {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_NUM = re.compile(
    r"(?<![0-9])(?<![0-9][.,])"
    r"(?P<int>[0-9]{1,3}(?P<sep>[,.\u060c\u066c\u00a0\u202f\u2009 ])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?![0-9])|[0-9]+)"
    r"(?:[.\u066b](?P<frac>[0-9]+))?(?![0-9])"
)
_HARAKAT = "\u064b-\u0652\u0640"
_SCALE = re.compile(
    r"[)\s]{0,2}(?:ال)?(?P<w>ألف|الف|آلاف|الاف|مليون|ملايين|مليار|مليارات|thousand|million|billion|bn)"
    rf"(?:[{_HARAKAT}]*ا?[{_HARAKAT}]*)(?![\w])",
    re.I,
)
_SCALES = {"ألف": 3, "الف": 3, "آلاف": 3, "الاف": 3, "thousand": 3, "مليون": 6, "ملايين": 6, "million": 6,
           "مليار": 9, "مليارات": 9, "billion": 9, "bn": 9}
_ANY_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_RANGE_GAP = re.compile(r"^\s*[-–—/]\s*$")

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_EN_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_EN_OTHER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "once": 1, "single": 1, "twice": 2, "both": 2, "pair": 2, "double": 2,
             "dozen": 12, "decade": 10, "decades": 10, "half": 50}
_EN_WORD = re.compile(r"[A-Za-z]+")
# Decades and Arabic ordinal/dual stems pyarabic does not read (on the key level: ا for any alef).
_AR_DECADES = {"عشرينيات": 1920, "ثلاثينيات": 1930, "اربعينيات": 1940, "خمسينيات": 1950, "ستينيات": 1960,
               "سبعينيات": 1970, "ثمانينيات": 1980, "تسعينيات": 1990}
_AR_STEMS = {
    1: ("واحد", "اول", "احادي"), 2: ("اثن", "ثاني", "ثنائي", "مرتين", "عامين", "سنتين", "شهرين", "يومين"),
    3: ("ثلاث", "ثالث"), 4: ("اربع", "رابع"), 5: ("خمس", "خامس"), 6: ("ست", "سادس"), 7: ("سبع", "سابع"),
    8: ("ثمان", "ثامن"), 9: ("تسع", "تاسع"), 10: ("عشر", "عاشر", "عقد"), 100: ("مئه", "مائه", "مءه"),
    1000: ("الف",), 10**6: ("مليون",), 10**9: ("مليار",),
}


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex only passes digits
        return None


def _readings(m: re.Match[str]) -> list[Decimal]:
    """Possible values of one digit run, most likely first."""
    whole, sep, frac = m.group("int"), m.group("sep"), m.group("frac")
    if not sep and frac is None:
        return [Decimal(int(whole))]
    out: list[Decimal] = []
    if sep:
        groups = whole.split(sep)
        joined = Decimal("".join(groups))
        if frac is not None and sep != ".":
            joined = Decimal("".join(groups) + "." + frac)
        out.append(joined)
        if sep == "." and len(groups) == 2 and frac is None:  # 150.000: thousands or a decimal
            out.append(Decimal(groups[0] + "." + groups[1]))
    else:
        out.append(Decimal(whole + ("." + frac if frac else "")))
    return out


def extract(text: str, *, words: bool = True) -> list[Number]:
    """See :func:`_extract`; results are cached per text (a check reads each target more than once)."""
    return list(_extract(text, words))


@lru_cache(maxsize=4096)
def _extract(text: str, words: bool) -> tuple[Number, ...]:
    return tuple(_extract_list(text, words=words))


def _extract_list(text: str, *, words: bool = True) -> list[Number]:
    """Every number in ``text``, in order: digits, then (unless ``words=False``) number words.

    Example:
        >>> [sorted(n.values) for n in extract("150.000 and 30،000 in 1950-53") if not n.word]
        [['150', '150000'], ['30000'], ['1950'], ['1953', '53']]
        >>> sorted(v for n in extract("Twenty-two people, a decade later") for v in n.values)
        ['10', '22']
    """
    t = blank_markup(text)
    if not _ANY_DIGIT.search(t):
        return word_numbers(t) if words else []
    if not t.isascii():
        t = t.translate(_DIGITS)
    out: list[Number] = []
    prev: Number | None = None
    for m in _NUM.finditer(t):
        vals = _readings(m)
        end = m.end()
        sc = _SCALE.match(t, end)
        if sc:
            k = _SCALES.get(sc.group("w").lower(), _SCALES.get(sc.group("w"), 0))
            vals = [v.scaleb(k) for v in vals]
        vs = {_fmt(v) for v in vals}
        if prev is not None and len(m.group(0)) == 2 and len(prev.written) == 4 and _RANGE_GAP.match(t[prev.end : m.start()]):
            vs.add(prev.written[:2] + m.group(0))  # 1950-53
        n = Number(frozenset(vs), text[m.start() : m.end()], m.start(), m.end(), primary=_fmt(vals[0]))
        out.append(n)
        prev = n
    if words:
        out.extend(word_numbers(t))
    return out


def word_numbers(text: str) -> list[Number]:
    """Numbers written in words (English and Arabic); they excuse, they are never required."""
    t = blank_markup(text)
    return _en_words(t) + _ar_words(t)


def numbers(text: str) -> list[tuple[str, str]]:
    """Numbers written with digits in ``text`` as ``(value, as written)``; any script, separators folded.

    Example:
        >>> numbers("القرار ٢١٧٨ لعام 2014")
        [('2178', '٢١٧٨'), ('2014', '2014')]
        >>> numbers("2,500 fighters, 7th meeting, بـ14 مليون و(21)ألف")
        [('2500', '2,500'), ('7', '7'), ('14000000', '14'), ('21000', '21')]
    """
    return [(n.value, n.written) for n in extract(text) if not n.word]


# -- words ------------------------------------------------------------------------------------
def _en_words(t: str) -> list[Number]:
    if not any(c.isalpha() and c.isascii() for c in t):
        return []
    out: list[Number] = []
    toks = [(m.start(), m.end(), m.group(0).lower()) for m in _EN_WORD.finditer(t)]
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if w in _EN_OTHER:
            val = _EN_OTHER[w]
            if w.startswith("decade") and i > 0 and toks[i - 1][2] in _EN_UNITS:  # two decades
                val = 10 * _EN_UNITS[toks[i - 1][2]]
            out.append(Number(frozenset({str(val)}), t[s:e], s, e, word=True))
            i += 1
            continue
        if w in _EN_UNITS or w in _EN_TENS or (w in _EN_SCALE):
            total, cur, j, last_e = 0, 0, i, e
            while j < len(toks):
                w2 = toks[j][2]
                if j > i and toks[j][0] - last_e > 2 and w2 != "and":
                    break
                if w2 in _EN_UNITS:
                    cur += _EN_UNITS[w2]
                elif w2 in _EN_TENS:
                    cur += _EN_TENS[w2]
                elif w2 == "hundred":
                    cur = max(cur, 1) * 100
                elif w2 in _EN_SCALE:
                    total += max(cur, 1) * _EN_SCALE[w2]
                    cur = 0
                elif w2 == "and" and j > i:
                    pass
                else:
                    break
                last_e = toks[j][1]
                j += 1
            val = total + cur
            out.append(Number(frozenset({str(val)}), t[s:last_e], s, last_e, word=True))
            i = j
            continue
        i += 1
    return out


@lru_cache(maxsize=1)
def _ar_stem_regex() -> re.Pattern[str]:
    stems = sorted({s for ss in _AR_STEMS.values() for s in ss} | set(_AR_DECADES), key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(?:[وفبلك]|ال|وال|بال|لل)?(" + "|".join(stems) + r")[^\W\d_]{0,3}(?![^\W\d_])")


def _ar_words(t: str) -> list[Number]:
    if not any("\u0621" <= c <= "\u064a" for c in t):
        return []
    from .. import arabic

    out: list[Number] = []
    k = arabic.key_text(t)
    for m in _ar_stem_regex().finditer(k):
        stem = m.group(1)
        if stem in _AR_DECADES:
            vals = {str(_AR_DECADES[stem]), str(_AR_DECADES[stem] % 100)}
        else:
            vals = {str(v) for v, ss in _AR_STEMS.items() if stem in ss}
            if stem in ("عشر", "عاشر") or stem.startswith(("ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع")):
                v = next(int(x) for x in vals)  # ثلاثين = 30, ثلاثة عشر = 13
                vals |= {str(v * 10), str(v + 10)}
        out.append(Number(frozenset(vals), m.group(0), -1, -1, word=True))
    try:
        from pyarabic import number as arnum

        for phrase in arnum.extract_number_phrases(t):
            if any(c.isdigit() for c in phrase):
                continue
            v = arnum.text2number(phrase)
            if v:
                out.append(Number(frozenset({str(int(v))}), phrase, -1, -1, word=True))
    except Exception:  # pragma: no cover - pyarabic's heuristics must never break a check
        pass
    return out


def compare(source: list[Number], target: list[Number]) -> tuple[list[Number], list[Number]]:
    """``(missing, extra)``: digit numbers of the source no reading of the target has, and the reverse.

    Example:
        >>> m, x = compare(extract("قتل 150.000 شخص عام 2017"), extract("150,000 people died in 2018"))
        >>> [n.written for n in m], [n.written for n in x]
        (['2017'], ['2018'])
    """
    svals = {v for n in source for v in n.values}
    tvals = {v for n in target for v in n.values}
    missing = [n for n in source if not n.word and not (n.values & tvals)]
    extra = [n for n in target if not n.word and not (n.values & svals)]
    return _unique(missing), _unique(extra)


def _unique(ns: list[Number]) -> list[Number]:
    seen: set[frozenset[str]] = set()
    out = []
    for n in ns:
        if n.values not in seen:
            seen.add(n.values)
            out.append(n)
    return out
