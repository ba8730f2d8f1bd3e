"""House styles (TBX customerSubset) and usage flags (forbidden, do-not-translate): API, QA, CLI, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex import formats
from ctlex.cli import cli
from ctlex.errors import CtlexError
from ctlex.exchange import export_glossary
from ctlex.glossary import Concept, Glossary, Term
from ctlex.qa import check
from ctlex.segment import Segment
from ctlex.validate import validate


@pytest.fixture()
def styled() -> Glossary:
    g = Glossary(title="styled")
    c = g.add(Concept("isis", "group", definition="Jihadist group."))
    c.terms += [
        Term("داعش", "ar", "preferred"),
        Term("ISIS", "en", "preferred", styles=["US-press"]),
        Term("ISIL (Da'esh)", "en", "admitted", styles=["UN"]),
        Term("Da'esh", "en", "admitted", styles=["EU"]),
        Term("Daash", "en", "deprecated", usage="forbidden", note="garbled"),
    ]
    c = g.add(Concept("gotravel", "instrument", definition="UN software."))
    c.terms += [Term("goTravel", "ar", "preferred", usage="do-not-translate"),
                Term("goTravel", "en", "preferred", usage="do-not-translate")]
    c = g.add(Concept("al-qaeda", "group", definition="Jihadist group."))
    c.terms += [Term("القاعدة", "ar", "preferred", exclude=["كرة القاعدة", "قاعدة بيانات"]),
                Term("al-Qaeda", "en", "preferred", styles=["US-press"]), Term("Al-Qaida", "en", "admitted", styles=["UN"])]
    return g


def test_style_term_comes_first_else_preferred(styled: Glossary) -> None:
    c = styled["isis"]
    assert c.preferred("en").text == "ISIS"
    assert c.preferred("en", "UN").text == "ISIL (Da'esh)"
    assert c.preferred("en", "EU").text == "Da'esh"
    assert [t.text for t in c.terms_for("en", "UN")][:2] == ["ISIL (Da'esh)", "ISIS"]
    assert c.preferred("ar", "UN").text == "داعش"  # no UN Arabic term: the preferred one
    assert styled.styles() == {"EU": 1, "UN": 2, "US-press": 2}
    assert styled.lookup("داعش", style="UN")[0].to_dict()["en"][0] == "ISIL (Da'esh)"
    assert styled.scan("قال داعش", style="EU")[0].to_dict()["en"][0] == "Da'esh"


def test_unknown_style_is_an_error(styled: Glossary) -> None:
    with pytest.raises(CtlexError, match="unknown style 'WHO'"):
        styled.lookup("داعش", style="WHO")


def test_forbidden_term_must_be_deprecated() -> None:
    with pytest.raises(CtlexError, match="forbidden"):
        Term("Daash", "en", "admitted", usage="forbidden")


@pytest.mark.parametrize("name", ["tbx", "tbx2", "po"])
def test_styles_usage_exclusions_round_trip(styled: Glossary, name: str, tmp_path: Path) -> None:
    p = tmp_path / f"g{formats.FORMATS[name].extensions[0]}"
    formats.write_glossary(styled, p, format=name)
    back = formats.read_glossary(p, format=name)
    assert [(t.text, t.styles, t.usage, t.exclude, t.status) for c in back for t in c.terms] == \
        [(t.text, t.styles, t.usage, t.exclude, t.status) for c in styled for t in c.terms]


def test_tbx_with_styles_validates(styled: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx"
    styled.save(p)
    xml = p.read_text(encoding="utf-8")
    assert '<admin type="customerSubset">UN</admin>' in xml
    assert "<note>usage: forbidden</note>" in xml and "<note>exclusion context: كرة القاعدة</note>" in xml
    r = validate(p)
    assert r.valid and {"relaxng", "schematron"} <= set(r.checks), [x.format(str(p)) for x in r.problems]


def test_check_forbidden_is_an_error_and_dnt_a_warning(styled: Glossary) -> None:
    r = check([Segment("قال داعش", "Daash said", id="f"), Segment("برنامج goTravel", "the go-travel software", id="d"),
               Segment("برنامج goTravel", "the goTravel software", id="ok")], styled)
    got = [(i.segment, i.kind, i.severity) for i in r.issues]
    assert ("f", "forbidden-term", "error") in got
    assert ("d", "dnt-translated", "warning") in got
    assert not any(i.segment == "ok" for i in r.issues)
    assert not any(i.kind == "deprecated-term" for i in r.issues)  # forbidden is reported once, as forbidden
    assert not any(i.segment == "d" and i.kind == "missing-term" for i in r.issues)


def test_check_with_style_expects_the_styles_term_first(styled: Glossary) -> None:
    r = check([Segment("قال داعش", "the group said")], styled, style="UN")
    assert r.issues[0].kind == "missing-term" and r.issues[0].expected[0] == "ISIL (Da'esh)"


def test_export_with_style_makes_its_terms_preferred(styled: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "un.po"
    export_glossary(styled, p, style="UN")
    import polib

    entry = next(e for e in polib.pofile(str(p)) if e.msgctxt == "isis")
    assert entry.msgstr == "ISIL (Da'esh)"
    back = formats.read_glossary(p)
    assert back["isis"].preferred("en").text == "ISIL (Da'esh)"
    assert next(t for t in back["isis"].terms if t.text == "ISIS").status == "admitted"
    assert styled["isis"].preferred("en").text == "ISIS"  # the glossary itself is untouched


def test_cli_style_options(styled: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx"
    styled.save(p)
    run = CliRunner().invoke
    r = run(cli, ["lookup", "داعش", "--style", "UN", "--glossary", str(p), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["results"][0]["en"][0] == "ISIL (Da'esh)"
    r = run(cli, ["scan", "--text", "قال داعش", "--style", "EU", "--glossary", str(p), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["hits"][0]["en"][0] == "Da'esh"
    r = run(cli, ["lookup", "داعش", "--style", "WHO", "--glossary", str(p)])
    assert r.exit_code == 2 and "unknown style" in r.output and len(r.output.strip().splitlines()) == 1
    r = run(cli, ["info", "--glossary", str(p), "--json"])
    assert json.loads(r.output)["styles"] == {"EU": 1, "UN": 2, "US-press": 2}
    r = run(cli, ["info", "--glossary", str(p)])
    assert "US-press" in r.output
    out = tmp_path / "x.tbx2"
    r = run(cli, ["export", "-o", str(out), "--format", "tbx2", "--style", "EU", "--glossary", str(p)])
    assert r.exit_code == 0 and '<admin type="customerSubset">EU</admin>' in out.read_text(encoding="utf-8")
    tmx = tmp_path / "t.tsv"
    tmx.write_text("قال داعش\tDaash said\n", encoding="utf-8")
    r = run(cli, ["check", str(tmx), "--style", "UN", "--glossary", str(p), "--json"])
    assert r.exit_code == 1
    issues = json.loads(r.output)["issues"]
    assert issues[0]["kind"] == "forbidden-term" and issues[0]["severity"] == "error"
    assert issues[0]["expected"][0] == "ISIL (Da'esh)"
