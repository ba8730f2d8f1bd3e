"""ctlex export / import / validate through click's CliRunner: exit codes, exact one-line errors, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex import formats
from ctlex.cli import cli
from ctlex.glossary import Glossary
from ctlex.segment import Segment


@pytest.fixture()
def run():
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return _run


@pytest.fixture()
def gpath(mini_glossary: Glossary, tmp_path: Path) -> Path:
    p = tmp_path / "mini.tbx"
    formats.write_glossary(mini_glossary, p)
    return p


@pytest.mark.parametrize("fmt,ext", [("tbx", ".tbx"), ("tbx2", ".tbx"), ("po", ".po"), ("tsv", ".utf8"), ("csv", ".csv"), ("xlsx", ".xlsx")])
def test_export_each_glossary_format_and_import_back_unchanged(fmt: str, ext: str, run, gpath: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out{ext}"
    r = run("export", "--format", fmt, "-o", str(out), "--glossary", str(gpath))
    assert r.exit_code == 0, r.output
    assert r.output == f"wrote {out} ({fmt}): 7 concepts, 20 terms\n"
    r = run("import", str(out), "--format", fmt, "--into", str(gpath), "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert (d["added"], d["changed"], d["conflicts"], d["unchanged"]) == (0, 0, 0, 7), d


def test_export_lang_tags(run, gpath: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    assert run("export", "-o", str(out), "--lang-tags", "ar,en-US", "--glossary", str(gpath)).exit_code == 0
    header = out.read_bytes().split(b"\r\n")[0]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert header.decode("utf-8-sig") == "ID,Type,Subject,Definition,Note,Source,ar,ar Status,en-US,en-US Status"
    tbx = tmp_path / "g.tbx"
    run("export", "-o", str(tbx), "--lang-tags", "ar-SA,en-GB", "--glossary", str(gpath))
    assert {t.lang for c in formats.read_glossary(tbx) for t in c.terms} == {"ar-SA", "en-GB"}


def test_export_bad_lang_tag_is_one_line_exit_2(run, gpath: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["export", "-o", str(tmp_path / "g.csv"), "--lang-tags", "ar,english!", "--glossary", str(gpath)])
    assert r.exit_code == 2
    assert r.output == "ctlex: error: --lang-tags: 'english!' is not a language tag like ar, en-US or ar-SA\n"
    assert not (tmp_path / "g.csv").exists()


def test_import_malformed_file_exit_2_nothing_written(run, gpath: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ID,ar,en\nx,إرهاب,terrorism\nx,تطرف,extremism\n", encoding="utf-8")
    before = gpath.read_bytes()
    r = CliRunner().invoke(cli, ["import", str(bad), "--into", str(gpath)])
    assert r.exit_code == 2
    assert r.output == f"ctlex: error: {bad}:3: duplicate ID 'x'\n"
    assert gpath.read_bytes() == before


def test_import_reports_conflicts_and_keeps_ours(run, gpath: Path, tmp_path: Path) -> None:
    inc = tmp_path / "review.utf8"
    inc.write_text("الإنتربول\tInterpol\t[interpol] · Police cooperation body.\nداعش\tISIS\t[isis]\n", encoding="utf-8")
    r = run("import", str(inc), "--into", str(gpath))
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == f"{inc} (tsv): 2 concepts read"
    assert lines[1] == "added 1, changed 0, conflicts 2, unchanged 0"
    assert "  CONFLICT interpol  definition: ours 'International Criminal Police Organization.', theirs 'Police cooperation body.' (kept the existing value)" in lines
    assert "  CONFLICT interpol  term:en:Interpol:status: ours 'deprecated', theirs 'preferred' (kept the existing value)" in lines
    assert lines[-1] == f"wrote {gpath}"
    g = formats.read_glossary(gpath)
    assert "isis" in g and g["interpol"].definition == "International Criminal Police Organization."


def test_import_dry_run_writes_nothing(run, gpath: Path, tmp_path: Path) -> None:
    inc = tmp_path / "new.utf8"
    inc.write_text("داعش\tISIS\t[isis]\n", encoding="utf-8")
    before = gpath.read_bytes()
    r = run("import", str(inc), "--into", str(gpath), "--dry-run")
    assert r.output.splitlines()[-1] == "nothing written" and gpath.read_bytes() == before


def test_import_of_segment_format_is_refused(run, tmp_path: Path) -> None:
    p = tmp_path / "x.xlf"
    formats.write_segments([Segment("مرحبا", "Hello")], p, format="xliff")
    r = CliRunner().invoke(cli, ["import", str(p)])
    assert r.exit_code == 2 and "holds segments, not a glossary" in r.output


def test_unknown_format_message_lists_known(run, gpath: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["import", str(gpath), "--format", "docx"])
    assert r.exit_code == 2
    assert r.output.startswith("ctlex: error: unknown format 'docx'; known formats: csv, po, tbx, tbx2")


def test_validate_cli(run, gpath: Path, tmp_path: Path) -> None:
    pytest.importorskip("saxonche")
    r = run("validate", str(gpath))
    assert r.exit_code == 0 and r.output == f"{gpath}: valid (tbx; checks: xml, relaxng, schematron, read)\n"
    bad = tmp_path / "bad.tbx"
    bad.write_text(gpath.read_text(encoding="utf-8").replace("preferredTerm-admn-sts", "topTerm-admn-sts", 1), encoding="utf-8")
    r = CliRunner().invoke(cli, ["validate", str(bad), "--json"])
    assert r.exit_code == 1
    d = json.loads(r.output)
    assert not d["valid"] and all(p["line"] for p in d["problems"])
    assert {p["check"] for p in d["problems"]} == {"schematron"}  # the RNG allows any termNote value


def test_export_tmx_calls_the_tmx_format(run, tmp_path: Path) -> None:
    if "tmx" not in formats.FORMATS:
        pytest.skip("TMX format (formats/tmx.py) not registered yet")
    from translate.storage.tmx import tmxfile

    src = tmp_path / "tm.tsv"
    segs = [Segment("قال دو كيرشوف", "De Kerchove said"), Segment("التعاون مع اليوروبول", "cooperation with Europol")]
    formats.write_segments(segs, src, format="tsv")
    out = tmp_path / "out.tmx"
    r = run("export", "--format", "tmx", "-o", str(out), "--tm-file", str(src), "--lang-tags", "ar,en-US")
    assert r.exit_code == 0 and r.output == f"wrote {out} (tmx): 2 segments\n"
    store = tmxfile.parsestring(out.read_bytes())
    assert [(u.source, u.target) for u in store.units] == [(s.source, s.target) for s in segs]
    assert b'xml:lang="en-US"' in out.read_bytes()


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_export_xliff_pretranslated_from_tm(version: str, run, tmp_path: Path) -> None:
    tm = tmp_path / "tm.tsv"
    formats.write_segments([Segment("أكد دو كيرشوف أهمية التعاون مع اليوروبول", "De Kerchove stressed cooperation with Europol"),
                            Segment("انضم المقاتلون الأجانب إلى داعش", "Foreign fighters joined ISIS")], tm, format="tsv")
    doc = tmp_path / "doc.txt"
    doc.write_text("أكد دو كيرشوف أهمية التعاون مع اليوروبول\nأكد دو كيرشوف أهمية التعاون مع الإنتربول\nجملة جديدة تماما\n", encoding="utf-8")
    out = tmp_path / "doc.xlf"
    r = run("export", "--format", "xliff", "-o", str(out), "--tm-file", str(tm), "--source", str(doc), "--xliff-version", version)
    assert r.exit_code == 0, r.output
    rep = formats.ReadReport(out)
    segs = list(formats.read_segments(out, drafts=True, report=rep))  # the fuzzy pre-translation is a draft
    assert [s.props.get("match-quality") for s in segs][0] == "100"
    assert 70 <= float(segs[1].props["match-quality"]) < 100
    assert segs[1].target == "De Kerchove stressed cooperation with Europol"
    assert len(segs) == 2 and dict(rep.skipped) == {"no target": 1}  # the unmatched unit is counted, not imported
    reviewed = formats.ReadReport(out)
    assert len(list(formats.read_segments(out, report=reviewed))) == 1 and reviewed.total_skipped == 2


def test_help_lists_exchange_commands_and_each_has_example(run) -> None:
    out = run("--help").output
    for name in ("export", "import", "validate"):
        assert name in out
        assert "Example:" in run(name, "--help").output
