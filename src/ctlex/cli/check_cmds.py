"""QA command: ``ctlex check FILE`` against the glossary."""

from __future__ import annotations

import click

from . import emit_json, glossary_option, json_option, load_glossary, style_option


def _mark(source: str, span: tuple[int, int] | None) -> str:
    if not span:
        return source
    s, e = span
    return f"{source[:s]}⟦{source[s:e]}⟧{source[e:]}"


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default=None, help="Format of FILE (default: by extension or content).")
@style_option
@glossary_option
@json_option
def check(file: str, fmt: str | None, style: str | None, glossary_path: str | None, as_json: bool) -> None:
    """Check a bilingual FILE (TMX, PO, XLIFF, TSV) against the glossary.

    Reports glossary terms missing from the translation, deprecated terms, forbidden terms
    (errors), translated do-not-translate terms, one source term rendered differently across
    segments, and numbers that differ between source and target.  With --style NAME that house
    style's term is the expected rendering.
    Exit status: 0 clean, 1 issues found, 2 bad input.

    \b
    Example:
      ctlex check translated.tmx
      ctlex check draft.po --json
      ctlex check un-draft.tmx --style UN
    """
    from ..qa import check_file

    g = load_glossary(glossary_path)
    report = check_file(file, g, fmt, style=style)
    if as_json:
        emit_json(report.to_dict())
    else:
        for i in report.issues:
            head = f"segment {i.segment}  {i.kind}" + (f"  {i.concept}" if i.concept else "") + ("  (error)" if i.severity == "error" else "")
            click.echo(head)
            click.echo(f"  source:   {_mark(i.source, i.span)}")
            click.echo(f"  target:   {i.target}")
            if i.expected:
                click.echo(f"  expected: {' | '.join(i.expected)}")
            if i.message:
                click.echo(f"  note:     {i.message}")
            click.echo("")
        counts = ", ".join(f"{n} {k}" for k, n in report.counts().items())
        click.echo(f"{report.segments} segments checked: " + (f"{len(report.issues)} issues ({counts})" if report.issues else "no issues"))
    if report.issues:
        click.get_current_context().exit(1)
