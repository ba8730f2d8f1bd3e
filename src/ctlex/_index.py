"""The glossary index: hash tables for the lookup cascade, a token trie for scanning, and a
character-trigram inverted index that picks fuzzy candidates before RapidFuzz scores them.

Everything is keyed on :func:`ctlex.arabic.key` text, in which tokens are separated by exactly
one space, so scanning is ``str.split`` plus dictionary steps (no regular expression per term).
"""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from itertools import product
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from . import arabic
from .glossary import STATUS_RANK, Concept, Hit, Match, Term, _positions, _same_lang

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Glossary

SCORES = {"exact": 1.0, "normalized": 0.95, "clitic": 0.9, "variant": 0.85}
FUZZY_MAX = 0.8
_END = ""  # trie key of the payload list (never a token)
_NAME_TYPES = frozenset({"person", "organization", "group", "media", "place", "programme", "event"})
_PARTICLES = ("عبد", "ابو", "ابن", "بن", "دو", "دي", "فان", "فون", "ال")  # name parts often written joined
_MIN_SKELETON = 4
_NO_ARTICLE_TYPES = frozenset({"place", "person"})  # a bare name of these never takes ال
_CACHE_LIMIT = 200_000
_RARE_GRAMS = 7  # fuzzy: how many of the query's rarest trigrams select candidates
_MAX_CANDIDATES = 3000  # fuzzy: most candidates RapidFuzz rescores per query
# When one spelling designates several concepts (الشرق الأوسط: the Middle East and the newspaper
# Asharq Al-Awsat), scan reports the more general reading and lists the others as alternatives.
_TYPE_PRIORITY = {t: i for i, t in enumerate(
    ("term", "place", "event", "role", "document", "programme", "instrument", "organization", "group", "person", "media"))}


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or scanning.

    These loops allocate many small containers and create no reference cycles; with a large
    index alive, every automatic full collection would walk millions of trie nodes (seconds of
    pure overhead, and the source of erratic timings).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _trigrams(k: str) -> set[str]:
    s = f" {k} "
    return {s[i : i + 3] for i in range(len(s) - 2)}


