"""Context rules: when a candidate the automaton found is *not* the concept in its sentence.

Each rule reads a few words around the candidate (bounded windows, never the whole text):

- an exclusion context with word globs stored with the term (القاعدة ال*ية: the golden rule, the
  air base);
- a nisba-shaped word right after a definite noun is an adjective (المحتوى الإرهابي);
- a bare surname after another person's given name (محمود عباس) or before a rare word that is
  another name part (ماكرون غابرييل أتال).
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from .. import arabic
from . import guard

__all__ = ["FUNCTION_WORDS", "glob_excluded", "adjectival", "after_given_name", "before_rare_word"]

# words after which a nisba-shaped word is a noun, not an adjective (من إرهابي, كل إرهابي)
FUNCTION_WORDS = frozenset(
    "في من الي علي عن مع ان او ام ثم بل لا ما لم لن قد كل بعض اي هذا هذه ذلك تلك الذي التي الذين"
    " عند بين حول ضد نحو خلال بعد قبل منذ حتي لدي لكن غير سوي اكثر اقل اول اخر كان كانت يكون".split()
)
_DEFINITE = ("ال", "وال", "بال", "لل", "فال", "كال")
_NON_LETTERS = re.compile(r"[\W\d_]+")


def glob_excluded(key_text: str, start: int, end: int, phrase: str) -> bool:
    """Does the key-level ``phrase`` (words, ``*`` globs allowed) cover ``key_text[start:end]``?

    The candidate's words stand where the phrase has the term; the other words match the globs.

    >>> k = "القاعده الذهبيه في الطبخ"
    >>> glob_excluded(k, 0, 7, "القاعده ال*يه"), glob_excluded("تنظيم القاعده في", 6, 13, "القاعده ال*يه")
    (True, False)
    """
    words = phrase.split(" ")
    cand = key_text[start:end].split(" ")
    w0 = key_text.rfind(" ", 0, start) + 1
    reach = 40 * len(words)  # enough characters for the phrase's words, never the whole text
    before = key_text[max(0, w0 - reach) : w0].split()
    after = key_text[end : end + reach].split()
    for j in range(len(words) - len(cand) + 1):
        if any("*" in words[j + q] or not cand[q].endswith(words[j + q]) for q in range(len(cand))):
            continue
        pre, post = words[:j], words[j + len(cand) :]
        if len(before) < len(pre) or len(after) < len(post):
            continue
        ctx_pre = before[len(before) - len(pre) :] if pre else []
        if all(fnmatchcase(t, w) for t, w in zip(ctx_pre, pre)) and all(fnmatchcase(t, w) for t, w in zip(after, post)):
            return True
    return False


def adjectival(key_text: str, start: int, end: int) -> bool:
    """Is the nisba-shaped word at ``key_text[start:end]`` an adjective of a definite noun before it?

    Both definite: المحتوى الإرهابي، المكتبة المركزية.  Both indefinite is ambiguous (هجوم إرهابي,
    but توقيف إرهابيين "arresting terrorists"), so it is left to the term.

    >>> adjectival("المحتوي الارهابي", 8, 16), adjectival("توقيف ارهابيين", 6, 14)
    (True, False)
    """
    w0 = key_text.rfind(" ", 0, start) + 1
    if w0 == 0:
        return False
    prev = key_text[key_text.rfind(" ", 0, w0 - 1) + 1 : w0 - 1]
    if not arabic.is_arabic(prev) or prev in FUNCTION_WORDS or len(prev) < 3:
        return False
    return key_text[w0:end].startswith(_DEFINITE) and prev.startswith(_DEFINITE)


def after_given_name(norm: arabic.Normalized, start: int, end: int, names: frozenset[str]) -> bool:
    """Is the word before ``norm.text[start:end]`` one of the given ``names`` (محمود عباس)?

    Read in the original text, from the start of the candidate's word (a proclitic is not the
    word before: وبموغيريني); punctuation in between means no."""
    s, _ = norm.span(start, end)
    while s > 0 and not norm.original[s - 1].isspace():
        s -= 1
    before = norm.original[max(0, s - 80) : s].rstrip()  # a window: never copy the whole text
    if not before or not before[-1].isalnum():
        return False
    prev = _NON_LETTERS.sub("", arabic.clean(before.rsplit(None, 1)[-1]).text)
    if not prev:
        return False
    if not arabic.is_arabic(prev):
        return prev[:1].isupper() and not guard.is_frequent(prev.lower(), "en", guard.COMMON_NAME)
    return any(k in names for k in arabic.clitic_candidates(arabic.key_text(prev), strip_article=False))


def before_rare_word(norm: arabic.Normalized, start: int, end: int) -> bool:
    """Is the word after ``norm.text[start:end]`` a rare Arabic word, such as another name part
    (ماكرون غابرييل أتال: Gabriel Attal)?  Verbs, particles and punctuation follow a surname used alone."""
    _, e = norm.span(start, end)
    after = norm.original[e : e + 80]
    if not after[:1].isspace():
        return False
    nxt = after.split(None, 1)[0] if after.strip() else ""
    word = _NON_LETTERS.sub("", arabic.clean(nxt).text)
    if not word or word != arabic.clean(nxt).text or not arabic.is_arabic(word):
        return False  # punctuation right after the name, or a Latin word
    return guard.is_rare(word)
