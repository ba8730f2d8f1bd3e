"""Issue 14, import half: readers never lose or invent, and say what they skipped.

Each test names the finding it covers.  The two figures the issue asks for (status-less TBX with
``--prefer theirs``, polib re-save) are measured on the shipped glossary, not on a toy file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex import formats
from ctlex.cli import cli
from ctlex.errors import ParseError, UnsafeXMLError
from ctlex.formats import ReadReport
from ctlex.glossary import Concept, Glossary, Term
from ctlex.merge import merge

ROOT = Path(__file__).resolve().parents[1]
TBX = ROOT / "glossary" / "ctlex.tbx"
PO = ROOT / "glossary" / "ctlex.po"
HDR = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'


def _w(tmp: Path, name: str, data: str | bytes) -> Path:
    p = tmp / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _snapshot(g: Glossary) -> dict[str, list[tuple[str, str, str]]]:
    return {c.id: [(t.lang, t.text, t.status) for t in c.terms] for c in g}


# -- TBX without statuses ------------------------------------------------------------------------

def _strip_statuses(src: Path, dst: Path) -> None:
    text = src.read_text(encoding="utf-8")
    text = re.sub(r'\s*<termNote type="administrativeStatus">[^<]*</termNote>', "", text)
    dst.write_text(text, encoding="utf-8")


def test_statusless_tbx_prefer_theirs_changes_no_concept(tmp_path: Path) -> None:
    bare = tmp_path / "bare.tbx"
    _strip_statuses(TBX, bare)
    incoming = formats.read_glossary(bare)
    assert all(not t.status_given for c in incoming for t in c.terms)
    base = formats.read_glossary(TBX)
    before = _snapshot(base)
    merge(base, incoming, prefer="theirs")
    after = _snapshot(base)
    changed = [cid for cid in before if before[cid] != after[cid]]
    assert changed == []  # the issue measured every concept losing its preferred term
    # and through the CLI, into a copy
    into = tmp_path / "g.tbx"
    shutil.copy(TBX, into)
    r = CliRunner().invoke(cli, ["import", str(bare), "--into", str(into), "--prefer", "theirs"])
    assert r.exit_code == 0, r.output
    assert _snapshot(formats.read_glossary(into)) == before


def test_unknown_status_is_not_written_as_a_status(tmp_path: Path) -> None:
    g = Glossary([Concept("x", terms=[Term("Foo", "en", status_given=False), Term("فو", "ar", "preferred")])])
    for fmt, ext in (("tbx", ".tbx"), ("tbx2", ".tbx"), ("po", ".po")):
        p = tmp_path / f"g{fmt}{ext}"
        formats.write_glossary(g, p, format=fmt)
        text = p.read_text(encoding="utf-8")
        assert text.count("preferred") == 1 and "admitted" not in text, fmt  # nothing invented for Foo
        back = formats.read_glossary(p, format=fmt)["x"]
        assert [(t.text, t.status_given) for t in back.terms if t.lang == "en"] == [("Foo", False)], fmt


def test_merge_unknown_status_new_term_is_admitted_not_a_new_preferred() -> None:
    base = Glossary([Concept("x", terms=[Term("GCTF", "en", "preferred"), Term("غ", "ar", "preferred")])])
    inc = Glossary([Concept("x", terms=[Term("Forum", "en", "admitted", status_given=False)])])
    merge(base, inc, prefer="theirs")
    assert [(t.text, t.status) for t in base["x"].terms if t.lang == "en"] == [("GCTF", "preferred"), ("Forum", "admitted")]


def test_csv2tbx_output_is_accepted_with_derived_ids(tmp_path: Path) -> None:
    pytest.importorskip("translate")
    csv = _w(tmp_path, "g.csv", "source,target\nالاتحاد الأوروبي,European Union\nالمفوضية الأوروبية,European Commission\n")
    out = tmp_path / "g.tbx"
    subprocess.run([shutil.which("csv2tbx") or "csv2tbx", str(csv), str(out)], check=True, capture_output=True)
    rep = ReadReport(out)
    g = formats.read_glossary(out, report=rep)
    assert [c.id for c in g] == ["الاتحاد-الأوروبي", "المفوضية-الأوروبية"]
    ids = [w for w in rep.warnings if "not a valid XML id" in w.message]
    assert len(ids) == 2 and all(w.line is not None for w in rep.warnings)
    # csv2tbx labels the source "en" and the target "xx": said, not silently taken as English
    assert sum("Arabic script but marked xml:lang 'en'" in w.message for w in rep.warnings) == 2
    assert sum("'xx' names no language" in w.message for w in rep.warnings) == 2


def test_any_valid_xml_id_is_kept(tmp_path: Path) -> None:
    g = Glossary([Concept("الاتحاد_الأوروبي", terms=[Term("EU", "en", "preferred")]), Concept("é.x-1", terms=[Term("X", "en")])])
    for fmt in ("tbx", "tbx2", "po", "csv", "tsv"):
        p = tmp_path / f"g.{fmt}"
        formats.write_glossary(g, p, format=fmt)
        if fmt == "tsv":
            continue  # a one-language concept is left out of the OmegaT form (documented)
        assert [c.id for c in formats.read_glossary(p, format=fmt)] == ["الاتحاد_الأوروبي", "é.x-1"], fmt


# -- PO ----------------------------------------------------------------------------------------

def test_polib_resave_changes_no_concept(tmp_path: Path) -> None:
    polib = pytest.importorskip("polib")
    resaved = tmp_path / "resaved.po"
    polib.pofile(str(PO)).save(str(resaved))  # wraps every comment at 78 columns
    assert resaved.read_text(encoding="utf-8") != PO.read_text(encoding="utf-8")
    a, b = formats.read_glossary(PO), formats.read_glossary(resaved)
    assert len(a) > 200
    assert [c.id for c in a if b.get(c.id) != c] == []


@pytest.mark.parametrize("body, line, words", [
    ('msgctxt "european-commission"\nmsgid "المفوضية الأوروبية"\n\nmsgctxt "european-union"\nmsgid "الاتحاد"\nmsgstr "European Union"\n',
     9, "missing 'msgstr'"),
    ('msgid المفوضية"\nmsgstr "European Commission"\n', 6, "expected a string"),
    ('msgid "المفوضية\nmsgstr "European Commission"\n', 6, "end-of-line within string"),
    ('msgid "x"\nmsgstr "X"\n\nmsgid "x"\nmsgstr "Y"\n', 9, "duplicate message definition"),
    ('msgctxt "a"\nmsgid "x"\nmsgstr "X"\n\nmsgctxt "a"\nmsgid "y"\nmsgstr "Y"\n', 10, "msgctxt 'a' names a second entry"),
    ('msgid "x"\nmsgstr "X"\n\nmsgid "y"\nmsgstr "Y', 10, "end-of-file within string"),
    ('msgid "a\\qb"\nmsgstr "X"\n', 6, "invalid control sequence"),
    ('msgid "x"\nmsgstr "X"\nfoo "bar"\n', 8, "keyword 'foo' unknown"),
])
def test_po_malformed_is_refused_like_msgfmt(tmp_path: Path, body: str, line: int, words: str) -> None:
    p = _w(tmp_path, "bad.po", HDR + body)
    with pytest.raises(ParseError) as ei:
        formats.read_glossary(p)
    assert ei.value.line == line and words in ei.value.reason, str(ei.value)
    if shutil.which("msgfmt") and "msgctxt 'a'" not in words:  # msgfmt -c refuses the same files
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(p)], capture_output=True).returncode != 0


def test_ordinary_gettext_glossaries_are_accepted(tmp_path: Path) -> None:
    p = _w(tmp_path, "plain.po", HDR + 'msgid "داعش"\nmsgstr ""\n\nmsgid "القاعدة"\nmsgstr ""\n\n'
           'msgid "الدولة الإسلامية"\nmsgstr "Islamic State"\n\nmsgid "تنظيم الدولة"\nmsgstr "Islamic State"\n')
    g = formats.read_glossary(p)
    assert len(g) == 4 and len({c.id for c in g}) == 4
    assert [sorted((t.lang, t.text) for t in c.terms) for c in g] == [
        [("ar", "داعش")], [("ar", "القاعدة")], [("ar", "الدولة الإسلامية"), ("en", "Islamic State")],
        [("ar", "تنظيم الدولة"), ("en", "Islamic State")]]


def test_po_charset_header_is_honoured(tmp_path: Path) -> None:
    text = HDR.replace("UTF-8", "CP1256") + 'msgctxt "isis"\nmsgid "داعش"\nmsgstr "ISIS"\n'
    p = _w(tmp_path, "cp.po", text.encode("cp1256"))
    assert formats.read_glossary(p)["isis"].preferred("ar").text == "داعش"  # type: ignore[union-attr]
    bad = _w(tmp_path, "bad.po", HDR.replace("UTF-8", "X-NOPE") + 'msgid "x"\nmsgstr "X"\n')
    with pytest.raises(ParseError, match="unknown charset"):
        formats.read_glossary(bad)


def test_po_header_only_and_headerless(tmp_path: Path) -> None:
    only = _w(tmp_path, "only.po", HDR)
    r = CliRunner().invoke(cli, ["import", str(only), "--into", str(tmp_path / "g.tbx")])
    assert r.exit_code == 2 and "no concepts to import" in r.output and not (tmp_path / "g.tbx").exists()
    bare = _w(tmp_path, "bare.po", 'msgid "x"\nmsgstr "X"\n')
    rep = ReadReport(bare)
    assert len(formats.read_glossary(bare, report=rep)) == 1
    assert [w.message for w in rep.warnings] == ['no PO header (msgid ""): read as UTF-8']


def test_po_segments_skip_untranslated_and_fuzzy(tmp_path: Path) -> None:
    p = _w(tmp_path, "s.po", HDR + 'msgid "أ"\nmsgstr "A"\n\n#, fuzzy\nmsgid "ب"\nmsgstr "B"\n\nmsgid "ت"\nmsgstr ""\n')
    rep = ReadReport(p)
    assert [s.target for s in formats.read_segments(p, report=rep)] == ["A"]
    assert dict(rep.skipped) == {"fuzzy entry (not reviewed)": 1, "untranslated entry (empty msgstr)": 1}
    assert rep.count == 1
    assert [s.target for s in formats.read_segments(p, drafts=True)] == ["A", "B"]


# -- XLIFF ---------------------------------------------------------------------------------------

XLF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="s.po" source-language="ar" target-language="en" datatype="po">
    <body>
      <trans-unit id="h" approved="no" restype="x-gettext-domain-header">
        <source>Content-Type: text/plain; charset=UTF-8
Language: en
</source>
        <target state="translated">Content-Type: text/plain; charset=UTF-8
Language: en
</target>
      </trans-unit>
      <trans-unit id="1" approved="yes"><source>أ</source><target state="translated">A</target></trans-unit>
      <trans-unit id="2"><source>ب</source><target state="needs-review-translation">B</target></trans-unit>
      <trans-unit id="3"><source>ت</source><target/></trans-unit>
      <trans-unit id="4"><source>ث</source></trans-unit>
      <trans-unit id="5"><source>ج</source><target state-qualifier="fuzzy-match">J</target></trans-unit>
      <trans-unit id="6" approved="no"><source>ح</source><target>H</target></trans-unit>
      <trans-unit id="7"><source>خ</source><target state="new">K</target></trans-unit>
      <trans-unit id="8"><source>د</source><target state="final">D</target></trans-unit>
    </body>
  </file>
</xliff>
"""


