"""Arabic (and Latin) normalization for matching, with maps back to the original text.

Four levels, each containing the one before it:

``clean``
    Presentation forms to base letters (NFKC, table driven), decomposed hamza/madda composed (NFC),
    tatweel, harakat, tanween, shadda, superscript alef and Quranic marks removed, zero-width and
    bidi controls removed, Persian/Urdu letter forms unified (ی ک ە ھ → ي ك ه ه), Arabic-Indic and
    Eastern digits to ASCII, typographic quotes and guillemets to ASCII quotes, runs of horizontal
    white space to one space.
``orthographic``
    ``clean`` plus the spelling alternations writers do not keep apart: alef forms (أ إ آ ٱ → ا),
    alef maqsura and ya (ى → ي, so فى and في meet), ta marbuta and ha (ة → ه), and hamza on a seat
    (ؤ ئ → ء, so مسؤول and مسئول meet).
``key``
    ``orthographic`` plus Latin case and accent folding, punctuation to space, apostrophes removed,
    white space collapsed and trimmed.  Glossary and TM indexes are built on this level.

On top of ``key`` the module offers two families of *match keys*: :func:`clitic_candidates`
(proclitics and common plural/case endings removed, tried against an index, never trusted alone)
and :func:`name_skeleton` (a consonant skeleton for transliterated names).

Every level is a pure function ``str -> Normalized``.  :class:`Normalized` carries the text and an
:class:`OffsetMap`, so a span found in normalized text is reported at the right place in the
original: ``original[norm.span(s, e)]`` is what the user wrote, tatweel and diacritics included.

Steps that replace one character by one character (most of them) are done with ``str.translate``
and need no map; only deletions, expansions and contractions create map segments.  Tables are data,
checked when they are compiled (lazily, on first use, never at import).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence

__all__ = [
    "LEVELS",
    "Level",
    "Normalized",
    "OffsetMap",
    "clean",
    "orthographic",
    "key",
    "key_text",
    "normalize",
    "clitic_candidates",
    "name_skeleton",
    "tokenize",
    "is_arabic",
    "detect_lang",
]

Level = Literal["clean", "orthographic", "key"]
LEVELS: tuple[Level, ...] = ("clean", "orthographic", "key")

# --------------------------------------------------------------------------------------------
# Offset maps
# --------------------------------------------------------------------------------------------


class OffsetMap:
    """A piecewise map from positions in a normalized string to positions in its input.

    Segments are ``(norm_start, orig_start, norm_len, orig_len)``.  A segment with equal lengths is
    *linear* (character i maps to character i); any other segment is *atomic*: every character in it
    maps to the whole original stretch (an expansion such as ﻻ → لا, or a contraction such as
    ا + ٔ → أ).  Original characters covered by no segment were deleted (tatweel, harakat…).
    """

    __slots__ = ("_nstarts", "_segs", "norm_length", "orig_length")

    def __init__(self, segments: Sequence[tuple[int, int, int, int]], norm_length: int, orig_length: int):
        self._segs = tuple(segments)
        self._nstarts = [s[0] for s in self._segs]
        self.norm_length = norm_length
        self.orig_length = orig_length

    def _segment(self, i: int) -> tuple[int, int, int, int]:
        k = bisect_right(self._nstarts, i) - 1
        return self._segs[k]

    def start(self, i: int) -> int:
        """Original position where normalized character ``i`` begins (``i == len`` → end)."""
        if i >= self.norm_length:
            return self.orig_length
        n0, o0, nl, ol = self._segment(i)
        return o0 + (i - n0) if nl == ol else o0

    def end(self, e: int) -> int:
        """Original position just after normalized character ``e - 1``."""
        if e <= 0:
            return self.start(0) if self.norm_length else 0
        n0, o0, nl, ol = self._segment(e - 1)
        return o0 + (e - n0) if nl == ol else o0 + ol

    def segments(self) -> tuple[tuple[int, int, int, int], ...]:
        return self._segs


class DeletionMap:
    """A map for steps that only delete characters (the common case at the key level).

    Built from the deleted spans alone, with C-speed regex work; position ``i`` of the output is
    ``i`` plus the number of characters deleted before it.
    """

    __slots__ = ("_out", "_shift", "norm_length", "orig_length")

    def __init__(self, deleted: Sequence[tuple[int, int]], orig_length: int):
        out: list[int] = []
        shift: list[int] = []
        total = 0
        for s, e in deleted:
            out.append(s - total)  # output position where the gap sits
            total += e - s
            shift.append(total)
        self._out, self._shift = out, shift
        self.orig_length = orig_length
        self.norm_length = orig_length - total

    def start(self, i: int) -> int:
        if i >= self.norm_length:
            return self.orig_length
        k = bisect_right(self._out, i) - 1
        return i + (self._shift[k] if k >= 0 else 0)

    def end(self, e: int) -> int:
        return self.start(e - 1) + 1 if e > 0 else self.start(0)

    def deleted(self) -> list[tuple[int, int]]:
        """The deleted spans, in input positions."""
        out, prev = [], 0
        for o, sh in zip(self._out, self._shift):
            s = o + prev
            out.append((s, s + sh - prev))
            prev = sh
        return out

    def then(self, deleted: Sequence[tuple[int, int]]) -> "DeletionMap":
        """This map followed by deleting ``deleted`` (spans of *this map's output*), as one map."""
        # one linear walk over both sorted lists: the second step's spans, in this map's output
        # positions, are shifted by what this map deleted before them (start/end, without bisect)
        outs, shifts = self._out, self._shift
        n, k, sh = len(outs), 0, 0
        moved = []
        for s, e in deleted:
            while k < n and outs[k] <= s:
                sh = shifts[k]
                k += 1
            s0 = s + sh
            k2, sh2 = k, sh
            while k2 < n and outs[k2] <= e - 1:
                sh2 = shifts[k2]
                k2 += 1
            moved.append((s0, e + sh2) if e > s else (s0, s0))
        spans = self.deleted() + moved
        spans.sort()
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return DeletionMap(merged, self.orig_length)


class PositionMap:
    """The map the compiled key normalizer (:mod:`ctlex._native`) returns: the original position
    of every output character (the key level's fast path only deletes and replaces 1:1, so this
    is all a position needs).  Answers exactly as the :class:`DeletionMap` the Python path builds.
    """

    __slots__ = ("_pos", "norm_length", "orig_length")

    def __init__(self, positions: bytes, orig_length: int):
        self._pos = memoryview(positions).cast("i")
        self.norm_length = len(self._pos)
        self.orig_length = orig_length

    def start(self, i: int) -> int:
        if i >= self.norm_length:
            return self.orig_length
        return self._pos[i] if i >= 0 else i  # as DeletionMap: nothing is deleted before 0

    def end(self, e: int) -> int:
        return self.start(e - 1) + 1 if e > 0 else self.start(0)


def _delete(cur: "Normalized", deleted: Sequence[tuple[int, int]]) -> "Normalized":
    """``cur`` with the spans ``deleted`` removed; consecutive deletion maps fold into one."""
    if not deleted:
        return cur
    out = "".join(_kept_pieces(cur.text, deleted))
    if cur.maps and isinstance(cur.maps[0], DeletionMap):
        return Normalized(out, cur.original, (cur.maps[0].then(deleted),) + cur.maps[1:])
    return Normalized(out, cur.original, (DeletionMap(deleted, len(cur.text)),) + cur.maps)


@dataclass(frozen=True)
class Normalized:
    """Normalized text, the original it came from, and the maps between them.

    ``maps`` is applied innermost-last: the first map takes positions in ``text`` to positions in
    the previous level's text, and so on back to ``original``.  Identity steps add no map.
    """

    text: str
    original: str
    maps: tuple["OffsetMap | DeletionMap | PositionMap", ...] = ()

    def __str__(self) -> str:
        return self.text

    def start(self, i: int) -> int:
        for m in self.maps:
            i = m.start(i)
        return i

    def end(self, e: int) -> int:
        for m in self.maps:
            e = m.end(e)
        return e

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalized slice ``text[start:end]``.

        Marks that belong to the last letter (harakat, shadda, tatweel) are included, so the span
        covers the word as it was written.
        """
        if start >= end:
            pos = self.start(start)
            return pos, pos
        maps = self.maps
        if len(maps) == 1 and type(maps[0]) is PositionMap:  # the compiled path's map: read it directly
            m = maps[0]
            s = m._pos[start] if 0 <= start < m.norm_length else m.start(start)
            e = m._pos[end - 1] + 1 if 0 < end <= m.norm_length else m.end(end)
        else:
            s, e = self.start(start), self.end(end)
        orig, marks = self.original, _marks()
        while e < len(orig) and orig[e] in marks:
            e += 1
        return s, e

    def offsets(self) -> list[int]:
        """Original start position of every normalized character (for tests and debugging)."""
        return [self.start(i) for i in range(len(self.text))]


# --------------------------------------------------------------------------------------------
# Character tables (data).  pyarabic supplies the Arabic letter and mark inventories; its string
# functions are not used for the text itself because they return bare strings (no offset map) and
# some make the wrong choice for matching: ``normalize_hamza(method="uniform")`` also turns أ إ into
# ء (so أوروبا would stop matching اوروبا), and ``strip_tashkeel`` leaves tatweel and Quranic marks.
# --------------------------------------------------------------------------------------------

TATWEEL = "\u0640"
_ZERO_WIDTH_AND_BIDI = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_QURANIC_MARKS = "".join(chr(c) for c in range(0x06D6, 0x06DD)) + "".join(
    chr(c) for c in (*range(0x06DF, 0x06E5), 0x06E7, 0x06E8, *range(0x06EA, 0x06EE))
)
_EXTRA_MARKS = "".join(chr(c) for c in range(0x0656, 0x0660)) + "\u0670" + "".join(
    chr(c) for c in range(0x0610, 0x061B)
)

# Letter variants from Persian/Urdu keyboards and legacy encodings: one letter each.
_LETTER_VARIANTS: Mapping[str, str] = {
    "\u06cc": "\u064a",  # ی FARSI YEH → ي
    "\u06d2": "\u064a",  # ے YEH BARREE → ي
    "\u06a9": "\u0643",  # ک KEHEH → ك
    "\u06af": "\u0643",  # گ GAF → ك (used for g in names; the skeleton level keeps it a g)
    "\u06d5": "\u0647",  # ە AE → ه
    "\u06be": "\u0647",  # ھ HEH DOACHASHMEE → ه
    "\u06c1": "\u0647",  # ہ HEH GOAL → ه
    "\u06c3": "\u0629",  # ۃ TEH MARBUTA GOAL → ة
}
_DIGITS: Mapping[str, str] = {
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    "\u066b": ".",  # ARABIC DECIMAL SEPARATOR
    "\u066c": ",",  # ARABIC THOUSANDS SEPARATOR
    "\u066a": "%",  # ARABIC PERCENT SIGN
}
_QUOTES: Mapping[str, str] = {
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02"},
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"},
    "\u2010": "-",
    "\u2011": "-",
}
_ORTHOGRAPHIC: Mapping[str, str] = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0649": "\u064a",  # ى alef maqsura → ي (never → ا: that would break فى/في)
    "\u0629": "\u0647",  # ة → ه
    "\u0624": "\u0621",  # ؤ → ء
    "\u0626": "\u0621",  # ئ → ء
}
_APOSTROPHES = "'`\u02bc\u02bb\u02be\u02bf"


def dense_table(table: Mapping[int, str]) -> "list[int | str] | Mapping[int, str]":
    """``table`` as a list over the Basic Multilingual Plane, for ``str.translate``.

    With a dict, ``translate`` pays for a failed lookup on every character the table leaves
    alone (most Arabic letters); a list answers every BMP code point directly and is about twice
    as fast on Arabic text.  Code points past the list are left alone by ``translate`` (an
    ``IndexError`` is a lookup miss), so a table with a key beyond the BMP stays a dict.
    """
    if any(k > 0xFFFF for k in table):
        return table
    out: list[int | str] = list(range(0x10000))
    for k, v in table.items():
        out[k] = v
    return out


def _check_table(name: str, table: Mapping[str, str]) -> dict[int, str]:
    """Validate a 1:1 character table and turn it into a ``str.translate`` table."""
    out: dict[int, str] = {}
    for k, v in table.items():
        if len(k) != 1 or len(v) != 1:
            raise ValueError(f"{name}: {k!r} -> {v!r} is not one character to one character")
        if ord(k) in out and out[ord(k)] != v:
            raise ValueError(f"{name}: {k!r} mapped twice")
        out[ord(k)] = v
    return out


@dataclass(frozen=True)
class _Tables:
    clean_1to1: dict[int, str]
    clean_edits: re.Pattern[str]
    clean_deletes: re.Pattern[str]  # deletions only: the fast path when no compose/expand char occurs
    rare: re.Pattern[str]  # characters that need the compose or expand branch
    ortho_fast: dict[int, str]  # clean ∘ orthographic, one pass
    key_fast: dict[int, str]  # clean ∘ orthographic ∘ key folding, quotes kept for the joins
    expansions: dict[str, str]
    ortho_1to1: dict[int, str]
    key_1to1: dict[int, str]
    marks: frozenset[str]
    # the same tables in the form ``str.translate`` is fastest with (see dense_table)
    ortho_fast_tr: Any = None
    key_fast_tr: Any = None
    ortho_1to1_tr: Any = None


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    from pyarabic import araby  # lazy: only when text is first normalized

    marks = set(araby.TASHKEEL) | set(araby.SMALL) | set(araby.DIACRITICS) | set(_QURANIC_MARKS)
    marks |= set(_EXTRA_MARKS)
    marks -= {araby.TATWEEL}
    one: dict[str, str] = {}
    expansions: dict[str, str] = {}
    # Presentation forms A and B: NFKC gives the base letter(s).
    for cp in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        ch = chr(cp)
        if ch in _ZERO_WIDTH_AND_BIDI:
            continue
        target = unicodedata.normalize("NFKC", ch)
        if target == ch:
            continue
        target = "".join(c for c in target if c not in marks and c != " ") or ""
        if len(target) == 1:
            one[ch] = target
        elif target:
            expansions[ch] = target
        else:  # isolated harakat forms (FE70..FE7F) → deleted
            expansions[ch] = ""
    one.update(_LETTER_VARIANTS)
    one.update(_DIGITS)
    one.update(_QUOTES)
    clean_1to1 = _check_table("clean", one)
    deletable = "".join(sorted(marks)) + TATWEEL + _ZERO_WIDTH_AND_BIDI
    exp_chars = "".join(sorted(expansions))
    clean_edits = re.compile(
        # 1. a letter + combining hamza/madda (or Latin accent) that NFC composes into one letter
        r"(?P<compose>[^\W\d_][\u0653-\u0655\u0300-\u036f]+)"
        # 2. marks, tatweel, zero-width and bidi controls: deleted
        rf"|(?P<delete>[{re.escape(deletable)}]+)"
        # 3. presentation-form ligatures that expand to several letters
        + (rf"|(?P<expand>[{re.escape(exp_chars)}])" if exp_chars else "")
        # 4. horizontal white space other than a single ASCII space
        + r"|(?P<space>[^\S\n]{2,}|[^\S\n ])"
    )
    clean_deletes = re.compile(rf"(?P<delete>[{re.escape(deletable)}]+)")
    rare = re.compile(rf"[\u0653-\u0655\u0300-\u036f{re.escape(exp_chars)}]")
    ortho = _check_table("orthographic", _ORTHOGRAPHIC)
    key_one: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):  # Latin-1 Supplement, Extended-A and -B: fold accents
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            key_one[cp] = base.lower()
    for ch in "!#$%&()*+,-./:;<=>?@[\\]^_{|}~\u060c\u061b\u061f\u06d4\u2013\u2014\u2026\u00b7":
        key_one[ord(ch)] = " "
    for ch in "\"\t\n\r\f\v" + _APOSTROPHES:
        key_one[ord(ch)] = " "
    def compose(*tables: dict[int, str]) -> dict[int, str]:
        keys = set().union(*tables)
        out = {}
        for k in keys:
            c = chr(k)
            for tb in tables:
                c = tb.get(ord(c), c)
            if c != chr(k):
                out[k] = c
        return out

    ortho_fast = compose(clean_1to1, ortho)
    spaces = {cp: " " for cp in (0x09, 0x0B, 0x0C, 0x0D, 0x0A, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
    key_fold = {k: v for k, v in key_one.items() if chr(k) != '"' and chr(k) not in _APOSTROPHES}
    key_fast = compose(clean_1to1, ortho, key_fold, spaces)
    key_fast.pop(ord('"'), None)
    for q in '\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02':
        key_fast[ord(q)] = '"'
    return _Tables(clean_1to1, clean_edits, clean_deletes, rare, ortho_fast, key_fast, expansions, ortho, key_one, frozenset(marks | {TATWEEL}),
                   dense_table(ortho_fast), dense_table(key_fast), dense_table(ortho))


def _marks() -> frozenset[str]:
    """:attr:`_Tables.marks` (what :meth:`Normalized.span` extends a span over), read once."""
    global _MARKS
    if _MARKS is None:
        _MARKS = _tables().marks
    return _MARKS


_MARKS: frozenset[str] | None = None


def _apply_edits(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> tuple[str, OffsetMap | None]:
    """Rewrite the matches of ``pattern`` in ``text`` and return the new text and its map."""
    pieces: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    pos = 0  # position in text
    npos = 0  # position in output
    changed = False
    for m in pattern.finditer(text):
        s, e = m.span()
        rep = replace(m)
        if rep == m.group(0):
            continue
        changed = True
        if s > pos:
            pieces.append(text[pos:s])
            segs.append((npos, pos, s - pos, s - pos))
            npos += s - pos
        if rep:
            pieces.append(rep)
            segs.append((npos, s, len(rep), e - s))
            npos += len(rep)
        pos = e
    if not changed:
        return text, None
    if pos < len(text):
        pieces.append(text[pos:])
        segs.append((npos, pos, len(text) - pos, len(text) - pos))
        npos += len(text) - pos
    return "".join(pieces), OffsetMap(segs, npos, len(text))


def _chain(prev: Normalized, text: str, m: "OffsetMap | DeletionMap | None") -> Normalized:
    return Normalized(text, prev.original, ((m,) if m is not None else ()) + prev.maps)


def _clean_replacer(table: Any) -> Callable[[re.Match[str]], str]:
    t = _tables()

    def replace(m: re.Match[str]) -> str:
        kind = m.lastgroup
        if kind == "delete":
            return ""
        if kind == "space":
            return " "
        if kind == "expand":
            return t.expansions[m.group(0)].translate(table)
        # compose: NFC, then drop any mark NFC could not absorb
        composed = unicodedata.normalize("NFC", m.group(0))
        return "".join(c for c in composed if c not in t.marks).translate(table)

    return replace


def clean(text: str | Normalized) -> Normalized:
    """Level 1: unify how text is *encoded* without touching how it is *spelled*.

    >>> clean("الإرهـــاب").text
    'الإرهاب'
    >>> clean("٢٠١٧").text
    '2017'
    """
    prev = text if isinstance(text, Normalized) else Normalized(text, text)
    return _clean_pass(prev, _tables().clean_1to1)


def _clean_pass(prev: Normalized, table: Any, *, collapse: bool = True) -> Normalized:
    """The 1:1 ``table`` (positions unchanged), then the clean level's edits; ``table`` is also
    applied to what the edits produce (composed letters, expanded ligatures)."""
    translated = prev.text.translate(table)
    out, m = _apply_edits(translated, _tables().clean_edits, _clean_replacer(table))
    result = _chain(prev, out, m)
    if collapse and "  " in out:  # a deleted mark between two spaces leaves a pair (rare)
        out2, m2 = _apply_edits(out, _DOUBLE_SPACE, lambda _m: " ")
        result = _chain(result, out2, m2)
    return result


_DOUBLE_SPACE = re.compile(" {2,}")


def orthographic(text: str | Normalized) -> Normalized:
    """Level 2: ``clean`` plus alef, alef maqsura, ta marbuta and hamza-seat folding.

    >>> orthographic("الأوروبى").text
    'الاوروبي'
    """
    if isinstance(text, Normalized):
        return Normalized(text.text.translate(_tables().ortho_1to1_tr), text.original, text.maps)
    return _fast(text, "orthographic")


def _fast(text: str, level: str) -> Normalized:
    """``orthographic(clean(text))`` or ``key(…)`` with one translation pass instead of three.

    Equal to the level-by-level composition (tests check the two against each other); all 1:1
    tables are composed, and the regex passes run only where their rare characters occur.
    """
    t = _tables()
    if level != "key":
        return _clean_pass(Normalized(text, text), t.ortho_fast_tr)
    native = _native_module()
    if native is not None:
        r = native.key_normalize(text, True)
        if r is not None:  # None: a character only the Python path handles (see _native_table)
            out, positions = r
            return Normalized(out, text, () if len(out) == len(text) else (PositionMap(positions, len(text)),))
    lowered = text.lower()
    if len(lowered) != len(text):  # rare: İ and friends grow under lower()
        return key(orthographic(clean(text)))
    if t.rare.search(text):  # decomposed hamza, ligatures: the full clean edits are needed
        return _finish_key(_clean_pass(Normalized(lowered, text), t.key_fast_tr, collapse=False))
    folded = lowered.translate(t.key_fast_tr)
    deleted = [m.span() for m in t.clean_deletes.finditer(folded)]  # marks, tatweel, controls
    return _finish_key(_delete(Normalized(folded, text), deleted))


_NATIVE: Any = None  # the compiled module once its table is set, False when it is not there
_FALLBACK, _DELETED = 0xFFFFFFFF, 0xFFFFFFFE


def _native_module() -> Any:
    """:mod:`ctlex._native` with the key table handed over, or None (not built, or
    ``CTLEX_NO_NATIVE=1`` for the pure-Python path, which gives identical results)."""
    global _NATIVE
    if _NATIVE is None:
        from . import _compiled

        mod = _compiled.load("_native")
        if mod is not None:
            mod.set_key_table(_native_table(), "".join(sorted(_ONE_LETTER_PROCLITICS)), _APOSTROPHES)
        _NATIVE = mod or False
    return _NATIVE or None


def _native_table() -> bytes:
    """The key level's fast path as one table over the BMP, for :mod:`ctlex._native`: per code
    point, ``lower()`` then the composed 1:1 table (``key_fast``), or DELETED (marks, tatweel,
    controls), or FALLBACK where only the Python path is right (the ``rare`` characters that need
    composing or expanding, ``lower()`` that changes length, and Σ, whose lower case depends on
    its neighbours).  Built from this module's tables: they stay the one definition."""
    from array import array

    t = _tables()
    chars = "".join(map(chr, range(0x10000)))
    tr = t.key_fast_tr
    out = array("I", [ord(lo.translate(tr)) if len(lo) == 1 else _FALLBACK for lo in map(str.lower, chars)])
    mapped = "".join("\0" if v == _FALLBACK else chr(v) for v in out)
    for m in t.clean_deletes.finditer(mapped):
        for i in range(*m.span()):
            out[i] = _DELETED
    for m in t.rare.finditer(chars):
        out[m.start()] = _FALLBACK
    out[0x03A3] = _FALLBACK  # Σ: σ or final ς, by context
    if out.itemsize != 4:  # pragma: no cover - every CPython platform has a 4-byte "I"
        raise RuntimeError("array('I') is not 32 bits here")
    return out.tobytes()


def key(text: str | Normalized) -> Normalized:
    """Level 3: ``orthographic`` plus case/accent folding and punctuation removal.

    >>> key("Counter-Terrorism").text
    'counter terrorism'
    >>> key("“داعش”").text
    'داعش'
    """
    if not isinstance(text, Normalized):
        return _fast(text, "key")
    t = _tables()
    lowered = text.text.lower()
    if len(lowered) != len(text.text):  # rare: İ and friends grow under lower(); fold per character
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.text)
    # quotes and apostrophes stay for _finish_key's joins; everything else folds 1:1 here
    keep = {ord('"'), *map(ord, _APOSTROPHES)}
    folded = lowered.translate({k: v for k, v in t.key_1to1.items() if k not in keep})
    return _finish_key(Normalized(folded, text.original, text.maps))


