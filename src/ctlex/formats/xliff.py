"""XLIFF 1.2 and 2.0 bilingual files: segments in (for QA) and pre-translated segments out.

Writing goes through translate-toolkit's stores (``translate.storage.xliff`` for 1.2,
``translate.storage.xliff2`` for 2.0), then ctlex sets the match information in each version's
own vocabulary.  A :class:`~ctlex.segment.Segment` whose ``props`` hold ``match-quality`` (0–100)
is written as a pre-translation:

==================  ===============================================  ===================================================
                    XLIFF 1.2                                        XLIFF 2.0
==================  ===============================================  ===================================================
target              ``<target state="translated"``                   ``<segment state="translated">`` (100) or
                    ``state-qualifier="exact-match">`` (100) or      ``state="initial"`` (fuzzy) and ``<target>``
                    ``state="needs-review-translation"``
                    ``state-qualifier="fuzzy-match"``
match score         ``<alt-trans match-quality="87"                  ``<mtc:matches><mtc:match matchQuality="87.00"``
                    origin="…">`` with the TM's source and target    ``ref="#s1" origin="…">`` (Translation Candidates
                                                                     module) with the TM's source and target
no match            ``<target state="new"/>`` omitted: no target      no ``<target>``, ``state="initial"``
==================  ===============================================  ===================================================

A unit with a target and no match is a TM pair: ``approved="yes"`` and ``state="translated"``
in 1.2 (translate-toolkit, Pootle and Weblate read anything not approved as fuzzy), ``state=
"translated"`` in 2.0, unless its ``props`` say otherwise (``state``, ``state-qualifier``,
``approved``; states are mapped between the versions).  Exact matches are approved too; fuzzy
matches are not.  No match: no ``<target>``.

Everything else in ``props`` (TMX ``<prop>``\\ s, ``<tu>`` attributes, inline-markup XML) and the
dates travel with the unit: 1.2 ``<context-group name="UNIT-ID prop:KEY" purpose="information">``
(``ctlex:created``/``ctlex:changed`` for the dates), 2.0 ``<mda:metadata>`` (metaGroup
``tmx-prop``, and ``ctlex`` for the dates and for a unit id XLIFF 2.0 had to change into an
NMTOKEN).  So TMX → XLIFF → TMX keeps tuids, notes, dates and every property.

The file validates against the OASIS XLIFF 1.2 *strict* XSD, or the XLIFF 2.0 core XSD and its
modules (``xliff_all.xsd``).  ``flavour="omegat"`` writes OmegaT's variant (see :func:`to_bytes`).

Reading (:func:`read_segments`) parses with ctlex's safe parser and yields one segment per
``trans-unit``/``segment`` that holds a usable translation, with the same ``props`` back (the
default state of a TM pair is not reported); units without a target, unreviewed drafts and
gettext header units are skipped and counted (see :func:`read_segments`).  Inline markup is
flattened to its text.
"""

from __future__ import annotations

import dataclasses

import os
import re
from typing import Any, Iterable, Iterator

from ..errors import CtlexError, ParseError
from ..segment import Segment
from ._io import atomic_write, parse_xml
from .report import ReadReport

__all__ = ["NS12", "NS20", "NS_MTC", "sniff", "read_segments", "write_segments", "to_bytes"]

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_MTC = "urn:oasis:names:tc:xliff:matches:2.0"
_XML = "http://www.w3.org/XML/1998/namespace"
_APPROVED12 = frozenset({"translated", "signed-off", "final"})


def sniff(head: bytes) -> bool:
    text = head[:4096].decode("utf-8", errors="ignore")
    return "<xliff" in text and "urn:oasis:names:tc:xliff:document:" in text


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


# XLIFF 1.2 target states that are not a reviewed translation (1.2 spec, section "state")
_DRAFT_STATES_12 = frozenset({"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-adaptation",
                              "needs-review-l10n", "needs-review-translation"})
_HEADER_RESTYPES = frozenset({"x-gettext-domain-header"})
_PO_HEADER = re.compile(r"^(Project-Id-Version|Content-Type|MIME-Version|Language|Plural-Forms|PO-Revision-Date):", re.M)