def test_xliff12_returned_file_imports_only_reviewed_targets(tmp_path: Path) -> None:
    p = _w(tmp_path, "back.xlf", XLF12)
    rep = ReadReport(p)
    assert [(s.id, s.target) for s in formats.read_segments(p, report=rep)] == [("1", "A"), ("8", "D")]
    assert dict(rep.skipped) == {
        "gettext header unit": 1, "empty target": 1, "no target": 1,
        "not reviewed (state needs-review-translation)": 1, "not reviewed (state-qualifier fuzzy-match)": 1,
        "not reviewed (approved=no)": 1, "not reviewed (state new)": 1,
    }
    assert rep.skipped_lines["no target"] == [16]
    drafts = [s.id for s in formats.read_segments(p, drafts=True)]
    assert drafts == ["1", "2", "5", "6", "7", "8"]


def test_xliff20_initial_is_a_draft(tmp_path: Path) -> None:
    x = """<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en"><file id="f">
<unit id="1"><segment state="translated"><source>أ</source><target>A</target></segment></unit>
<unit id="2"><segment state="initial"><source>ب</source><target>B</target></segment></unit>
<unit id="3"><segment><source>ت</source></segment></unit></file></xliff>"""
    p = _w(tmp_path, "x.xlf", x)
    rep = ReadReport(p)
    assert [s.target for s in formats.read_segments(p, report=rep)] == ["A"]
    assert dict(rep.skipped) == {"not reviewed (state initial)": 1, "no target": 1}


