"""TMX 1.4b (LISA OSCAR): translation units streamed in, written deterministically out.

Reading streams the file with ``iterparse`` (through :func:`ctlex.formats._io.iterparse_xml`, the one
safe XML entry point) and clears every ``<tu>`` once it has been turned into :class:`Segment`\\ s, so a
million-unit memory costs no more RAM than a small one.  UTF-8 and UTF-16 with a byte-order mark (as
memoQ and Trados export) are both read; libxml2 detects the encoding from the BOM.

What the common model has no field for is kept, so TMX → segments → TMX drops nothing ctlex reads:

* ``<tu>`` ``<prop type="T">`` → ``props["T"]`` (written back as ``<prop>`` in file order);
* ``<tu>`` attributes other than ``tuid``/``creationdate``/``changedate`` (``creationid``,
  ``usagecount``…) → ``props["@name"]`` (written back as attributes);
* ``<tuv>`` props → ``props["<lang>:T"]``;
* inline markup in ``<seg>`` (``<bpt>``, ``<ph>``…): the segment text is the plain text (native codes
  dropped, ``<hi>`` text kept) and the verbatim inner XML is kept in ``props["<lang>:seg-xml"]``,
  which the writer puts back unchanged.

A ``<tu>`` with more than two ``<tuv>``\\ s yields one segment per target language.

Example:
    >>> from ctlex.segment import Segment
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.tmx")
    >>> write_segments([Segment("مرحبا", "Hello", id="1")], p)
    1
    >>> [(s.source, s.target, s.origin) for s in read_segments(p)]
    [('مرحبا', 'Hello', 'x.tmx#1')]
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterable, Iterator

from ..errors import ParseError
from ..segment import Segment
from ._io import atomic_write, iterparse_xml
from .report import ReadReport

__all__ = ["sniff", "read_segments", "write_segments", "tmx_date", "iso_date"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# <tu> attributes the DTD allows; the model keeps tuid and the dates in their own fields.
_TU_ATTRS = ("tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
             "creationtoolversion", "creationdate", "creationid", "changedate", "segtype", "changeid", "srclang")
_NATIVE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")
# Characters XML 1.0 cannot carry at all (C0 controls except tab/newline/CR, lone surrogates, FFFE/FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sniff(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) looks like TMX, in UTF-8 or UTF-16.

    >>> sniff(b'<?xml version="1.0"?><tmx version="1.4">')
    True
    >>> sniff('<tmx version="1.4">'.encode("utf-16"))
    True
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return "<tmx" in text


def iso_date(value: str | None) -> str | None:
    """TMX's ``20190614T120000Z`` as ISO 8601 ``2019-06-14T12:00:00Z`` (other forms unchanged).

    >>> iso_date("20190614T120000Z")
    '2019-06-14T12:00:00Z'
    """
    if not value:
        return None
    m = _TMX_DATE.match(value)
    return "{}-{}-{}T{}:{}:{}Z".format(*m.groups()) if m else value


def tmx_date(value: str | None) -> str | None:
    """ISO 8601 ``2019-06-14T12:00:00Z`` as TMX's ``20190614T120000Z``; None if not convertible.

    >>> tmx_date("2019-06-14T12:00:00Z")
    '20190614T120000Z'
    """
    if not value:
        return None
    if _TMX_DATE.match(value):
        return value
    m = _ISO_DATE.match(value)
    return "{}{}{}T{}{}{}Z".format(*m.groups()) if m else None


# the element names of a TMX file without a namespace (the usual case) and what _local makes of them
_NAMES = {n: n for n in ("tmx", "header", "body", "tu", "tuv", "seg", "prop", "note")}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang(el: Any) -> str:
    return (el.get(_XML_LANG) or el.get("lang") or "").strip()


def _same_lang(a: str, b: str) -> bool:
    """``ar`` matches ``ar-SA`` and ``AR``; ``*all*`` matches nothing."""
    a, b = a.lower(), b.lower()
    return bool(a) and bool(b) and (a == b or a.split("-")[0] == b.split("-")[0])


def _seg_text(seg: Any) -> tuple[str, str | None]:
    """Plain text of a ``<seg>`` and, if it has inline markup, its verbatim inner XML."""
    if len(seg) == 0:
        return seg.text or "", None
    from lxml import etree

    parts: list[str] = [seg.text or ""]

    def walk(el: Any) -> None:
        for child in el:
            name = _local(child.tag)
            if name not in _NATIVE_CODES and name != "sub":
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    walk(seg)
    inner = (seg.text and _escape(seg.text) or "") + "".join(
        etree.tostring(c, encoding="unicode", with_tail=True) for c in seg
    )
    return "".join(parts), inner


def read_segments(path: str | os.PathLike[str], *, report: ReadReport | None = None, drafts: bool = False, untranslated: bool = False,
                  **options: Any) -> Iterator[Segment]:
    """Stream the translation units of a TMX file as :class:`Segment`\\ s.

    The source side is the ``<tuv>`` whose ``xml:lang`` matches the header's ``srclang`` (first
    ``<tuv>`` when ``srclang`` is ``*all*``).  ``origin`` is ``FILE#tuid``, or ``FILE:LINE`` when a
    unit has no ``tuid``.  Malformed XML, a wrong root element or a unit without a usable source
    raises :class:`ctlex.errors.ParseError` with the line number.

    Example:
        >>> from ctlex.data import tm_files
        >>> segs = read_segments(tm_files()[0])
        >>> next(segs).origin
        'articles.tmx#000-p1-s1'
    """
    spath = os.fspath(path)
    base = os.path.basename(spath)
    srclang = ""
    root_seen = body_seen = header_seen = False
    # libxml2 hands over only these elements (their children are read from the <tu>)
    for event, el in iterparse_xml(spath, tag=("{*}tmx", "{*}header", "{*}body", "{*}tu"), events=("start", "end"), select=True):
        name = _NAMES.get(el.tag) or _local(el.tag)
        if event == "start":
            if not root_seen:
                root_seen = True
                root = el.getroottree().getroot()
                if el is not root or name != "tmx":
                    rname = _local(root.tag)
                    raise ParseError(f"not a TMX file (root element <{rname}>, expected <tmx>)", spath, root.sourceline)
            elif name == "body":
                body_seen = True
                if not header_seen:
                    raise ParseError("<body> before <header> (TMX needs <header srclang=…> first)", spath, el.sourceline)
            elif name == "tu" and not body_seen:
                raise ParseError("<tu> outside <body>", spath, el.sourceline)
            continue
        if name == "tu":
            yield from _read_tu(el, srclang, spath, base, report, untranslated)
            # free the unit and everything before it: constant memory on huge files
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
        elif name == "header":
            header_seen = True
            srclang = (el.get("srclang") or "").strip()
            if not srclang:
                raise ParseError("<header> has no srclang attribute", spath, el.sourceline)
    if not body_seen:
        raise ParseError("no <body>: a TMX file holds its units in <tmx><body>", spath, 1)


def _put(props: dict[str, str], key: str, value: str, report: ReadReport | None, line: int | None) -> None:
    """Set a prop; a second one of the same type is joined to the first (one per line), not dropped."""
    if key in props and props[key] != value:
        props[key] += "\n" + value
        if report is not None:
            report.warn(f"several <prop>/<note> of type {key!r} in one unit: joined one per line", line)
    else:
        props[key] = value


def _read_tu(tu: Any, srclang: str, spath: str, base: str, report: ReadReport | None = None,
             untranslated: bool = False) -> Iterator[Segment]:
    props: dict[str, str] = {}
    notes: list[str] = []
    tuvs: list[tuple[str, str, str | None, Any]] = []
    names = _NAMES
    for child in tu:
        name = names.get(child.tag) or _local(child.tag)
        if name == "tuv":
            lang = (child.get(_XML_LANG) or child.get("lang") or "").strip()
            if not lang:
                raise ParseError("<tuv> without xml:lang", spath, child.sourceline)
            seg = None
            for sub in child:
                sname = names.get(sub.tag) or _local(sub.tag)
                if sname == "seg":
                    seg = sub
                elif sname == "prop" and sub.get("type"):
                    _put(props, f"{lang}:{sub.get('type')}", sub.text or "", report, sub.sourceline)
                elif sname == "note":
                    _put(props, f"{lang}:note", sub.text or "", report, sub.sourceline)
            if seg is None:
                raise ParseError("<tuv> without <seg>", spath, child.sourceline)
            if len(seg):
                text, inner = _seg_text(seg)
            else:
                text, inner = seg.text or "", None
            tuvs.append((lang, text, inner, child))
        elif name == "prop":
            ptype = child.get("type")
            if not ptype:
                raise ParseError("<prop> without a type attribute", spath, child.sourceline)
            _put(props, ptype, child.text or "", report, child.sourceline)
        elif name == "note":
            notes.append(child.text or "")
    if not tuvs:
        raise ParseError("<tu> without <tuv>", spath, tu.sourceline)
    attrs = tu.attrib
    tuid = attrs.get("tuid")
    if len(attrs) > (tuid is not None):  # attributes beyond tuid: the model keeps them as props
        for attr in _TU_ATTRS:
            if attr not in ("tuid", "creationdate", "changedate") and attrs.get(attr) is not None:
                props["@" + attr] = attrs[attr]
    unit_src = attrs.get("srclang") or srclang
    if unit_src and unit_src != "*all*":
        if tuvs[0][0] == unit_src:  # the usual case
            src_i: int | None = 0
        else:
            src_i = next((i for i, t in enumerate(tuvs) if _same_lang(t[0], unit_src)), None)
        if src_i is None:
            raise ParseError(f"<tu> has no <tuv> in the source language {unit_src!r}", spath, tu.sourceline)
    else:
        src_i = 0
    src_lang, src_text, src_inner, src_el = tuvs[src_i]
    if len(tuvs) < 2:  # a monolingual unit: nothing to align it with
        if report is not None:
            report.skip("unit with a single <tuv> (no translation)", tu.sourceline)
        return
    if not src_text.strip():
        if report is not None:
            report.skip("empty source", tu.sourceline)
        return
    origin = f"{base}#{tuid}" if tuid else f"{base}:{tu.sourceline}"
    created = iso_date(attrs.get("creationdate") or src_el.get("creationdate"))
    changed = iso_date(attrs.get("changedate") or src_el.get("changedate"))
    note = "\n".join(notes) if notes else None
    for i, (tgt_lang, tgt_text, tgt_inner, _) in enumerate(tuvs):
        if i == src_i:
            continue
        if not untranslated and not tgt_text.strip():
            if report is not None:
                report.skip("empty target", tu.sourceline)
            continue
        p = dict(props)
        if src_inner is not None:
            p[f"{src_lang}:seg-xml"] = src_inner
        if tgt_inner is not None:
            p[f"{tgt_lang}:seg-xml"] = tgt_inner
        yield Segment(src_text, tgt_text, src_lang, tgt_lang, tuid, origin, p, note, created, changed)


# -- writing ------------------------------------------------------------------------------------


def _escape(text: str, attr: bool = False) -> str:
    text = _XML_ILLEGAL.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;")
    else:
        text = text.replace("\r", "&#13;")
    return text


def _seg_xml(text: str, inner: str | None) -> str:
    if inner is not None:
        return inner
    return _escape(text)


def write_segments(
    segments: Iterable[Segment],
    path: str | os.PathLike[str],
    *,
    srclang: str = "ar",
    adminlang: str = "en",
    creationtool: str = "ctlex",
    creationtoolversion: str | None = None,
    segtype: str = "sentence",
    o_tmf: str = "ctlex",
    datatype: str = "plaintext",
    creationdate: str | None = None,
    header_props: dict[str, str] | None = None,
    **_: Any,
) -> int:
    """Write segments as a TMX 1.4b document (valid against the TMX 1.4 DTD); return the count.

    All required ``<header>`` attributes are written.  Output is deterministic (attributes and
    ``<prop>``\\ s in a fixed order, no timestamp unless ``creationdate`` is given) and written
    atomically: the target is only replaced once the whole file has been written.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "out.tmx")
        >>> write_segments([Segment("الإرهاب", "terrorism", props={"x-file": "a.txt"})], p)
        1
        >>> '<prop type="x-file">a.txt</prop>' in open(p, encoding="utf-8").read()
        True
    """
    if creationtoolversion is None:
        from .. import __version__

        creationtoolversion = __version__
    head = {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion,
        "segtype": segtype,
        "o-tmf": o_tmf,
        "adminlang": adminlang,
        "srclang": srclang,
        "datatype": datatype,
    }
    if creationdate:
        head["creationdate"] = tmx_date(creationdate) or creationdate
    n = 0
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n')
        f.write("  <header " + " ".join(f'{k}="{_escape(v, True)}"' for k, v in head.items()))
        if header_props:
            f.write(">\n")
            for k, v in header_props.items():
                f.write(f'    <prop type="{_escape(k, True)}">{_escape(v)}</prop>\n')
            f.write("  </header>\n")
        else:
            f.write("/>\n")
        f.write("  <body>\n")
        buf: list[str] = []
        for seg in segments:
            buf.append(_tu_xml(seg))
            n += 1
            if len(buf) >= 2048:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
        f.write("  </body>\n</tmx>\n")
    return n


def _tu_xml(s: Segment) -> str:
    attrs: list[str] = []
    if s.id:
        attrs.append(f'tuid="{_escape(s.id, True)}"')
    tuv_props: dict[str, list[tuple[str, str]]] = {}
    plain: list[tuple[str, str]] = []
    extra_attrs: dict[str, str] = {}
    for k, v in s.props.items():
        if k.startswith("@"):
            if k[1:] in _TU_ATTRS and k[1:] not in ("tuid", "creationdate", "changedate"):
                extra_attrs[k[1:]] = v
            continue
        lang, sep, rest = k.partition(":")
        if sep and rest and (_same_lang(lang, s.source_lang) or _same_lang(lang, s.target_lang)) and " " not in lang:
            tuv_props.setdefault(lang, []).append((rest, v))
        else:
            plain.append((k, v))
    for name in _TU_ATTRS:
        if name in extra_attrs:
            attrs.append(f'{name}="{_escape(extra_attrs[name], True)}"')
    cd, chd = tmx_date(s.created), tmx_date(s.changed)
    if cd:
        attrs.append(f'creationdate="{cd}"')
    if chd:
        attrs.append(f'changedate="{chd}"')
    out = ["    <tu" + ("" if not attrs else " " + " ".join(attrs)) + ">\n"]
    if s.note:
        out.append(f"      <note>{_escape(s.note)}</note>\n")
    for k, v in plain:
        out.append(f'      <prop type="{_escape(k, True)}">{_escape(v)}</prop>\n')
    for lang, text in ((s.source_lang, s.source), (s.target_lang, s.target)):
        inner = None
        out.append(f'      <tuv xml:lang="{_escape(lang, True)}">\n')
        for k, v in tuv_props.get(lang, []):
            if k == "seg-xml":
                inner = v
            elif k == "note":
                out.append(f"        <note>{_escape(v)}</note>\n")
            else:
                out.append(f'        <prop type="{_escape(k, True)}">{_escape(v)}</prop>\n')
        out.append(f"        <seg>{_seg_xml(text, inner)}</seg>\n      </tuv>\n")
    out.append("    </tu>\n")
    return "".join(out)
