"""Reading the files of an import: the segments of each file in turn, each file's
:class:`ctlex.formats.ReadReport`, and a file that yields no segment at all refused.

Both backends import files through :func:`read_files`, so they skip, count and refuse alike.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator, Sequence

from ..errors import ParseError
from ..segment import Segment

if TYPE_CHECKING:  # pragma: no cover
    from ..formats import ReadReport
    from .records import ImportReport

#: the readers' reasons for a unit with nothing to match or render, under the stores' one name
_EMPTY_REASONS = {"empty source": "empty source or target", "empty target": "empty source or target",
                  "no target": "empty source or target"}


def read_files(paths: Sequence[str | os.PathLike[str]], format: str | None, reads: "list[ReadReport]") -> "FileSegments":
    """The segments of ``paths`` in order, appending one report per file to ``reads``.

    A file with no segment to import (empty, or every unit skipped) raises
    :class:`ctlex.errors.ParseError` naming it and what was skipped: importing it is almost
    always a mistake (a wrong file or format), and the import it is part of is abandoned.

    Example:
        >>> import os, tempfile
        >>> p = os.path.join(tempfile.mkdtemp(), "one.tsv")
        >>> _ = open(p, "w", encoding="utf-8").write("مرحبا\\t\\n")
        >>> reads = []
        >>> list(read_files([p], "tsv", reads))
        Traceback (most recent call last):
        ...
        ctlex.errors.ParseError: ...one.tsv: no segments to import (1 skipped: 1 empty target)
    """
    return FileSegments(paths, format, reads)


class FileSegments:
    """The segments of files in turn (see :func:`read_files`).  Iterating reads them here; an
    importer may instead have a file read elsewhere (:mod:`ctlex.tm.workers` reads a large TMX in
    its helper process) through :meth:`open`, :meth:`is_tmx` and :meth:`check`, with the same
    reports and the same refusal of a file without segments."""

    def __init__(self, paths: Sequence[str | os.PathLike[str]], format: str | None, reads: "list[ReadReport]") -> None:
        self.paths = list(paths)
        self.format = format
        self.reads = reads

    def __iter__(self) -> Iterator[Segment]:
        for p in self.paths:
            yield from self.read(p, self.open(p))

    def open(self, path: str | os.PathLike[str]) -> "ReadReport":
        """A new report for ``path``, in ``reads``."""
        from .. import formats

        rep = formats.ReadReport(os.fspath(path))
        self.reads.append(rep)
        return rep

    def read(self, path: str | os.PathLike[str], rep: "ReadReport", skip: int = 0) -> Iterator[Segment]:
        """The segments of ``path`` read here (the first ``skip`` left out), then :meth:`check`."""
        from .. import formats

        n = 0
        for seg in formats.read_segments(path, self.format, report=rep):
            n += 1
            if n > skip:
                yield seg
        self.check(path, rep, n)

    def is_tmx(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` is read as TMX (False where the format cannot be told: reading it here says why)."""
        from .. import formats

        try:
            return (formats.get(self.format) if self.format else formats.for_path(path, kind="segments")).name == "tmx"
        except Exception:
            return False

    @staticmethod
    def check(path: str | os.PathLike[str], rep: "ReadReport", n: int) -> None:
        """Refuse a file that yielded no segment (``n``), saying what was skipped."""
        if n == 0:
            why = ", ".join(f"{k} {reason}" for reason, k in sorted(rep.skipped.items()))
            raise ParseError("no segments to import" + (f" ({rep.total_skipped} skipped: {why})" if why else " (the file holds no unit)"), path)


def count_skipped(report: "ImportReport", reads: "list[ReadReport]") -> None:
    """Add what the readers skipped (no target, unreviewed drafts, header units) to ``report``,
    with the readers' reports themselves."""
    report.reads = list(reads)
    for rep in reads:
        for reason, n in rep.skipped.items():
            report.skip(_EMPTY_REASONS.get(reason, reason), n)
