"""Compiled glossary stores: big termbases opened without parsing XML, queried without loading
every concept.

``ctlex glossary compile big.tbx -o big.ctlexdb`` (:func:`compile_glossary`) writes a store;
:func:`open_glossary` opens one (or finds a fresh one beside a TBX) and returns a
:class:`~ctlex.store.view.StoreGlossary` — a :class:`~ctlex.glossary.Glossary` whose lookup
reads only the concepts a query can match, and which loads every concept only when a caller
needs them all (scan, check, export).  TBX stays the exchange and canonical format; the store
holds every field of every concept and writes back to the same TBX.

A store is chosen by path or URL: a plain path or ``sqlite:///path`` (:mod:`.sqlite`), or a
``postgresql://…`` URL (:mod:`.pg`, for teams: compiled the same way, then copied in one
transaction).  Every backend satisfies :class:`GlossaryStore`, the small interface the view uses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Protocol, runtime_checkable

from ..errors import CtlexError

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept, Glossary

__all__ = ["GlossaryStore", "StoreError", "STORE_SUFFIX", "compile_glossary", "open_store", "open_glossary", "is_store", "sibling_store"]

#: The file suffix ``ctlex glossary compile`` gives a store by default.
STORE_SUFFIX = ".ctlexdb"


@runtime_checkable
class GlossaryStore(Protocol):
    """What :class:`~ctlex.store.view.StoreGlossary` needs of a backend.  Concepts are numbered
    by ``ord`` (file order) and terms by ``entry`` (matcher order: concepts in order, each
    concept's terms in order)."""

    path: str
    meta: dict[str, str]  # format, schema, source*, title, description, extra (JSON), counts, styles (JSON)…

    def __len__(self) -> int: ...
    def get(self, concept_id: str) -> "Concept | None": ...
    def concepts(self, ords: Iterable[int]) -> list[tuple[int, "Concept", int]]: ...  # (ord, concept, first entry), in order
    def iter_concepts(self) -> Iterator["Concept"]: ...
    def ords_by_text(self, text: str) -> list[int]: ...
    def ords_by_pattern(self, keys: Iterable[str]) -> set[int]: ...
    def ords_by_media_skeleton(self, skels: Iterable[str]) -> set[int]: ...
    def media_words(self, skels: Iterable[str]) -> dict[str, dict[str, list[int]]]: ...
    def ords_by_whole_skeleton(self, skels: Iterable[str]) -> set[int]: ...
    def ords_by_reference(self, refs: Iterable[tuple[str, str]]) -> set[int]: ...
    def has_word(self, word: str) -> bool: ...
    def words_present(self, words: Iterable[str]) -> set[str]: ...
    def given_names(self) -> frozenset[str]: ...
    def blob(self, name: str) -> bytes: ...  # the scan index's blobs (ctlex.store.scanindex)
    def all_words(self) -> Iterator[str]: ...
    def skeleton_rows(self) -> Iterator[tuple[str, str, int, int, int, str]]: ...
    def short_form_owners(self, key: str) -> set[int]: ...
    def reference_entry(self, name: str, num: str) -> int | None: ...
    def fuzzy_candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]: ...
    def entry_ords(self, entries: Iterable[int]) -> dict[int, int]: ...
    def entry_keys(self, entries: Iterable[int]) -> list[str]: ...  # key texts of those terms, in that order
    def source_changed(self) -> bool | None: ...
    def info(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


def __getattr__(name: str) -> Any:
    if name == "StoreError":
        from .sqlite import StoreError

        return StoreError
    raise AttributeError(name)


def is_store(path: str | os.PathLike[str]) -> bool:
    """Is ``path`` an SQLite file (a store, or something :func:`open_store` will refuse)?"""
    from .sqlite import is_store as _is

    return _is(path)


def _is_pg(target: object) -> bool:
    from ..dburl import is_url

    return is_url(os.fspath(target)) if isinstance(target, (str, os.PathLike)) else False


def compile_glossary(src: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Compile the glossary file ``src`` into a store (default: ``src`` with suffix ``.ctlexdb``;
    a ``postgresql://`` URL: into that database)."""
    if out is not None and _is_pg(out):
        from .pg import compile_to_postgres

        return compile_to_postgres(src, os.fspath(out))
    from .sqlite import compile_glossary as _compile

    return _compile(src, out if out is not None else Path(src).with_suffix(STORE_SUFFIX))


def open_store(url: str | os.PathLike[str]) -> GlossaryStore:
    """The store at ``url``: ``sqlite:///path/to/x.ctlexdb``, a plain path, or ``postgresql://…``."""
    s = os.fspath(url)
    if _is_pg(s):
        from .pg import PgGlossaryStore

        return PgGlossaryStore(s)
    if "://" in s:
        scheme, rest = s.split("://", 1)
        if scheme != "sqlite":
            raise CtlexError(f"{s}: no glossary store backend for {scheme!r} (known: sqlite, postgresql)")
        s = rest[1:] if rest.startswith("/") and not rest.startswith("//") and os.name == "nt" else rest
    from .sqlite import SQLiteStore

    return SQLiteStore(s)


def sibling_store(path: str | os.PathLike[str]) -> Path:
    """Where the store compiled from the glossary file ``path`` lives by default."""
    return Path(path).with_suffix(STORE_SUFFIX)


def open_glossary(path: str | os.PathLike[str], format: str | None = None) -> "Glossary":
    """The glossary at ``path``: a store is opened as a store (refused when the file it was
    compiled from has changed since); any other file is read by its format, unless a store
    compiled from exactly that file (same SHA-256) lies beside it, which is opened instead."""
    from .view import StoreGlossary
    from .sqlite import StoreError

    if _is_pg(path):
        return StoreGlossary(open_store(path))
    p = Path(path)
    if format is None and (is_store(p) or p.suffix == STORE_SUFFIX):
        store = open_store(p)
        if store.source_changed():
            src = store.meta.get("source")
            store.close()
            raise StoreError(f"{p}: stale glossary store, its source {src} changed since it was compiled; "
                             f"run `ctlex glossary compile {src} -o {p}`")
        return StoreGlossary(store)
    side = sibling_store(p)
    if format is None and side != p and side.is_file() and is_store(side):
        found: GlossaryStore | None
        try:
            found = open_store(side)
        except CtlexError:
            found = None  # an unusable cache is no reason not to read the glossary itself
        if found is not None:
            store = found
            if store.meta.get("source") == os.path.abspath(p) and store.source_changed() is False:
                return StoreGlossary(store)
            store.close()
    from ..glossary import Glossary

    return Glossary.load(p, format=format)
