"""Check translations against the glossary: :func:`check` and :func:`check_file`.

:func:`check` takes aligned Arabic→English segments (any format :func:`ctlex.formats.read_segments`
reads) and a :class:`~ctlex.glossary.Glossary` and returns a :class:`~ctlex.qa.report.QAReport`.
Markup is blanked in both sides first (:mod:`ctlex.qa.markup`).  Per segment:

* ``untranslated`` when the target is empty or still Arabic; nothing else is checked then;
* ``forbidden-term`` / ``deprecated-term`` for glossary terms so marked that occur in the target;
* for each concept :meth:`Glossary.scan` finds in the source, its accepted renderings
  (:mod:`ctlex.qa.renderings`) are looked for in the target.  None found gives
  ``misspelt-term`` when a stretch of the target is a near miss of a name, ``number-mismatch``
  for a numbered concept (a resolution) whose number differs, else ``missing-term``.  A rendering
  that is only part of another concept's longer name ("Council" inside "European Council") does
  not count.  A ``do-not-translate`` term must appear as written (``dnt-translated``).
  Recognition hits of kind ``pattern`` (resolution citations with a ``number``) need that number
  in the target; hits of kind ``related`` (an adjective) expect the demonym first;
* ``number-mismatch`` for numbers on one side only (:mod:`ctlex.qa.numerals`);
* the generic pofilter tests (:mod:`ctlex.qa.generic`).

Across the file: ``inconsistent`` (one source concept rendered by different terms) and
``inconsistent-target`` (one English term used for two concepts).  A one-word Arabic short form
with the article (المجلس) and a name found only through its consonant skeleton are too weak to
blame the target for a missing rendering.  One row per (segment, concept), the most severe kept.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from .. import arabic
from . import numerals as _numbers
from .generic import generic_issues
from .markup import prepare
from .renderings import Rendering, find, find_all, fold, is_acronym, near_miss, pattern_key, renderings
from .report import Issue, QAReport

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Glossary, Hit, Term
    from ..segment import Segment

__all__ = ["check", "check_file"]

# near misses are looked for on names only: a role or a term differs by a word ("Under-Secretary-General"), not by a letter
_NAME_TYPES = {"person", "organization", "group", "media", "programme"}


# Generic institutional nouns (key level) that glossaries use as short names: المجلس for the Council.
_GENERIC_AR = frozenset(arabic.key_text(w) for w in (
    "المجلس", "المنظمة", "التنظيم", "الوكالة", "اللجنة", "الاتحاد", "الحلف", "المكتب", "المركز", "الجماعة", "الحركة",
    "القوات", "الجيش", "المفوضية", "البرلمان", "الحكومة", "الوزارة", "المنتدى", "التحالف", "البعثة", "الفريق", "الهيئة", "الشبكة"))


def _ambiguous_short_form(hit: "Hit") -> bool:
    """A one-word short form that is a generic noun (المجلس, المنظمة) is as often a common noun as a name."""
    t = hit.term
    k = arabic.key_text(t.text)
    return t.term_type == "shortForm" and " " not in k and k in _GENERIC_AR


def _skeleton_only(hit: "Hit") -> bool:
    """A name found only through its consonant skeleton (الجديدة ~ القاعدة): too weak to blame the target."""
    if hit.match != "variant" or " " in hit.text.strip() or len(arabic.key_text(hit.text)) >= 6:
        return False  # media spellings the matcher checked (close spelling, or several words)
    a = arabic.key_text(hit.text).replace(" ", "")
    b = arabic.key_text(hit.term.text).replace(" ", "")
    return not (a.endswith(b) or b.endswith(a) or a.endswith(b[2:]) and b.startswith("ال"))


@dataclass
class _Flagged:
    """A term the target must not contain (forbidden or deprecated)."""

    concept: "Concept"
    term: "Term"
    kind: str
    exact: bool  # only this exact spelling counts (it differs from an accepted term only in case)


class _Glossary:
    """What :func:`check` derives from a glossary once: flagged terms, DNT terms, English containers."""

    def __init__(self, glossary: "Glossary", style: str | None) -> None:
        self.glossary = glossary
        self.style = style
        accepted = {t.text.lower(): c.id for c in glossary for t in c.terms_for("en") if t.status in ("preferred", "admitted") and t.usage != "forbidden"}
        self.flagged: list[_Flagged] = []
        for c in glossary:
            for t in c.terms_for("en"):
                if t.usage == "forbidden":
                    kind = "forbidden-term"
                elif t.status == "deprecated" and not (style and style in t.styles):
                    kind = "deprecated-term"
                else:
                    continue
                self.flagged.append(_Flagged(c, t, kind, t.text.lower() in accepted))
        self.dnt = {c.id: [t.text for t in c.terms_for("en") if t.usage == "do-not-translate"] for c in glossary}
        self.dnt = {k: v for k, v in self.dnt.items() if v}
        # do-not-translate terms written as such in the source (goTravel inside Arabic text)
        self.dnt_literal = [(c.id, t) for c in glossary for t in c.terms_for("en") if t.usage == "do-not-translate"]
        # English term (folded) → concept ids, for "part of another concept's longer name"
        self._en: list[tuple[str, str, str, str]] = []  # (folded text, original text, concept id, concept type)
        self._type = {c.id: c.type for c in glossary}
        for c in glossary:
            for t in c.terms_for("en"):
                f = " ".join(fold(t.text).split())
                if f:
                    self._en.append((f, t.text, c.id, c.type))
        self._containers: dict[tuple[str, str], list[tuple[str, str]]] = {}
        # full names of places and bodies → their acronyms, for names built on them (U.S. Department of Defense)
        self._abbrev: list[tuple[re.Pattern[str], str]] = []
        for c in glossary:
            if c.type not in ("place", "organization"):
                continue
            acc = [t for t in c.terms_for("en") if t.status in ("preferred", "admitted")]
            acros = [t.text for t in acc if is_acronym(t.text) and len(t.text) <= 4]
            for t in acc:
                if not is_acronym(t.text) and 2 <= len(t.text.split()) <= 3 and acros:
                    self._abbrev.append((re.compile(r"\b" + re.escape(t.text) + r"\b"), acros[0]))
        self._with_abbrev: dict[tuple[str, str | None], list[Rendering]] = {}
        self._longer: dict[str, list["Concept"]] = {}

    def longer_names(self, concept: "Concept") -> list["Concept"]:
        """Other concepts with an Arabic term that contains one of ``concept``'s as whole words.

        الشرق الأوسط (the Middle East) inside صحيفة الشرق الأوسط (Asharq Al-Awsat): when the target
        renders the longer name, the source words were a shortened mention of it.
        """
        got = self._longer.get(concept.id)
        if got is None:
            mine = {" " + arabic.key_text(t.text) + " " for t in concept.terms_for("ar")}
            got = [c for c in self.glossary if c.id != concept.id
                   and any(m in " " + arabic.key_text(t.text) + " " and m.strip() != arabic.key_text(t.text) for t in c.terms_for("ar") for m in mine)]
            self._longer[concept.id] = got
        return got

    def renderings(self, concept: "Concept") -> list[Rendering]:
        """The concept's renderings plus the same names with a known acronym inside (US for United States)."""
        key = (concept.id, self.style)
        got = self._with_abbrev.get(key)
        if got is None:
            base = renderings(concept, self.style)
            got = list(base)
            texts = {r.text for r in base}
            for r in base:
                if r.derived:
                    continue
                for rx, acro in self._abbrev:
                    if rx.search(r.text):
                        v = rx.sub(acro, r.text)
                        if v not in texts and v != acro:
                            texts.add(v)
                            got.append(Rendering(v, "abbreviated", r.term))
            self._with_abbrev[key] = got
        return got

    def containers(self, text: str, cid: str) -> list[tuple[str, str]]:
        """Longer English names of other concepts of the same type that end in ``text``.

        "Council" is the head of "European Council", so it does not render the Council of the EU
        there; "UN" in "UN Secretary-General" is a modifier and still counts.
        """
        key = (text, cid)
        got = self._containers.get(key)
        if got is None:
            f = " ".join(fold(text).split())
            own = {ff for ff, _, c, _ in self._en if c == cid}
            typ = self._type.get(cid)
            got = [(orig, c) for ff, orig, c, ty in self._en
                   if c != cid and ty == typ and len(ff) > len(f) and ff not in own and ff.endswith(" " + f)]
            self._containers[key] = got
        return got


