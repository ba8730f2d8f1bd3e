"""An XLSX workbook of a :class:`~ctlex.qa.report.QAReport`, for review in a spreadsheet (openpyxl).

Sheet ``Issues``: one row per issue (segment, severity, kind, concept, source term, Arabic
source, English target, found, expected, note), the Arabic columns right-to-left, a frozen header
row, an auto-filter over all columns and a ``decision`` column left empty for the reviewer.
Sheet ``Counts``: issues per kind and per severity.
"""

from __future__ import annotations

import io
import os

from .report import QAReport

__all__ = ["COLUMNS", "to_bytes", "write"]

COLUMNS = ("segment", "severity", "kind", "concept", "source term", "source (Arabic)", "target (English)", "found", "expected", "note", "decision")
_RTL = {"source term", "source (Arabic)"}
_WIDTH = {"segment": 12, "severity": 10, "kind": 18, "concept": 28, "source term": 24, "source (Arabic)": 60,
          "target (English)": 60, "found": 22, "expected": 36, "note": 48, "decision": 16}


def to_bytes(report: QAReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Issues"
    ws.append(list(COLUMNS))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="EEEEEE")
    for i in report.issues:
        ws.append([
            str(i.segment), i.severity, i.kind, i.concept or "", i.source_term or "", i.source, i.target, i.found or "",
            " | ".join(i.expected), i.message, "",
        ])
    rtl = Alignment(horizontal="right", vertical="top", wrap_text=True, readingOrder=2)
    ltr = Alignment(horizontal="left", vertical="top", wrap_text=True, readingOrder=1)
    for n, name in enumerate(COLUMNS, 1):
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = _WIDTH[name]
        for cell in ws[letter][1:]:
            cell.alignment = rtl if name in _RTL else ltr
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(report.issues) + 1)}"
    cs = wb.create_sheet("Counts")
    cs.append(["kind", "issues"])
    for k, v in report.counts().items():
        cs.append([k, v])
    cs.append([])
    cs.append(["severity", "issues"])
    for k, v in report.severity_counts().items():
        cs.append([k, v])
    cs.append([])
    cs.append(["segments checked", report.segments])
    cs.append(["suppressed", report.suppressed])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(report: QAReport, path: str | os.PathLike[str]) -> None:
    """Write the workbook atomically."""
    from ..formats._io import atomic_write

    data = to_bytes(report)
    with atomic_write(path, "wb") as f:
        f.write(data)
