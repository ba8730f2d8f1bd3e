"""The one matcher behind lookup, scan and check.

Every term of the glossary is compiled, with the variants of :mod:`.variants` and the short forms of
:mod:`.names`, into one Aho–Corasick automaton (pyahocorasick, in C) over key-level text.  The
automaton proposes candidate spans anywhere inside words; Python only verifies them:

1. what stands before the candidate in its word is a proclitic (:data:`.variants.PROCLITICS`),
   what stands after it an enclitic (Arabic) or a plural/possessive ending (Latin);
2. a bare name does not take the article when it is a place or a person (المالي is not Mali);
3. exclusion contexts stored with the term (كرة القاعدة) veto it;
4. a short form (a surname alone) is linked only after the full name, or when it is unique in the
   glossary and not a frequent word;
5. overlapping candidates: longest first, then status, then leftmost; shorter terms of *other*
   concepts wholly inside a chosen one are kept as nested hits.

Words the automaton leaves uncovered are tried against the media-spelling skeletons of names
(غوتيريس ~ غوتيريش), guarded by word frequency; numbered references come from the pattern table of
:mod:`.references`.  :meth:`Matcher.lookup` runs the same candidates over the query itself, so
whatever lookup resolves as exact, normalized, clitic or variant, scan finds in a sentence.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
import re
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Iterator

from .. import arabic
from . import context, guard, names, references, variants
from .fuzzy import FuzzyIndex
from .fuzzy import CERTAIN as FUZZY_CERTAIN
from .fuzzy import guarded as fuzzy_guarded
from .fuzzy import similarity as fuzzy_similarity
from .spellings import NAME_TYPES as _NAME_TYPES
from .spellings import NO_ARTICLE_TYPES as _NO_ARTICLE_TYPES
from .spellings import Spellings
from .variants import ENCLITICS, LAM_ELIDED, LATIN_SUFFIXES, PROCLITICS

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Glossary, Hit, Match, Term

__all__ = ["Matcher", "SCORES"]

SCORES = {"exact": 1.0, "pattern": 1.0, "normalized": 0.95, "clitic": 0.9, "variant": 0.85, "related": 0.8, "short-form": 0.75}
FUZZY_MAX = 0.8
_COMMON_TYPES = frozenset({"term", "role", "instrument", "programme"})  # named by common nouns: inflected, definite or not
_MIN_SKELETON = 3
_TYPE_PRIORITY = {t: i for i, t in enumerate(
    ("term", "place", "event", "role", "document", "programme", "instrument", "organization", "group", "person", "media"))}
_CACHE_LIMIT = 200_000
_BARRIER_CHAR = "\ue000"  # a private-use character: no term contains it, normalization keeps it
_BARRIER = "\n" + _BARRIER_CHAR + "\n"
_BATCH = 2000  # texts per joined scan: large enough to amortize a call, small enough for memory
_DIGITS = re.compile(r"\d+")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building: these loops allocate many small containers and
    no cycles, and a full collection over a large index costs seconds.  (Hot per-call paths use
    :func:`_without_gc`, which has no generator overhead.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _without_gc(fn: Any, *args: Any) -> Any:
    """``fn(*args)`` with the cyclic collector paused (see :func:`_gc_paused`)."""
    if not gc.isenabled():
        return fn(*args)
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()


# payload record kinds (what a pattern stands for)
NORMAL, VARIANT, SHORT, LIL = "normalized", "variant", "short-form", "lil"


@dataclass(slots=True)
class Candidate:
    """A verified span of key-level text and the term it stands for."""

    start: int  # key-text offsets, end exclusive
    end: int
    entry: int
    kind: str  # exact|normalized|clitic|variant|short-form|related|pattern
    others: tuple[int, ...] = ()  # other entries the same spelling designates
    number: str | None = None
    concept: Any = None  # a generated concept (pattern hits outside the glossary)
    own: bool = False  # matched through the term's own key, not an inflected or re-spelled form


class Matcher:
    """Built once per glossary state; see :class:`ctlex.glossary.Glossary`."""

    def __init__(self, glossary: "Glossary", keys: list[str] | None = None) -> None:
        """``keys``: the key text of every term in matcher order, when the caller has them
        already (a glossary store keeps them); otherwise they are computed."""
        self.entries: list[tuple[Concept, Term]] = []
        self.keys: list[str] = []
        self.by_text: dict[str, list[int]] = {}
        with _gc_paused():
            for concept in glossary:
                for term in concept.terms:
                    i = len(self.entries)
                    self.entries.append((concept, term))
                    self.by_text.setdefault(term.text.strip(), []).append(i)
            self.keys = list(keys) if keys is not None and len(keys) == len(self.entries) else [
                arabic.key_text(t.text) for _, t in self.entries]
        self._automaton: Any = None
        self._native = False  # the automaton is ctlex._native's (else pyahocorasick's)
        self._lock = threading.Lock()  # lazy builds happen once, even with threads (ctlex serve)
        self.spellings = Spellings(self.entries, self.keys)
        self._plen: list[int] = []
        self._payload: list[Any] = []
        self._bare: dict[int, tuple[tuple[int, str, str, bool], ...]] = {}
        self._latin: list[bool] = []
        self._short_owner: dict[str, set[str]] = {}
        self._ref_concepts: dict[tuple[str, str], int] | None = None
        self._generated: dict[tuple[str, str], Concept] = {}
        self._fuzzy: FuzzyIndex | None = None
        self._by_concept: dict[str, list[int]] | None = None
        self._whole: dict[str, list[int]] | None = None
        self._given: frozenset[str] | None = None
        self._flags: list[int] = []
        self._static_rank: list[tuple[int, int, str]] = []
        self._twins: dict[int, tuple[int, ...]] = {}  # entry → same-concept entries with its key
        self._exclusions: dict[int, list[tuple[str, bool]]] = {}  # entry → (key phrase, has globs)

    # -- building ---------------------------------------------------------------------------
    def _patterns(self) -> tuple[dict[str, int], list[list[tuple[int, str]]]]:
        """Every automaton pattern (key-level spelling) → its ``(entry, kind)`` list, in pattern-id
        order; fills ``_plen``, ``_latin``, ``_twins`` and ``_short_owner`` on the way.  The
        patterns of a concept depend on that concept alone (twins are spellings of one concept),
        so a glossary store computes them chunk by chunk (:mod:`ctlex.store`)."""
        pats: dict[str, int] = {}
        lists: list[list[tuple[int, str]]] = []  # pattern id → (entry, kind) while building

        def add(key: str, entry: int, kind: str) -> None:
            if not key or len(key) < 2:
                return
            pid = pats.get(key)
            if pid is None:
                pid = pats[key] = len(self._plen)
                self._plen.append(len(key))
                lists.append([])
                self._latin.append(not arabic.is_arabic(key))
            pl = lists[pid]
            concept, term = self.entries[entry]
            for j, (e, k) in enumerate(pl):
                if e == entry:
                    return
                other_concept, other = self.entries[e]
                if other_concept.id == concept.id and k == kind and other.lang == term.lang and other.pos == term.pos:
                    # two spellings of one concept with one key (الاتحاد الأوروبي / الاتحاد الاوروبي):
                    # one candidate, through the better status; the hit names the spelling written
                    keep, twin = (entry, e) if _STATUS_RANK[term.status] < _STATUS_RANK[other.status] else (e, entry)
                    pl[j] = (keep, kind)
                    self._twins[keep] = (*self._twins.pop(twin, ()), *self._twins.get(keep, ()), twin)
                    return
            pl.append((entry, kind))

        adjectives: list[int] = []
        designated: list[int] = []
        titles: list[int] = []
        for i, (concept, term) in enumerate(self.entries):
            k = self.keys[i]
            if not k:
                continue
            toks = k.split(" ")
            add(k, i, NORMAL)
            ar = arabic.is_arabic(k)
            if ar and term.pos == "adjective":
                adjectives.append(i)
            if ar and concept.type in variants.DESIGNATORS:
                designated.append(i)
            if ar and concept.type == "role":
                titles.append(i)
            if ar:
                common = concept.type in _COMMON_TYPES
                for v, kind in variants.term_variants(toks, common_noun=common):
                    add(" ".join(v), i, kind)
                if concept.type in _NAME_TYPES:
                    for v, kind in variants.spacing_variants(toks):
                        add(" ".join(v), i, kind)
            elif len(toks) > 1 and len(toks) <= 3:
                add("".join(toks), i, NORMAL)  # counterterrorism ~ counter-terrorism
            if concept.type == "person":
                for s in names.short_forms(k, "ar" if ar else "en"):
                    add(s, i, SHORT)
                    self._short_owner.setdefault(s, set()).add(concept.id)
        # forms derived after every term's own spellings, so that a form the concept already holds
        # (a term of its own: تنظيم القاعدة, or a form derived from another of its terms) keeps
        # that record: the regular inflections of a nisba adjective term (أممي → الأممية,
        # أمميين; reported as related like the term), a designator before a name (تنظيم + a group),
        # a title held by a woman (الأمينة العامة)
        derived = [(i, form) for i in adjectives for form in variants.nisba_forms(self.keys[i])]
        derived += [(i, " ".join(v)) for i in designated for v in variants.designated(self.keys[i].split(" "), self.entries[i][0].type)]
        derived += [(i, " ".join(v)) for i in titles for v in variants.feminine_title(self.keys[i].split(" "))]
        for i, form in derived:
            cid = self.entries[i][0].id
            pid = pats.get(form)
            if pid is None or not any(self.entries[e][0].id == cid for e, _ in lists[pid]):
                add(form, i, NORMAL)
        # the article elided after ل (للاتحاد): a pattern without the alef, valid only after ل
        for key, pid in list(pats.items()):
            if key.startswith("ال") and len(key) > 3:
                for entry, kind in lists[pid]:
                    if kind != SHORT:
                        add("ل" + key[2:], entry, LIL)
        return pats, lists

    def _build(self) -> None:
        pats, lists = self._patterns()
        # the verification loop reads flat records: (entry, kind, language, takes no article,
        # adjective, own key) — no attribute lookups per raw match
        keys_of = {pid: key for key, pid in pats.items()}
        records: list[Any] = []
        for pid, pl in enumerate(lists):
            rec = []
            for entry, kind in pl:
                tkey = self.keys[entry]
                rec.append((entry, kind, *self._record_attrs(*self.entries[entry], tkey), keys_of[pid] == tkey))
            records.append(tuple(rec))
        self._payload = records
        self._bare = {}  # pattern id → _bare_records(pid), filled as patterns are met
        # exclusion contexts in key form, once; an entry answers for its twins' contexts too
        self._exclusions = {}
        for i in range(len(self.entries)):
            if (ex := self._entry_exclusions(i)) is not None:
                self._exclusions[i] = ex
        self._flags = [self._entry_flags(i) for i in range(len(self.entries))]
        self._static_rank = [_static_rank(c, t) for c, t in self.entries]
        self._automaton, self._native = build_automaton(list(pats), self._latin)

    @staticmethod
    def _record_attrs(concept: "Concept", term: "Term", tkey: str) -> tuple[str, bool, bool]:
        """What a pattern record says of its term: language, takes no article, adjective."""
        no_article = tkey.startswith("ال") or concept.type in _NO_ARTICLE_TYPES or term.pos == "adjective"
        return term.lang.split("-")[0].lower(), no_article, term.pos == "adjective"

    def _entry_exclusions(self, i: int) -> list[tuple[str, bool]] | None:
        """Entry ``i``'s exclusion contexts (and its twins') in key form, with "has globs"."""
        phrases = [x for j in (i, *self._twins.get(i, ())) for x in self.entries[j][1].exclude]
        if not phrases:
            return None
        out = [(arabic.key_text(x.replace("*", "qzq")).replace("qzq", "*"), "*" in x) for x in phrases]
        # a definite context holds for the term matched without its article (تجنيد إجباري)
        out += [(" ".join(ind), False) for p, glob in out if not glob and (ind := variants.indefinite_phrase(p.split(" ")))]
        return out

    def _entry_flags(self, i: int) -> int:
        """Which per-candidate filters an entry needs (most need none): bits of _EXCL, _NISBA, _PERSON1, _PERSON."""
        concept, term = self.entries[i]
        k = self.keys[i]
        f = _EXCL if i in self._exclusions else 0
        if (" " not in k and arabic.is_arabic(k) and k.endswith(("ي", "يه", "يين", "يون", "يات")) and not k.endswith("ايه")
                and concept.type not in ("person", "place")):
            f |= _NISBA
        if concept.type == "person":
            f |= _PERSON | (_PERSON1 if " " not in k else 0)
        return f

    def _ensure(self) -> None:
        if self._automaton is None:
            with self._lock:
                if self._automaton is None:  # the automaton is assigned last: built means complete
                    with _gc_paused():
                        self._build()

    # -- candidates -------------------------------------------------------------------------
    def _candidates(self, text: str, norm: arabic.Normalized, lang: str | None) -> list[Candidate]:
        """Every verified term occurrence in key-level ``norm.text``, before overlaps are resolved."""
        self._ensure()
        k = norm.text
        if not k:
            return []
        t = " " + k + " "
        out: list[Candidate] = []
        payload, latin = self._payload, self._latin
        want = lang.split("-")[0].lower() if lang is not None else None
        bare, bare_of = self._bare, self._bare_records
        a = self._automaton
        matches = a.scan(t) if self._native else _verified(a.iter(t), t, self._plen, latin)
        for rec in matches:
            if len(rec) == 3:  # a whole word or words: the usual case
                s, end, pid = rec
                recs = bare.get(pid)
                if recs is None:
                    recs = bare[pid] = bare_of(pid)
                for entry, kind, tlang, own in recs:
                    if want is None or tlang == want:
                        out.append(Candidate(s - 1, end, entry, kind, (), None, None, own))
                continue
            s, end, ws, we, pid, pi, si = rec
            pre = _PRE[pi] if pi >= 0 else ""
            suf = "" if si < 0 else _LSUF[si] if latin[pid] else _SUF[si]
            if suf == "ه" and self._is_ta_marbuta(norm, we - 2):
                continue
            cend = (we if suf else end + 1) - 1
            for entry, pkind, tlang, no_article, adjective, own in payload[pid]:
                if want is not None and tlang != want:
                    continue
                if pkind == LIL:
                    if pre not in LAM_ELIDED:
                        continue
                    start, kind = ws, "clitic"
                elif pre:
                    if no_article and PROCLITICS[pre]:
                        continue  # المالي is "financial", not Mali; no double article
                    start, kind = s, ("clitic" if pkind == NORMAL else pkind)
                else:
                    start, kind = s, pkind
                if suf and kind == NORMAL:
                    kind = "clitic"
                if adjective and kind in (NORMAL, "clitic", VARIANT):
                    kind = "related"
                out.append(Candidate(start - 1, cend, entry, kind, own=own))
        return out

    def _bare_records(self, pid: int) -> tuple[tuple[int, str, str, bool], ...]:
        """``(entry, kind, language, own key)`` of a match of pattern ``pid`` with nothing before
        or after it in its words: what :meth:`_candidates` makes of ``_payload[pid]`` then."""
        out = []
        for entry, pkind, tlang, _, adjective, own in self._payload[pid]:
            if pkind == LIL:
                continue  # valid only after ل, and nothing stands before this match
            out.append((entry, "related" if adjective and pkind in (NORMAL, "clitic", VARIANT) else pkind, tlang, own))
        return tuple(out)

    @staticmethod
    def _is_ta_marbuta(norm: arabic.Normalized, i: int) -> bool:
        """Is key-text character ``i`` (an ه) written ة in the original?"""
        o = norm.start(i)
        return 0 <= o < len(norm.original) and norm.original[o] in "ةۃ"

    # -- references -------------------------------------------------------------------------
    def _reference_candidates(self, key_text: str, *, alone: bool = False) -> list[Candidate]:
        """Citations in ``key_text``; with ``alone`` (a lookup query), only the reading of the
        whole query as a citation number alone (:func:`.references.number_alone`), which never
        generates a reference for a number that may be a year."""
        if _DIGITS.search(key_text) is None:
            return []
        if self._ref_concepts is None:
            refs: dict[tuple[str, str], int] = {}
            for i, (concept, term) in enumerate(self.entries):
                if concept.type != "document":
                    continue
                for name, n in references.term_numbers(term.text):
                    refs.setdefault((name, n), i)
            self._ref_concepts = refs  # assigned whole: a concurrent reader never sees it half built
        out = []
        found = references.number_alone(key_text) if alone else references.find_references(key_text)
        for s, e, ref, n in found:
            entry = self._ref_concepts.get((ref.name, n))
            if entry is not None:
                out.append(Candidate(s, e, entry, "pattern", number=n))
            elif alone and references.is_year(n):
                continue  # "2019" alone is a year far more often than resolution 2019
            else:
                c = self._generated.get((ref.name, n))
                if c is None:
                    c = self._generated[(ref.name, n)] = references.generated_concept(ref, n)
                out.append(Candidate(s, e, -1, "pattern", number=n, concept=c))
        return out

    # -- filters ----------------------------------------------------------------------------
    def _excluded(self, c: Candidate, key_text: str) -> bool:
        """Does an exclusion context of the candidate's term (or of a twin spelling of it, see
        ``_twins``) cover the candidate?"""
        for p, glob in self._exclusions.get(c.entry, ()):
            if not p:
                continue
            if glob:
                if context.glob_excluded(key_text, c.start, c.end, p):
                    return True
                continue
            lo = max(0, c.start - len(p))
            i = key_text.find(p, lo, c.end + len(p))
            while i != -1 and i < c.end:
                if i < c.end and i + len(p) > c.start:
                    return True
                i = key_text.find(p, i + 1, c.end + len(p))
        return False

    def _short_form_ok(self, c: Candidate, norm: arabic.Normalized, seen_full: dict[str, int]) -> bool:
        """A bare short form is linked after the full name, or when it is unique in the glossary,
        not a frequent word, and not preceded by what looks like another person's given name."""
        concept, term = self.entries[c.entry]
        first = seen_full.get(concept.id)
        if first is not None and first < c.start:
            return True
        key_text = norm.text
        surface = key_text[c.start : c.end]
        owners = self._short_owner.get(surface)
        if owners is not None and len(owners) > 1:
            return False
        s, e = norm.span(c.start, c.end)
        written = arabic.clean(norm.original[s:e]).text
        lang = "ar" if arabic.is_arabic(surface) else "en"
        if guard.is_frequent(written, lang, guard.COMMON_NAME if lang == "ar" else guard.FREQUENT + 1):
            return False
        return not context.after_given_name(norm, c.start, c.end, self._given_names()) and not context.before_rare_word(norm, c.start, c.end)

    def _given_names(self) -> frozenset[str]:
        """:data:`guard.GIVEN_NAMES` and the first names of the glossary's own people."""
        if self._given is None:
            firsts = {self.keys[i].split(" ")[0] for i, (c, t) in enumerate(self.entries)
                      if c.type == "person" and " " in self.keys[i] and arabic.is_arabic(self.keys[i])}
            self._given = guard.GIVEN_NAMES | frozenset(firsts)
        return self._given

    # -- scan -------------------------------------------------------------------------------
    def scan(self, text: str, lang: str | None = None) -> list["Hit"]:
        return _without_gc(self._scan, text, lang)  # type: ignore[no-any-return]

    def scan_many(self, texts: list[str], lang: str | None = None) -> list[list["Hit"]]:
        """``[scan(t) for t in texts]``, in one pass over the texts joined by a barrier.

        Per-call costs (normalization set-up, the spelling pass's word set, the automaton's entry)
        are paid once per batch.  The barrier (a private-use character between line breaks) is no
        word of any term, and every context rule reads it as punctuation, so no match and no rule
        reaches across it; short forms are licensed by full names of their own text only.  Tests
        check the result against the one-by-one scan.
        """
        out: list[list[Hit]] = [[] for _ in texts]
        for lo in range(0, len(texts), _BATCH):
            chunk = texts[lo : lo + _BATCH]
            if any(_BARRIER_CHAR in t for t in chunk):  # the barrier is in the text itself: one by one
                for i, t in enumerate(chunk, lo):
                    out[i] = self.scan(t, lang)
                continue
            starts = [0]
            for t in chunk[:-1]:
                starts.append(starts[-1] + len(t) + len(_BARRIER))
            hits = _without_gc(self._scan, _BARRIER.join(chunk), lang, starts)
            for h in hits:
                i = bisect_right(starts, h.start) - 1
                out[lo + i].append(_shifted(h, starts[i]) if i else h)
        return out

    def _all_candidates(self, text: str, lang: str | None) -> tuple[arabic.Normalized, list[Candidate]]:
        norm, cands = self._direct_candidates(text, lang)
        cands += self._spelled_candidates(norm, cands, lang)
        return norm, cands

    def _direct_candidates(self, text: str, lang: str | None) -> tuple[arabic.Normalized, list[Candidate]]:
        """The automaton's candidates and the citations: spelt as some term is, or a variant of it."""
        norm = arabic.normalize(text, "key")
        cands = self._candidates(text, norm, lang)
        cands += self._reference_candidates(norm.text)
        return norm, cands

    def _spelled_candidates(self, norm: arabic.Normalized, cands: list[Candidate], lang: str | None) -> list[Candidate]:
        """Media spellings of name words that ``cands`` leave uncovered, through their skeletons."""
        return [Candidate(a, b, entry, kind) for a, b, entry, kind in self.spellings.candidates(norm, [(c.start, c.end) for c in cands], lang)]

    def _scan(self, text: str, lang: str | None, starts: list[int] | None = None) -> list["Hit"]:
        norm, cands = self._all_candidates(text, lang)
        if not cands:
            return []
        k = norm.text
        entries = self.entries
        # exclusions, then short forms (in text order, so "earlier" is well defined)
        cands.sort(key=_END, reverse=True)  # stable: by start, then longest first (two C-keyed sorts)
        cands.sort(key=_START)
        seen_full: dict[str, int] = {}
        kept: list[Candidate] = []
        flags = self._flags
        # joined texts (scan_many): where each text after the first begins in the key text
        bounds = [m.start() for m in re.finditer(_BARRIER_CHAR, k)] if starts else []
        nb, b = len(bounds), 0
        for c in cands:
            if b < nb and c.start > bounds[b]:
                while b < nb and c.start > bounds[b]:
                    b += 1
                seen_full = {}  # a new text: full names seen in the previous one license nothing
            f = flags[c.entry] if c.entry >= 0 else 0
            if f:
                if f & _EXCL and self._excluded(c, k):
                    continue
                if f & _NISBA and c.kind not in ("pattern", "related") and context.adjectival(k, c.start, c.end):
                    continue
            if c.kind == "short-form":
                if not self._short_form_ok(c, norm, seen_full):
                    continue
            elif f & _PERSON1 and context.after_given_name(norm, c.start, c.end, self._given_names()):
                continue  # يوليا سكريبال is not Sergei Skripal
            elif f & _PERSON and c.kind != "related":  # short forms are licensed by people's full names only
                cid = entries[c.entry][0].id
                if cid not in seen_full:
                    seen_full[cid] = c.start
            kept.append(c)
        return self._resolve(text, norm, kept)

    def _rank(self, c: Candidate) -> tuple[int, bool, bool, bool, int, int, int, str]:
        """Longest first; then a citation (it carries its number); then strong evidence, the
        term's own spelling, status; then leftmost and the concept id for determinism."""
        if c.entry < 0:
            return (-(c.end - c.start), False, False, False, 0, 0, c.start, "")
        status, tp, cid = self._static_rank[c.entry]
        kind = c.kind
        return (-(c.end - c.start), kind != "pattern", kind in _WEAK, not c.own, status, tp, c.start, cid)

    def _resolve(self, text: str, norm: arabic.Normalized, cands: list[Candidate]) -> list["Hit"]:
        """Overlaps: clusters of overlapping candidates are resolved longest first."""
        hits: list[Hit] = []
        cluster: list[Candidate] = []
        cend = -1
        for c in cands:  # sorted by start
            if cluster and c.start >= cend:
                if len(cluster) == 1:
                    hits.append(self._hit(text, norm, cluster[0], ()))
                else:
                    hits.extend(self._resolve_cluster(text, norm, cluster))
                cluster = [c]
                cend = c.end
            else:
                cluster.append(c)
                if c.end > cend:
                    cend = c.end
        if cluster:
            hits.extend(self._resolve_cluster(text, norm, cluster))
        return hits

    def _resolve_cluster(self, text: str, norm: arabic.Normalized, cluster: list[Candidate]) -> list["Hit"]:
        """One cluster of overlapping candidates: one best candidate per span (the others become
        its alternatives), then longest first; a shorter candidate of another concept wholly inside
        a chosen one is kept as a nested hit."""
        if len(cluster) == 1:
            return [self._hit(text, norm, cluster[0], ())]
        rank = self._rank
        first = cluster[0]
        if all(c.start == first.start and c.end == first.end for c in cluster):  # homographs: one hit
            ranked = sorted(cluster, key=rank)
            top = ranked[0]
            top.others = tuple(x.entry for x in ranked[1:])
            return [self._hit(text, norm, top, ())]
        groups: dict[tuple[int, int], list[tuple[Any, Candidate]]] = {}
        for c in cluster:
            groups.setdefault((c.start, c.end), []).append((rank(c), c))
        best: list[tuple[Any, Candidate]] = []
        for g in groups.values():
            if len(g) == 1:
                best.append(g[0])
                continue
            g.sort(key=lambda rc: rc[0])
            top = g[0][1]
            top.others = tuple(x.entry for _, x in g[1:])
            best.append(g[0])
        best.sort(key=lambda rc: rc[0])
        chosen: list[Candidate] = []
        nested: dict[int, list[Candidate]] = {}
        for _, c in best:
            inside = None
            crossing = 0
            for o in chosen:
                if o.start < c.end and c.start < o.end:
                    crossing += 1
                    if o.start <= c.start and c.end <= o.end:
                        inside = o
            if not crossing:
                chosen.append(c)
            elif crossing == 1 and inside is not None and c.kind not in ("short-form", "related"):
                if self._cid(inside) != self._cid(c):
                    nested.setdefault(id(inside), []).append(c)
        out = []
        for c in chosen:
            subs = nested.get(id(c))
            sub = tuple(sorted((self._hit(text, norm, x, ()) for x in subs), key=lambda h: (h.start, h.end))) if subs else ()
            out.append(self._hit(text, norm, c, sub))
        out.sort(key=lambda h: (h.start, h.end))
        return out

    def _cid(self, c: Candidate) -> str:
        return c.concept.id if c.entry < 0 else self.entries[c.entry][0].id

    def _hit(self, text: str, norm: arabic.Normalized, c: Candidate, nested: tuple["Hit", ...]) -> "Hit":
        s, e = norm.span(c.start, c.end)
        if c.entry < 0:
            concept = c.concept
            term = concept.terms[0] if arabic.detect_lang(text[s:e]) == "en" else concept.terms[1]
        else:
            concept, term = self.entries[c.entry]
        if c.kind == "pattern" and text.count("(", s, e) > text.count(")", s, e) and text[e : e + 1] == ")":
            e += 1  # a citation's bracketed year is part of it: resolution 2396 (2017)
        surface = text[s:e]
        if surface != term.text and c.entry in self._twins and not surface.endswith(" " + term.text):
            for t in self._twins[c.entry]:  # the spelling the text uses (after a designator: تنظيم), if the glossary has it
                tt = self.entries[t][1].text
                if tt == surface or surface.endswith(" " + tt):
                    term = self.entries[t][1]
                    break
        kind = "exact" if c.kind == NORMAL and surface == term.text else c.kind
        others: tuple[str, ...] = ()
        if c.others:
            others = tuple(dict.fromkeys(self.entries[o][0].id for o in c.others if self.entries[o][0].id != concept.id))
        return _Hit(s, e, surface, concept, term, kind, others, nested, c.number)  # type: ignore[arg-type]

    # -- token interface for callers with their own tokens (suggest) -------------------------
    def match_tokens(self, toks: list[str], lang: str | None = None) -> list[tuple[int, int]]:
        """``(first_token, end_token)`` of every term occurrence in key-level tokens."""
        text = " ".join(toks)
        pos = _positions(toks)

        out = []
        for h in self.scan(text, lang):
            i = bisect_right(pos, h.start) - 1
            j = bisect_right(pos, max(h.end - 1, h.start))
            out.append((i, j))
        return out

    # -- lookup -----------------------------------------------------------------------------
    def lookup(self, query: str, *, lang: str, limit: int, fuzzy: bool, min_score: float) -> list["Match"]:
        runs = _script_runs(query)
        if len(runs) > 1:  # mixed scripts: each part on its own, results merged
            merged: dict[str, Match] = {}
            for part in runs:
                for m in self.lookup(part, lang=arabic.detect_lang(part), limit=limit, fuzzy=fuzzy, min_score=min_score):
                    old = merged.get(m.concept.id)
                    if old is None or m.score > old.score:
                        merged[m.concept.id] = m
            return sorted(merged.values(), key=lambda m: (-m.score, m.concept.id))[:limit]
        return _without_gc(self._lookup, query, lang, limit, fuzzy, min_score)  # type: ignore[no-any-return]

    def _lookup(self, query: str, lang: str, limit: int, fuzzy: bool, min_score: float) -> list["Match"]:
        from ..glossary import Match

        best: dict[str, tuple[float, int, str, int, Any, str | None]] = {}

        def offer(entry: int, kind: str, score: float, concept: Any = None, number: str | None = None) -> None:
            if concept is None:
                concept, term = self.entries[entry]
                if not _same_lang(term.lang, lang):
                    if kind != "pattern":
                        return
                    same = [j for j in self._concept_entries(concept.id) if _same_lang(self.entries[j][1].lang, lang)]
                    if not same:
                        return
                    entry, term = same[0], self.entries[same[0]][1]
                rank = _STATUS_RANK[term.status]
            else:
                rank = 0
            cand = (score, -rank, kind, entry, concept, number)
            old = best.get(concept.id)
            if old is None or cand[:2] > old[:2]:
                if old is not None and kind == "fuzzy" and old[2] == "variant":
                    # one measure of likeness: a spelling rule explains the concept, a closer term of it scores it
                    cand = (score, *old[1:])
                best[concept.id] = cand

        q = query.strip()
        for i in self.by_text.get(q, ()):
            offer(i, "exact", SCORES["exact"])
        norm, cands = self._direct_candidates(q, None)
        spelled = self._spelled_candidates(norm, cands, None)
        k = norm.text
        n = len(k)
        # a number alone (و2462: the second number of a citation, copied out of it) is read as a
        # citation number, a little below a whole citation
        alone = self._reference_candidates(k, alone=True) if not any(c.kind == "pattern" for c in cands) else []
        for c in alone:
            if c.end == n and k[: c.start] in ("", *PROCLITICS):
                score = SCORES["pattern"] - (0.15 if c.entry < 0 else 0.1)
                offer(c.entry, "pattern", score, concept=c.concept if c.entry < 0 else None, number=c.number)
        for c in cands:
            if c.end != n or (c.start != 0 and k[: c.start] not in PROCLITICS):
                continue
            if c.entry < 0:
                offer(-1, "pattern", SCORES["pattern"] - 0.05, concept=c.concept, number=c.number)
                continue
            kind = c.kind
            if kind == "variant":
                score = SCORES["variant"] * _similarity(k, self.keys[c.entry])
            else:
                score = SCORES.get(kind, SCORES["normalized"])
            offer(c.entry, kind, score, number=c.number)
        # a spelling found only through a skeleton is evidence by likeness, like a fuzzy match:
        # scored by the same weighted similarity, so it never outranks a nearer fuzzy match
        for c in spelled:
            if c.end != n or (c.start != 0 and k[: c.start] not in PROCLITICS):
                continue
            key = self.keys[c.entry]
            first, _, rest = k[c.start :].partition(" ")  # the first word may carry a proclitic (للأوروبول)
            readings = [f"{r} {rest}" if rest else r for r in arabic.clitic_candidates(first)]
            if c.kind == "short-form":  # a surname alone
                offer(c.entry, "short-form", SCORES["short-form"] * max(fuzzy_similarity(r, key.split(" ")[-1]) for r in readings) / 100)
            else:
                offer(c.entry, c.kind, FUZZY_MAX * max(fuzzy_similarity(r, key) for r in readings) / 100)
        if k and (not arabic.is_arabic(k) or lang != "ar"):
            # Latin or cross-script queries: the whole name's skeleton (Europol ~ يوروبول)
            for i in self._whole_skeletons().get(variants.name_skeleton(k), ()):
                if arabic.is_arabic(self.keys[i]) == arabic.is_arabic(k):
                    offer(i, "variant", FUZZY_MAX * fuzzy_similarity(k, self.keys[i]) / 100)
                else:  # no edit distance across scripts
                    offer(i, "variant", SCORES["variant"])
        numbered = bool(_DIGITS.search(k))
        strong = any(v[0] >= SCORES["short-form"] and v[2] not in ("variant",) for v in best.values())
        if fuzzy and not strong and k:
            from rapidfuzz import fuzz

            ordinary: bool | None = None  # is every word of the query a frequent word? (asked once)
            for i, sim in self._fuzzy_candidates(k, limit=max(limit, 10), cutoff=min_score / FUZZY_MAX * 100):
                if numbered or _DIGITS.search(self.keys[i]):
                    if _DIGITS.findall(k) != _DIGITS.findall(self.keys[i]):
                        continue  # numbers are facts: 2463 is not 2462
                if fuzz.ratio(k, self.keys[i]) < FUZZY_CERTAIN:  # the guard's certainty is plain likeness
                    if ordinary is None:
                        ordinary = fuzzy_guarded(q, 0)
                    if ordinary:
                        continue
                offer(i, "fuzzy", sim / 100 * FUZZY_MAX)
        # equal scores: evidence of a known kind before a bare fuzzy match, then status
        ranked = sorted(best.values(), key=lambda v: (-v[0], v[2] == "fuzzy", -v[1], v[4].id))
        out = []
        for score, _, kind, i, concept, number in ranked[:limit]:
            if score < min_score:
                continue
            term = self.entries[i][1] if i >= 0 else concept.terms[0 if lang == "en" else 1]
            out.append(Match(concept, score, kind, term, number))  # type: ignore[arg-type]
        return out

    def _whole_skeletons(self) -> dict[str, list[int]]:
        if self._whole is None:
            self._whole = {}
            for i, k in enumerate(self.keys):
                sk = variants.name_skeleton(k)
                if len(sk) >= _MIN_SKELETON:
                    self._whole.setdefault(sk, []).append(i)
        return self._whole

    def _concept_entries(self, cid: str) -> list[int]:
        if self._by_concept is None:
            by: dict[str, list[int]] = {}
            for i, (c, _) in enumerate(self.entries):
                by.setdefault(c.id, []).append(i)
            self._by_concept = by  # assigned whole, for concurrent readers
        return self._by_concept.get(cid, [])

    def fuzzy_index(self) -> FuzzyIndex:
        """The trigram index of fuzzy lookup, built on first use."""
        if self._fuzzy is None:
            with self._lock, _gc_paused():
                if self._fuzzy is None:
                    self._fuzzy = FuzzyIndex(self.keys)
        return self._fuzzy

    def _fuzzy_candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
        return self.fuzzy_index().candidates(k, limit=limit, cutoff=cutoff)


