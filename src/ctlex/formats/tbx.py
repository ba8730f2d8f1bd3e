"""TBX v3 (ISO 30042:2019), TBX-Basic dialect, DCA style: ctlex's canonical glossary format.

How the concept model maps onto TBX-Basic data categories:

=====================  =======================================================================
model                  TBX
=====================  =======================================================================
Concept.id             ``conceptEntry/@id``
Concept.type           ``admin[@type="projectSubset"]`` (concepts are subsetted by entity type)
Concept.subject        ``descrip[@type="subjectField"]``
Concept.definition     ``descrip[@type="definition"]`` (concept level, English)
Concept.sources        ``adminGrp/admin[@type="source"]`` (file) + ``adminGrp/note`` (sentence)
Concept.notes          ``note`` (concept level)
Term.text / lang       ``langSec[@xml:lang]/termSec/term``
Term.status            ``termNote[@type="administrativeStatus"]`` (``preferredTerm-admn-sts``…)
Term.pos               ``termNote[@type="partOfSpeech"]``
Term.term_type         ``termNote[@type="termType"]``
Term.note              ``termSec/note``
Term.styles            ``termSec/admin[@type="customerSubset"]`` (one per house style: UN, EU…)
Term.usage             ``termSec/note`` starting ``usage: forbidden`` (with status deprecatedTerm)
                       or ``usage: do-not-translate``
Term.exclude           ``termSec/note`` ``exclusion context: كرة القاعدة`` (one per context)
anything else          kept verbatim (``extra``) and written back in place
=====================  =======================================================================

Output is deterministic (same glossary → same bytes) and validates against the TBX core RelaxNG
schema and the TBX-Basic Schematron.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ParseError
from ..glossary import Glossary
from . import _tbxbasic as basic
from ._io import atomic_write, parse_xml

NS = "urn:iso:std:iso:30042:ed-2"
RNG_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
SCH_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def sniff(head: bytes) -> bool:
    text = head[:4096].decode("utf-8", errors="ignore")
    return "<tbx" in text and NS in text


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


def read(path: str | os.PathLike[str], *, report: Any = None, **options: Any) -> Glossary:
    spath = os.fspath(path)
    root = parse_xml(spath).getroot()
    if root.tag == "martif":  # TBX 2008 shares the .tbx extension
        from . import tbx2

        return tbx2.read(spath, report=report, _root=root)
    if root.tag != _q("tbx"):
        raise ParseError(f"root element is <{_local(root.tag)}>, expected TBX v3 <tbx xmlns=\"{NS}\">", spath, root.sourceline)
    title = root.findtext(f"{_q('tbxHeader')}/{_q('fileDesc')}/{_q('titleStmt')}/{_q('title')}") or "ctlex glossary"
    desc = " ".join(p.text or "" for p in root.iterfind(f"{_q('tbxHeader')}/{_q('fileDesc')}/{_q('sourceDesc')}/{_q('p')}"))
    body = root.find(f"{_q('text')}/{_q('body')}")
    g = Glossary(title=title, description=desc)
    header = root.find(_q("tbxHeader"))
    fd = header.find(_q("fileDesc")) if header is not None else None
    for el in [*(fd if fd is not None else ()), *(header if header is not None else ())]:
        if isinstance(el.tag, str) and _local(el.tag) in ("publicationStmt", "encodingDesc", "revisionDesc"):
            g.extra.append(f"{_local(el.tag)}:" + _verbatim(el))
    back = root.find(f"{_q('text')}/{_q('back')}")
    if back is not None:
        g.extra.append("back:" + _verbatim(back))
    if body is None:
        raise ParseError("no <text><body>: not a TBX glossary", spath, root.sourceline)
    d = _dialect()
    for ce in basic.children(body):
        if ce.tag != _q("conceptEntry"):
            raise ParseError(f"unexpected <{_local(ce.tag)}> in <body> (expected <conceptEntry>)", spath, ce.sourceline)
        if ce.get("id") is not None and ce.get("id") in g:
            raise ParseError(f"duplicate conceptEntry id {ce.get('id')!r}", spath, ce.sourceline)
        concept = basic.read_concept(ce, basic.entry_id(ce, g, spath, report), spath, d)
        if concept.id in g:
            raise ParseError(f"duplicate conceptEntry id {concept.id!r}", spath, ce.sourceline)
        g.add(concept)
    return g


_local = basic.local
XML_LANG = basic.XML_LANG
# kept for modules that map statuses the same way
_STATUS_TO_TBX, _TBX_TO_STATUS = basic.STATUS_TO_TBX, basic.TBX_TO_STATUS


def _verbatim(el: Any) -> str:
    from lxml import etree

    return etree.tostring(basic.without_layout(el), encoding="unicode", with_tail=False)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------


def to_bytes(glossary: Glossary, *, lang: str = "en") -> bytes:
    """Serialize ``glossary`` as TBX-Basic (DCA) bytes, deterministically."""
    from lxml import etree

    d = _dialect()
    root = etree.Element(_q("tbx"), nsmap={None: NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, lang)
    kept = dict(x.split(":", 1) for x in glossary.extra if x.split(":", 1)[0] in ("publicationStmt", "encodingDesc", "revisionDesc", "back"))
    header = d.sub(root, "tbxHeader")
    fd = d.sub(header, "fileDesc")
    if "publicationStmt" in kept:
        fd.append(basic.fragment(kept["publicationStmt"]))
    d.sub(d.sub(fd, "titleStmt"), "title", glossary.title or "ctlex glossary")
    d.sub(d.sub(fd, "sourceDesc"), "p", glossary.description or "Written by ctlex.")
    for part in ("encodingDesc", "revisionDesc"):
        if part in kept:
            header.append(basic.fragment(kept[part]))
    text = d.sub(root, "text")
    body = d.sub(text, "body")
    for c in glossary:
        basic.write_concept(body, c, d)
    if "back" in kept:
        text.append(basic.fragment(kept["back"]))
    etree.indent(root, space="  ")
    pis = (
        f'<?xml-model href="{RNG_HREF}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        f'<?xml-model href="{SCH_HREF}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + pis.encode() + etree.tostring(root, encoding="UTF-8") + b"\n"


def _dialect() -> basic.Dialect:
    from lxml import etree

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, _q(tag))
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, v)
        if text is not None:
            el.text = text
        return el

    return basic.Dialect("conceptEntry", "langSec", ("termSec",), sub, _verbatim, basic.fragment)


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    data = to_bytes(glossary, **options)
    with atomic_write(path, "wb") as f:
        f.write(data)