def _find_rendering(r: Rendering, cid: str, g: _Glossary, prep: str, folded: str, source_ids: set[str]) -> tuple[int, int] | None:
    """First match of ``r`` that is not just part of another (unmentioned) concept's longer name."""
    spans = find_all(r.text, prep, folded)
    if not spans:
        return None
    conts = [(t, c) for t, c in g.containers(r.text, cid) if c not in source_ids]
    if not conts:
        return spans[0]
    blocked = [sp for t, _ in conts for sp in find_all(t, prep, folded)]
    for s, e in spans:
        if not any(bs <= s and e <= be and (be - bs) > (e - s) for bs, be in blocked):
            return (s, e)
    return None


def _untranslated(src: str, tgt: str) -> str | None:
    if not tgt.strip():
        return "the target is empty"
    if arabic.is_arabic(src) and arabic.detect_lang(tgt) == "ar":
        return "the target is Arabic text" if arabic.key_text(src) != arabic.key_text(tgt) else "the target is the source text"
    return None


def check(segments: Iterable["Segment"], glossary: "Glossary", *, style: str | None = None) -> QAReport:
    """Check aligned Arabic→English ``segments`` against ``glossary``.

    With a house ``style`` ("UN", "EU", "US-press"), the terms that style prescribes are accepted
    and expected first, and a deprecated term the style prescribes is not reported.

    Example:
        >>> from ctlex.glossary import Concept, Glossary, Term
        >>> from ctlex.segment import Segment
        >>> g = Glossary([Concept("europol", "organization", terms=[Term("يوروبول", "ar", "preferred"), Term("Europol", "en", "preferred")])])
        >>> r = check([Segment("وأعلن يوروبول", "Europol announced"), Segment("وقال اليوروبول", "Interpol said")], g)
        >>> [(i.segment, i.kind, i.concept, i.source_term, i.severity) for i in r.issues]
        [(2, 'missing-term', 'europol', 'يوروبول', 'error')]
    """
    g = _Glossary(glossary, style)
    issues: list[Issue] = []
    # (concept id, Arabic term key, acronym?) → [(segment index, rendering key, surface, rank, pending issue)]
    renders: dict[tuple[str, str, bool], list[tuple[int, str, str, int, tuple]]] = {}  # type: ignore[type-arg]
    # English rendering key → concept id → [(pending issue, surface)]
    used_for: dict[str, dict[str, list[tuple[tuple, str]]]] = defaultdict(lambda: defaultdict(list))  # type: ignore[type-arg]
    from ..glossary import STATUS_RANK

    n = 0
    for n, seg, src, tgt, psrc, ptgt, scanned in _prepared(segments, glossary):
        idx = n - 1
        sid: int | str = seg.id if seg.id else n
        seg_issues: dict[tuple[str, str], Issue] = {}

        def add(issue: Issue) -> None:
            key = (issue.concept or "", "" if issue.concept else issue.kind)
            old = seg_issues.get(key)
            if old is None or issue.rank() < old.rank():
                seg_issues[key] = issue

        why = _untranslated(psrc, ptgt) if psrc.strip() else None
        if why:
            add(Issue(sid, idx, "untranslated", None, None, [], tgt, src, None, why))
            issues.extend(seg_issues.values())
            continue
        folded = fold(ptgt)
        hits = scanned
        source_ids = {h.concept.id for h in hits}
        blamed: set[str] = set()
        # forbidden and deprecated terms in the target
        for f in g.flagged:
            if f.exact:
                m = re.search(r"(?<![\w-])" + re.escape(f.term.text) + r"(?![\w-])", ptgt)
                span = m.span() if m else None
            else:
                span = find(f.term.text, ptgt, folded)
            if span is None:
                continue
            hit = next((h for h in hits if h.concept.id == f.concept.id), None)
            blamed.add(f.concept.id)
            exp = [r.text for r in renderings(f.concept, style) if not r.derived]
            label = "forbidden" if f.kind == "forbidden-term" else "deprecated"
            add(Issue(sid, idx, f.kind, f.concept.id, hit.text if hit else None, exp, tgt, src, (hit.start, hit.end) if hit else None,
                      f"{label} term {f.term.text!r} in the target", target_span=span, found=tgt[span[0]:span[1]]))
        # do-not-translate terms the source writes as such must stay as written
        for dcid, t in g.dnt_literal:
            if dcid not in blamed and t.text in psrc and not re.search(r"(?<!\w)" + re.escape(t.text) + r"(?!\w)", ptgt):
                s0 = psrc.index(t.text)
                blamed.add(dcid)
                add(Issue(sid, idx, "dnt-translated", dcid, t.text, [t.text], tgt, src, (s0, s0 + len(t.text)),
                          f"{t.text!r} is not to be translated (keep it as written)"))
        # concepts in the source
        covered_numbers: set[str] = set()
        seen: set[str] = set()
        for h in hits:
            cid = h.concept.id
            if cid in seen or cid in blamed:
                continue
            seen.add(cid)
            issue = _concept_issue(h, sid, idx, src, tgt, ptgt, folded, g, style, source_ids, renders, used_for, covered_numbers, STATUS_RANK)
            if issue is not None:
                add(issue)
        # numbers
        num = _number_issue(sid, idx, src, tgt, psrc, ptgt, covered_numbers)
        if num is not None:
            add(num)
        # generic checks (translate-toolkit)
        for kind, msg in generic_issues(psrc, ptgt):
            add(Issue(sid, idx, kind, None, None, [], tgt, src, None, msg))
        issues.extend(seg_issues.values())
    issues.extend(_inconsistencies(renders))
    issues.extend(_target_inconsistencies(used_for))
    issues = _one_per_concept(issues)
    issues.sort(key=Issue.sort_key)
    return QAReport(issues=issues, segments=n)


