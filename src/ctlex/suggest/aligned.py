"""The aligned set: Arabic–English segments indexed once on both sides."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .. import arabic
from ..errors import CtlexError
from .tokens import _chunk_keys, _gram, english_tokens

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary
    from ..segment import Segment


_ID = re.compile(r"^[\w.:/#-]{1,40}$")


ALIGN_MAX = 20_000  # segments aligned in one eflomal run


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
            k = arabic.key_text(src)
            self._ar_keys.append(k)
            for t in set(k.split(" ")):
                if t:
                    self._ar_post.setdefault(t, []).append(i)
            parts = []
            words: set[str] = set()
            for c in english_tokens(tgt):
                keys, joins = _chunk_keys(tgt, c)
                parts.append(_gram(keys, joins, 0, len(keys) - 1))
                words.update(keys)
            self._en_strs.append(" " + " | ".join(parts) + " ")
            for t in words:
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

    def links(self, ids: Iterable[int]) -> dict[int, frozenset[tuple[int, int]]]:
        """Symmetrized word links ``(arabic_token, english_flat_token)`` of the segments ``ids``.

        The whole set is aligned once when it has at most ``ALIGN_MAX`` segments; a larger set
        aligns the segments asked for together with an evenly spaced sample of the rest.  When
        eflomal cannot run, every segment has no links and :attr:`align_reason` says why.
        """
        from .alignment import align

        want = [i for i in dict.fromkeys(ids) if i not in self._links]
        if want and not self._aligned_all:
            n = len(self)
            if n <= ALIGN_MAX:
                batch = list(range(n))
                self._aligned_all = True
            else:
                head = want[:ALIGN_MAX]
                extra = max(ALIGN_MAX // 4, ALIGN_MAX - len(head))  # context the aligner learns from
                step = max(1, n // extra)
                batch = list(dict.fromkeys(head + list(range(0, n, step))[:extra]))
            cache: dict[str, str] = {}

            def at(t: str) -> str:
                r = cache.get(t)
                if r is None:
                    r = cache[t] = self._align_token(t)
                return r

            src = [[at(t) for t in self._ar_keys[i].split(" ") if t] for i in batch]
            tgt = [[k for _c, keys, _j in self.en_chunks(i) for k in keys] for i in batch]
            res = align(src, tgt)
            self.align_method, self.align_reason = res.method, res.reason
            for i, ls, w in zip(batch, res.links, res.weights):
                self._links[i] = ls
                self._weights[i] = w
        return {i: self._links.get(i, frozenset()) for i in ids}

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
            posts = [self._en_post.get(t, ()) for t in toks]
            rare = min(posts, key=len)
            if len(toks) == 1:
                s = frozenset(rare)
            else:
                pat = f" {key} "
                strs = self._en_strs
                s = frozenset(i for i in rare if pat in strs[i])
            if len(self._en_sets) > 500_000:
                self._en_sets.clear()
            self._en_sets[key] = s
        return s

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


def _token_cover(g: "Glossary") -> Any:
    """``tokens -> set of positions`` covered by Arabic terms of ``g``."""
    idx = g.index

    def cover(toks: list[str]) -> set[int]:
        out: set[int] = set()
        for i, j, *_ in idx.match_tokens(toks, "ar"):
            out.update(range(i, j))
        return out

    return cover
