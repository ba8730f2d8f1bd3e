"""Glossary commands: lookup, scan, normalize, info, coverage."""

from __future__ import annotations

import click

from . import emit_json, glossary_option, json_option, load_glossary, read_file_arg, read_text_arg, style_option
from ._render import table


@click.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["ar", "en"]), default=None, help="Language of QUERY (default: by script).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@style_option
@glossary_option
@json_option
def lookup(query: str, lang: str | None, limit: int, style: str | None, glossary_path: str | None, as_json: bool) -> None:
    """Find the concepts a term designates, in any spelling.

    The cascade is exact → normalized → clitic → variant → fuzzy.

    \b
    Example:
      ctlex lookup وليوروبول
      ctlex lookup "Counter-Terrorism Coordinator" --json
      ctlex lookup داعش --style UN
    """
    g = load_glossary(glossary_path)
    matches = g.lookup(query, lang=lang, limit=limit, style=style)
    if as_json:
        emit_json({"query": query, "results": [m.to_dict() for m in matches]})
        return
    if not matches:
        click.echo(f"no match for {query!r}")
        return
    rows = [
        (f"{m.score:.2f}", m.match, m.concept.id, m.concept.type, _first(m.concept, "en", style), _first(m.concept, "ar", style), m.term.text)
        for m in matches
    ]
    click.echo(table(("score", "match", "id", "type", "en", "ar", "matched"), rows))


def _first(concept: object, lang: str, style: str | None = None) -> str:
    t = concept.preferred(lang, style)  # type: ignore[attr-defined]
    return t.text if t else ""


@click.command()
@click.argument("file", default="-")
@click.option("--lang", type=click.Choice(["ar", "en"]), default=None, help="Only terms of this language.")
@click.option("--text", "inline", default=None, help="Scan this text instead of FILE.")
@style_option
@glossary_option
@json_option
def scan(file: str, lang: str | None, inline: str | None, style: str | None, glossary_path: str | None, as_json: bool) -> None:
    """Find every glossary term in running text (FILE, or - for standard input).

    Offsets are character offsets into the original text.

    \b
    Example:
      ctlex scan article.txt
      echo "التعاون مع اليوروبول" | ctlex scan - --json
    """
    text = inline if inline is not None else read_file_arg(file)
    g = load_glossary(glossary_path)
    hits = g.scan(text, lang=lang, style=style)
    if as_json:
        emit_json({"hits": [h.to_dict() for h in hits]})
        return
    if not hits:
        click.echo("no glossary terms found")
        return
    rows = [(f"{h.start}-{h.end}", h.text, h.match, h.concept.id, _first(h.concept, "en", style)) for h in hits]
    click.echo(table(("span", "text", "match", "id", "en"), rows))
    click.echo(f"\n{len(hits)} hits, {len({h.concept.id for h in hits})} concepts")


@click.command()
@click.argument("text")
@click.option("--level", type=click.Choice(["clean", "orthographic", "key"]), default="key", show_default=True)
@json_option
def normalize(text: str, level: str, as_json: bool) -> None:
    """Normalize Arabic TEXT (or - for standard input) to a level.

    \b
    Example:
      ctlex normalize "الأوروبى" --level orthographic
    """
    from ..arabic import normalize as norm

    src = read_text_arg(text)
    n = norm(src, level)  # type: ignore[arg-type]
    if as_json:
        emit_json({"text": src, "level": level, "normalized": n.text, "offsets": n.offsets()})
    else:
        click.echo(n.text)


@click.command()
@glossary_option
@json_option
def info(glossary_path: str | None, as_json: bool) -> None:
    """Show the glossary in use: path, concept and term counts by type and language, house styles.

    \b
    Example:
      ctlex info --json
    """
    g = load_glossary(glossary_path)
    st = g.stats()
    if as_json:
        emit_json(st)
        return
    click.echo(f"glossary: {st['path']}")
    click.echo(f"concepts: {st['concepts']}   terms: {st['terms']}")
    click.echo(table(("type", "concepts"), sorted(st["by_type"].items())))
    click.echo(table(("language", "terms"), sorted(st["terms_by_lang"].items())))
    if st["styles"]:
        click.echo(table(("style", "terms"), sorted(st["styles"].items())))
    else:
        click.echo("styles: none")
    if st["usage"]:
        click.echo(table(("usage flag", "terms"), sorted(st["usage"].items())))


@click.command()
@click.argument("seeds", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@glossary_option
@json_option
def coverage(seeds: tuple[str, ...], glossary_path: str | None, as_json: bool) -> None:
    """List names, acronyms and Latin-script words in SEEDS that no concept covers.

    \b
    Example:
      ctlex coverage ../shared/seeds/*.txt
    """
    from ..coverage import uncovered

    g = load_glossary(glossary_path)
    report = uncovered(g, seeds)
    if as_json:
        emit_json(report)
        return
    click.echo(f"{report['covered_hits']} glossary hits; {len(report['uncovered'])} candidate names not covered")
    rows = [(u["candidate"], u["count"], u["file"], u["context"][:60]) for u in report["uncovered"]]
    if rows:
        click.echo(table(("candidate", "n", "file", "context"), rows))


@click.group("glossary")
def glossary_group() -> None:
    """Compiled glossary stores, for big termbases (100k concepts and more).

    A store holds every concept, term and the matching index in one SQLite file; --glossary
    opens it without parsing XML, and lookup reads only the concepts a query can match.

    \b
    Example:
      ctlex glossary compile big.tbx -o big.ctlexdb
    """


@glossary_group.command("compile")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Store to write (default: SOURCE with the suffix .ctlexdb, where --glossary SOURCE finds it).")
@json_option
def compile_(source: str, output: str | None, as_json: bool) -> None:
    """Compile the glossary SOURCE (TBX, PO…) into a store, atomically.

    The store records SOURCE's SHA-256: opened while SOURCE has changed, it is refused as stale.
    Written beside SOURCE under the default name, it is used automatically by --glossary SOURCE
    for as long as SOURCE is unchanged.

    \b
    Example:
      ctlex glossary compile big.tbx -o big.ctlexdb
      ctlex lookup يوروبول --glossary big.ctlexdb
    """
    import time

    from ..store import compile_glossary

    t = time.perf_counter()
    info = compile_glossary(source, output)
    info["seconds"] = round(time.perf_counter() - t, 2)
    if as_json:
        emit_json(info)
        return
    click.echo(f"{info['path']}: {info['concepts']} concepts, {info['terms']} terms, compiled from {info['source']} in {info['seconds']} s")
