"""Sentence splitting and sentence alignment of an Arabic document and its English translation.

:func:`split_sentences` cuts at ``.`` ``!`` ``?`` ``؟`` (not at ``…``, which marks an omission), never at the Arabic comma ``،``
or semicolon ``؛``, which join clauses; closing quotes and brackets after the stop stay with their
sentence; decimals (``3.5``, ``٣٫٥``), ordinals and list numbers (``1.``), initials, English
abbreviations (``Mr.``, ``U.S.``, ``e.g.``) and Arabic ones (``د.`` doctor, ``م.`` CE, ``هـ.`` AH) do
not end a sentence.  Line breaks (paragraphs) always do.

:func:`align` is Gale & Church (1993): dynamic programming over sentence lengths in characters
with the beads 1-1, 1-0, 0-1, 2-1, 1-2 and their prior probabilities, the length ratio and variance
estimated for Arabic→English.  It is improved by *anchors*: glossary concepts found in both
sentences by :meth:`ctlex.glossary.Glossary.scan`, and numbers written in both, lower a bead's
cost; an anchor on only one side raises it a little.

Example:
    >>> ar = split_sentences("قال المتحدث إن الاجتماع عقد في 2019. وأضاف أن التعاون مستمر.")
    >>> [s.text for s in ar]
    ['قال المتحدث إن الاجتماع عقد في 2019.', 'وأضاف أن التعاون مستمر.']
    >>> beads = align([s.text for s in ar], ["The spokesman said the meeting was held in 2019.", "He added that cooperation continues."])
    >>> [(b.ar, b.en) for b in beads]
    [((0,), (0,)), ((1,), (1,))]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .segment import Segment

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Glossary

__all__ = ["Sentence", "Bead", "split_sentences", "align", "align_texts", "beads_to_segments", "write_pairs"]


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it lies in the text it was cut from (``text == source[start:end]``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Bead:
    """One alignment step: the Arabic and English sentence indices it joins, and its cost."""

    ar: tuple[int, ...]
    en: tuple[int, ...]
    cost: float

    @property
    def kind(self) -> str:
        """``'1-1'``, ``'2-1'``, ``'1-0'``…"""
        return f"{len(self.ar)}-{len(self.en)}"


# -- splitting ---------------------------------------------------------------------------------

_ABBREV_EN = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep pres rev hon
    no nos vol vols fig figs p pp ed eds est approx dept univ inc ltd co corp assn bros vs etc
    al e.g i.e cf jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u""".split()
)
# Arabic abbreviations written with a full stop: د. (Dr), م. (CE / engineer), هـ. (AH), ص. (page), ق.م.
_ABBREV_AR = frozenset({"د", "م", "هـ", "ه", "ص", "ج", "ق", "ق.م", "أ", "ا", "س", "ت", "ب"})
_CLOSERS = "\"'”’»)]}›"
_STOP = re.compile(r"[.!?؟]+")


