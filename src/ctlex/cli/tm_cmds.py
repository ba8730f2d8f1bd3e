"""Translation-memory commands: ``tm import|search|concord|export|stats`` and ``align``."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

import click

from . import emit_json, glossary_option, json_option, load_glossary, read_file_arg, read_text_arg, tm_option
from ._render import table


def _open(tm_path: str | None, *, create: bool = False) -> Any:
    """The TM to use; only commands that write (import, align --add-to-tm) may create one."""
    from ..tm import open_tm

    return open_tm(tm_path, create=create)


def _mark(text: str, spans: list[tuple[int, int]] | list[tuple[int, int, str]]) -> str:
    """Text with each span wrapped in ⟦ ⟧ (spans in original offsets, non-overlapping)."""
    out, pos = [], 0
    for sp in sorted(spans):
        s, e = int(sp[0]), int(sp[1])
        if s < pos:
            continue
        out += [text[pos:s], "⟦", text[s:e], "⟧"]
        pos = e
    out.append(text[pos:])
    return "".join(out)


@click.group()
def tm() -> None:
    """Translation memory: import, fuzzy search, concordance, export, statistics.

    \b
    Example:
      ctlex tm import memoq-export.tmx
      ctlex tm search "مساعي المفوضية الأوروبية لتعزيز التعاون الأمني وتبادل المعلومات مع دول الشرق الأوسط" --min-score 60
    """


@tm.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default=None, help="Format of FILES (default: by extension or content).")
@tm_option
@json_option
def import_(files: tuple[str, ...], fmt: str | None, tm_path: str | None, as_json: bool) -> None:
    """Import segment files (TMX, PO, any registered segment format) in one transaction.

    Every unit is kept; only the same unit imported again (same texts, languages and id) is
    merged.  Units without a source or target, unreviewed drafts and header units are skipped
    and counted (per file, on stderr).  A malformed file, a file with no segment to import, a
    full disk or a read-only TM aborts the import and leaves the TM unchanged (a new TM file is
    not created).

    \b
    Example:
      ctlex tm import export.tmx glossary.po
      ctlex tm --help
    """
    total = sum(os.path.getsize(f) for f in files)
    with _open(tm_path, create=True) as mem:
        if sys.stderr.isatty() and total >= 1_000_000 and not as_json:
            position = _bytes_read(list(files))
            bar: Any
            with click.progressbar(length=total, label="importing", show_eta=True, show_percent=True, file=sys.stderr,
                                   item_show_func=lambda n: f"{n:,} units" if n else None) as bar:
                done = [0]

                def progress(n: int) -> None:
                    at = position()
                    at = done[0] if at is None else max(done[0], at)
                    bar.update(at - done[0], current_item=n)
                    done[0] = at

                report = mem.import_files(files, format=fmt, progress=progress)
                bar.update(total - done[0], current_item=report.read)
        else:
            report = mem.import_files(files, format=fmt)
    if as_json:
        emit_json(report.to_dict())
        return
    for rep in report.reads:  # what each reader skipped (by reason, with lines) and warned about
        for ln in rep.lines():
            click.echo(ln, err=True)
    line = f"read {report.read} units from {len(files)} file(s): {report.added} added"
    if report.variants:
        line += f" ({report.variants} with the normalized text of an earlier unit, sharing its index entry)"
    line += f", {report.merged} duplicates merged"
    skipped = report.skipped_total
    line += f", {skipped} skipped" + (f" ({', '.join(f'{n} {why}' for why, n in sorted(report.skipped.items()))})" if skipped else "")
    click.echo(line)


def _bytes_read(paths: list[str]) -> Callable[[], int | None]:
    """How far the readers are through ``paths``, in bytes: the offset of the file descriptor open
    on the file being read (``/proc/self/fdinfo``, Linux), after the sizes of the files before
    it; ``None`` where that cannot be known."""
    real = [os.path.realpath(p) for p in paths]
    sizes = [os.path.getsize(p) for p in paths]
    current = [0]

    def position() -> int | None:
        try:
            fds = os.listdir("/proc/self/fd")
        except OSError:
            return None
        for fd in fds:
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target not in real:
                continue
            i = real.index(target, current[0]) if target in real[current[0]:] else real.index(target)
            try:
                with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as f:
                    pos = int(f.readline().split()[1])
            except (OSError, ValueError, IndexError):
                return None
            current[0] = max(current[0], i)
            return sum(sizes[:i]) + min(pos, sizes[i])
        return sum(sizes[: current[0]])  # between files

    return position


@tm.command()
@click.argument("text")
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True, help="Lowest match percentage shown.")
@click.option("--limit", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--terms", is_flag=True, help="Mark glossary terms in the matches.")
@click.option("--explain", is_flag=True, help="Show how the index finds candidates instead of searching.")
@tm_option
@glossary_option
@json_option
def search(text: str, min_score: float, limit: int, terms: bool, explain: bool, tm_path: str | None,
           glossary_path: str | None, as_json: bool) -> None:
    """Fuzzy-search the TM for the source segment TEXT (or - for standard input).

    Scores are percentages (edit distance on normalized Arabic); original texts are shown.

    \b
    Example:
      ctlex tm search "أعلنت الأمم المتحدة في 8 مايو 2019 عن إطلاق برنامج goTravel لمساعدة الدول على رصد وتتبع وتعطيل سفر الأشخاص الذين قاتلوا في صفوف جماعات إرهابية مثل داعش والقاعدة" --min-score 50
      ctlex tm search "تابعنا على تويتر" --json
    """
    query = read_text_arg(text)
    with _open(tm_path) as mem:
        if explain:
            plans = mem.candidate_plans(query)
            if as_json:
                emit_json({"stores": [{"path": p, **plan.to_dict()} for p, plan in plans]})
                return
            for path, plan in plans:
                click.echo(f"store: {path}\nquery key: {plan.query_key}")
                rows = [(t, df, "yes" if t in plan.used else "") for t, df in plan.tokens]
                click.echo(table(("token", "df", "used"), rows))
                click.echo(f"postings budget {plan.budget}; {plan.candidates} best-voted candidates re-scored")
                for sql, qp in zip(plan.sql, plan.plans):
                    click.echo(f"  {sql}\n    -> {'; '.join(qp)}")
            return
        g = load_glossary(glossary_path) if terms else None
        matches = mem.search(query, min_score=min_score, limit=limit, glossary=g)
    if as_json:
        emit_json({"matches": [m.to_dict() for m in matches]})
        return
    if not matches:
        click.echo(f"no match of {min_score:g}% or more")
        return
    found = [(f"{m.score:.1f}", _mark(m.source, m.terms), m.target, m.origin or "") for m in matches]
    click.echo(table(("score", "source", "target", "origin"), found, max_width=70))


@tm.command()
@click.argument("phrase")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--terms", is_flag=True, help="Mark the glossary equivalent of PHRASE in the counterpart.")
@tm_option
@glossary_option
@json_option
def concord(phrase: str, limit: int, terms: bool, tm_path: str | None, glossary_path: str | None, as_json: bool) -> None:
    """Find PHRASE (Arabic or English) in every segment, with its aligned counterpart.

    Arabic is matched normalization- and clitic-aware: يوروبول also finds وليوروبول.

    \b
    Example:
      ctlex tm concord يوروبول
      ctlex tm concord "foreign terrorist fighters" --json
    """
    g = load_glossary(glossary_path) if terms else None
    with _open(tm_path) as mem:
        hits = mem.concordance(read_text_arg(phrase), limit=limit, glossary=g)
    if as_json:
        emit_json({"phrase": phrase, "hits": [h.to_dict() for h in hits]})
        return
    if not hits:
        click.echo(f"{phrase!r} not found")
        return
    for h in hits:
        click.echo(f"{h.origin or h.id}")
        click.echo(f"  {_mark(h.text, h.spans)}")
        click.echo(f"  {_mark(h.counterpart, h.counterpart_spans)}")
    click.echo(f"\n{len(hits)} segment(s)")


@tm.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file (.tmx, or another segment format).")
@click.option("--format", "fmt", default=None, help="Output format (default: by extension, else TMX).")
@tm_option
@json_option
def export(output: str, fmt: str | None, tm_path: str | None, as_json: bool) -> None:
    """Write the whole TM to a file (TMX 1.4b by default), atomically.  On a terminal, a long
    export shows its progress on stderr.

    \b
    Example:
      ctlex tm export -o all.tmx
      ctlex tm export -o all.xlf --json
    """
    from ._render import progress

    with _open(tm_path) as mem:  # on a terminal, a long export shows how far it got
        n = mem.export(output, fmt, progress=lambda segs, total: progress(segs, "exporting segments", total=total))
    if as_json:
        from ..errors import UnknownFormatError
        from ..formats import for_path, get

        try:
            name = get(fmt).name if fmt else for_path(output, kind="segments", head=b"").name
        except UnknownFormatError:
            name = "tmx"  # what Store.export writes for an unknown extension
        emit_json({"path": output, "format": name, "segments": n})
        return
    click.echo(f"wrote {n} segments to {output}")


@tm.command()
@tm_option
@json_option
def stats(tm_path: str | None, as_json: bool) -> None:
    """Show segment counts, merged duplicates, language pairs and origins per store.

    Segments are the units stored: every unit imported, the same unit imported again once (what
    ctlex check counts when it reads the same files).  Units whose normalized texts are equal
    share one index entry.

    \b
    Example:
      ctlex tm stats --json
    """
    with _open(tm_path) as mem:
        st = mem.stats()
    if as_json:
        emit_json(st)
        return
    for s in st["stores"]:
        click.echo(f"store: {s['path']}  ({s['bytes'] / 1e6:.1f} MB)")
        click.echo(f"segments: {s['segments']}   units read: {s['units_read']}   duplicates merged: {s['duplicates_merged']}"
                   f"   index entries: {s['index_entries']}" + ("   (read-only)" if s.get("readonly") else ""))
        click.echo(table(("origin", "segments"), sorted(s["origins"].items())))
    click.echo(f"total segments: {st['segments']}")


@click.command()
@click.argument("ar_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("en_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the pairs to a .tmx or .tsv file.")
@click.option("--add-to-tm", is_flag=True, help="Also add the aligned pairs to the TM.")
@click.option("--anchors/--no-anchors", default=True, show_default=True, help="Use glossary terms as alignment anchors.")
@tm_option
@glossary_option
@json_option
def align(ar_file: str, en_file: str, output: str | None, add_to_tm: bool, anchors: bool, tm_path: str | None,
          glossary_path: str | None, as_json: bool) -> None:
    """Split an Arabic document and its English translation into sentences and align them.

    Gale–Church length alignment (1-1, 1-2, 2-1, 1-0, 0-1) with glossary terms and numbers as
    anchors.  Without -o the pairs are printed as TSV (or JSON).

    \b
    Example:
      ctlex align article-ar.txt article-en.txt -o article.tmx --add-to-tm
    """
    from ..align import align_texts, beads_to_segments, write_pairs

    g = load_glossary(glossary_path) if anchors else None
    pairs = align_texts(read_file_arg(ar_file), read_file_arg(en_file), glossary=g)
    segs = beads_to_segments(pairs, origin=os.path.basename(ar_file))
    if output:
        n = write_pairs(segs, output)
        click.echo(f"wrote {n} aligned pairs to {output}", err=as_json)
    if add_to_tm:
        with _open(tm_path, create=True) as mem:
            report = mem.add(segs)
        click.echo(f"TM: {report.added} added, {report.merged} duplicates merged", err=True)
    if as_json:
        emit_json({"pairs": [{"ar": a, "en": e, "bead": b.kind, "cost": round(b.cost, 3)} for a, e, b in pairs]})
    elif not output:
        for a, e, _ in pairs:
            click.echo(f"{a}\t{e}")
