"""CSV term-base table for memoQ, Trados/MultiTerm and Phrase import: one concept per row.

The header names the columns; language columns are named by their language code (``ar``,
``en`` or whatever ``--lang-tags`` asked for, e.g. ``en-US``)::

    ID,Type,Subject,Definition,Note,Source,ar,ar Status,en,en Status

* A language cell holds all the concept's terms in that language, separated by ``|`` (the
  synonym separator Trados uses by default; in memoQ tick *Split alternatives in field by* ``|``).
* The ``<lang> Status`` cell holds their statuses in the same order (``preferred|admitted``), so
  ctlex reads them back; CAT tools may ignore or map that column.
* ``Note`` holds the concept's notes one per line; ``Source`` holds ``file: sentence`` lines.
* Language columns come source language (``ar``) first, then ``en``, then any others.

The file is UTF-8 **with a BOM** (Excel then opens Arabic correctly; LibreOffice asks: choose
*Unicode (UTF-8)*), comma-separated, ``\\r\\n`` line ends, every field quoted as needed by RFC 4180.
A cell that a spreadsheet would run as a formula (leading ``= + - @``, tab or CR) is written with a
leading ``'`` (:func:`neutralise`), which reading removes again.  :data:`CANNOT_CARRY` lists what is lost.
The same table, as a worksheet, is the XLSX format (:mod:`ctlex.formats.xlsx`).
"""

from __future__ import annotations

import io
import os
import re
from typing import Any, Iterable, Iterator, Sequence

from ..errors import CtlexError, ParseError
from ..glossary import STATUSES, Concept, Glossary, Source, Term, unique_id
from ._io import atomic_write, read_text
from .report import ReadReport

__all__ = ["CANNOT_CARRY", "SYNONYM_SEP", "sniff", "read", "write", "rows", "from_rows"]

#: Model fields the table cannot carry (names as used by the conformance tests).
CANNOT_CARRY: frozenset[str] = frozenset(
    {"concept.extra", "term.pos", "term.term_type", "term.note", "term.extra", "term.styles", "term.usage", "term.exclude", "term.order.across-languages",
     "note.linebreaks"}
)
SYNONYM_SEP = "|"
FIXED = ("ID", "Type", "Subject", "Definition", "Note", "Source")
STATUS_SUFFIX = " Status"


def sniff(head: bytes) -> bool:
    """A first line starting with the ctlex header (``ID,Type,…``) — other CSVs need ``--format``."""
    text = head[:4096].decode("utf-8-sig", errors="ignore").lstrip()
    return text.startswith("ID,Type,") or text.startswith('"ID","Type",')


# ---------------------------------------------------------------------------------------------
# the table, shared with xlsx
# ---------------------------------------------------------------------------------------------


def languages(glossary: Glossary) -> list[str]:
    """Language columns: the source language, then English, then the others in order of appearance."""
    seen: dict[str, None] = {glossary.source_lang: None, "en": None}  # the two columns are always there
    for c in glossary:
        for t in c.terms:
            seen.setdefault(t.lang, None)
    src = glossary.source_lang

    def rank(lang: str) -> tuple[int, int]:
        base = lang.split("-")[0].lower()
        return (0 if base == src else 1 if base == "en" else 2, list(seen).index(lang))

    langs = sorted(seen, key=rank)
    # a base column ("en") stays only if no tagged variant ("en-US") holds the terms
    return [x for x in langs if "-" in x or not any(y.split("-")[0].lower() == x.lower() and y != x for y in langs)]


def rows(glossary: Glossary) -> Iterator[list[str]]:
    """The header row, then one row per concept (all cells strings)."""
    langs = languages(glossary)
    header = list(FIXED)
    for lang in langs:
        header += [lang, lang + STATUS_SUFFIX]
    yield header
    for c in glossary:
        row = [c.id, c.type, c.subject or "", c.definition or "", "\n".join(c.notes),
               "\n".join(f"{s.file}: {s.sentence}" if s.sentence else s.file for s in c.sources)]
        for lang in langs:
            ts = [t for t in c.terms if t.lang == lang]
            for t in ts:
                if SYNONYM_SEP in t.text:
                    raise CtlexError(f"concept {c.id!r}: term {t.text!r} contains the synonym separator {SYNONYM_SEP!r}")
            row += [SYNONYM_SEP.join(t.text for t in ts), SYNONYM_SEP.join(t.status for t in ts)]
        yield row