def _prepared(segments: Iterable["Segment"], glossary: "Glossary", batch: int = 2000) -> Iterator[tuple[int, "Segment", str, str, str, str, list["Hit"]]]:
    """``(number, segment, source, target, prepared source, prepared target, source hits)``, the
    Arabic side first; the sources are scanned a batch at a time (:meth:`Glossary.scan_many`)."""
    it = iter(enumerate(segments, 1))
    while True:
        chunk = []
        for n, seg in islice(it, batch):
            src, tgt = seg.source or "", seg.target or ""
            if (seg.source_lang or "").lower().startswith("en") and (seg.target_lang or "").lower().startswith("ar"):
                src, tgt = tgt, src
            chunk.append((n, seg, src, tgt, prepare(src), prepare(tgt, english=True)))
        if not chunk:
            return
        todo = [i for i, row in enumerate(chunk) if row[4].strip()]
        hits: list[list[Hit]] = [[] for _ in chunk]
        for i, h in zip(todo, glossary.scan_many([chunk[i][4] for i in todo], lang="ar")):
            hits[i] = h
        for row, h in zip(chunk, hits):
            yield (*row, h)


def _one_per_concept(issues: list[Issue]) -> list[Issue]:
    best: dict[tuple[int, str, str], Issue] = {}
    for i in issues:
        key = (i.index, i.concept or "", "" if i.concept else i.kind)
        old = best.get(key)
        if old is None or i.rank() < old.rank():
            best[key] = i
    return list(best.values())