def read_segments(path: str | os.PathLike[str], *, report: ReadReport | None = None, drafts: bool = False, untranslated: bool = False,
                  **options: Any) -> Iterator[Segment]:
    """Segments of an XLIFF 1.2 (also 1.0/1.1) or 2.0 file, in document order.

    Only usable translations are yielded.  Skipped and counted in ``report``: units without a
    target or with an empty one, gettext header units (``po2xliff`` turns the PO header into a
    ``trans-unit``), and unreviewed ones (1.2: ``state`` new / needs-*, ``state-qualifier``
    fuzzy-match, ``approved="no"``; 2.0: ``state="initial"``) unless ``drafts=True``, which keeps
    them with their ``state`` in ``props``; ``untranslated=True`` keeps units without a target.
    A file without ``<file>`` is a :class:`ParseError`.
    """
    spath = os.fspath(path)
    root = parse_xml(spath).getroot()
    if _local(root.tag) != "xliff":
        raise ParseError(f"root element is <{_local(root.tag)}>, expected <xliff>", spath, root.sourceline)
    version = root.get("version") or ""
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if root.find(_q(ns, "file")) is None:
        raise ParseError("no <file> element: an XLIFF document holds its units in <xliff><file>", spath, root.sourceline)
    base = os.path.basename(spath)
    rep = report if report is not None else ReadReport(spath)
    if version.startswith("2") or ns == NS20:
        segs = _read20(root, ns, spath, base)
    else:
        segs = _read12(root, ns, spath, base)
    for seg, line, why in segs:
        if why is None or (drafts and why.startswith("draft:")) or (untranslated and why in ("no target", "empty target")):
            yield seg
        elif why.startswith("draft:"):
            rep.skip(f"not reviewed ({why[6:]})", line)
        else:
            rep.skip(why, line)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def _txt(el: Any) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _why_skip(source: str, target: Any, text: str) -> str | None:
    if not source.strip():
        return "empty source"
    if target is None:
        return "no target"
    if not text.strip():
        return "empty target"
    return None


def _read12(root: Any, ns: str, path: str, base: str) -> Iterator[tuple[Segment, int, str | None]]:
    for f in root.iter(_q(ns, "file")):
        src_lang = f.get("source-language") or "ar"
        tgt_lang = f.get("target-language") or "en"
        for n, tu in enumerate(f.iter(_q(ns, "trans-unit")), 1):
            source = tu.find(_q(ns, "source"))
            if source is None:
                raise ParseError("trans-unit without <source>", path, tu.sourceline)
            target = tu.find(_q(ns, "target"))
            props: dict[str, str] = {}
            alt = _best_alt(tu, ns)
            state = target.get("state") if target is not None else None
            if alt is not None or target is None:
                if state:
                    props["state"] = state
            else:  # what the writer would not derive by itself (translated + approved is its default)
                approved = tu.get("approved") == "yes"
                if state and state != "translated":
                    props["state"] = state
                if target.get("state-qualifier"):
                    props["state-qualifier"] = target.get("state-qualifier")
                if approved != ((state or "translated") in _APPROVED12):
                    props["approved"] = "yes" if approved else "no"
            own: dict[str, str] = {}
            for grp in tu.findall(_q(ns, "context-group")):
                name, ctx = grp.get("name") or "", grp.find(_q(ns, "context"))
                name = name[len(tu.get("id") or "") + 1:] if name.startswith(f"{tu.get('id')} ") else name
                if ctx is not None and name.startswith(PROP_GROUP):
                    props[name[len(PROP_GROUP):]] = ctx.text or ""
                elif ctx is not None and name.startswith("ctlex:"):
                    own[name[len("ctlex:"):]] = ctx.text or ""
            if alt is not None:
                props["match-quality"] = (alt.get("match-quality") or "").rstrip("%")
                if alt.get("origin"):
                    props["match-origin"] = alt.get("origin")
                props["match-source"] = _txt(alt.find(_q(ns, "source")))
                props["match-target"] = _txt(alt.find(_q(ns, "target")))
            notes = tu.findall(_q(ns, "note"))
            src_text, tgt_text = _txt(source), _txt(target)
            seg = Segment(source=src_text, target=tgt_text, source_lang=src_lang, target_lang=tgt_lang,
                          id=tu.get("id") or str(n), origin=f"{base}#{tu.get('id') or n}", props=props,
                          note="\n".join(_txt(x) for x in notes) if notes else None, created=own.get("created"), changed=own.get("changed"))
            if tu.get("restype") in _HEADER_RESTYPES or _PO_HEADER.search(src_text) and len(_PO_HEADER.findall(src_text)) >= 2:
                why: str | None = "gettext header unit"
            else:
                why = _why_skip(src_text, target, tgt_text)
            if why is None:
                qualifier = target.get("state-qualifier") if target is not None else None
                if props.get("state") in _DRAFT_STATES_12:
                    why = f"draft:state {props['state']}"
                elif qualifier in ("fuzzy-match", "mt-suggestion", "leveraged-mt"):
                    why = f"draft:state-qualifier {qualifier}"
                elif tu.get("approved") == "no":
                    why = "draft:approved=no"
            yield seg, tu.sourceline, why


