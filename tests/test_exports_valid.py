"""Every export validates against its official schema — the files in ``shared/schemas`` as their
publishers ship them — and ``ctlex validate`` (with the copies shipped in the package) agrees:
valid exports pass, and the defects the issue found (TBX 2008 ``adminGrp``, ``projectSubset`` at
the entry level, ``xml:space`` on an XLIFF 2.0 ``<segment>``, a broken PO) fail with a line.

==========  ===========================================================================
format      official check
==========  ===========================================================================
tbx         TBX core RNG v3 (lxml) + TBX-Basic DCA Schematron (through ctlex.validate)
tbx2        TBX-Basic 2008 integrated RNG + its embedded Schematron (lxml isoschematron)
tmx         TMX 1.4 DTD
xliff 1.2   OASIS XLIFF 1.2 strict XSD
xliff 2.0   OASIS XLIFF 2.0 core XSD, and core + every module (``xliff_all.xsd``)
po          ``msgfmt -c``
==========  ===========================================================================
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from ctlex import exchange, formats
from ctlex.cli import cli
from ctlex.glossary import Glossary
from ctlex.segment import Segment
from pretranslated import matched
from ctlex.validate import schemas_dir as package_schemas
from ctlex.validate import validate

PRE = [
    *matched(),
    Segment("سطر مع خصائص", "a line with properties", id="tu 4", note="a note", created="2019-06-14T12:00:00Z",
            props={"x-file": "004.txt", "@creationid": "ctlex", "state": "final"}),
]


@pytest.fixture(params=["mini", "shipped"])
def any_glossary(request: pytest.FixtureRequest, mini_glossary: Glossary, glossary: Glossary) -> Glossary:
    return mini_glossary if request.param == "mini" else glossary


def _errors(schema: etree._Validator, path: Path) -> list[str]:
    ok = schema.validate(etree.parse(str(path)))
    return [] if ok else [f"{e.line}: {e.message}" for e in schema.error_log][:5] or ["invalid"]


def _rng(p: Path) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(p)))


def _xsd(p: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(p)))


def test_tbx_v3_export_is_valid(any_glossary: Glossary, tmp_path: Path, schemas_dir: Path) -> None:
    p = tmp_path / "g.tbx"
    formats.write_glossary(any_glossary, p, format="tbx")
    assert _errors(_rng(schemas_dir / "TBXcoreStructV03.rng"), p) == []
    r = validate(p)
    assert r.valid and "schematron" in r.checks, r.problems[:3]


def test_tbx_2008_export_is_valid(any_glossary: Glossary, tmp_path: Path, schemas_dir: Path) -> None:
    from lxml.isoschematron import Schematron

    p = tmp_path / "g.tbx2"
    formats.write_glossary(any_glossary, p, format="tbx2")
    assert _errors(_rng(schemas_dir / "tbx-2008" / "TBXBasicRNGV02.rng"), p) == []
    sch = Schematron(etree.parse(str(schemas_dir / "tbx-2008" / "TBXBasicV02_embedded.sch")))
    assert sch.validate(etree.parse(str(p))), [e.message[:300] for e in sch.error_log][:3]
    r = validate(p)
    assert r.valid and r.checks == ["xml", "relaxng", "schematron", "read"], r.problems[:3]
    # the concept type sits on every tig, the sources on the anchor tig: nothing lost on the way back
    assert list(formats.read_glossary(p)) == list(any_glossary)


def test_tmx_export_is_valid(tmp_path: Path, schemas_dir: Path) -> None:
    p = tmp_path / "tm.tmx"
    exchange.export_segments(exchange.tm_segments(), p, "tmx")
    assert _errors(etree.DTD(str(schemas_dir / "tmx14.dtd")), p) == []
    assert validate(p).valid


@pytest.mark.parametrize("what", ["tm", "pretranslated"])
def test_xliff_12_export_is_valid_strict(what: str, tmp_path: Path, schemas_dir: Path) -> None:
    p = tmp_path / "x.xlf"
    segs = exchange.tm_segments() if what == "tm" else PRE
    exchange.export_segments(segs, p, "xliff", version="1.2")
    assert _errors(_xsd(schemas_dir / "xliff-1.2" / "xliff-core-1.2-strict.xsd"), p) == []
    r = validate(p)
    assert r.valid and "xsd" in r.checks


@pytest.mark.parametrize("what", ["tm", "pretranslated"])
def test_xliff_20_export_is_valid_core_and_modules(what: str, tmp_path: Path, schemas_dir: Path) -> None:
    p = tmp_path / "x.xlf"
    segs = exchange.tm_segments() if what == "tm" else PRE
    exchange.export_segments(segs, p, "xliff", version="2.0")
    assert _errors(_xsd(schemas_dir / "xliff-2.0" / "xliff_core_2.0.xsd"), p) == []
    assert _errors(_xsd(schemas_dir / "xliff-2.0" / "xliff_all.xsd"), p) == []  # mtc:matches, mda:metadata
    r = validate(p)
    assert r.valid and "xsd" in r.checks


def test_xliff_omegat_flavour_is_valid_strict(tmp_path: Path, schemas_dir: Path) -> None:
    p = tmp_path / "x.xlf"
    exchange.export_segments(PRE, p, "xliff", version="1.2", flavour="omegat")
    assert _errors(_xsd(schemas_dir / "xliff-1.2" / "xliff-core-1.2-strict.xsd"), p) == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt is not installed")
def test_po_export_passes_msgfmt_check(any_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.po"
    formats.write_glossary(any_glossary, p, format="po")
    r = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(p)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rep = validate(p)
    assert rep.valid and rep.checks == ["msgfmt", "read"]


# -- ctlex validate catches what the issue found ------------------------------------------------------


def _cli_validate(path: Path) -> tuple[int, list[str]]:
    r = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    return r.exit_code, r.output.splitlines()


def test_validate_rejects_tbx2008_adminGrp(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "old.tbx"  # a .tbx name with a <martif> root: checked as TBX 2008
    formats.write_glossary(mini_glossary, p, format="tbx2")
    text = p.read_text(encoding="utf-8")
    i = text.index("<langSet")
    p.write_text(text[:i] + '<adminGrp><admin type="source">x.txt</admin></adminGrp>' + text[i:], encoding="utf-8")
    line = text[:i].count("\n") + 1
    code, out = _cli_validate(p)
    assert code == 1
    assert out[0] == f"{p}:{line}: relaxng: Did not expect element adminGrp there"
    assert out[-1].endswith("(tbx2; checks: xml, relaxng)")


def test_validate_rejects_tbx2008_projectSubset_at_entry_level(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx2"
    formats.write_glossary(mini_glossary, p, format="tbx2")
    text = p.read_text(encoding="utf-8")
    i = text.index("<langSet")
    p.write_text(text[:i] + '<admin type="projectSubset">organization</admin>' + text[i:], encoding="utf-8")
    code, out = _cli_validate(p)
    assert code == 1
    assert out[0] == (f"{p}:{text[:i].count(chr(10)) + 1}: schematron: The project subset must be expressed in plainText. "
                      "It can occur only at the term (tig) level.")


def test_validate_rejects_xml_space_on_xliff20_segment(tmp_path: Path) -> None:
    p = tmp_path / "x.xlf"
    exchange.export_segments(PRE[:1], p, "xliff", version="2.0")
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace('<segment id="s1"', '<segment xml:space="preserve" id="s1"'), encoding="utf-8")
    code, out = _cli_validate(p)
    assert code == 1
    assert "xsd: " in out[0] and "space" in out[0] and "is not allowed" in out[0]
    assert out[0].startswith(f"{p}:{text[:text.index('<segment')].count(chr(10)) + 1}: ")


def test_validate_rejects_xliff12_outside_strict(tmp_path: Path) -> None:
    p = tmp_path / "x.xlf"
    exchange.export_segments(PRE[:1], p, "xliff", version="1.2")
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace('state="translated"', 'state="done"', 1), encoding="utf-8")
    code, out = _cli_validate(p)
    assert code == 1 and "xsd: " in out[0] and "'done'" in out[0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt is not installed")
def test_validate_runs_msgfmt_on_po(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.po"
    formats.write_glossary(mini_glossary, p, format="po")
    lines = p.read_text(encoding="utf-8").splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("msgstr ") and i > 5)
    lines[k] = lines[k][:-1] + '\\n"'  # msgstr ends with \n, msgid does not
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _cli_validate(p)
    assert code == 1
    assert out[0] == f"{p}:{k + 1}: msgfmt: 'msgid' and 'msgstr' entries do not both end with '\\n'"


# -- the shipped copies are the official files ----------------------------------------------------------


@pytest.mark.parametrize("name", [
    "tbx-2008/TBXBasicRNGV02.rng", "tbx-2008/TBXBasicV02_embedded.sch",
    "xliff-1.2/xliff-core-1.2-strict.xsd", "xliff-1.2/xml.xsd",
    "xliff-2.0/xliff_core_2.0.xsd", "xliff-2.0/xliff_all.xsd", "xliff-2.0/xml.xsd",
    *[f"xliff-2.0/modules/{m}.xsd" for m in ("change_tracking", "fs", "glossary", "matches", "metadata",
                                              "resource_data", "size_restriction", "validation")],
])
def test_package_schemas_are_the_official_files(name: str, schemas_dir: Path) -> None:
    assert filecmp.cmp(schemas_dir / name, package_schemas() / name, shallow=False)


def test_schema_licences_are_recorded() -> None:
    readme = (package_schemas() / "README.md").read_text(encoding="utf-8")
    for f in ("TBXBasicRNGV02.rng", "xliff-core-1.2-strict.xsd", "xliff_core_2.0.xsd", "xml.xsd", "tmx14.dtd",
              "TBXcoreStructV03.rng", "TBX-Basic_DCA.sch"):
        assert f in readme
    assert "OASIS" in readme and "W3C" in readme


@pytest.mark.slow
def test_wheel_ships_every_schema_and_validate_runs_from_it(mini_glossary: Glossary, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-m", "build", "--wheel", "-o", str(tmp_path / "dist"), str(root)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("ctlex-*.whl")
    src = root / "src" / "ctlex" / "schemas"
    want = sorted(f"ctlex/schemas/{p.relative_to(src).as_posix()}" for p in src.rglob("*") if p.is_file())
    with zipfile.ZipFile(wheel) as z:
        shipped = sorted(n for n in z.namelist() if n.startswith("ctlex/schemas/"))
        z.extractall(tmp_path / "unpacked", members=shipped)
    assert shipped == want and len(want) >= 20
    monkeypatch.setenv("CTLEX_SCHEMAS", str(tmp_path / "unpacked" / "ctlex" / "schemas"))
    for fmt, name in (("tbx2", "g.tbx2"), ("tbx", "g.tbx")):
        formats.write_glossary(mini_glossary, tmp_path / name, format=fmt)
        rep = validate(tmp_path / name)
        assert rep.valid and "relaxng" in rep.checks
    exchange.export_segments(PRE, tmp_path / "x.xlf", "xliff", version="2.0")
    assert validate(tmp_path / "x.xlf").valid
