"""A :class:`~ctlex.glossary.Glossary` backed by a :class:`~ctlex.store.GlossaryStore`.

Lookup never loads the whole glossary.  A query can only be matched through concepts that share
something with it: a term spelt as the query, an automaton spelling (key, variant, short form)
at a word boundary inside it, a media skeleton of one of its words, its whole-name skeleton, a
citation number in it, or a fuzzy candidate.  The store finds those concepts by index; a
:class:`~ctlex.match.index.Matcher` over just them answers the query, with the two things that
depend on the whole glossary taken from the store: which words are spelt as in some term, and
the fuzzy candidates (scored over every key, as the in-memory index does).  The answers are the
in-memory ones; tests compare both on the shipped glossary and on a generated one.

Scan uses the store's whole matcher (:mod:`ctlex.store.scanindex`): compiled into the store,
loaded once, reading only the concepts of a text's hits.  Everything else (iteration, check,
export, editing) loads every concept once, on first use, and then behaves as an ordinary
glossary.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .. import arabic
from ..errors import NotFoundError
from ..glossary import Concept, Glossary, Hit, Match

if TYPE_CHECKING:  # pragma: no cover
    from ..match.index import Matcher
    from . import GlossaryStore

__all__ = ["StoreGlossary", "pattern_spans"]


class StoreGlossary(Glossary):
    """A glossary read from a compiled store (see the module docstring)."""

    def __init__(self, store: "GlossaryStore") -> None:
        m = store.meta
        self.store = store
        self.title = m.get("title") or "ctlex glossary"
        self.description = m.get("description") or ""
        self.extra = list(json.loads(m.get("extra") or "[]"))
        self.source_lang = "ar"
        self.path = store.path
        self._loaded: dict[str, Concept] | None = None
        self._index = None
        self._scan_matcher: Any = None

    # every Glossary method goes through _concepts: all concepts are loaded on first use
    @property  # type: ignore[override]
    def _concepts(self) -> dict[str, Concept]:
        if self._loaded is None:
            from ..match.index import _gc_paused

            with _gc_paused():
                self._loaded = {c.id: c for c in self.store.iter_concepts()}
        return self._loaded

    @_concepts.setter
    def _concepts(self, value: dict[str, Concept]) -> None:
        self._loaded = value

    @property
    def loaded(self) -> bool:
        """Have all concepts been read into memory?"""
        return self._loaded is not None

    def get(self, concept_id: str) -> Concept | None:
        if self._loaded is not None:
            return self._loaded.get(concept_id)
        return self.store.get(concept_id)

    def __getitem__(self, concept_id: str) -> Concept:
        c = self.get(concept_id)
        if c is None:
            raise NotFoundError(f"no concept {concept_id!r}")
        return c

    def __contains__(self, concept_id: object) -> bool:
        return isinstance(concept_id, str) and self.get(concept_id) is not None

    def __len__(self) -> int:
        return len(self._loaded) if self._loaded is not None else len(self.store)

    def styles(self) -> dict[str, int]:
        if self._loaded is not None:
            return super().styles()
        return dict(json.loads(self.store.meta.get("styles") or "{}"))

    def stats(self) -> dict[str, Any]:
        if self._loaded is not None:
            return super().stats()
        m = self.store.meta
        return {"path": self.path, "concepts": int(m["concepts"]), "terms": int(m["terms"]),
                "by_type": json.loads(m["by_type"]), "terms_by_lang": json.loads(m["terms_by_lang"]),
                "styles": self.styles(), "usage": json.loads(m["usage"])}

    def to_glossary(self) -> Glossary:
        """An ordinary in-memory glossary with every concept (what the TBX holds)."""
        return Glossary(self, title=self.title, description=self.description, source_lang=self.source_lang, extra=self.extra)

    # -- scan without loading the glossary -------------------------------------------------------
    def scan_matcher(self) -> "Matcher":
        """The store's whole matcher for scanning (:mod:`ctlex.store.scanindex`), loaded once."""
        if self._scan_matcher is None:
            from ..match.index import _gc_paused
            from .scanindex import StoreMatcher

            with _gc_paused():
                self._scan_matcher = StoreMatcher(self.store)
        return self._scan_matcher

    def scan(self, text: str, lang: str | None = None, *, style: str | None = None) -> list[Hit]:
        if self._loaded is not None:
            return super().scan(text, lang, style=style)
        style = self.check_style(style)
        return _styled(self.scan_matcher().scan(text, lang), style)

    def scan_many(self, texts: Iterable[str], lang: str | None = None, *, style: str | None = None) -> list[list[Hit]]:
        if self._loaded is not None:
            return super().scan_many(texts, lang, style=style)
        style = self.check_style(style)
        return [_styled(hs, style) for hs in self.scan_matcher().scan_many(list(texts), lang)]

    # -- lookup without loading the glossary -----------------------------------------------------
    def lookup(self, query: str, lang: str | None = None, limit: int = 10, *, fuzzy: bool = True, min_score: float = 0.6,
               style: str | None = None) -> list[Match]:
        if self._loaded is not None:
            return super().lookup(query, lang, limit, fuzzy=fuzzy, min_score=min_score, style=style)
        style = self.check_style(style)
        if not query.strip():
            return []
        lang = lang or arabic.detect_lang(query)
        try:  # most queries are answered before the fuzzy stage: its candidates only when asked for
            matcher = self.query_matcher(query, fuzzy=False, limit=limit, min_score=min_score, strict=fuzzy)
            found = matcher.lookup(query, lang=lang, limit=limit, fuzzy=fuzzy, min_score=min_score)
        except _FuzzyNeeded:
            matcher = self.query_matcher(query, fuzzy=True, limit=limit, min_score=min_score)
            found = matcher.lookup(query, lang=lang, limit=limit, fuzzy=fuzzy, min_score=min_score)
        return [replace(m, style=style) for m in found] if style else found

    def query_matcher(self, query: str, *, fuzzy: bool = True, limit: int = 10, min_score: float = 0.6, strict: bool = False) -> "Matcher":
        """A matcher over the concepts ``query`` can match (see the module docstring).  Without
        ``fuzzy`` its fuzzy stage finds nothing or, with ``strict``, raises :class:`_FuzzyNeeded`."""
        from ..match import references, variants
        from ..match.index import FUZZY_MAX, _script_runs

        store = self.store
        q = query.strip()
        parts = [q] + [p for p in _script_runs(query) if p != q]
        ords: set[int] = set()
        pre: dict[str, list[tuple[int, float]]] = {}
        for part in parts:
            ords.update(store.ords_by_text(part.strip()))
            k = arabic.key_text(part.strip())
            if not k:
                continue
            ords |= store.ords_by_pattern(pattern_spans(k, int(store.meta.get("max_key") or len(k))))
            ords |= store.ords_by_reference((ref.name, n) for _, _, ref, n in references.find_references(k))
            ords |= store.ords_by_reference((ref.name, n) for _, _, ref, n in references.number_alone(k))
            ords |= _variant_ords(store, set(k.split(" ")))
            ords |= store.ords_by_whole_skeleton([variants.name_skeleton(k)])
            if fuzzy and k not in pre:
                pre[k] = store.fuzzy_candidates(k, limit=max(limit, 10), cutoff=min_score / FUZZY_MAX * 100)
        fuzzy_entries = {e for found in pre.values() for e, _ in found}
        entry_ord = store.entry_ords(fuzzy_entries) if fuzzy_entries else {}
        ords.update(entry_ord.values())
        rows = store.concepts(ords)
        base: dict[int, int] = {}  # concept ord → (its first entry in the small matcher) - (its first entry in the store)
        n = 0
        for o, c, first in rows:
            base[o] = n - first
            n += len(c.terms)
        sub = Glossary((c for _, c, _ in rows), title=self.title)
        local = {k: [(e + base[entry_ord[e]], r) for e, r in found] for k, found in pre.items()}
        return _QueryMatcher(sub, store, local, strict, keys=_keys(store, rows))


