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
    without the Arabic article / English ``al-``), measured as normalized Levenshtein similarity
    of the skeletons (so a short name inside a long candidate does not score high).

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
        "al-qa'da"
        >>> romanize("يوروبول")
        'yurubul'
    """
    text = _MARKS.sub("", unicodedata.normalize("NFC", text))
    return _ARABIC_WORD.sub(lambda m: _romanize_word(m.group(0)), text)


def _romanize_word(w: str) -> str:
    prefix = ""
    if w.startswith("ال") and len(w) > 3:
        prefix, w = "al-", w[2:]
    out: list[str] = []
    prev_cons = False  # did the previous letter sound as a consonant?
    for i, ch in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch in _ALEFS:
            out.append("i" if ch == "إ" else "a")
            prev_cons = False
        elif ch in "ىة":
            out.append("a")
            prev_cons = False
        elif ch in "وي":
            # a long vowel after a consonant, a consonant at the start of a syllable or before alef
            vowel = prev_cons and not (nxt and nxt in _ALEFS)
            out.append(("u" if ch == "و" else "i") if vowel else ("w" if ch == "و" else "y"))
            prev_cons = not vowel
        else:
            out.append(_CONSONANTS.get(ch, ""))
            prev_cons = True
    return prefix + "".join(out)


# -- skeletons --------------------------------------------------------------------------------
# Latin digraphs first (longest first), then single letters.  Classes: k (g j q k c x-ish),
# c (sh ch tch), s (s z), f (f v), b (b p), t, d, l, r, m, n; vowels, h, w, y and ' vanish.
# Digraph replacements produce upper-case class letters so the single-letter pass leaves them.
from .match.variants import LATIN_CLASS, cross_script_class  # noqa: E402  (tables only, no code runs)

_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dzh", "C"), ("tch", "C"), ("sch", "C"), ("sh", "C"), ("ch", "C"), ("zh", "C"),
    ("kh", "K"), ("gh", "K"), ("ck", "K"), ("qu", "K"), ("dj", "K"),
    ("th", "T"), ("dh", "D"), ("ph", "F"), ("x", "KS"),
)
_SLAVIC = str.maketrans({"č": "ch", "ć": "ch", "š": "sh", "ž": "zh", "Č": "ch", "Ć": "ch", "Š": "sh", "Ž": "zh"})
# The letter classes are the sound-class table of ctlex.match.variants (one table for both
# scripts), with the classes Arabic-to-Latin comparison cannot keep apart merged (s/z; h, ع, ح
# vanish), plus the upper-case class letters the digraph pass produces.
_LATIN_CLASS: dict[str, str] = {
    **{ch: cross_script_class(cls) for ch, cls in LATIN_CLASS.items() if cross_script_class(cls)},
    "K": "k", "S": "s", "F": "f", "B": "b", "T": "t", "D": "d", "C": "c",
}
_DIGRAPH_RE = re.compile("|".join(d for d, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)
_SOFT_C = re.compile(r"c(?=[eiy])")


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """Consonant skeleton of ``text`` (Arabic is romanized first).

    Example:
        >>> skeleton("Mogherini"), skeleton("موغيريني")
        ('mkrn', 'mkrn')
        >>> skeleton("Kocijančič"), skeleton("Kerchove")
        ('ksknc', 'krcf')
    """
    latin = romanize(text) if any("\u0600" <= c <= "\u06ff" for c in text) else text
    latin = unicodedata.normalize("NFD", latin.translate(_SLAVIC).lower())
    latin = "".join(c for c in latin if c.isascii() and (c.isalpha() or c == " "))
    latin = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group(0)], latin)
    latin = _SOFT_C.sub("s", latin)  # France, Nice: c before e, i, y is an s
    out: list[str] = []
    for ch in latin:
        cls = _LATIN_CLASS.get(ch, "")
        if not cls:
            continue
        if out and out[-1] == cls:
            continue
        out.append(cls)
    return "".join(out)


_EN_ARTICLE = re.compile(r"^(?:al|el|ul|ad|ar|as|at|an|az|ash|ath)[-\s]+", re.I)


def similarity(arabic_name: str, latin: str) -> float:
    """How alike an Arabic name and a Latin-script candidate are, 0..1 (skeleton Levenshtein similarity).

    Tries the strings as given, without the Arabic article ال, and without an English article
    (``al-``, ``Al``), and keeps the best.  Skeletons shorter than two classes score 0.

    Example:
        >>> similarity("فيديريكا موغيريني", "Federica Mogherini")
        1.0
        >>> similarity("موغيريني", "Federica Mogherini") < 0.8 < similarity("موغيريني", "Mogherini")
        True
        >>> similarity("موغيريني", "European Union") < 0.5 and similarity("مصر", "Commissioner") < 0.7
        True
    """
    from rapidfuzz.distance import Levenshtein

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
            best = max(best, Levenshtein.normalized_similarity(sa, sl))
    return round(best, 4)
