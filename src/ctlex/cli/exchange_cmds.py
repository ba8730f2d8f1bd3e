"""Exchange commands: export, import, validate (thin over :mod:`ctlex.exchange` and :mod:`ctlex.validate`)."""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Iterable

import click

from . import emit_json, glossary_option, json_option, load_glossary, style_option, tm_option

EXPORT_FORMATS = ["tbx", "tbx2", "po", "tsv", "csv", "xlsx", "tmx", "xliff"]
TM_FORMATS = {"tmx", "xliff"}


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format (default: from the extension of -o; a contradicting extension is refused).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write (atomically).")
@click.option("--lang-tags", default=None, help="Language tags to write, e.g. ar,en-US (default: ar,en).")
@click.option("--tm-file", "tm_paths", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="tmx/xliff: segments from these exchange files (TMX, PO, TSV, XLIFF; repeatable). "
              "Default: the TM shipped with ctlex.")
@tm_option(help="tmx/xliff: segments from this translation memory (an SQLite file or postgresql:// URL, as in "
           "ctlex tm) instead of --tm-file files.")
@click.option("--source", "source_doc", type=click.Path(exists=True, dir_okay=False), default=None,
              help="xliff: a plain-text document (one segment per line) to pre-translate from the TM.")
@click.option("--xliff-version", type=click.Choice(["1.2", "2.0"]), default="1.2", show_default=True)
@click.option("--xliff-flavour", type=click.Choice(["standard", "omegat"]), default="standard", show_default=True,
              help="xliff: 'omegat' writes what OmegaT's XLIFF filter reads (the source copied into <target>; "
              "the TM match kept in <alt-trans>).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True,
              help="xliff --source: lowest TM match score used as a pre-translation.")
@style_option
@glossary_option
@json_option
def export(fmt: str | None, output: str, lang_tags: str | None, tm_paths: tuple[str, ...], tm_path: str | None,
           source_doc: str | None, xliff_version: str, xliff_flavour: str, min_score: float, style: str | None,
           glossary_path: str | None, as_json: bool) -> None:
    """Export the glossary (tbx, tbx2, po, tsv, csv, xlsx) or the TM (tmx, xliff) for a CAT tool.

    \b
    Example:
      ctlex export --format tbx2 -o glossary.tbx
      ctlex export --format csv -o memoq.csv --lang-tags ar,en-US
      ctlex export --format tmx -o tm.tmx --tm-file tm/articles.tmx
      ctlex export --format xliff -o mine.xlf --tm my-tm.sqlite
      ctlex export --format xliff -o doc.xlf --source doc.txt --xliff-version 2.0
      ctlex export --format xliff -o omegat/source/doc.xlf --source doc.txt --xliff-flavour omegat
      ctlex export --format po -o un.po --style UN

    With --style NAME the style's terms are written as the preferred ones (the glossary's
    preferred term stays, admitted); house styles are kept in every format that carries them.
    Which file suits which CAT tool: docs/formats.md.  On a terminal, long exports show progress.
    """
    from .. import exchange
    from ._render import progress

    tags = exchange.parse_lang_tags(lang_tags)
    name = fmt or _format_name(output)
    if fmt:
        _refuse_mismatch(fmt, output)
    if name in TM_FORMATS:
        if tm_path is not None and tm_paths:
            raise click.UsageError("give --tm (a translation memory) or --tm-file (exchange files), not both")
        with contextlib.ExitStack() as stack:
            if tm_path is not None:
                from ..tm import open_tm

                store = stack.enter_context(open_tm(tm_path, create=False))
                source: Iterable[Any] = store.segments()
            else:
                source = exchange.tm_segments(tm_paths)
            if source_doc is not None:
                lines = exchange.source_lines(source_doc)
                segs = progress(exchange.pretranslate(lines, source, min_score=min_score),
                                "pre-translating", total=len(lines), every=20)
            else:
                segs = progress(source, "exporting segments")
            opts: dict[str, str] = {"version": xliff_version, "flavour": xliff_flavour} if name == "xliff" else {}
            result = exchange.export_segments(segs, output, name, lang_tags=tags, **opts)
        summary = f"{result['segments']} segments"
    else:
        if tm_paths or tm_path or source_doc:
            raise click.UsageError(f"--tm, --tm-file and --source are for tmx/xliff exports, not {name}")
        result = exchange.export_glossary(load_glossary(glossary_path), output, name, lang_tags=tags, style=style)
        summary = f"{result['concepts']} concepts, {result['terms']} terms"
    if as_json:
        emit_json(result)
    else:
        click.echo(f"wrote {result['path']} ({result['format']}): {summary}")


