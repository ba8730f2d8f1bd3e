"""A self-contained HTML report of a :class:`~ctlex.qa.report.QAReport`, for a reviewer.

One file, no network: CSS and JavaScript are inline, no fonts or scripts are fetched.  Each issue
is a row with the Arabic source (``dir="rtl"``) beside the English target, the term highlighted
on both sides (``<mark>``), the expected renderings and the note.  Check boxes filter by kind and
by severity; counts per kind and severity are shown, and the number of rows shown is kept up to
date.  A URL fragment such as ``#kind=missing-term&severity=error`` preselects the filters.
"""

from __future__ import annotations

import os
from html import escape

from .report import KINDS, SEVERITIES, Issue, QAReport

__all__ = ["render", "write"]

_CSS = """
:root { --err:#b3261e; --warn:#8a5a00; --info:#315f8a; --mark:#ffe08a; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; margin: 0; color: #1d1d1d; background: #fafafa; }
header { padding: 16px 24px 8px; background: #fff; border-bottom: 1px solid #ddd; position: sticky; top: 0; z-index: 2; }
h1 { font-size: 20px; margin: 0 0 6px; }
.summary { font-size: 14px; color: #444; margin: 0 0 8px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; align-items: center; }
.filters fieldset { border: 1px solid #ddd; border-radius: 6px; padding: 4px 10px; margin: 0; }
.filters legend { font-weight: 600; padding: 0 4px; }
.filters label { margin-right: 10px; white-space: nowrap; cursor: pointer; }
.count { display: inline-block; min-width: 1.6em; padding: 0 5px; border-radius: 9px; background: #eee; text-align: center; font-size: 12px; }
main { padding: 12px 24px 40px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; table-layout: fixed; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #555; }
col.seg { width: 7%; } col.sev { width: 7%; } col.kind { width: 11%; } col.src { width: 27%; } col.tgt { width: 27%; } col.exp { width: 21%; }
td.src { direction: rtl; text-align: right; font-size: 16px; line-height: 1.7; font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", serif; }
td.tgt { line-height: 1.5; }
mark { background: var(--mark); padding: 0 2px; border-radius: 3px; }
.sev { font-weight: 700; font-size: 12px; text-transform: uppercase; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-info { color: var(--info); }
.kind { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.concept { display: block; color: #666; font-size: 12px; margin-top: 3px; word-break: break-all; }
.expected { margin: 0; padding-left: 16px; }
.note { color: #555; font-size: 12px; margin-top: 6px; }
tr.hidden { display: none; }
.empty { padding: 24px; color: #666; }
"""

_JS = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.issue'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  function wanted(name) {
    var on = {};
    boxes.forEach(function (b) { if (b.dataset.filter === name && b.checked) on[b.value] = true; });
    return on;
  }
  function update() {
    var kinds = wanted('kind'), sevs = wanted('severity'), shown = 0;
    rows.forEach(function (r) {
      var ok = kinds[r.dataset.kind] && sevs[r.dataset.severity];
      r.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = String(shown);
    document.body.setAttribute('data-shown', String(shown));
  }
  var frag = (location.hash || '').replace(/^#/, '');
  if (frag) {
    frag.split('&').forEach(function (part) {
      var kv = part.split('='), name = decodeURIComponent(kv[0] || ''), vals = decodeURIComponent(kv[1] || '').split(',');
      var any = boxes.some(function (b) { return b.dataset.filter === name; });
      if (any) boxes.forEach(function (b) { if (b.dataset.filter === name) b.checked = vals.indexOf(b.value) >= 0; });
    });
  }
  boxes.forEach(function (b) { b.addEventListener('change', update); });
  update();
  document.body.setAttribute('data-ready', '1');
})();
"""


def _marked(text: str, span: tuple[int, int] | None) -> str:
    if not span or not (0 <= span[0] < span[1] <= len(text)):
        return escape(text)
    s, e = span
    return f"{escape(text[:s])}<mark>{escape(text[s:e])}</mark>{escape(text[e:])}"


def _row(i: Issue) -> str:
    exp = "".join(f"<li>{escape(x)}</li>" for x in i.expected)
    concept = f'<span class="concept">{escape(i.concept)}</span>' if i.concept else ""
    note = f'<div class="note">{escape(i.message)}</div>' if i.message else ""
    return (
        f'<tr class="issue" data-kind="{escape(i.kind)}" data-severity="{escape(i.severity)}">'
        f'<td>{escape(str(i.segment))}</td>'
        f'<td><span class="sev sev-{escape(i.severity)}">{escape(i.severity)}</span></td>'
        f'<td><span class="kind">{escape(i.kind)}</span>{concept}</td>'
        f'<td class="src" dir="rtl" lang="ar">{_marked(i.source, i.span)}</td>'
        f'<td class="tgt" dir="ltr" lang="en">{_marked(i.target, i.target_span)}</td>'
        f'<td>{"<ul class=expected>" + exp + "</ul>" if exp else ""}{note}</td>'
        "</tr>"
    )


def render(report: QAReport, *, title: str = "ctlex check") -> str:
    """The report as one HTML document (a string)."""
    counts = report.counts()
    sevs = report.severity_counts()
    kind_boxes = "".join(
        f'<label><input type="checkbox" data-filter="kind" value="{k}" checked> {k} <span class="count" data-count-kind="{k}">{counts[k]}</span></label>'
        for k in KINDS if k in counts
    )
    sev_boxes = "".join(
        f'<label><input type="checkbox" data-filter="severity" value="{s}" checked> {s} <span class="count" data-count-severity="{s}">{sevs.get(s, 0)}</span></label>'
        for s in SEVERITIES
    )
    summary = (f"{report.segments} segments checked; {len(report.issues)} issues"
               + (f"; {report.suppressed} suppressed" if report.suppressed else "")
               + f'; <span id="shown">{len(report.issues)}</span> shown')
    body = "".join(_row(i) for i in report.issues)
    table = (
        '<table><colgroup><col class="seg"><col class="sev"><col class="kind"><col class="src"><col class="tgt"><col class="exp"></colgroup>'
        "<thead><tr><th>Segment</th><th>Severity</th><th>Kind / concept</th><th>Source (Arabic)</th><th>Target (English)</th>"
        f"<th>Expected / note</th></tr></thead><tbody>{body}</tbody></table>"
        if report.issues else '<p class="empty">No issues.</p>'
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<meta name=\"viewport\" content=\"width=device-width\"><title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><header><h1>{escape(title)}</h1><p class=\"summary\">{summary}</p>"
        f'<div class="filters"><fieldset><legend>Severity</legend>{sev_boxes}</fieldset>'
        f"<fieldset><legend>Kind</legend>{kind_boxes or 'none'}</fieldset></div></header>"
        f"<main>{table}</main><script>{_JS}</script></body></html>\n"
    )


def write(report: QAReport, path: str | os.PathLike[str], *, title: str = "ctlex check") -> None:
    """Write :func:`render` to ``path`` atomically."""
    from ..formats._io import atomic_write

    with atomic_write(path) as f:
        f.write(render(report, title=title))
