"""English and Arabic tokens for suggestions: word chunks, key forms, n-grams, stop words, acronyms."""

from __future__ import annotations

import re

from .. import arabic

# English words that never start or end a candidate (they may sit inside one: "Council of the EU").
EN_STOP = frozenset(
    """a an the of in on at to for from by with and or nor as is are was were be been being am
    that this these those which who whom whose what it its it's he she they them his her their
    our we you your i me my has have had do does did not no but also than then so such there
    here into onto over under about after before between against during through upon within
    without will would shall should can could may might must very more most other another
    each every all any some both either neither one's per via among amid while when where""".split()
)
_EN_TOKEN = re.compile(r"[^\W_]+(?:(?:[.&/]|['’](?!s\b))[^\W_]+)*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$|^[A-Z]{1,3}(?:/[A-Z]{1,3})+$")

# Arabic function words that never start or end a proposed term (key level: ا for any alef).
AR_STOP = frozenset(
    """في من الي علي عن مع ان او ثم حتي قد لقد كما التي الذي الذين اللذين اللتين هذا هذه ذلك تلك
    هو هي هم هما انه انها كان كانت يكون تكون لم لن لا ما ماذا بين عند منذ خلال ضد حول لدي
    بعد قبل كل بعض غير اي ايضا وقد وان وفي ومن فقط او ام بل اذا اذ حيث لكن لكنه ولكن عبر
    نحو دون سوي تم يتم كذلك وكان وكانت فيه فيها منه منها عليه عليها اليه به بها له لها لهم
    الا هناك هنا مثل وهو وهي التى والتي والذي عام وذلك ذات قال وقال قالت وقالت اكد واكد""".split()
)


def english_tokens(text: str) -> list[list[tuple[int, int, str]]]:
    """Chunks of English word tokens ``(start, end, text)``; chunks break at punctuation.

    Hyphenated words are split (so "terrorism" is found inside "counter-terrorism"; the surface
    text of a candidate keeps the hyphen), dotted abbreviations and ``HR/VP`` stay one token, and a
    possessive ``'s`` is skipped.

    Example:
        >>> [[t for _, _, t in c] for c in english_tokens("The EU's Counter-Terrorism Coordinator, Gilles de Kerchove")]
        [['The', 'EU', 'Counter', 'Terrorism', 'Coordinator'], ['Gilles', 'de', 'Kerchove']]
    """
    chunks: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    last = 0
    for m in _EN_TOKEN.finditer(text):
        gap = text[last : m.start()]
        if m.group(0) in ("s", "S") and gap in ("'", "’"):  # possessive 's: dropped
            last = m.end()
            continue
        if cur and gap.strip() not in ("", "-", "–"):
            chunks.append(cur)
            cur = []
        cur.append((m.start(), m.end(), m.group(0)))
        last = m.end()
    if cur:
        chunks.append(cur)
    return chunks


def _en_key(tok: str) -> str:
    return arabic.key_text(tok).replace(" ", "") if not tok.isascii() else tok.lower()


def _chunk_keys(text: str, chunk: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """Key tokens of a chunk and the joiner before each (``" - "`` inside a hyphenated word)."""
    keys = [_en_key(t) for _, _, t in chunk]
    joins = [""] + [" - " if text[chunk[j - 1][1] : chunk[j][0]] in ("-", "–") else " " for j in range(1, len(chunk))]
    return keys, joins


def _gram(keys: list[str], joins: list[str], a: int, b: int) -> str:
    return keys[a] + "".join(joins[j] + keys[j] for j in range(a + 1, b + 1))


def _is_capitalised(surface: str) -> bool:
    return any(p[:1].isupper() for w in surface.split() if w.lower() not in EN_STOP for p in w.split("-"))


def _initials(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if w.lower() in EN_STOP:
            continue
        out.extend(p for p in re.split(r"[-/]", w) if p)
    return out


def acronym_of(acronym: str, expansion: str) -> bool:
    """Can ``acronym`` stand for ``expansion``?  Every content word gives its first letter, in order;
    extra acronym letters may come from inside words (GCTF = Global CounterTerrorism Forum).

    Example:
        >>> acronym_of("GCTF", "Global Counterterrorism Forum"), acronym_of("EU", "European Union")
        (True, True)
        >>> acronym_of("UN", "European Union")
        False
    """
    a = acronym.rstrip("s").replace("/", "").lower() if len(acronym) > 2 else acronym.replace("/", "").lower()
    words = [w.lower() for w in _initials(expansion.split())]
    if len(words) < 2 or not a:
        return False

    def match(i: int, j: int) -> bool:  # a[i:] against words[j:]
        if j == len(words):
            return i == len(a)
        if i == len(a) or a[i] != words[j][0]:
            return False
        w = words[j]
        # take the initial, then optionally more letters of this word as a subsequence
        k, pos = i + 1, 1
        if match(k, j + 1):
            return True
        while k < len(a):
            p = w.find(a[k], pos)
            if p < 0:
                return False
            k, pos = k + 1, p + 1
            if match(k, j + 1):
                return True
        return False

    return match(0, 0)

