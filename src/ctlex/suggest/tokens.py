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
# A token: a dotted abbreviation (U.S., U.N.), or word characters joined by hyphens, en dashes
# without spaces, slashes, ampersands, inner dots, apostrophes (not a possessive 's) and, between
# digits, thousands separators (25,000 / 150.000).  So "Netherlands-based", "Ban Ki-moon", "1950-53",
# "25,000-strong" and "HR/VP" are one token each: a candidate never starts or ends inside a word.
_EN_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}(?![^\W_])|[^\W_]+(?:(?:[-\u2010\u2011\u2013&/.]|(?<=\d),(?=\d{3})|['\u2019](?!s\b))[^\W_]+)*")
# Words that never start or end a candidate besides EN_STOP: reporting and auxiliary verbs,
# reflexive and personal pronouns, adverbs.  Inside a phrase they are kept ("Islamic State in Iraq").
EDGE_VERBS = frozenset(
    """said says say saying told tells added adds warned warns urged urges stressed stresses noted
    notes announced announces confirmed confirms seems seem seemed appears appear appeared claimed
    described describes according called urging warning stressing adding noting explained explains
    insisted insists accused accuses vowed vows pledged pledges argued argues believed believes
    remains remained became become becomes came come comes went go goes got get gets made make makes
    took take takes gave give gives sees see saw stalled
    themselves itself himself herself ourselves yourself myself him us
    already still just now even only never ever again soon later yet too quite rather almost nearly
    reportedly allegedly currently recently previously formerly respectively together""".split()
)
_LY_NOUNS = frozenset("family assembly supply ally rally italy sicily july anomaly monopoly reply belly".split())


def is_edge_word(key: str, *, at_end: bool = False) -> bool:
    """May the key token ``key`` not start (or, with ``at_end``, end) a candidate?

    Function words, reporting verbs, pronouns and adverbs (a lower-case -ly word) never stand at
    an edge; at the end, neither does a lower-case past participle ("negotiations have stalled").

    Example:
        >>> is_edge_word("said"), is_edge_word("themselves"), is_edge_word("officially"), is_edge_word("united")
        (True, True, True, False)
        >>> is_edge_word("organized"), is_edge_word("organized", at_end=True)
        (False, True)
    """
    if key in EN_STOP or key in EDGE_VERBS:
        return True
    if len(key) > 4 and key.endswith("ly") and key.isalpha() and key not in _LY_NOUNS:
        return True
    return at_end and len(key) > 4 and key.endswith("ed") and key.isalpha() and not key.endswith("eed")


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

    Hyphenated compounds, numbers with separators and dotted abbreviations are single tokens, and
    a possessive ``'s`` is skipped.

    Example:
        >>> [[t for _, _, t in c] for c in english_tokens("The EU's Counter-Terrorism Coordinator, Gilles de Kerchove")]
        [['The', 'EU', 'Counter-Terrorism', 'Coordinator'], ['Gilles', 'de', 'Kerchove']]
        >>> [t for c in english_tokens("a 25,000-strong crowd, the U.S. and the Netherlands-based UN body") for _, _, t in c]
        ['a', '25,000-strong', 'crowd', 'the', 'U.S.', 'and', 'the', 'Netherlands-based', 'UN', 'body']
    """
    chunks: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    last = 0
    for m in _EN_TOKEN.finditer(text):
        s, e = m.span()
        tok = m.group()
        if s != last:
            gap = text[last:s]
            if (tok == "s" or tok == "S") and (gap == "'" or gap == "’"):  # possessive 's: dropped
                last = e
                continue
            if cur and not gap.isspace():  # punctuation between: a new chunk
                chunks.append(cur)
                cur = []
        cur.append((s, e, tok))
        last = e
    if cur:
        chunks.append(cur)
    return chunks


def _en_key(tok: str) -> str:
    return arabic.key_text(tok).replace(" ", "") if not tok.isascii() else tok.lower()


def _chunk_keys(text: str, chunk: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """Key tokens of a chunk and the joiner before each (a space: compounds are single tokens)."""
    keys = [_en_key(t) for _, _, t in chunk]
    return keys, [""] + [" "] * (len(chunk) - 1)


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

