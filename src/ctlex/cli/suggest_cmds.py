"""Suggestion commands: ``ctlex suggest TERM`` and ``ctlex suggest --new``."""

from __future__ import annotations

import click

from . import emit_json, glossary_option, json_option, load_glossary
from ._render import table


def _aligned(tm_paths: tuple[str, ...], fmt: str | None):  # type: ignore[no-untyped-def]
    from ..data import tm_files
    from ..errors import NotFoundError
    from ..suggest import AlignedSet

    paths = list(tm_paths) or [str(p) for p in tm_files()]
    if not paths:
        raise NotFoundError("no translation memory found: give --tm-file FILE (TMX, PO, XLIFF, TSV)")
    return AlignedSet.from_paths(paths, fmt)


@click.command()
@click.argument("term", required=False)
@click.option("--tm-file", "tm_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Aligned segments (TMX, PO, XLIFF, TSV); repeatable. Default: the shipped tm/*.tmx.")
# the old spelling: --tm names the SQLite TM in the tm commands, so the file option is --tm-file
@click.option("--tm", "tm_legacy", multiple=True, type=click.Path(dir_okay=False), hidden=True)
@click.option("--format", "fmt", default=None, help="Format of the --tm-file files (default: by extension or content).")
@click.option("--new", "new", is_flag=True, help="Propose entries for recurring Arabic terms the glossary lacks.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="With --new: write the proposals as a draft glossary (.po or .tbx), all terms admitted.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--min-count", type=click.IntRange(1, 1000), default=2, show_default=True, help="With --new: segments a term must occur in.")
@glossary_option
@json_option
def suggest(term: str | None, tm_paths: tuple[str, ...], tm_legacy: tuple[str, ...], fmt: str | None, new: bool, output: str | None, limit: int,
            min_count: int, glossary_path: str | None, as_json: bool) -> None:
    """Suggest English renderings of an Arabic TERM from aligned segments.

    Candidates are English phrases of the segments whose source holds TERM (any spelling, with
    clitics), ranked by association over the whole set, transliteration likeness for names, and
    agreement with the glossary.  With --new, propose glossary entries (status admitted, for
    review) for recurring Arabic terms and names the glossary lacks.

    \b
    Example:
      ctlex suggest "المنتدى العالمي لمكافحة الإرهاب" --json
      ctlex suggest يوروبول --tm-file articles.tmx
      ctlex suggest --new --tm-file articles.tmx -o draft.po
    """
    from ..errors import CtlexError

    if new == bool(term):
        raise CtlexError("give either TERM or --new")
    if output and not new:
        raise CtlexError("-o/--output goes with --new")
    g = load_glossary(glossary_path)
    aligned = _aligned(tm_paths + tm_legacy, fmt)
    if new:
        from ..suggest import draft_glossary, suggest_new

        entries = suggest_new(aligned, g, min_count=min_count)
        if output:
            from ..formats import write_glossary

            write_glossary(draft_glossary(entries, g), output)
        if as_json:
            emit_json({"entries": [e.to_dict() for e in entries], "segments": len(aligned), "output": output})
            return
        if entries:
            rows = [(e.ar, e.en, f"{e.score:.2f}", e.count, ", ".join(e.examples)) for e in entries]
            click.echo(table(("ar", "en", "score", "n", "examples"), rows))
        click.echo(f"{len(entries)} proposed entries from {len(aligned)} segments (status admitted, for review)"
                   + (f"; written to {output}" if output else ""))
        return
    from ..suggest import suggest as run

    assert term is not None
    r = run(term, aligned, g, limit=limit)
    if as_json:
        emit_json(r.to_dict())
        return
    if r.concept:
        click.echo(f"glossary: {r.concept} (preferred: {r.preferred})")
    if not r.suggestions:
        click.echo(f"{term!r} occurs in none of the {len(aligned)} segments")
        return
    ranked = [(f"{s.score:.2f}", s.count, s.en + (f" ({s.acronym})" if s.acronym else ""), s.glossary or "", ", ".join(s.examples))
            for s in r.suggestions]
    click.echo(table(("score", "n", "en", "glossary", "examples"), ranked))
    click.echo(f"\n{term!r} occurs in {r.segments} of {len(aligned)} segments")
