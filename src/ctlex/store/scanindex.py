"""The whole-store scan matcher: the automaton of every stored spelling, kept in the store.

A scan over a store used to choose the concepts whose spellings occur in the text, read them,
and build a matcher (patterns, automaton, spelling index) over just them, for every text: about
twice the in-memory scan.  Here the matcher's built state is compiled into the store once
(:class:`ScanIndexWriter`, chunk by chunk from the matcher's own :meth:`_patterns`), loaded
once per process as compact arrays (:func:`load`), and the matcher answers for the whole store
(:class:`StoreMatcher`): its automaton holds every spelling with its store-wide pattern id, a
pattern's records are decoded the first time the text meets it, and only the concepts of the
candidates a text yields are read (in one batch per text).  The verification code is the
in-memory matcher's own; only where it reads its tables do these lazy ones stand in.

Blobs (table ``blobs``, split in parts): ``pat_keys`` (the spellings, NUL-separated, in pattern
id order), ``pat_latin`` (a byte per pattern), ``pat_off`` (uint32 offsets into the record
arrays), ``pat_entry`` (int32 entries) and ``pat_kind`` (a byte per record: kind code, +16 when
the spelling is the term's own key), ``entry_attr`` (int32 per entry: language index, +256 takes
no article, +512 adjective, status rank << 10, type priority << 14: what the matcher's records and
static rank say of a term, concept type index << 21), ``entry_flags`` (a byte per entry: the matcher's per-candidate filter
bits), ``entry_ord`` (int32: the concept of each entry), ``concept_ids`` (NUL-separated, in file
order), ``twins`` (JSON).  With the concept ids they let the matcher verify, filter and rank candidates without reading a
concept; only the concepts of hits, of filtered candidates and of the spelling stage's names are
read, each text's in one batch.
"""

from __future__ import annotations

import json
import sys
import threading
from array import array
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from ..match.index import Matcher
    from . import GlossaryStore

__all__ = ["ScanIndexWriter", "StoreMatcher", "KINDS"]

#: pattern record kinds by code (:mod:`ctlex.match.index`'s NORMAL, VARIANT, SHORT, LIL)
KINDS = ("normalized", "variant", "short-form", "lil")
_CODE = {k: i for i, k in enumerate(KINDS)}
_LIL = 3
_OWN, _LATIN = 16, 32
_PART = 1 << 26  # bytes per stored blob part (SQLite and PostgreSQL both take far more, but not any size)


def _le(a: array) -> bytes:  # type: ignore[type-arg]
    if sys.byteorder == "big":
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _array(code: str, data: bytes) -> array:  # type: ignore[type-arg]
    a = array(code)
    a.frombytes(data)
    if sys.byteorder == "big":
        a.byteswap()
    return a