def _best_alt(tu: Any, ns: str) -> Any:
    best, best_q = None, -1.0
    for alt in tu.findall(_q(ns, "alt-trans")):
        try:
            q = float((alt.get("match-quality") or "").rstrip("%"))
        except ValueError:
            continue
        if q > best_q:
            best, best_q = alt, q
    return best


def _read20(root: Any, ns: str, path: str, base: str) -> Iterator[tuple[Segment, int, str | None]]:
    src_lang = root.get("srcLang") or "ar"
    tgt_lang = root.get("trgLang") or "en"
    for unit in root.iter(_q(ns, "unit")):
        matches: dict[str, Any] = {}
        for m in unit.iter(f"{{{NS_MTC}}}match"):
            ref = (m.get("ref") or "").lstrip("#")
            q = m.get("matchQuality")
            try:
                qv = float(q) if q is not None else None
            except ValueError:
                raise ParseError(f"matchQuality {q!r} is not a number", path, m.sourceline) from None
            if qv is None:
                continue
            if ref not in matches or qv > float(matches[ref].get("matchQuality")):
                matches[ref] = m
        unit_notes = unit.findall(f"{_q(ns, 'notes')}/{_q(ns, 'note')}")
        carried: dict[str, str] = {}
        own: dict[str, str] = {}
        for grp in unit.findall(f"{{{NS_MDA}}}metadata/{{{NS_MDA}}}metaGroup"):
            into = carried if grp.get("category") == MDA_PROPS else own if grp.get("category") == MDA_CTLEX else None
            if into is not None:
                for meta in grp.findall(f"{{{NS_MDA}}}meta"):
                    into[meta.get("type") or ""] = meta.text or ""
        segments = unit.findall(_q(ns, "segment"))
        for k, seg in enumerate(segments, 1):
            source = seg.find(_q(ns, "source"))
            if source is None:
                raise ParseError("segment without <source>", path, seg.sourceline)
            target = seg.find(_q(ns, "target"))
            sid = seg.get("id")
            uid = unit.get("id") or str(k)
            props: dict[str, str] = dict(carried)
            m = matches.get(sid or "") if sid else None
            if seg.get("state") and (m is not None or seg.get("state") != "translated" or target is None):
                props["state"] = seg.get("state")
            if m is not None:
                q = float(m.get("matchQuality"))
                props["match-quality"] = f"{q:g}"
                if m.get("origin"):
                    props["match-origin"] = m.get("origin")
                props["match-source"] = _txt(m.find(_q(ns, "source")))
                props["match-target"] = _txt(m.find(_q(ns, "target")))
            uid = own.get("id", uid)
            src_text, tgt_text = _txt(source), _txt(target)
            segm = Segment(source=src_text, target=tgt_text, source_lang=src_lang, target_lang=tgt_lang,
                           id=f"{uid}/{sid or k}" if len(segments) > 1 else uid, origin=f"{base}#{uid}", props=props,
                           note="\n".join(_txt(n) for n in unit_notes) if unit_notes else None, created=own.get("created"), changed=own.get("changed"))
            why = _why_skip(src_text, target, tgt_text)
            if why is None and seg.get("state") == "initial":
                why = "draft:state initial"
            yield segm, seg.sourceline, why


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------