def test_xliff_without_file_is_refused(tmp_path: Path) -> None:
    p = _w(tmp_path, "x.xlf", '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>')
    with pytest.raises(ParseError, match="no <file>"):
        list(formats.read_segments(p))


# -- TMX -----------------------------------------------------------------------------------------

TMX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n<header srclang="ar" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>\n'


def test_tmx_entity_reference_is_refused_with_its_line(tmp_path: Path) -> None:
    p = _w(tmp_path, "e.tmx", TMX_HEAD + '<body>\n<tu><tuv xml:lang="ar"><seg>أ</seg></tuv>\n<tuv xml:lang="en"><seg>a&nbsp;b</seg></tuv></tu>\n</body></tmx>\n')
    with pytest.raises(UnsafeXMLError) as ei:
        list(formats.read_segments(p))
    assert ei.value.line == 7 and "&nbsp;" in ei.value.reason


def test_entity_guard_sees_past_64k_and_utf16be_without_bom(tmp_path: Path) -> None:
    bomb = '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    long_comment = "<!--" + "x" * 70000 + "-->\n"
    doc = '<?xml version="1.0"?>\n' + long_comment + bomb + '<tmx version="1.4"><header srclang="ar"/><body/></tmx>'
    p = _w(tmp_path, "long.tmx", doc)
    with pytest.raises(UnsafeXMLError) as ei:
        list(formats.read_segments(p))
    assert ei.value.line == 3
    be = '<?xml version="1.0" encoding="UTF-16BE"?>\n' + bomb + '<tmx version="1.4"><header srclang="ar"/><body/></tmx>'
    p2 = _w(tmp_path, "be.tmx", be.encode("utf-16-be"))
    with pytest.raises(UnsafeXMLError):
        list(formats.read_segments(p2))
    p3 = _w(tmp_path, "be.tbx", be.replace("tmx", "tbx").encode("utf-16-be"))
    with pytest.raises(UnsafeXMLError):
        formats.read_glossary(p3, format="tbx")


