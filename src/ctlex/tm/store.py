"""A translation memory in one SQLite file: :class:`Store`."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterable, Iterator, Sequence

from ..errors import WriteError
from ..segment import Segment
from . import concord
from .db import Transactions, connect
from .importer import Importer
from .records import CandidatePlan, ConcordanceHit, ImportReport, Match
from .search import Searcher

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from ..glossary import Glossary


def tuid(origin: str | None, rid: int) -> str:
    """A stored segment's unit id: the id part of its origin (``file#id``), else its row id."""
    if origin and "#" in origin:
        return origin.split("#", 1)[1]
    return str(rid)


class Store:
    """One translation memory in one SQLite file (``":memory:"`` for a throw-away one).

    Example:
        >>> s = Store(":memory:")
        >>> s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")] * 2).to_dict()
        {'files': [], 'read': 2, 'added': 1, 'merged': 1}
        >>> len(s)
        1
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> None:
        self.path = os.fspath(path)
        self.readonly = readonly
        self.db = connect(self.path, readonly=readonly, create=create)
        self._tx = Transactions(self.db)
        self._searcher = Searcher(self.db)

    # -- plumbing ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM segment").fetchone()[0])

    def atomic(self) -> ContextManager["sqlite3.Connection"]:
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

        A malformed file raises :class:`ctlex.errors.ParseError` (with file and line) and leaves
        the store exactly as it was.

        Example:
            >>> from ctlex.data import tm_files
            >>> s = Store(":memory:")
            >>> s.import_files(tm_files()).added
            190
        """
        from .. import formats

        def stream() -> Iterator[Segment]:
            for p in paths:
                yield from formats.read_segments(p, format)

        report = self.add(stream(), progress=progress)
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
            raise WriteError(f"{self.path}: translation memory is read-only")
        report = ImportReport()
        self.db.execute("PRAGMA mmap_size = 0")
        try:
            with self.atomic():
                Importer(self.db).run(segments, report, progress)
        finally:
            self._searcher.invalidate()
        return report


    # -- reading back --------------------------------------------------------------------------
    def segments(self) -> Iterator[Segment]:
        """Every stored segment, in id order, as :class:`Segment` (props and dates included)."""
        cur = self.db.execute(
            "SELECT id, source, target, source_lang, target_lang, origin, origins, props, note, created, changed, count FROM segment ORDER BY id"
        )
        for rid, src, tgt, sl, tl, origin, origins, props, note, created, changed, count in cur:
            p = json.loads(props) if props else {}
            if count > 1:
                p["x-ctlex-count"] = str(count)
            if origins:
                p["x-ctlex-origins"] = " ".join(json.loads(origins))
            yield Segment(src, tgt, sl, tl, tuid(origin, rid), origin, p, note, created, changed)

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

    def stats(self) -> dict[str, Any]:
        """Counts for ``tm stats``: segments, merged duplicates, language pairs, origins, size."""
        db = self.db
        n, total = db.execute("SELECT COUNT(*), COALESCE(SUM(count), 0) FROM segment").fetchone()
        pairs = {f"{a}-{b}": c for a, b, c in db.execute("SELECT source_lang, target_lang, COUNT(*) FROM segment GROUP BY 1, 2")}
        files: dict[str, int] = {}
        for (origin,) in db.execute("SELECT origin FROM segment"):
            f = (origin or "?").split("#")[0].rsplit(":", 1)[0]
            files[f] = files.get(f, 0) + 1
        tokens = db.execute("SELECT COUNT(DISTINCT token) FROM postings").fetchone()[0]
        size = os.path.getsize(self.path) if self.path != ":memory:" and os.path.exists(self.path) else 0
        return {"path": self.path, "segments": n, "units_read": total, "duplicates_merged": total - n,
                "language_pairs": pairs, "origins": dict(sorted(files.items())), "index_tokens": tokens, "bytes": size}


    # -- fuzzy search (see ctlex.tm.search) ----------------------------------------------------
    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates (see :meth:`ctlex.tm.search.Searcher.candidate_plan`)."""
        return self._searcher.candidate_plan(text, budget=budget, candidates=candidates)

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

    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
                          keys: dict[int, str] | None = None) -> list[Match]:
        """The slow reference twin of :meth:`search`: every segment scored, no index."""
        return self._searcher.search_exhaustive(text, min_score=min_score, limit=limit, glossary=glossary, keys=keys)

    def keys(self) -> dict[int, str]:
        """Every segment's id and search key (for exhaustive scoring and benchmarks)."""
        return self._searcher.keys()

    # -- concordance (see ctlex.tm.concord) ----------------------------------------------------
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
