"""A translation memory in one SQLite file: :class:`Store`."""

from __future__ import annotations

import functools
import itertools
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterable, Iterator, Sequence, TypeVar

from ..errors import CtlexError, NotFoundError, WriteError
from ..segment import Segment
from . import concord
from .db import Transactions, build_path, connect, connect_bulk, describe, remove_build
from .importer import Importer
from .records import CandidatePlan, ConcordanceHit, ImportReport, Match
from .search import Searcher

if TYPE_CHECKING:  # pragma: no cover
    from ..formats import ReadReport
    from ..glossary import Glossary

F = TypeVar("F", bound=Callable[..., Any])


def _guard(method: F) -> F:
    """Report SQLite's errors while reading as one line naming the store."""

    @functools.wraps(method)
    def wrapper(self: "Store", *args: Any, **kw: Any) -> Any:
        try:
            return method(self, *args, **kw)
        except sqlite3.Error as e:
            raise CtlexError(f"{self.path}: cannot read the translation memory ({describe(e)})") from None

    return wrapper  # type: ignore[return-value]


class Store:
    """One translation memory in one SQLite file (``":memory:"`` for a throw-away one).

    A store that does not exist yet is created by its first write: built aside and given its
    name once that import committed (until then it is empty; an import that fails, finds nothing
    to import or is killed leaves no store file behind).  One that cannot be written (a read-only file,
    directory or file system) opens read-only: it can be searched, not imported into.

    Example:
        >>> s = Store(":memory:")
        >>> s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")] * 2).to_dict()
        {'files': [], 'read': 2, 'added': 1, 'merged': 1, 'variants': 0, 'skipped': {}, 'readers': []}
        >>> len(s)
        1
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> None:
        self.path = os.fspath(path)
        self._pending = False  # a new store: the file is created by the first write (see _build)
        if self.path != ":memory:" and not os.path.exists(self.path):
            if readonly or not create:
                raise NotFoundError(f"{self.path}: no such translation memory")
            self._pending = True
            db, ro = connect(":memory:")  # the empty stand-in
        else:
            db, ro = connect(self.path, readonly=readonly)
        self.readonly = readonly or ro
        self._use(db)

    def _use(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._tx = Transactions(db)
        self._searcher = Searcher(db)

    # -- plumbing ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @_guard
    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM segment").fetchone()[0])

    def atomic(self) -> ContextManager[sqlite3.Connection]:
        """A transaction: BEGIN … COMMIT, nested through SAVEPOINT, rolled back on any exception."""
        return self._tx.atomic()

    # -- import --------------------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        format: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Import segment files of any registered format, all in ONE transaction.

        A malformed file, or one with no segment to import, raises
        :class:`ctlex.errors.ParseError` (with file and line) and leaves the store exactly as it
        was (a new store: no file).  Each file's :class:`ctlex.formats.ReadReport` (what its
        reader skipped and warned about) is in the report's ``reads``.

        Example:
            >>> from ctlex.data import tm_files
            >>> s = Store(":memory:")
            >>> r = s.import_files(tm_files())
            >>> r.read == r.added == len(s)  # every unit kept
            True
        """
        from .sources import count_skipped, read_files

        reads: list[ReadReport] = []
        report = self.add(read_files(paths, format, reads), progress=progress)
        count_skipped(report, reads)
        report.files = [os.fspath(p) for p in paths]
        return report

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Add segments in one transaction (batched inserts, duplicates merged); return a report.

        English→Arabic pairs are stored Arabic-first, the store's orientation, so fuzzy search and
        concordance always see Arabic on the source side.

        Example:
            >>> s = Store(":memory:")
            >>> s.add([Segment("Poll", "استطلاع رأي", source_lang="en", target_lang="ar")]).added
            1
            >>> next(s.segments()).source
            'استطلاع رأي'
        """
        if self.readonly:
            raise WriteError(f"{self.path}: translation memory is read-only (its file or directory cannot be written)")
        if self._pending:  # a new store: built aside once the input yields a first unit
            from .sources import FileSegments

            if isinstance(segments, FileSegments):  # files: read by the build (a file without units is refused)
                return self._build(segments, progress) if segments.paths else ImportReport()
            it = iter(segments)
            first = next(it, None)
            if first is None:
                return ImportReport()
            return self._build(itertools.chain([first], it), progress)
        report = ImportReport()
        try:
            self.db.execute("PRAGMA mmap_size = 0")
            with self.atomic():
                Importer(self.db).run(segments, report, progress)
        except (sqlite3.Error, OSError) as e:
            raise WriteError(f"{self.path}: import failed, the translation memory is unchanged ({describe(e)})") from None
        finally:
            self._searcher.invalidate()
        return report

    def _build(self, segments: Iterable[Segment], progress: Callable[[int], None] | None) -> ImportReport:
        """The first import of a new store: built in a temporary file beside it (no journal, no
        syncing: a failed build is simply deleted), which then becomes the store at once.  Until
        then there is no store file; if one appeared meanwhile (another first import) it is
        left alone and this import fails saying so."""
        if self.path == ":memory:":  # pragma: no cover - a memory store is never pending
            raise AssertionError("in-memory stores are not built")
        report = ImportReport()
        parent = Path(os.path.abspath(self.path)).parent
        created = [d for d in (parent, *parent.parents) if not d.exists()]  # by build_path: removed again if the build fails
        tmp = build_path(self.path)
        built = False
        try:
            db = connect_bulk(tmp)
            try:
                with Transactions(db).atomic():
                    Importer(db).run(segments, report, progress)
                db.execute("PRAGMA journal_mode = WAL")
            finally:
                db.close()
            try:
                os.link(tmp, self.path)  # never replaces a store another import created meanwhile
            except FileExistsError:
                raise WriteError(f"{self.path}: another import created the translation memory meanwhile; "
                                 "nothing was imported (import again)") from None
            except OSError:  # pragma: no cover - file systems without hard links
                if os.path.exists(self.path):
                    raise
                os.replace(tmp, self.path)
            built = True
        except (sqlite3.Error, OSError) as e:
            raise WriteError(f"{self.path}: import failed, the translation memory is unchanged ({describe(e)})") from None
        finally:
            remove_build(tmp)
            if not built:
                for d in created:  # deepest first
                    try:
                        d.rmdir()
                    except OSError:
                        break
        db, _ = connect(self.path)
        self.db.close()
        self._use(db)
        self._pending = False
        return report

    # -- reading back --------------------------------------------------------------------------
    def segments(self) -> Iterator[Segment]:
        """Every stored unit, in import order, as :class:`Segment` (its own texts, id, props and
        dates; a unit imported several times says so in ``x-ctlex-count`` and ``x-ctlex-origins``)."""
        cur = self.db.execute(
            "SELECT id, source, target, source_lang, target_lang, origin, origins, props, note, created, changed, count, tuid"
            " FROM segment ORDER BY id"
        )
        for rid, src, tgt, sl, tl, origin, origins, props, note, created, changed, count, uid in cur:
            p = json.loads(props) if props else {}
            if count > 1:
                p["x-ctlex-count"] = str(count)
            if origins:
                p["x-ctlex-origins"] = " ".join(json.loads(origins))
            yield Segment(src, tgt, sl, tl, uid, origin, p, note, created, changed)

    def export(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
        """Write every segment to ``path`` (TMX by default, or any registered segment format).

        Example:
            >>> import os, tempfile
            >>> Store(":memory:").export(os.path.join(tempfile.mkdtemp(), "empty.tmx"))
            0
        """
        from .. import formats

        if format is None and not os.fspath(path).lower().endswith(tuple(e for f in formats.FORMATS.values() for e in f.extensions)):
            format = "tmx"
        return formats.write_segments(self.segments(), path, format, **options)

    @_guard
    def stats(self) -> dict[str, Any]:
        """Counts for ``tm stats``.

        ``segments`` are the units stored (every imported unit, the same unit imported again
        counted once: what ``ctlex check`` calls segments when it reads the same files);
        ``units_read`` counts the imports' units, ``duplicates_merged`` the same units imported
        again, ``index_entries`` the distinct normalized pairs (units differing only in case,
        punctuation, digits or harakat share one).
        """
        db = self.db
        n, total = db.execute("SELECT COUNT(*), COALESCE(SUM(count), 0) FROM segment").fetchone()
        heads = db.execute("SELECT COUNT(*) FROM segment WHERE head IS NULL").fetchone()[0]
        pairs = {f"{a}-{b}": c for a, b, c in db.execute("SELECT source_lang, target_lang, COUNT(*) FROM segment GROUP BY 1, 2")}
        files: dict[str, int] = {}
        for (origin,) in db.execute("SELECT origin FROM segment"):
            f = (origin or "?").split("#")[0].rsplit(":", 1)[0]
            files[f] = files.get(f, 0) + 1
        tokens = db.execute("SELECT COUNT(DISTINCT token) FROM postings").fetchone()[0]
        size = os.path.getsize(self.path) if self.path != ":memory:" and os.path.exists(self.path) else 0
        return {"path": self.path, "segments": n, "units_read": total, "duplicates_merged": total - n,
                "index_entries": heads, "language_pairs": pairs, "origins": dict(sorted(files.items())),
                "index_tokens": tokens, "bytes": size, "readonly": self.readonly}

    # -- fuzzy search (see ctlex.tm.search) ----------------------------------------------------
    @_guard
    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates (see :meth:`ctlex.tm.search.Searcher.candidate_plan`)."""
        return self._searcher.candidate_plan(text, budget=budget, candidates=candidates)

    @_guard
    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
               budget: int | None = None, candidates: int | None = None) -> list[Match]:
        """The best fuzzy matches for the source segment ``text``, best first (see
        :meth:`ctlex.tm.search.Searcher.search`).

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [(m.score, m.target) for m in s.search("تابعنا على تويتر!", min_score=50)]
            [(100.0, 'Follow us on Twitter')]
        """
        return self._searcher.search(text, min_score=min_score, limit=limit, glossary=glossary, budget=budget, candidates=candidates)

    @_guard
    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
                          keys: dict[int, str] | None = None) -> list[Match]:
        """The slow reference twin of :meth:`search`: every segment scored, no index."""
        return self._searcher.search_exhaustive(text, min_score=min_score, limit=limit, glossary=glossary, keys=keys)

    @_guard
    def keys(self) -> dict[int, str]:
        """Every segment's id and search key (for exhaustive scoring and benchmarks)."""
        return self._searcher.keys()

    # -- concordance (see ctlex.tm.concord) ----------------------------------------------------
    @_guard
    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
        """Segments containing ``phrase`` on either side, located in the original (see
        :func:`ctlex.tm.concord.concordance`).

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("التعاون مع وليوروبول", "cooperation with Europol")])
            >>> h = s.concordance("يوروبول")[0]
            >>> h.text[h.spans[0][0]:h.spans[0][1]]
            'وليوروبول'
        """
        return concord.concordance(self.db, phrase, limit=limit, glossary=glossary)