def test_tmx_without_body_and_single_tuv(tmp_path: Path) -> None:
    p = _w(tmp_path, "n.tmx", TMX_HEAD + "</tmx>\n")
    with pytest.raises(ParseError, match="no <body>"):
        list(formats.read_segments(p))
    p = _w(tmp_path, "one.tmx", TMX_HEAD + '<body>\n<tu><tuv xml:lang="ar"><seg>أ</seg></tuv></tu>\n'
           '<tu><tuv xml:lang="ar"><seg>ب</seg></tuv><tuv xml:lang="en"><seg>B</seg></tuv></tu>\n</body></tmx>\n')
    rep = ReadReport(p)
    assert [s.target for s in formats.read_segments(p, report=rep)] == ["B"]
    assert dict(rep.skipped) == {"unit with a single <tuv> (no translation)": 1} and rep.count == 1


# -- NUL, TSV, OmegaT, CSV -----------------------------------------------------------------------

@pytest.mark.parametrize("name, data, line", [
    ("g.po", HDR + 'msgid "x\x00"\nmsgstr "X"\n', 6),
    ("g.csv", "ID,Type,ar,en\nx,term,\x00أ,A\n", 2),
    ("g.utf8", "أ\tA\t[x]\nب\x00\tB\t[y]\n", 2),
    ("s.tsv", "أ\tA\nب\x00\tB\n", 2),
])
def test_nul_byte_is_refused(tmp_path: Path, name: str, data: str, line: int) -> None:
    p = _w(tmp_path, name, data)
    with pytest.raises(ParseError, match="NUL") as ei:
        if name.endswith(".tsv"):
            list(formats.read_segments(p))
        else:
            formats.read_glossary(p)
    assert ei.value.line == line