def _quality(s: Segment) -> float | None:
    q = s.props.get("match-quality")
    if q in (None, ""):
        return None
    try:
        v = float(str(q).rstrip("%"))
    except ValueError:
        raise CtlexError(f"segment {s.id or s.source[:20]!r}: match-quality {q!r} is not a number") from None
    if not 0 <= v <= 100:
        raise CtlexError(f"segment {s.id or s.source[:20]!r}: match-quality {q!r} is outside 0–100")
    return v


# A state read from one version, written in the other (XLIFF 1.2 has ten states, 2.0 four).
_TO20 = {"new": "initial", "needs-translation": "initial", "needs-adaptation": "initial", "needs-l10n": "initial",
         "needs-review-translation": "translated", "needs-review-adaptation": "translated", "needs-review-l10n": "translated",
         "translated": "translated", "signed-off": "reviewed", "final": "final"}
_TO12 = {"initial": "needs-translation", "translated": "translated", "reviewed": "signed-off", "final": "final"}


def _state12(state: str | None) -> str:
    return state if state in _TO20 else _TO12.get(state or "", "translated")


def _state20(state: str | None) -> str:
    return state if state in _TO12 else _TO20.get(state or "", "translated")


def _stores() -> tuple[type, type]:
    from translate.storage import xliff, xliff2

    class Unit12(xliff.xliffunit):  # type: ignore[misc, valid-type]
        namespace = NS12

    class File12(xliff.xlifffile):  # type: ignore[misc, valid-type]
        UnitClass = Unit12
        namespace = NS12
        XMLskeleton = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff version="1.2" xmlns="{NS12}">\n'
            '<file original="NoName" source-language="ar" datatype="plaintext">\n<body>\n</body>\n</file>\n</xliff>'
        )

    return File12, xliff2.Xliff2File


FLAVOURS = ("standard", "omegat")


