"""The precision guard: how frequent a word is in everyday text.

Skeleton, fuzzy and short-form matches are weak evidence; they never fire on a frequent ordinary
word.  Frequencies come from the ``wordfreq`` package (Zipf scale: 6 ≈ "the", 3 ≈ once per
million words), which ships its Arabic and English lists and works offline.  The list is loaded
on first use, never at import.
"""

from __future__ import annotations

import math
from functools import lru_cache

__all__ = ["zipf", "is_frequent", "FREQUENT", "COMMON_NAME"]

#: Zipf frequency from which a word counts as an ordinary word that weak evidence must not tag.
FREQUENT = 3.5
#: Zipf frequency from which a word before a bare surname is taken for another given name.
COMMON_NAME = 4.6

# Arabic given names common enough that wordfreq ranks them as ordinary words; a bare surname
# right after one of these belongs to that person (محمود عباس is not Naim Abbas).
GIVEN_NAMES = frozenset(
    "محمد احمد محمود علي حسن حسين عمر عثمان خالد سعيد سعد عبد ابو ابن بن يوسف ابراهيم اسماعيل مصطفي"
    " عادل كمال جمال سامي سمير فاطمه مريم عاءشه زينب خديجه سلمي ليلي هدي نور مني ماريا جورج"
    " جون ديفيد مايكل بيتر بول مارتن سكوت ايفانكا يوليا روبرت ريتشارد توماس".split()
)


@lru_cache(maxsize=1)
def _table(lang: str) -> dict[str, float]:
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - declared dependency
        return {}
    return wordfreq.get_frequency_dict(lang)


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "ar") -> float:
    """Zipf frequency of ``word`` as written (clean level), 0 when unknown."""
    f = _table(lang).get(word.lower() if lang != "ar" else word, 0.0)
    if not f and lang == "ar":
        from .. import arabic

        f = _table(lang).get(arabic.clean(word).text, 0.0)
    return round(math.log10(f * 1e9), 2) if f else 0.0


def is_frequent(word: str, lang: str = "ar", threshold: float = FREQUENT) -> bool:
    return zipf(word, lang) >= threshold