def test_omegat_comments_are_notes_and_appended_lines_are_kept(tmp_path: Path) -> None:
    g = Glossary([Concept("gctf", definition="A forum.", terms=[Term("المنتدى العالمي", "ar", "preferred"), Term("GCTF", "en", "preferred")])])
    p = tmp_path / "g.utf8"
    formats.write_glossary(g, p, format="tsv")
    with open(p, "a", encoding="utf-8") as f:
        f.write("المنتدى العالمي\tGCTF\tcheck with the UN style guide\n")
        f.write("المنتدى\tGlobal Counterterrorism Forum\tofficial name\n")
    back = formats.read_glossary(p, format="tsv")
    c = back["gctf"]
    assert c.definition == "A forum."
    assert c.notes == ["check with the UN style guide"]
    new = next(x for x in back if x.id != "gctf")
    assert new.notes == ["official name"] and new.definition is None
    assert [t.status_given for t in new.terms] == [False, False]


def test_truncated_omegat_and_empty_tsv(tmp_path: Path) -> None:
    p = _w(tmp_path, "g.utf8", "أ\tA\t[a]\nب\tB\t[b]\nت\tT")
    rep = ReadReport(p)
    assert len(formats.read_glossary(p, report=rep)) == 3
    assert [w.line for w in rep.warnings] == [3] and "truncated" in rep.warnings[0].message
    empty = _w(tmp_path, "e.tsv", "")
    with pytest.raises(ParseError, match="empty file"):
        list(formats.read_segments(empty))
    r = CliRunner().invoke(cli, ["import", str(_w(tmp_path, "c.utf8", "# only a comment\n")), "--format", "tsv"])
    assert r.exit_code == 2 and "no concepts to import" in r.output


def test_cli_import_prints_what_was_skipped(tmp_path: Path) -> None:
    p = _w(tmp_path, "plain.po", 'msgid "داعش"\nmsgstr "ISIS"\n')
    r = CliRunner().invoke(cli, ["import", str(p), "--into", str(tmp_path / "g.tbx")])
    assert r.exit_code == 0
    assert f"{p}:1: warning: no PO header" in r.output


def test_truncated_po_is_warned_about(tmp_path: Path) -> None:
    full = PO.read_text(encoding="utf-8")
    cut = full.index("#. term:", len(full) // 2) + 20  # inside the comments of an entry
    p = _w(tmp_path, "cut.po", full[:cut])
    rep = ReadReport(p)
    g = formats.read_glossary(p, report=rep)
    assert 0 < len(g) < len(formats.read_glossary(PO))
    assert any("truncated" in w.message for w in rep.warnings)
    r = CliRunner().invoke(cli, ["import", str(p), "--into", str(tmp_path / "g.tbx")])
    assert r.exit_code == 0 and "may be truncated" in r.stderr


def test_qa_still_sees_drafts_and_untranslated_units(tmp_path: Path) -> None:
    from ctlex.glossary import load
    from ctlex.qa import check_file

    p = _w(tmp_path, "back.xlf", XLF12)
    report = check_file(p, load())
    assert report.segments == 8  # everything but the gettext header
    untranslated = {i.segment for i in report.issues if i.kind == "untranslated"}
    assert len(untranslated) == 2  # the empty target and the missing one


@pytest.mark.parametrize("name, doc", [
    ("a.tmx", TMX_HEAD + '<body>\n<tu tuid="a&nbsp;b"><tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>A</seg></tuv></tu>\n</body></tmx>\n'),
    ("a.xlf", '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "xliff.dtd">\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
              '<file original="x" source-language="ar" datatype="plaintext"><body>\n<trans-unit id="a&nbsp;b"><source>أ</source>'
              '<target>A</target></trans-unit></body></file></xliff>\n'),
])
def test_entity_in_an_attribute_under_an_external_dtd_is_refused(tmp_path: Path, name: str, doc: str) -> None:
    # libxml2 drops it silently (the attribute reads "ab"): only a scan of the text can see it
    p = _w(tmp_path, name, doc)
    with pytest.raises(UnsafeXMLError) as ei:
        list(formats.read_segments(p))
    assert ei.value.line in (6, 4) and "&nbsp;" in ei.value.reason
    ok = _w(tmp_path, "ok" + name, doc.replace("&nbsp;", "&#160;"))
    assert [s.id for s in formats.read_segments(ok)] == ["a\u00a0b"]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 129, 1000, 1 << 20])
