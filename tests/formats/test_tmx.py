"""TMX 1.4b: streaming reader, deterministic DTD-valid writer, shipped articles.tmx."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ctlex import formats
from ctlex.errors import ParseError
from ctlex.formats import tmx
from ctlex.segment import Segment

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tm" / "articles.tmx"

MEMOQ = """<?xml version="1.0" encoding="UTF-16"?>
<tmx version="1.4">
  <header creationtool="memoQ" creationtoolversion="9.12" segtype="sentence" o-tmf="memoQTM"
          adminlang="en-us" srclang="ar-SA" datatype="plaintext" creationdate="20240101T000000Z"/>
  <body>
    <tu creationdate="20240102T101500Z" creationid="translator1" changedate="20240103T080000Z" usagecount="3">
      <prop type="client">ECCI</prop>
      <note>checked</note>
      <tuv xml:lang="ar-SA"><prop type="x-context">p1</prop><seg>أعلن <bpt i="1">&lt;b&gt;</bpt>يوروبول<ept i="1">&lt;/b&gt;</ept> عن عملية</seg></tuv>
      <tuv xml:lang="en-US"><seg>Europol announced an operation</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="en-US"><seg>Follow us on Twitter</seg></tuv>
      <tuv xml:lang="ar-SA"><seg>تابعنا على تويتر</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Suivez-nous sur Twitter</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture(scope="module")
def dtd(schemas_dir: Path) -> etree.DTD:
    return etree.DTD(str(schemas_dir / "tmx14.dtd"))


def test_registered_and_sniffed() -> None:
    assert formats.for_path("x.tmx").name == "tmx"
    assert formats.for_path("memory.bin", head=MEMOQ.encode("utf-16")).name == "tmx"
    assert not tmx.sniff(b"msgid \"\"\nmsgstr \"\"")


def test_shipped_articles_tmx_is_valid_and_complete(dtd: etree.DTD) -> None:
    doc = etree.parse(str(ARTICLES))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    header = doc.getroot().find("header")
    assert header.get("srclang") == "ar" and header.get("adminlang") == "en" and header.get("creationtool") == "ctlex"
    segs = list(tmx.read_segments(ARTICLES))
    assert len(segs) == 219  # every sentence of the five articles, boilerplate included
    assert len({s.props["x-file"] for s in segs}) == 5
    first = segs[0]
    assert first.id == "000-p1-s1" and first.props == {"x-file": "000_363cf21b8137e006.txt", "x-paragraph": "1", "x-sentence": "1"}
    text = ARTICLES.read_text(encoding="utf-8")
    assert "European Centre for Counterterrorism and Intelligence Studies" in text
    assert "Organisation of Islamic Cooperation" in text
    assert "European Center for Counter-Terrorism" not in text and "Organization of Islamic Cooperation" not in text


def test_round_trip_is_lossless_and_deterministic(tmp_path: Path, dtd: etree.DTD) -> None:
    segs = [
        Segment("قالت \u201cحركة الشباب\u201d إن <الهجوم> & انتهى", "al-Shabaab said the \"attack\" & <ended>", id="a-1",
                props={"x-file": "004.txt", "@creationid": "me", "ar:x-context": "p2"}, note="two\nlines",
                created="2024-01-02T10:15:00Z", changed="2024-01-03T08:00:00Z"),
        Segment("مُحَمَّدٌ\u200f", "Muhammad", id="a-2"),
    ]
    p1, p2 = tmp_path / "a.tmx", tmp_path / "b.tmx"
    assert tmx.write_segments(segs, p1) == 2
    assert dtd.validate(etree.parse(str(p1))), dtd.error_log.filter_from_errors()
    back = list(tmx.read_segments(p1))
    for s, b in zip(segs, back):
        assert (b.source, b.target, b.id, b.props, b.note, b.created, b.changed) == (s.source, s.target, s.id, s.props, s.note, s.created, s.changed)
    tmx.write_segments(back, p2)
    assert p1.read_bytes() == p2.read_bytes()


def test_utf16_bom_memoq_export(tmp_path: Path, dtd: etree.DTD) -> None:
    p = tmp_path / "memoq.tmx"
    p.write_bytes(MEMOQ.encode("utf-16"))  # BOM + UTF-16LE, as memoQ and Trados write
    assert p.read_bytes()[:2] == b"\xff\xfe"
    segs = list(formats.read_segments(p))
    assert [(s.source, s.target, s.target_lang) for s in segs] == [
        ("أعلن يوروبول عن عملية", "Europol announced an operation", "en-US"),
        ("تابعنا على تويتر", "Follow us on Twitter", "en-US"),
        ("تابعنا على تويتر", "Suivez-nous sur Twitter", "fr-FR"),
    ]
    s = segs[0]
    assert s.created == "2024-01-02T10:15:00Z" and s.changed == "2024-01-03T08:00:00Z"
    assert s.props["client"] == "ECCI" and s.props["@creationid"] == "translator1" and s.props["@usagecount"] == "3"
    assert s.props["ar-SA:x-context"] == "p1" and s.note == "checked"
    assert s.origin == "memoq.tmx:6" and segs[1].origin == "memoq.tmx#2"
    # inline codes survive the round trip verbatim and the output validates
    out = tmp_path / "out.tmx"
    tmx.write_segments(segs, out, srclang="ar-SA")
    assert dtd.validate(etree.parse(str(out))), dtd.error_log.filter_from_errors()
    assert '<bpt i="1">&lt;b&gt;</bpt>يوروبول<ept i="1">&lt;/b&gt;</ept>' in out.read_text(encoding="utf-8")
    assert list(tmx.read_segments(out))[0].source == s.source


