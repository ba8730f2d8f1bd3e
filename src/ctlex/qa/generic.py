"""The format-independent checks translate-toolkit's ``pofilter`` implements, called, not rewritten.

Only the tests that are right for Arabic→English are run (``translate.filters.checks.StandardChecker``):

=================  ==================  =====================================================
pofilter test      issue kind          why it is kept (and how it is fed)
=================  ==================  =====================================================
``doublewords``    ``doubled-word``    "the the" in the English; legitimate doubles of English
                                       grammar ("had had", "that that") are not reported
``urls``           ``url-mismatch``    a URL must survive translation unchanged
``emails``         ``email-mismatch``  an e-mail address too
``brackets``       ``brackets``        info only: Arabic news style adds or drops brackets
                                       around acronyms and years ("(INTERPOL)")
``endpunc``        ``end-punctuation`` info only; the source's Arabic punctuation (؟ ، ؛ and
                                       the full stop after a closing quote) is mapped to its
                                       English form first, since pofilter compares characters
=================  ==================  =====================================================

Left out, because they misfire on Arabic→English or ctlex checks the same thing better:
``numbers`` (digits in other scripts, separators and number words: :mod:`ctlex.qa.numerals`),
``startpunc``/``puncspacing``/``singlequoting``/``doublequoting`` (Arabic « » and ” “ quotes and
spacing rules differ from English), ``startcaps``/``endwhitespace``/``sentencecount`` (Arabic has
no capitals; sentence boundaries differ), ``untranslated``/``unchanged`` (:mod:`ctlex.qa.checks`
reports ``untranslated`` itself, on script).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["TESTS", "generic_issues"]

# pofilter test → (issue kind)
TESTS: dict[str, str] = {
    "doublewords": "doubled-word",
    "urls": "url-mismatch",
    "emails": "email-mismatch",
    "brackets": "brackets",
    "endpunc": "end-punctuation",
}
_LEGIT_DOUBLES = {"had", "that", "is", "do", "very", "bye", "no", "so", "far"}
_AR_PUNCT = str.maketrans({"؟": "?", "،": ",", "؛": ";", "«": '"', "»": '"', "٪": "%", "۔": "."})


@lru_cache(maxsize=1)
def _checker() -> Any:
    from translate.filters import checks

    return checks.StandardChecker(checkerconfig=checks.CheckerConfig(targetlanguage="en"))


def generic_issues(source: str, target: str) -> list[tuple[str, str]]:
    """``(kind, message)`` for each kept pofilter test that fails on this pair.

    Example:
        >>> generic_issues("قال الرئيس إن الوضع صعب.", "The the president said it was hard.")
        [('doubled-word', "The word 'the' is repeated")]
        >>> generic_issues("هل انتهى الأمر؟", "Is it over?")
        []
    """
    from translate.filters.checks import FilterFailure

    c = _checker()
    src = source  # Arabic punctuation matters to endpunc only: mapped there, on the end of the text
    out: list[tuple[str, str]] = []
    for test, kind in TESTS.items():
        s, t = src, target
        if test in ("urls", "emails") and "@" not in source + target and "://" not in source + target and "www." not in source + target:
            continue
        # Each test is called only when it could fail: the prefilters are necessary conditions.
        if test == "endpunc":
            s, t = _end(s[-40:].translate(_AR_PUNCT)), _end(t[-40:])
            if not s or s[-1] not in _END_MARKS:  # Arabic often ends a sentence without a mark: nothing to compare
                continue
        elif test == "brackets":
            if not any(b in s or b in t for b in "()[]{}"):
                continue
            s, t = _GLOSS.sub(" ", s), _GLOSS.sub(" ", t)
        elif test == "doublewords" and not _maybe_double(t):
            continue
        try:
            getattr(c, test)(s, t)
        except FilterFailure as e:
            msgs = getattr(e, "messages", None) or [str(e)]
            msg = "; ".join(str(m) for m in msgs)
            if test == "doublewords" and _legit_double(msg):
                continue
            out.append((kind, msg))
        except Exception:  # pragma: no cover - a third-party test must not stop the check
            continue
    return out


_END_MARKS = ".?!:;…"
def _maybe_double(text: str) -> bool:
    """Two neighbouring words equal, split as pofilter splits them (dots removed, lower case)."""
    words = text.replace(".", "").lower().split()
    return any(map(str.__eq__, words, words[1:]))
_CLOSERS = "\"”’'»)] \t\u00a0"
# bracketed numbers and single words: "(29) ألف", "(INTERPOL)", "(يوروبول)" come and go between the languages
_GLOSS = re.compile(r"[(\[]\s*(?:[0-9٠-٩][0-9٠-٩.,،%٪]*|[^\W\d_][\w&.-]{1,20})\s*[)\]]")


def _end(text: str) -> str:
    """The text with closing quotes and spaces around its end punctuation removed ("field”." → "field.")."""
    t = text.rstrip(_CLOSERS)
    mark = ""
    while t and t[-1] in _END_MARKS:
        mark = t[-1] + mark
        t = t[:-1].rstrip(_CLOSERS)
    return t + mark


def _legit_double(msg: str) -> bool:
    words = re.findall(r"'([^']+)'", msg)
    return bool(words) and all(w.lower() in _LEGIT_DOUBLES for w in words)
