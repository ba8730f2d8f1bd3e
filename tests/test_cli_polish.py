"""CLI behaviour a user meets first: one-line usage errors, a refused format/extension mismatch,
``--tm`` (a TM store, everywhere) vs ``--tm-file`` (exchange files), ``tm export --json``, help examples that work, and what a terminal
shows (progress, a hint when stdin is the terminal, terminal-safe glossary text).

Terminal behaviour is checked on a real pseudo-terminal (``pty``), since it must not happen when
output is piped.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex import formats
from ctlex.cli import cli
from ctlex.cli._render import terminal_safe
from ctlex.glossary import Concept, Glossary, Term

ROOT = Path(__file__).resolve().parents[1]
TMX = ROOT / "tm" / "articles.tmx"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("args,message", [
    (["export", "--format", "bogus", "-o", "x"], "Invalid value for '--format': 'bogus' is not one of"),
    (["export"], "Missing option '-o' / '--output'."),
    (["tm", "search"], "Missing argument 'TEXT'."),
    (["nosuch"], "No such command 'nosuch'."),
    (["--bogus"], "No such option '--bogus'."),
    (["validate", "x.tbx", "--nope"], "No such option '--nope'."),
])
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    r = _run(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("ctlex: error: ") and lines[0].endswith("--help')")
    assert message in lines[0]


@pytest.mark.parametrize("fmt,out", [("tmx", "x.tbx"), ("tbx", "x.tmx"), ("csv", "x.xlsx"), ("xliff", "x.po"), ("po", "x.tbx2")])
def test_export_refuses_an_extension_of_another_format(fmt: str, out: str, tmp_path: Path) -> None:
    r = _run("export", "--format", fmt, "-o", str(tmp_path / out))
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1 and f"not {fmt}" in r.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt,out", [("tbx2", "g.tbx"), ("tsv", "g.txt"), ("tmx", "tm.tmx"), ("xliff", "d.xlf2")])
def test_export_accepts_matching_or_neutral_names(fmt: str, out: str, tmp_path: Path) -> None:
    r = _run("export", "--format", fmt, "-o", str(tmp_path / out))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"wrote {tmp_path / out} ({fmt}): ")


def test_tm_means_a_translation_memory_in_every_command(tmp_path: Path) -> None:
    """``--tm`` is always a TM store (SQLite file or URL); exchange files go to ``--tm-file``."""
    small = tmp_path / "small.tmx"
    from ctlex.segment import Segment

    formats.write_segments([Segment("مرحبا", "Hello", id="1"), Segment("شكرا", "Thanks", id="2")], small)
    r = _run("export", "--format", "tmx", "-o", str(tmp_path / "files.tmx"), "--tm-file", str(small), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["segments"] == 2
    db = tmp_path / "tm.sqlite"
    assert _run("tm", "import", str(small), "--tm", str(db)).exit_code == 0
    out = tmp_path / "store.tmx"
    r = _run("export", "--format", "tmx", "-o", str(out), "--tm", str(db), "--json")  # export reads the same store as tm export
    assert r.exit_code == 0, r.output
    assert [(s.source, s.target, s.id) for s in formats.read_segments(out)] == [("مرحبا", "Hello", "1"), ("شكرا", "Thanks", "2")]
    r = _run("suggest", "مرحبا", "--tm", str(db), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["read"]["segments"] == 2
    # an exchange file given to --tm: one line saying where it goes, in every command that has --tm
    for args, hint in ((["export", "--format", "tmx", "-o", str(tmp_path / "x.tmx")], "--tm-file"), (["suggest", "مرحبا"], "--tm-file"),
                       (["tm", "search", "مرحبا"], "ctlex tm import"), (["tm", "stats"], "ctlex tm import"),
                       (["serve"], "ctlex tm import")):
        r = _run(*args, "--tm", str(small))
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, (args, r.output)
        assert "is a tmx exchange file, not a translation memory" in r.stderr and hint in r.stderr, r.stderr
    assert not (tmp_path / "x.tmx").exists()
    r = _run("export", "--format", "tmx", "-o", str(tmp_path / "y.tmx"), "--tm", str(db), "--tm-file", str(small))
    assert r.exit_code == 2 and "not both" in r.stderr
    help_text = _run("export", "--help").stdout
    assert "--tm-file FILE" in help_text and "--tm DB|URL" in help_text
    assert "--tm-file FILE" in _run("suggest", "--help").stdout and "--tm DB|URL" in _run("suggest", "--help").stdout
    assert "--tm DB|URL" in _run("tm", "search", "--help").stdout
    r = _run("export", "--format", "tbx", "-o", str(tmp_path / "g.tbx"), "--tm-file", str(small))
    assert r.exit_code == 2 and "for tmx/xliff exports" in r.stderr


def test_suggest_takes_tm_file() -> None:
    r = _run("suggest", "يوروبول", "--tm-file", str(TMX), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)


def test_tm_export_json(tmp_path: Path) -> None:
    out = tmp_path / "all.xlf"
    r = _run("tm", "export", "-o", str(out), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["path"] == str(out) and data["format"] == "xliff"
    assert data["segments"] == len(list(formats.read_segments(out))) > 100


def _examples(*command: str) -> list[list[str]]:
    import shlex

    text = _run(*command, "--help").stdout
    return [shlex.split(ln.strip())[1:] for ln in text.splitlines() if ln.strip().startswith("ctlex tm search ")]


def test_tm_search_help_examples_find_their_match() -> None:
    examples = _examples("tm", "search") + _examples("tm")
    assert len(examples) >= 3
    for args in examples:
        r = _run(*args, *([] if "--json" in args else ["--json"]))
        assert r.exit_code == 0, (args, r.output)
        assert json.loads(r.stdout)["matches"], f"help example finds nothing: ctlex {' '.join(args)}"


# -- on a terminal ---------------------------------------------------------------------------------


# click's progress bar, on a clock a thousand times fast: it estimates the time left only once a
# second has passed, which a small import on a fast machine never reaches
_FAST_CLOCK = ("import runpy, sys, time, types, click._termui_impl as t; "
               "t.time = types.SimpleNamespace(time=lambda: time.time() * 1000); "
               "sys.argv[0] = 'ctlex'; runpy.run_module('ctlex', run_name='__main__')")


def _pty_run(args: list[str], *, stdin: bytes | None = None, stdout_tty: bool = True, timeout: float = 60,
             fast_clock: bool = False) -> tuple[bytes, bytes]:
    """Run ctlex with stdin and stderr (and stdout unless ``stdout_tty`` is false) on a pty."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    master, slave = pty.openpty()
    launch = ["-c", _FAST_CLOCK] if fast_clock else ["-m", "ctlex"]
    proc = subprocess.Popen([sys.executable, *launch, *args], stdin=slave, stderr=slave,
                            stdout=slave if stdout_tty else subprocess.PIPE, env=env, close_fds=True)
    os.close(slave)
    got = b""
    sent = stdin is None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            got += data
        if not sent and b"Ctrl-D" in got:
            os.write(master, stdin + b"\n")
            time.sleep(0.2)
            os.write(master, b"\x04")
            sent = True
        if proc.poll() is not None and not r:
            break
    out = proc.stdout.read() if proc.stdout is not None else b""
    proc.wait(timeout=30)
    os.close(master)
    return got, out


