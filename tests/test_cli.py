"""The glossary commands through click's CliRunner, plus one real run of the installed script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex.cli import COMMANDS, cli


@pytest.fixture()
def run():
    runner = CliRunner()

    def _run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return _run


@pytest.fixture()
def mini_path(mini_glossary, tmp_path: Path) -> str:
    p = tmp_path / "mini.tbx"
    mini_glossary.save(p)
    return str(p)


def test_lookup_json_contract(run, mini_path: str) -> None:
    r = run("lookup", "وليوروبول", "--glossary", mini_path, "--json")
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert d["query"] == "وليوروبول"
    (res,) = d["results"]
    assert set(res) == {"id", "type", "score", "match", "en", "ar", "matched_term"}
    assert res["id"] == "europol" and res["match"] == "clitic" and 0 < res["score"] <= 1
    assert res["en"][0] == "Europol" and res["ar"][0] == "يوروبول" and res["matched_term"] == "يوروبول"


def test_lookup_human_output(run, mini_path: str) -> None:
    r = run("lookup", "GCTF", "--glossary", mini_path)
    assert r.exit_code == 0
    assert "Global Counterterrorism Forum" in r.output and "المنتدى العالمي لمكافحة الإرهاب" in r.output
    assert run("lookup", "qqqqzz", "--glossary", mini_path).output.startswith("no match")


def test_lookup_uses_env_glossary(run, mini_path: str, monkeypatch) -> None:
    monkeypatch.setenv("CTLEX_GLOSSARY", mini_path)
    d = json.loads(run("lookup", "Sky News Arabia", "--json").output)
    assert d["results"][0]["id"] == "sky-news-arabia"


def test_scan_json_contract_and_stdin(run, mini_path: str) -> None:
    text = "قال دو كيرشوف إن التعاون مع اليوروبول ضروري"
    r = run("scan", "-", "--glossary", mini_path, "--json", input=text)
    assert r.exit_code == 0
    hits = json.loads(r.output)["hits"]
    assert [h["id"] for h in hits] == ["de-kerchove", "europol"]
    for h in hits:
        assert text[h["start"] : h["end"]] == h["text"]
        assert {"start", "end", "text", "id", "type", "match", "en", "ar"} <= set(h)
    human = run("scan", "--text", text, "--glossary", mini_path).output
    assert "2 hits, 2 concepts" in human


def test_normalize(run) -> None:
    assert run("normalize", "الأوروبى", "--level", "orthographic").output.strip() == "الاوروبي"
    d = json.loads(run("normalize", "لـ”مشاريع", "--json").output)
    assert d["normalized"] == "لمشاريع" and len(d["offsets"]) == len("لمشاريع")


def test_info(run, mini_path: str) -> None:
    d = json.loads(run("info", "--glossary", mini_path, "--json").output)
    assert d["concepts"] == 7 and d["by_type"]["organization"] == 3


def test_coverage_lists_uncovered_names(run, mini_path: str, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("قال يوروبول إن منظمة “الشرطة الدولية” تعمل مع NATO.", encoding="utf-8")
    d = json.loads(run("coverage", str(f), "--glossary", mini_path, "--json").output)
    cands = {u["candidate"] for u in d["uncovered"]}
    assert "NATO" in cands and "الشرطة الدولية" in cands
    assert not any("يوروبول" in c for c in cands)


@pytest.mark.parametrize(
    "args, message",
    [
        (["lookup", "x", "--glossary", "/nonexistent/g.tbx"], "no such glossary file"),
        (["scan", "/nonexistent.txt"], "no such file"),
        (["lookup", "x", "--limit", "0"], "Invalid value"),
    ],
)
def test_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_broken_glossary_file_is_reported_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text('<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2">\n<text>\n</tbx>\n')
    r = CliRunner().invoke(cli, ["lookup", "x", "--glossary", str(bad)])
    assert r.exit_code == 2
    line = r.output.strip()
    assert line.startswith(f"ctlex: error: {bad}:4") and "\n" not in line


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        r = runner.invoke(cli, [name, "--help"])
        assert r.exit_code == 0, name
        assert "Example" in r.output, name


def test_installed_script_runs() -> None:
    exe = shutil.which("ctlex") or str(Path(sys.executable).parent / "ctlex")
    if not Path(exe).exists():
        pytest.skip("ctlex console script not installed in this environment")
    r = subprocess.run([exe, "lookup", "يوروبول", "--json"], capture_output=True, text=True, cwd="/")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["en"][0] == "Europol"


def test_coverage_of_the_seeds_ignores_page_furniture(run, seeds_dir) -> None:
    d = json.loads(run("coverage", *map(str, sorted(seeds_dir.glob("*.txt"))), "--json").output)
    cands = {u["candidate"] for u in d["uncovered"]}
    assert d["covered_hits"] > 400
    assert not cands & {"Happy Happy", "Read Time", "Next", "Star"}
    assert not any(c.split()[0] in ("إلى", "على", "التي") for c in cands)


def test_undecodable_stdin_is_a_one_line_error() -> None:
    for args in (["scan", "-"], ["normalize", "-"], ["tm", "search", "-"]):
        r = CliRunner().invoke(cli, args, input=b"\x80\x81")
        assert r.exit_code == 2, args
        assert "<stdin>:1: not valid UTF-8" in r.output and "Traceback" not in r.output
