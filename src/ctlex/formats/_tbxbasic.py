"""The TBX-Basic data-category mapping shared by TBX v3 (``tbx``) and TBX 2008 (``tbx2``).

Both generations carry the same categories (projectSubset, subjectField, definition, source
groups, notes, administrativeStatus, partOfSpeech, termType, customerSubset) in differently
named containers:

=============  ===============  ==============
role           TBX v3           TBX 2008
=============  ===============  ==============
entry          conceptEntry     termEntry
language       langSec          langSet
term section   termSec          tig (or ntig)
=============  ===============  ==============

Term-level conventions for what TBX-Basic has no termNote type for (its only termNotes are
administrativeStatus, partOfSpeech, termType, geographicalUsage, grammaticalGender and
termLocation), in the term section, after the termNotes:

* ``Term.styles`` → one ``<admin type="customerSubset">UN</admin>`` per house style;
* ``Term.usage`` → a ``<note>`` starting ``usage: forbidden`` or ``usage: do-not-translate``
  (any text after it is kept verbatim); a forbidden term is always ``deprecatedTerm-admn-sts``;
* ``Term.exclude`` → one ``<note>exclusion context: كرة القاعدة</note>`` per context.

The reader recognises these notes before the generic rule (first other note → ``Term.note``).

A :class:`Dialect` names the containers and says how an unmodelled element becomes the
``extra`` string the model keeps (always a TBX v3 fragment) and back.  Reading and writing of
one concept live here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import CtlexError, ParseError
from ..glossary import STATUSES, USAGES, Concept, Source, Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TO_TBX = {s: f"{s}Term-admn-sts" for s in STATUSES}
TBX_TO_STATUS = {v: k for k, v in STATUS_TO_TBX.items()}
USAGE_NOTE = "usage: "  # + forbidden | do-not-translate [+ free text]
EXCLUDE_NOTE = "exclusion context: "


def usage_of(note: str) -> str | None:
    """The usage flag a term note declares (``usage: forbidden …``), or ``None``."""
    if not note.startswith(USAGE_NOTE):
        return None
    word = note[len(USAGE_NOTE):].split(None, 1)
    flag = word[0].rstrip(".;:,") if word else ""
    return flag if flag in USAGES else None


def local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def text(el: Any) -> str:
    return "".join(el.itertext()).strip()


def without_layout(el: Any) -> Any:
    """A copy of ``el`` without the indentation around its children (writers re-indent), so
    read → write → read gives back the same ``extra`` string."""
    from copy import deepcopy

    el = deepcopy(el)
    el.tail = None
    for x in el.iter():
        if len(x) and x.text is not None and not x.text.strip():
            x.text = None
        if x is not el and x.tail is not None and not x.tail.strip():
            x.tail = None
    return el


def fragment(xml: str) -> Any:
    """Parse a kept XML fragment (an ``extra`` string) with the safe parser."""
    from lxml import etree

    from ._io import safe_parser

    return etree.fromstring(xml, safe_parser(remove_blank_text=True))


def children(el: Any) -> list[Any]:
    """Element children (comments and processing instructions left out)."""
    return [k for k in el if isinstance(k.tag, str)]


@dataclass(frozen=True)
class Dialect:
    entry: str  # conceptEntry | termEntry
    lang_sec: str  # langSec | langSet
    term_secs: tuple[str, ...]  # ("termSec",) | ("tig", "ntig")
    sub: Callable[..., Any]  # sub(parent, local_tag, text=None, **attrs) -> element
    to_extra: Callable[[Any], str]  # unmodelled element -> TBX v3 fragment string
    from_extra: Callable[[str], Any]  # TBX v3 fragment string -> element of this dialect
    #: TBX-Basic 2008 allows projectSubset and source groups only at the term (tig) level: the
    #: concept type goes on every tig, the sources on the anchor tig (see :func:`anchor_term`).
    concept_on_terms: bool = False
    source_lang: str = "ar"


def _base(lang: str | None) -> str:
    return (lang or "").split("-")[0].lower()


def anchor_index(langs: list[str], d: Dialect) -> int:
    """Which language section holds the concept's sources in TBX-Basic 2008: the first in the
    glossary's source language, else the first."""
    return next((i for i, lang in enumerate(langs) if _base(lang) == _base(d.source_lang)), 0)


