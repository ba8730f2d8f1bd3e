"""docs/formats.md against real round trips: the table "What each path keeps" is read, and each
path is run on data that uses every field.  Every item the doc says a path *keeps* must survive,
every item it says the path *loses* must really be lost, and every row must be checked here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from ctlex import exchange, formats
from ctlex.glossary import Glossary
from ctlex.segment import Segment
from ctlex.tm import Store
import test_roundtrip
from test_roundtrip import _concept_diffs

full = test_roundtrip.full  # the glossary fixture that uses every modelled field

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")

RICH = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="OtherTool" creationtoolversion="9" segtype="sentence" o-tmf="x" adminlang="en" srclang="ar" datatype="plaintext"/>
  <body>
    <tu tuid="u 1" creationid="analyst" usagecount="3" creationdate="20190614T120000Z" changedate="20200101T000000Z">
      <note>checked twice</note>
      <prop type="x-domain">counter-terrorism</prop>
      <tuv xml:lang="ar"><prop type="x-ar-note">مصدر</prop><seg>قال <bpt i="1">&lt;b&gt;</bpt>الوزير<ept i="1">&lt;/b&gt;</ept> إن</seg></tuv>
      <tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>minister<ept i="1">&lt;/b&gt;</ept> said</seg></tuv>
    </tu>
    <tu tuid="en-ar" srclang="en">
      <tuv xml:lang="en"><seg>Poll</seg></tuv>
      <tuv xml:lang="ar"><seg>استطلاع رأي</seg></tuv>
    </tu>
    <tu tuid="three">
      <tuv xml:lang="ar"><seg>ثلاث لغات</seg></tuv>
      <tuv xml:lang="en"><seg>three languages</seg></tuv>
      <tuv xml:lang="fr"><seg>trois langues</seg></tuv>
    </tu>
    <tu tuid="p1"><tuv xml:lang="ar"><seg>جملة ثانية</seg></tuv><tuv xml:lang="en"><seg>A second sentence.</seg></tuv></tu>
    <tu tuid="p2"><tuv xml:lang="ar"><seg>جملة ثانية</seg></tuv><tuv xml:lang="en"><seg>A second sentence</seg></tuv></tu>
  </body>
</tmx>
"""