def split_sentences(text: str, lang: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences with their offsets (white space between sentences dropped).

    ``lang`` is only a hint (``'ar'``/``'en'``); the rules for both scripts are applied everywhere,
    since Arabic text quotes English names and numbers.

    Example:
        >>> [s.text for s in split_sentences("قال د. أحمد: هل انتهى الأمر؟ لا. «بل بدأ».")]
        ['قال د. أحمد: هل انتهى الأمر؟', 'لا.', '«بل بدأ».']
        >>> [s.text for s in split_sentences("Mr. Smith paid $3.5 million in 2019. The U.S. agreed.")]
        ['Mr. Smith paid $3.5 million in 2019.', 'The U.S. agreed.']
    """
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        line = para.group(0)
        start = 0
        for m in _STOP.finditer(line):
            end = m.end()
            while end < len(line) and line[end] in _CLOSERS:
                end += 1
            if not _is_boundary(line, m.start(), m.end(), end):
                continue
            _emit(out, line, base, start, end)
            start = end
        _emit(out, line, base, start, len(line))
    return out


def _emit(out: list[Sentence], line: str, base: int, start: int, end: int) -> None:
    seg = line[start:end]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg and any(c.isalnum() for c in seg):
        s = base + start + lead
        out.append(Sentence(s, s + len(seg), seg))
    elif seg and out and out[-1].end == base + start:  # stray punctuation: glue to the sentence before
        prev = out.pop()
        s = base + start + lead
        out.append(Sentence(prev.start, s + len(seg), line[prev.start - base : s - base + len(seg)]))


def _is_boundary(line: str, stop_start: int, stop_end: int, end: int) -> bool:
    stop = line[stop_start:stop_end]
    after = line[end:]
    if end < len(line) and not after[:1].isspace():
        return False  # "3.5", "U.S.A", "e.g.," — a stop followed by a letter or digit is inside a word
    if stop != ".":
        return True  # ! ? ؟ … and runs like "?!" always end a sentence
    before = line[:stop_start]
    word = re.search(r"(\S+)$", before)
    w = word.group(1) if word else ""
    w = w.lstrip("\"'“‘«(").rstrip()
    if not w:
        return True
    if w.isdigit() and len(w) <= 2 and (not before[: -len(w)].strip() or before.rstrip().endswith(tuple("(:-—"))):
        return False  # a list number at the start: "1. …"
    low = w.lower()
    if low in _ABBREV_EN or low.rstrip(".") in _ABBREV_EN:
        return False
    if len(w) == 1 and w.isalpha() and w.isupper():
        return False  # an initial: "John F. Kennedy"
    if w in _ABBREV_AR or w.replace("\u0640", "") in _ABBREV_AR:
        return False
    nxt = after.lstrip()[:1]
    if nxt and nxt.islower() and nxt.isascii():
        return False  # "… approx. ten people": a lower-case continuation is no new sentence
    return True


# -- alignment -----------------------------------------------------------------------------------

# Gale & Church's priors for the bead types, and the length model for Arabic → English: English
# text runs about 1.1 characters per Arabic character (estimated on tm/articles.tmx), with the
# variance per character of the original paper scaled to that ratio.
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2}
RATIO = 1.1
VARIANCE = 6.8
ANCHOR_BONUS = 2.5  # cost removed per anchor found on both sides
ANCHOR_MISS = 0.6  # cost added per anchor found on one side only
_NUM = re.compile(r"\d+(?:[.,]\d+)?")


def _norm_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _length_cost(la: int, le: int) -> float:
    if la == 0 and le == 0:
        return 0.0
    mean = (la + le / RATIO) / 2
    z = (RATIO * la - le) / math.sqrt(max(mean, 1.0) * VARIANCE)
    p = 2 * (1 - _norm_cdf(abs(z)))
    return -math.log(max(p, 1e-300))


def _anchors(texts: Sequence[str], glossary: "Glossary | None") -> list[frozenset[str]]:
    from .arabic import clean

    out = []
    for t in texts:
        keys = {"#" + n.replace(",", "") for n in _NUM.findall(clean(t).text) if len(n) > 1 or n != "1"}
        if glossary is not None:
            keys |= {h.concept.id for h in glossary.scan(t)}
        out.append(frozenset(keys))
    return out


def align(ar: Sequence[str], en: Sequence[str], *, glossary: "Glossary | None" = None) -> list[Bead]:
    """Align two lists of sentences; return the beads in order, covering every sentence once.

    Example:
        >>> [b.kind for b in align(["جملة أولى قصيرة.", "وجملة ثانية."], ["A short first sentence, and a second one."])]
        ['2-1']
    """
    na, ne = len(ar), len(en)
    la = [len(s) for s in ar]
    le = [len(s) for s in en]
    aa = _anchors(ar, glossary)
    ae = _anchors(en, glossary)
    inf = float("inf")
    cost = [[inf] * (ne + 1) for _ in range(na + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (ne + 1) for _ in range(na + 1)]
    cost[0][0] = 0.0
    penalties = {k: -math.log(p) for k, p in _PRIORS.items()}
    for i in range(na + 1):
        for j in range(ne + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for (di, dj), pen in penalties.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                c = cost[pi][pj] + pen + _length_cost(sum(la[pi:i]), sum(le[pj:j]))
                if di and dj:
                    sa = frozenset().union(*aa[pi:i])
                    se = frozenset().union(*ae[pj:j])
                    c += ANCHOR_MISS * len(sa ^ se) - ANCHOR_BONUS * len(sa & se)
                if c < best:
                    best, arg = c, (di, dj)
            cost[i][j] = best
            back[i][j] = arg
    beads: list[Bead] = []
    i, j = na, ne
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), cost[i][j] - cost[i - di][j - dj]))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def align_texts(ar_text: str, en_text: str, *, glossary: "Glossary | None" = None) -> list[tuple[str, str, Bead]]:
    """Split both documents into sentences and align them; return ``(ar, en, bead)`` triples.

    Example:
        >>> [(a, e) for a, e, _ in align_texts("الإرهاب خطر. التعاون ضروري.", "Terrorism is a threat. Cooperation is essential.")]
        [('الإرهاب خطر.', 'Terrorism is a threat.'), ('التعاون ضروري.', 'Cooperation is essential.')]
    """
    ar = [s.text for s in split_sentences(ar_text, "ar")]
    en = [s.text for s in split_sentences(en_text, "en")]
    beads = align(ar, en, glossary=glossary)
    return [(" ".join(ar[k] for k in b.ar), " ".join(en[k] for k in b.en), b) for b in beads]


def beads_to_segments(pairs: Iterable[tuple[str, str, object]], origin: str = "align") -> list[Segment]:
    """Aligned pairs as :class:`Segment`\\ s; 1-0 and 0-1 beads (nothing to pair with) are dropped.

    Example:
        >>> beads_to_segments([("نعم.", "Yes.", None), ("", "Extra.", None)])[0].origin
        'align#1'
    """
    out = []
    n = 0
    for a, e, bead in pairs:
        if not a or not e:
            continue
        n += 1
        props = {"x-bead": bead.kind} if isinstance(bead, Bead) else {}
        out.append(Segment(a, e, id=str(n), origin=f"{origin}#{n}", props=props))
    return out


def write_pairs(segments: Sequence[Segment], path: str) -> int:
    """Write aligned pairs to ``path`` through the format registry (``.tmx``, ``.tsv``…).

    Example:
        >>> import os, tempfile
        >>> write_pairs(beads_to_segments([("نعم.", "Yes.", None)]), os.path.join(tempfile.mkdtemp(), "pairs.tmx"))
        1
    """
    from . import formats

    return formats.write_segments(segments, path)
