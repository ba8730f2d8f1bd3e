"""GNU gettext PO via polib: Arabic ``msgid``, English ``msgstr``, one entry per concept.

``msgctxt`` is the concept id, so two concepts may share an Arabic term.  Reading is strict (see
:mod:`ctlex.formats._poparse`: what ``msgfmt -c`` refuses is refused with file:line) and honours
the header's charset.  An ordinary gettext glossary (no ``msgctxt``) gets ids made from its
English (``po-LINE`` for an untranslated entry).  Everything else the
concept model holds travels in extracted comments (``#.``) as ``key: value`` lines, so
PO → model → PO is lossless:

``#. type: organization`` / ``#. subject: …`` / ``#. definition: …``
``#. source: 000_x.txt: <sentence>`` (one per source)
``#. term: {"lang": "ar", "text": …, "status": …}`` (one per term, JSON, file order; with
``styles``, ``usage`` and ``exclude`` when set)
``#. extra: <xml>`` (unmodelled TBX elements)
``# <note>`` translator comments are the concept's notes.

A PO file edited in Poedit/Weblate keeps these comments.  When its ``msgstr`` no longer equals the
English preferred term, the ``msgstr`` wins: it becomes the preferred term and the old one is kept
as admitted.  A concept without a preferred English term (a rendering not yet settled) is written
``#, fuzzy`` with an empty ``msgstr``.  A PO file without ctlex comments is read as plain term pairs.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Iterator

from ..errors import CtlexError, ParseError
from ..glossary import Concept, Glossary, Source, Term, slug_id, unique_id
from ..segment import Segment
from . import _poparse
from ._io import atomic_write, read_bytes
from ._poparse import PoEntry, PoFile
from .report import ReadReport

def sniff(head: bytes) -> bool:
    text = head.decode("utf-8", errors="ignore")
    return "msgid " in text and "msgstr" in text


def _pofile(path: str | os.PathLike[str], report: ReadReport | None = None) -> PoFile:
    """The file parsed strictly (as ``msgfmt -c`` would), in the charset its header declares."""
    spath = os.fspath(path)
    data = read_bytes(spath)
    if not data.strip():
        raise ParseError("empty file", spath, 1)
    po = _poparse.parse(data, spath)
    if report is not None:
        if po.header is None:
            report.warn("no PO header (msgid \"\"): read as UTF-8", 1)
        if po.obsolete:
            report.skip("obsolete entry (#~)", n=po.obsolete)
        for line, message in po.warnings:
            report.warn(message, line)
    return po


def read(path: str | os.PathLike[str], *, report: ReadReport | None = None, **options: Any) -> Glossary:
    spath = os.fspath(path)
    po = _pofile(spath, report)
    g = Glossary(title=po.metadata.get("Project-Id-Version", "ctlex glossary"), description=po.metadata.get("X-Description", ""))
    by_ctxt: dict[str, int] = {}
    for entry in po.entries:
        if entry.msgctxt is not None:
            if entry.msgctxt in by_ctxt:
                raise ParseError(f"msgctxt {entry.msgctxt!r} names a second entry (first at line {by_ctxt[entry.msgctxt]}); "
                                 "ctlex reads msgctxt as the concept id, so it must be unique", spath, entry.linenum)
            by_ctxt[entry.msgctxt] = entry.linenum
        if entry.msgid_plural is not None and report is not None and (entry.msgid_plural.strip() or len(entry.msgstr_plural) > 1):
            report.warn("plural forms (msgid_plural, msgstr[1]…) are not glossary terms: only msgid and msgstr[0] are read",
                        entry.linenum)
        concept = _entry_to_concept(entry, spath, g)
        if concept is None:
            if report is not None:
                report.skip("entry without any term (empty msgid)", entry.linenum)
            continue
        g.add(concept)
    if not len(g) and report is not None:
        report.warn("no entries: the file holds only a header" if po.header is not None else "no entries", 1)
    return g


def _entry_to_concept(entry: PoEntry, path: str, g: Glossary) -> Concept | None:
    msgstr = entry.msgstr if entry.msgid_plural is None else entry.msgstr_plural.get(0, "")
    if entry.msgctxt is not None:
        cid = entry.msgctxt
    else:  # a plain gettext glossary: no msgctxt; ids made from the English (else the line)
        cid = unique_id(slug_id(msgstr) if msgstr.strip() else f"po-{entry.linenum}", g)
    try:
        c = Concept(id=cid)
    except Exception as e:
        raise ParseError(str(e), path, entry.linenum) from None
    for line in _poparse.unwrap_extracted([t for _, t in entry.extracted], _KEYS):
        k, sep, v = line.partition(": ")
        if not sep:
            continue
        if k == "type":
            c.type = v
        elif k == "subject":
            c.subject = v
        elif k == "definition":
            c.definition = v
        elif k == "source":
            f, _, sentence = v.partition(": ")
            c.sources.append(Source(f.removesuffix(":") if not sentence else f, sentence))
        elif k == "extra":
            c.extra.append(v)
        elif k == "term":
            try:
                d = json.loads(v)
                if not isinstance(d, dict):
                    raise ValueError("not a JSON object")
                if "status" not in d:  # written for a term whose status is unknown
                    d["status_given"] = False
                c.terms.append(Term(**d))
            except (ValueError, TypeError, CtlexError) as e:
                raise ParseError(f"bad term comment: {e}", path, entry.linenum) from None
    if entry.translator:
        c.notes.extend(_poparse.unwrap_notes([t for _, t in entry.translator]))
    if entry.msgid.strip() and not any(t.text == entry.msgid.strip() for t in c.terms):
        _promote(c, entry.msgid, "ar")  # a plain PO file: msgid is the Arabic term
    if msgstr.strip():
        if entry.fuzzy:  # a rendering under review: keep it, never promote it
            if not any(t.lang == "en" and t.text == msgstr.strip() for t in c.terms):
                c.terms.append(Term(msgstr.strip(), "en", "admitted"))
        else:
            _promote(c, msgstr, "en")
    return c if c.terms else None


_KEYS = ("type: ", "subject: ", "definition: ", "source: ", "term: ", "extra: ")


def _promote(c: Concept, text: str, lang: str) -> None:
    """Make ``text`` the preferred ``lang`` term (an edited msgstr wins over the comments)."""
    text = text.strip()
    if not text:
        return
    pref = c.preferred(lang)
    if pref is not None and pref.text == text and pref.status == "preferred":
        return
    existing = next((t for t in c.terms if t.lang == lang and t.text == text), None)
    for t in c.terms:
        if t.lang == lang and t.status == "preferred":
            t.status = "admitted"
    if existing is None:
        c.terms.insert(0, Term(text, lang, "preferred"))
    else:
        existing.status = "preferred"


def _concept_to_entry(c: Concept) -> Any:
    import polib

    ar, en = c.preferred("ar"), c.preferred("en")
    msgid = (ar or en or c.terms[0]).text
    # no settled English rendering (no preferred English term: an entry under review): the entry
    # is fuzzy and its msgstr empty, so no PO consumer takes a candidate for the answer; the
    # candidates stay in the term comments
    review = en is None or en.status != "preferred"
    lines = [f"type: {c.type}"]
    if c.subject:
        lines.append(f"subject: {c.subject}")
    if c.definition:
        lines.append(f"definition: {c.definition}")
    for s in c.sources:
        lines.append(f"source: {s.file}: {s.sentence}" if s.sentence else f"source: {s.file}")
    for t in c.terms:
        d: dict[str, Any] = {"lang": t.lang, "text": t.text}
        if t.status_given:  # an unknown status is left out, not written as "admitted"
            d["status"] = t.status
        for k in ("pos", "term_type", "note", "styles", "usage", "exclude"):
            if getattr(t, k):
                d[k] = getattr(t, k)
        if t.extra:
            d["extra"] = t.extra
        lines.append("term: " + json.dumps(d, ensure_ascii=False))
    for x in c.extra:
        lines.append("extra: " + x)
    return polib.POEntry(
        msgctxt=c.id,
        msgid=msgid,
        msgstr=en.text if en is not None and ar is not None and not review else "",
        comment="\n".join(_one_line(x) for x in lines),
        tcomment="\n\n".join(c.notes),
        flags=["fuzzy"] if review else [],
    )


def _one_line(s: str) -> str:
    return " ".join(s.split("\n"))


def _header(po: Any, title: str, lang: str) -> None:
    po.metadata = {
        "Project-Id-Version": title,
        "Last-Translator": "ctlex",
        "Language-Team": "ctlex",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": "ctlex",
        "X-Source-Language": "ar",
    }


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    import polib

    po = polib.POFile(wrapwidth=0)
    _header(po, glossary.title, options.get("lang", "en"))
    if glossary.description:  # the glossary's description travels in the header (one line)
        po.metadata["X-Description"] = _one_line(glossary.description)
    for c in glossary:
        po.append(_concept_to_entry(c))
    data = str(po)
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(data if data.endswith("\n") else data + "\n")


def read_segments(path: str | os.PathLike[str], *, report: ReadReport | None = None, drafts: bool = False, untranslated: bool = False,
                  **options: Any) -> Iterator[Segment]:
    """Each translated entry as a segment; untranslated and (unless ``drafts``) fuzzy entries are
    skipped and counted."""
    spath = os.fspath(path)
    po = _pofile(spath, report)
    src = po.metadata.get("X-Source-Language", "ar")
    tgt = po.metadata.get("Language", "en") or "en"
    for entry in po.entries:
        msgstr = entry.msgstr if entry.msgid_plural is None else entry.msgstr_plural.get(0, "")
        if not entry.msgid.strip() or (not msgstr.strip() and not untranslated):
            if report is not None:
                report.skip("untranslated entry (empty msgstr)" if entry.msgid.strip() else "empty msgid", entry.linenum)
            continue
        if entry.fuzzy and not drafts:
            if report is not None:
                report.skip("fuzzy entry (not reviewed)", entry.linenum)
            continue
        yield Segment(
            source=entry.msgid,
            target=msgstr,
            source_lang=src,
            target_lang=tgt,
            id=entry.msgctxt,
            origin=f"{os.path.basename(spath)}:{entry.linenum}",
            note="\n".join(t for _, t in entry.extracted) or None,
            props={"state": "fuzzy"} if entry.fuzzy else {},
        )


def write_segments(segments: Iterable[Segment], path: str | os.PathLike[str], **options: Any) -> int:
    import polib

    po = polib.POFile(wrapwidth=0)
    _header(po, options.get("title", "ctlex segments"), options.get("lang", "en"))
    seen: set[tuple[str | None, str]] = set()
    n = 0
    for i, s in enumerate(segments, 1):
        ctx = s.id or str(i)
        if (ctx, s.source) in seen:  # another unit with this id and source (a second target): kept, as XLIFF does
            ctx = f"{ctx}-{i}"
        seen.add((ctx, s.source))
        po.append(polib.POEntry(msgctxt=ctx, msgid=s.source, msgstr=s.target, comment=_one_line(s.note or "")))
        n += 1
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(str(po) + "\n")
    return n
