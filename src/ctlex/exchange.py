"""Export to and import from CAT-tool formats: the library behind ``ctlex export/import/validate``.

Everything goes through the format registry (:mod:`ctlex.formats`): a glossary is read and
written as :class:`~ctlex.glossary.Glossary`, a TM as :class:`~ctlex.segment.Segment` streams.
"""

from __future__ import annotations

import os
import re
from copy import deepcopy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import CtlexError, UnknownFormatError
from .glossary import Glossary
from .segment import Segment

__all__ = [
    "parse_lang_tags",
    "retag_glossary",
    "retag_segments",
    "export_glossary",
    "styled_glossary",
    "tm_segments",
    "export_segments",
    "pretranslate",
    "source_lines",
    "import_glossary",
    "ImportResult",
]

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def parse_lang_tags(value: str | Sequence[str] | None) -> dict[str, str]:
    """``"ar,en-US"`` → ``{"ar": "ar", "en": "en-US"}``: the tag to write for each base language."""
    if not value:
        return {}
    items = value.split(",") if isinstance(value, str) else list(value)
    out: dict[str, str] = {}
    for item in (i.strip() for i in items):
        if not item:
            continue
        if not _TAG.match(item):
            raise CtlexError(f"--lang-tags: {item!r} is not a language tag like ar, en-US or ar-SA")
        base = item.split("-")[0].lower()
        if base in out:
            raise CtlexError(f"--lang-tags: two tags for {base!r}")
        out[base] = item
    return out


def _tag(lang: str, tags: dict[str, str]) -> str:
    return tags.get(lang.split("-")[0].lower(), lang)


def retag_glossary(glossary: Glossary, tags: dict[str, str]) -> Glossary:
    """A copy of ``glossary`` whose term languages use ``tags`` (the original is untouched)."""
    if not tags:
        return glossary
    g = Glossary(title=glossary.title, description=glossary.description, source_lang=glossary.source_lang, path=glossary.path)
    for c in glossary:
        c2 = deepcopy(c)
        for t in c2.terms:
            t.lang = _tag(t.lang, tags)
        c2.extra = [_retag_extra(x, tags) for x in c2.extra]
        g.add(c2)
    return g


def _retag_extra(x: str, tags: dict[str, str]) -> str:
    if x.startswith("langSec:"):
        _, lang, xml = x.split(":", 2)
        return f"langSec:{_tag(lang, tags)}:{xml}"
    return x


def retag_segments(segments: Iterable[Segment], tags: dict[str, str]) -> Iterator[Segment]:
    for s in segments:
        yield replace(s, source_lang=_tag(s.source_lang, tags), target_lang=_tag(s.target_lang, tags)) if tags else s


def _format_for(path: str | os.PathLike[str], format: str | None, kind: str) -> Any:
    from . import formats

    f = formats.get(format) if format else formats.for_path(path, kind=kind, head=b"")
    if not getattr(f, kind):
        what = "a glossary" if kind == "glossary" else "segments"
        raise UnknownFormatError(f"format {f.name!r} cannot hold {what}")
    return f


def styled_glossary(glossary: Glossary, style: str | None) -> Glossary:
    """A copy of ``glossary`` in which house ``style``'s terms are the preferred ones.

    In each concept and language where the style prescribes a (non-deprecated) term, that term
    becomes preferred and comes first; the glossary's own preferred term is kept as admitted.
    Elsewhere nothing changes.  ``None`` returns the glossary itself; an unknown style is an error.
    """
    if glossary.check_style(style) is None:
        return glossary
    g = Glossary(title=glossary.title, description=glossary.description, source_lang=glossary.source_lang,
                 path=glossary.path, extra=glossary.extra)
    for c in glossary:
        c2 = deepcopy(c)
        for lang in c2.languages():
            mine = [t for t in c2.terms if t.lang == lang and style in t.styles and t.status != "deprecated"]
            if not mine:
                continue
            for t in c2.terms:
                if t.lang == lang and t.status == "preferred":
                    t.status = "admitted"
            mine[0].status = "preferred"
            c2.terms.remove(mine[0])
            first = next(i for i, t in enumerate(c2.terms) if t.lang == lang) if any(t.lang == lang for t in c2.terms) else len(c2.terms)
            c2.terms.insert(first, mine[0])
        g.add(c2)
    return g


def export_glossary(glossary: Glossary, path: str | os.PathLike[str], format: str | None = None, *,
                    lang_tags: dict[str, str] | None = None, style: str | None = None, **options: Any) -> dict[str, Any]:
    """Write ``glossary`` in ``format`` (default: from the file name) atomically; returns a summary.

    With a house ``style`` the style's terms are written as the preferred ones (:func:`styled_glossary`)."""
    from . import formats

    f = _format_for(path, format, "glossary")
    g = retag_glossary(styled_glossary(glossary, style), lang_tags or {})
    formats.write_glossary(g, path, format=f.name, **options)
    return {"path": os.fspath(path), "format": f.name, "concepts": len(g), "terms": sum(len(c.terms) for c in g)}