def is_source_ctx(el: Any) -> bool:
    """``<descripGrp><descrip type="context">sentence</descrip><admin type="source">file</admin></descripGrp>``"""
    kids = children(el)
    return (local(el.tag) == "descripGrp" and len(kids) == 2 and local(kids[0].tag) == "descrip"
            and kids[0].get("type") == "context" and local(kids[1].tag) == "admin" and kids[1].get("type") == "source"
            and not children(kids[0]) and not children(kids[1]))


def is_source_grp(el: Any) -> bool:
    kids = children(el)
    return (
        0 < len(kids) <= 2
        and local(kids[0].tag) == "admin"
        and kids[0].get("type") == "source"
        and all(local(k.tag) == "note" for k in kids[1:])
    )


# -- reading ------------------------------------------------------------------------------------


def entry_id(el: Any, taken: Any, path: str, report: Any = None, default: str | None = None) -> str:
    """The entry's ``id`` if it is a valid XML id (any script); else one derived from it (or from
    ``default``), unique in ``taken``, with a warning in ``report``.  Nothing is refused for an id."""
    import re

    from ..glossary import unique_id

    raw = el.get("id")
    if raw is not None and _valid_id(raw):
        return str(raw)
    base = re.sub(r"[^\w.\-]+", "-", (raw or "").strip()).strip("-.") or (default or "c")
    if not _valid_id(base):
        base = "c-" + base
    cid = unique_id(base, taken)
    if report is not None:
        what = f"id {raw!r} is not a valid XML id" if raw is not None else "no id"
        report.warn(f"<{local(el.tag)}> {what}; read as {cid!r}", el.sourceline)
    return cid


def _valid_id(value: str) -> bool:
    try:
        Concept(id=value)
    except CtlexError:
        return False
    return True


def read_concept(el: Any, cid: str, path: str, d: Dialect, report: Any = None) -> Concept:
    """The concept held by an entry element (``conceptEntry``/``termEntry``)."""
    try:
        c = Concept(id=cid)
    except CtlexError as e:
        raise ParseError(str(e), path, el.sourceline) from None
    has_type = False
    anchor = None
    if d.concept_on_terms:
        secs = [k for k in children(el) if local(k.tag) == d.lang_sec and any(local(t.tag) in d.term_secs for t in children(k))]
        if secs:
            i = anchor_index([k.get(XML_LANG) or k.get("lang") or "" for k in secs], d)
            anchor = next((k for k in children(secs[i]) if local(k.tag) in d.term_secs), None)
    for child in children(el):
        tag, typ = local(child.tag), child.get("type")
        if tag == "admin" and typ == "projectSubset" and not has_type:
            c.type, has_type = text(child), True
        elif tag == "descrip" and typ == "subjectField" and c.subject is None:
            c.subject = text(child)
        elif tag == "descrip" and typ == "definition" and c.definition is None:
            c.definition = text(child)
        elif tag == "adminGrp" and is_source_grp(child):
            kids = children(child)
            c.sources.append(Source(text(kids[0]), text(kids[1]) if len(kids) > 1 else ""))
        elif tag == "admin" and typ == "source":
            c.sources.append(Source(text(child), ""))
        elif tag == "note":
            c.notes.append(text(child))
        elif tag == d.lang_sec:
            _read_lang(child, c, path, d, anchor, has_type, report)
        else:
            c.extra.append(d.to_extra(child))
    if not c.terms:
        raise ParseError(f"{d.entry} {cid!r} has no terms", path, el.sourceline)
    return c


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
# translate-toolkit writes "xx" when it does not know the target language (csv2tbx)
_PLACEHOLDER_LANGS = frozenset({"xx", "und", "mul", "zxx"})


def _read_lang(ls: Any, c: Concept, path: str, d: Dialect, anchor: Any = None, type_known: bool = True,
               report: Any = None) -> None:
    lang = ls.get(XML_LANG) or ls.get("lang")
    if not lang:
        raise ParseError(f"{d.lang_sec} without xml:lang", path, ls.sourceline)
    if report is not None and lang.split("-")[0].lower() in _PLACEHOLDER_LANGS:
        report.warn(f"xml:lang {lang!r} names no language (a converter's placeholder?); its terms are read as {lang!r}", ls.sourceline)
    for child in children(ls):
        if local(child.tag) in d.term_secs:
            t = _read_term(child, lang, path, d, c, child is anchor, type_known or bool(c.terms))
            if report is not None and lang.split("-")[0].lower() != "ar" and _ARABIC.search(t.text) and not _LATIN.search(t.text):
                report.warn(f"term {t.text!r} is in Arabic script but marked xml:lang {lang!r}", child.sourceline)
            c.terms.append(t)
        else:
            c.extra.append(f"langSec:{lang}:" + d.to_extra(child))


