"""XLSX term-base table (openpyxl) for Phrase, Matecat and memoQ/Trados Excel import.

The worksheet ``Glossary`` holds the same table as the CSV format (:mod:`ctlex.formats.csv`):
a header row of ``ID, Type, Subject, Definition, Note, Source`` and one column per language
code (``ar``, ``en`` …) plus ``<lang> Status``; one concept per row, synonyms separated by ``|``.

Arabic columns (and any right-to-left language) are right-aligned with reading order
right-to-left, so they display correctly in Excel and LibreOffice; the header row is bold and
frozen.  Every cell is a string cell, also one that starts with ``=`` (openpyxl would otherwise
store it as a live formula).  The file is deterministic: fixed document dates and fixed zip timestamps.

Reading takes the first worksheet (or one named ``Glossary``); errors name the row as the line.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any, Iterator

from ..errors import ParseError
from ..glossary import Glossary
from . import csv as table
from ._io import atomic_write, read_bytes

__all__ = ["CANNOT_CARRY", "sniff", "read", "write", "to_bytes"]

CANNOT_CARRY: frozenset[str] = table.CANNOT_CARRY
RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})
SHEET = "Glossary"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def sniff(head: bytes) -> bool:
    """A zip whose first entries are an Office Open XML workbook."""
    return head.startswith(b"PK\x03\x04") and (b"xl/" in head or b"[Content_Types].xml" in head and b"docProps" in head)


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGS


def to_bytes(glossary: Glossary, **options: Any) -> bytes:
    """The workbook as bytes, identical for identical glossaries."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    rtl = Alignment(horizontal="right", vertical="top", readingOrder=2, wrap_text=True)
    ltr = Alignment(horizontal="left", vertical="top", readingOrder=1, wrap_text=True)
    header: list[str] = []
    from openpyxl.utils.exceptions import IllegalCharacterError

    for r, row in enumerate(table.rows(glossary), 1):
        if r == 1:
            header = row
        try:
            ws.append(row)
        except IllegalCharacterError:
            from ..errors import CtlexError

            raise CtlexError(f"concept {row[0]!r}: a cell holds a control character a worksheet cannot carry; "
                             "remove it and export again") from None
        for cell in ws[r]:  # text is text: a leading "=" must not become a live formula
            if cell.data_type == "f":
                cell.data_type = "s"
    widths = {"ID": 22, "Type": 14, "Subject": 22, "Definition": 48, "Note": 30, "Source": 30}
    for i, h in enumerate(header, 1):
        lang = h[: -len(table.STATUS_SUFFIX)] if h.endswith(table.STATUS_SUFFIX) else h
        align = rtl if h not in table.FIXED and not h.endswith(table.STATUS_SUFFIX) and is_rtl(lang) else ltr
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = widths.get(h, 18 if h.endswith(table.STATUS_SUFFIX) else 36)
        for cells in ws.iter_rows(min_col=i, max_col=i, min_row=2):
            for cell in cells:
                cell.alignment = align
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.cell(row=1, column=i).alignment = align
    ws.freeze_panes = "A2"
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.creator = "ctlex"
    wb.properties.title = glossary.title
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return _normalize_zip(buf.getvalue(), fixed)


def _normalize_zip(data: bytes, fixed: Any) -> bytes:
    """Re-pack with fixed timestamps (openpyxl stamps the save time into the zip and docProps)."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            zi = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, body)
    return out.getvalue()


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    """Write the workbook atomically."""
    data = to_bytes(glossary, **options)
    with atomic_write(path, "wb") as f:
        f.write(data)


def read(path: str | os.PathLike[str], **options: Any) -> Glossary:
    """Read the first worksheet (or ``Glossary``) of an XLSX file as a term-base table."""
    spath = os.fspath(path)
    data = read_bytes(spath)
    if not data:
        raise ParseError("empty file", spath, 1)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise ParseError(f"not a readable XLSX workbook ({type(e).__name__}: {e})", spath) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]

        def cells() -> Iterator[tuple[int, list[Any]]]:
            for n, row in enumerate(ws.iter_rows(values_only=True), 1):
                yield n, list(row)

        return table.from_rows(cells(), spath, os.path.splitext(os.path.basename(spath))[0])
    finally:
        wb.close()