def to_bytes(segments: Iterable[Segment], *, version: str = "1.2", original: str = "ctlex", flavour: str = "standard",
             **options: Any) -> tuple[bytes, int]:
    """The XLIFF document and the number of units, via translate-toolkit, deterministic.

    ``flavour="omegat"`` (XLIFF 1.2 only) writes what OmegaT's XLIFF filter expects: OmegaT
    translates the *text of* ``<target>``, so every target holds a copy of the source
    (``state="needs-translation"``, or ``"new"`` without a TM match) and the TM match stays in
    ``<alt-trans>``; OmegaT then takes its translations from the project's TM (give it the TMX
    export in ``tm/auto/``)."""
    from lxml import etree

    if version not in ("1.2", "2.0", "2"):
        raise CtlexError(f"XLIFF version {version!r} is not supported (1.2 or 2.0)")
    if flavour not in FLAVOURS:
        raise CtlexError(f"XLIFF flavour {flavour!r} is not supported ({', '.join(FLAVOURS)})")
    if flavour == "omegat" and version != "1.2":
        raise CtlexError("the omegat flavour is XLIFF 1.2 (OmegaT 3.6 does not read XLIFF 2.0)")
    segs = list(segments)
    src_lang = segs[0].source_lang if segs else options.get("source_lang", "ar")
    tgt_lang = segs[0].target_lang if segs else options.get("target_lang", "en")
    File12, File20 = _stores()
    store = (File12 if version == "1.2" else File20)(sourcelanguage=src_lang, targetlanguage=tgt_lang)
    seen: set[str] = set()
    for i, s in enumerate(segs, 1):
        if (s.source_lang, s.target_lang) == (tgt_lang, src_lang) != (src_lang, tgt_lang):
            # the file has one language pair: a unit of the reverse direction is written in the file's
            s = dataclasses.replace(s, source=s.target, target=s.source, source_lang=src_lang, target_lang=tgt_lang)
        uid = s.id or str(i)
        if uid in seen:
            uid = f"{uid}-{i}"
        seen.add(uid)
        q = _quality(s)
        unit = store.addsourceunit(s.source)
        unit.setid(uid if version == "1.2" else _xmlid(uid))
        if version == "1.2" and flavour == "omegat":
            _fill12_omegat(unit, s, q)
        elif version == "1.2":
            _fill12(unit, s, q)
        else:
            _fill20(unit, s, q, etree)
        _write_props(unit, s, uid, version, etree)
        if s.note and version == "1.2":
            unit.addnote(s.note, origin="ctlex")
        elif s.note:  # XLIFF 2.0: <notes> belong to the unit, after other modules, before segments
            u = unit.xmlelement.getparent()
            notes = etree.Element(f"{{{NS20}}}notes")
            etree.SubElement(notes, f"{{{NS20}}}note", category="ctlex").text = s.note
            u.insert(len([k for k in u if isinstance(k.tag, str) and not k.tag.startswith(f"{{{NS20}}}")]), notes)
    if version == "1.2":
        for f in store.document.getroot().iter(f"{{{NS12}}}file"):
            f.set("original", original)
    data = bytes(store)
    root = etree.fromstring(data, _parser())
    etree.cleanup_namespaces(root)
    if version != "1.2":  # XLIFF 2.0 allows xml:space on <unit>, not on <segment> (core XSD)
        for seg in root.iter(f"{{{NS20}}}segment"):
            space = seg.attrib.pop(f"{{{_XML}}}space", None)
            unit = seg.getparent()
            if space is not None and unit is not None and _local(unit.tag) == "unit":
                unit.set(f"{{{_XML}}}space", space)
    for el in root.iter():  # translate-toolkit leaves layout whitespace inside xml:space="preserve" elements
        if isinstance(el.tag, str) and _local(el.tag) in ("segment", "alt-trans", "trans-unit", "match", "matches", "unit"):
            if len(el):
                el.text = None
                for child in el:
                    child.tail = None
    etree.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n", len(segs)


def _parser() -> Any:
    from ._io import safe_parser

    return safe_parser()


def _xmlid(uid: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_.:-]", "_", uid)  # an NMTOKEN


def _fill12(unit: Any, s: Segment, q: float | None) -> None:
    el = unit.xmlelement
    approved = False
    if s.target:
        unit.settarget(s.target)
        target = el.find(f"{{{NS12}}}target")
        if q is None:  # a TM pair (or a read-back unit): its own state, else translated
            state = _state12(s.props.get("state"))
            target.set("state", state)
            if s.props.get("state-qualifier"):
                target.set("state-qualifier", s.props["state-qualifier"])
            approved = s.props.get("approved", "yes" if state in _APPROVED12 else "no") == "yes"
        elif q >= 100:
            target.set("state", "translated")
            target.set("state-qualifier", "exact-match")
            approved = True
        else:
            target.set("state", "needs-review-translation")
            target.set("state-qualifier", "fuzzy-match")
    # approved="yes" is what translate-toolkit (and Pootle/Weblate) read as "not fuzzy"
    if approved:
        el.set("approved", "yes")
    elif "approved" in el.attrib:
        del el.attrib["approved"]
    if q is not None:
        unit.addalttrans(s.props.get("match-target", s.target), origin=s.props.get("match-origin", "ctlex-tm"),
                         sourcetxt=s.props.get("match-source") or None, matchquality=f"{q:g}")


def _fill12_omegat(unit: Any, s: Segment, q: float | None) -> None:
    unit.settarget(s.source)
    target = unit.xmlelement.find(f"{{{NS12}}}target")
    target.set("state", "new" if q is None and not s.target else "needs-translation")
    if "approved" in unit.xmlelement.attrib:
        del unit.xmlelement.attrib["approved"]
    if q is not None or s.target:
        unit.addalttrans(s.props.get("match-target", s.target), origin=s.props.get("match-origin", "ctlex-tm"),
                         sourcetxt=s.props.get("match-source") or None, matchquality=f"{100.0 if q is None else q:g}")