@pytest.mark.slow
def test_scan_without_input_on_a_terminal_says_what_it_expects() -> None:
    got, _ = _pty_run(["scan"], stdin="التعاون مع اليوروبول".encode())
    text = got.decode("utf-8", errors="replace")
    assert "ctlex scan: reading text from the terminal; end it with Ctrl-D" in text
    assert "europol" in text  # and then it scans what was typed


@pytest.mark.slow
def test_export_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    got, out = _pty_run(["export", "--format", "tmx", "-o", str(tmp_path / "t.tmx")], stdout_tty=False)
    assert b"\rexporting segments: 200" in got  # stderr is the terminal
    assert out.startswith(b"wrote ")
    piped = subprocess.run([sys.executable, "-m", "ctlex", "export", "--format", "tmx", "-o", str(tmp_path / "u.tmx")],
                           capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    assert piped.returncode == 0 and piped.stderr == b""


@pytest.mark.slow
def test_bidi_override_in_glossary_text_cannot_reverse_the_terminal_line(tmp_path: Path) -> None:
    g = Glossary(title="evil")
    c = g.add(Concept("evil", definition="x"))
    c.terms += [Term("shown\u202edesrever", "en", "preferred"), Term("شر", "ar", "preferred")]
    p = tmp_path / "evil.tbx"
    formats.write_glossary(g, p)
    got, _ = _pty_run(["lookup", "شر", "--glossary", str(p)])
    assert "\u202e" not in got.decode() and "shown\\u202edesrever" in got.decode()
    piped = _run("lookup", "شر", "--glossary", str(p), "--json")  # not a terminal: the data as it is
    assert json.loads(piped.stdout)["results"][0]["en"] == ["shown\u202edesrever"]


def test_terminal_safe_escapes_controls_but_keeps_arabic_marks() -> None:
    assert terminal_safe("a\u202eb\u2066c\x1b[2Jd\re") == "a\\u202eb\\u2066c\\u001b[2Jd\\u000de"
    arabic = "حركة\u200f الشباب\u200e\u061c\u200c\tx\n"
    assert terminal_safe(arabic) == arabic


# -- progress on long imports, exports and checks --------------------------------------------------


def _big_tmx(path: Path, n: int) -> Path:
    from ctlex.segment import Segment

    formats.write_segments((Segment(f"جملة اختبار طويلة بعض الشيء رقم {i}", f"a somewhat long test sentence number {i}", id=str(i))
                            for i in range(n)), path)
    assert path.stat().st_size > 1_000_000  # what tm import calls long
    return path


@pytest.fixture(scope="module")
def big_tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_tmx(tmp_path_factory.mktemp("progress") / "big.tmx", 12_000)


def test_tm_import_progress_bar_knows_its_total_and_eta_on_a_terminal_only(big_tmx: Path, tmp_path: Path) -> None:
    big = big_tmx
    got, out = _pty_run(["tm", "import", str(big), "--tm", str(tmp_path / "a.sqlite")], stdout_tty=False, timeout=300,
                        fast_clock=True)
    text = got.decode("utf-8", errors="replace")
    # a bar over the file's bytes, its percentage, and an ETA (HH:MM:SS) before the end
    assert re.search(r"importing\s+\[[#-]+\]\s+\d+%\s+\d\d:\d\d:\d\d\s+[\d,]+ units", text), text[-800:]
    assert "100%" in text and "12,000 units" in text
    assert out.decode().startswith("read 12000 units from 1 file(s): 12000 added")
    piped = subprocess.run([sys.executable, "-m", "ctlex", "tm", "import", str(big), "--tm", str(tmp_path / "b.sqlite")],
                           capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""


@pytest.mark.slow
def test_tm_export_and_check_show_progress_on_a_terminal(big_tmx: Path, tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    assert _run("tm", "import", str(big_tmx), "--tm", str(db)).exit_code == 0
    got, out = _pty_run(["tm", "export", "--tm", str(db), "-o", str(tmp_path / "out.tmx")], stdout_tty=False, timeout=300)
    assert b"\rexporting segments: 200/12000" in got, got[-300:]
    assert out == f"wrote 12000 segments to {tmp_path / 'out.tmx'}\n".encode()
    got, out = _pty_run(["check", str(big_tmx)], stdout_tty=False, timeout=300)
    assert b"\rchecking segments: 200" in got, got[-300:]
    assert b"12000 segments checked" in out
    piped = _run("tm", "export", "--tm", str(db), "-o", str(tmp_path / "piped.tmx"))
    assert piped.exit_code == 0 and piped.stderr == ""


def test_segment_counts_agree_across_import_export_stats_check_and_suggest(tmp_path: Path) -> None:
    """The same file counts the same segments everywhere (suggest says, besides, how many it
    could use: an Arabic source and a target)."""
    db = tmp_path / "tm.sqlite"
    r = _run("tm", "import", str(TMX), "--tm", str(db), "--json")
    n = json.loads(r.stdout)["read"]
    assert n == json.loads(r.stdout)["added"] > 100
    assert json.loads(_run("tm", "stats", "--tm", str(db), "--json").stdout)["segments"] == n
    assert json.loads(_run("tm", "export", "--tm", str(db), "-o", str(tmp_path / "a.tmx"), "--json").stdout)["segments"] == n
    assert json.loads(_run("export", "--format", "tmx", "--tm-file", str(TMX), "-o", str(tmp_path / "b.tmx"), "--json").stdout)["segments"] == n
    assert json.loads(_run("check", str(TMX), "--json").stdout)["segments"] == n
    assert _run("check", str(TMX)).stdout.splitlines()[-1].startswith(f"{n} segments checked")
    d = json.loads(_run("suggest", "يوروبول", "--tm-file", str(TMX), "--json").stdout)["read"]
    assert d["segments"] == n == d["segments_used"] + d["segments_skipped"] and 0 < d["segments_skipped"] < n
    text = _run("suggest", "يوروبول", "--tm-file", str(TMX)).stdout
    assert f"of the {n} segments read ({d['segments_used']} with an Arabic source and a target)" in text
