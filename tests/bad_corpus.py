"""A generator of bad input for every ctlex reader (issue 14, part 3).

:func:`cases` yields :class:`Case` objects: a file name (whose extension picks the reader), its
bytes, whether the reader is a glossary or a segment reader, and whether the error it must
produce names a line.  Nothing here is hand-picked per case: each base document is put through
the same families of damage:

* truncation at several points; malformed XML (unclosed, mismatched, bad attribute, stray ``<``,
  ``&`` alone, ``&#0;``); wrong root elements (another format's, HTML, no namespace);
* entity tricks — internal declarations, XXE (``SYSTEM file:///etc/passwd``), parameter
  entities, billion laughs, ``&nbsp;`` under an external DOCTYPE in text and in an attribute,
  at the head, middle and end of the document, behind a 70 KB comment — in UTF-8 (with and
  without BOM) and UTF-16 LE/BE (with and without BOM);
* NUL bytes, bytes in the wrong encoding, UTF-16 where gettext/CSV/TSV expect UTF-8;
* empty inputs (0 bytes, blanks, a BOM alone) and huge ones (a 256+ deep tree, an 11 MB text
  node, 2 MB of binary);
* each format's own structural errors (a PO entry without msgstr, a CSV without ID column,
  a TMX ``<tu>`` without ``<seg>``…);
* XLSX zip tricks: not a zip, a truncated zip, missing parts, a sheet the workbook names but the
  zip lacks, a truncated sheet, XXE and billion laughs inside a sheet, a zip bomb member.

``python tests/bad_corpus.py DIR`` writes the corpus to DIR (for ``ctlex validate`` or manual
runs); ``tests/test_bad_input.py`` runs every case through the CLI.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

__all__ = ["Case", "cases", "write_corpus"]


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    data: bytes
    kind: str  # "glossary" (ctlex import) or "segments" (read as a TM)
    line: bool  # the error must name a line (text formats); XLSX zip-level errors have none


# -- base documents (small and valid) --------------------------------------------------------------

TBX3 = """<?xml version="1.0" encoding="{enc}"?>
{doctype}<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader><fileDesc><titleStmt><title>{head}</title></titleStmt><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="isis"><langSec xml:lang="ar"><termSec><term>داعش</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>{mid}</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry>
    <conceptEntry id="eu"><langSec xml:lang="ar"><termSec><term>الاتحاد الأوروبي</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term {attr}>{end}</term></termSec></langSec></conceptEntry>
  </body></text>
</tbx>
"""

TBX2 = """<?xml version="1.0" encoding="{enc}"?>
{doctype}<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><titleStmt><title>{head}</title></titleStmt><sourceDesc><p>t</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="isis"><langSet xml:lang="ar"><tig><term>داعش</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>{mid}</term></tig></langSet></termEntry>
    <termEntry id="eu"><langSet xml:lang="ar"><tig><term>الاتحاد الأوروبي</term></tig></langSet>
      <langSet xml:lang="en"><tig><term {attr}>{end}</term></tig></langSet></termEntry>
  </body></text>
</martif>
"""

TMX = """<?xml version="1.0" encoding="{enc}"?>
{doctype}<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="ar" datatype="plaintext"><note>{head}</note></header>
  <body>
    <tu tuid="1"><tuv xml:lang="ar"><seg>داعش</seg></tuv><tuv xml:lang="en"><seg>{mid}</seg></tuv></tu>
    <tu tuid="2"><tuv xml:lang="ar"><seg>الاتحاد الأوروبي</seg></tuv><tuv xml:lang="en"><seg {attr}>{end}</seg></tuv></tu>
  </body>
</tmx>
"""

XLF12 = """<?xml version="1.0" encoding="{enc}"?>
{doctype}<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="{head}" source-language="ar" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1"><source>داعش</source><target state="translated">{mid}</target></trans-unit>
    <trans-unit id="2"><source>الاتحاد الأوروبي</source><target state="translated" {attr}>{end}</target></trans-unit>
  </body></file>