def _concept_issue(h: "Hit", sid: int | str, idx: int, src: str, tgt: str, ptgt: str, folded: str, g: _Glossary, style: str | None,
                   source_ids: set[str], renders: dict, used_for: dict, covered_numbers: set[str], status_rank: dict[str, int]) -> Issue | None:  # type: ignore[type-arg]
    cid = h.concept.id
    span = (h.start, h.end)
    match_kind = getattr(h, "match", None)
    number = getattr(h, "number", None)
    if match_kind == "pattern" and number is not None:  # a resolution citation from the recognition layer
        num = str(number)
        if any(num in n.values for n in _numbers.extract(ptgt) if not n.word):
            covered_numbers.add(num)
            return None
        covered_numbers.add(num)
        src_values = {v for n in _numbers.extract(src) for v in n.values}
        wrong = [n for n in _numbers.extract(ptgt) if not n.word and not (set(n.values) & src_values)]
        seen_there = ", ".join(n.written for n in wrong) or None
        message = f"resolution number {num} is not in the target" + (f" (the target has {seen_there})" if seen_there else "")
        return Issue(sid, idx, "number-mismatch", cid, h.text, [num], tgt, src, span, message,
                     target_span=(wrong[0].start, wrong[0].end) if wrong else None, found=seen_there)
    rends = g.renderings(h.concept)
    if not rends:
        return None
    dnt = g.dnt.get(cid)
    if dnt:
        for t in dnt:
            m = re.search(r"(?<![\w])" + re.escape(t) + r"(?![\w])", ptgt)
            if m:
                return None
        exp = dnt
        found_sp = None
        for r in rends:
            found_sp = _find_rendering(r, cid, g, ptgt, folded, source_ids)
            if found_sp:
                break
        return Issue(sid, idx, "dnt-translated", cid, h.text, exp, tgt, src, span, f"{' / '.join(dnt)} is not to be translated",
                     target_span=found_sp, found=tgt[found_sp[0]:found_sp[1]] if found_sp else None)
    related = match_kind == "related"
    if related:  # the source is an adjective (nisba): adjective terms and demonyms are the expected forms
        is_adj = [r.how == "demonym" or (r.term is not None and r.term.pos == "adjective" and not r.derived) for r in rends]
        rends = [r for r, a in zip(rends, is_adj) if a] + [r for r, a in zip(rends, is_adj) if not a]
    found: list[tuple[Rendering, tuple[int, int]]] = []
    for r in rends:
        if r.derived and found:  # derived forms are only looked for when no term is there
            break
        sp = _find_rendering(r, cid, g, ptgt, folded, source_ids)
        if sp is not None:
            found.append((r, sp))
    full = [(r, sp) for r, sp in found if not r.derived]
    if full and h.concept.type == "person" and " " in h.text.strip() and not any(" " in r.text.strip() for r, _ in full):
        # the source has the full name, the target only a correct surname: is the full name misspelt
        # around it (Michele Bachelet)?
        full_names = [r.text for r in rends if r.how in ("style", "term") and " " in r.text.strip()]
        nm = near_miss(full_names, ptgt, folded) if full_names else None
        if nm is not None and any(nm[0] <= sp[0] and sp[1] <= nm[1] for _, sp in full):
            s0, e0, name, _ = nm
            return Issue(sid, idx, "misspelt-term", cid, h.text, [name], tgt, src, span,
                         f"{tgt[s0:e0]!r} is close to {name!r} but not equal", target_span=(s0, e0), found=tgt[s0:e0])
    if full:
        _record(h, sid, idx, cid, tgt, src, span, full, renders, used_for, status_rank)
        return None
    expected = [r.text for r in rends if not r.derived] or [r.text for r in rends]
    if related:
        expected = [r.text for r in rends if r.how == "demonym"][:2] + expected
    if h.concept.type in _NAME_TYPES:
        names = [r.text for r in rends if r.how in ("style", "term") and not is_acronym(r.text)]
        # full names first: "Michele Bachelet" is a misspelt "Michelle Bachelet" even though the
        # surname alone ("Bachelet", an admitted term) is spelt right
        full_names = [n for n in names if " " in n.strip()]
        nm = (near_miss(full_names, ptgt, folded) if full_names else None) or near_miss(names, ptgt, folded)
        if nm is not None and not any(sp[0] <= nm[0] and nm[1] <= sp[1] for _, sp in found):
            s, e, name, score = nm
            if not found or h.concept.type == "person":
                return Issue(sid, idx, "misspelt-term", cid, h.text, [name] + [x for x in expected if x != name], tgt, src, span,
                             f"{tgt[s:e]!r} is close to {name!r} but not equal", target_span=(s, e), found=tgt[s:e])
    if not found:
        if _ambiguous_short_form(h) or _skeleton_only(h):
            return None
        for other in g.longer_names(h.concept):  # the target resolves the words as part of a longer name
            if other.id not in source_ids and any(_find_rendering(r, other.id, g, ptgt, folded, source_ids)
                                                  for r in g.renderings(other) if not r.derived):
                return None
        digits = {d for r in rends if not r.derived for d in re.findall(r"\d+", r.text)}
        if digits and not (digits & set(re.findall(r"\d+", ptgt.translate({0x0660 + i: str(i) for i in range(10)})))):
            src_digits = set(re.findall(r"\d+", arabic.clean(h.text).text))
            if src_digits & digits:
                covered_numbers.update(digits)
                return Issue(sid, idx, "number-mismatch", cid, h.text, expected, tgt, src, span,
                             f"{h.text!r} ({cid}) has the number {', '.join(sorted(src_digits & digits))}; the target does not")
        return Issue(sid, idx, "missing-term", cid, h.text, expected, tgt, src, span,
                     f"{h.text!r} ({cid}) is not rendered as {' / '.join(expected)}")
    return None


