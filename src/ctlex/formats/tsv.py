"""Tab-separated text: the OmegaT glossary (``.utf8``/``.txt``/``.tab``) and two-column segments (``.tsv``).

**Glossary** (:func:`read` / :func:`write`), OmegaT's format: one ``source<TAB>target<TAB>comment``
line per term pair, UTF-8, ``#`` starts a comment line.  The source column is Arabic, the target
English.  ctlex writes, for every concept with terms in both languages:

* one line per Arabic term, with the English preferred term as target, then
* one line per other English term, with the Arabic preferred term as source.

The comment column is what OmegaT shows next to the match; ctlex puts the concept id, the
statuses of the two terms when they are not ``preferred``, and the definition there::

    [gctf] en:admitted · Informal multilateral counter-terrorism platform.

so ctlex can rebuild the concepts: lines with the same ``[id]`` form one concept.  Lines without
an id (a glossary made in OmegaT) are grouped when they share a source or target term.

**Segments** (:func:`read_segments` / :func:`write_segments`): ``source<TAB>target`` per line.
Tabs, line breaks and backslashes inside a segment are written as ``\\t``, ``\\n`` and ``\\\\``.

What the glossary form cannot carry is listed in :data:`CANNOT_CARRY`; concepts with no Arabic
or no English term are left out of it (OmegaT needs both columns).
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterable, Iterator

from ..errors import CtlexError, ParseError
from ..glossary import STATUSES, Concept, Glossary, Term, slug_id, unique_id
from ..segment import Segment
from ._io import atomic_write, read_text
from .report import ReadReport

__all__ = ["CANNOT_CARRY", "sniff", "read", "write", "read_segments", "write_segments"]

#: Model fields this format cannot carry (names as used by the conformance tests).
CANNOT_CARRY: frozenset[str] = frozenset(
    {
        "concept.type",
        "concept.subject",
        "concept.notes",
        "concept.sources",
        "concept.extra",
        "term.pos",
        "term.term_type",
        "term.note",
        "term.extra", "term.styles", "term.usage", "term.exclude",
        "concept.one-language",  # a concept without both an Arabic and an English term
        "lang.other",  # languages other than the source and target language
        "whitespace.linebreaks",  # line breaks and tabs in a definition become spaces
    }
)

_COMMENT = re.compile(r"^\[(?P<id>[^\W\d][\w.\-]*)\]\s*(?P<rest>.*)$")
_STATUS_WORD = re.compile(r"^(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*):(?P<status>" + "|".join(STATUSES) + r")$")
_SEP = " · "
_ESC = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESC = re.compile(r"\\(.)")


def sniff(head: bytes) -> bool:
    """Tab-separated text with at least two columns in the first non-comment line."""
    try:
        text = head[:4096].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if text.lstrip().startswith("<") or "\x00" in text:
        return False
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return bool(lines) and all("\t" in ln for ln in lines[:-1] or lines)


def _flat(s: str) -> str:
    return " ".join(s.split()) if ("\t" in s or "\n" in s or "\r" in s) else s


# ---------------------------------------------------------------------------------------------
# glossary
# ---------------------------------------------------------------------------------------------


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    """Write an OmegaT glossary: ``source<TAB>target<TAB>comment`` lines, UTF-8, no BOM.

    ``source_lang``/``target_lang`` (default ``ar``/``en``) pick the columns.
    """
    src_lang = options.get("source_lang", "ar")
    tgt_lang = options.get("target_lang", "en")
    out = [f"# {_flat(glossary.title)} — ctlex OmegaT glossary ({src_lang} → {tgt_lang}): source\ttarget\t[concept id] statuses · definition"]
    for c in glossary:
        srcs, tgts = c.terms_for(src_lang), c.terms_for(tgt_lang)
        if not srcs or not tgts:
            continue
        sp, tp = srcs[0], tgts[0]
        for s in _in_file_order(c, srcs):
            out.append(_line(c, s, tp))
        for t in _in_file_order(c, tgts):
            if t is not tp:
                out.append(_line(c, sp, t))
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def _in_file_order(c: Concept, terms: list[Term]) -> list[Term]:
    ids = {id(t) for t in terms}
    return [t for t in c.terms if id(t) in ids]


def _line(c: Concept, s: Term, t: Term) -> str:
    for term in (s, t):
        if "\t" in term.text or "\n" in term.text:
            raise CtlexError(f"concept {c.id!r}: term {term.text!r} contains a tab or line break")
    marks = [f"{x.lang}:{x.status}" for x in (s, t) if x.status != "preferred"]
    comment = f"[{c.id}]" + (" " + " ".join(marks) if marks else "")
    if c.definition:
        comment += _SEP + _flat(c.definition)
    return f"{s.text}\t{t.text}\t{comment}"


def read(path: str | os.PathLike[str], *, report: ReadReport | None = None, **options: Any) -> Glossary:
    """Read an OmegaT glossary back into concepts (see the module docstring for the grouping).

    A comment written by ctlex (``[id] statuses · definition``) gives the concept, statuses and
    definition; any other comment (one typed in OmegaT, or on a line appended to an export) is
    kept as a *note* of the concept, never dropped.  Terms on lines without ``[id]`` have no
    status (``Term.status_given`` false).  A line repeating one already read is counted as skipped;
    a file whose last line has no line end may be truncated and is warned about.
    """
    spath = os.fspath(path)
    src_lang = options.get("source_lang", "ar")
    tgt_lang = options.get("target_lang", "en")
    text = read_text(spath)
    g = Glossary(title=os.path.splitext(os.path.basename(spath))[0])
    by_id: dict[str, Concept] = {}
    by_term: dict[tuple[str, str], Concept] = {}
    seen_lines: set[str] = set()
    lines = text.split("\n")
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise ParseError("expected source<TAB>target[<TAB>comment]", spath, n)
        if line in seen_lines:
            if report is not None:
                report.skip("duplicate line", n)
            continue
        seen_lines.add(line)
        src, tgt, comment = cols[0].strip(), cols[1].strip(), "\t".join(cols[2:]).strip()
        cid, statuses, definition, note = _parse_comment(comment, src_lang, tgt_lang)
        concept = by_id.get(cid) if cid else (by_term.get((src_lang, src)) or by_term.get((tgt_lang, tgt)))
        if concept is None:
            try:
                concept = Concept(id=cid or unique_id(slug_id(tgt), g))
            except CtlexError as e:
                raise ParseError(str(e), spath, n) from None
            g.add(concept)
            if cid:
                by_id[cid] = concept
        if definition and concept.definition is None:
            concept.definition = definition
        elif definition and definition != concept.definition and definition not in concept.notes:
            concept.notes.append(definition)  # a second, different definition: kept, as a note
        if note and note not in concept.notes:
            concept.notes.append(note)
        for lang, text_ in ((src_lang, src), (tgt_lang, tgt)):
            if not any(t.lang == lang and t.text == text_ for t in concept.terms):
                given = cid is not None  # ctlex marks only the statuses that are not "preferred"
                concept.terms.append(Term(text_, lang, statuses.get(lang, "preferred"), status_given=given))
                by_term.setdefault((lang, text_), concept)
    if not text.strip():
        raise ParseError("empty file", spath, 1)
    if not len(g) and report is not None:
        report.warn("no entries: only comments or blank lines", 1)
    if text and not text.endswith("\n") and report is not None:
        report.warn("the last line has no line end: the file may be truncated", len(lines))
    _fix_statuses(g)
    return g


def _parse_comment(comment: str, src_lang: str, tgt_lang: str) -> tuple[str | None, dict[str, str], str | None, str | None]:
    """(concept id, statuses, definition, note): a comment not written by ctlex is a note."""
    m = _COMMENT.match(comment)
    if not m:
        return None, {}, None, comment or None
    rest = m.group("rest")
    head, sep, definition = rest.partition(_SEP.strip())
    statuses: dict[str, str] = {}
    words = head.split()
    if words and all(_STATUS_WORD.match(w) for w in words):
        for w in words:
            sm = _STATUS_WORD.match(w)
            assert sm is not None
            statuses[sm.group("lang")] = sm.group("status")
    elif head.strip():  # not status words: it is all definition
        definition, sep = rest, "·"
    return m.group("id"), statuses, (definition.strip() or None) if sep else None, None


def _fix_statuses(g: Glossary) -> None:
    """Lines from other tools carry no status: keep one preferred term per language."""
    for c in g:
        seen: set[str] = set()
        for t in c.terms:
            if t.status == "preferred":
                if t.lang in seen:
                    t.status = "admitted"
                seen.add(t.lang)


# ---------------------------------------------------------------------------------------------
# segments
# ---------------------------------------------------------------------------------------------


def _esc(s: str) -> str:
    return "".join(_ESC.get(ch, ch) for ch in s)


def _unesc(s: str) -> str:
    return _UNESC.sub(lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1), m.group(0)), s)


def write_segments(segments: Iterable[Segment], path: str | os.PathLike[str], **options: Any) -> int:
    """Write ``source<TAB>target`` lines (UTF-8, no header); returns the number written."""
    lines = [f"{_esc(s.source)}\t{_esc(s.target)}" for s in segments]
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(ln + "\n" for ln in lines))
    return len(lines)


_LANG_TAG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def read_segments(path: str | os.PathLike[str], *, report: ReadReport | None = None, drafts: bool = False,
                  **options: Any) -> Iterator[Segment]:
    """Two-column TSV: each line a segment; ``#`` comment lines and blank lines are skipped.

    A first line of two language tags (``ar<TAB>en``) is a header and sets the languages.  Lines
    with an empty source or target are skipped and counted; a file without any segment line is
    a :class:`ParseError`.
    """
    spath = os.fspath(path)
    src_lang = options.get("source_lang", "ar")
    tgt_lang = options.get("target_lang", "en")
    base = os.path.basename(spath)
    text = read_text(spath)
    lines = text.split("\n")
    data = 0
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        data += 1
        cols = line.split("\t")
        if len(cols) < 2:
            raise ParseError("expected source<TAB>target", spath, n)
        if n == 1 and all(_LANG_TAG.match(c.strip()) for c in cols[:2]):
            # a header naming the languages (ar<TAB>en), as spreadsheet exports write it
            src_lang, tgt_lang = cols[0].strip(), cols[1].strip()
            data -= 1
            continue
        if not cols[0].strip() or not cols[1].strip():
            if report is not None:
                report.skip("empty source" if not cols[0].strip() else "empty target", n)
            continue
        yield Segment(source=_unesc(cols[0]), target=_unesc(cols[1]), source_lang=src_lang, target_lang=tgt_lang,
                      id=str(n), origin=f"{base}:{n}", note="\t".join(cols[2:]) or None)
    if not text.strip():
        raise ParseError("empty file", spath, 1)
    if not data and report is not None:
        report.warn("no segments: only comments, blank lines or a header", 1)
    if text and not text.endswith("\n") and report is not None:
        report.warn("the last line has no line end: the file may be truncated", len(lines))
