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
from typing import Any

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


# limits checked on the zip directory before anything is decompressed or parsed
MAX_MEMBER = 64 * 2**20  # bytes, uncompressed, per member
MAX_TOTAL = 256 * 2**20  # bytes, uncompressed, all members
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB (zip bombs)
MAX_MEMBERS = 10000


def _check_zip(data: bytes, spath: str) -> None:
    """Refuse what would make openpyxl crash or blow up, with one line: a broken or truncated zip,
    missing parts, a worksheet the workbook names but the zip lacks, oversized or over-compressed
    members, and any XML part that is malformed or declares/uses entities (XXE, billion laughs)."""
    from ._io import parse_xml

    if not data.startswith(b"PK"):
        raise ParseError("not an XLSX workbook (not a zip file)", spath)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise ParseError(f"not a readable XLSX workbook (broken or truncated zip: {e})", spath) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ParseError(f"XLSX zip has {len(infos)} members (more than {MAX_MEMBERS})", spath)
        total = 0
        for i in infos:
            total += i.file_size
            if i.file_size > MAX_MEMBER:
                raise ParseError(f"XLSX member {i.filename} is {i.file_size} bytes uncompressed (limit {MAX_MEMBER})", spath)
            if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise ParseError(f"XLSX member {i.filename} expands {i.file_size // max(i.compress_size, 1)}× (a zip bomb?)", spath)
            if i.flag_bits & 0x1:
                raise ParseError(f"XLSX member {i.filename} is encrypted", spath)
        if total > MAX_TOTAL:
            raise ParseError(f"XLSX members total {total} bytes uncompressed (limit {MAX_TOTAL})", spath)
        names = {i.filename for i in infos}
        for required in ("[Content_Types].xml", "xl/workbook.xml"):
            if required not in names:
                raise ParseError(f"not an XLSX workbook: the zip has no {required}", spath)
        parts: dict[str, Any] = {}
        for i in infos:
            if not i.filename.endswith((".xml", ".rels")):
                continue
            try:
                body = zf.read(i)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
                raise ParseError(f"XLSX member {i.filename} cannot be read ({e})", spath) from None
            parts[i.filename] = parse_xml(f"{spath}!{i.filename}", body)  # safe parse: malformed or entities → ParseError
    rels = parts.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        raise ParseError("not an XLSX workbook: the zip has no xl/_rels/workbook.xml.rels", spath)
    sheets = [r.get("Target") or "" for r in rels.getroot() if str(r.get("Type", "")).endswith("/worksheet")]
    if not sheets:
        raise ParseError("XLSX workbook has no worksheet", spath)
    for t in sheets:
        member = t.lstrip("/") if t.startswith("/") else "xl/" + t
        member = os.path.normpath(member).replace(os.sep, "/")
        if member not in names:
            raise ParseError(f"XLSX workbook names worksheet {t!r} but the zip has no {member}", spath)


def read(path: str | os.PathLike[str], *, report: Any = None, **options: Any) -> Glossary:
    """Read the first worksheet (or ``Glossary``) of an XLSX file as a term-base table.

    The zip is checked first (members, sizes, compression ratios, every XML part parsed safely):
    bad input is one :class:`ParseError`, never a crash inside openpyxl."""
    spath = os.fspath(path)
    data = read_bytes(spath)
    if not data:
        raise ParseError("empty file", spath, 1)
    _check_zip(data, spath)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
            rows = [(n, list(row)) for n, row in enumerate(ws.iter_rows(values_only=True), 1)]
        finally:
            wb.close()
    except Exception as e:  # openpyxl raises anything on a damaged workbook; the zip checks above catch the known cases
        raise ParseError(f"not a readable XLSX workbook ({type(e).__name__}: {e})", spath) from None
    for n, row in rows:
        for v in row:
            if isinstance(v, str) and "\x00" in v:
                raise ParseError("NUL character in a cell", spath, n)
    g = table.from_rows(rows, spath, os.path.splitext(os.path.basename(spath))[0], report)
    if not len(g) and report is not None:
        report.warn("no concepts: the sheet has a header and no rows")
    return g