class ScanIndexWriter:
    """Collects the scan index while a store is compiled (see the module docstring)."""

    def __init__(self, conn: "sqlite3.Connection") -> None:
        self.conn = conn
        self.attrs = array("i")
        self.flags = bytearray()
        self.ids = bytearray()
        self.eord = array("i")
        self.langs: dict[str, int] = {}
        self.types: dict[str, int] = {}
        self.twins: dict[int, list[int]] = {}

    def add_chunk(self, m: "Matcher", pats: dict[str, int], lists: list[list[tuple[int, str]]], base: int, ord_of_entry: list[int],
                  ids: Iterable[str]) -> None:
        """A chunk's matcher after :meth:`~ctlex.match.index.Matcher._patterns`; its entries
        are numbered from ``base`` in the store, its concepts are ``ord_of_entry``, and
        ``ids`` are the chunk's concept ids in order.  Writes the chunk's pattern records
        (table ``pkeys``)."""
        from ..errors import CtlexError

        for cid in ids:
            if "\x00" in cid:
                raise CtlexError(f"{cid!r}: a concept id with a NUL character cannot be compiled into a store")
            if self.ids:
                self.ids += b"\0"
            self.ids += cid.encode("utf-8")
        from ..match.index import _static_rank

        keys, latin, code = m.keys, m._latin, _CODE
        rows: list[tuple[str, int, int, int, bool]] = []
        append = rows.append
        for key, pid in pats.items():
            lat = _LATIN if latin[pid] else 0
            for e, kind in lists[pid]:
                k = code[kind]
                append((key, ord_of_entry[e], base + e, k | (_OWN if key == keys[e] else 0) | lat, k == _LIL))
        self.conn.executemany("INSERT INTO pkeys VALUES (?,?,?,?,?)", rows)
        langs, types = self.langs, self.types
        twins = m._twins
        m._exclusions = {i: ex for i, (_, t) in enumerate(m.entries) if (t.exclude or i in twins) and (ex := m._entry_exclusions(i)) is not None}
        for i, (concept, term) in enumerate(m.entries):
            lang, no_article, adjective = m._record_attrs(concept, term, keys[i])
            li = langs.setdefault(lang, len(langs))
            ti = types.setdefault(concept.type, len(types))
            status, tp, _ = _static_rank(concept, term)
            if li > 255 or ti > 255:
                raise CtlexError(f"{concept.id}: a glossary store holds at most 256 languages and 256 concept types")
            self.attrs.append(li | (256 if no_article else 0) | (512 if adjective else 0) | min(status, 15) << 10 | min(tp, 127) << 14 | ti << 21)
            self.flags.append(m._entry_flags(i))
        self.eord.extend(ord_of_entry)
        for k, tw in m._twins.items():
            self.twins[base + k] = [base + t for t in tw]

    def finish(self) -> dict[str, str]:
        """Writes the blobs, once ``pkeys`` is indexed; the meta entries they need."""
        from ..errors import CtlexError

        keys = bytearray()  # NUL-separated, built as read: a list of a million keys would double the peak
        n = 0
        off = array("I", [0])
        ent = array("i")
        kind = bytearray()
        lat = bytearray()
        cur = None
        # a spelling's records in the in-memory order: in entry order, the article elided after
        # ل (LIL, added after every other pattern) last; read in the order of pkeys' covering
        # index.  (In memory, a term replacing a twin of better status takes the twin's place
        # in the list; here it is in its own entry's.  Only that concept's own records can
        # trade places, and the hit names the concept either way.)
        for key, e, kc in self.conn.execute("SELECT key, entry, kc FROM pkeys ORDER BY key, lil, entry"):
            if key != cur:
                if cur is not None:
                    off.append(len(ent))
                    keys += b"\0"
                if "\x00" in key:
                    raise CtlexError(f"{key!r}: a term with a NUL character cannot be compiled into a store")
                keys += key.encode("utf-8")
                n += 1
                lat.append(1 if kc & _LATIN else 0)
                cur = key
            ent.append(e)
            kind.append(kc & (_OWN | 15))
        if n:
            off.append(len(ent))
        blobs = {"pat_keys": keys, "pat_latin": bytes(lat), "pat_off": _le(off),
                 "pat_entry": _le(ent), "pat_kind": bytes(kind), "entry_attr": _le(self.attrs), "entry_flags": bytes(self.flags), "entry_ord": _le(self.eord), "concept_ids": self.ids,
                 "twins": json.dumps(self.twins, separators=(",", ":")).encode("utf-8")}
        self.conn.executemany("INSERT INTO blobs VALUES (?,?,?)",
                              ((name, j, data[i : i + _PART]) for name, data in blobs.items() for j, i in enumerate(range(0, max(len(data), 1), _PART))))
        return {"langs": json.dumps(sorted(self.langs, key=self.langs.__getitem__)),
                "types": json.dumps(sorted(self.types, key=self.types.__getitem__)), "patterns": str(n)}


