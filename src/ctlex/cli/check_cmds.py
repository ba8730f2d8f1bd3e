"""QA command: ``ctlex check FILE`` against the glossary."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import emit_json, glossary_option, json_option, load_glossary, style_option
from ._render import is_terminal, progress

_REPORTS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".json": "json"}


def _mark(text: str, span: tuple[int, int] | None) -> str:
    if not span:
        return text
    s, e = span
    return f"{text[:s]}⟦{text[s:e]}⟧{text[e:]}"


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default=None, help="Format of FILE (default: by extension or content).")
@style_option
@glossary_option
@json_option
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="Lowest severity that makes the exit status 1.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Also write a report: .html (self-contained, for review), .xlsx or .json.")
@click.option("--ignore", "ignore_path", type=click.Path(dir_okay=False), default=None,
              help="Suppressions (TSV: segment-or-source-text, concept, kind) a reviewer accepted.")
@click.option("--write-ignore", "write_ignore", type=click.Path(dir_okay=False), default=None,
              help="Write every issue found as suppressions to this TSV file.")
def check(file: str, fmt: str | None, glossary_path: str | None, as_json: bool, style: str | None, fail_on: str,
          output: str | None, ignore_path: str | None, write_ignore: str | None) -> None:
    """Check a bilingual FILE (TMX, PO, XLIFF, TSV) against the glossary.

    Reports glossary terms missing, misspelt, deprecated or forbidden in the translation,
    do-not-translate terms translated, untranslated segments, numbers that differ between source
    and target, inconsistent renderings across the file, and translate-toolkit's generic checks
    (doubled words, brackets, end punctuation, URLs, e-mails).  Each issue has a severity:
    error, warning or info.

    Exit status: 0 clean, 1 issues at or above --fail-on, 2 bad input.

    \b
    Example:
      ctlex check translated.tmx
      ctlex check draft.po --json --fail-on error
      ctlex check draft.tmx -o review.html --write-ignore accepted.tsv
      ctlex check draft.tmx --ignore accepted.tsv
      ctlex check un-draft.tmx --style UN
    """
    from ..errors import CtlexError
    from ..qa import check_file
    from ..qa import ignore as ig

    report_kind = None
    if output:
        report_kind = _REPORTS.get(Path(output).suffix.lower())
        if report_kind is None:
            raise CtlexError(f"{output}: unknown report type (use {', '.join(sorted(_REPORTS))})")
    suppressions = ig.load(ignore_path) if ignore_path else None
    g = load_glossary(glossary_path)
    if is_terminal(sys.stderr):  # a long check shows how far it got
        from ..formats import read_segments
        from ..qa import check as run_check

        report = run_check(progress(read_segments(file, fmt), "checking segments"), g, style=style)
    else:
        report = check_file(file, g, fmt, style=style)
    try:
        if write_ignore:
            n = ig.write(report, write_ignore)
            click.echo(f"{n} suppression rows written to {write_ignore}", err=True)
        if suppressions is not None:
            report = ig.apply(report, suppressions)
        if report_kind == "html":
            from ..qa import html

            html.write(report, output, title=f"ctlex check: {Path(file).name}")  # type: ignore[arg-type]
        elif report_kind == "xlsx":
            from ..qa import xlsx

            xlsx.write(report, output)  # type: ignore[arg-type]
        elif report_kind == "json":
            import json

            from ..formats._io import atomic_write

            with atomic_write(output) as f:  # type: ignore[arg-type]
                json.dump(report.to_dict(), f, ensure_ascii=False, indent=2)
                f.write("\n")
    except OSError as e:
        raise CtlexError(f"{e.filename or output or write_ignore}: cannot write ({e.strerror})") from None
    if as_json:
        emit_json(report.to_dict())
    else:
        for i in report.issues:
            head = f"segment {i.segment}  {i.severity}  {i.kind}" + (f"  {i.concept}" if i.concept else "")
            click.echo(head)
            click.echo(f"  source:   {_mark(i.source, i.span)}")
            click.echo(f"  target:   {_mark(i.target, i.target_span)}")
            if i.expected:
                click.echo(f"  expected: {' | '.join(i.expected)}")
            if i.message:
                click.echo(f"  note:     {i.message}")
            click.echo("")
        counts = ", ".join(f"{n} {k}" for k, n in report.counts().items())
        sev = ", ".join(f"{n} {s}" for s, n in report.severity_counts().items())
        line = f"{report.segments} segments checked: " + (f"{len(report.issues)} issues ({sev}; {counts})" if report.issues else "no issues")
        if report.suppressed:
            line += f"; {report.suppressed} suppressed"
        click.echo(line)
        if output:
            click.echo(f"report written to {output}")
    if report.fails(fail_on):
        click.get_current_context().exit(1)
