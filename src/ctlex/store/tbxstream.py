"""A streaming reader of TBX v3 for compiling big termbases: one ``conceptEntry`` at a time.

:func:`ctlex.formats.tbx.read` parses the whole document into a tree first, which for a
termbase of 100k concepts costs seconds and more than a gigabyte.  This reader walks the file
with ``iterparse`` (the safe one of :mod:`ctlex.formats._io`: no entities, no network), hands each
``conceptEntry`` of ``text/body`` to the same concept mapping the TBX reader uses
(:func:`ctlex.formats._tbxbasic.read_concept`) and frees it.  The file-level parts the reader keeps
(title, description, ``publicationStmt``/``encodingDesc``/``revisionDesc``, ``back``) are read the
same way; a test checks that both readers give the same glossary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import ParseError
from ..glossary import Concept

__all__ = ["Header", "stream"]


@dataclass
class Header:
    """What :func:`ctlex.formats.tbx.read` keeps of a TBX file besides its concepts."""

    title: str = "ctlex glossary"
    description: str = ""
    extra: list[str] = field(default_factory=list)


def stream(path: str | os.PathLike[str], header: Header) -> Iterator[tuple[Concept, int]]:
    """``(concept, line)`` for every conceptEntry of a TBX v3 file, in file order.

    ``header`` is filled in as the file is read (complete once the iterator is exhausted).
    Errors are :class:`ParseError` with the file and line, as in the TBX reader."""
    from ..formats import _tbxbasic as basic
    from ..formats import tbx
    from ..formats._io import iterparse_xml

    spath = os.fspath(path)
    q = tbx._q
    d = tbx._dialect()
    body_tag, entry_tag, header_tag, back_tag, text_tag = q("body"), q("conceptEntry"), q("tbxHeader"), q("back"), q("text")
    seen: set[str] = set()
    header_extra: list[str] = []
    back_extra: list[str] = []
    root_checked = False
    for _, el in iterparse_xml(spath, tag=(entry_tag, header_tag, back_tag)):
        if not root_checked:
            root_checked = True
            root = el.getroottree().getroot()
            if root.tag != q("tbx"):
                raise ParseError(f"root element is <{basic.local(root.tag)}>, expected TBX v3 <tbx xmlns=\"{tbx.NS}\">", spath, root.sourceline)
        tag = el.tag
        parent = el.getparent()
        if tag == entry_tag:
            if parent is None or parent.tag != body_tag or parent.getparent() is None or parent.getparent().tag != text_tag:
                continue  # only text/body/conceptEntry is a concept, as in the TBX reader
            cid = el.get("id")
            if not cid:
                raise ParseError("conceptEntry without id", spath, el.sourceline)
            concept = basic.read_concept(el, cid, spath, d)
            if concept.id in seen:
                raise ParseError(f"duplicate conceptEntry id {concept.id!r}", spath, el.sourceline)
            seen.add(concept.id)
            line = el.sourceline
            el.clear()
            while el.getprevious() is not None:  # free what was read
                del parent[0]
            yield concept, line
        elif tag == header_tag and parent is not None and parent.getparent() is None:
            header.title = el.findtext(f"{q('fileDesc')}/{q('titleStmt')}/{q('title')}") or "ctlex glossary"
            header.description = " ".join(p.text or "" for p in el.iterfind(f"{q('fileDesc')}/{q('sourceDesc')}/{q('p')}"))
            fd = el.find(q("fileDesc"))
            for x in [*(fd if fd is not None else ()), *el]:
                if isinstance(x.tag, str) and basic.local(x.tag) in ("publicationStmt", "encodingDesc", "revisionDesc"):
                    header_extra.append(f"{basic.local(x.tag)}:" + tbx._verbatim(x))
        elif tag == back_tag and parent is not None and parent.tag == text_tag and not back_extra:
            back_extra.append("back:" + tbx._verbatim(el))
    header.extra = header_extra + back_extra