def _read_term(ts: Any, lang: str, path: str, d: Dialect, c: Concept | None = None, anchor: bool = False,
               type_known: bool = True) -> Term:
    nodes = children(ts)
    if local(ts.tag) == "ntig":  # <ntig><termGrp><term/><termNote/>…</termGrp>…</ntig>
        grp = next((k for k in nodes if local(k.tag) == "termGrp"), None)
        nodes = (children(grp) if grp is not None else []) + [k for k in nodes if k is not grp]
    term_el = next((k for k in nodes if local(k.tag) == "term"), None)
    if term_el is None or not text(term_el):
        raise ParseError(f"<{local(ts.tag)}> without a term", path, ts.sourceline)
    # no administrativeStatus: the status is unknown (kept "admitted" as a placeholder, flagged)
    fields: dict[str, Any] = {"status": "admitted", "status_given": False, "pos": None, "term_type": None, "note": None, "usage": None}
    extra: list[str] = []
    styles: list[str] = []
    exclude: list[str] = []
    for child in nodes:
        if child is term_el:
            continue
        tag, typ, value = local(child.tag), child.get("type"), text(child)
        if d.concept_on_terms and c is not None and tag == "admin" and typ == "projectSubset" and not children(child):
            if not type_known and value:  # no entry-level type: the first term's is the concept's
                c.type = value
                type_known = True
            if value == c.type:
                continue
        if d.concept_on_terms and c is not None and anchor and tag == "admin" and typ == "source" and not children(child):
            c.sources.append(Source(value, ""))
            continue
        if d.concept_on_terms and c is not None and anchor and is_source_ctx(child):
            kids = children(child)
            c.sources.append(Source(text(kids[1]), text(kids[0])))
            continue
        if tag == "termNote" and typ == "administrativeStatus":
            if value not in TBX_TO_STATUS:
                raise ParseError(f"unknown administrativeStatus {value!r}", path, child.sourceline)
            fields["status"], fields["status_given"] = TBX_TO_STATUS[value], True
        elif tag == "termNote" and typ == "partOfSpeech" and fields["pos"] is None:
            fields["pos"] = value
        elif tag == "termNote" and typ == "termType" and fields["term_type"] is None:
            fields["term_type"] = value
        elif tag == "admin" and typ == "customerSubset" and value:
            styles.append(value)
        elif tag == "note" and value.startswith(EXCLUDE_NOTE):
            exclude.append(value[len(EXCLUDE_NOTE):].strip())
        elif tag == "note" and fields["usage"] is None and (flag := usage_of(value)):
            fields["usage"] = flag
            if value != USAGE_NOTE + flag:  # a usage note with free text: keep it as written
                extra.append(d.to_extra(child))
        elif tag == "note" and fields["note"] is None:
            fields["note"] = value
        else:
            extra.append(d.to_extra(child))
    if fields["usage"] == "forbidden" and not fields["status_given"]:
        fields["status"] = "deprecated"  # TBX carries "forbidden" as a usage note; the status it implies
    try:
        return Term(text=text(term_el), lang=lang, extra=extra, styles=styles, exclude=exclude, **fields)
    except CtlexError as e:
        raise ParseError(str(e), path, ts.sourceline) from None


# -- writing ------------------------------------------------------------------------------------


_XML_ILLEGAL = __import__("re").compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unwritable(c: Concept) -> str | None:
    """The first character of ``c`` that XML 1.0 cannot carry, as ``U+XXXX in FIELD``, or None."""
    fields: list[tuple[str, str | None]] = [("id", c.id), ("type", c.type), ("subject", c.subject), ("definition", c.definition)]
    fields += [("note", n) for n in c.notes] + [("source", f"{s.file} {s.sentence}") for s in c.sources]
    for t in c.terms:
        fields += [(f"term {t.text!r}", " ".join([t.text, t.note or "", t.pos or "", t.term_type or "", *t.styles, *t.exclude]))]
    for name, value in fields:
        m = _XML_ILLEGAL.search(value or "")
        if m:
            return f"U+{ord(m.group()):04X} in {name}"
    return None


