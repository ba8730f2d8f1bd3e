"""Normalized keys: what the TM indexes and compares (search keys, pair hashes, stored keys)."""

from __future__ import annotations

import json
import sys
from hashlib import blake2b
from typing import Any, Sequence

from .. import arabic
from ..segment import Segment

TARGET = "\t"  # prefix of target-side tokens in ``postings`` (a key token never holds a tab)

to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) without a new encoder a call

# The TM indexes the offset-free key text; it is arabic.key_text (cached word by word).
search_key = arabic.key_text


def similarity(a: str, b: str) -> float:
    """Fuzzy-match percentage of two *key-normalized* texts: ``100 × (1 − lev / max(len))``.

    Example:
        >>> round(similarity("counter terrorism", "counterterrorism"), 2)
        94.12
    """
    from rapidfuzz.distance import Levenshtein

    return float(Levenshtein.normalized_similarity(a, b) * 100.0)


def floor1(x: float) -> float:
    return int(x * 10 + 1e-9) / 10


def features(qkey: str) -> set[str]:
    """The index keys of a source key: its words and its word bigrams (``"w1 w2"``)."""
    words = qkey.split()
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


_ARABIC_LANG: dict[str, bool] = {}


def is_arabic_lang(lang: str | None) -> bool:
    return bool(lang) and lang.lower().split("-")[0] == "ar"  # type: ignore[union-attr]


def orient(seg: Segment) -> Segment:
    """English→Arabic pairs turned Arabic-first, the store's orientation."""
    tl = _ARABIC_LANG.get(seg.target_lang)
    if tl is None:
        tl = _ARABIC_LANG[seg.target_lang] = is_arabic_lang(seg.target_lang)
    if tl and not is_arabic_lang(seg.source_lang):
        return Segment(seg.target, seg.source, seg.target_lang, seg.source_lang, seg.id, seg.origin, seg.props, seg.note, seg.created, seg.changed)
    return seg


UnitFields = tuple[str, str, str, str, "str | None"]  # source, target, languages, unit id
UnitKeys = tuple[str, str, int, int]  # source key, target key, dkey, ukey


def unit_fields(seg: Segment) -> UnitFields:
    """What identifies a unit exactly: both texts, both languages and its id."""
    return (seg.source, seg.target, seg.source_lang, seg.target_lang, seg.id)


def unit_keys(units: list[UnitFields]) -> list[UnitKeys]:
    """``(source key, target key, dkey, ukey)`` of each unit (see :func:`unit_fields`).

    ``dkey`` hashes both sides' search keys: units that differ only in case, punctuation, digit
    script or harakat share it (and one index entry).  ``ukey`` hashes the unit exactly (texts,
    languages, id): only units equal in all of these are merged into one row.

    Example:
        >>> a, b = unit_keys([("قال: ٣", "He said: 3", "ar", "en", "u1"), ("قال ٣", "he said 3", "ar", "en", "u2")])
        >>> a[2] == b[2], a[3] == b[3]
        (True, False)
    """
    skeys = [search_key(u[0]) for u in units]
    tkeys = [search_key(u[1]) for u in units]
    dkeys, ukeys = unit_hashes(units, skeys, tkeys)
    return list(zip(skeys, tkeys, dkeys, ukeys))


def unit_hashes(units: "Sequence[Sequence[Any]]", skeys: list[str], tkeys: list[str]) -> tuple[list[int], list[int]]:
    """The dkeys and ukeys (see :func:`unit_keys`) of ``units`` (each starting with the fields of
    :func:`unit_fields`) whose search keys are ``skeys`` and ``tkeys``: signed 64-bit integers
    (BLAKE2b-64; the compiled :mod:`ctlex._native_tm` gives the same values a few times faster)."""
    native = native_tm()
    if native is not None and isinstance(units, list) and units and isinstance(units[0], tuple):
        return native.unit_hashes(units, skeys, tkeys)  # type: ignore[no-any-return]
    d = b"".join([blake2b(f"{s}\x00{t}".encode(), digest_size=8).digest() for s, t in zip(skeys, tkeys)])
    u = b"".join([blake2b(f"{src}\x00{tgt}\x00{sl}\x00{tl}\x00{'' if uid is None else '#' + uid}".encode(), digest_size=8).digest()
                  for src, tgt, sl, tl, uid, *_ in units])
    return _signed(d), _signed(u)


_NATIVE_TM: Any = None  # ctlex._native_tm, False when it is not there or switched off


def native_tm() -> Any:
    """:mod:`ctlex._native_tm` (the import's keying loops in C), or None: not built, or
    ``CTLEX_NO_NATIVE=1`` for the pure-Python path, which gives identical results."""
    global _NATIVE_TM
    if _NATIVE_TM is None:
        from .. import _compiled

        _NATIVE_TM = _compiled.load("_native_tm") or False
    return _NATIVE_TM or None


def _signed(digests: bytes) -> list[int]:
    """8-byte little-endian digests, one after the other, as signed integers."""
    from array import array

    a = array("q", digests)
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        a.byteswap()
    return a.tolist()