def _styled(hits: list[Hit], style: str | None) -> list[Hit]:
    if style:
        for h in hits:
            for n in h.walk():
                n.style = style
    return hits


def _readings_by_skeleton(words: Iterable[str], present: Any) -> dict[str, list[str]]:
    """media skeleton → the clitic readings (without the article) of those ``words`` the
    spelling stage tries (:meth:`ctlex.match.spellings.Spellings._word_variants`): long enough,
    Arabic, and not in ``present`` (the words spelt as in some term)."""
    from ..match.spellings import MIN_LETTERS
    from ..match.variants import media_skeleton

    readings = {c for w in words if len(w) >= MIN_LETTERS - 1 and w not in present and arabic.is_arabic(w)
                for c in arabic.clitic_candidates(w) if not c.startswith("ال")}
    by_skel: dict[str, list[str]] = {}
    for c in readings:
        by_skel.setdefault(media_skeleton(c), []).append(c)
    return by_skel


def _variant_ords(store: "GlossaryStore", words: set[str]) -> set[int]:
    """The concepts :meth:`ctlex.match.spellings.Spellings._word_variants` can find for ``words``:
    it tries only words long enough, Arabic, and not spelt as in some term (إقليم in a thousand
    place names is no variant of any of them), each clitic reading without the article, and keeps
    the name words of the reading's media skeleton that are close to it
    (:meth:`ctlex.match.spellings._Bucket.close_to`: the same RapidFuzz call and threshold), so
    only the concepts of those words are read."""
    from rapidfuzz import fuzz, process

    from ..match.spellings import MIN_LETTERS, _need

    present = store.words_present(w for w in words if len(w) >= MIN_LETTERS - 1 and arabic.is_arabic(w))
    by_skel = _readings_by_skeleton(words, present)
    ords: set[int] = set()
    for sk, bucket in store.media_words(by_skel).items():
        names = list(bucket)
        for c in by_skel[sk]:
            for _, _, j in process.extract(c, names, scorer=fuzz.ratio, score_cutoff=_need(sk), limit=None):
                ords.update(bucket[names[j]])
    return ords