def _record(h: "Hit", sid: int | str, idx: int, cid: str, tgt: str, src: str, span: tuple[int, int],
            full: list[tuple[Rendering, tuple[int, int]]], renders: dict, used_for: dict, status_rank: dict[str, int]) -> None:  # type: ignore[type-arg]
    """Note which term rendered the concept here, for the file-wide consistency checks.

    Issues are built only when one is reported; the tuples hold what they need.  Adjective and
    demonym forms (Italian for إيطاليا, European for both Europe and the EU) are accepted but not
    tracked: the noun and its adjective are both ordinary style.
    """
    full = [(r, sp) for r, sp in full if r.how != "demonym" and not (r.term is not None and r.term.pos == "adjective")]
    for r, sp in full:
        used_for[pattern_key(r.text)][cid].append(((sid, idx, cid, h.text, tgt, src, span, sp), r.text))
    for acro in (False, True):
        group = [(r, sp) for r, sp in full if _acronymish(r) == acro]
        if not group:
            continue
        r, sp = min(group, key=lambda x: (-(x[1][1] - x[1][0]), status_rank[x[0].term.status] if x[0].term else 9, x[0].text))
        key = (cid, _term_key(h.term.text), acro)
        rank = -1 if r.how == "style" else status_rank[r.term.status] if r.term else 9  # a house style's term wins ties
        renders.setdefault(key, []).append((idx, pattern_key(r.text), r.text, rank,
                                            (sid, idx, cid, h.text, tgt, src, span, sp)))