@pytest.mark.parametrize(
    "body, line, reason",
    [
        ('<tu>\n<tuv xml:lang="ar"><seg>نص</seg></tuv>\n<tuv xml:lang="en"><seg>text</seg>\n</tu>', 8, "mismatch"),
        ('<tu>\n<tuv xml:lang="en"><seg>only English</seg></tuv>\n</tu>', 5, "source language"),
        ('<tu>\n<tuv><seg>no lang</seg></tuv>\n</tu>', 6, "xml:lang"),
    ],
)
def test_malformed_input_raises_parse_error_with_line(tmp_path: Path, body: str, line: int, reason: str) -> None:
    p = tmp_path / "bad.tmx"
    p.write_text(f'<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="ar"/>\n<body>\n{body}\n</body>\n</tmx>\n', encoding="utf-8")
    with pytest.raises(ParseError) as e:
        list(tmx.read_segments(p))
    assert e.value.path == str(p) and e.value.line == line
    assert reason in e.value.reason
    assert str(e.value).startswith(f"{p}:{line}")


def test_wrong_root_is_a_parse_error(tmp_path: Path) -> None:
    p = tmp_path / "x.tmx"
    p.write_text('<?xml version="1.0"?>\n<xliff version="1.2"/>\n', encoding="utf-8")
    with pytest.raises(ParseError, match="not a TMX file") as e:
        list(tmx.read_segments(p))
    assert e.value.line == 2


_UNIT = '<header srclang="ar"/><body>\n<tu tuid="1"><tuv xml:lang="ar"><seg>أ{x}</seg></tuv><tuv xml:lang="en"><seg>a</seg></tuv></tu>\n</body>'


@pytest.mark.parametrize(
    "doc, error, line",
    [
        # an internal DTD that declares no entity: libxml2 keeps &x; as a node inside <seg>, which
        # the reader (handed only the <tu>s) never visits; the text scan must find it
        ('<!DOCTYPE tmx [ <!ELEMENT tmx ANY> ]>\n<tmx>' + _UNIT.format(x="&x;") + "</tmx>", "entity reference &x;", 3),
        ('<!DOCTYPE tmx [ <!ENTITY % p SYSTEM "p.dtd"> %p; ]>\n<tmx>' + _UNIT.format(x="&x;") + "</tmx>", "entity declaration <!ENTITY p", 1),
        ('<!DOCTYPE tmx [ <!ENTITY e "x"> ]>\n<tmx>' + _UNIT.format(x="&e;") + "</tmx>", "entity declaration <!ENTITY e", 1),
        # no <tmx>, <header>, <body> or <tu> anywhere: still named by its root (and still guarded)
        ('<!DOCTYPE foo [ <!ENTITY e "x"> ]>\n<foo>&e;</foo>', "entity declaration <!ENTITY e", 1),
        ('<?xml version="1.0"?>\n<foo><bar/></foo>', "not a TMX file (root element <foo>", 2),
        ('<?xml version="1.0"?>\n<foo><tmx>' + _UNIT.format(x="") + "</tmx></foo>", "not a TMX file (root element <foo>", 2),
    ],
)
def test_units_selected_by_libxml2_are_still_guarded(tmp_path: Path, doc: str, error: str, line: int) -> None:
    """The reader has libxml2 hand over only <tmx>/<header>/<body>/<tu>; nothing it no longer
    visits element by element may slip through."""
    p = tmp_path / "g.tmx"
    p.write_text(doc, encoding="utf-8")
    with pytest.raises(ParseError) as e:
        list(tmx.read_segments(p))
    assert error in str(e.value) and e.value.line == line


def test_reader_streams(tmp_path: Path) -> None:
    """Units are cleared as they are read: the tree never holds more than the current unit."""
    p = tmp_path / "big.tmx"
    tmx.write_segments((Segment(f"جملة {i}", f"sentence {i}", id=str(i)) for i in range(3000)), p)
    it = tmx.read_segments(p)
    next(it)
    for _ in range(2000):
        s = next(it)
    assert s.id == "2000"
    assert sum(1 for _ in it) == 999
