"""The aligned set: Arabic–English segments indexed once on both sides."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .. import arabic
from ..errors import CtlexError
from .tokens import _chunk_keys, english_tokens

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary
    from ..segment import Segment


_ID = re.compile(r"^[\w.:/#-]{1,40}$")


# Word alignment budget.  eflomal's cost grows with the segments aligned (times its iterations), so
# a large set is not aligned whole: an evenly spaced sample is aligned once and shared by every
# query, and a query whose term is rare in that sample aligns its own segments with some context.
ALIGN_WHOLE = 2_000  # a set this small is aligned whole, once
SMALL_RUNS = 8  # eflomal runs voting on a small set's links: cheap there, and link weights near a
#                 threshold (Global ~ العالمي at 3/8) flip less often from one call to the next
ALIGN_SHARED = 2_000  # a larger set: this many evenly spaced segments are aligned once, for every query
ALIGN_CONTEXT = 400  # segments of the shared sample aligned along with a query's own segments
MIN_ALIGNED = 15  # a term with this many segments in the shared sample reads those
SAMPLE_ITERATIONS = 12  # eflomal iterations for a large set's batches (what it gives a 16k-segment set)


def even_sample(xs: Sequence[int], k: int) -> list[int]:
    """``k`` evenly spaced items of ``xs`` (all of them when there are at most ``k``).

    Example:
        >>> even_sample(list(range(10)), 4)
        [0, 2, 5, 7]
    """
    n = len(xs)
    return list(xs) if n <= k else [xs[(j * n) // k] for j in range(k)]


def _id_column(seg: "Segment") -> bool:
    """Is this a row of an ``id<TAB>arabic<TAB>english`` file read as source, target, note?"""
    return bool(seg.note and _ID.match(seg.source) and not arabic.is_arabic(seg.source) and arabic.is_arabic(seg.target)
                and not arabic.is_arabic(seg.note))


def _spans_of(idx: Any, toks: list[str], cid: str) -> list[tuple[int, int]]:
    """Token spans of concept ``cid``'s hits (the index also reports resolution patterns: not these)."""
    from bisect import bisect_right

    from ..glossary import _positions

    pos = _positions(toks)
    out = []
    for h in idx.scan(" ".join(toks), "ar"):
        if h.concept.id == cid:
            out.append((bisect_right(pos, h.start) - 1, bisect_right(pos, max(h.end - 1, h.start))))
    return out