def _keys(store: "GlossaryStore", rows: list[tuple[int, Concept, int]]) -> list[str]:
    """The key text of every term of ``rows`` (``store.concepts``), in matcher order, as compiled."""
    return store.entry_keys(first + j for _, c, first in rows for j in range(len(c.terms)))


class _FuzzyNeeded(Exception):
    """The query reached the fuzzy stage: its candidates must be fetched first."""


class _StoreWords:
    """``word in words``: is ``word`` a word of some term's key, anywhere in the store?"""

    def __init__(self, store: "GlossaryStore") -> None:
        self.store = store
        self.cache: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        v = self.cache.get(word)
        if v is None:
            v = self.cache[word] = self.store.has_word(word)
        return v


def _query_matcher_class() -> type:
    from ..match.index import Matcher

    class QueryMatcher(Matcher):
        """A matcher over a few concepts that answers for the whole store: term words and fuzzy
        candidates come from the store."""

        def __init__(self, glossary: Glossary, store: "GlossaryStore", fuzzy: dict[str, list[tuple[int, float]]], strict: bool,
                     keys: list[str] | None) -> None:
            super().__init__(glossary, keys)
            self._strict = strict
            self.spellings._term_words = _StoreWords(store)  # type: ignore[assignment]
            self._store = store
            self._store_fuzzy = fuzzy

        def _given_names(self) -> frozenset[str]:
            given: frozenset[str] | None = self._given  # type: ignore[has-type]
            if given is None:
                from ..match import guard

                given = self._given = guard.GIVEN_NAMES | self._store.given_names()
            return given

        def _fuzzy_candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
            found = self._store_fuzzy.get(k)
            if found is None and self._strict:
                raise _FuzzyNeeded(k)
            return found if found is not None else []

    return QueryMatcher


_QM: type | None = None


def _QueryMatcher(glossary: Glossary, store: "GlossaryStore", fuzzy: dict[str, list[tuple[int, float]]], strict: bool = False,
                  keys: list[str] | None = None) -> "Matcher":
    global _QM
    if _QM is None:
        _QM = _query_matcher_class()
    return _QM(glossary, store, fuzzy, strict, keys)  # type: ignore[no-any-return]


def pattern_spans(k: str, maxlen: int) -> Iterator[str]:
    """Every substring of the key-level text ``k`` the automaton could report as a term: from a
    word start or after a proclitic, to a word end or before an enclitic / Latin ending."""
    from ..match.variants import ENCLITICS, LATIN_SUFFIXES, PROCLITICS

    suffixes = ENCLITICS | LATIN_SUFFIXES
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for w in k.split(" "):
        ws, we = pos, pos + len(w)
        starts.append(ws)
        starts.extend(ws + j for j in range(1, len(w)) if w[:j] in PROCLITICS)
        ends.append(we)
        ends.extend(we - len(sf) for sf in suffixes if len(sf) < len(w) and w.endswith(sf))
        pos = we + 1
    ends.sort()
    for s in starts:
        for e in ends:
            if e > s + maxlen:
                break
            if e > s:
                yield k[s:e]