</xliff>
"""

XLF20 = """<?xml version="1.0" encoding="{enc}"?>
{doctype}<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en">
  <file id="f1"><notes><note>{head}</note></notes>
    <unit id="1"><segment state="translated"><source>داعش</source><target>{mid}</target></segment></unit>
    <unit id="2"><segment state="translated"><source>الاتحاد الأوروبي</source><target {attr}>{end}</target></segment></unit>
  </file>
</xliff>
"""

# name, extension, kind, template, root element name (for wrong-root cases)
XML_FORMATS: list[tuple[str, str, str, str, str]] = [
    ("tbx3", ".tbx", "glossary", TBX3, "tbx"),
    ("tbx2008", ".tbx", "glossary", TBX2, "martif"),
    ("tmx", ".tmx", "segments", TMX, "tmx"),
    ("xliff12", ".xlf", "segments", XLF12, "xliff"),
    ("xliff20", ".xlf", "segments", XLF20, "xliff"),
]

ENCODINGS: list[tuple[str, str, bytes]] = [  # label, name in the XML declaration, bytes prefix / codec below
    ("utf8", "UTF-8", b""),
    ("utf8bom", "UTF-8", b"\xef\xbb\xbf"),
    ("utf16le-bom", "UTF-16", b"\xff\xfe"),
    ("utf16be-bom", "UTF-16", b"\xfe\xff"),
    ("utf16le", "UTF-16LE", b""),
    ("utf16be", "UTF-16BE", b""),
]
_CODEC = {"utf8": "utf-8", "utf8bom": "utf-8", "utf16le-bom": "utf-16-le", "utf16be-bom": "utf-16-be",
          "utf16le": "utf-16-le", "utf16be": "utf-16-be"}


def _doc(template: str, root: str, *, enc: str = "UTF-8", doctype: str = "", head: str = "t", mid: str = "ISIS",
         end: str = "EU", attr: str = "") -> str:
    return template.format(enc=enc, doctype=doctype, head=head, mid=mid, end=end, attr=attr)


def _encode(text: str, label: str) -> bytes:
    prefix = next(p for lab, _, p in ENCODINGS if lab == label)
    return prefix + text.encode(_CODEC[label])


# entity tricks: (label, DOCTYPE for root R, reference to place, where it may go)
def _entity_tricks(root: str) -> list[tuple[str, str, str]]:
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))
    return [
        ("internal", f'<!DOCTYPE {root} [<!ENTITY e "European Union">]>\n', "&e;"),
        ("xxe", f'<!DOCTYPE {root} [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n', "&e;"),
        ("parameter", f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>\n', "x"),
        ("billion-laughs", f"<!DOCTYPE {root} [{lol}]>\n", "&l9;"),
        ("nbsp-external-dtd", f'<!DOCTYPE {root} SYSTEM "{root}.dtd">\n', "a&nbsp;b"),
    ]


def _xml_cases() -> Iterator[Case]:
    for fmt, ext, kind, tpl, root in XML_FORMATS:
        name = lambda tag: f"{fmt}-{tag}{ext}"  # noqa: E731
        good = _doc(tpl, root).encode()
        # entity tricks × encodings, the reference cycling through head / middle / end / attribute
        places = ["head", "mid", "end", "attr"]
        for i, (trick, doctype, ref) in enumerate(_entity_tricks(root)):
            for j, (label, decl, _) in enumerate(ENCODINGS):
                place = places[(i + j) % len(places)]
                kw = {"attr": f'x-note="{ref}"'} if place == "attr" and "&" in ref else {place if place != "attr" else "end": ref}
                text = _doc(tpl, root, enc=decl, doctype=doctype, **kw)
                yield Case(f"{fmt}/entity/{trick}/{label}/{place}", name(f"{trick}-{label}-{place}"), _encode(text, label), kind, True)
            # behind a comment longer than any prefix a guard might look at
            long = _doc(tpl, root, doctype="<!--" + "x" * 70_000 + "-->\n" + doctype, mid=ref)
            yield Case(f"{fmt}/entity/{trick}/after-70k-comment", name(f"{trick}-long"), long.encode(), kind, True)
        # truncation
        for frac in (0.1, 0.3, 0.5, 0.7, 0.9, 0.98):
            yield Case(f"{fmt}/truncated/{frac}", name(f"trunc{int(frac * 100)}"), good[: int(len(good) * frac)], kind, True)
        # malformed XML
        text = _doc(tpl, root)
        broken = {
            "unclosed": text.replace("</body>", "", 1) if "</body>" in text else text.replace("</file>", "", 1),
            "mismatched": text.replace(f"</{root}>", f"</{root}x>"),
            "bad-attribute": text.replace('xml:lang="en"', "xml:lang=en", 1) if 'xml:lang="en"' in text else text.replace('id="1"', "id=1", 1),
            "stray-lt": text.replace("ISIS", "IS < IS"),
            "bare-ampersand": text.replace("ISIS", "IS & IS"),
            "char-ref-0": text.replace("ISIS", "IS&#0;IS"),
            "two-roots": text + f"<{root}/>\n",
            "undeclared-entity": text.replace("ISIS", "&nbsp;"),
        }
        for tag, t in broken.items():
            yield Case(f"{fmt}/malformed/{tag}", name(tag), t.encode(), kind, True)
        # wrong roots
        wrong = {
            "html": "<html><body><p>ISIS</p></body></html>\n",
            "other-format": _doc(TMX if root != "tmx" else TBX3, "x"),
            "renamed": text.replace(f"<{root} ", f"<{root}x ", 1).replace(f"</{root}>", f"</{root}x>"),
        }
        if fmt == "tbx3":  # TBX v3 is defined by its namespace (XLIFF 1.x without one is still XLIFF)
            wrong["no-namespace"] = text.replace(' xmlns="urn:iso:std:iso:30042:ed-2"', "")
        for tag, t in wrong.items():
            yield Case(f"{fmt}/wrong-root/{tag}", name(f"root-{tag}"), t.encode(), kind, True)
        # NUL bytes, wrong encodings
        yield Case(f"{fmt}/nul/in-text", name("nul-text"), text.replace("ISIS", "IS\x00IS").encode(), kind, True)
        yield Case(f"{fmt}/nul/in-tag", name("nul-tag"), text.replace("<body>", "<bo\x00dy>", 1).replace("<file ", "<fi\x00le ", 1).encode(), kind, True)
        yield Case(f"{fmt}/encoding/cp1256-declared-utf8", name("cp1256"), text.encode("cp1256", errors="replace"), kind, True)
        yield Case(f"{fmt}/encoding/utf16-declared-utf8-no-bom", name("u16-as-u8"), text.encode("utf-16-le"), kind, True)
        # empty and huge
        for tag, data in (("zero-bytes", b""), ("blanks", b"  \n\t\n"), ("bom-only", b"\xef\xbb\xbf")):
            yield Case(f"{fmt}/empty/{tag}", name(tag), data, kind, True)
        deep = _doc(tpl, root, mid="<x>" * 300 + "ISIS" + "</x>" * 300)
        yield Case(f"{fmt}/huge/deep-tree", name("deep"), deep.encode(), kind, True)
        yield Case(f"{fmt}/huge/binary", name("binary"), bytes(range(256)) * 8192, kind, True)
        # the format's own structural errors
        for tag, t in _structural(fmt, text).items():
            yield Case(f"{fmt}/structure/{tag}", name(tag), t.encode(), kind, True)
    # one 11 MB text node (libxml2 without huge_tree refuses it): once, it is the slowest case
    yield Case("tmx/huge/11MB-text-node", "tmx-hugetext.tmx", _doc(TMX, "tmx", mid="a" * 11_000_000).encode(), "segments", True)


def _structural(fmt: str, text: str) -> dict[str, str]:
    if fmt == "tbx3":
        return {
            "concept-without-terms": text.replace('<langSec xml:lang="ar"><termSec><term>داعش</term></termSec></langSec>', "", 1)
            .replace('<langSec xml:lang="en"><termSec><term>ISIS</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>', ""),
            "unknown-status": text.replace("preferredTerm-admn-sts", "bestTerm"),
            "langsec-without-lang": text.replace('<langSec xml:lang="ar">', "<langSec>", 1),
            "duplicate-id": text.replace('id="eu"', 'id="isis"'),
            "no-body": text.replace("<text><body>", "<text><back>").replace("</body></text>", "</back></text>"),
            "empty-term": text.replace("<term>داعش</term>", "<term> </term>"),
        }
    if fmt == "tbx2008":
        return {
            "stray-element-in-body": text.replace("<body>", "<body><p>x</p>", 1),
            "langset-without-lang": text.replace('<langSet xml:lang="ar">', "<langSet>", 1),
            "duplicate-id": text.replace('id="eu"', 'id="isis"'),
            "tig-without-term": text.replace("<tig><term>داعش</term></tig>", "<tig><note>x</note></tig>"),
        }
    if fmt == "tmx":
        return {
            "no-body": text.replace("<body>", "").replace("</body>", ""),
            "no-srclang": text.replace(' srclang="ar"', ""),
            "tuv-without-seg": text.replace("<seg>داعش</seg>", "", 1),
            "tu-without-tuv": text.replace('<tuv xml:lang="ar"><seg>داعش</seg></tuv><tuv xml:lang="en"><seg>ISIS</seg></tuv>', ""),
            "tuv-without-lang": text.replace('<tuv xml:lang="ar">', "<tuv>", 1),
            "no-source-language-tuv": text.replace('<tuv xml:lang="ar"><seg>داعش</seg></tuv>', '<tuv xml:lang="fr"><seg>x</seg></tuv>'),
        }
    if fmt == "xliff12":
        return {
            "no-file": text.split("<file")[0] + "</xliff>\n",
            "unit-without-source": text.replace("<source>داعش</source>", ""),
        }
    return {  # xliff20
        "no-file": text.split("<file")[0] + "</xliff>\n",
        "segment-without-source": text.replace("<source>داعش</source>", ""),
        "bad-match-quality": text.replace('<unit id="1">', '<unit id="1"><mtc:matches xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0">'
                                          '<mtc:match ref="#s1" matchQuality="high"><source>a</source><target>b</target></mtc:match></mtc:matches>'),
    }


# -- text formats ------------------------------------------------------------------------------------

PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
PO_GOOD = PO_HEAD + 'msgctxt "isis"\nmsgid "داعش"\nmsgstr "ISIS"\n\nmsgctxt "eu"\nmsgid "الاتحاد الأوروبي"\nmsgstr "European Union"\n'
CSV_GOOD = "ID,Type,ar,ar Status,en,en Status\r\nisis,group,داعش,preferred,ISIS,preferred\r\neu,organization,\"الاتحاد الأوروبي\",preferred,\"European Union\",preferred\r\n"
OMEGAT_GOOD = "داعش\tISIS\t[isis]\nالاتحاد الأوروبي\tEuropean Union\t[eu]\n"
TSV_GOOD = "داعش\tISIS\nالاتحاد الأوروبي\tEuropean Union\n"


# a well-formed file with nothing to import: refused, but there is no line to point at
NO_LINE = frozenset({"header-only", "comments-only"})


def _text_cases() -> Iterator[Case]:
    po = {
        "missing-msgstr": PO_HEAD + 'msgctxt "ec"\nmsgid "المفوضية الأوروبية"\n\nmsgctxt "eu"\nmsgid "الاتحاد"\nmsgstr "European Union"\n',
        "unquoted-msgid": PO_HEAD + 'msgid المفوضية"\nmsgstr "European Commission"\n',
        "unterminated-msgid": PO_HEAD + 'msgid "المفوضية\nmsgstr "European Commission"\n',
        "truncated-in-string": PO_GOOD[:-12],
        "truncated-after-msgid": PO_GOOD.rsplit("msgstr", 1)[0],
        "duplicate-msgid": PO_HEAD + 'msgid "x"\nmsgstr "X"\n\nmsgid "x"\nmsgstr "Y"\n',
        "duplicate-msgctxt": PO_HEAD + 'msgctxt "a"\nmsgid "x"\nmsgstr "X"\n\nmsgctxt "a"\nmsgid "y"\nmsgstr "Y"\n',
        "bad-escape": PO_HEAD + 'msgid "a\\qb"\nmsgstr "X"\n',
        "unknown-keyword": PO_HEAD + 'msgid "x"\nmsgstr "X"\nmsgfoo "bar"\n',
        "string-outside-entry": '"orphan"\n' + PO_HEAD + 'msgid "x"\nmsgstr "X"\n',
        "msgstr-without-msgid": PO_HEAD + 'msgstr "X"\n',
        "text-after-string": PO_HEAD + 'msgid "x" y\nmsgstr "X"\n',
        "plural-without-index": PO_HEAD + 'msgid "x"\nmsgid_plural "xs"\nmsgstr "X"\n',
        "bad-term-comment": PO_HEAD + '#. term: {"lang": "en", "text": \n' + 'msgctxt "a"\nmsgid "x"\nmsgstr "X"\n',
        "unknown-charset": PO_HEAD.replace("UTF-8", "KLINGON-8") + 'msgid "x"\nmsgstr "X"\n',
        "header-only": PO_HEAD,
        "comments-only": "# nothing here\n#. really nothing\n",
        "invalid-concept-id": PO_HEAD + 'msgctxt "not an id"\nmsgid "x"\nmsgstr "X"\n',
        "nul": PO_GOOD.replace("ISIS", "IS\x00IS"),
        "cp1256-declared-utf8": PO_GOOD,  # encoded below
        "utf16": PO_GOOD,  # encoded below
        "zero-bytes": "",
        "blanks": " \n\n",
    }
    for tag, t in po.items():
        data = t.encode("cp1256") if tag == "cp1256-declared-utf8" else t.encode("utf-16") if tag == "utf16" else t.encode()
        yield Case(f"po/{tag}", f"po-{tag}.po", data, "glossary", tag not in NO_LINE)
    for tag in ("missing-msgstr", "unterminated-msgid", "nul", "utf16", "truncated-in-string"):
        yield Case(f"po-segments/{tag}", f"pos-{tag}.po", po[tag].encode("utf-16") if tag == "utf16" else po[tag].encode(), "segments", True)

    csv = {
        "no-id-column": CSV_GOOD.replace("ID,", "Key,", 1),
        "no-language-column": "ID,Type\r\nisis,group\r\n",
        "unterminated-quote": CSV_GOOD[:-25],
        "bad-status": CSV_GOOD.replace("preferred,ISIS", "best,ISIS"),
        "status-count": CSV_GOOD.replace("داعش,preferred", "داعش|دولة,preferred"),
        "duplicate-id": CSV_GOOD.replace("eu,organization", "isis,organization"),
        "row-without-terms": CSV_GOOD + "x,term,,,,\r\n",
        "nul": CSV_GOOD.replace("ISIS", "IS\x00IS"),
        "cp1256": CSV_GOOD,
        "utf16-no-bom": CSV_GOOD,
        "zero-bytes": "",
        "blanks": "\r\n \r\n",
        "header-only": CSV_GOOD.split("\r\n")[0] + "\r\n",
    }
    for tag, t in csv.items():
        data = t.encode("cp1256") if tag == "cp1256" else t.encode("utf-16-le") if tag == "utf16-no-bom" else t.encode()
        yield Case(f"csv/{tag}", f"csv-{tag}.csv", data, "glossary", tag not in NO_LINE)

    omegat = {
        "one-column": OMEGAT_GOOD + "وحيد\n",
        "empty-target": OMEGAT_GOOD + "وحيد\t\tnote\n",
        "nul": OMEGAT_GOOD.replace("ISIS", "IS\x00IS"),
        "cp1256": OMEGAT_GOOD,
        "utf16-no-bom": OMEGAT_GOOD,
        "zero-bytes": "",
        "comments-only": "# only a comment\n",
        "binary": "",
    }
    for tag, t in omegat.items():
        data = (t.encode("cp1256") if tag == "cp1256" else t.encode("utf-16-le") if tag == "utf16-no-bom"
                else bytes(range(256)) * 64 if tag == "binary" else t.encode())
        yield Case(f"omegat/{tag}", f"omegat-{tag}.utf8", data, "glossary", tag not in NO_LINE)

    tsv = {
        "one-column": TSV_GOOD + "وحيد\n",
        "nul": TSV_GOOD.replace("ISIS", "IS\x00IS"),
        "cp1256": TSV_GOOD,
        "utf16-no-bom": TSV_GOOD,
        "zero-bytes": "",
        "blanks": "\n\n  \n",
        "binary": "",
    }
    for tag, t in tsv.items():
        data = (t.encode("cp1256") if tag == "cp1256" else t.encode("utf-16-le") if tag == "utf16-no-bom"
                else bytes(range(256)) * 64 if tag == "binary" else t.encode())
        yield Case(f"tsv/{tag}", f"tsv-{tag}.tsv", data, "segments", True)


# -- XLSX ----------------------------------------------------------------------------------------------

def _xlsx_parts() -> dict[str, bytes]:
    """The parts of a small valid workbook (written once with openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Glossary"
    ws.append(["ID", "Type", "ar", "ar Status", "en", "en Status"])
    ws.append(["isis", "group", "داعش", "preferred", "ISIS", "preferred"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(parts: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out.getvalue()


def _xlsx_cases() -> Iterator[Case]:
    parts = _xlsx_parts()
    good = _zip(parts)
    sheet = "xl/worksheets/sheet1.xml"
    strings = next((n for n in parts if n.endswith("sharedStrings.xml")), None)

    def with_part(name: str, body: bytes | None) -> bytes:
        p = dict(parts)
        if body is None:
            p.pop(name, None)
        else:
            p[name] = body
        return _zip(p)

    sheet_xml = parts[sheet]
    decl_end = sheet_xml.index(b"?>") + 2 if sheet_xml.startswith(b"<?xml") else 0
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))

    def doctype(xml: bytes, dt: str) -> bytes:
        end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
        return xml[:end] + dt.encode() + xml[end:]

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
        z.writestr("xl/media/bomb.bin", b"\0" * (8 * 2**20))
    cases: dict[str, bytes] = {
        "not-a-zip": "ID,Type,ar,en\nisis,group,داعش,ISIS\n".encode(),
        "zero-bytes": b"",
        "truncated-zip-10": good[: len(good) // 10],
        "truncated-zip-50": good[: len(good) // 2],
        "truncated-zip-95": good[: int(len(good) * 0.95)],
        "corrupt-member": good[:200] + bytes(b ^ 0x55 for b in good[200:400]) + good[400:],
        "no-workbook": with_part("xl/workbook.xml", None),
        "no-content-types": with_part("[Content_Types].xml", None),
        "missing-sheet": with_part(sheet, None),
        "no-workbook-rels": with_part("xl/_rels/workbook.xml.rels", None),
        "truncated-sheet": with_part(sheet, sheet_xml[: len(sheet_xml) // 2]),
        "malformed-sheet": with_part(sheet, sheet_xml.replace(b"</sheetData>", b"</sheetDat>")),
        "xxe-in-sheet": with_part(sheet, doctype(sheet_xml, '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>')),
        "laughs-in-sheet": with_part(sheet, doctype(sheet_xml, f"<!DOCTYPE worksheet [{lol}]>")),
        "sheet-utf16be-entity": with_part(sheet, ('<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE worksheet [<!ENTITY e "x">]>'
                                                  + sheet_xml[decl_end:].decode()).encode("utf-16-be")),
        "zip-bomb-member": bomb.getvalue(),
        "html-renamed": b"<html><body><table><tr><td>ID</td></tr></table></body></html>",
    }
    if strings:
        s = parts[strings]
        cases["xxe-in-shared-strings"] = with_part(strings, doctype(s, '<!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/passwd">]>'))
        cases["nul-in-shared-string"] = with_part(strings, s.replace("داعش".encode(), "دا&#0;عش".encode()))
        cases["header-without-id"] = with_part(strings, s.replace(b">ID<", b">Key<"))
    for tag, data in cases.items():
        yield Case(f"xlsx/{tag}", f"xlsx-{tag}.xlsx", data, "glossary", False)


def cases() -> list[Case]:
    """Every case, in a fixed order (ids are unique)."""
    out = [*_xml_cases(), *_text_cases(), *_xlsx_cases()]
    ids = [c.id for c in out]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return out


def write_corpus(directory: str | Path, select: Callable[[Case], bool] = lambda c: True) -> int:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    for c in cases():
        if select(c):
            (d / c.filename).write_bytes(c.data)
            n += 1
    return n


if __name__ == "__main__":  # pragma: no cover
    print(write_corpus(sys.argv[1] if len(sys.argv) > 1 else "bad-corpus"), "files written")