def _issue(kind: str, p: tuple, expected: list[str], message: str) -> Issue:  # type: ignore[type-arg]
    sid, idx, cid, text, tgt, src, span, sp = p
    return Issue(sid, idx, kind, cid, text, expected, tgt, src, span, message, target_span=sp, found=tgt[sp[0]:sp[1]])


@lru_cache(maxsize=65536)
def _term_key(text: str) -> str:
    """Key form of a glossary term's text (terms repeat across segments: computed once each)."""
    return arabic.key_text(text)


def _acronymish(r: Rendering) -> bool:
    return is_acronym(r.text) or (r.term is not None and r.term.term_type in ("acronym", "abbreviation"))


def _inconsistencies(renders: dict[tuple[str, str, bool], list[tuple[int, str, str, int, tuple]]]) -> list[Issue]:  # type: ignore[type-arg]
    out: list[Issue] = []
    for key in sorted(renders):
        rows = renders[key]
        folds = Counter(r[1] for r in rows)
        if len(folds) < 2:
            continue
        best_rank = {f: min(r[3] for r in rows if r[1] == f) for f in folds}
        major = min(folds, key=lambda f: (-folds[f], best_rank[f], f))
        surface = next(r[2] for r in rows if r[1] == major)
        for _, f, text, _, pending in rows:
            if f == major or _within(text, surface) or _within(surface, text):  # "Syromolotov" within "Oleg Syromolotov"
                continue
            out.append(_issue("inconsistent", pending, [surface], f"rendered {text!r} here but {surface!r} in {folds[major]} other segment(s)"))
    return out


