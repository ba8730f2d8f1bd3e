"""One conformance suite over every registered format (translate-toolkit's TestTranslationStore idea).

Glossary formats: empty glossary, reparse equality up to the format's documented ``CANNOT_CARRY``,
Arabic byte-exact in NFC with RTL marks, malformed input → ParseError with the line, an
interrupted write leaving the old file intact, sniffing, determinism.  Segment formats: round trip
and the same safety properties.
"""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest

from ctlex import formats
from ctlex.errors import ParseError, UnsafeXMLError, WriteError
from ctlex.formats import _io
from ctlex.glossary import STATUS_RANK, Concept, Glossary, Source, Term
from ctlex.segment import Segment

GLOSSARY_FORMATS = sorted(n for n, f in formats.FORMATS.items() if f.glossary)
SEGMENT_FORMATS = sorted(n for n, f in formats.FORMATS.items() if f.segments)
XML_FORMATS = [n for n in ("tbx", "tbx2", "tmx", "xliff") if n in formats.FORMATS]

RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"
# NFC text whose marks NFC would reorder if it were not already normalized (fatha before shadda)
HARAKAT = unicodedata.normalize("NFC", "مُحَمَّدٌ")
AR_TERM = f"{RLM}حركة الشباب المجاهدين{RLM}"
AR_DEF = f"جماعة مسلحة في الصومال {ALM}(2006){LRM} — {HARAKAT}"


def _ext(name: str) -> str:
    return formats.FORMATS[name].extensions[0]


def _cannot(name: str) -> frozenset[str]:
    return getattr(formats.FORMATS[name].load(), "CANNOT_CARRY", frozenset())


@pytest.fixture()
def rich(mini_glossary: Glossary) -> Glossary:
    """mini_glossary plus RTL marks, harakat, notes, sources and unmodelled TBX parts."""
    g = mini_glossary
    c = g.add(Concept("al-shabaab", "group", subject="armed groups", definition=AR_DEF,
                      notes=["Designated by the UN Security Council.", "ملاحظة عربية"],
                      sources=[Source("004_x.txt", f"قالت {AR_TERM} إن"), Source("002_y.txt", "")],
                      extra=['<descrip xmlns="urn:iso:std:iso:30042:ed-2" type="context">سياق</descrip>']))
    c.terms += [Term(AR_TERM, "ar", "preferred", pos="noun", term_type="fullForm", note=f"written with RLM {HARAKAT}"),
                Term("الشباب", "ar", "admitted", term_type="shortForm"),
                Term("al-Shabaab", "en", "preferred", pos="noun"),
                Term("Harakat al-Shabaab al-Mujahideen", "en", "superseded", term_type="fullForm"),
                Term("Al-Shabaab", "en", "admitted", styles=["UN", "EU"]),
                Term("al-Shebab", "en", "deprecated", usage="forbidden", note="garbled"),
                Term("Shabaab", "en", "admitted", usage="do-not-translate",
                     extra=['<note xmlns="urn:iso:std:iso:30042:ed-2">usage: do-not-translate (kept as written)</note>']),
                Term("الشباب المجاهدين", "ar", "admitted", exclude=["الشباب المجاهدين في الرياضة", "كرة القدم"])]
    return g


def canon(g: Glossary, lost: frozenset[str]) -> list[dict]:
    """What the format must keep: the model minus its documented losses."""
    out = []
    for c in g:
        langs = {t.lang.split("-")[0] for t in c.terms}
        if "concept.one-language" in lost and not {"ar", "en"} <= langs:
            continue
        d: dict = {"id": c.id, "definition": c.definition}
        for name, value in (("type", c.type), ("subject", c.subject), ("notes", c.notes),
                            ("sources", [(s.file, s.sentence) for s in c.sources]), ("extra", c.extra)):
            if f"concept.{name}" not in lost:
                d[name] = value
        terms: dict[str, list] = {}
        for i, t in enumerate(c.terms):
            if "lang.other" in lost and t.lang not in ("ar", "en"):
                continue
            row = [t.text, t.status]
            for name in ("pos", "term_type", "note", "extra", "styles", "usage", "exclude"):
                if f"term.{name}" not in lost:
                    row.append(getattr(t, name))
            terms.setdefault(t.lang, []).append((STATUS_RANK[t.status] if "term.order" in lost else 0, i, row))
        d["terms"] = {lang: [r for _, _, r in sorted(v, key=lambda x: (x[0], x[1]))] for lang, v in sorted(terms.items())}
        out.append(d)
    return out


