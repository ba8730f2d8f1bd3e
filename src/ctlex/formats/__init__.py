"""File formats: one module per format, registered in ONE table below.

Every format module implements the same small surface (any subset that makes sense for it):

``sniff(head: bytes) -> bool``
    Does this content look like the format?  Used when the extension is missing or ambiguous.
``read(path, *, report=None) -> Glossary`` / ``write(glossary, path, **options)``
    Glossary formats (concepts and terms).
``read_segments(path, *, report=None, drafts=False) -> Iterator[Segment]`` / ``write_segments(segments, path, **options)``
    Bilingual/TM formats (aligned segments).

Readers never lose or invent silently: what they skip (a unit without a usable target, an
unreviewed draft, a gettext header) is counted by reason in the :class:`~ctlex.formats.report.ReadReport`
passed as ``report=``, with warnings and their lines; malformed input is a
:class:`~ctlex.errors.ParseError` naming the file and line.  ``drafts=True`` keeps unreviewed
targets (XLIFF ``needs-review``/``initial``, PO ``fuzzy``) instead of skipping them.

Modules are imported by name only when used, so opening a TBX file never loads XLSX code.
Converting is always read-then-write through the common model, never format-to-format.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import UnknownFormatError
from .report import ReadReport

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary
    from ..segment import Segment

__all__ = ["ReadReport", "Format", "FORMATS", "get", "for_path", "read_glossary", "write_glossary", "read_segments", "write_segments"]


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    extensions: tuple[str, ...]
    glossary: bool  # reads/writes concepts
    segments: bool  # reads/writes aligned segments
    description: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.module}")


# The one registration table: name, module, extensions, glossary?, segments?, description.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("tbx", "tbx", (".tbx",), True, False, "TBX v3 (ISO 30042:2019), TBX-Basic dialect, DCA style"),
        Format("po", "po", (".po", ".pot"), True, True, "GNU gettext PO (Arabic msgid, English msgstr)"),
        Format("tmx", "tmx", (".tmx",), False, True, "TMX 1.4b translation memory (streamed; UTF-8 or UTF-16 with BOM)"),
        Format("tbx2", "tbx2", (".tbx2", ".martif"), True, False, "TBX 2008 <martif> (TBX v2, TBX-Basic layout; translate-toolkit, older CAT tools)"),
        Format("tsv", "tsv", (".utf8", ".tab", ".tsv"), True, True, "Tab-separated: OmegaT glossary (source, target, comment) / two-column segments"),
        Format("csv", "csv", (".csv",), True, False, "CSV term-base table for memoQ/Trados/Phrase (one concept per row, UTF-8 BOM)"),
        Format("xlsx", "xlsx", (".xlsx",), True, False, "XLSX term-base table for Phrase/Matecat/memoQ (Arabic column right-to-left)"),
        Format("xliff", "xliff", (".xlf", ".xliff", ".xlf2"), False, True, "XLIFF 1.2 / 2.0 bilingual file (pre-translated, match scores)"),
    )
}


def _known() -> str:
    return ", ".join(sorted(FORMATS))


def get(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {_known()}") from None


def for_path(path: str | os.PathLike[str], *, kind: str | None = None, head: bytes | None = None) -> Format:
    """The format for ``path``: by extension, else by sniffing ``head`` (or the file's first bytes)."""
    p = Path(path)
    name = p.name.lower()
    matches = [f for f in FORMATS.values() if any(name.endswith(ext) for ext in f.extensions)]
    if kind:
        matches = [f for f in matches if getattr(f, kind)]
    if len(matches) == 1:
        return matches[0]
    if head is None and p.is_file():
        with open(p, "rb") as fh:
            head = fh.read(4096)
    if head:
        for f in matches or FORMATS.values():
            if kind and not getattr(f, kind):
                continue
            mod = f.load()
            if hasattr(mod, "sniff") and mod.sniff(head):
                return f
    raise UnknownFormatError(f"{p}: cannot tell the format from the name or content; use --format ({_known()})")


def _resolve(path: str | os.PathLike[str], format: str | None, kind: str, *, reading: bool) -> Format:
    f = get(format) if format else for_path(path, kind=kind, head=None if reading else b"")
    if not getattr(f, kind):
        what = "glossaries" if kind == "glossary" else "segments"
        raise UnknownFormatError(f"format {f.name!r} does not hold {what}")
    return f


def read_glossary(path: str | os.PathLike[str], format: str | None = None, *, report: ReadReport | None = None) -> "Glossary":
    """Read a glossary file; ``report`` (optional) receives what was read, skipped and warned about."""
    from ..errors import NotFoundError

    if not Path(path).exists():
        raise NotFoundError(f"{path}: no such file")
    rep = report if report is not None else ReadReport(os.fspath(path))
    g = _resolve(path, format, "glossary", reading=True).load().read(path, report=rep)
    g.path = os.fspath(path)
    rep.count = len(g)
    return g


def write_glossary(glossary: "Glossary", path: str | os.PathLike[str], format: str | None = None, **options: Any) -> None:
    _resolve(path, format, "glossary", reading=False).load().write(glossary, path, **options)


def read_segments(path: str | os.PathLike[str], format: str | None = None, *, report: ReadReport | None = None,
                  drafts: bool = False) -> Iterator["Segment"]:
    """Stream the segments of a file.  Units without a usable target, unreviewed drafts (unless
    ``drafts=True``) and header units are skipped and counted in ``report``; each segment
    yielded is counted as read."""
    from ..errors import NotFoundError

    if not Path(path).exists():
        raise NotFoundError(f"{path}: no such file")
    rep = report if report is not None else ReadReport(os.fspath(path))
    segs = _resolve(path, format, "segments", reading=True).load().read_segments(path, report=rep, drafts=drafts)

    def counted() -> Iterator["Segment"]:
        for s in segs:
            rep.read()
            yield s

    return counted()


def write_segments(segments: Iterable["Segment"], path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
    return _resolve(path, format, "segments", reading=False).load().write_segments(segments, path, **options)
