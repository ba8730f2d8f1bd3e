"""``ctlex tm import``: a file with no segment to import is refused (one line, exit 2, no TM
file created, an existing TM unchanged), each reader's skip lines are printed, and a new TM file
exists only once its first import has read its input and committed (built aside until then: a
``kill -9`` leaves no store, and the next first import removes the temporary file)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from ctlex.cli import cli
from ctlex.errors import ParseError
from ctlex.segment import Segment
from ctlex.tm import Store

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tm" / "articles.tmx"
HEADER = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="ar" segtype="sentence" adminlang="en" '
          'datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>\n<body>\n')

EMPTY_INPUTS = {
    "empty-body.tmx": (HEADER + "</body></tmx>\n", "the file holds no unit"),
    "one-tuv.tmx": (HEADER + '<tu><tuv xml:lang="ar"><seg>مرحبا</seg></tuv></tu>\n</body></tmx>\n',
                    "1 skipped: 1 unit with a single <tuv>"),
    "empty-sides.tsv": ("مرحبا\t\n\tHello\n", "2 skipped: 1 empty source, 1 empty target"),
    "untranslated.po": ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "مرحبا"\nmsgstr ""\n',
                        "untranslated"),
}


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("name", sorted(EMPTY_INPUTS))
def test_a_file_with_no_segment_is_refused_and_no_tm_is_created(name: str, tmp_path: Path) -> None:
    text, why = EMPTY_INPUTS[name]
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    db = tmp_path / "new" / "tm.sqlite"
    r = _run("tm", "import", str(src), "--tm", str(db))
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and r.stderr.splitlines() == [r.stderr.strip()]
    assert r.stderr.startswith(f"ctlex: error: {src}: no segments to import (") and why in r.stderr
    assert "Traceback" not in r.output
    assert not db.exists() and sorted(os.listdir(tmp_path)) == [name]  # not even the directory


def test_an_empty_file_among_good_ones_abandons_the_whole_import(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    assert _run("tm", "import", str(ARTICLES), "--tm", str(db)).exit_code == 0
    before = len(Store(db))
    (tmp_path / "empty.tmx").write_text(HEADER + "</body></tmx>\n", encoding="utf-8")
    good = tmp_path / "good.tsv"
    good.write_text("جملة جديدة تماما\ta brand new sentence\n", encoding="utf-8")
    r = _run("tm", "import", str(good), str(tmp_path / "empty.tmx"), "--tm", str(db))
    assert r.exit_code == 2 and "empty.tmx: no segments to import" in r.stderr
    assert len(Store(db)) == before  # the good file's unit was rolled back with the rest


def test_reader_skip_lines_are_printed_with_reasons_and_lines(tmp_path: Path) -> None:
    src = tmp_path / "mixed.tsv"
    src.write_text("مرحبا\tHello\n\tno source\nشكرا\t\nصباح الخير\tGood morning\n", encoding="utf-8")
    db = tmp_path / "tm.sqlite"
    r = _run("tm", "import", str(src), "--tm", str(db), "--format", "tsv")
    assert r.exit_code == 0, r.output
    assert f"{src}: skipped 1 × empty source (line 2)" in r.stderr.splitlines()
    assert f"{src}: skipped 1 × empty target (line 3)" in r.stderr.splitlines()
    assert r.stdout.strip() == "read 2 units from 1 file(s): 2 added, 0 duplicates merged, 2 skipped (2 empty source or target)"
    data = json.loads(_run("tm", "import", str(src), "--tm", str(db), "--format", "tsv", "--json").stdout)
    assert data["readers"] == [{"path": str(src), "read": 2, "skipped": {"empty source": 1, "empty target": 1},
                                "skipped_lines": {"empty source": [2], "empty target": [3]}, "warnings": []}]


def test_reader_warnings_are_printed(tmp_path: Path) -> None:
    src = tmp_path / "headerless.po"
    src.write_text('msgid "مرحبا"\nmsgstr "Hello"\n', encoding="utf-8")
    r = _run("tm", "import", str(src), "--tm", str(tmp_path / "tm.sqlite"))
    assert r.exit_code == 0, r.output
    assert any(ln.startswith(f"{src}:") and "header" in ln for ln in r.stderr.splitlines()), r.stderr


def test_the_tm_file_is_created_only_once_the_input_yields_a_unit(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    seen: list[bool] = []

    def units() -> Iterator[Segment]:
        seen.append(db.exists())  # the reader is working on its first unit
        yield Segment("مرحبا", "Hello")
        seen.append(db.exists())

    s = Store(db)
    assert s.add(units()).added == 1
    assert seen == [False, False] and db.exists()  # named only once the import committed
    assert s.search("مرحبا")[0].target == "Hello"
    s.close()
    with Store(db, readonly=True) as ro:
        assert ro.search("مرحبا")[0].target == "Hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tm.sqlite"]  # no temporary or WAL file left

    def broken() -> Iterator[Segment]:
        raise ParseError("bad", "in.tmx", 3)
        yield  # pragma: no cover

    other = tmp_path / "other.sqlite"
    with pytest.raises(ParseError):
        Store(other).add(broken())
    assert Store(other).add([]).added == 0
    assert not other.exists()  # neither a failed nor an empty first import leaves a file


def test_kill_9_mid_first_import_leaves_no_store_and_the_next_import_cleans_up(tmp_path: Path) -> None:
    import signal

    from test_tm_faults import _slow_import

    db = tmp_path / "new.sqlite"
    proc, marker, _ = _slow_import(tmp_path, db)
    assert not db.exists() and any(p.name.startswith(".new.sqlite.") for p in tmp_path.iterdir())  # built aside
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert not db.exists()
    r = _run("tm", "search", "مرحبا", "--tm", str(db))
    assert r.exit_code == 2 and "no such translation memory" in r.stderr  # nothing half-made to read
    good = tmp_path / "good.tsv"
    good.write_text("مرحبا\tHello\n", encoding="utf-8")
    r = _run("tm", "import", str(good), "--tm", str(db))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["new.sqlite", marker.name, "good.tsv"])  # the dead build is gone
    assert len(Store(db)) == 1
