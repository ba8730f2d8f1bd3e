"""TBX 2008 (ISO 30042:2008, TBX v2) ``<martif>`` in the TBX-Basic layout, read and write.

Many CAT tools (MultiTerm's converters, older memoQ/Phrase/Wordfast builds) and translate-toolkit's
``tbxfile`` read this older shape rather than TBX v3.  The mapping is the TBX v3 one (see
:mod:`ctlex.formats.tbx`) with the 2008 element names:

=====================  =======================================================================
model                  TBX 2008
=====================  =======================================================================
Concept.id             ``termEntry/@id``
Concept.type           ``admin[@type="projectSubset"]``
Concept.subject        ``descrip[@type="subjectField"]``
Concept.definition     ``descrip[@type="definition"]`` (termEntry level)
Concept.sources        ``adminGrp/admin[@type="source"]`` + ``adminGrp/note``
Concept.notes          ``note`` (termEntry level)
Term.text / lang       ``langSet[@xml:lang]/tig/term``
Term.status / pos /    ``tig/termNote[@type="administrativeStatus"|"partOfSpeech"|"termType"]``
term_type
Term.note              ``tig/note``
anything else          kept verbatim (``extra``): written without the TBX v3 namespace and read
                       back into it, so TBX v3 → TBX 2008 → TBX v3 is lossless
=====================  =======================================================================

Nothing in the model is lost (:data:`CANNOT_CARRY` is empty).  The file has no DOCTYPE (readers
must not need to fetch a DTD); output is deterministic.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import CtlexError, ParseError
from ..glossary import Concept, Glossary, Source, Term
from ._io import atomic_write, parse_xml, safe_parser
from .tbx import NS as TBX3_NS
from .tbx import _STATUS_TO_TBX, _TBX_TO_STATUS

__all__ = ["CANNOT_CARRY", "sniff", "read", "write", "to_bytes"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
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


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _text(el: Any) -> str:
    return "".join(el.itertext()).strip()


def read(path: str | os.PathLike[str]) -> Glossary:
    """Read a TBX 2008 ``<martif>`` file (namespace-less, as the 2008 standard defines it)."""
    spath = os.fspath(path)
    root = parse_xml(spath).getroot()
    if _local(root.tag) != "martif":
        raise ParseError(f"root element is <{_local(root.tag)}>, expected TBX 2008 <martif>", spath, root.sourceline)
    title = _find_text(root, "martifHeader/fileDesc/titleStmt/title") or "ctlex glossary"
    desc = " ".join(_text(p) for p in _findall(root, "martifHeader/fileDesc/sourceDesc/p"))
    g = Glossary(title=title, description=desc)
    for body in _findall(root, "text/body"):
        for te in body:
            if not isinstance(te.tag, str):
                continue
            if _local(te.tag) != "termEntry":
                raise ParseError(f"unexpected <{_local(te.tag)}> in <body>", spath, te.sourceline)
            c = _read_entry(te, spath, len(g) + 1)
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


def _read_entry(te: Any, path: str, n: int) -> Concept:
    cid = te.get("id") or f"c{n}"
    try:
        c = Concept(id=cid)
    except CtlexError as e:
        raise ParseError(str(e), path, te.sourceline) from None
    has_type = False
    for child in te:
        if not isinstance(child.tag, str):
            continue
        tag, typ = _local(child.tag), child.get("type")
        if tag == "admin" and typ == "projectSubset" and not has_type:
            c.type, has_type = _text(child), True
        elif tag == "descrip" and typ == "subjectField" and c.subject is None:
            c.subject = _text(child)
        elif tag == "descrip" and typ == "definition" and c.definition is None:
            c.definition = _text(child)
        elif tag == "adminGrp" and _is_source_grp(child):
            kids = [k for k in child if isinstance(k.tag, str)]
            c.sources.append(Source(_text(kids[0]), _text(kids[1]) if len(kids) > 1 else ""))
        elif tag == "admin" and typ == "source":
            c.sources.append(Source(_text(child), ""))
        elif tag == "note":
            c.notes.append(_text(child))
        elif tag == "langSet":
            _read_langset(child, c, path)
        else:
            c.extra.append(_to_v3(child))
    if not c.terms:
        raise ParseError(f"termEntry {cid!r} has no terms", path, te.sourceline)
    return c


def _is_source_grp(el: Any) -> bool:
    kids = [k for k in el if isinstance(k.tag, str)]
    return (
        0 < len(kids) <= 2
        and _local(kids[0].tag) == "admin"
        and kids[0].get("type") == "source"
        and all(_local(k.tag) == "note" for k in kids[1:])
    )


def _read_langset(ls: Any, c: Concept, path: str) -> None:
    lang = ls.get(XML_LANG) or ls.get("lang")
    if not lang:
        raise ParseError("langSet without xml:lang", path, ls.sourceline)
    for child in ls:
        if not isinstance(child.tag, str):
            continue
        if _local(child.tag) in ("tig", "ntig"):
            c.terms.append(_read_tig(child, lang, path))
        else:
            c.extra.append(f"langSec:{lang}:" + _to_v3(child))


def _read_tig(tig: Any, lang: str, path: str) -> Term:
    if _local(tig.tag) == "ntig":  # <ntig><termGrp><term/><termNote/>…</termGrp>…</ntig>
        grp = next((k for k in tig if isinstance(k.tag, str) and _local(k.tag) == "termGrp"), None)
        nodes = ([k for k in grp] if grp is not None else []) + [k for k in tig if k is not grp]
    else:
        nodes = list(tig)
    term_el = next((k for k in nodes if isinstance(k.tag, str) and _local(k.tag) == "term"), None)
    if term_el is None or not _text(term_el):
        raise ParseError(f"<{_local(tig.tag)}> without a term", path, tig.sourceline)
    fields: dict[str, Any] = {"status": "admitted", "pos": None, "term_type": None, "note": None}
    extra: list[str] = []
    for child in nodes:
        if not isinstance(child.tag, str) or child is term_el:
            continue
        tag, typ, value = _local(child.tag), child.get("type"), _text(child)
        if tag == "termNote" and typ == "administrativeStatus":
            if value not in _TBX_TO_STATUS:
                raise ParseError(f"unknown administrativeStatus {value!r}", path, child.sourceline)
            fields["status"] = _TBX_TO_STATUS[value]
        elif tag == "termNote" and typ == "partOfSpeech" and fields["pos"] is None:
            fields["pos"] = value
        elif tag == "termNote" and typ == "termType" and fields["term_type"] is None:
            fields["term_type"] = value
        elif tag == "note" and fields["note"] is None:
            fields["note"] = value
        else:
            extra.append(_to_v3(child))
    return Term(text=_text(term_el), lang=lang, extra=extra, **fields)


def _to_v3(el: Any) -> str:
    """An unmodelled 2008 element as a TBX v3 fragment (the form ``extra`` holds)."""
    return _renamespace(el, TBX3_NS)


def _renamespace(el: Any, ns: str | None) -> str:
    from copy import deepcopy

    from lxml import etree

    el = deepcopy(el)
    el.tail = None
    for x in el.iter():  # drop layout whitespace, as tbx._verbatim does, so strings compare equal
        if len(x) and x.text is not None and not x.text.strip():
            x.text = None
        if x is not el and x.tail is not None and not x.tail.strip():
            x.tail = None
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
    from lxml import etree

    el = etree.fromstring(xml, safe_parser(remove_blank_text=True))
    return etree.fromstring(_renamespace(el, None), safe_parser(remove_blank_text=True))


def to_bytes(glossary: Glossary, *, lang: str = "en") -> bytes:
    """Serialize ``glossary`` as TBX 2008 ``<martif type="TBX-Basic">``, deterministically."""
    from lxml import etree

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, tag)
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, v)
        if text is not None:
            el.text = text
        return el

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
        if not c.terms:
            raise CtlexError(f"concept {c.id!r} has no terms; TBX requires at least one")
        te = sub(body, "termEntry", id=c.id)
        sub(te, "admin", c.type, type="projectSubset")
        if c.subject:
            sub(te, "descrip", c.subject, type="subjectField")
        if c.definition:
            sub(te, "descrip", c.definition, type="definition")
        for s in c.sources:
            grp = sub(te, "adminGrp")
            sub(grp, "admin", s.file, type="source")
            if s.sentence:
                sub(grp, "note", s.sentence, lang="ar")
        for n in c.notes:
            sub(te, "note", n)
        lang_extra: dict[str, list[str]] = {}
        for x in c.extra:
            if x.startswith("langSec:"):
                _, xlang, xml = x.split(":", 2)
                lang_extra.setdefault(xlang, []).append(xml)
            else:
                te.append(_from_v3(x))
        for tl in c.languages():
            ls = sub(te, "langSet", lang=tl)
            for xml in lang_extra.pop(tl, []):
                ls.append(_from_v3(xml))
            for t in (t for t in c.terms if t.lang == tl):
                tig = sub(ls, "tig")
                sub(tig, "term", t.text)
                if t.pos:
                    sub(tig, "termNote", t.pos, type="partOfSpeech")
                if t.term_type:
                    sub(tig, "termNote", t.term_type, type="termType")
                sub(tig, "termNote", _STATUS_TO_TBX[t.status], type="administrativeStatus")
                extras = sorted(t.extra, key=lambda x: not x.lstrip("<").startswith("termNote"))
                for xml in (x for x in extras if x.lstrip("<").startswith("termNote")):
                    tig.append(_from_v3(xml))
                if t.note:
                    sub(tig, "note", t.note)
                for xml in (x for x in extras if not x.lstrip("<").startswith("termNote")):
                    tig.append(_from_v3(xml))
        for xlang, xmls in lang_extra.items():  # extras of a language with no terms left
            ls = sub(te, "langSet", lang=xlang)
            for xml in xmls:
                ls.append(_from_v3(xml))
    etree.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    """Write ``glossary`` as TBX 2008 atomically; ``lang`` sets the file's ``xml:lang``."""
    data = to_bytes(glossary, **options)
    with atomic_write(path, "wb") as f:
        f.write(data)
