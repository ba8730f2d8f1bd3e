"""ctlex.validate: TBX RelaxNG + TBX-Basic Schematron (Saxon-HE via saxonche), TMX DTD, reader checks."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from ctlex import formats
from ctlex.glossary import Glossary
from ctlex.validate import compile_schematron, validate
from ctlex.validate import schemas_dir as package_schemas

saxon = pytest.importorskip("saxonche", reason="saxonche (Saxon-HE) is needed to run the XPath 2 Schematron")


def test_shipped_schemas_are_the_shared_ones(schemas_dir: Path) -> None:
    for name in ("TBXcoreStructV03.rng", "TBX-Basic_DCA.sch", "tmx14.dtd"):
        assert filecmp.cmp(schemas_dir / name, package_schemas() / name, shallow=False)


def test_dialect_example_is_valid(schemas_dir: Path) -> None:
    r = validate(schemas_dir / "Example_Astronomy_DCA_VALID.tbx")
    assert r.valid, r.problems
    assert r.checks == ["xml", "relaxng", "schematron", "read"]


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_exported_tbx_passes_rng_and_schematron(which: str, mini_glossary: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx"
    formats.write_glossary(mini_glossary if which == "mini" else glossary, p, format="tbx")
    r = validate(p)
    assert r.valid, [x.format(str(p)) for x in r.problems[:5]]
    assert "schematron" in r.checks and "relaxng" in r.checks and not r.skipped


def test_schematron_problems_carry_lines_and_pattern(schemas_dir: Path, tmp_path: Path) -> None:
    src = (schemas_dir / "Example_Astronomy_DCA_VALID.tbx").read_text(encoding="utf-8")
    bad = src.replace("preferredTerm-admn-sts", "bestTerm-admn-sts", 1).replace('type="subjectField"', 'type="subjectFeld"', 1)
    p = tmp_path / "bad.tbx"
    p.write_text(bad, encoding="utf-8")
    lines = bad.splitlines()
    r = validate(p)
    sch = [x for x in r.problems if x.check == "schematron"]
    assert {x.rule for x in sch} == {"dialectEnforcement", "module.min.termNote"}
    for x in sch:
        assert x.line is not None
    by_rule = {x.rule: x for x in sch}
    assert "bestTerm-admn-sts" in lines[by_rule["module.min.termNote"].line - 1]
    assert "subjectFeld" in lines[by_rule["dialectEnforcement"].line - 1]
    assert by_rule["module.min.termNote"].format(str(p)).startswith(f"{p}:{by_rule['module.min.termNote'].line}: schematron [module.min.termNote]: ")


def test_relaxng_problem_has_line(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx"
    formats.write_glossary(mini_glossary, p, format="tbx")
    text = p.read_text(encoding="utf-8").replace("<termSec>", "<termSec><bogus/>", 1)
    p.write_text(text, encoding="utf-8")
    r = validate(p)
    rng = [x for x in r.problems if x.check == "relaxng"]
    assert rng and rng[0].line == next(i for i, ln in enumerate(text.splitlines(), 1) if "<bogus/>" in ln)


def test_malformed_xml_is_one_located_problem(tmp_path: Path) -> None:
    p = tmp_path / "broken.tbx"
    p.write_text('<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2">\n<text>\n</tbx>\n', encoding="utf-8")
    r = validate(p)
    assert not r.valid and [x.check for x in r.problems] == ["xml"] and r.problems[0].line == 4


def test_tmx_dtd(tmp_path: Path) -> None:
    if "tmx" not in formats.FORMATS:
        pytest.skip("TMX format not registered yet")
    from ctlex.segment import Segment

    p = tmp_path / "tm.tmx"
    formats.write_segments([Segment("مرحبا", "Hello", id="1")], p, format="tmx")
    r = validate(p)
    assert r.valid, r.problems and r.checks[:2] == ["xml", "dtd"]
    text = p.read_text(encoding="utf-8")
    bad = text.replace("<tuv", "<tuv bogus=\"1\"", 1)
    p.write_text(bad, encoding="utf-8")
    r = validate(p)
    dtd = [x for x in r.problems if x.check == "dtd"]
    assert dtd and "bogus" in dtd[0].message and 'bogus="1"' in bad.splitlines()[dtd[0].line - 1]


def test_non_xml_formats_are_checked_by_their_reader(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text("ID,ar,en\nx,إرهاب,terrorism\ny,,\n", encoding="utf-8")
    r = validate(p)
    assert [(x.check, x.line) for x in r.problems] == [("read", 3)]


def test_tbx2_under_tbx_name_is_recognised(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "old.tbx"
    formats.write_glossary(mini_glossary, p, format="tbx2")
    r = validate(p)
    assert r.valid and r.format == "tbx2"
    assert formats.read_glossary(p) == formats.read_glossary(p, format="tbx2")  # tbx reader delegates


def test_compiler_refuses_unsupported_features() -> None:
    from ctlex.validate import SchematronError

    sch = b'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><include href="x.sch"/></schema>'
    with pytest.raises(SchematronError):
        compile_schematron(sch)


def test_first_matching_rule_wins_per_pattern(tmp_path: Path) -> None:
    from lxml import etree

    from ctlex.validate import run_schematron

    sch = tmp_path / "t.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern id="p"><rule context="a[@x]"><assert test="@x = '1'">x must be 1, is <value-of select="@x"/></assert></rule>
  <rule context="a"><assert test="false()">second rule fired for <name/></assert></rule></pattern>
  <pattern id="q"><rule context="a"><report test="matches(@x, '^\\d+$')">numeric x</report></rule></pattern>
</schema>""", encoding="utf-8")
    tree = etree.ElementTree(etree.fromstring(b'<r><a x="2"/><a/></r>'))
    got = run_schematron(tree, sch)
    assert ("p", "/Q{}r[1]/Q{}a[1]", "x must be 1, is 2") in got
    assert ("p", "/Q{}r[1]/Q{}a[2]", "second rule fired for a") in got
    assert ("q", "/Q{}r[1]/Q{}a[1]", "numeric x") in got
    assert len(got) == 3