class Index:
    """Built once per glossary state; see :class:`ctlex.glossary.Glossary`."""

    def __init__(self, glossary: "Glossary") -> None:
        self.entries: list[tuple[Concept, Term]] = []
        self.keys: list[str] = []  # key text of each entry
        self.by_text: dict[str, list[int]] = {}
        self.by_key: dict[str, list[int]] = {}
        self.by_compact: dict[str, list[int]] = {}
        self.by_skeleton: dict[str, list[int]] = {}
        with _gc_paused():
            for concept in glossary:
                for term in concept.terms:
                    self._add(concept, term)
        self._fuzzy: tuple[list[str], list[list[int]], dict[str, list[int]]] | None = None
        self._tries: dict[str, dict[str, Any]] = {}
        self._first_cache: dict[str, dict[str, list[tuple[dict[str, Any], int, str]]]] = {}
        self._inner_cache: dict[str, tuple[str, ...]] = {}

    def _add(self, concept: Concept, term: Term) -> None:
        i = len(self.entries)
        self.entries.append((concept, term))
        k = arabic.key_text(term.text)
        self.keys.append(k)
        self.by_text.setdefault(term.text.strip(), []).append(i)
        self.by_key.setdefault(k, []).append(i)
        if " " in k:
            self.by_compact.setdefault(k.replace(" ", ""), []).append(i)
        skel = arabic.name_skeleton(k)
        if len(skel) >= 3:
            self.by_skeleton.setdefault(skel, []).append(i)

    # -- lookup -------------------------------------------------------------------------------
    def lookup(self, query: str, *, lang: str, limit: int, fuzzy: bool, min_score: float) -> list[Match]:
        best: dict[str, tuple[float, int, str, int]] = {}  # concept id → (score, -status, kind, entry)

        def offer(ids: Iterable[int], kind: str, score: float | None = None) -> None:
            for i in ids:
                concept, term = self.entries[i]
                if not _same_lang(term.lang, lang):
                    continue
                s = SCORES[kind] if score is None else score
                cand = (s, -STATUS_RANK[term.status], kind, i)
                old = best.get(concept.id)
                if old is None or cand[:2] > old[:2]:
                    best[concept.id] = cand

        k = arabic.key_text(query)
        offer(self.by_text.get(query.strip(), ()), "exact")
        offer(self.by_key.get(k, ()), "normalized")
        offer(self.by_compact.get(k.replace(" ", ""), ()), "normalized")
        keys = self._clitic_keys(k) if arabic.is_arabic(k) else []
        for ck in keys:
            offer(self.by_key.get(ck, ()), "clitic")
            offer(self.by_compact.get(ck.replace(" ", ""), ()), "clitic")
        for vk in [k, *keys]:
            skel = arabic.name_skeleton(vk)
            if len(skel) >= 3:
                offer(self.by_skeleton.get(skel, ()), "variant")
        # Skeleton matches are weak evidence (different names can share consonants): let fuzzy
        # scoring compete with them; stronger tiers end the cascade.
        if fuzzy and all(v[2] == "variant" for v in best.values()):
            for i, score in self._fuzzy_candidates(k, limit=max(limit, 10), cutoff=min_score / FUZZY_MAX * 100):
                offer((i,), "fuzzy", score / 100 * FUZZY_MAX)
        ranked = sorted(best.values(), key=lambda v: (-v[0], -v[1], self.entries[v[3]][0].id))
        out = []
        for score, _, kind, i in ranked[:limit]:
            if score < min_score:
                continue
            concept, term = self.entries[i]
            out.append(Match(concept, score, kind, term))  # type: ignore[arg-type]
        return out

    def _clitic_keys(self, k: str) -> list[str]:
        toks = k.split(" ")
        firsts = arabic.clitic_candidates(toks[0])
        rest = [self._inner(t) for t in toks[1:]]
        out = []
        for combo in product(firsts, *rest):
            ck = " ".join(combo)
            if ck != k:
                out.append(ck)
        return out

    def _fuzzy_candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
        from rapidfuzz import fuzz, process

        keys, key_entries, postings = self._fuzzy_index()
        grams = _trigrams(k)
        lists = sorted((postings.get(g, ()) for g in grams), key=len)
        # q-gram filter: a key within a few edits of the query shares at least one of the query's
        # rarest trigrams (one edit destroys at most three), so count only the rarest few lists.
        counts: Counter[int] = Counter()
        for pl in lists[: _RARE_GRAMS]:
            counts.update(pl)
        if not counts:
            return []
        cands = list(counts) if len(counts) <= _MAX_CANDIDATES else [ki for ki, _ in counts.most_common(_MAX_CANDIDATES)]
        choices = {ki: keys[ki] for ki in cands}
        res = process.extract(k, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        return [(e, score) for _, score, ki in res for e in key_entries[ki]]

    def _fuzzy_index(self) -> tuple[list[str], list[list[int]], dict[str, list[int]]]:
        if self._fuzzy is None:
            with _gc_paused():
                self._fuzzy = self._build_fuzzy()
        return self._fuzzy

    def _build_fuzzy(self) -> tuple[list[str], list[list[int]], dict[str, list[int]]]:
        keys: list[str] = []
        key_entries: list[list[int]] = []
        pos: dict[str, int] = {}
        for i, k in enumerate(self.keys):
            if k not in pos:
                pos[k] = len(keys)
                keys.append(k)
                key_entries.append([])
            key_entries[pos[k]].append(i)
        postings: dict[str, list[int]] = {}
        for ki, k in enumerate(keys):
            for g in _trigrams(k):
                postings.setdefault(g, []).append(ki)
        return keys, key_entries, postings

    # -- scan ---------------------------------------------------------------------------------
    def _trie(self, lang: str) -> dict[str, Any]:
        trie = self._tries.get(lang)
        if trie is not None:
            return trie
        with _gc_paused():
            trie = self._build_trie(lang)
        self._tries[lang] = trie
        return trie

    def _build_trie(self, lang: str) -> dict[str, Any]:
        trie: dict[str, Any] = {}
        for i, (concept, term) in enumerate(self.entries):
            if lang != "*" and not _same_lang(term.lang, lang):
                continue
            toks = self.keys[i].split(" ")
            if not toks or not toks[0]:
                continue
            self._insert(trie, toks, i, "normalized")
            if concept.type in _NAME_TYPES and arabic.is_arabic(self.keys[i]):
                for variant in _spacing_variants(toks):
                    self._insert(trie, variant, i, "variant")
                if len(toks) == 1 and not toks[0].startswith("ال") and len(skel := arabic.name_skeleton(toks[0])) >= _MIN_SKELETON:
                    self._insert(trie, ["\x00" + skel], i, "variant")
        return trie

    def _payload_rank(self, p: tuple[int, str]) -> tuple[int, bool, int, str]:
        concept, term = self.entries[p[0]]
        return (STATUS_RANK[term.status], p[1] != "normalized", _TYPE_PRIORITY.get(concept.type, 99), concept.id)

    @staticmethod
    def _insert(trie: dict[str, Any], toks: list[str], entry: int, kind: str) -> None:
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        payload = node.setdefault(_END, [])
        if all(e != entry for e, _ in payload):
            payload.append((entry, kind))

    def _inner(self, tok: str) -> tuple[str, ...]:
        """A non-initial token of a term: itself, or with its plural/case ending alternated."""
        c = self._inner_cache.get(tok)
        if c is None:
            if arabic.is_arabic(tok):
                # a construct-state noun drops its article: تعزيز قدرات الدول ~ تعزيز القدرات
                bare = () if tok.startswith("ال") or len(tok) < 3 else ("ال" + tok,)
                c = (tok, *arabic._ending_alternates(tok), *bare)
            else:
                c = (tok,)
            if len(self._inner_cache) > _CACHE_LIMIT:
                self._inner_cache.clear()
            self._inner_cache[tok] = c
        return c

    def _first(self, tok: str, lang: str, trie: dict[str, Any]) -> list[tuple[dict[str, Any], int, str]]:
        """Trie nodes a text token can start a term at: (node, clitic prefix length, kind)."""
        cache = self._first_cache.setdefault(lang, {})
        c = cache.get(tok)
        if c is not None:
            return c
        out: list[tuple[dict[str, Any], int, str]] = []
        node = trie.get(tok)
        if node is not None:
            out.append((node, 0, "normalized"))
        if arabic.is_arabic(tok):
            for cand in arabic.clitic_candidates(tok)[1:]:
                node = trie.get(cand)
                if node is not None:
                    # article added to a bare name: المالي is "financial"/"Malian", not Mali
                    bare = not cand.startswith("ال") and tok.endswith("ال" + cand)
                    out.append((node, _prefix_len(tok, cand), "clitic-article" if bare else "clitic"))
            if not out:
                for cand in arabic.clitic_candidates(tok):
                    if cand.startswith("ال"):  # transliterated names rarely take the article
                        continue
                    skel = arabic.name_skeleton(cand)
                    node = trie.get("\x00" + skel) if len(skel) >= _MIN_SKELETON else None
                    if node is not None:
                        out.append((node, _prefix_len(tok, cand), "variant"))
                        break
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[tok] = out
        return out

    def _hit(self, text: str, norm: Any, pos: list[int], toks: list[str], c: tuple[int, int, int, int, str, Any], nested: tuple[Hit, ...] = ()) -> Hit:
        i, j, cs, entry, kind, payload = c
        s, e = norm.span(cs, pos[j - 1] + len(toks[j - 1]))
        concept, term = self.entries[entry]
        surface = text[s:e]
        mkind = "exact" if kind == "normalized" and surface == term.text else kind
        others = tuple(dict.fromkeys(self.entries[p][0].id for p, _ in payload if self.entries[p][0].id != concept.id)) if len(payload) > 1 else ()
        return Hit(s, e, surface, concept, term, mkind, others, nested)  # type: ignore[arg-type]

    def match_tokens(self, toks: list[str], lang: str | None = None) -> list[tuple[int, int, int, int, str, list[tuple[int, str]]]]:
        """Every term occurrence in key-level tokens, before overlaps are resolved.

        Returns ``(first_token, end_token, clitic_prefix_len, entry, kind, payload)`` tuples; a
        caller that keeps its own pre-normalized tokens (e.g. :mod:`ctlex.suggest`) uses this
        instead of :meth:`scan` to avoid normalizing the same text again.
        """
        lang = lang or "*"
        trie = self._trie(lang)
        n = len(toks)
        out: list[tuple[int, int, int, int, str, list[tuple[int, str]]]] = []
        first = self._first
        inner = self._inner
        cache = self._first_cache.setdefault(lang, {})
        for i in range(n):
            tok = toks[i]
            starts = cache.get(tok)
            if starts is None:
                starts = first(tok, lang, trie)
            if not starts:
                continue
            for node, plen, kind in starts:
                # Walk the trie; a token may continue several paths (قدرات / القدرات), so branch.
                ends = []
                stack = [(node, i + 1)]
                while stack:
                    nd, j = stack.pop()
                    if _END in nd:
                        ends.append((j, nd[_END]))
                    if j < n:
                        for c in inner(toks[j]):
                            nxt = nd.get(c)
                            if nxt is not None:
                                stack.append((nxt, j + 1))
                for end_tok, payload in ends:
                    if kind == "clitic-article":  # organizations take it (اليوروبول), places and people don't
                        payload = [p for p in payload if self.entries[p[0]][0].type not in _NO_ARTICLE_TYPES]
                        if not payload:
                            continue
                    entry, pkind = min(payload, key=self._payload_rank)
                    k = "variant" if "variant" in (kind, pkind) else ("clitic" if kind == "clitic-article" else kind)
                    out.append((i, end_tok, plen, entry, k, payload))
        return out

    def scan(self, text: str, lang: str | None) -> list[Hit]:
        with _gc_paused():
            return self._scan(text, lang)

    def _scan(self, text: str, lang: str | None) -> list[Hit]:
        norm = arabic.normalize(text, "key")
        toks = norm.text.split(" ") if norm.text else []
        pos = _positions(toks)
        n = len(toks)
        cands = [(i, j, pos[i] + plen, entry, kind, payload) for i, j, plen, entry, kind, payload in self.match_tokens(toks, lang)]

        # Resolve overlaps: longest (in characters) first, then best status, then leftmost.  A
        # shorter term lying wholly inside a chosen one is kept as a *nested* hit of it (مكافحة
        # الإرهاب inside المنتدى العالمي لمكافحة الإرهاب); one that crosses a boundary is dropped.
        def rank(c: tuple[int, int, int, int, str, Any]) -> tuple[int, int, int]:
            i, j, cs, entry, _, _ = c
            length = pos[j - 1] + len(toks[j - 1]) - cs
            return (-length, STATUS_RANK[self.entries[entry][1].status], cs)

        owner: list[int] = [-1] * n  # token → index of the chosen candidate covering it
        chosen: list[tuple[int, int, int, int, str, Any]] = []
        nested: dict[int, list[tuple[int, int, int, int, str, Any]]] = {}
        for c in sorted(cands, key=rank):
            i, j = c[0], c[1]
            owners = set(owner[i:j])
            if owners == {-1}:
                for t in range(i, j):
                    owner[t] = len(chosen)
                chosen.append(c)
            elif len(owners) == 1 and -1 not in owners:
                o = owners.pop()
                same_concept = self.entries[chosen[o][3]][0].id == self.entries[c[3]][0].id
                seen = nested.setdefault(o, [])
                if not same_concept and all((x[0], x[1], x[3]) != (c[0], c[1], c[3]) for x in seen):
                    seen.append(c)
        hits = []
        for k, c in enumerate(chosen):
            sub = nested.get(k)
            inner_hits = tuple(sorted((self._hit(text, norm, pos, toks, x) for x in sub), key=lambda h: (h.start, h.end))) if sub else ()
            hits.append(self._hit(text, norm, pos, toks, c, inner_hits))
        hits.sort(key=lambda h: (h.start, h.end))
        return hits


def _prefix_len(tok: str, cand: str) -> int:
    """How many characters of ``tok`` precede ``cand`` (0 when the article was restored: لل → ال)."""
    return len(tok) - len(cand) if tok.endswith(cand) else 0


def _spacing_variants(toks: list[str]) -> Iterable[list[str]]:
    """Other ways writers space a name: adjacent parts joined, a particle split off."""
    n = len(toks)
    if 2 <= n <= 4:
        for mask in range(1, 2 ** (n - 1)):
            out = [toks[0]]
            for b in range(n - 1):
                if mask >> b & 1:
                    out[-1] += toks[b + 1]
                else:
                    out.append(toks[b + 1])
            yield out
    elif n == 1:
        t = toks[0]
        for p in _PARTICLES:
            if t.startswith(p) and len(t) - len(p) >= 3 and p != "ال":
                yield [p, t[len(p):]]
