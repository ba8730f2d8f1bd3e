"""Streaming readers of TBX v3 and TBX 2008 for compiling big termbases: one entry at a time.

:func:`ctlex.formats.tbx.read` parses the whole document into a tree first, which for a
termbase of 100k concepts costs seconds and more than a gigabyte.  This reader walks the file
with ``iterparse`` (the safe one of :mod:`ctlex.formats._io`: no entities, no network), hands each
``conceptEntry`` of ``text/body`` to the same concept mapping the TBX reader uses
(:func:`ctlex.formats._tbxbasic.read_concept`) and frees it.  The file-level parts the reader keeps
(title, description, ``publicationStmt``/``encodingDesc``/``revisionDesc``, ``back``) are read the
same way; a test checks that both readers give the same glossary.  :func:`stream_2008` does the
same for a TBX 2008 ``<martif>`` file (``termEntry`` by ``termEntry``, the 2008 reader's mapping and
checks: :func:`ctlex.formats.tbx2.read`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import ParseError
from ..glossary import Concept

__all__ = ["Header", "stream", "stream_2008"]


@dataclass
class Header:
    """What :func:`ctlex.formats.tbx.read` keeps of a TBX file besides its concepts."""

    title: str = "ctlex glossary"
    description: str = ""
    extra: list[str] = field(default_factory=list)


def _free(el: Any) -> int:
    """Free an entry that has been read, and everything before it (constant memory on huge
    files); its line."""
    line = int(el.sourceline or 0)
    parent = el.getparent()
    el.clear()
    while el.getprevious() is not None:
        del parent[0]
    return line


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
            yield concept, _free(el)
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


def stream_2008(path: str | os.PathLike[str], header: Header) -> Iterator[tuple[Concept, int]]:
    """``(concept, line)`` for every termEntry of a TBX 2008 ``<martif>`` file, in file order,
    as :func:`ctlex.formats.tbx2.read` reads them (ids derived the same way, the same errors:
    a root that is not ``martif``, no ``text/body``, anything but ``termEntry`` in a body, a
    duplicate id).  ``header`` gets the title and description."""
    from ..formats import _tbxbasic as basic
    from ..formats import tbx2
    from ..formats._io import iterparse_xml
    from ..glossary import Glossary

    spath = os.fspath(path)
    local = basic.local
    d = tbx2._dialect(Glossary().source_lang)
    seen: set[str] = set()
    bodies = 0
    root_checked = False

    def in_body(el: object) -> bool:
        parent = el.getparent()  # type: ignore[attr-defined]
        return (parent is not None and local(parent.tag) == "body" and parent.getparent() is not None
                and local(parent.getparent().tag) == "text")

    def only_entries(siblings: list[object]) -> None:
        for x in siblings:
            if isinstance(x.tag, str) and local(x.tag) != "termEntry":  # type: ignore[attr-defined]
                raise ParseError(f"unexpected <{local(x.tag)}> in <body>", spath, x.sourceline)  # type: ignore[attr-defined]

    names = ("termEntry", "martifHeader", "body")  # namespace-less, as TBX 2008 defines them, or in any namespace
    for _, el in iterparse_xml(spath, tag=(*names, *(f"{{*}}{n}" for n in names))):
        if not root_checked:
            root_checked = True
            root = el.getroottree().getroot()
            if local(root.tag) != "martif":
                raise ParseError(f"root element is <{local(root.tag)}>, expected TBX 2008 <martif>", spath, root.sourceline)
        name = local(el.tag)
        if name == "termEntry" and in_body(el):
            only_entries(list(el.itersiblings(preceding=True)))
            if el.get("id") is not None and el.get("id") in seen:
                raise ParseError(f"duplicate termEntry id {el.get('id')!r}", spath, el.sourceline)
            c = basic.read_concept(el, basic.entry_id(el, seen, spath, None, default=f"c{len(seen) + 1}"), spath, d, None)
            if c.id in seen:
                raise ParseError(f"duplicate termEntry id {c.id!r}", spath, el.sourceline)
            seen.add(c.id)
            yield c, _free(el)
        elif name == "body" and el.getparent() is not None and local(el.getparent().tag) == "text":
            bodies += 1
            only_entries(list(el))
        elif name == "martifHeader" and el.getparent() is not None and el.getparent().getparent() is None:
            header.title = tbx2._find_text(el, "fileDesc/titleStmt/title") or "ctlex glossary"
            header.description = " ".join(basic.text(p) for p in tbx2._findall(el, "fileDesc/sourceDesc/p"))
    if not bodies:
        raise ParseError("no <text><body>: not a TBX glossary", spath)