# -- registry ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(formats.FORMATS))
def test_registered_module_has_its_surface(name: str) -> None:
    f = formats.FORMATS[name]
    mod = f.load()
    assert f.extensions and all(e.startswith(".") for e in f.extensions)
    assert callable(getattr(mod, "sniff", None))
    if f.glossary:
        assert callable(mod.read) and callable(mod.write)
    if f.segments:
        assert callable(mod.read_segments) and callable(mod.write_segments)


def test_unknown_format_lists_known_ones() -> None:
    from ctlex.errors import UnknownFormatError

    with pytest.raises(UnknownFormatError) as e:
        formats.get("docx")
    for name in ("tbx", "tbx2", "po", "tsv", "csv", "xlsx", "xliff"):
        assert name in str(e.value)


# -- glossary formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_reparse_keeps_all_it_can_carry(name: str, rich: Glossary, tmp_path: Path) -> None:
    p = tmp_path / f"g{_ext(name)}"
    formats.write_glossary(rich, p, format=name)
    back = formats.read_glossary(p, format=name)
    lost = _cannot(name)
    assert canon(back, lost) == canon(rich, lost)


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_arabic_byte_exact_nfc_with_rtl_marks(name: str, rich: Glossary, tmp_path: Path) -> None:
    p = tmp_path / f"g{_ext(name)}"
    formats.write_glossary(rich, p, format=name)
    back = formats.read_glossary(p, format=name)
    c = back["al-shabaab"]
    ar = [t.text for t in c.terms if t.lang == "ar"]
    assert AR_TERM in ar
    got = next(t for t in ar if t == AR_TERM)
    assert got.encode("utf-8") == AR_TERM.encode("utf-8")
    assert unicodedata.is_normalized("NFC", got)
    assert c.definition is not None and c.definition.encode("utf-8") == AR_DEF.encode("utf-8")
    for concept in back:
        for t in concept.terms:
            assert unicodedata.is_normalized("NFC", t.text)


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_output_is_deterministic(name: str, rich: Glossary, tmp_path: Path) -> None:
    a, b = tmp_path / f"a{_ext(name)}", tmp_path / f"b{_ext(name)}"
    formats.write_glossary(rich, a, format=name)
    formats.write_glossary(rich, b, format=name)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_sniff_recognises_own_output(name: str, mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / f"g{_ext(name)}"
    formats.write_glossary(mini_glossary, p, format=name)
    head = p.read_bytes()[:4096]
    assert formats.FORMATS[name].load().sniff(head)
    assert formats.for_path(tmp_path / "noext", head=head, kind="glossary").name == name


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_empty_glossary(name: str, tmp_path: Path) -> None:
    p = tmp_path / f"g{_ext(name)}"
    formats.write_glossary(Glossary(title="empty"), p, format=name)
    assert len(formats.read_glossary(p, format=name)) == 0


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_interrupted_write_leaves_old_file_intact(name: str, mini_glossary: Glossary, rich: Glossary,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / f"g{_ext(name)}"
    formats.write_glossary(Glossary([next(iter(mini_glossary))], title="old"), p, format=name)
    before = p.read_bytes()

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_io.os, "fsync", boom)
    with pytest.raises(WriteError, match="No space left on device|I/O error"):  # one located error, not a raw OSError
        formats.write_glossary(rich, p, format=name)
    monkeypatch.undo()
    assert p.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [p.name]  # no temporary file left behind


def _xlsx_bad_status() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Type", "ar", "ar Status", "en", "en Status"])
    ws.append(["ok", "term", "إرهاب", "preferred", "terrorism", "preferred"])
    ws.append(["bad", "term", "تطرف", "preferred", "extremism", "best"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# name → (content, line the ParseError must name)
MALFORMED: dict[str, tuple[bytes | callable, int]] = {
    "tbx": (b'<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca">\n'
            b"<text><body>\n<conceptEntry id=\"x\">\n</body></text>\n</tbx>\n", 5),
    "tbx2": (b'<?xml version="1.0"?>\n<martif type="TBX-Basic">\n<text><body>\n<termEntry id="x">\n'
             b"<langSet xml:lang=\"en\"><tig><term>a</term></tig></langSet>\n</body>\n</text></martif>\n", 6),
    "po": ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "إرهاب"\nmsgstr "terrorism"\nعبارة بلا علامات اقتباس\n'.encode(), 7),
    "tsv": ("إرهاب\tterrorism\t[terrorism]\nتطرف بلا ترجمة\n".encode(), 2),
    "csv": ("ID,Type,ar,ar Status,en,en Status\r\nok,term,إرهاب,preferred,terrorism,preferred\r\n"
            "bad,term,تطرف,preferred,extremism,best\r\n".encode("utf-8-sig"), 3),
    "xlsx": (_xlsx_bad_status, 3),
}


@pytest.mark.parametrize("name", GLOSSARY_FORMATS)
def test_malformed_input_is_a_located_parse_error(name: str, tmp_path: Path) -> None:
    if name not in MALFORMED:
        pytest.fail(f"format {name!r} has no malformed sample in MALFORMED; add one")
    data, line = MALFORMED[name]
    p = tmp_path / f"bad{_ext(name)}"
    p.write_bytes(data() if callable(data) else data)
    with pytest.raises(ParseError) as e:
        formats.read_glossary(p, format=name)
    assert e.value.line == line, str(e.value)
    assert e.value.path == str(p)
    assert str(e.value).startswith(f"{p}:{line}:")


# -- XML safety ---------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<x>&xxe;</x>
"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>
"""


@pytest.mark.parametrize("name", XML_FORMATS)
@pytest.mark.parametrize("payload", [XXE, BOMB], ids=["xxe", "entity-bomb"])
def test_xml_formats_refuse_entities(name: str, payload: bytes, tmp_path: Path) -> None:
    p = tmp_path / f"evil{_ext(name)}"
    p.write_bytes(payload)
    f = formats.FORMATS[name]
    with pytest.raises(UnsafeXMLError) as e:
        if f.glossary:
            formats.read_glossary(p, format=name)
        else:
            list(formats.read_segments(p, format=name))
    assert e.value.line is not None


# -- segment formats -----------------------------------------------------------------------------

SEGMENTS = [
    Segment(f"قال {AR_TERM} في بيان", "In a statement, al-Shabaab said", id="1"),
    Segment(f"{HARAKAT} والتعاون مع اليوروبول", "cooperation with Europol", id="2"),
    Segment("سطر\tفيه علامة جدولة", "a line\twith a tab", id="3"),
]


@pytest.mark.parametrize("name", SEGMENT_FORMATS)
def test_segments_round_trip_byte_exact(name: str, tmp_path: Path) -> None:
    p = tmp_path / f"s{_ext(name)}"
    n = formats.write_segments(SEGMENTS, p, format=name)
    assert n == len(SEGMENTS)
    back = list(formats.read_segments(p, format=name))
    assert [(s.source.encode(), s.target.encode()) for s in back] == [(s.source.encode(), s.target.encode()) for s in SEGMENTS]
    assert formats.FORMATS[name].load().sniff(p.read_bytes()[:4096])


@pytest.mark.parametrize("name", SEGMENT_FORMATS)
def test_segments_interrupted_write_leaves_old_file(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / f"s{_ext(name)}"
    formats.write_segments(SEGMENTS[:1], p, format=name)
    before = p.read_bytes()
    monkeypatch.setattr(_io.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(WriteError, match="No space left on device|I/O error"):  # one located error, not a raw OSError
        formats.write_segments(SEGMENTS, p, format=name)
    monkeypatch.undo()
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == [p.name]


MALFORMED_SEGMENTS: dict[str, tuple[bytes, int]] = {
    "tsv": ("مرحبا\tHello\nسطر بلا عمود ثان\n".encode(), 2),
    "po": MALFORMED["po"],  # type: ignore[dict-item]
    "xliff": (b'<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
              b'<file source-language="ar" target-language="en" datatype="plaintext" original="x"><body>\n'
              b'<trans-unit id="1">\n<target>no source</target>\n</trans-unit>\n</body></file></xliff>\n', 4),
    "tmx": (b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="ar"/>\n<body>\n<tu>\n</body>\n</tmx>\n', 6),
}


@pytest.mark.parametrize("name", SEGMENT_FORMATS)
def test_malformed_segments_are_located(name: str, tmp_path: Path) -> None:
    if name not in MALFORMED_SEGMENTS:
        pytest.fail(f"segment format {name!r} has no sample in MALFORMED_SEGMENTS; add one")
    data, line = MALFORMED_SEGMENTS[name]
    p = tmp_path / f"bad{_ext(name)}"
    p.write_bytes(data)
    with pytest.raises(ParseError) as e:
        list(formats.read_segments(p, format=name))
    assert e.value.line == line, str(e.value)
