"""Every case of the bad-input corpus (tests/bad_corpus.py) through the real CLI.

Glossary files go through ``ctlex import FILE --into OUT.tbx``; segment files through
``ctlex export --format tmx -o OUT.tmx --tm FILE`` (a streamed read feeding an atomic write).
Each must end with exit status 2 and exactly ONE line on stderr, ``ctlex: error: FILE:LINE: …``
(the line wherever the format has lines), no traceback, nothing on stdout, and nothing written:
no OUT file, no temporary file.  A sample also runs as a real subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bad_corpus import Case, cases  # noqa: E402

from ctlex.cli import cli  # noqa: E402

CASES = cases()


def _argv(c: Case, path: Path, out_dir: Path) -> list[str]:
    if c.kind == "glossary":
        return ["import", str(path), "--into", str(out_dir / "out.tbx")]
    return ["export", "--format", "tmx", "-o", str(out_dir / "out.tmx"), "--tm-file", str(path)]


def _check(c: Case, path: Path, out_dir: Path, code: int, stdout: str, stderr: str) -> list[str]:
    problems = []
    lines = stderr.splitlines()
    if code != 2:
        problems.append(f"exit {code}, not 2")
    if "Traceback" in stderr or "Traceback" in stdout:
        problems.append("traceback")
    if len(lines) != 1:
        problems.append(f"{len(lines)} stderr lines, not 1: {lines[:3]}")
    elif c.line:
        if not re.match(rf"^ctlex: error: {re.escape(str(path))}:\d+(:\d+)?: \S", lines[0]):
            problems.append(f"not 'ctlex: error: FILE:LINE: reason': {lines[0][:200]}")
    elif not re.match(rf"^ctlex: error: {re.escape(str(path))}(![^:]+)?(:\d+)*: \S", lines[0]):
        problems.append(f"not 'ctlex: error: FILE: reason': {lines[0][:200]}")
    if stdout.strip():
        problems.append(f"stdout not empty: {stdout[:100]!r}")
    if os.listdir(out_dir):
        problems.append(f"written: {os.listdir(out_dir)}")
    return problems


def test_corpus_is_large_and_covers_every_reader() -> None:
    assert len(CASES) >= 300
    families = {c.id.split("/")[0] for c in CASES}
    assert families >= {"tbx3", "tbx2008", "tmx", "xliff12", "xliff20", "po", "csv", "tsv", "omegat", "xlsx"}
    kinds = {c.id.split("/")[1] for c in CASES if c.id.split("/")[0] == "tmx"}
    assert kinds >= {"entity", "truncated", "malformed", "wrong-root", "nul", "encoding", "empty", "huge", "structure"}
    encodings = {c.id.split("/")[3] for c in CASES if "/entity/" in c.id and c.id.count("/") == 4}
    assert encodings == {"utf8", "utf8bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"}


def test_every_bad_input_is_one_line_exit_2_nothing_written(tmp_path: Path) -> None:
    runner = CliRunner()
    failures: list[str] = []
    start = time.perf_counter()
    for i, c in enumerate(CASES):
        d = tmp_path / f"c{i}"
        out = d / "out"
        out.mkdir(parents=True)
        path = d / c.filename
        path.write_bytes(c.data)
        r = runner.invoke(cli, _argv(c, path, out))
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            failures.append(f"{c.id}: raised {type(r.exception).__name__}: {r.exception}")
            continue
        failures += [f"{c.id}: {p}" for p in _check(c, path, out, r.exit_code, r.stdout, r.stderr)]
    elapsed = time.perf_counter() - start
    assert not failures, f"{len(failures)} of {len(CASES)} cases:\n" + "\n".join(failures[:40])
    assert elapsed < 30, f"corpus took {elapsed:.1f}s"


@pytest.mark.parametrize("case_id", ["tmx/entity/xxe/utf16be/end", "po/missing-msgstr", "xlsx/laughs-in-sheet", "csv/unterminated-quote",
                                     "xliff12/truncated/0.5"])
def test_sample_through_a_real_process(tmp_path: Path, case_id: str) -> None:
    c = next(x for x in CASES if x.id == case_id)
    out = tmp_path / "out"
    out.mkdir()
    path = tmp_path / c.filename
    path.write_bytes(c.data)
    p = subprocess.run([sys.executable, "-m", "ctlex", *_argv(c, path, out)], capture_output=True, text=True, timeout=60)
    assert _check(c, path, out, p.returncode, p.stdout, p.stderr) == []