def _fill20(unit: Any, s: Segment, q: float | None, etree: Any) -> None:
    seg = unit.xmlelement
    seg.set("id", "s1")
    if s.target:
        unit.settarget(s.target)
        seg.set("state", _state20(s.props.get("state")) if q is None else "translated" if q >= 100 else "initial")
    else:
        seg.set("state", "initial")
    if q is not None:
        u = seg.getparent()
        matches = etree.Element(f"{{{NS_MTC}}}matches", nsmap={"mtc": NS_MTC})
        m = etree.SubElement(matches, f"{{{NS_MTC}}}match")
        m.set("ref", "#s1")
        m.set("matchQuality", f"{q:.2f}")
        m.set("origin", s.props.get("match-origin", "ctlex-tm"))
        etree.SubElement(m, f"{{{NS20}}}source").text = s.props.get("match-source") or s.source
        etree.SubElement(m, f"{{{NS20}}}target").text = s.props.get("match-target", s.target)
        u.insert(0, matches)


#: props the XLIFF vocabulary itself carries (alt-trans / mtc:match, state, approved)
_NATIVE_PROPS = frozenset({"match-quality", "match-origin", "match-source", "match-target", "state", "state-qualifier", "approved"})
PROP_GROUP = "prop:"  # XLIFF 1.2: <context-group name="prop:KEY" purpose="information">
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
MDA_PROPS, MDA_CTLEX = "tmx-prop", "ctlex"  # XLIFF 2.0: <mda:metaGroup category="…">


def _carried(s: Segment, uid: str, version: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The unit's other properties (TMX props, tu attributes…) and ctlex's own fields (dates, an id
    XLIFF 2.0 had to change), so TMX → XLIFF → TMX keeps them."""
    props = [(k, v) for k, v in s.props.items() if k not in _NATIVE_PROPS]
    own = [(k, v) for k, v in (("created", s.created), ("changed", s.changed)) if v]
    if version != "1.2" and _xmlid(uid) != uid:
        own.append(("id", uid))
    return props, own


def _write_props(unit: Any, s: Segment, uid: str, version: str, etree: Any) -> None:
    props, own = _carried(s, uid, version)
    if not props and not own:
        return
    if version == "1.2":
        el = unit.xmlelement
        for name, items in ((PROP_GROUP, props), ("ctlex:", own)):
            for k, v in items:
                # context-group names are unique per file (XSD identity constraint): prefixed by the unit id
                grp = etree.SubElement(el, f"{{{NS12}}}context-group", name=f"{uid} {name}{k}", purpose="information")
                etree.SubElement(grp, f"{{{NS12}}}context", {"context-type": "x-ctlex-prop"}).text = v
        return
    u = unit.xmlelement.getparent()
    md = etree.Element(f"{{{NS_MDA}}}metadata", nsmap={"mda": NS_MDA})
    for cat, items in ((MDA_PROPS, props), (MDA_CTLEX, own)):
        if items:
            grp = etree.SubElement(md, f"{{{NS_MDA}}}metaGroup", category=cat)
            for k, v in items:
                etree.SubElement(grp, f"{{{NS_MDA}}}meta", type=k).text = v
    u.insert(len(u.findall(f"{{{NS_MTC}}}matches")), md)


def write_segments(segments: Iterable[Segment], path: str | os.PathLike[str], **options: Any) -> int:
    """Write XLIFF (``version="1.2"`` default, or ``"2.0"``; also chosen by a ``.xlf2`` name) atomically."""
    version = options.pop("version", None) or ("2.0" if os.fspath(path).lower().endswith((".xlf2", ".xliff2")) else "1.2")
    data, n = to_bytes(segments, version=version, original=options.pop("original", os.path.basename(os.fspath(path))), **options)
    with atomic_write(path, "wb") as f:
        f.write(data)
    return n
