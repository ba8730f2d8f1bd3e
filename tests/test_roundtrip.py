"""Round trips between the formats the docs call lossless (or lossless up to a documented list),
checked concept by concept and term by term, unit by unit — on the shipped glossary and TM and on
hand-made data that uses every field.

=====================================  ===========================================================
path                                   kept
=====================================  ===========================================================
TBX v3 → TBX 2008 → TBX v3             everything (unmodelled elements included)
TBX v3 → PO → TBX v3                   everything
TBX v3 → TBX 2008 → PO → TBX 2008      everything, and TBX 2008 bytes identical
TBX v3 → CSV/XLSX → TBX v3             every field but csv.CANNOT_CARRY; spreadsheet-formula text
TMX → XLIFF 1.2 / 2.0 → TMX            tuids, notes, dates, every <prop>, <tu> attributes, inline
                                       markup: the TMX written again is byte-identical
=====================================  ===========================================================
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlex import exchange, formats
from ctlex.formats import csv as csv_format
from ctlex.glossary import Concept, Glossary, Source, Term


@pytest.fixture()
def full(mini_glossary: Glossary) -> Glossary:
    """mini_glossary plus a concept that uses every modelled field (and spreadsheet-formula text)."""
    g = mini_glossary
    c = g.add(Concept("al-shabaab", "group", subject="armed groups", definition="=Armed group in Somalia (2006)",
                      notes=["Designated by the UN Security Council.", "+ملاحظة عربية"],
                      sources=[Source("004_x.txt", "قالت حركة الشباب إن"), Source("002_y.txt", "")]))
    c.terms += [Term("حركة الشباب المجاهدين", "ar", "preferred", pos="noun", term_type="fullForm", note="full name"),
                Term("الشباب", "ar", "admitted", term_type="shortForm", exclude=["الشباب في الرياضة"]),
                Term("al-Shabaab", "en", "preferred", pos="properNoun", styles=["UN", "EU"]),
                Term("-Shabaab", "en", "admitted"),
                Term("al-Shebab", "en", "deprecated", usage="forbidden", note="garbled"),
                Term("Shabaab", "en", "superseded", usage="do-not-translate")]
    return g


def _concept_diffs(a: Glossary, b: Glossary, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every difference, named by concept, field and term (empty when the round trip is exact)."""
    out = []
    ids_a, ids_b = [c.id for c in a], [c.id for c in b]
    if ids_a != ids_b:
        return [f"concept ids differ: {sorted(set(ids_a) ^ set(ids_b))[:5]} (or their order)"]
    for ca, cb in zip(a, b):
        for f in ("type", "subject", "definition", "notes", "sources", "extra"):
            if f"concept.{f}" not in skip and getattr(ca, f) != getattr(cb, f):
                out.append(f"{ca.id}.{f}: {getattr(ca, f)!r} -> {getattr(cb, f)!r}")
        ta, tb = ca.terms, cb.terms
        if "term.order.across-languages" in skip:
            ta = sorted(ta, key=lambda t: t.lang)
            tb = sorted(tb, key=lambda t: t.lang)
        if [(t.lang, t.text) for t in ta] != [(t.lang, t.text) for t in tb]:
            out.append(f"{ca.id}: terms {[(t.lang, t.text) for t in ta]} -> {[(t.lang, t.text) for t in tb]}")
            continue
        for x, y in zip(ta, tb):
            for f in ("status", "pos", "term_type", "note", "extra", "styles", "usage", "exclude"):
                if f"term.{f}" not in skip and getattr(x, f) != getattr(y, f):
                    out.append(f"{ca.id}/{x.lang}/{x.text}.{f}: {getattr(x, f)!r} -> {getattr(y, f)!r}")
    return out


def _via(g: Glossary, fmt: str, tmp_path: Path, name: str = "g") -> Glossary:
    p = tmp_path / f"{name}{formats.FORMATS[fmt].extensions[0]}"
    exchange.export_glossary(g, p, fmt)
    return formats.read_glossary(p, format=fmt)


