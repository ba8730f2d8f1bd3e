"""The precision guard: how frequent a word is in everyday text.

Skeleton, fuzzy and short-form matches are weak evidence; they never fire on a frequent ordinary
word.  Frequencies come from the ``wordfreq`` package (Zipf scale: 6 ≈ "the", 3 ≈ once per
million words), which ships its Arabic and English lists and works offline.  The list is loaded
on first use, never at import.
"""

from __future__ import annotations

import math
from functools import lru_cache

__all__ = ["zipf", "is_frequent", "is_rare", "FREQUENT", "COMMON_NAME", "RARE"]

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


@lru_cache(maxsize=2)
def _table(lang: str) -> dict[str, float]:
    """The whole wordfreq list (every word, to Zipf 1): only :func:`zipf` of a rare word needs it."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - declared dependency
        return {}
    return wordfreq.get_frequency_dict(lang)


@lru_cache(maxsize=4)
def _head(lang: str, floor: float = RARE) -> dict[str, int]:
    """word → centibel bucket of wordfreq's ``best`` list, for the words at Zipf ``floor`` or
    above: with :data:`RARE`, every word the guard tells apart (a word below is rare under every
    threshold here); lookup's thresholds need only those at :data:`FREQUENT` (a quarter as many).

    wordfreq's own file is read as a stream (gzip + msgpack, as ``wordfreq.read_cBpack`` does)
    and left after the last bucket at or above ``floor``: a cold ``ctlex lookup`` decodes a
    fifth of the list instead of all of it and building a 600,000-word dict (about 0.6 s and
    90 MB).  Anything unexpected in the file falls back to wordfreq's reader."""
    from itertools import repeat

    path = _wordlist_path(lang)
    out: dict[str, int] = {}
    try:
        import gzip

        import msgpack
    except ImportError:  # pragma: no cover - declared dependency
        path = None
    if path is not None:
        try:
            with gzip.open(path, "rb") as f:
                u = msgpack.Unpacker(f, raw=False)
                n = u.read_array_header()
                header = u.unpack()
                if isinstance(header, dict) and header.get("format") == "cB" and header.get("version") == 1:
                    for i in range(n - 1):
                        if _bucket_zipf(i) < floor:
                            return out
                        out.update(zip(u.unpack(), repeat(i)))
                    return out
        except (OSError, ValueError, EOFError, ImportError, msgpack.UnpackException):  # pragma: no cover - damaged install
            out.clear()
    try:  # pragma: no cover - a wordfreq whose files we do not recognize
        import wordfreq
    except ImportError:  # pragma: no cover - declared dependency
        return {}
    for i, bucket in enumerate(wordfreq.get_frequency_list(lang)):  # pragma: no cover
        if _bucket_zipf(i) < floor:
            break
        out.update(zip(bucket, repeat(i)))
    return out  # pragma: no cover


def _wordlist_path(lang: str) -> str | None:
    """wordfreq's ``best`` list for ``lang`` (``large`` where it has one, else ``small``),
    found without importing wordfreq (its import pulls in language tables we do not need)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for size in ("large", "small"):
            p = os.path.join(base, "data", f"{size}_{lang}.msgpack.gz")
            if os.path.isfile(p):
                return p
    return None


@lru_cache(maxsize=1024)
def _bucket_zipf(i: int) -> float:
    """Zipf of wordfreq's centibel bucket ``i``, computed as wordfreq's frequencies are
    (``10 ** (-i / 100)``) and rounded as :func:`zipf` rounds."""
    return round(math.log10(10 ** (-i / 100) * 1e9), 2)


def _head_zipf(word: str, lang: str, floor: float = RARE) -> float:
    """:func:`zipf` for words at Zipf ``floor`` or above, 0 for every other word."""
    head = _head(lang, floor)
    i = head.get(word.lower() if lang != "ar" else word)
    if i is None and lang == "ar":
        from .. import arabic

        i = head.get(arabic.clean(word).text)
    return _bucket_zipf(i) if i is not None else 0.0


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "ar") -> float:
    """Zipf frequency of ``word`` as written (clean level), 0 when unknown."""
    z = _head_zipf(word, lang)
    if z:
        return z
    f = _table(lang).get(word.lower() if lang != "ar" else word, 0.0)
    if not f and lang == "ar":
        from .. import arabic

        f = _table(lang).get(arabic.clean(word).text, 0.0)
    return round(math.log10(f * 1e9), 2) if f else 0.0


@lru_cache(maxsize=200_000)
def is_frequent(word: str, lang: str = "ar", threshold: float = FREQUENT) -> bool:
    """Is ``word`` at Zipf ``threshold`` (at least :data:`RARE`) or above?"""
    if threshold < RARE:
        return zipf(word, lang) >= threshold
    return _head_zipf(word, lang, FREQUENT if threshold >= FREQUENT else RARE) >= threshold


def is_rare(word: str, lang: str = "ar") -> bool:
    """Is ``word`` below Zipf :data:`RARE` (another name part, not a verb or a particle)?"""
    return _head_zipf(word, lang) < RARE
