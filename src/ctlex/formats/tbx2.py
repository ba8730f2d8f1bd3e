"""TBX 2008 (ISO 30042:2008, TBX v2) ``<martif>`` in the TBX-Basic layout, read and write.

Many CAT tools (MultiTerm's converters, older memoQ/Phrase/Wordfast builds) and translate-toolkit's
``tbxfile`` read this older shape rather than TBX v3.  The mapping is the TBX v3 one (see
:mod:`ctlex.formats.tbx`) with the 2008 element names:

=====================  =======================================================================
model                  TBX 2008
=====================  =======================================================================
Concept.id             ``termEntry/@id``
Concept.type           ``tig/admin[@type="projectSubset"]`` on every tig (TBX-Basic 2008 allows
                       projectSubset only at the term level)
Concept.subject        ``descrip[@type="subjectField"]``
Concept.definition     ``descrip[@type="definition"]`` (termEntry level)
Concept.sources        on the *anchor* tig (the first tig of the first langSet in the glossary's
                       source language, else the first tig):
                       ``descripGrp[descrip[@type="context"] + admin[@type="source"]]`` (file and
                       sentence) or ``admin[@type="source"]`` (file only); TBX-Basic 2008 has no
                       ``adminGrp`` and allows context only at the term level
Concept.notes          ``note`` (termEntry level)
Term.text / lang       ``langSet[@xml:lang]/tig/term``
Term.status / pos /    ``tig/termNote[@type="administrativeStatus"|"partOfSpeech"|"termType"]``
term_type
Term.note              ``tig/note``
Term.styles            ``tig/admin[@type="customerSubset"]`` (one per house style)
Term.usage / exclude   ``tig/note`` starting ``usage: `` / ``exclusion context: ``
anything else          kept verbatim (``extra``): written without the TBX v3 namespace and read
                       back into it, so TBX v3 → TBX 2008 → TBX v3 is lossless
=====================  =======================================================================

Nothing in the model is lost (:data:`CANNOT_CARRY` is empty).  The file has no DOCTYPE (readers
must not need to fetch a DTD); output is deterministic and valid against the official TBX-Basic
2008 RelaxNG (``TBXBasicRNGV02.rng``) and its embedded Schematron rules, shipped in
``ctlex/schemas/tbx-2008``.  Reading also accepts the older layout (``projectSubset`` and
``adminGrp`` sources at the termEntry level, as ctlex wrote before).
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ParseError
from ..glossary import Glossary
from . import _tbxbasic as basic
from ._io import atomic_write, parse_xml
from .tbx import NS as TBX3_NS

__all__ = ["CANNOT_CARRY", "sniff", "read", "write", "to_bytes"]

XML_LANG = basic.XML_LANG
#: What this format cannot carry (field names as in the conformance tests): nothing.
CANNOT_CARRY: frozenset[str] = frozenset()


def sniff(head: bytes) -> bool:
    """TBX 2008 files have a ``<martif`` root (and no TBX v3 namespace)."""
    text = head[:4096].decode("utf-8", errors="ignore")
    if "<martif" not in text:
        try:
            text = head[:4096].decode("utf-16")
        except UnicodeDecodeError:
            return False
    return "<martif" in text


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


_local = basic.local
_text = basic.text


def read(path: str | os.PathLike[str], *, report: Any = None, _root: Any = None, **options: Any) -> Glossary:
    """Read a TBX 2008 ``<martif>`` file (namespace-less, as the 2008 standard defines it).

    Entry ids are kept when they are valid XML ids in any script; an invalid or missing one
    (translate-toolkit's ``csv2tbx`` uses the source term, spaces included) is derived from it,
    with a warning in ``report``."""
    spath = os.fspath(path)
    root = _root if _root is not None else parse_xml(spath).getroot()
    if _local(root.tag) != "martif":
        raise ParseError(f"root element is <{_local(root.tag)}>, expected TBX 2008 <martif>", spath, root.sourceline)
    title = _find_text(root, "martifHeader/fileDesc/titleStmt/title") or "ctlex glossary"
    desc = " ".join(_text(p) for p in _findall(root, "martifHeader/fileDesc/sourceDesc/p"))
    g = Glossary(title=title, description=desc)
    d = _dialect(g.source_lang)
    bodies = _findall(root, "text/body")
    if not bodies:
        raise ParseError("no <text><body>: not a TBX glossary", spath, root.sourceline)
    for body in bodies:
        for te in body:
            if not isinstance(te.tag, str):
                continue
            if _local(te.tag) != "termEntry":
                raise ParseError(f"unexpected <{_local(te.tag)}> in <body>", spath, te.sourceline)
            if te.get("id") is not None and te.get("id") in g:
                raise ParseError(f"duplicate termEntry id {te.get('id')!r}", spath, te.sourceline)
            c = basic.read_concept(te, basic.entry_id(te, g, spath, report, default=f"c{len(g) + 1}"), spath, d)
            if c.id in g:
                raise ParseError(f"duplicate termEntry id {c.id!r}", spath, te.sourceline)
            g.add(c)
    return g


def _findall(el: Any, path: str) -> list[Any]:
    found = [el]
    for step in path.split("/"):
        found = [k for e in found for k in e if isinstance(k.tag, str) and _local(k.tag) == step]
    return found


def _find_text(el: Any, path: str) -> str | None:
    found = _findall(el, path)
    return _text(found[0]) if found else None


def _to_v3(el: Any) -> str:
    """An unmodelled 2008 element as a TBX v3 fragment (the form ``extra`` holds)."""
    return _renamespace(el, TBX3_NS)


def _renamespace(el: Any, ns: str | None) -> str:
    from lxml import etree

    el = basic.without_layout(el)
    for e in el.iter():
        if isinstance(e.tag, str) and not e.tag.startswith("{http://www.w3.org/XML/1998/namespace}"):
            local = _local(e.tag)
            e.tag = f"{{{ns}}}{local}" if ns else local
    if ns:
        wrapper = etree.Element(f"{{{ns}}}x", nsmap={None: ns})
        wrapper.append(el)
        etree.cleanup_namespaces(wrapper)
        return etree.tostring(wrapper[0], encoding="unicode", with_tail=False)
    etree.cleanup_namespaces(el)
    return etree.tostring(el, encoding="unicode", with_tail=False)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------


def _from_v3(xml: str) -> Any:
    return basic.fragment(_renamespace(basic.fragment(xml), None))


def _dialect(source_lang: str = "ar") -> basic.Dialect:
    from lxml import etree

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, tag)
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, v)
        if text is not None:
            el.text = text
        return el

    return basic.Dialect("termEntry", "langSet", ("tig", "ntig"), sub, _to_v3, _from_v3, concept_on_terms=True,
                         source_lang=source_lang)


def to_bytes(glossary: Glossary, *, lang: str = "en") -> bytes:
    """Serialize ``glossary`` as TBX 2008 ``<martif type="TBX-Basic">``, deterministically."""
    from lxml import etree

    d = _dialect(glossary.source_lang)
    sub = d.sub

    root = etree.Element("martif")
    root.set("type", "TBX-Basic")
    root.set(XML_LANG, lang)
    header = sub(root, "martifHeader")
    fd = sub(header, "fileDesc")
    sub(sub(fd, "titleStmt"), "title", glossary.title or "ctlex glossary")
    sub(sub(fd, "sourceDesc"), "p", glossary.description or "Written by ctlex.")
    sub(sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = sub(sub(root, "text"), "body")
    for c in glossary:
        basic.write_concept(body, c, d)
    etree.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    """Write ``glossary`` as TBX 2008 atomically; ``lang`` sets the file's ``xml:lang``."""
    data = to_bytes(glossary, **options)
    with atomic_write(path, "wb") as f:
        f.write(data)
