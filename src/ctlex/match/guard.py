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
#: Zipf frequency from which a bare surname counts as a common word or name (عباس).
COMMON_NAME = 4.6
#: Below this Zipf frequency a word after a bare surname is taken for another name part.
RARE = 2.5

# Given names, Arabic and foreign, in key-level Arabic script.  A bare surname right after one of
# these belongs to that other person (محمود عباس is not Naim Abbas, مارتن لوثر كينغ is not Julian
# King).  The matcher adds the first names of every person in the glossary to this table.
GIVEN_NAMES = frozenset(
    "محمد احمد محمود علي حسن حسين عمر عثمان خالد سعيد سعد عبد ابو ابن بن يوسف ابراهيم اسماعيل مصطفي"
    " عادل كمال جمال سامي سمير طارق زياد وليد ماجد نبيل هشام فاطمه مريم عاءشه زينب خديجه سلمي ليلي هدي نور مني"
    " جورج جون جيمس ديفيد دافيد مايكل ميشال ميشيل بيتر بول مارتن لوثر سكوت روبرت ريتشارد توماس ويليام وليام"
    " تشارلز هنري فرانك جاك ستيفن اندرو دانيال كريستوفر ماريا ماري انا يوليا ايفانكا ميلانيا هيلاري"
    " صوفي كاترين كاثرين اليزابيث جان بيير فرانسوا لويس كارل هانز فولفغانغ انجيلا اولاف ايمانويل"
    " فلاديمير سيرغي سيرجي ديمتري ايغور اليكسي يوري بوريس نيكولاي".split()
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