# -- helpers ----------------------------------------------------------------------------------
from ..glossary import STATUS_RANK as _STATUS_RANK  # noqa: E402  (glossary imports this module lazily)
from ..glossary import Hit as _Hit  # noqa: E402


def _static_rank(c: "Concept", t: "Term") -> tuple[int, int, str]:
    """Homographs: the more general reading wins (الشرق الأوسط: the region before the newspaper),
    the others are listed as alternatives."""
    return (_STATUS_RANK[t.status], _TYPE_PRIORITY.get(c.type, 99), c.id)


def _shifted(h: "Hit", by: int) -> "Hit":
    """``h`` (and its nested hits) with offsets moved back by ``by``."""
    return _Hit(h.start - by, h.end - by, h.text, h.concept, h.term, h.match, h.alternatives,
                tuple(_shifted(n, by) for n in h.nested), h.number)
from ..glossary import _positions, _same_lang  # noqa: E402


_EXCL, _NISBA, _PERSON1, _PERSON = 1, 2, 4, 8  # per-entry filter bits (see Matcher._entry_flags)
_START, _END = attrgetter("start"), attrgetter("end")
_WEAK = frozenset({"short-form", "related", "variant"})

_PRE = tuple(PROCLITICS)  # affixes by index, as the verified matches name them
_SUF = tuple(sorted(ENCLITICS))
_LSUF = tuple(sorted(LATIN_SUFFIXES))
_PRE_INDEX = {p: i for i, p in enumerate(_PRE)}
_SUF_INDEX = {p: i for i, p in enumerate(_SUF)}
_LSUF_INDEX = {p: i for i, p in enumerate(_LSUF)}


