"""Real consumers read the exchange exports the way the docs promise.

* translate-toolkit: TM units and exact matches of an XLIFF 1.2/2.0 export are *not* fuzzy
  (``approved="yes"`` / ``state="translated"``), fuzzy matches are, units without a match are
  untranslated.
* OmegaT 3.6 (Debian ``omegat``, headless): its own TBX reader (``GlossaryReaderTBX``, through a
  small Java probe) reads the TBX 2008 export — one entry per Arabic × English term pair of each
  concept — and refuses TBX v3; its XLIFF filter reads the ``omegat`` flavour of the XLIFF 1.2
  export with the Arabic source of every unit (the standard flavour would show the English
  pre-translation as the source), and translates the units the project TM (our TMX) matches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ctlex import exchange, formats
from ctlex.glossary import Glossary
from ctlex.segment import Segment
from pretranslated import matched

PRE = [
    *matched(),
    Segment("انضم المقاتلون الأجانب إلى الجماعات الإرهابية.", "Foreign terrorist fighters joined terrorist groups.", id="4"),
]

OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
PROBE = Path(__file__).with_name("OmegaTTBXProbe.java")
needs_omegat = pytest.mark.skipif(not OMEGAT_JAR.is_file() or shutil.which("java") is None,
                                  reason="OmegaT is not installed (apt-get install omegat) or java is missing")


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_translate_toolkit_states(version: str, tmp_path: Path) -> None:
    from translate.storage import factory, xliff2

    p = tmp_path / "x.xlf"
    exchange.export_segments(PRE, p, "xliff", version=version)
    # translate-toolkit's factory takes .xlf for 1.2; 2.0 goes through its xliff2 store
    units = (factory.getobject(str(p)) if version == "1.2" else xliff2.Xliff2File.parsestring(p.read_bytes())).units
    assert [u.source for u in units] == [s.source for s in PRE]
    fuzzy = [bool(u.isfuzzy()) for u in units]
    translated = [bool(u.istranslated()) for u in units]
    assert fuzzy == [False, True, False, False]  # only the 86 % match needs review
    assert translated == [True, False, False, True]


def test_translate_toolkit_reads_the_tm_export_as_translated(tmp_path: Path) -> None:
    from translate.storage import factory

    p = tmp_path / "tm.xlf"
    n = exchange.export_segments(exchange.tm_segments(), p, "xliff")["segments"]
    units = factory.getobject(str(p)).units
    assert len(units) == n > 100
    assert sum(u.isfuzzy() for u in units) == 0
    assert all(u.istranslated() for u in units if u.target)


def _java(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, JAVA_TOOL_OPTIONS="-Djava.awt.headless=true")
    env.setdefault("HOME", "/tmp")
    return subprocess.run(["java", *args], capture_output=True, timeout=180, env=env, cwd=cwd)


@pytest.mark.slow
@needs_omegat
@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_omegat_reads_the_tbx2008_glossary(which: str, mini_glossary: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    g = mini_glossary if which == "mini" else glossary
    p = tmp_path / "ctlex.tbx"  # OmegaT only loads glossaries named *.tbx
    exchange.export_glossary(g, p, "tbx2")
    r = _java("-cp", str(OMEGAT_JAR), str(PROBE), str(p), cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    got = [ln.split("\t") for ln in r.stdout.decode("utf-8").splitlines()]
    want = [(a.text, e.text) for c in g for a in c.terms if a.lang == "ar" for e in c.terms if e.lang == "en"]
    assert sorted((s, t) for s, t, _ in got) == sorted(want)
    gctf = [c for s, t, c in got if t == "GCTF"]
    if which == "mini":  # the definition reaches OmegaT's comment
        assert gctf and "Informal multilateral counter-terrorism platform." in gctf[0]


@pytest.mark.slow
@needs_omegat
def test_omegat_does_not_read_tbx_v3(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "ctlex.tbx"
    exchange.export_glossary(mini_glossary, p, "tbx")
    r = _java("-cp", str(OMEGAT_JAR), str(PROBE), str(p), cwd=tmp_path)
    assert r.returncode != 0 or not r.stdout.strip()  # why the docs send OmegaT the tbx2 export


def _project(tmp_path: Path) -> Path:
    from .test_omegat import PROJECT

    proj = tmp_path / "proj"
    for d in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (proj / d).mkdir(parents=True)
    (proj / "omegat.project").write_text(PROJECT, encoding="utf-8")
    return proj


def _omegat_sources(proj: Path, tmp_path: Path) -> list[str]:
    """The source segments OmegaT extracts (its pseudo-translated TMX, source = target)."""
    from lxml import etree

    out = tmp_path / "pseudo.tmx"
    r = _java("-jar", str(OMEGAT_JAR), str(proj), "--mode=console-createpseudotranslatetmx",
              f"--pseudotranslatetmx={out}", "--pseudotranslatetype=equal", cwd=tmp_path)
    assert r.returncode == 0, r.stdout.decode(errors="replace")[-2000:]
    tree = etree.parse(str(out))
    return [tu.findtext("tuv/seg") for tu in tree.iter("tu")]


@pytest.mark.slow
@needs_omegat
def test_omegat_reads_the_omegat_flavour_of_xliff12_with_arabic_sources(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    exchange.export_segments(PRE, proj / "source" / "doc.xlf", "xliff", version="1.2", flavour="omegat")
    assert sorted(_omegat_sources(proj, tmp_path)) == sorted(s.source for s in PRE)
    # and with our TMX in tm/auto, OmegaT translates the units the TM holds exactly
    tm = [Segment(PRE[0].source, PRE[0].target, id="t1"), PRE[3]]
    exchange.export_segments(tm, proj / "tm" / "auto" / "ctlex.tmx", "tmx")
    r = _java("-jar", str(OMEGAT_JAR), str(proj), "--mode=console-translate", cwd=tmp_path)
    assert r.returncode == 0, r.stdout.decode(errors="replace")[-2000:]
    # OmegaT leaves every target's state as it found it (needs-translation / new), untranslated
    # units with the source copied in: a TM import skips them all as unreviewed, and counts them
    rep = formats.ReadReport(str(proj / "target" / "doc.xlf"))
    assert list(formats.read_segments(proj / "target" / "doc.xlf", format="xliff", report=rep)) == []
    assert rep.total_skipped == len(PRE)
    back = list(formats.read_segments(proj / "target" / "doc.xlf", format="xliff", drafts=True))
    assert [b.target for b in back] == [PRE[0].target, PRE[1].source, PRE[2].source, PRE[3].target]


@pytest.mark.slow
@needs_omegat
def test_omegat_misreads_the_standard_flavour(tmp_path: Path) -> None:
    """Why the omegat flavour exists: OmegaT 3.6 translates the text of <target>."""
    proj = _project(tmp_path)
    exchange.export_segments(PRE, proj / "source" / "doc.xlf", "xliff", version="1.2")
    got = _omegat_sources(proj, tmp_path)
    assert PRE[0].target in got and PRE[0].source not in got


@pytest.mark.slow
@needs_omegat
def test_omegat_36_reads_nothing_from_xliff20(tmp_path: Path) -> None:
    """Why the docs send OmegaT 3.6 XLIFF 1.2: a valid XLIFF 2.0 file yields no segment at all."""
    proj = _project(tmp_path)
    exchange.export_segments(PRE, proj / "source" / "doc.xlf", "xliff", version="2.0")
    (proj / "source" / "one.txt").write_text("سطر واحد\n", encoding="utf-8")  # so the project is not empty
    assert _omegat_sources(proj, tmp_path) == ["سطر واحد"]
