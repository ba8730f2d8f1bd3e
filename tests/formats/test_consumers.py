"""Real consumers read ctlex's exports: translate-toolkit (TBX 2008, PO, XLIFF 1.2/2.0) and msgfmt -c."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ctlex import formats
from ctlex.glossary import Glossary
from pretranslated import matched


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_translate_toolkit_tbxfile_reads_every_concept_of_tbx2(which: str, mini_glossary: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    from translate.storage.tbx import tbxfile

    g = mini_glossary if which == "mini" else glossary
    p = tmp_path / "g.tbx"
    formats.write_glossary(g, p, format="tbx2")
    store = tbxfile.parsestring(p.read_bytes())
    units = {u.getid(): u for u in store.units}
    assert sorted(units) == sorted(c.id for c in g)
    for c in g:
        u = units[c.id]
        for lang_el in u.getlanguageNodes():
            lang = lang_el.get("{http://www.w3.org/XML/1998/namespace}lang")
            got = [t.text for t in u._get_terms(lang_el)]
            assert got == [t.text for t in c.terms if t.lang == lang], (c.id, lang)
        statuses = [t.administrative_status for ln in u.getlanguageNodes() for t in u._get_terms(ln)]
        assert statuses == [f"{t.status}Term-admn-sts" for lang in c.languages() for t in c.terms if t.lang == lang]


def test_translate_toolkit_source_and_target_terms(mini_glossary: Glossary, tmp_path: Path) -> None:
    from translate.storage.tbx import tbxfile

    p = tmp_path / "g.tbx"
    formats.write_glossary(mini_glossary, p, format="tbx2")
    store = tbxfile.parsestring(p.read_bytes(), sourcelanguage="ar", targetlanguage="en")
    u = next(u for u in store.units if u.getid() == "gctf")
    assert [t.text for t in u.get_source_terms()] == ["المنتدى العالمي لمكافحة الإرهاب"]
    assert [t.text for t in u.get_target_terms("en")] == ["Global Counterterrorism Forum", "GCTF"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt is not installed (Debian package gettext)")
@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_msgfmt_check_accepts_exported_po(which: str, mini_glossary: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    g = mini_glossary if which == "mini" else glossary
    p = tmp_path / "g.po"
    formats.write_glossary(g, p, format="po")
    r = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "g.mo"), str(p)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "g.mo").stat().st_size > 0


def test_translate_toolkit_reads_exported_po(mini_glossary: Glossary, tmp_path: Path) -> None:
    from translate.storage import factory

    p = tmp_path / "g.po"
    formats.write_glossary(mini_glossary, p, format="po")
    store = factory.getobject(str(p))
    units = [u for u in store.units if not u.isheader()]
    assert [u.getcontext() for u in units] == [c.id for c in mini_glossary]
    assert {u.getcontext(): u.target for u in units}["gctf"] == "Global Counterterrorism Forum"


PRE = matched()


def test_translate_toolkit_reads_xliff12_with_match_quality(tmp_path: Path) -> None:
    from translate.storage import xliff

    p = tmp_path / "pre.xlf"
    formats.write_segments(PRE, p, format="xliff", version="1.2")
    store = xliff.xlifffile.parsestring(p.read_bytes())
    units = store.units
    assert [u.source for u in units] == [s.source for s in PRE]
    assert [u.target or "" for u in units] == [s.target for s in PRE]
    alts = units[1].getalttrans()
    assert alts and alts[0].xmlelement.get("match-quality") == "86"
    assert alts[0].target == "The minister said cooperation will continue"
    t = units[1].xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target")
    assert (t.get("state"), t.get("state-qualifier")) == ("needs-review-translation", "fuzzy-match")
    assert store.getsourcelanguage() == "ar" and store.gettargetlanguage() == "en"


def test_translate_toolkit_reads_xliff20_with_match_quality(tmp_path: Path) -> None:
    from translate.storage import xliff2

    p = tmp_path / "pre.xlf"
    formats.write_segments(PRE, p, format="xliff", version="2.0")
    store = xliff2.Xliff2File.parsestring(p.read_bytes())
    assert [u.source for u in store.units] == [s.source for s in PRE]
    assert [u.target or "" for u in store.units] == [s.target for s in PRE]
    data = p.read_text(encoding="utf-8")
    assert 'matchQuality="86.00"' in data and 'xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0"' in data
    rep = formats.ReadReport(p)
    back = list(formats.read_segments(p, format="xliff", drafts=True, report=rep))  # the fuzzy match is a draft
    assert len(back) == 2 and dict(rep.skipped) == {"no target": 1}
    assert back[1].props["match-quality"] == "86" and back[1].props["state"] == "initial"
    assert back[0].props["state"] == "translated"
