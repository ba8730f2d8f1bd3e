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
anything else          kept verbatim (``extra``) and written back in place
=====================  =======================================================================

Output is deterministic (same glossary → same bytes) and validates against the TBX core RelaxNG
schema and the TBX-Basic Schematron.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from ..errors import ParseError
from ..glossary import STATUSES, Concept, Glossary, Source, Term
from ._io import atomic_write, parse_xml

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RNG_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
SCH_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"
_STATUS_TO_TBX = {s: f"{s}Term-admn-sts" for s in STATUSES}
_TBX_TO_STATUS = {v: k for k, v in _STATUS_TO_TBX.items()}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def sniff(head: bytes) -> bool:
    text = head[:4096].decode("utf-8", errors="ignore")
    return "<tbx" in text and NS in text


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


def read(path: str | os.PathLike[str]) -> Glossary:
    spath = os.fspath(path)
    root = parse_xml(spath).getroot()
    if root.tag == "martif":  # TBX 2008 shares the .tbx extension
        from . import tbx2

        return tbx2.read(spath)
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
        return g
    for ce in body.iterfind(_q("conceptEntry")):
        concept = _read_concept(ce, spath)
        if concept.id in g:
            raise ParseError(f"duplicate conceptEntry id {concept.id!r}", spath, ce.sourceline)
        g.add(concept)
    return g


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _text(el: Any) -> str:
    return "".join(el.itertext())


def _verbatim(el: Any) -> str:
    from lxml import etree

    # Keep the element, drop the indentation around its children (our writer re-indents), so
    # read → write → read gives back the same string.
    el = copy.deepcopy(el)
    for x in el.iter():
        if len(x) and x.text is not None and not x.text.strip():
            x.text = None
        if x is not el and x.tail is not None and not x.tail.strip():
            x.tail = None
    return etree.tostring(el, encoding="unicode", with_tail=False)


def _read_concept(ce: Any, path: str) -> Concept:
    cid = ce.get("id")
    if not cid:
        raise ParseError("conceptEntry without id", path, ce.sourceline)
    try:
        concept = Concept(id=cid)
    except Exception as e:
        raise ParseError(str(e), path, ce.sourceline) from None
    has_type = False
    for child in ce:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        tag, typ = _local(child.tag), child.get("type")
        if tag == "admin" and typ == "projectSubset" and not has_type:
            concept.type, has_type = _text(child).strip(), True
        elif tag == "descrip" and typ == "subjectField" and concept.subject is None:
            concept.subject = _text(child).strip()
        elif tag == "descrip" and typ == "definition" and concept.definition is None:
            concept.definition = _text(child).strip()
        elif tag == "adminGrp" and _is_source_grp(child):
            admin = child.find(_q("admin"))
            note = child.find(_q("note"))
            concept.sources.append(Source(_text(admin).strip(), _text(note).strip() if note is not None else ""))
        elif tag == "admin" and typ == "source":
            concept.sources.append(Source(_text(child).strip(), ""))
        elif tag == "note":
            concept.notes.append(_text(child).strip())
        elif tag == "langSec":
            _read_langsec(child, concept, path)
        else:
            concept.extra.append(_verbatim(child))
    if not concept.terms:
        raise ParseError(f"conceptEntry {cid!r} has no terms", path, ce.sourceline)
    return concept


def _is_source_grp(el: Any) -> bool:
    kids = [k for k in el if isinstance(k.tag, str)]
    return (
        bool(kids)
        and _local(kids[0].tag) == "admin"
        and kids[0].get("type") == "source"
        and all(_local(k.tag) == "note" for k in kids[1:])
        and len(kids) <= 2
    )


def _read_langsec(ls: Any, concept: Concept, path: str) -> None:
    lang = ls.get(XML_LANG)
    if not lang:
        raise ParseError("langSec without xml:lang", path, ls.sourceline)
    for child in ls:
        if not isinstance(child.tag, str):
            continue
        if _local(child.tag) == "termSec":
            concept.terms.append(_read_term(child, lang, path))
        else:
            concept.extra.append(f"langSec:{lang}:" + _verbatim(child))


def _read_term(ts: Any, lang: str, path: str) -> Term:
    term_el = ts.find(_q("term"))
    if term_el is None or not _text(term_el).strip():
        raise ParseError("termSec without a term", path, ts.sourceline)
    fields: dict[str, Any] = {"status": "admitted", "pos": None, "term_type": None, "note": None}
    extra: list[str] = []
    for child in ts:
        if not isinstance(child.tag, str) or child is term_el:
            continue
        tag, typ = _local(child.tag), child.get("type")
        value = _text(child).strip()
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
            extra.append(_verbatim(child))
    return Term(text=_text(term_el).strip(), lang=lang, extra=extra, **fields)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------