def _finish_key(cur: Normalized) -> Normalized:
    """Joins, quotes to spaces, and the space runs removed (deletions only, one C-level pass)."""
    txt = cur.text
    if '"' in txt or any(a in txt for a in _APOSTROPHES):
        # Joins: apostrophes inside a word (al-Qa'ida) and quotes between a one-letter proclitic
        # and its word (لـ”مشاريع → لمشاريع) are deleted; every other quote becomes a space.
        # One literal-led regex pass finds the quotes; the context test is done here.
        joins = []
        n = len(txt)
        for m in _QUOTE_RUN.finditer(txt):
            s, e = m.span()
            if e >= n or not txt[e].isalnum() or s == 0:
                continue
            before = txt[s - 1]
            q = m.group()
            if q[0] == '"':
                if q.count('"') == len(q) and before in _ONE_LETTER_PROCLITICS and (s < 2 or not txt[s - 2].isalnum()):
                    joins.append((s, e))
            elif before.isalnum() and '"' not in q:
                joins.append((s, e))
        if joins:
            cur = _delete(cur, joins)
            txt = cur.text
        txt = txt.replace('"', " ")
        for a in _APOSTROPHES:
            if a in txt:
                txt = txt.replace(a, " ")
    # every space after the first of a run is deleted, and the spaces at either end
    deleted = [(m.start() + 1, m.end()) for m in _SPACE_RUNS.finditer(txt)]
    lead = len(txt) - len(txt.lstrip(" "))
    if lead:
        deleted = [(0, lead)] + [(s, e) for s, e in deleted if s > lead]
    trail = len(txt) - len(txt.rstrip(" "))
    if trail and len(txt) > lead:
        deleted = [(s, e) for s, e in deleted if e < len(txt) - trail] + [(len(txt) - trail, len(txt))]
    return _delete(Normalized(txt, cur.original, cur.maps), deleted)


