"""GNU gettext PO via polib: Arabic ``msgid``, English ``msgstr``, one entry per concept.

``msgctxt`` is the concept id, so two concepts may share an Arabic term.  Everything else the
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
import re
from typing import Any, Iterable, Iterator

from ..errors import ParseError
from ..glossary import Concept, Glossary, Source, Term, slug_id
from ..segment import Segment
from ._io import atomic_write, read_text

def sniff(head: bytes) -> bool:
    text = head.decode("utf-8", errors="ignore")
    return "msgid " in text and "msgstr" in text


def _pofile(path: str | os.PathLike[str]) -> Any:
    import polib

    spath = os.fspath(path)
    text = read_text(spath)  # checks encoding and existence with a located error
    if not text.strip():
        raise ParseError("empty file", spath, 1)
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as e:
        msg = str(e)
        m = re.search(r"\(line (\d+)\)", msg)
        reason = re.sub(r"^Syntax error in po file( \(line \d+\))?:?\s*", "", msg) or "syntax error"
        raise ParseError(reason if reason != msg else "syntax error: " + msg, spath, int(m.group(1)) if m else None) from None


def read(path: str | os.PathLike[str]) -> Glossary:
    spath = os.fspath(path)
    po = _pofile(spath)
    g = Glossary(title=po.metadata.get("Project-Id-Version", "ctlex glossary"), description=po.metadata.get("X-Description", ""))
    for entry in po:
        if entry.obsolete:
            continue
        concept = _entry_to_concept(entry, spath)
        if concept.id in g:
            raise ParseError(f"duplicate msgctxt {concept.id!r}", spath, entry.linenum)
        g.add(concept)
    return g


def _entry_to_concept(entry: Any, path: str) -> Concept:
    cid = entry.msgctxt or slug_id(entry.msgstr or "c")
    try:
        c = Concept(id=cid)
    except Exception as e:
        raise ParseError(str(e), path, entry.linenum) from None
    for line in _logical_lines(entry.comment or ""):
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
                c.terms.append(Term(**d))
            except (ValueError, TypeError) as e:
                raise ParseError(f"bad term comment: {e}", path, entry.linenum) from None
    if entry.tcomment:
        c.notes.extend(n for n in entry.tcomment.split("\n\n"))
    if not any(t.text == entry.msgid.strip() for t in c.terms):
        _promote(c, entry.msgid, "ar")  # a plain PO file: msgid is the Arabic term
    if entry.msgstr.strip():
        if "fuzzy" in entry.flags:  # a rendering under review: keep it, never promote it
            if not any(t.lang == "en" and t.text == entry.msgstr.strip() for t in c.terms):
                c.terms.append(Term(entry.msgstr.strip(), "en", "admitted"))
        else:
            _promote(c, entry.msgstr, "en")
    return c


_KEYS = ("type: ", "subject: ", "definition: ", "source: ", "term: ", "extra: ")


def _logical_lines(comment: str) -> list[str]:
    """Comment lines with any wrapping a PO editor added undone (polib wraps at 78 columns)."""
    out: list[str] = []
    for line in comment.splitlines():
        if out and not line.startswith(_KEYS):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


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
        d: dict[str, Any] = {"lang": t.lang, "text": t.text, "status": t.status}
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


def read_segments(path: str | os.PathLike[str]) -> Iterator[Segment]:
    spath = os.fspath(path)
    po = _pofile(spath)
    src = po.metadata.get("X-Source-Language", "ar")
    tgt = po.metadata.get("Language", "en") or "en"
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        yield Segment(
            source=entry.msgid,
            target=entry.msgstr,
            source_lang=src,
            target_lang=tgt,
            id=entry.msgctxt,
            origin=f"{os.path.basename(spath)}:{entry.linenum}",
            note=entry.comment or None,
        )


def write_segments(segments: Iterable[Segment], path: str | os.PathLike[str], **options: Any) -> int:
    import polib

    po = polib.POFile(wrapwidth=0)
    _header(po, options.get("title", "ctlex segments"), options.get("lang", "en"))
    seen: set[tuple[str | None, str]] = set()
    n = 0
    for i, s in enumerate(segments, 1):
        ctx = s.id or str(i)
        if (ctx, s.source) in seen:
            continue
        seen.add((ctx, s.source))
        po.append(polib.POEntry(msgctxt=ctx, msgid=s.source, msgstr=s.target, comment=_one_line(s.note or "")))
        n += 1
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(str(po) + "\n")
    return n
