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
no article, +512 adjective), ``entry_ord`` (int32: the concept of each entry), ``twins`` (JSON).
"""

from __future__ import annotations

import json
import sys
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
        conn.execute("CREATE TEMP TABLE prec(key TEXT, entry INTEGER, kc INTEGER)")
        self.attrs = array("i")
        self.eord = array("i")
        self.langs: dict[str, int] = {}
        self.twins: dict[int, list[int]] = {}

    def add_chunk(self, m: "Matcher", pats: dict[str, int], lists: list[list[tuple[int, str]]], base: int, ord_of_entry: list[int]) -> None:
        """A chunk's matcher after :meth:`~ctlex.match.index.Matcher._patterns`; its entries
        are numbered from ``base`` in the store."""
        keys, latin = m.keys, m._latin
        rows = []
        for key, pid in pats.items():
            lat = _LATIN if latin[pid] else 0
            for e, kind in lists[pid]:
                rows.append((key, base + e, _CODE[kind] | (_OWN if key == keys[e] else 0) | lat))
        self.conn.executemany("INSERT INTO temp.prec VALUES (?,?,?)", rows)
        langs = self.langs
        for i, (c, t) in enumerate(m.entries):
            lang, no_article, adjective = m._record_attrs(c, t, keys[i])
            li = langs.setdefault(lang, len(langs))
            self.attrs.append(li | (256 if no_article else 0) | (512 if adjective else 0))
        self.eord.extend(ord_of_entry)
        for k, tw in m._twins.items():
            self.twins[base + k] = [base + t for t in tw]

    def finish(self) -> dict[str, str]:
        """Writes the blobs; the meta entries they need."""
        keys: list[str] = []
        off = array("I", [0])
        ent = array("i")
        kind = bytearray()
        lat = bytearray()
        cur = None
        # a spelling's records in the in-memory order: the chunks' in entry order, the article
        # elided after ل (LIL, added after every other pattern) last
        for key, e, kc in self.conn.execute("SELECT key, entry, kc FROM temp.prec ORDER BY key, (kc & 15) = 3, rowid"):
            if key != cur:
                if cur is not None:
                    off.append(len(ent))
                keys.append(key)
                lat.append(1 if kc & _LATIN else 0)
                cur = key
            ent.append(e)
            kind.append(kc & (_OWN | 15))
        if keys:
            off.append(len(ent))
        self.conn.execute("DROP TABLE temp.prec")
        blobs = {"pat_keys": "\x00".join(keys).encode("utf-8"), "pat_latin": bytes(lat), "pat_off": _le(off),
                 "pat_entry": _le(ent), "pat_kind": bytes(kind), "entry_attr": _le(self.attrs), "entry_ord": _le(self.eord),
                 "twins": json.dumps(self.twins, separators=(",", ":")).encode("utf-8")}
        self.conn.executemany("INSERT INTO blobs VALUES (?,?,?)",
                              ((name, j, data[i : i + _PART]) for name, data in blobs.items() for j, i in enumerate(range(0, max(len(data), 1), _PART))))
        return {"langs": json.dumps(sorted(self.langs, key=self.langs.__getitem__)), "patterns": str(len(keys))}


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
    from ..match.index import Matcher, _static_rank
    from ..match.spellings import MIN_LETTERS, Spellings, _Bucket, _need

    class StoreBucket(_Bucket):
        """A spelling-index bucket read from the store: the entries of the words close to a
        text's word are read in one batch before the matcher looks at them."""

        __slots__ = ("owner",)
        owner: Any

        def close_to(self, word: str) -> list[tuple[int, int, int]]:
            found = super().close_to(word)
            if found:
                self.owner._prefetch([e for e, _, _ in found], keys=True)
            return found

    class StoreSpellings(Spellings):
        def __init__(self, owner: Any, store: "GlossaryStore", term_words: frozenset[str], skeletons: frozenset[str]) -> None:
            super().__init__(owner.entries, owner.keys)
            self._owner, self._store, self._known = owner, store, skeletons
            self._term_words = term_words
            self._skeletons = _Lazy(lambda sk: self._buckets([sk]).get(sk) if sk in skeletons else None)  # type: ignore[assignment]

        def _buckets(self, skels: Iterable[str]) -> dict[str, "_Bucket"]:
            out: dict[str, _Bucket] = {}
            for sk, w, e, p, n in self._store.skeleton_entries(s for s in skels if s in self._known):
                b = out.get(sk)
                if b is None:
                    b = out[sk] = StoreBucket(_need(sk))
                    b.owner = self._owner
                b.add(w, (e, p, n))
            return out

        def prefetch(self, key_text: str) -> None:
            """The buckets the words of a text may need, in one query."""
            from .view import readings_by_skeleton

            idx = self._skeletons
            assert idx is not None
            words = {w for w in key_text.split(" ") if len(w) >= MIN_LETTERS - 1}
            want = [sk for sk in readings_by_skeleton(words, self._term_words) if sk in self._known and not dict.__contains__(idx, sk)]
            if want:
                found = self._buckets(want)
                for sk in want:
                    dict.__setitem__(idx, sk, found.get(sk))

    class StoreMatcher(Matcher):
        """The store's whole matcher for scanning (see the module docstring)."""

        def __init__(self, store: "GlossaryStore") -> None:
            super().__init__(Glossary())
            import ahocorasick

            self._store = store
            blob = store.blob
            keys = blob("pat_keys").decode("utf-8").split("\x00") if int(store.meta.get("patterns") or 0) else []
            self._off = _array("I", blob("pat_off"))
            self._rent = _array("i", blob("pat_entry"))
            self._rkind = blob("pat_kind")
            self._eattr = _array("i", blob("entry_attr"))
            self._eord = _array("i", blob("entry_ord"))
            self._langs = json.loads(store.meta.get("langs") or "[]")
            self._twins = {int(k): tuple(v) for k, v in json.loads(blob("twins") or b"{}").items()}
            a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            add = a.add_word
            for i, k in enumerate(keys):
                add(k, i)
            self._plen = [len(k) for k in keys]
            del keys
            self._latin = [bool(b) for b in blob("pat_latin")]
            if len(a):
                a.make_automaton()
                self._automaton = a
            else:
                from ..match.index import _EMPTY

                self._automaton = _EMPTY
            self.entries = _Lazy(self._fetch_entry)  # type: ignore[assignment]
            self.keys = _Lazy(lambda e: self._fetch_keys([e])[e])  # type: ignore[assignment]
            self._payload = _Lazy(self._records)  # type: ignore[assignment]
            self._bare = {}
            self._exclusions = _Lazy(self._entry_exclusions)  # type: ignore[assignment]
            self._flags = _Lazy(self._entry_flags)  # type: ignore[assignment]
            self._static_rank = _Lazy(lambda e: _static_rank(*self.entries[e]))  # type: ignore[assignment]
            self._short_owner = _Lazy(lambda k: store.short_form_owners(k) or None)  # type: ignore[assignment]
            self._ref_concepts = _Lazy(lambda ref: store.reference_entry(*ref))  # type: ignore[assignment]
            self._given = guard.GIVEN_NAMES | store.given_names()
            self.spellings = StoreSpellings(self, store, frozenset(store.all_words()), frozenset(store.skeletons()))

        def _records(self, pid: int) -> tuple[tuple[Any, ...], ...]:
            """Pattern ``pid``'s records, as :meth:`Matcher._build` makes them."""
            off, rent, rkind, eattr, langs = self._off, self._rent, self._rkind, self._eattr, self._langs
            out = []
            for j in range(off[pid], off[pid + 1]):
                e, kc = rent[j], rkind[j]
                at = eattr[e]
                out.append((e, KINDS[kc & 15], langs[at & 255], bool(at & 256), bool(at & 512), bool(kc & _OWN)))
            return tuple(out)

        def _fetch_keys(self, entries: Iterable[int]) -> dict[int, str]:
            want = [e for e in set(entries) if not dict.__contains__(self.keys, e)]
            for e, k in zip(want, self._store.entry_keys(want)):
                dict.__setitem__(self.keys, e, k)
            return self.keys  # type: ignore[return-value]

        def _fetch_entry(self, e: int) -> Any:
            self._prefetch([e])
            return dict.__getitem__(self.entries, e)

        def _prefetch(self, entries: Iterable[int], keys: bool = False) -> None:
            """Read the concepts of ``entries`` in one batch (and, with ``keys``, their key
            texts: only the spelling stage reads those)."""
            have, eord = self.entries, self._eord
            want = [e for e in entries if e >= 0]
            ords = {eord[e] for e in want if not dict.__contains__(have, e)}
            for _, c, first in self._store.concepts(ords) if ords else ():
                for j, t in enumerate(c.terms):
                    dict.__setitem__(have, first + j, (c, t))
            if keys:
                self._fetch_keys(want)

        def _all_candidates(self, text: str, lang: str | None) -> tuple[arabic.Normalized, list[Any]]:
            pre: tuple[str, arabic.Normalized] | None = self.normalized  # type: ignore[has-type]
            if pre is None or pre[0] is not text:
                pre = self.normalized = (text, arabic.normalize(text, "key"))
            norm = pre[1]
            if lang in (None, "ar"):
                self.spellings.prefetch(norm.text)  # type: ignore[attr-defined]
            norm, cands = super()._all_candidates(text, lang)
            self._prefetch(c.entry for c in cands)
            return norm, cands

    return StoreMatcher


_SM: type | None = None


def StoreMatcher(store: "GlossaryStore") -> "Matcher":
    """The whole-store scan matcher of ``store`` (built once per store and process: a second or
    two at 100k concepts, mostly the automaton)."""
    global _SM
    if _SM is None:
        _SM = _matcher_class()
    return _SM(store)  # type: ignore[no-any-return]