_SPACE_RUNS = re.compile("  +")
_QUOTE_RUN = re.compile(f"[\"{re.escape(_APOSTROPHES)}]+")
_ONE_LETTER_PROCLITICS = frozenset("وفبكل")


def _kept_pieces(text: str, deleted: Sequence[tuple[int, int]]) -> Iterator[str]:
    pos = 0
    for s, e in deleted:
        yield text[pos:s]
        pos = e
    yield text[pos:]  # a literal prefix: the regex engine skips ahead fast


def normalize(text: str, level: Level = "key") -> Normalized:
    """Normalize ``text`` to ``level`` (``clean``, ``orthographic`` or ``key``)."""
    if level == "clean":
        return clean(text)
    if level == "orthographic":
        return orthographic(text)
    if level == "key":
        return key(text)
    raise ValueError(f"unknown normalization level {level!r}; known: {', '.join(LEVELS)}")


_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 500_000


def key_text(text: str) -> str:
    """``key(text).text`` without the offset maps: the form indexes store and compare.

    ``key`` never looks across white space, so each white-space separated word is normalized
    once, through a cache, and the results are joined.  Indexing and QA see the same few thousand
    words again and again, which makes this about ten times faster than the whole-string call.
    Tests check it against :func:`key` on the articles and on generated text.

    >>> key_text("الإرهـــاب “الدولي”")
    'الارهاب الدولي'
    """
    native = _native_module()
    if native is not None:
        out = native.key_normalize(text, False, True)
        if out is not None:
            return out  # type: ignore[no-any-return]
    cache = _WORD_KEYS
    words = text.split()
    try:  # the usual case: every word seen before
        keys = list(map(cache.__getitem__, words))
    except KeyError:
        keys = []
        for w in words:
            k = cache.get(w)
            if k is None:
                if len(cache) >= _WORD_KEYS_MAX:
                    cache.clear()
                k = cache[w] = key(w).text
            keys.append(k)
    if "" in keys:  # a word of punctuation only
        keys = [k for k in keys if k]
    return " ".join(keys)


