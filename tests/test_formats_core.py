"""The canonical formats (TBX v3, PO): lossless round trips, schema validity, safe and located errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ctlex.errors import NotFoundError, ParseError, UnknownFormatError, UnsafeXMLError
from ctlex.glossary import Glossary


def _rng(schemas_dir: Path):
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(schemas_dir / "TBXcoreStructV03.rng")))


@pytest.mark.parametrize("suffix", [".tbx", ".po"])
def test_canonical_round_trips_are_lossless_and_deterministic(suffix: str, mini_glossary: Glossary, glossary: Glossary, tmp_path: Path) -> None:
    mini_glossary["europol"].notes.append("Seat: The Hague.")
    mini_glossary["europol"].terms[0].note = "official short name"
    for g in (mini_glossary, glossary):
        p = tmp_path / f"g{suffix}"
        g.save(p)
        back = Glossary.load(p)
        assert back == g
        p2 = tmp_path / f"g2{suffix}"
        back.save(p2)
        assert p.read_bytes() == p2.read_bytes()  # same glossary, same bytes


def test_written_tbx_validates_against_core_rng(mini_glossary: Glossary, glossary: Glossary, tmp_path: Path, schemas_dir: Path) -> None:
    from lxml import etree

    rng = _rng(schemas_dir)
    for g, name in ((mini_glossary, "mini.tbx"), (glossary, "full.tbx")):
        p = tmp_path / name
        g.save(p)
        assert rng.validate(etree.parse(str(p))), rng.error_log


def test_shipped_tbx_validates_and_round_trips(root: Path, schemas_dir: Path, tmp_path: Path) -> None:
    from lxml import etree

    src = root / "glossary" / "ctlex.tbx"
    assert _rng(schemas_dir).validate(etree.parse(str(src)))
    g = Glossary.load(src)
    out = tmp_path / "again.tbx"
    g.save(out)
    assert out.read_bytes() == src.read_bytes()  # the canonical file is in canonical form


def test_tbx_keeps_unmodelled_elements(tmp_path: Path, schemas_dir: Path) -> None:
    """A MultiTerm-style entry with transactions and extra term notes survives read → write."""
    src = schemas_dir / "Example_Astronomy_DCA_VALID.tbx"
    g = Glossary.load(src)
    assert len(g) == 45
    out = tmp_path / "astro.tbx"
    g.save(out)
    again = Glossary.load(out)
    assert again == g
    c = next(iter(g))
    assert any("transacGrp" in x for x in c.extra)
    from lxml import etree

    assert _rng(schemas_dir).validate(etree.parse(str(out)))


def test_po_edit_in_a_po_editor_makes_msgstr_preferred(mini_glossary: Glossary, tmp_path: Path) -> None:
    import polib

    p = tmp_path / "g.po"
    mini_glossary.save(p)
    po = polib.pofile(str(p))
    e = next(x for x in po if x.msgctxt == "interpol")
    e.msgstr = "International Criminal Police Organization"
    po.save(str(p))
    c = Glossary.load(p)["interpol"]
    assert c.preferred("en").text == "International Criminal Police Organization"
    assert [t.status for t in c.terms_for("en") if t.text == "INTERPOL"] == ["admitted"]


def test_po_passes_msgfmt(glossary: Glossary, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext msgfmt not installed")
    p = tmp_path / "g.po"
    glossary.save(p)
    r = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(p)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# -- bad input ----------------------------------------------------------------------------------

BROKEN_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <text><body>
    <conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
  </body></text>
</tbx>
"""


@pytest.mark.parametrize(
    "content, line, words",
    [
        (BROKEN_TBX, 5, "mismatch"),
        ("", 1, "empty"),
        ('<?xml version="1.0"?>\n<glossary/>', 2, "expected TBX v3"),
        (
            '<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n'
            '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term>'
            '<termNote type="administrativeStatus">approved</termNote></termSec></langSec></conceptEntry>'
            "</body></text></tbx>",
            3,
            "administrativeStatus",
        ),
    ],
)
def test_broken_tbx_reports_file_and_line(tmp_path: Path, content: str, line: int, words: str) -> None:
    p = tmp_path / "bad.tbx"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ParseError) as ei:
        Glossary.load(p, format="tbx")
    assert ei.value.path == str(p) and ei.value.line == line
    assert words.lower() in str(ei.value).lower()
    assert str(ei.value).startswith(f"{p}:{line}")


def test_xxe_and_entity_bombs_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a"><langSec xml:lang="en">'
        "<termSec><term>&x;</term></termSec></langSec></conceptEntry></body></text></tbx>"
    )
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10)
    ) + "]>\n<tbx>&lol9;</tbx>"
    for name, content in (("xxe.tbx", xxe), ("bomb.tbx", bomb)):
        p = tmp_path / name
        p.write_text(content)
        with pytest.raises(UnsafeXMLError) as ei:
            Glossary.load(p)
        assert ei.value.line == 2


def test_wrong_encoding_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "latin1.po"
    p.write_bytes('msgid "caf\xe9"\nmsgstr ""\n'.encode("latin-1"))
    with pytest.raises(ParseError) as ei:
        Glossary.load(p)
    assert ei.value.line == 1 and "UTF-8" in str(ei.value)
    with pytest.raises(NotFoundError):
        Glossary.load(tmp_path / "nope.tbx")
    with pytest.raises(UnknownFormatError) as ue:
        Glossary.load(p, format="docx")
    assert "known formats" in str(ue.value)


def test_broken_po_reports_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.po"
    p.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(ParseError) as ei:
        Glossary.load(p)
    assert ei.value.line == 5 and ei.value.path == str(p)


def test_failed_write_leaves_old_file(mini_glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "g.tbx"
    mini_glossary.save(p)
    before = p.read_bytes()
    from ctlex.glossary import Concept

    mini_glossary.add(Concept("empty-concept"))  # no terms: TBX cannot hold it → error mid-write
    with pytest.raises(Exception):
        mini_glossary.save(p)
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir()] == ["g.tbx"]  # no temporary file left behind