def from_rows(table: Iterable[tuple[int, Sequence[Any]]], path: str, title: str, report: ReadReport | None = None, *, quoted: bool = False) -> Glossary:
    """Concepts from ``(line, cells)`` pairs; the first pair is the header.

    A missing or invalid ID is derived (``c<N>``, or from the invalid value) with a warning; a term
    without a status cell gets the table's convention (first preferred, others admitted) flagged
    as not given (``Term.status_given``), so a merge never takes it as a demotion.  ``quoted``:
    cells were written through :func:`neutralise` (CSV) and are restored."""
    it = iter(table)
    try:
        hline, header = next(it)
    except StopIteration:
        raise ParseError("empty file: no header row", path, 1) from None
    header = [(h or "").strip() if isinstance(h, str) or h is None else str(h) for h in header]
    lower = [h.lower() for h in header]
    if "id" not in lower:
        raise ParseError(f"header has no ID column (found: {', '.join(h for h in header if h) or 'nothing'})", path, hline)
    col = {name: lower.index(name.lower()) for name in FIXED if name.lower() in lower}
    fixed = {n.lower() for n in FIXED}
    lang_cols = [(i, h) for i, h in enumerate(header) if h and h.lower() not in fixed and not h.endswith(STATUS_SUFFIX)]
    status_col = {h[: -len(STATUS_SUFFIX)]: i for i, h in enumerate(header) if h.endswith(STATUS_SUFFIX)}
    if not lang_cols:
        raise ParseError("header has no language column (e.g. ar, en)", path, hline)
    g = Glossary(title=title)
    for line, cells in it:
        cells = ["" if v is None else restore(str(v)) if quoted else str(v) for v in cells]
        if not any(v.strip() for v in cells):
            continue

        def cell(name: str) -> str:
            i = col.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        raw_id = cell("ID")
        if raw_id and raw_id in g:
            raise ParseError(f"duplicate ID {raw_id!r}", path, line)
        try:
            c = Concept(id=raw_id or unique_id(f"c{len(g) + 1}", g))
        except CtlexError:
            base = re.sub(r"[^\w.\-]+", "-", raw_id).strip("-.") or "c"
            c = Concept(id=unique_id(base if base[0].isalpha() or base[0] == "_" else "c-" + base, g))
            if report is not None:
                report.warn(f"ID {raw_id!r} is not a valid XML id; read as {c.id!r}", line)
        else:
            if not raw_id and report is not None:
                report.warn(f"row without ID; read as {c.id!r}", line)
        c.type = cell("Type") or "term"
        c.subject = cell("Subject") or None
        c.definition = cell("Definition") or None
        c.notes = [n for n in cell("Note").split("\n") if n.strip()]
        for s in (s for s in cell("Source").split("\n") if s.strip()):
            f, _, sentence = s.partition(": ")
            c.sources.append(Source(f.strip(), sentence.strip()))
        for i, lang in lang_cols:
            texts = _split(cells[i] if i < len(cells) else "")
            si = status_col.get(lang)
            statuses = _split(cells[si] if si is not None and si < len(cells) else "")
            if statuses and len(statuses) != len(texts):
                raise ParseError(f"{lang}: {len(texts)} terms but {len(statuses)} statuses", path, line)
            for k, text in enumerate(texts):
                status = statuses[k] if statuses else ("preferred" if k == 0 else "admitted")
                if status not in STATUSES:
                    raise ParseError(f"{lang}: unknown status {status!r} (known: {', '.join(STATUSES)})", path, line)
                c.terms.append(Term(text, lang, status, status_given=bool(statuses)))
        if not c.terms:
            raise ParseError(f"concept {c.id!r} has no terms", path, line)
        g.add(c)
    return g


#: A cell starting with one of these is a formula (or DDE payload) in Excel/LibreOffice/Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not evaluate: ``'`` before a leading ``= + - @``, tab or CR
    (the OWASP CSV-injection rule; spreadsheets show the text without the quote).  A cell that
    already starts with ``'`` and one of those (or a second ``'``) gets one more, so
    :func:`restore` is exact."""
    if cell.startswith(FORMULA_START) or (cell.startswith("'") and cell[1:2] and cell[1:2] in (*FORMULA_START, "'")):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`."""
    if cell.startswith("'") and cell[1:2] and cell[1:2] in (*FORMULA_START, "'"):
        return cell[1:]
    return cell


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SYNONYM_SEP) if v.strip()]


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    """Write the table as UTF-8-with-BOM CSV (comma, ``\\r\\n``) atomically."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows(glossary):
        w.writerow([neutralise(c) for c in r])
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())


def read(path: str | os.PathLike[str], *, report: ReadReport | None = None, **options: Any) -> Glossary:
    """Read a CSV table (comma, semicolon or tab delimited; header required)."""
    import csv

    spath = os.fspath(path)
    text = read_text(spath)
    if not text.strip():
        raise ParseError("empty file", spath, 1)
    first = text.split("\n", 1)[0]
    delim = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)

    def table() -> Iterator[tuple[int, list[str]]]:
        start = 1
        try:
            for r in reader:
                yield start, r
                start = reader.line_num + 1
        except csv.Error as e:
            raise ParseError(f"malformed CSV: {e}", spath, reader.line_num) from None

    g = from_rows(table(), spath, os.path.splitext(os.path.basename(spath))[0], report, quoted=True)
    if not len(g) and report is not None:
        report.warn("no concepts: the table has a header and no rows", 1)
    if not text.endswith(("\n", "\r")) and report is not None:
        report.warn("the last row has no line end: the file may be truncated", text.count("\n") + 1)
    return g