def _rows() -> dict[str, tuple[str, str]]:
    table = DOC.split("## What each path keeps", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("| ") else []
        if len(cells) == 3 and cells[0] not in ("path", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


# -- segment paths ------------------------------------------------------------------------------

def _user_props(s: Segment) -> dict[str, str]:
    return {k: v for k, v in s.props.items() if not k.startswith("@") and not k.endswith("seg-xml") and not k.startswith("x-ctlex-")}


def _same_ids(a: list[Segment], b: list[Segment]) -> bool:
    """Every unit keeps its id; where the input repeats an id (a <tu> with two targets), the
    doc's ``ID-N`` renaming of the repeat is allowed."""
    ids = [x.id for x in a]
    return len(a) == len(b) and all(
        y.id == x.id or (ids.count(x.id) > 1 and re.fullmatch(rf"{re.escape(x.id or '')}-\d+", y.id or "") is not None)
        for x, y in zip(a, b))


#: an item of the doc's vocabulary → whether it survived (units before, units after)
SEGMENT_ITEMS: dict[str, Callable[[list[Segment], list[Segment]], bool]] = {
    "every unit": lambda a, b: len(a) == len(b),
    "tuids": lambda a, b: _same_ids(a, b),
    "texts": lambda a, b: [(x.source, x.target) for x in a] == [(y.source, y.target) for y in b],
    "notes": lambda a, b: [x.note for x in a] == [y.note for y in b],
    "dates": lambda a, b: [(x.created, x.changed) for x in a] == [(y.created, y.changed) for y in b],
    "every `<prop>`": lambda a, b: [_user_props(x) for x in a] == [_user_props(y) for y in b],
    "`<tu>` attributes": lambda a, b: [{k: v for k, v in x.props.items() if k.startswith("@")} for x in a]
    == [{k: v for k, v in y.props.items() if k.startswith("@")} for y in b],
    "inline markup": lambda a, b: [{k: v for k, v in x.props.items() if k.endswith("seg-xml")} for x in a]
    == [{k: v for k, v in y.props.items() if k.endswith("seg-xml")} for y in b],
    "languages": lambda a, b: [(x.source_lang, x.target_lang) for x in a] == [(y.source_lang, y.target_lang) for y in b],
}


def _via_store(src: Path, tmp: Path) -> Path:
    s = Store(tmp / "tm.sqlite")
    s.import_files([src])
    s.export(tmp / "back.tmx")
    return tmp / "back.tmx"


def _via(fmt: str, ext: str, **opts: str) -> Callable[[Path, Path], Path]:
    def run(src: Path, tmp: Path) -> Path:
        mid = tmp / f"mid{ext}"
        exchange.export_segments(formats.read_segments(src), mid, fmt, **opts)
        back = tmp / "back.tmx"
        exchange.export_segments(formats.read_segments(mid, format=fmt), back, "tmx")
        return back

    return run


SEGMENT_PATHS: dict[str, list[Callable[[Path, Path], Path]]] = {
    "TMX → TM store → TMX (`ctlex tm import`, `ctlex tm export`)": [_via_store],
    "TMX → XLIFF 1.2 / 2.0 → TMX": [_via("xliff", ".xlf", version="1.2"), _via("xliff", ".xlf", version="2.0")],
    "TMX → PO → TMX (segments)": [_via("po", ".po")],
    "TMX → TSV → TMX (two columns)": [_via("tsv", ".tsv")],
}


def _items(cell: str) -> list[str]:
    return [item for item in SEGMENT_ITEMS if re.search(rf"(^|[ ,(]){re.escape(item)}([ ,):]|$)", cell)]


@pytest.mark.parametrize("path", sorted(SEGMENT_PATHS))
def test_segment_path_keeps_and_loses_what_the_doc_says(path: str, tmp_path: Path) -> None:
    keeps, loses = _rows()[path]
    kept, lost = _items(keeps), _items(loses)
    assert kept and set(kept).isdisjoint(lost), (kept, lost)
    src = tmp_path / "rich.tmx"
    src.write_text(RICH, encoding="utf-8")
    before = list(formats.read_segments(src))
    for n, run in enumerate(SEGMENT_PATHS[path]):
        work = tmp_path / str(n)
        work.mkdir()
        after = list(formats.read_segments(run(src, work)))
        for item in kept:
            assert SEGMENT_ITEMS[item](before, after), f"{path}: the doc says it keeps {item}, the round trip lost it"
        for item in lost:
            assert not SEGMENT_ITEMS[item](before, after), f"{path}: the doc says it loses {item}, the round trip kept it"


def test_store_path_details() -> None:
    """The store row's specific claims: a unit imported again is merged and counted; the header is
    ctlex's; a two-target <tu> comes back as one <tu> per target with the same tuid."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "rich.tmx"
        src.write_text(RICH, encoding="utf-8")
        s = Store(tmp / "tm.sqlite")
        s.import_files([src])
        s.import_files([src])
        s.export(tmp / "back.tmx")
        text = (tmp / "back.tmx").read_text(encoding="utf-8")
        assert 'creationtool="ctlex"' in text and "OtherTool" not in text
        assert text.count('<tu tuid="three"') == 2
        assert all(u.props.get("x-ctlex-count") == "2" for u in formats.read_segments(tmp / "back.tmx"))
    assert "`x-ctlex-count`" in _rows()["TMX → TM store → TMX (`ctlex tm import`, `ctlex tm export`)"][1]


# -- glossary paths -------------------------------------------------------------------------------

#: the doc's words for a loss → the field names of test_roundtrip._concept_diffs
GLOSSARY_LOSSES = {
    "term part of speech": "term.pos", "term type": "term.term_type", "term note": "term.note", "house styles": "term.styles",
    "usage flags": "term.usage", "exclusion contexts": "term.exclude", "unmodelled XML": "term.extra",
    "line breaks inside a note": "concept.notes", "the order of terms across languages": "term.order.across-languages",
}
GLOSSARY_PATHS = {"TBX v3 ↔ TBX 2008": ["tbx2"], "TBX v3 ↔ PO": ["po"], "TBX v3 → CSV / XLSX → TBX v3": ["csv", "xlsx"]}


@pytest.mark.parametrize("path", sorted(GLOSSARY_PATHS))
def test_glossary_path_keeps_what_the_doc_says(path: str, full: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    keeps, loses = _rows()[path]
    skip = {field for words, field in GLOSSARY_LOSSES.items() if words in loses}
    if "unmodelled XML" in loses:
        skip.add("concept.extra")
    if loses == "nothing":
        assert keeps.startswith("everything") and not skip
    else:
        assert skip and len([w for w in GLOSSARY_LOSSES if w in loses]) == len(loses.split(","))  # every loss is one the test knows
    for g in (full, glossary):
        for fmt in GLOSSARY_PATHS[path]:
            p = tmp_path / f"g{formats.FORMATS[fmt].extensions[0]}"
            exchange.export_glossary(g, p, fmt)
            back = formats.read_glossary(p, format=fmt)
            assert _concept_diffs(g, back, frozenset(skip)) == [], (path, fmt)


def test_every_row_is_checked() -> None:
    checked = set(SEGMENT_PATHS) | set(GLOSSARY_PATHS)
    # the OmegaT rows are checked with OmegaT itself and by the format conformance tests
    elsewhere = {"TBX v3 → OmegaT TSV → TBX v3", "anything → OmegaT"}
    assert set(_rows()) == checked | elsewhere