class AlignedSet:
    """Arabic–English segments indexed for :func:`suggest` and :func:`suggest_new`.

    Built once (one pass over the segments); English n-gram frequencies are computed on demand
    from token postings and cached.  Segments whose source is English and target Arabic are
    turned round; segments without Arabic source text are skipped.

    Example:
        >>> from ctlex.segment import Segment
        >>> s = AlignedSet([Segment("أعلن يوروبول", "Europol announced"), Segment("قال الوزير", "The minister said")])
        >>> len(s), s.segments_with("اليوروبول")
        (2, [0])
    """

    def __init__(self, segments: Iterable["Segment"]) -> None:
        self.ids: list[str] = []
        self.skipped = 0  # segments without an Arabic source and a target
        self.align_method = "none"  # "eflomal" once links were computed with it
        self.align_reason: str | None = None  # why there are no word links, when there are none
        self._links: dict[int, frozenset[tuple[int, int]]] = {}
        self._weights: dict[int, dict[tuple[int, int], float]] = {}
        self._aligned_all = False
        self._clitics: dict[str, list[str]] = {}
        self._shared: list[int] | None = None  # the shared alignment sample of a large set, once aligned
        self._batches = 0  # a large set's query batches aligned with context
        self._term_spans: dict[tuple[str, str, int], list[tuple[int, int]]] = {}
        self.sources: list[str] = []
        self.targets: list[str] = []
        self._ar_keys: list[str] = []
        self._en_strs: list[str] = []  # " tok tok | tok " (key tokens, chunks separated by |)
        self._ar_post: dict[str, list[int]] = {}
        self._en_post: dict[str, list[int]] = {}
        self._en_df: dict[str, int] = {}
        self._en_sets: dict[str, frozenset[int]] = {}
        self._cand_tokens: dict[str, list[str]] | None = None
        self._skel_tokens: dict[str, list[str]] | None = None
        self._chunks: dict[int, list[tuple[list[tuple[int, int, str]], list[str], list[str]]]] = {}
        ar_seen: dict[str, tuple[str, set[str]]] = {}
        en_seen: dict[str, tuple[str, set[str]]] = {}
        for n, seg in enumerate(segments):
            src, tgt = seg.source, seg.target
            sid = seg.id or seg.origin or str(n + 1)
            if _id_column(seg):  # a three-column file: id, Arabic, English
                sid, src, tgt = seg.source, seg.target, seg.note or ""
            if (seg.source_lang or "").lower().startswith("en") and (seg.target_lang or "").lower().startswith("ar"):
                src, tgt = tgt, src
            if not src or not tgt or not arabic.is_arabic(src):
                self.skipped += 1
                continue
            i = len(self.ids)
            self.ids.append(sid)
            self.sources.append(src)
            self.targets.append(tgt)
            # a translation memory repeats segments: each distinct text is analysed once
            ar = ar_seen.get(src)
            if ar is None:
                k = arabic.key_text(src)
                ar = ar_seen[src] = (k, {t for t in k.split(" ") if t})
            self._ar_keys.append(ar[0])
            for t in ar[1]:
                self._ar_post.setdefault(t, []).append(i)
            en = en_seen.get(tgt)
            if en is None:
                parts = []
                words: set[str] = set()
                for c in english_tokens(tgt):
                    keys = _chunk_keys(tgt, c)[0]
                    parts.append(" ".join(keys))  # = _gram over the whole chunk: its joiners are spaces
                    words.update(keys)
                en = en_seen[tgt] = (" " + " | ".join(parts) + " ", words)
            self._en_strs.append(en[0])
            for t in en[1]:
                self._en_post.setdefault(t, []).append(i)

    @classmethod
    def from_paths(cls, paths: Sequence[str | os.PathLike[str]], format: str | None = None) -> "AlignedSet":
        """Read every file in ``paths`` with :func:`ctlex.formats.read_segments` and index them."""
        from itertools import chain

        from ..formats import read_segments

        return cls(chain.from_iterable(read_segments(p, format) for p in paths))

    def __len__(self) -> int:
        return len(self.ids)

    # -- Arabic side ---------------------------------------------------------------------------
    def _candidate_index(self) -> dict[str, list[str]]:
        """clitic reading → corpus tokens that may stand for it (built on first use)."""
        if self._cand_tokens is None:
            idx: dict[str, list[str]] = {}
            for tok in self._ar_post:
                for c in arabic.clitic_candidates(tok):
                    idx.setdefault(c, []).append(tok)
            self._cand_tokens = idx
        return self._cand_tokens

    def _skeleton_index(self) -> dict[str, list[str]]:
        if self._skel_tokens is None:
            idx: dict[str, list[str]] = {}
            for tok in self._ar_post:
                if arabic.is_arabic(tok):
                    for c in arabic.clitic_candidates(tok):
                        sk = arabic.name_skeleton(c)
                        if len(sk) >= 4:
                            idx.setdefault(sk, []).append(tok)
            self._skel_tokens = idx
        return self._skel_tokens

    def clitics(self, tok: str) -> list[str]:
        """:func:`ctlex.arabic.clitic_candidates` of ``tok``, cached (corpus tokens recur)."""
        c = self._clitics.get(tok)
        if c is None:
            c = self._clitics[tok] = arabic.clitic_candidates(tok)
        return c

    def _token_segments(self, qtok: str, names: bool) -> set[int]:
        cidx = self._candidate_index()
        toks: set[str] = set()
        for c in arabic.clitic_candidates(qtok):
            toks.update(cidx.get(c, ()))
        if names:
            sidx = self._skeleton_index()
            for c in arabic.clitic_candidates(qtok):
                toks.update(sidx.get(arabic.name_skeleton(c), ()))
        out: set[int] = set()
        for t in toks:
            out.update(self._ar_post.get(t, ()))
        return out

    def segments_with(self, term: str, concept_type: str = "term") -> list[int]:
        """Indexes of segments whose source contains ``term`` (any spelling, clitics, endings).

        ``concept_type`` selects the glossary's matching rules: name types (person, organization…)
        also match spacing and transliteration variants of one-word names.
        """
        from ..glossary import Concept, Glossary, Term

        k = arabic.key_text(term)
        if not k or not arabic.is_arabic(k):
            raise CtlexError(f"not an Arabic term: {term!r}")
        terms = [Term(term, "ar", "preferred")]
        if k.startswith("ال") and len(k.split(" ")[0]) > 4:  # the article is optional in running text
            terms.append(Term(k[2:], "ar", "admitted"))
        g = Glossary([Concept("q", concept_type, terms=terms)])
        names = concept_type not in ("term", "role", "instrument", "document")
        qtoks = k.split(" ")
        cands: set[int] | None = None
        if len(qtoks) == 1 or not names:
            for q in sorted(qtoks, key=lambda q: -len(q))[:2]:
                s = self._token_segments(q, names and len(qtoks) == 1)
                cands = s if cands is None else cands & s
        else:  # joined or split spellings of a multi-part name: any part may carry it
            cands = set()
            for q in qtoks:
                cands |= self._token_segments(q, False)
            cands |= self._token_segments("".join(qtoks), True)
        assert cands is not None
        idx = g.index
        keys = self._ar_keys
        out = []
        for i in sorted(cands):
            spans = _spans_of(idx, keys[i].split(" "), "q")
            if spans:
                out.append(i)
                self._term_spans[(term, concept_type, i)] = spans
        return out

    def term_spans(self, term: str, concept_type: str, i: int) -> list[tuple[int, int]]:
        """Arabic token spans ``(first, end)`` of ``term`` in segment ``i`` (after :meth:`segments_with`)."""
        return self._term_spans.get((term, concept_type, i), [])

    # -- word alignment ------------------------------------------------------------------------
    def _align_token(self, tok: str) -> str:
        """The reading of an Arabic key token the set attests most often (proclitics, article off)."""
        best, best_n = tok, len(self._ar_post.get(tok, ()))
        for c in arabic.clitic_candidates(tok)[1:]:
            k = len(self._ar_post.get(c, ()))
            if k > best_n:
                best, best_n = c, k
        return best[2:] if best.startswith("ال") and len(best) > 4 else best

    def en_flat(self, i: int) -> list[tuple[int, int]]:
        """English token positions of segment ``i`` as ``(chunk, token)``, in alignment order."""
        return [(c, t) for c, (ch, _k, _j) in enumerate(self.en_chunks(i)) for t in range(len(ch))]

    def align_choice(self, ids: Sequence[int], read: Sequence[int], k: int) -> list[int]:
        """At most ``k`` of a term's segments ``ids`` whose word links are read.

        A set of at most :data:`ALIGN_WHOLE` segments is aligned whole: ``k`` evenly spaced
        segments of ``read`` (those whose candidates are enumerated).  In a larger set the term's
        segments that are already aligned (the shared sample, earlier queries) are taken when
        there are :data:`MIN_ALIGNED` of them, so most queries align nothing new; otherwise
        ``k`` evenly spaced segments of ``ids``, which :meth:`links` then aligns.
        """
        if len(self) <= ALIGN_WHOLE:
            return even_sample(read, k)
        have = [i for i in ids if i in self._links]
        if len(have) >= min(k, MIN_ALIGNED, len(ids)):
            return even_sample(have, k)
        return even_sample(ids, k)

    def align_shared(self) -> None:
        """Align a large set's shared sample now (before many queries: :func:`suggest_new`)."""
        if self._shared is None and len(self) > ALIGN_WHOLE:
            self._align(self._shared_ids())
            self._shared = self._shared_ids()

    def _shared_ids(self) -> list[int]:
        n = len(self)
        return [(j * n) // ALIGN_SHARED for j in range(ALIGN_SHARED)] if n > ALIGN_SHARED else list(range(n))

    def links(self, ids: Iterable[int]) -> dict[int, frozenset[tuple[int, int]]]:
        """Symmetrized word links ``(arabic_token, english_flat_token)`` of the segments ``ids``.

        A set of at most :data:`ALIGN_WHOLE` segments is aligned whole, once.  A larger set
        aligns the segments asked for together with :data:`ALIGN_CONTEXT` evenly spaced segments
        (context the aligner learns from).  The first such query aligns only those, so one
        ``suggest`` on a large set stays quick; from the second on, or for a request larger
        than the context, a shared evenly spaced sample of :data:`ALIGN_SHARED` segments is
        aligned once and the context comes from it.  When eflomal cannot run, every segment has
        no links and :attr:`align_reason` says why.
        """
        ids = list(ids)
        want = [i for i in dict.fromkeys(ids) if i not in self._links]
        if want and not self._aligned_all:
            if len(self) <= ALIGN_WHOLE:
                self._aligned_all = True
                self._align(range(len(self)))
                return {i: self._links.get(i, frozenset()) for i in ids}
            if self._shared is None and (self._batches or len(want) > ALIGN_CONTEXT):
                self.align_shared()
                want = [i for i in want if i not in self._links]
            if want:
                self._batches += 1
                self._align(list(dict.fromkeys(want + even_sample(self._shared or self._shared_ids(), ALIGN_CONTEXT))))
        return {i: self._links.get(i, frozenset()) for i in ids}

    def _align(self, batch: Sequence[int]) -> None:
        """Align the segments ``batch`` in one eflomal run and keep their links."""
        from .alignment import align

        cache: dict[str, str] = {}

        def at(t: str) -> str:
            r = cache.get(t)
            if r is None:
                r = cache[t] = self._align_token(t)
            return r

        src = [[at(t) for t in self._ar_keys[i].split(" ") if t] for i in batch]
        # the index's key string holds the target's key tokens in order, chunks split by "|"
        tgt = [self._en_keys(i) for i in batch]
        small = len(self) <= ALIGN_WHOLE
        res = align(src, tgt, runs=SMALL_RUNS if small else 4, max_iterations=None if small else SAMPLE_ITERATIONS)
        self.align_method, self.align_reason = res.method, res.reason
        for i, ls, w in zip(batch, res.links, res.weights):
            self._links[i] = ls
            self._weights[i] = w

    @property
    def aligned_segments(self) -> int:
        """How many segments have been word-aligned so far."""
        return len(self._links)

    def link_weights(self, i: int) -> dict[tuple[int, int], float]:
        """Every link of segment ``i`` with the share of aligner runs and directions that made it."""
        return self._weights.get(i, {})

    def ar_token_segments(self, qtok: str) -> frozenset[int]:
        """Segments whose source has a token that may stand for the key-level ``qtok`` (no check)."""
        key = "\x01" + qtok
        s = self._en_sets.get(key)
        if s is None:
            s = self._en_sets[key] = frozenset(self._token_segments(qtok, False))
        return s

    def lex(self, qtok: str, en_tok: str) -> float:
        """Dice association of an Arabic key token and an English key token over all segments."""
        a = self.ar_token_segments(qtok)
        b = self.en_segments(en_tok)
        return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0

    # -- English side --------------------------------------------------------------------------
    def en_segments(self, key: str) -> frozenset[int]:
        """Segments whose target contains the English n-gram ``key`` (space-joined key tokens)."""
        s = self._en_sets.get(key)
        if s is None:
            toks = key.split(" ")
            if len(toks) == 1:
                s = frozenset(self._en_post.get(key, ()))
            else:
                # the two rarest words' segments intersected first, then the phrase checked in each
                words = sorted({*toks}, key=lambda t: len(self._en_post.get(t, ())))
                cand = self.en_segments(words[0])
                if len(words) > 1:
                    cand = cand & self.en_segments(words[1])
                pat = f" {key} "
                strs = self._en_strs
                s = frozenset(i for i in cand if pat in strs[i])
            if len(self._en_sets) > 500_000:
                self._en_sets.clear()
            self._en_sets[key] = s
        return s

    def _en_keys(self, i: int) -> list[str]:
        """Target key tokens of segment ``i`` in order (from the index; re-tokenized when a key is empty)."""
        s = self._en_strs[i]
        if not s.strip():
            return []
        if "  " in s[1:-1]:  # an empty key token: the string cannot tell it apart
            return [k for _c, keys, _j in self.en_chunks(i) for k in keys]
        return [k for k in s[1:-1].split(" ") if k != "|"]

    def en_chunks(self, i: int) -> list[tuple[list[tuple[int, int, str]], list[str], list[str]]]:
        """Target chunks of segment ``i`` with their key tokens and joiners (cached)."""
        c = self._chunks.get(i)
        if c is None:
            tgt = self.targets[i]
            c = [(ch, *_chunk_keys(tgt, ch)) for ch in english_tokens(tgt)]
            if len(self._chunks) > 200_000:
                self._chunks.clear()
            self._chunks[i] = c
        return c

    def en_df(self, key: str) -> int:
        """How many segments' targets contain the n-gram ``key``."""
        d = self._en_df.get(key)
        if d is None:
            d = self._en_df[key] = len(self.en_segments(key))
        return d


def _token_covers(g: "Glossary", texts: list[str]) -> list[set[int]]:
    """Per key-level text, the positions of its space-separated tokens covered by Arabic terms of ``g``.

    One batched scan (:meth:`~ctlex.match.index.Matcher.scan_many`) of the distinct texts; equal
    texts share one set (read it, do not change it).
    """
    from bisect import bisect_right

    from ..glossary import _positions

    distinct = list(dict.fromkeys(texts))  # repeated segments are scanned once (their covers are shared)
    got: dict[str, set[int]] = {}
    for text, hits in zip(distinct, g.index.scan_many(distinct, "ar")):
        cov: set[int] = set()
        if hits:
            pos = _positions(text.split(" "))
            for h in hits:
                cov.update(range(bisect_right(pos, h.start) - 1, bisect_right(pos, max(h.end - 1, h.start))))
        got[text] = cov
    return [got[t] for t in texts]
