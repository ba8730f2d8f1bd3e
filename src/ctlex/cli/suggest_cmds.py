"""Suggestion commands: ``ctlex suggest TERM`` and ``ctlex suggest --new``."""

from __future__ import annotations

import click

from . import emit_json, glossary_option, json_option, load_glossary, tm_option
from ._render import table


def _aligned(tm_paths: tuple[str, ...], tm_path: str | None, fmt: str | None):  # type: ignore[no-untyped-def]
    from ..data import tm_files
    from ..errors import CtlexError, NotFoundError
    from ..suggest import AlignedSet

    if tm_path is not None:
        if tm_paths:
            raise CtlexError("give --tm (a translation memory) or --tm-file (exchange files), not both")
        from ..tm import open_tm

        with open_tm(tm_path, create=False) as mem:
            return AlignedSet(mem.segments())
    paths = list(tm_paths) or [str(p) for p in tm_files()]
    if not paths:
        raise NotFoundError("no translation memory found: give --tm-file FILE (TMX, PO, XLIFF, TSV)")
    return AlignedSet.from_paths(paths, fmt)


def _counts(aligned) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Segments read (the count ``tm import``, ``tm stats`` and ``check`` give for the same
    files) and how many of them were usable: an Arabic source and a target."""
    return {"segments": len(aligned) + aligned.skipped, "segments_used": len(aligned), "segments_skipped": aligned.skipped}


def _read(aligned) -> str:  # type: ignore[no-untyped-def]
    c = _counts(aligned)
    used = f" ({c['segments_used']} with an Arabic source and a target)" if c["segments_skipped"] else ""
    return f"the {c['segments']} segments read{used}"


@click.command()
@click.argument("term", required=False)
@click.option("--tm-file", "tm_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Aligned segments (TMX, PO, XLIFF, TSV; a TSV may be id, Arabic, English); repeatable. Default: the shipped tm/*.tmx.")
@tm_option(help="Aligned segments from this translation memory (an SQLite file or postgresql:// URL, as in "
           "ctlex tm) instead of --tm-file files.")
@click.option("--format", "fmt", default=None, help="Format of the --tm-file files (default: by extension or content).")
@click.option("--new", "new", is_flag=True, help="Propose entries for recurring Arabic terms the glossary lacks.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="With --new: write the proposals as a draft glossary (.po, .tbx or .csv), every term admitted, none preferred.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Suggestions (or, with --new, proposals) shown.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Leave out suggestions (and proposals) below this confidence.")
@click.option("--min-count", type=click.IntRange(1, 1000), default=2, show_default=True, help="With --new: segments a term must occur in.")
@glossary_option
@json_option
def suggest(term: str | None, tm_paths: tuple[str, ...], tm_path: str | None, fmt: str | None, new: bool, output: str | None, limit: int,
            min_confidence: float, min_count: int, glossary_path: str | None, as_json: bool) -> None:
    """Suggest English renderings of an Arabic TERM from aligned segments.

    Candidates are English phrases of the segments whose source holds TERM (any spelling, with
    clitics), ranked by word alignment (eflomal), association over the whole set, transliteration
    likeness for names, and agreement with the glossary (a glossary term wins a close call and is
    marked).  Each suggestion has a calibrated confidence (of those shown at 0.9, about nine in
    ten are right) and its evidence; one-segment or tied evidence is flagged as low confidence.
    With --new, propose glossary entries (status admitted, for review) for recurring Arabic terms
    and names the glossary lacks.

    \b
    Example:
      ctlex suggest "المنتدى العالمي لمكافحة الإرهاب" --json
      ctlex suggest يوروبول --tm-file pairs.tsv --min-confidence 0.8
      ctlex suggest --new --tm-file articles.tmx --limit 50 -o draft.csv
      ctlex suggest --new --tm my-tm.sqlite --limit 20
    """
    from ..errors import CtlexError

    if new == bool(term):
        raise CtlexError("give either TERM or --new")
    if output and not new:
        raise CtlexError("-o/--output goes with --new")
    g = load_glossary(glossary_path)
    aligned = _aligned(tm_paths, tm_path, fmt)
    if new:
        from ..suggest import draft_glossary, suggest_new

        entries = suggest_new(aligned, g, min_count=min_count, limit=limit, min_confidence=min_confidence)
        if output:
            from ..formats import write_glossary

            write_glossary(draft_glossary(entries, g), output)
        if as_json:
            emit_json({"entries": [e.to_dict() for e in entries], **_counts(aligned), "output": output,
                       "alignment": aligned.align_method, "alignment_note": aligned.align_reason})
            return
        if entries:
            rows = [(f"{e.confidence:.2f}", e.count, e.ar, e.en, ", ".join(e.examples)) for e in entries]
            click.echo(table(("conf", "n", "ar", "en", "examples"), rows))
        click.echo(f"{len(entries)} proposed entries from {_read(aligned)} (status admitted, for review)"
                   + (f"; written to {output}" if output else ""))
        if aligned.align_reason:
            click.echo(f"note: no word alignment ({aligned.align_reason}); association statistics only")
        return
    from ..suggest import suggest as run

    assert term is not None
    r = run(term, aligned, g, limit=limit)
    shown = [s for s in r.suggestions if s.confidence >= min_confidence]
    if as_json:
        d = r.to_dict()
        d["suggestions"] = [s.to_dict() for s in shown]
        d["read"] = _counts(aligned)
        emit_json(d)
        return
    if r.concept:
        click.echo(f"glossary: {r.concept} (preferred: {r.preferred})")
    if not r.suggestions:
        click.echo(f"{term!r} occurs in none of {_read(aligned)}")
        return
    ranked = [(f"{s.confidence:.2f}", s.count, s.en + (f" ({s.acronym})" if s.acronym else ""),
               (s.glossary or "") + (" (glossary wins tie)" if s.glossary_tie else ""),
               f"links {s.links:g}" + (f", translit {s.translit:.2f}" if s.translit else "") + (", tie" if s.tied else ""),
               ", ".join(s.examples)) for s in shown]
    if ranked:
        click.echo(table(("conf", "n", "en", "glossary", "evidence", "examples"), ranked))
    else:
        click.echo(f"no suggestion reaches confidence {min_confidence:.2f}")
    click.echo(f"\n{term!r} occurs in {r.segments} of {_read(aligned)}")
    if r.low_confidence:
        why = "one segment" if r.segments <= 1 else "tied candidates" if r.top and r.top.tied else "weak evidence"
        click.echo(f"low confidence: {why}; check the examples before using the top suggestion")
    if r.usage:
        click.echo(f"note: {r.usage}")
    if r.alignment_note:
        click.echo(f"note: no word alignment ({r.alignment_note}); association statistics only")
