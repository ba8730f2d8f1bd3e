"""Several stores behind one interface (the shipped data plus the user's own TM)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from ..errors import WriteError
from ..segment import Segment
from .backend import StoreBackend
from .keys import unit_fields
from .records import CandidatePlan, ConcordanceHit, ImportReport, Match
from .store import Store

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary

class TM:
    """The translation memory a user sees: one or more :class:`Store`\\ s, the last one writable.

    Search and concordance query every store and merge the results; imports go to the writable
    store.  ``ctlex tm`` commands use :func:`open_tm`.

    Example:
        >>> tm = TM([Store(":memory:")])
        >>> tm.add([Segment("استطلاع رأي", "Poll")]).added
        1
        >>> tm.search("استطلاع رأي")[0].target
        'Poll'
    """

    def __init__(self, stores: Sequence[StoreBackend], writable: StoreBackend | None = None, *, user_path: str | None = None) -> None:
        self.stores = list(stores)
        self.writable = writable if writable is not None else next((s for s in reversed(self.stores) if not s.readonly), None)
        self._user_path = user_path

    def close(self) -> None:
        for s in self.stores:
            s.close()

    def __enter__(self) -> "TM":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _target(self) -> StoreBackend:
        if self.writable is None:
            if self._user_path is None:
                where = self.stores[-1].path if self.stores else "this translation memory"
                raise WriteError(f"{where}: translation memory is read-only (its file or directory cannot be written)")
            self.writable = Store(self._user_path)
            self.stores.append(self.writable)
        return self.writable

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Add segments to the writable store (see :meth:`Store.add`)."""
        return self._target().add(segments, progress=progress)

    def import_files(self, paths: Sequence[str | os.PathLike[str]], *, format: str | None = None,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import files into the writable store, in one transaction (see :meth:`Store.import_files`)."""
        return self._target().import_files(paths, format=format, progress=progress)

    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None) -> list[Match]:
        """Best fuzzy matches over all stores (see :meth:`Store.search`); equal pairs shown once."""
        found = [m for s in self.stores for m in s.search(text, min_score=min_score, limit=limit, glossary=glossary)]
        return _merge_matches(found, limit)

    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5) -> list[Match]:
        """Reference twin of :meth:`search` (every segment scored)."""
        found = [m for s in self.stores for m in s.search_exhaustive(text, min_score=min_score, limit=limit)]
        return _merge_matches(found, limit)

    def candidate_plans(self, text: str) -> list[tuple[str, CandidatePlan]]:
        """One :class:`CandidatePlan` per store."""
        return [(s.path, s.candidate_plan(text)) for s in self.stores]

    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
        """Concordance over all stores (see :meth:`Store.concordance`)."""
        out: list[ConcordanceHit] = []
        seen: set[tuple[str, str]] = set()
        for s in self.stores:
            for h in s.concordance(phrase, limit=limit, glossary=glossary):
                if (h.source, h.target) not in seen:
                    seen.add((h.source, h.target))
                    out.append(h)
        return out[:limit]

    def segments(self) -> Iterator[Segment]:
        """Every unit of every store (a unit present in several stores, as when the shipped data
        was also imported into the user TM, once)."""
        seen: set[int] = set()
        last = len(self.stores) - 1
        for i, s in enumerate(self.stores):
            for seg in s.segments():
                k = hash(unit_fields(seg))
                if k not in seen:
                    if i < last:
                        seen.add(k)
                    yield seg

    def export(self, path: str | os.PathLike[str], format: str | None = None, *,
               progress: Callable[[Iterator[Segment], int], Iterable[Segment]] | None = None, **options: Any) -> int:
        """Write all segments to one file (TMX unless ``format`` or the extension says otherwise).
        ``progress(segments, total)`` may wrap the stream (the CLI's progress line)."""
        from .. import formats

        if format is None and not os.fspath(path).lower().endswith(tuple(e for f in formats.FORMATS.values() for e in f.extensions)):
            format = "tmx"
        segs: Iterable[Segment] = self.segments()
        if progress is not None:
            segs = progress(iter(segs), sum(len(s) for s in self.stores))
        return formats.write_segments(segs, path, format, **options)

    def stats(self) -> dict[str, Any]:
        """Per-store statistics and totals."""
        per = [s.stats() for s in self.stores]
        return {"segments": sum(p["segments"] for p in per), "stores": per}


def _merge_matches(found: list[Match], limit: int) -> list[Match]:
    found.sort(key=lambda m: (-m.score, m.id))
    out: list[Match] = []
    seen: set[tuple[str, str]] = set()
    for m in found:
        if (m.source, m.target) not in seen:
            seen.add((m.source, m.target))
            out.append(m)
    return out[:limit]