def build_automaton(keys: list[str], latin: list[bool]) -> tuple[Any, bool]:
    """The scan automaton over ``keys`` (pattern id = position), and whether it is ctlex's own
    (:mod:`ctlex._native`, which verifies boundaries and clitics as it walks: ``scan(t)``) or
    pyahocorasick's (raw ``iter(t)``, verified by :func:`_verified`).  The in-memory matcher and
    the glossary store's matcher both build theirs here."""
    native = _native()
    if native is not None:
        return native.Automaton(keys, bytes(latin), _PRE, _SUF, _LSUF), True
    import ahocorasick

    a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for pid, key in enumerate(keys):
        a.add_word(key, pid)
    if not keys:
        return _EMPTY, False
    a.make_automaton()
    return a, False


def _native() -> Any:
    """:mod:`ctlex._native` when it was built (and ``CTLEX_NO_NATIVE`` is not set), else None."""
    return arabic._native_module()


def _verified(raw: Iterator[tuple[int, int]], t: str, plen: list[int], latin: list[bool]) -> Iterator[tuple[int, ...]]:
    """The pure-Python twin of ``ctlex._native.Automaton.scan``: of the raw matches ``(end, pid)``
    of a pattern in the space-padded key text ``t``, those at word boundaries, as ``(s, end, pid)``,
    or with an allowed proclitic ``t[ws:s]`` and/or enclitic (Latin suffix) ``t[end+1:we]``, as
    ``(s, end, ws, we, pid, proclitic index or -1, enclitic index or -1)``."""
    rfind, find = t.rfind, t.find
    for end, pid in raw:
        s = end - plen[pid] + 1
        if t[s - 1] == " ":
            if t[end + 1] == " ":
                yield s, end, pid
                continue
            pi, ws = -1, s
        else:
            if latin[pid]:
                continue
            ws = rfind(" ", 0, s) + 1
            pi = _PRE_INDEX.get(t[ws:s], -1)  # LAM_ELIDED prefixes are proclitics too
            if pi < 0:
                continue
        if t[end + 1] == " ":
            si, we = -1, end + 1
        else:
            we = find(" ", end + 1)
            si = (_LSUF_INDEX if latin[pid] else _SUF_INDEX).get(t[end + 1 : we], -1)
            if si < 0:
                continue
        yield s, end, ws, we, pid, pi, si


class _Empty:
    """Stands for the automaton of a glossary without terms."""

    @staticmethod
    def iter(text: str) -> Iterator[tuple[int, int]]:
        return iter(())


_EMPTY = _Empty()


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return max(0.7, fuzz.ratio(a, b) / 100)


_SCRIPT_RUN = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff][\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\s\d]*|[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f\s\d'’.\-]*")


def _script_runs(query: str) -> list[str]:
    """The query split into its Arabic and Latin parts ("Europol يوروبول")."""
    if not (arabic.is_arabic(query) and re.search(r"[A-Za-z]", query)):
        return [query]
    return [r.strip() for r in _SCRIPT_RUN.findall(query) if r.strip()]
