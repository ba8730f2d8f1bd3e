"""A translation memory in a PostgreSQL database: :class:`PostgresStore`."""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterable, Iterator, Sequence, TypeVar, cast

from ...errors import CtlexError, WriteError
from ...segment import Segment
from .. import concord
from ..records import CandidatePlan, ConcordanceHit, ImportReport, Match
from .conn import Compat, connect, first_line, import_psycopg, redact
from .importer import PgImporter
from .migrations import migrate
from .search import PgSearcher

if TYPE_CHECKING:  # pragma: no cover
    from ...glossary import Glossary

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """A database error in ``method`` is one line naming the store."""

    @functools.wraps(method)
    def wrapper(self: "PostgresStore", *args: Any, **kw: Any) -> Any:
        psycopg = import_psycopg()
        try:
            return method(self, *args, **kw)
        except psycopg.Error as e:
            raise CtlexError(f"{self.path}: cannot read the translation memory ({first_line(e)})") from None

    return cast(F, wrapper)


def _reads(method: F) -> F:
    """Run a reading method in one read-only snapshot (REPEATABLE READ: all its statements see
    the same committed state, however many imports commit meanwhile); a database error is one
    line naming the store."""

    @functools.wraps(method)
    def wrapper(self: "PostgresStore", *args: Any, **kw: Any) -> Any:
        psycopg = import_psycopg()
        try:
            with self._snapshot():
                return method(self, *args, **kw)
        except psycopg.Error as e:
            raise CtlexError(f"{self.path}: cannot read the translation memory ({first_line(e)})") from None

    return cast(F, wrapper)