def write_concept(body: Any, c: Concept, d: Dialect) -> None:
    """Append ``c`` to ``body`` as an entry of dialect ``d`` (children in schema order)."""
    bad = unwritable(c)
    if bad:
        raise CtlexError(f"concept {c.id!r}: {bad} is a control character XML cannot carry; remove it and export again")
    if not c.terms:
        raise CtlexError(f"concept {c.id!r} has no terms; TBX requires at least one")
    sub = d.sub
    ce = sub(body, d.entry, id=c.id)
    if not d.concept_on_terms:
        sub(ce, "admin", c.type, type="projectSubset")
    if c.subject:
        sub(ce, "descrip", c.subject, type="subjectField")
    if c.definition:
        sub(ce, "descrip", c.definition, type="definition")
    if not d.concept_on_terms:
        for s in c.sources:
            grp = sub(ce, "adminGrp")
            sub(grp, "admin", s.file, type="source")
            if s.sentence:
                sub(grp, "note", s.sentence, lang="ar")
    for n in c.notes:
        sub(ce, "note", n)
    lang_extra: dict[str, list[str]] = {}
    for x in c.extra:
        if x.startswith("langSec:"):
            _, lang, xml = x.split(":", 2)
            lang_extra.setdefault(lang, []).append(xml)
        else:
            ce.append(d.from_extra(x))
    langs = c.languages()
    anchor = anchor_index(langs, d)
    for i, lang in enumerate(langs):
        ls = sub(ce, d.lang_sec, lang=lang)
        for xml in lang_extra.pop(lang, []):
            ls.append(d.from_extra(xml))
        for k, t in enumerate(t for t in c.terms if t.lang == lang):
            _write_term(sub(ls, d.term_secs[0]), t, d, c if d.concept_on_terms else None, i == anchor and k == 0)
    for lang, xmls in lang_extra.items():  # extras of a language with no terms left
        ls = sub(ce, d.lang_sec, lang=lang)
        for xml in xmls:
            ls.append(d.from_extra(xml))


def _write_term(ts: Any, t: Term, d: Dialect, c: Concept | None = None, anchor: bool = False) -> None:
    d.sub(ts, "term", t.text)
    if t.pos:
        d.sub(ts, "termNote", t.pos, type="partOfSpeech")
    if t.term_type:
        d.sub(ts, "termNote", t.term_type, type="termType")
    if t.status_given:  # an unknown status is not written as if it were one
        d.sub(ts, "termNote", STATUS_TO_TBX[t.status], type="administrativeStatus")
    # the schema wants every termNote before the term's auxiliary information (notes…)
    is_note = [x.lstrip("<").startswith("termNote") for x in t.extra]
    for xml, first in zip(t.extra, is_note):
        if first:
            ts.append(d.from_extra(xml))
    if c is not None:  # TBX-Basic 2008: the concept's type and sources live at the term level
        d.sub(ts, "admin", c.type, type="projectSubset")
        for s in (c.sources if anchor else ()):
            if s.sentence:
                grp = d.sub(ts, "descripGrp")
                attrs = {} if _base(t.lang) == "ar" else {"lang": "ar"}
                d.sub(grp, "descrip", s.sentence, type="context", **attrs)
                d.sub(grp, "admin", s.file, type="source")
            else:
                d.sub(ts, "admin", s.file, type="source")
    for style in t.styles:
        d.sub(ts, "admin", style, type="customerSubset")
    if t.note:
        d.sub(ts, "note", t.note)
    kept_usage = False
    for xml, first in zip(t.extra, is_note):
        if not first:
            el = d.from_extra(xml)
            kept_usage = kept_usage or (local(el.tag) == "note" and usage_of(text(el)) is not None)
            ts.append(el)
    if t.usage and not kept_usage:
        d.sub(ts, "note", USAGE_NOTE + t.usage)
    for ctx in t.exclude:
        d.sub(ts, "note", EXCLUDE_NOTE + ctx)