def to_bytes(glossary: Glossary, *, lang: str = "en") -> bytes:
    """Serialize ``glossary`` as TBX-Basic (DCA) bytes, deterministically."""
    from lxml import etree

    E = _Builder(etree)
    root = etree.Element(_q("tbx"), nsmap={None: NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, lang)
    kept = dict(x.split(":", 1) for x in glossary.extra if x.split(":", 1)[0] in ("publicationStmt", "encodingDesc", "revisionDesc", "back"))
    header = E.sub(root, "tbxHeader")
    fd = E.sub(header, "fileDesc")
    if "publicationStmt" in kept:
        E.verbatim(fd, kept["publicationStmt"])
    ts = E.sub(fd, "titleStmt")
    E.sub(ts, "title", glossary.title or "ctlex glossary")
    sd = E.sub(fd, "sourceDesc")
    E.sub(sd, "p", glossary.description or "Written by ctlex.")
    for part in ("encodingDesc", "revisionDesc"):
        if part in kept:
            E.verbatim(header, kept[part])
    text = E.sub(root, "text")
    body = E.sub(text, "body")
    for c in glossary:
        _write_concept(E, body, c)
    if "back" in kept:
        E.verbatim(text, kept["back"])
    etree.indent(root, space="  ")
    pis = (
        f'<?xml-model href="{RNG_HREF}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        f'<?xml-model href="{SCH_HREF}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + pis.encode() + etree.tostring(root, encoding="UTF-8") + b"\n"


class _Builder:
    def __init__(self, etree: Any) -> None:
        self.etree = etree

    def sub(self, parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = self.etree.SubElement(parent, _q(tag))
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, v)
        if text is not None:
            el.text = text
        return el

    def verbatim(self, parent: Any, xml: str) -> None:
        el = self.etree.fromstring(xml, _fragment_parser())
        parent.append(el)


def _fragment_parser() -> Any:
    from ._io import safe_parser

    return safe_parser(remove_blank_text=True)


def _write_concept(E: _Builder, body: Any, c: Concept) -> None:
    from ..errors import CtlexError

    if not c.terms:
        raise CtlexError(f"concept {c.id!r} has no terms; TBX requires at least one")
    ce = E.sub(body, "conceptEntry", id=c.id)
    E.sub(ce, "admin", c.type, type="projectSubset")
    if c.subject:
        E.sub(ce, "descrip", c.subject, type="subjectField")
    if c.definition:
        E.sub(ce, "descrip", c.definition, type="definition")
    for s in c.sources:
        grp = E.sub(ce, "adminGrp")
        E.sub(grp, "admin", s.file, type="source")
        if s.sentence:
            E.sub(grp, "note", s.sentence, lang="ar")
    for n in c.notes:
        E.sub(ce, "note", n)
    lang_extra: dict[str, list[str]] = {}
    for x in c.extra:
        if x.startswith("langSec:"):
            _, lang, xml = x.split(":", 2)
            lang_extra.setdefault(lang, []).append(xml)
        else:
            E.verbatim(ce, x)
    for lang in c.languages():
        ls = E.sub(ce, "langSec", lang=lang)
        for xml in lang_extra.pop(lang, []):
            E.verbatim(ls, xml)
        for t in (t for t in c.terms if t.lang == lang):
            ts = E.sub(ls, "termSec")
            E.sub(ts, "term", t.text)
            if t.pos:
                E.sub(ts, "termNote", t.pos, type="partOfSpeech")
            if t.term_type:
                E.sub(ts, "termNote", t.term_type, type="termType")
            E.sub(ts, "termNote", _STATUS_TO_TBX[t.status], type="administrativeStatus")
            # the schema wants every termNote before the term's auxiliary information
            notes_first = sorted(t.extra, key=lambda x: not x.lstrip("<").startswith("termNote"))
            for xml in (x for x in notes_first if x.lstrip("<").startswith("termNote")):
                E.verbatim(ts, xml)
            if t.note:
                E.sub(ts, "note", t.note)
            for xml in (x for x in notes_first if not x.lstrip("<").startswith("termNote")):
                E.verbatim(ts, xml)


def write(glossary: Glossary, path: str | os.PathLike[str], **options: Any) -> None:
    data = to_bytes(glossary, **options)
    with atomic_write(path, "wb") as f:
        f.write(data)