def tm_segments(paths: Sequence[str | os.PathLike[str]] = ()) -> Iterator[Segment]:
    """Segments of the TM files ``paths`` (any segment format), else of the TM shipped with ctlex."""
    from . import formats
    from .data import tm_files

    files = list(paths) or list(tm_files())
    if not files:
        raise CtlexError("no translation memory: give --tm-file FILE (TMX, PO, TSV, XLIFF) or --tm DB")
    for p in files:
        yield from formats.read_segments(p)


def export_segments(segments: Iterable[Segment], path: str | os.PathLike[str], format: str | None = None, *,
                    lang_tags: dict[str, str] | None = None, **options: Any) -> dict[str, Any]:
    """Write segments (TMX, XLIFF, TSV, PO …) atomically through the format registry."""
    from . import formats

    f = _format_for(path, format, "segments")
    n = formats.write_segments(retag_segments(segments, lang_tags or {}), path, format=f.name, **options)
    return {"path": os.fspath(path), "format": f.name, "segments": n}


def source_lines(path: str | os.PathLike[str]) -> list[str]:
    """The segments of a plain-text document to pre-translate: one per non-empty line."""
    from .formats._io import read_text

    return [ln.strip() for ln in read_text(path).splitlines() if ln.strip()]


def pretranslate(sources: Iterable[str], memory: Iterable[Segment], *, min_score: float = 70.0,
                 source_lang: str = "ar", target_lang: str = "en", origin: str = "ctlex-tm") -> Iterator[Segment]:
    """Each source with the best TM match at or above ``min_score`` (0–100) as its target.

    The memory is loaded into an in-memory :class:`ctlex.tm.Store` and searched with the TM's
    own fuzzy search, so scores mean what ``ctlex tm search`` reports (100 = the normalized texts
    are equal).  The match's own source and target travel in ``props`` (``match-quality``,
    ``match-source``, ``match-target``, ``match-origin``) for XLIFF's ``alt-trans``/``mtc:match``.
    """
    from .tm import Store

    with Store(":memory:") as store:
        store.add(m for m in memory if m.source.strip() and m.target.strip())
        for n, src in enumerate(sources, 1):
            found = store.search(src, min_score=min_score, limit=1) if src.strip() else []
            if not found:
                yield Segment(source=src, target="", source_lang=source_lang, target_lang=target_lang, id=str(n))
                continue
            m = found[0]
            props = {"match-quality": f"{round(m.score):d}", "match-source": m.source, "match-target": m.target,
                     "match-origin": m.origin or origin}
            yield Segment(source=src, target=m.target, source_lang=source_lang, target_lang=target_lang, id=str(n), props=props)


@dataclass
class ImportResult:
    """What ``ctlex import`` did: the file read, the merge report, and where the result went."""

    path: str
    format: str
    concepts: int
    into: str | None
    written: bool
    report: Any  # ctlex.merge.MergeReport
    read: Any = None  # ctlex.formats.ReadReport: what the reader skipped and warned about

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "concepts": self.concepts, "into": self.into,
                "written": self.written, **self.report.to_dict(),
                **({"read": self.read.to_dict()} if self.read is not None else {})}


def import_glossary(path: str | os.PathLike[str], format: str | None = None, *, into: str | os.PathLike[str] | None = None,
                    prefer: str = "ours", dry_run: bool = False) -> ImportResult:
    """Read ``path`` and merge it into ``into`` (created when missing), writing ``into`` atomically.

    Without ``into`` the file is merged into the glossary in use (``$CTLEX_GLOSSARY`` or the
    shipped one) in memory only: a report of what an import would do, nothing written.
    What the reader skipped or warned about is in ``ImportResult.read``; a file with no concept
    at all is a :class:`~ctlex.errors.ParseError` (nothing to import is never a silent success).
    """
    from . import formats
    from .glossary import load
    from .merge import merge

    spath = os.fspath(path)
    f = formats.get(format) if format else formats.for_path(spath)
    if not f.glossary:
        raise UnknownFormatError(f"{spath}: format {f.name!r} holds segments, not a glossary; use `ctlex tm import`")
    read = formats.ReadReport(spath)
    incoming = formats.read_glossary(spath, format=f.name, report=read)
    if not len(incoming):
        from .errors import ParseError

        why = "; ".join(line.split(": ", 1)[-1] for line in read.lines())
        raise ParseError("no concepts to import" + (f" ({why})" if why else ""), spath)
    if into is not None and Path(into).exists():
        base = formats.read_glossary(into)
    elif into is not None:
        base = Glossary(title=incoming.title)
    else:
        base = load(None)
    report = merge(base, incoming, prefer=prefer, ignore=getattr(f.load(), "CANNOT_CARRY", ()))  # type: ignore[arg-type]
    written = False
    if into is not None and not dry_run:
        formats.write_glossary(base, into)
        written = True
    return ImportResult(spath, f.name, len(incoming), os.fspath(into) if into is not None else None, written, report, read)