# --------------------------------------------------------------------------------------------
# Tokens and match keys
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of (already normalized) text as ``(start, end, token)``."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def is_arabic(text: str) -> bool:
    """True when the text contains an Arabic letter."""
    return _ARABIC_LETTER.search(text) is not None


def detect_lang(text: str) -> str:
    """``'ar'`` or ``'en'`` by script: whichever has more letters (Arabic wins ties)."""
    if _ARABIC_LETTER.search(text) is None:
        return "en"
    if _LATIN_LETTER.search(text) is None:
        return "ar"
    ar = len(_ARABIC_LETTER.findall(text))
    la = len(_LATIN_LETTER.findall(text))
    return "ar" if ar >= la and ar else "en"


# Proclitics, written on the *key* level (ا for any alef).  Conjunctions come first, then one
# preposition, then the article; "لل" is ل + ال with the alef elided.
_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
_ARTICLE = "ال"
_MIN_STEM = 3  # never leave fewer than three letters: ليون is not ل + يون


def clitic_candidates(token: str, *, strip_article: bool = True) -> list[str]:
    """Keys a *key-level* token may stand for once proclitics or endings are removed.

    The token itself comes first; the others are hypotheses to check against an index, never
    answers on their own.  Endings: ون ↔ ين (nominative/oblique plural) and ات → ه (feminine plural).

    >>> clitic_candidates("وليوروبول")
    ['وليوروبول', 'ليوروبول', 'يوروبول']
    >>> clitic_candidates("بالانتربول")
    ['بالانتربول', 'الانتربول', 'انتربول']
    """
    out: list[str] = [token]
    if not token or not is_arabic(token[0]):
        return out

    def add(c: str) -> None:
        if len(c) >= _MIN_STEM and c not in out:
            out.append(c)

    bases = [token]
    if token[0] in _CONJ and len(token) - 1 >= _MIN_STEM:
        bases.append(token[1:])
    for b in list(bases):
        if b.startswith("لل") and len(b) - 2 >= _MIN_STEM - 1:
            bases.append(_ARTICLE + b[2:])  # للمنتدي → المنتدي
        elif b[0] in _PREP and len(b) - 1 >= _MIN_STEM:
            bases.append(b[1:])
    for b in bases:
        add(b)
    if strip_article:
        for b in list(out):
            if b.startswith(_ARTICLE) and len(b) - 2 >= _MIN_STEM:
                add(b[2:])
    for b in list(out):
        for alt in _ending_alternates(b):
            add(alt)
    return out


def _ending_alternates(word: str) -> Iterable[str]:
    from .match.variants import ending_alternates  # the table lives with the other variant families

    return ending_alternates(word)


def name_skeleton(text: str) -> str:
    """Consonant skeleton of a (key-level or raw) name, for transliteration variants.

    The sound classes are a table in :mod:`ctlex.match.variants` (one table for both scripts,
    shared with :mod:`ctlex.romanize`); this wrapper key-normalizes raw text first.

    >>> name_skeleton("دو كيرشوف") == name_skeleton("دوكيرشوف")
    True
    >>> name_skeleton("كوسيانتشيتش") == name_skeleton("كوسيانشيتش")
    True
    """
    from .match.variants import name_skeleton as skeleton

    return skeleton(key(text).text if not _is_key_form(text) else text)


def _is_key_form(text: str) -> bool:
    return text == text.strip() and not any(c in text for c in "أإآىة\u0640") and text == text.lower()