@pytest.fixture(params=["full", "shipped"])
def g(request: pytest.FixtureRequest, full: Glossary, glossary: Glossary) -> Glossary:
    return full if request.param == "full" else glossary


@pytest.mark.parametrize("fmt", ["tbx2", "po"])
def test_tbx3_to_lossless_format_and_back(fmt: str, g: Glossary, tmp_path: Path) -> None:
    back = _via(_via(g, fmt, tmp_path), "tbx", tmp_path)
    assert _concept_diffs(g, back) == []


def test_tbx3_to_tbx2008_to_po_to_tbx2008_is_byte_identical(g: Glossary, tmp_path: Path) -> None:
    a = tmp_path / "a.tbx2"
    exchange.export_glossary(g, a, "tbx2")
    via_po = _via(formats.read_glossary(a), "po", tmp_path)
    b = tmp_path / "b.tbx2"
    exchange.export_glossary(via_po, b, "tbx2")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tbx3_to_table_and_back_keeps_all_but_the_documented_losses(fmt: str, g: Glossary, tmp_path: Path) -> None:
    back = _via(_via(g, fmt, tmp_path), "tbx", tmp_path, "back")
    assert _concept_diffs(g, back, csv_format.CANNOT_CARRY) == []


def test_csv_formula_text_survives_and_is_neutralised(full: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    exchange.export_glossary(full, p, "csv")
    raw = p.read_text(encoding="utf-8-sig")
    assert "'=Armed group" in raw and ",-Shabaab" not in raw and "'-Shabaab" not in raw.split("|")[0]
    back = formats.read_glossary(p)
    assert back["al-shabaab"].definition == "=Armed group in Somalia (2006)"
    assert "-Shabaab" in [t.text for t in back["al-shabaab"].terms]


# -- TMX -> XLIFF -> TMX --------------------------------------------------------------------------------


RICH_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="ar" datatype="plaintext"/>
  <body>
    <tu tuid="u 1" creationid="analyst" usagecount="3" creationdate="20190614T120000Z" changedate="20200101T000000Z">
      <note>checked twice</note>
      <prop type="x-file">004_x.txt</prop>
      <prop type="x-domain">counter-terrorism</prop>
      <tuv xml:lang="ar"><prop type="x-ar-note">مصدر</prop><seg>قال <bpt i="1">&lt;b&gt;</bpt>الوزير<ept i="1">&lt;/b&gt;</ept> إن</seg></tuv>
      <tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>minister<ept i="1">&lt;/b&gt;</ept> said</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="ar"><seg>جملة ثانية</seg></tuv>
      <tuv xml:lang="en"><seg>A second sentence</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.mark.parametrize("version", ["1.2", "2.0"])
@pytest.mark.parametrize("which", ["rich", "shipped"])
def test_tmx_to_xliff_to_tmx_keeps_units_props_and_tuids(version: str, which: str, tmp_path: Path) -> None:
    if which == "rich":
        src = tmp_path / "in.tmx"
        src.write_text(RICH_TMX, encoding="utf-8")
        segs = list(formats.read_segments(src))
    else:
        segs = list(exchange.tm_segments())
    direct = tmp_path / "direct.tmx"
    exchange.export_segments(segs, direct, "tmx")
    x = tmp_path / "via.xlf"
    exchange.export_segments(segs, x, "xliff", version=version)
    back = list(formats.read_segments(x, format="xliff"))
    assert len(back) == len(segs)
    for a, b in zip(segs, back):  # unit by unit
        assert (b.id, b.source, b.target, b.note, b.created, b.changed) == (a.id, a.source, a.target, a.note, a.created, a.changed)
        assert b.props == a.props, a.id
    again = tmp_path / "again.tmx"
    exchange.export_segments(back, again, "tmx")
    assert again.read_bytes() == direct.read_bytes()
    if which == "rich":
        text = again.read_text(encoding="utf-8")
        assert 'tuid="u 1" usagecount="3" creationid="analyst"' in text and "<bpt i=\"1\">&lt;b&gt;</bpt>" in text