def test_entity_scan_is_exact_across_chunk_boundaries(size: int) -> None:
    from ctlex.formats._io import _scan_entity_refs

    good = "<x>\n" + "a\n" * 50 + "<!-- &c1; -->" + "b" * 37 + "<![CDATA[ &c2; ]]>\n" + "c" * 200 + "<!--" + "d" * 300 + "&c3;-->\n&amp;&#160;"
    bad = good + "\n<y a='&nbsp;'/>\n</x>"

    def scan(text: str) -> int | None:
        data = text.encode("utf-16-le")
        try:
            _scan_entity_refs((data[i:i + size] for i in range(0, len(data), size)), "utf-16-le", "x")
        except UnsafeXMLError as e:
            return e.line
        return None

    assert scan(good + "</x>") is None  # in comments and CDATA, and the predefined/char references, are fine
    assert scan(bad) == 55


def test_merge_fills_an_unknown_status_but_never_makes_two_preferred() -> None:
    base = Glossary([Concept("x", terms=[Term("GCTF", "en", "preferred"), Term("Forum", "en", status_given=False),
                                         Term("Global Forum", "en", status_given=False)])])
    inc = Glossary([Concept("x", terms=[Term("Forum", "en", "preferred"), Term("Global Forum", "en", "deprecated")])])
    r = merge(base, inc, prefer="theirs")
    assert [(t.text, t.status, t.status_given) for t in base["x"].terms] == [
        ("GCTF", "preferred", True), ("Forum", "admitted", False), ("Global Forum", "deprecated", True)]
    assert [c.field for c in r.conflicts] == ["preferred:en"]


def test_repeated_props_and_notes_are_kept(tmp_path: Path) -> None:
    p = _w(tmp_path, "p.tmx", TMX_HEAD + '<body>\n<tu><prop type="x-ctx">a</prop><prop type="x-ctx">b</prop>'
           '<tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>A</seg></tuv></tu>\n</body></tmx>\n')
    rep = ReadReport(p)
    assert [s.props["x-ctx"] for s in formats.read_segments(p, report=rep)] == ["a\nb"]
    assert len(rep.warnings) == 1 and rep.warnings[0].line == 6
    x = _w(tmp_path, "n.xlf", XLF12.replace('<source>أ</source>', '<source>أ</source><note>one</note><note>two</note>'))
    assert [s.note for s in formats.read_segments(x) if s.id == "1"] == ["one\ntwo"]


def test_po_plural_forms_are_warned_about(tmp_path: Path) -> None:
    p = _w(tmp_path, "pl.po", HDR + 'msgid "هجوم"\nmsgid_plural "هجمات"\nmsgstr[0] "attack"\nmsgstr[1] "attacks"\n')
    rep = ReadReport(p)
    g = formats.read_glossary(p, report=rep)
    assert [t.text for c in g for t in c.terms] == ["attack", "هجوم"]
    assert [w.line for w in rep.warnings] == [6]


@pytest.mark.parametrize("name, data, line", [
    ("g.po", HDR + 'msgid "x\x00"\nmsgstr "X"\n', 6),
    ("g.csv", "ID,Type,ar,en\nx,term,\x00أ,A\n", 2),
    ("g.utf8", "أ\tA\t[x]\nب\x00\tB\t[y]\n", 2),
])
def test_validate_does_not_call_a_nul_byte_valid(tmp_path: Path, name: str, data: str, line: int) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    p = _w(tmp_path, name, data)
    r = CliRunner().invoke(cli, ["validate", str(p)])
    assert r.exit_code == 1, r.output
    assert f"{p}:{line}: read: NUL byte" in r.stdout and ": valid" not in r.stdout
