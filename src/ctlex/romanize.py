"""A small rule-based Arabic → Latin romanizer and consonant skeletons for comparing names.

Arabic script leaves short vowels unwritten, and a foreign name reaches Arabic through a chain of
transliterations (ماركو مينيتي, كونسيانتشيش), so comparing an Arabic name with an English
candidate letter by letter fails.  What survives both transliterations is the *consonant
skeleton*: the sequence of consonants, each reduced to a class of sounds writers swap freely
(g/j/q/k, s/z, f/v, b/p, sh/ch/tch).  This module offers three pure functions:

:func:`romanize`
    A readable, deterministic romanization (``'ماركو مينيتي'`` → ``'marku miniti'``), table
    driven: consonants one to one (digraphs for ش خ غ ث ذ), و and ي read as vowels between
    consonants and as w/y at the start of a syllable, the article written ``al-``.
:func:`skeleton`
    The consonant skeleton of a string in either script (Latin digraphs handled: sh, ch, tch,
    kh, gh, th, dh, ph, ck, dzh…), doubled classes collapsed, spaces ignored.
:func:`similarity`
    0..1 likeness of an Arabic name and a Latin candidate, the best of a few alignments (with and
    without the Arabic article / English ``al-``), measured as normalized Indel similarity of the
    skeletons.

Nothing here knows about glossaries or segments; :mod:`ctlex.suggest` uses it to rank English
candidates for proper names seen only once or twice.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["romanize", "skeleton", "similarity"]

# -- romanization table (data) ----------------------------------------------------------------
_CONSONANTS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ء": "'", "ؤ": "'", "ئ": "'", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g", "ک": "k",
}
_ALEFS = "اأإآٱ"
_VOWEL_LETTERS = _ALEFS + "ويىة"
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def romanize(text: str) -> str:
    """Romanize Arabic ``text`` with simple, deterministic rules (Latin text passes through).

    Example:
        >>> romanize("ماركو مينيتي")
        'marku miniti'
        >>> romanize("القاعدة")
        'al-qa'ida'
        >>> romanize("وليد")
        'walid'
    """
    text = _MARKS.sub("", unicodedata.normalize("NFC", text))
    return _ARABIC_WORD.sub(lambda m: _romanize_word(m.group(0)), text)


def _romanize_word(w: str) -> str:
    prefix = ""
    if w.startswith("ال") and len(w) > 3:
        prefix, w = "al-", w[2:]
    out: list[str] = []
    n = len(w)
    for i, ch in enumerate(w):
        prev_vowel = i == 0 or w[i - 1] in _VOWEL_LETTERS or w[i - 1] == "ء"
        nxt = w[i + 1] if i + 1 < n else ""
        if ch in _ALEFS:
            out.append("a" if ch != "إ" else "i")
        elif ch == "ى":
            out.append("a")
        elif ch == "ة":
            out.append("a")
        elif ch == "و":
            # consonantal at the start of a syllable (word start, after a vowel, before alef)
            out.append("w" if prev_vowel or nxt in _ALEFS else "u")
        elif ch == "ي":
            out.append("y" if (prev_vowel and i == 0) or nxt in _ALEFS or (nxt and nxt in "وي") else "i")
        else:
            out.append(_CONSONANTS.get(ch, ""))
    return prefix + "".join(out)


# -- skeletons --------------------------------------------------------------------------------
# Latin digraphs first (longest first), then single letters.  Classes: k (g j q k c x-ish),
# c (sh ch tch), s (s z), f (f v), b (b p), t, d, l, r, m, n; vowels, h, w, y and ' vanish.
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dzh", "c"), ("tch", "c"), ("sch", "c"), ("sh", "c"), ("ch", "c"), ("zh", "c"),
    ("kh", "k"), ("gh", "k"), ("ck", "k"), ("qu", "k"), ("dj", "k"),
    ("th", "t"), ("dh", "d"), ("ph", "f"), ("x", "ks"),
)
_LATIN_CLASS: dict[str, str] = {
    **dict.fromkeys("gjqkc", "k"), **dict.fromkeys("sz", "s"), **dict.fromkeys("fv", "f"),
    **dict.fromkeys("bp", "b"), "t": "t", "d": "d", "l": "l", "r": "r", "m": "m", "n": "n",
}
_DIGRAPH_RE = re.compile("|".join(d for d, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """Consonant skeleton of ``text`` (Arabic is romanized first).

    Example:
        >>> skeleton("جيل دو كيرشوف") == skeleton("Gilles de Kerchove")[:2] + skeleton("Gilles de Kerchove")[3:]
        True
        >>> skeleton("Mogherini"), skeleton("موغيريني")
        ('mkrn', 'mkrn')
    """
    latin = romanize(text) if any("\u0600" <= c <= "\u06ff" for c in text) else text
    latin = unicodedata.normalize("NFD", latin.lower())
    latin = "".join(c for c in latin if c.isascii() and (c.isalpha() or c == " "))
    latin = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group(0)], latin)
    out: list[str] = []
    for ch in latin:
        cls = _LATIN_CLASS.get(ch, ch if ch in "ck" else "")
        if not cls:
            continue
        if out and out[-1] == cls:
            continue
        out.append(cls)
    return "".join(out)


_EN_ARTICLE = re.compile(r"^(?:al|el|ul|ad|ar|as|at|an|az|ash|ath)[-\s]+", re.I)


def similarity(arabic_name: str, latin: str) -> float:
    """How alike an Arabic name and a Latin-script candidate are, 0..1 (skeleton Indel similarity).

    Tries the strings as given, without the Arabic article ال, and without an English article
    (``al-``, ``Al``), and keeps the best.  Skeletons shorter than two classes score 0.

    Example:
        >>> similarity("فيديريكا موغيريني", "Federica Mogherini")
        1.0
        >>> similarity("موغيريني", "Federica Mogherini") < 0.8 < similarity("موغيريني", "Mogherini")
        True
        >>> similarity("موغيريني", "European Union") < 0.5
        True
    """
    from rapidfuzz.distance import Indel

    ars = {arabic_name.strip()}
    ars |= {" ".join(t[2:] if t.startswith("ال") and len(t) > 4 else t for t in a.split()) for a in list(ars)}
    las = {latin.strip(), " ".join(_EN_ARTICLE.sub("", t) for t in latin.split())}
    best = 0.0
    for a in ars:
        sa = skeleton(a)
        if len(sa) < 2:
            continue
        for la in las:
            sl = skeleton(la)
            if len(sl) < 2:
                continue
            best = max(best, Indel.normalized_similarity(sa, sl))
    return round(best, 4)