def _format_name(path: str) -> str:
    from ..formats import for_path

    return for_path(path, head=b"").name


def _refuse_mismatch(fmt: str, output: str) -> None:
    """``--format tmx -o x.tbx`` is a mistake, not a wish: refuse an extension another format owns."""
    from ..formats import FORMATS

    lower = output.lower()
    if any(lower.endswith(ext) for ext in FORMATS[fmt].extensions):
        return
    if fmt == "tbx2" and lower.endswith(".tbx"):
        return  # TBX 2008 under .tbx is what OmegaT and MultiTerm need
    owners = sorted({f.name for f in FORMATS.values() for ext in f.extensions if lower.endswith(ext)})
    if owners:
        raise click.UsageError(
            f"-o {output}: the extension is for {'/'.join(owners)}, not {fmt} "
            f"(use a {' or '.join(FORMATS[fmt].extensions)} name{' or .tbx' if fmt == 'tbx2' else ''})")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default=None, help="Input format (default: from the extension or content).")
@click.option("--into", type=click.Path(dir_okay=False), default=None,
              help="Glossary to merge into and rewrite (created if missing). Without it: report only.")
@click.option("--prefer", type=click.Choice(["ours", "theirs"]), default="ours", show_default=True,
              help="On conflicting values keep the existing (ours) or take the imported (theirs); both are reported.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@json_option
def import_(file: str, fmt: str | None, into: str | None, prefer: str, dry_run: bool, as_json: bool) -> None:
    """Import a glossary file (any glossary format) and merge it by concept id or matching terms.

    Reports what was added, changed and conflicting; conflicting values are never overwritten
    silently.

    \b
    Example:
      ctlex import reviewed.csv --into glossary/ctlex.tbx
      ctlex import omegat-glossary.utf8 --into my.tbx --dry-run --json
    """
    from ..exchange import import_glossary

    res = import_glossary(file, fmt, into=into, prefer=prefer, dry_run=dry_run)
    if as_json:
        emit_json(res.to_dict())
        return
    r = res.report
    s = r.summary()
    click.echo(f"{res.path} ({res.format}): {res.concepts} concepts read")
    for line in (res.read.lines() if res.read is not None else []):
        click.echo(line, err=True)
    click.echo(f"added {s['added']}, changed {s['changed']}, conflicts {s['conflicts']}, unchanged {s['unchanged']}")
    for c in r.changes:
        old = f"{c.old!r} → " if c.old is not None else ""
        click.echo(f"  changed  {c.concept}  {c.field}: {old}{c.new!r} ({c.detail})")
    for c in r.conflicts:
        click.echo(f"  CONFLICT {c.concept}  {c.field}: ours {c.old!r}, theirs {c.new!r} ({c.detail})")
    if res.written:
        click.echo(f"wrote {res.into}")
    else:
        click.echo("nothing written" + ("" if into else " (give --into GLOSSARY to write)"))


@click.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default=None, help="Format (default: from the extension or content).")
@json_option
def validate(file: str, fmt: str | None, as_json: bool) -> None:
    """Validate FILE: TBX against the TBX core RelaxNG and the TBX-Basic Schematron, TMX against
    its DTD, every format with ctlex's reader.  Each problem is listed with its line.

    Exit status 0 when valid, 1 when problems were found, 2 on bad usage.

    \b
    Example:
      ctlex validate glossary/ctlex.tbx
      ctlex validate export.tmx --json
    """
    from ..validate import validate as run

    report = run(file, fmt)
    if as_json:
        emit_json(report.to_dict())
    else:
        for p in report.problems:
            click.echo(p.format(report.path))
        for check, why in report.skipped.items():
            click.echo(f"{report.path}: {check} skipped: {why}", err=True)
        status = "valid" if report.valid else f"{len(report.problems)} problem(s)"
        click.echo(f"{report.path}: {status} ({report.format}; checks: {', '.join(report.checks)})")
    if not report.valid:
        sys.exit(1)