class _Lazy(dict):  # type: ignore[type-arg]
    """A table computed key by key on first use (``make(key)``; ``None``: not in the table),
    read the ways the matcher reads its dicts and lists: ``t[k]``, ``t.get(k, d)``, ``k in t``."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        v = self[key] = self._make(key)
        return v

    def get(self, key: Any, default: Any = None) -> Any:  # type: ignore[override]
        v = self[key]
        return default if v is None else v

    def __contains__(self, key: object) -> bool:
        return self[key] is not None


def _matcher_class() -> type:
    from .. import arabic
    from ..glossary import Glossary
    from ..match import guard
    from ..match.index import Matcher, build_automaton
    from ..match.spellings import Spellings, _Bucket, _need
    from .sqlite import StoreError

    class StoreSpellings(Spellings):
        """The spelling index of the whole store, read at once (one row per name word of a
        term, in glossary order: the buckets the in-memory index builds); it reads of a term
        only its concept's type, which the entry attributes hold."""

        def __init__(self, owner: Any, store: "GlossaryStore", term_words: frozenset[str]) -> None:
            types, eattr = owner._types, owner._eattr
            keys: dict[int, str] = {}
            super().__init__(_Lazy(lambda e: (_Typed(types[(eattr[e] >> 21) & 255]), None)), keys)  # type: ignore[arg-type]
            self._term_words = term_words
            idx: dict[str, _Bucket] = {}
            for sk, w, e, p, n, k in store.skeleton_rows():
                bucket = idx.get(sk)
                if bucket is None:
                    bucket = idx[sk] = _Bucket(_need(sk))
                bucket.add(w, (e, p, n))
                keys[e] = k
            self._skeletons = idx

    class StoreMatcher(Matcher):
        """The store's whole matcher for scanning (see the module docstring)."""

        def __init__(self, store: "GlossaryStore") -> None:
            super().__init__(Glossary())
            self._store = store
            blob = store.blob
            try:
                n = int(store.meta.get("patterns") or 0)
                keys = blob("pat_keys").decode("utf-8").split("\x00") if n else []
                self._off = _array("I", blob("pat_off"))
                self._rent = _array("i", blob("pat_entry"))
                self._rkind = blob("pat_kind")
                self._eattr = _array("i", blob("entry_attr"))
                self._eord = _array("i", blob("entry_ord"))
                self._flags = list(blob("entry_flags"))
                self._latin = [bool(b) for b in blob("pat_latin")]
                self._langs = json.loads(store.meta.get("langs") or "[]")
                self._types = json.loads(store.meta.get("types") or "[]")
                self._twins = {int(k): tuple(v) for k, v in json.loads(blob("twins") or b"{}").items()}
                self._ids = blob("concept_ids").decode("utf-8").split("\x00") if len(store) else []
                terms = int(store.meta["terms"])
                ok = (len(keys) == n == len(self._latin) and len(self._off) == (n + 1 if n else 1) and self._off[-1] == len(self._rent)
                      == len(self._rkind) and len(self._eattr) == len(self._eord) == len(self._flags) == terms
                      and (not self._rent or 0 <= min(self._rent) <= max(self._rent) < terms)
                      and len(self._ids) == len(store) and (not self._eord or 0 <= min(self._eord) <= max(self._eord) < len(self._ids)))
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as e:
                raise StoreError(f"{store.path}: corrupt glossary store (scan index: {e})") from None
            if not ok:
                raise StoreError(f"{store.path}: corrupt glossary store (scan index: inconsistent sizes)")
            self._plen = [len(k) for k in keys]
            self._automaton, self._native = build_automaton(keys, self._latin)
            del keys
            self.entries = _Lazy(self._fetch_entry)  # type: ignore[assignment]
            self.keys = _Lazy(lambda e: self._fetch_keys([e])[e])  # type: ignore[assignment]
            self._payload = _Lazy(self._records)  # type: ignore[assignment]
            self._bare = {}
            self._exclusions = _Lazy(self._entry_exclusions)  # type: ignore[assignment]
            self._static_rank = _Lazy(self._rank_of)  # type: ignore[assignment]
            self._local = threading.local()  # the hits a scan defers, per thread (ctlex serve)
            self._short_owner = _Lazy(lambda k: store.short_form_owners(k) or None)  # type: ignore[assignment]
            self._ref_concepts = _Lazy(lambda ref: store.reference_entry(*ref))  # type: ignore[assignment]
            self._given = guard.GIVEN_NAMES | store.given_names()
            self.spellings = StoreSpellings(self, store, frozenset(store.all_words()))

        def _records(self, pid: int) -> tuple[tuple[Any, ...], ...]:
            """Pattern ``pid``'s records, as :meth:`Matcher._build` makes them."""
            off, rent, rkind, eattr, langs = self._off, self._rent, self._rkind, self._eattr, self._langs
            out = []
            for j in range(off[pid], off[pid + 1]):
                e, kc = rent[j], rkind[j]
                at = eattr[e]
                out.append((e, KINDS[kc & 15], langs[at & 255], bool(at & 256), bool(at & 512), bool(kc & _OWN)))
            return tuple(out)

        def _rank_of(self, e: int) -> tuple[int, int, str]:
            at = self._eattr[e]
            return ((at >> 10) & 15, (at >> 14) & 127, self._ids[self._eord[e]])

        def _cid(self, c: Any) -> str:
            return c.concept.id if c.entry < 0 else self._ids[self._eord[c.entry]]  # type: ignore[no-any-return]

        def _hit(self, text: str, norm: arabic.Normalized, c: Any, nested: tuple[Any, ...]) -> Any:
            """While a text is scanned: a stand-in with the hit's offsets, made into the hit
            once the concepts of all hits have been read in one batch (:meth:`_scan`)."""
            pend = getattr(self._local, "pend", None)
            if pend is None or c.kind == "pattern":  # a citation's span may still grow by its ")"
                return super()._hit(text, norm, c, tuple(self._real(n) for n in nested))
            pend.append(c)
            d = _Deferred()
            d.start, d.end = norm.span(c.start, c.end)
            d.args = (text, norm, c, nested)
            return d

        def _real(self, h: Any) -> Any:
            if type(h) is not _Deferred:
                return h
            text, norm, c, nested = h.args
            return Matcher._hit(self, text, norm, c, tuple(self._real(n) for n in nested))

        def _scan(self, text: str, lang: str | None, starts: list[int] | None = None) -> list[Any]:
            pend: list[Any] = []
            self._local.pend = pend
            try:
                hits = super()._scan(text, lang, starts)
            finally:
                self._local.pend = None
            self._prefetch({e for c in pend for e in (c.entry, *c.others)})
            return [self._real(h) for h in hits]

        def _fetch_keys(self, entries: Iterable[int]) -> dict[int, str]:
            want = [e for e in set(entries) if not dict.__contains__(self.keys, e)]
            for e, k in zip(want, self._store.entry_keys(want)):
                dict.__setitem__(self.keys, e, k)
            return self.keys  # type: ignore[return-value]

        def _fetch_entry(self, e: int) -> Any:
            self._prefetch([e])
            return dict.__getitem__(self.entries, e)

        def _prefetch(self, entries: Iterable[int]) -> None:
            """Read the concepts of ``entries`` in one batch."""
            have, eord = self.entries, self._eord
            ords = {eord[e] for e in entries if e >= 0 and not dict.__contains__(have, e)}
            for _, c, first in self._store.concepts(ords) if ords else ():
                for j, t in enumerate(c.terms):
                    dict.__setitem__(have, first + j, (c, t))

        def _all_candidates(self, text: str, lang: str | None) -> tuple[arabic.Normalized, list[Any]]:
            norm, cands = super()._all_candidates(text, lang)
            # what the candidate filters read of a concept: exclusions, a person's id, short forms
            flags = self._flags
            self._prefetch(c.entry for c in cands if c.entry >= 0 and (flags[c.entry] & _NEEDS or c.kind == "short-form"))
            return norm, cands

    from ..match.index import _EXCL, _PERSON

    _NEEDS = _EXCL | _PERSON
    return StoreMatcher


class _Typed:
    """What the spelling stage reads of a concept: its type."""

    __slots__ = ("type",)

    def __init__(self, type: str) -> None:
        self.type = type


class _Deferred:
    __slots__ = ("start", "end", "args")
    start: int
    end: int
    args: tuple[Any, ...]


_SM: type | None = None


def StoreMatcher(store: "GlossaryStore") -> "Matcher":
    """The whole-store scan matcher of ``store`` (built once per store and process: a second or
    two at 100k concepts, mostly the automaton)."""
    global _SM
    if _SM is None:
        _SM = _matcher_class()
    return _SM(store)  # type: ignore[no-any-return]