class PostgresStore:
    """One translation memory in one PostgreSQL database, opened by URL
    (``postgresql://user@host/dbname``; psycopg 3).

    The same interface and the same results as :class:`ctlex.tm.Store`
    (:class:`ctlex.tm.StoreBackend`), for many readers and writers at once: searches read the
    last committed state and never wait; imports are one transaction each, serialized among
    themselves, so none loses or duplicates another's units.  The schema is created, or brought
    up to date, on the first writable open (:mod:`ctlex.tm.pg.migrations`).  ``path`` is the URL
    without its password.
    """

    def __init__(self, url: str, *, readonly: bool = False, create: bool = True) -> None:
        self.path = redact(url)
        self.readonly = readonly
        self._url = url
        self.conn = connect(url, readonly=readonly)
        psycopg = import_psycopg()
        try:
            migrate(self.conn, self.path, create=create and not readonly)
        except psycopg.Error as e:
            self.conn.close()
            raise CtlexError(f"{self.path}: cannot set up the translation memory ({first_line(e)})") from None
        except CtlexError:
            self.conn.close()
            raise
        self.db = Compat(self.conn)
        self._searcher = PgSearcher(self.db)

    # -- plumbing ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def atomic(self) -> ContextManager[Any]:
        """A transaction (nested ones are savepoints), rolled back on any exception."""
        return self.conn.transaction()

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        psycopg = import_psycopg()
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            yield  # inside the caller's transaction: read what it sees
            return
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    @_reads
    def __len__(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM segment")[0])

    def _one(self, sql: str) -> Any:
        row = self.conn.execute(sql).fetchone()
        assert row is not None  # aggregates always return a row
        return row

    # -- import --------------------------------------------------------------------------------
    def import_files(self, paths: Sequence[str | os.PathLike[str]], *, format: str | None = None,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import segment files of any registered format, all in ONE transaction (a malformed
        file raises :class:`ctlex.errors.ParseError` and leaves the store as it was)."""
        from ..sources import count_skipped, read_files

        reads: list[Any] = []
        report = self.add(read_files(paths, format, reads), progress=progress)
        count_skipped(report, reads)
        report.files = [os.fspath(p) for p in paths]
        return report

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Add units in one transaction (every unit kept; the same unit again merged into its row).

        English→Arabic pairs are stored Arabic-first, as in every store.
        """
        if self.readonly:
            raise WriteError(f"{self.path}: translation memory is read-only")
        psycopg = import_psycopg()
        report = ImportReport()
        try:
            with self.conn.transaction():
                PgImporter(self.conn).run(segments, report, progress)
        except psycopg.Error as e:
            raise WriteError(f"{self.path}: import failed, the translation memory is unchanged ({first_line(e)})") from None
        finally:
            self._searcher.invalidate()
        return report

    # -- reading back --------------------------------------------------------------------------
    def segments(self) -> Iterator[Segment]:
        """Every stored unit, in import order, as :class:`Segment` (its own texts, id, props and
        dates; a unit imported several times says so in ``x-ctlex-count`` and ``x-ctlex-origins``).

        Streamed through a server-side cursor on a connection of its own, in one snapshot."""
        psycopg = import_psycopg()
        try:
            conn = connect(self._url, readonly=True)
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    with conn.cursor(name="ctlex_segments") as cur:
                        cur.itersize = 5000
                        cur.execute("SELECT id, source, target, source_lang, target_lang, origin, origins, props, note,"
                                    " created, changed, count, tuid FROM segment ORDER BY id")
                        for rid, src, tgt, sl, tl, origin, origins, props, note, created, changed, count, uid in cur:
                            p = dict(props or {})
                            if count > 1:
                                p["x-ctlex-count"] = str(count)
                            if origins:
                                p["x-ctlex-origins"] = " ".join(origins)
                            yield Segment(src, tgt, sl, tl, uid, origin, p, note, created, changed)
            finally:
                conn.close()
        except psycopg.Error as e:
            raise CtlexError(f"{self.path}: cannot read the translation memory ({first_line(e)})") from None

    def export(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
        """Write every unit to ``path`` (TMX by default, or any registered segment format)."""
        from ... import formats

        if format is None and not os.fspath(path).lower().endswith(tuple(e for f in formats.FORMATS.values() for e in f.extensions)):
            format = "tmx"
        return formats.write_segments(self.segments(), path, format, **options)

    @_reads
    def stats(self) -> dict[str, Any]:
        """Counts for ``tm stats`` (the keys of :meth:`ctlex.tm.Store.stats`; ``bytes`` is the
        tables' and indexes' size on the server)."""
        c = self.conn
        n, total, heads = self._one("SELECT COUNT(*), COALESCE(SUM(count), 0), COUNT(*) FILTER (WHERE head IS NULL) FROM segment")
        pairs = {f"{a}-{b}": k for a, b, k in c.execute("SELECT source_lang, target_lang, COUNT(*) FROM segment GROUP BY 1, 2 ORDER BY 1, 2")}
        files: dict[str, int] = {}
        for origin, k in c.execute("SELECT origin, COUNT(*) FROM segment GROUP BY 1"):
            f = (origin or "?").split("#")[0].rsplit(":", 1)[0]
            files[f] = files.get(f, 0) + k
        tokens = self._one("SELECT COUNT(DISTINCT token) FROM postings")[0]
        size = self._one("SELECT SUM(pg_total_relation_size(t::regclass)) FROM unnest(ARRAY['segment','segkey','seglen','postings','meta']) t")[0]
        return {"path": self.path, "segments": int(n), "units_read": int(total), "duplicates_merged": int(total - n),
                "index_entries": int(heads), "language_pairs": pairs, "origins": dict(sorted(files.items())),
                "index_tokens": int(tokens), "bytes": int(size or 0), "readonly": self.readonly}

    # -- fuzzy search (the SQLite store's, see ctlex.tm.pg.search) -----------------------------
    @_reads
    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates (PostgreSQL's query plans)."""
        return self._searcher.candidate_plan(text, budget=budget, candidates=candidates)

    @_guarded
    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
               budget: int | None = None, candidates: int | None = None) -> list[Match]:
        """The best fuzzy matches for ``text``, best first (see :meth:`ctlex.tm.Store.search`)."""
        return self._searcher.search(text, min_score=min_score, limit=limit, glossary=glossary, budget=budget, candidates=candidates)

    @_reads
    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
                          keys: dict[int, str] | None = None) -> list[Match]:
        """The slow reference twin of :meth:`search`: every indexed unit scored."""
        return self._searcher.search_exhaustive(text, min_score=min_score, limit=limit, glossary=glossary, keys=keys)

    @_reads
    def keys(self) -> dict[int, str]:
        """Every indexed unit's id and search key."""
        return self._searcher.keys()

    @_reads
    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
        """Units containing ``phrase`` on either side (see :meth:`ctlex.tm.Store.concordance`)."""
        return concord.concordance(cast(Any, self.db), phrase, limit=limit, glossary=glossary)
