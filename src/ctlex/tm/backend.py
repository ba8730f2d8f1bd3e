"""The interface every store backend offers (SQLite today; PostgreSQL can follow behind it)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from ..segment import Segment
from .records import CandidatePlan, ConcordanceHit, ImportReport, Match

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary


@runtime_checkable
class StoreBackend(Protocol):
    """What :class:`ctlex.tm.TM`, the CLI and the suggesters need from one translation memory.

    :class:`ctlex.tm.Store` (SQLite) implements it; a server-backed store (PostgreSQL) would
    implement the same methods with the same meaning, so nothing above this line changes.

    Example:
        >>> from ctlex.tm import Store
        >>> isinstance(Store(":memory:"), StoreBackend)
        True
    """

    path: str
    readonly: bool

    def close(self) -> None: ...

    def __len__(self) -> int: ...

    def atomic(self) -> ContextManager[Any]: ...

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport: ...

    def import_files(self, paths: Sequence[str | os.PathLike[str]], *, format: str | None = None,
                     progress: Callable[[int], None] | None = None) -> ImportReport: ...

    def segments(self) -> Iterator[Segment]: ...

    def export(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int: ...

    def stats(self) -> dict[str, Any]: ...

    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan: ...

    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
               budget: int | None = None, candidates: int | None = None) -> list[Match]: ...

    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
                          keys: dict[int, str] | None = None) -> list[Match]: ...

    def keys(self) -> dict[int, str]: ...

    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]: ...