def _within(a: str, b: str) -> bool:
    """Rendering ``a`` is part of rendering ``b`` (whole words, folded)."""
    fa, fb = " ".join(fold(a).split()), " ".join(fold(b).split())
    return bool(fa) and f" {fa} " in f" {fb} "


def _target_inconsistencies(used_for: dict[str, dict[str, list[tuple[tuple, str]]]]) -> list[Issue]:  # type: ignore[type-arg]
    out: list[Issue] = []
    for f in sorted(used_for):
        by_concept = used_for[f]
        if len(by_concept) < 2:
            continue
        major = max(sorted(by_concept), key=lambda c: len(by_concept[c]))
        for cid in sorted(by_concept):
            if cid == major:
                continue
            for pending, text in by_concept[cid]:
                out.append(_issue("inconsistent-target", pending, [],
                                  f"{text!r} renders {cid} here and {major} in {len(by_concept[major])} other segment(s)"))
    return out


def _number_issue(sid: int | str, idx: int, src: str, tgt: str, psrc: str, ptgt: str, covered: set[str]) -> Issue | None:
    sn = _numbers.extract(psrc, words=False)
    tn = _numbers.extract(ptgt, words=False)
    if not sn and not tn:
        return None
    missing, extra = _numbers.compare(sn, tn)
    if missing or extra:  # number words are read only when digits alone disagree
        missing, extra = _numbers.compare(sn + _numbers.word_numbers(psrc), tn + _numbers.word_numbers(ptgt))
    missing = [x for x in missing if not (x.values & covered)]
    if extra and covered:
        extra = [x for x in extra if not any(len(v) == len(c) for v in x.values for c in covered)]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("not in the target: " + ", ".join(x.written for x in missing))
    if extra:
        parts.append("not in the source: " + ", ".join(x.written for x in extra))
    span = (missing[0].start, missing[0].end) if missing else None
    tspan = (extra[0].start, extra[0].end) if extra else None
    return Issue(sid, idx, "number-mismatch", None, ", ".join(x.written for x in missing) or None,
                 [x.value for x in missing] or [x.value for x in sn if not x.word], tgt, src, span, "; ".join(parts),
                 target_span=tspan, found=", ".join(x.written for x in extra) or None)


def check_file(path: str | os.PathLike[str], glossary: "Glossary", format: str | None = None, *, style: str | None = None) -> QAReport:
    """Read a bilingual file with :func:`ctlex.formats.read_segments` and :func:`check` it.

    Example:
        >>> from ctlex.data import tm_files
        >>> from ctlex.glossary import load
        >>> check_file(tm_files()[0], load()).fails("warning")
        False
    """
    from ..formats import read_segments

    return check(read_segments(path, format, drafts=True), glossary, style=style)  # QA reviews drafts too
