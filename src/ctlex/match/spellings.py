"""Media spellings of names: the words the automaton left uncovered, matched through skeletons.

Transliterations of one foreign name vary (غوتيريش, غوتيريس, جوتيريش; باشيليت, باشليه); their
:func:`~ctlex.match.variants.media_skeleton` is the same.  Each distinct word of a text is looked
up once (cached across calls); a word that is frequent as written, spelt as in a term, or not
close enough to the name's own spelling is never a variant.  A variant word either completes a
whole name with its neighbours (ميشيل باشليه) or stands alone as a person's surname.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .. import arabic
from . import guard, variants
from .variants import PROCLITICS

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Term

__all__ = ["Spellings", "Spans", "occurrences"]

MIN_SKELETON = 3
MIN_LETTERS = 5  # a word matched only through its skeleton has at least this many letters
CACHE_LIMIT = 200_000
#: concept types whose terms are names (spacing and spelling variants apply to them)
NAME_TYPES = frozenset({"person", "organization", "group", "media", "place", "programme", "event"})
#: a bare name of these types never takes the article (المالي is "financial", not Mali)
NO_ARTICLE_TYPES = frozenset({"place", "person"})


class Spellings:
    """Skeleton lookups over ``entries`` (``(concept, term)``) and their key texts ``keys``."""

    def __init__(self, entries: list[tuple["Concept", "Term"]], keys: list[str]) -> None:
        self.entries, self.keys = entries, keys
        self._skeletons: dict[str, _Bucket] | None = None
        self._word_cache: dict[str, tuple[tuple[int, int, int], ...]] = {}
        self._frequent_words: dict[str, bool] = {}  # key-level word → frequent as first written
        self._contexts: dict[str, Any] = {}  # variant word → (its found, its _context_index)
        self._term_words: frozenset[str] | None = None

    def _skeleton_index(self) -> dict[str, "_Bucket"]:
        """media skeleton of one name word → the distinct term words with it, each with its
        entries ``(entry, word position, words in the term)``."""
        if self._skeletons is None:
            idx: dict[str, _Bucket] = {}
            for i, (concept, term) in enumerate(self.entries):
                if concept.type not in NAME_TYPES or term.pos == "adjective":
                    continue
                k = self.keys[i]
                if not arabic.is_arabic(k):
                    continue
                toks = k.split(" ")
                for p, tok in enumerate(toks):
                    if tok.startswith("ال") or len(tok) < MIN_LETTERS - 1:
                        continue
                    sk = variants.media_skeleton(tok)
                    if len(sk) >= MIN_SKELETON:
                        bucket = idx.get(sk)
                        if bucket is None:
                            bucket = idx[sk] = _Bucket(_need(sk))
                        bucket.add(tok, (i, p, len(toks)))
            self._skeletons = idx
        return self._skeletons

    def _word_variants(self, tok: str) -> tuple[tuple[int, int, int], ...]:
        """Name words ``tok`` may be a media spelling of (cached per distinct word).

        The frequency guard is applied by the caller, on the word as written."""
        c = self._word_cache.get(tok)
        if c is not None:
            return c
        res: tuple[tuple[int, int, int], ...] = ()
        if self._term_words is None:
            self._term_words = frozenset(w for k in self.keys for w in k.split(" "))
        # a word spelt as in a term needs no variant: the automaton matched it (or its neighbour,
        # the misspelt one, brings the whole name in)
        if tok not in self._term_words and len(tok) >= MIN_LETTERS - 1 and arabic.is_arabic(tok):
            idx = self._skeleton_index()
            for cand in arabic.clitic_candidates(tok):
                if cand.startswith("ال"):
                    continue
                bucket = idx.get(variants.media_skeleton(cand))
                found = bucket.close_to(cand) if bucket is not None else []
                if found and cand != tok and PROCLITICS.get(tok[: len(tok) - len(cand)], False):
                    # an article on a bare name: organizations take it (الأوروبول), people and places don't
                    found = [f for f in found if self.entries[f[0]][0].type not in NO_ARTICLE_TYPES]
                if found:
                    res = tuple(found)
                    break
        if len(self._word_cache) > CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[tok] = res
        return res

    def candidates(self, norm: arabic.Normalized, covered: list[tuple[int, int]], lang: str | None) -> list[tuple[int, int, int, str]]:
        """Candidates for name words the automaton left uncovered, through their skeletons.

        Work is per *distinct* word (cached across calls); occurrences of the few words that
        may be name variants are then found by a small automaton, in C.
        """
        key_text = norm.text
        if lang not in (None, "ar") or not arabic.is_arabic(key_text):
            return []
        words = set(key_text.split(" "))
        frequent = self._frequent_words
        cache, compute = self._word_cache, self._word_variants
        hits = {w: v for w in words if (v := cache.get(w) if w in cache else compute(w)) and not frequent.get(w, False)}
        if not hits:
            return []
        cov = Spans(covered)
        out: list[tuple[int, int, int, str]] = []
        if len(frequent) > CACHE_LIMIT:
            frequent.clear()
        for ws, we, tok in occurrences(key_text, hits):
            if cov.overlaps(ws, we):
                continue
            f = frequent.get(tok)
            if f is None:
                s0, e0 = norm.span(ws, we)  # the word as written: wordfreq keeps hamza and ة
                f = frequent[tok] = guard.is_frequent(arabic.clean(norm.original[s0:e0]).text)
            if f:
                continue  # an ordinary word that happens to share a name's consonants
            found = hits[tok]
            cand = self._variant_in_context(key_text, ws, we, tok, found)
            if cand is not None:
                out.append(cand)
        return out

    def _variant_in_context(self, key_text: str, ws: int, we: int, tok: str, found: tuple[tuple[int, int, int], ...]) -> tuple[int, int, int, str] | None:
        """The whole name around a variant word (ميشيل باشليه), or the word alone as a surname.

        The first entry of ``found`` (glossary order) that fits wins: a one-word name, or a name
        whose other words are, skeleton for skeleton, the words around ``tok``; else a person's
        surname alone.  A word may sit in thousands of names (a place in many bodies' names), so
        what depends on the word alone is indexed once per word (:meth:`_context_index`) and an
        occurrence only reads its neighbours once per position in a name."""
        single, groups, short = self._context_index(tok, found)
        best = single if single is not None else len(found)
        span = None
        skel = variants.media_skeleton
        for (p, na), first in groups.items():
            before = key_text[max(0, ws - 40 * p) : ws].split()[-p:] if p else []
            after = key_text[we : we + 40 * na].split()[:na] if na else []
            if len(before) != p or len(after) != na:
                continue
            i = first.get((tuple(map(skel, before)), tuple(map(skel, after))))
            if i is not None and i < best:
                best = i
                span = (ws - sum(len(w) + 1 for w in before), we + sum(len(w) + 1 for w in after))
        if best < len(found):
            entry = found[best][0]
            return (*span, entry, "variant") if span is not None and best != single else (ws, we, entry, "variant")
        if short is not None:  # the word alone: a surname of a person (short form), checked like one
            return (ws, we, short, "short-form")
        return None

    def _context_index(self, tok: str, found: tuple[tuple[int, int, int], ...]) -> tuple[int | None, dict[tuple[int, int], dict[Any, int]], int | None]:
        """For one variant word: the position in ``found`` of the first one-word name it may be,
        per (words before, words after) in a name the skeletons of those words → the first
        position with them, and the first person whose surname it may be alone."""
        c = self._contexts.get(tok)
        if c is not None and c[0] is found:
            return c[1]
        single: int | None = None
        short: int | None = None
        groups: dict[tuple[int, int], dict[Any, int]] = {}
        skel = variants.media_skeleton
        for i, (entry, p, n) in enumerate(found):
            if n == 1:
                if single is None and self._single_word_variant_ok(tok, entry):
                    single = i
                continue
            sk = tuple(map(skel, self.keys[entry].split(" ")))
            groups.setdefault((p, n - p - 1), {}).setdefault((sk[:p], sk[p + 1 :]), i)
        for entry, p, n in found:
            if self.entries[entry][0].type == "person" and p == n - 1 and n > 1 and self._single_word_variant_ok(tok, entry, p):
                short = entry
                break
        if len(self._contexts) > CACHE_LIMIT:
            self._contexts.clear()
        self._contexts[tok] = (found, (single, groups, short))
        return single, groups, short

    def _single_word_variant_ok(self, tok: str, entry: int, p: int = 0) -> bool:
        """One word alone, matched through its skeleton: a name of a person or body (not a place,
        whose Arabic spelling is fixed), and long words on both sides (كرسيه is not روسية)."""
        concept = self.entries[entry][0]
        word = self.keys[entry].split(" ")[p]
        return concept.type != "place" and len(tok) >= MIN_LETTERS and len(word) >= MIN_LETTERS



def occurrences(key_text: str, words: dict[str, Any]) -> Iterator[tuple[int, int, str]]:
    """``(start, end, word)`` of every occurrence of ``words`` as whole words of ``key_text``:
    a walk over the words for a short text, a small automaton (in C) for a long one."""
    if len(key_text) < 4000:
        p = 0
        for tok in key_text.split(" "):
            if tok in words:
                yield p, p + len(tok), tok
            p += len(tok) + 1
        return
    import ahocorasick

    a = ahocorasick.Automaton()
    for w in words:
        a.add_word(f" {w} ", w)
    a.make_automaton()
    for end, tok in a.iter(f" {key_text} "):
        we = end - 1  # the padded text's " w " ends at index end; in key_text the word ends before
        yield we - len(tok), we, tok


class Spans:
    """Covered spans, for "does [s, e) overlap any of them?" in logarithmic time."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        longest = max((b - a for a, b in self.spans), default=0)
        self.reach = longest

    def overlaps(self, s: int, e: int) -> bool:
        from bisect import bisect_left, bisect_right

        lo = bisect_left(self.starts, s - self.reach)
        hi = bisect_right(self.starts, e)
        return any(a < e and s < b for a, b in self.spans[lo:hi])


def _need(skeleton: str) -> int:
    """The similarity two spellings with this skeleton need: short skeletons need a closer one."""
    return 70 if len(skeleton) >= 4 else 85


class _Bucket:
    """The distinct term words that share one media skeleton, and the entries of each."""

    __slots__ = ("need", "words", "entries", "_at")

    def __init__(self, need: int) -> None:
        self.need = need
        self.words: list[str] = []
        self.entries: list[list[tuple[int, int, int]]] = []
        self._at: dict[str, int] = {}

    def add(self, word: str, entry: tuple[int, int, int]) -> None:
        j = self._at.setdefault(word, len(self.words))
        if j == len(self.words):
            self.words.append(word)
            self.entries.append([])
        self.entries[j].append(entry)

    def __iter__(self) -> Iterator[tuple[int, int, int]]:
        """Every entry of the bucket, in glossary order."""
        return iter(sorted(e for es in self.entries for e in es))

    def close_to(self, word: str) -> list[tuple[int, int, int]]:
        """Entries whose word is a plausible spelling of ``word``: RapidFuzz ratio at least the
        bucket's :func:`_need` (غوتيريس, غوتيريش; not جنود, كندا), in one C call over the bucket."""
        from rapidfuzz import fuzz, process

        hits = process.extract(word, self.words, scorer=fuzz.ratio, score_cutoff=self.need, limit=None)
        return sorted(e for _, _, j in hits for e in self.entries[j])  # in glossary order, as built
