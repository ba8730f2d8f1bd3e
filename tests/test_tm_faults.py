"""Translation memory under faults: full disk, read-only files and directories, kill -9 in the
middle of an import, searching while an import writes, scripts without a ``__main__`` guard.

The disk faults use a small tmpfs (``mount -t tmpfs``, remounted read-only for the read-only
cases); where mounting is not allowed (not root, no CAP_SYS_ADMIN) those tests are skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from ctlex.cli import cli
from ctlex.errors import ParseError, WriteError
from ctlex.formats import tmx
from ctlex.segment import Segment
from ctlex.tm import Store

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tm" / "articles.tmx"
SRC = str(ROOT / "src")


def _units(n: int, tag: str = "") -> list[Segment]:
    return [Segment(f"جملة اختبار رقم {i} {tag}", f"test sentence number {i} {tag}", id=f"{tag}{i}") for i in range(n)]


@pytest.fixture(scope="module")
def big_tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "big.tmx"
    tmx.write_segments(_units(20_000, "b"), path)
    return path


@pytest.fixture(scope="module")
def articles_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "articles.sqlite"
    with Store(path) as s:
        s.import_files([ARTICLES])
    return path


class Mount:
    def __init__(self, path: Path) -> None:
        self.path = path

    def readonly(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True, capture_output=True)


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """A 1.5 MB tmpfs at tmp_path/mnt, unmounted afterwards."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs for disk faults (needs root): {r.stderr.strip()}")
    try:
        yield Mount(mnt)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _one_line_error(r: "object") -> str:
    out = r.output  # type: ignore[attr-defined]
    assert r.exit_code == 2, out  # type: ignore[attr-defined]
    assert "Traceback" not in out and r.exception is None or isinstance(r.exception, SystemExit), out  # type: ignore[attr-defined]
    lines = [x for x in out.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("ctlex: error: "), out
    return lines[0]


def _dump(path: Path) -> list[tuple]:
    with Store(path, readonly=True) as s:
        return s.db.execute("SELECT id, source, target, count FROM segment ORDER BY id").fetchall()


# -- full disk ---------------------------------------------------------------------------------


def test_full_disk_import_fails_in_one_line_and_rolls_back(tmpfs: Mount, articles_store: Path, big_tmx: Path) -> None:
    store = tmpfs.path / "tm.sqlite"
    store.write_bytes(articles_store.read_bytes())
    before = _dump(store)
    r = CliRunner().invoke(cli, ["tm", "import", str(big_tmx), "--tm", str(store)])
    line = _one_line_error(r)
    assert str(store) in line and "disk is full" in line and "unchanged" in line
    assert _dump(store) == before
    r = CliRunner().invoke(cli, ["tm", "search", "تابعنا على تويتر", "--tm", str(store), "--json"])
    assert r.exit_code == 0 and '"Follow us on Twitter"' in r.output
    assert sorted(p.name for p in tmpfs.path.iterdir()) == ["tm.sqlite"]  # no -wal, -shm or temp files left


def test_full_disk_import_into_a_new_store_leaves_no_file(tmpfs: Mount, big_tmx: Path) -> None:
    store = tmpfs.path / "new.sqlite"
    r = CliRunner().invoke(cli, ["tm", "import", str(big_tmx), "--tm", str(store)])
    assert "disk is full" in _one_line_error(r)
    assert list(tmpfs.path.iterdir()) == []


# -- read-only files and directories -----------------------------------------------------------


def test_read_only_store_can_be_searched_not_imported_into(tmpfs: Mount, articles_store: Path) -> None:
    store = tmpfs.path / "tm.sqlite"
    store.write_bytes(articles_store.read_bytes())
    tmpfs.readonly()
    run = CliRunner().invoke
    r = run(cli, ["tm", "search", "تابعنا على تويتر", "--tm", str(store), "--json"])
    assert r.exit_code == 0 and '"Follow us on Twitter"' in r.output, r.output
    r = run(cli, ["tm", "concord", "يوروبول", "--tm", str(store)])
    assert r.exit_code == 0 and "segment(s)" in r.output, r.output
    r = run(cli, ["tm", "stats", "--tm", str(store)])
    assert r.exit_code == 0 and "segments: 219" in r.output and "read-only" in r.output, r.output
    line = _one_line_error(run(cli, ["tm", "import", str(ARTICLES), "--tm", str(store)]))
    assert str(store) in line and "read-only" in line
    line = _one_line_error(run(cli, ["tm", "import", str(ARTICLES), "--tm", str(tmpfs.path / "new.sqlite")]))
    assert "new.sqlite" in line and "Read-only file system" in line
    assert [p.name for p in tmpfs.path.iterdir()] == ["tm.sqlite"]


def test_default_tm_with_an_unwritable_data_directory_refuses_to_import(tmpfs: Mount, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmpfs.path))
    monkeypatch.delenv("CTLEX_TM", raising=False)
    tmpfs.readonly()
    line = _one_line_error(CliRunner().invoke(cli, ["tm", "import", str(ARTICLES)]))
    assert "tm.sqlite" in line and "added" not in line  # nothing imported into memory and thrown away
    r = CliRunner().invoke(cli, ["tm", "search", "تابعنا على تويتر", "--json"])  # the shipped TM still answers
    assert r.exit_code == 0 and '"Follow us on Twitter"' in r.output


def test_default_tm_in_a_data_path_that_is_not_a_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/dev/null/not-a-directory")
    monkeypatch.delenv("CTLEX_TM", raising=False)
    line = _one_line_error(CliRunner().invoke(cli, ["tm", "import", str(ARTICLES)]))
    assert "Not a directory" in line


def test_failed_first_import_leaves_no_store_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(ARTICLES.read_text(encoding="utf-8").replace("</tu>", "</tuv>", 1), encoding="utf-8")
    path = tmp_path / "new.sqlite"
    s = Store(path)
    with pytest.raises(ParseError):
        s.import_files([bad])
    assert not path.exists() and list(tmp_path.iterdir()) == [bad]
    assert s.import_files([ARTICLES]).added == 219 and path.exists()  # the same Store works afterwards


def test_store_whose_directory_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    s = Store(tmp_path / "file" / "tm.sqlite")
    with pytest.raises(WriteError, match="cannot create"):
        s.add(_units(1))


# -- processes: kill -9, concurrent readers, scripts without a __main__ guard ------------------

# A child that imports slowly: it writes `marker` once `after` units are in (inside the one
# transaction), then waits for `go` to exist before going on.  The helper process takes over
# after the first batch (BATCH and _SERIAL_BATCHES made small).
SLOW_IMPORT = """
import os, sys, time
sys.path.insert(0, {src!r})
import ctlex.tm.workers as w
w.BATCH, w._SERIAL_BATCHES = 200, 1
from ctlex.segment import Segment
from ctlex.tm import Store

def units():
    for i in range({n}):
        if i == {after}:
            open({marker!r}, "w").close()
            while not os.path.exists({go!r}):
                time.sleep(0.05)
        yield Segment(f"وحدة جديدة رقم {{i}}", f"new unit number {{i}}", id=f"n{{i}}")

with Store({db!r}) as s:
    s.db.execute("PRAGMA cache_size = 8")  # spill written pages to the file at once, as a large import does
    r = s.add(units())
    print(r.added, len(s))
"""


def _slow_import(tmp_path: Path, db: Path, n: int = 3000, after: int = 2000) -> tuple[subprocess.Popen, Path, Path]:
    marker, go = tmp_path / "marker", tmp_path / "go"
    code = SLOW_IMPORT.format(src=SRC, n=n, after=after, marker=str(marker), go=str(go), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"slow import did not start: {proc.communicate()}")
        time.sleep(0.05)
    return proc, marker, go


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_search_stats_and_concord_work_while_an_import_writes(tmp_path: Path, articles_store: Path) -> None:
    db = tmp_path / "tm.sqlite"
    db.write_bytes(articles_store.read_bytes())
    proc, _, go = _slow_import(tmp_path, db)
    try:
        run = CliRunner().invoke
        t = time.monotonic()
        r = run(cli, ["tm", "search", "تابعنا على تويتر", "--tm", str(db), "--json"])
        assert r.exit_code == 0 and '"Follow us on Twitter"' in r.output, r.output
        r = run(cli, ["tm", "stats", "--tm", str(db)])
        assert r.exit_code == 0 and "segments: 219 " in r.output, r.output  # the last committed state
        r = run(cli, ["tm", "concord", "يوروبول", "--tm", str(db)])
        assert r.exit_code == 0 and "segment(s)" in r.output, r.output
        assert time.monotonic() - t < 10  # nobody waited for the writer
        with Store(db, readonly=True) as s:
            assert s.search("وحدة جديدة رقم 5") == []
    finally:
        go.touch()
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.split() == ["3000", str(219 + 3000)]
    with Store(db) as s:
        assert s.search("وحدة جديدة رقم 1234")[0].target == "new unit number 1234"


def test_kill_9_mid_import_leaves_the_store_consistent_and_nothing_behind(tmp_path: Path, articles_store: Path) -> None:
    db = tmp_path / "tm.sqlite"
    db.write_bytes(articles_store.read_bytes())
    before = _dump(db)
    proc, marker, _ = _slow_import(tmp_path, db)
    helpers = _children(proc.pid)
    assert helpers, "the import should be normalizing in a helper process"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    deadline = time.monotonic() + 10
    while any(_alive(h) for h in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(h) for h in helpers), "helper process outlived its parent"
    # the next run: the store is as it was, and opening it for writing then closing it cleans up
    with Store(db) as s:
        assert len(s) == 219 and s.search("تابعنا على تويتر")[0].target == "Follow us on Twitter"
    assert _dump(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["tm.sqlite", marker.name])


def test_import_from_a_script_without_a_main_guard(tmp_path: Path) -> None:
    script = tmp_path / "script.py"  # no `if __name__ == "__main__"`: a spawned pool would re-run it
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {SRC!r})
        import ctlex.tm.workers as w
        w.BATCH, w._SERIAL_BATCHES = 100, 1
        from ctlex.segment import Segment
        from ctlex.tm import Store
        s = Store(":memory:")
        r = s.add(Segment(f"نص رقم {{i}}", f"text {{i}}", id=str(i)) for i in range(3000))
        print("imported", r.added, "helpers", w.STARTED)
    """), encoding="utf-8")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["imported", "3000", "helpers", "1"]


def test_import_finishes_in_process_when_the_helper_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as w

    segs = _units(1500, "h")
    serial = Store(":memory:")
    serial.add(segs)
    monkeypatch.setattr(w, "BATCH", 100)
    monkeypatch.setattr(w, "_SERIAL_BATCHES", 1)
    real = w.Helper.result
    calls = [0]

    def dying(self: w.Helper) -> list:
        calls[0] += 1
        if calls[0] == 3:
            self.proc.kill()
            self.proc.wait()
        return real(self)

    monkeypatch.setattr(w.Helper, "result", dying)
    s = Store(":memory:")
    r = s.add(segs)
    assert calls[0] >= 3 and r.added == 1500
    dump = "SELECT id, source, target, dkey, ukey, head FROM segment ORDER BY id"
    assert s.db.execute(dump).fetchall() == serial.db.execute(dump).fetchall()
    assert s.keys() == serial.keys()


def test_stale_shipped_cache_build_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ctlex.tm import shipped_store

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    cache = tmp_path / "ctlex" / "cache"
    cache.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = cache / f".shipped-tm.sqlite.{dead.pid}.tmp"
    stale.write_bytes(b"x" * 1000)
    (cache / f".shipped-tm.sqlite.{dead.pid}.tmp-journal").write_bytes(b"x")
    s = shipped_store()
    assert s is not None and len(s) == 219
    s.close()
    assert sorted(p.name for p in cache.iterdir()) == ["shipped-tm.sqlite"]


# -- a large TMX read in the helper process ------------------------------------------------------

MIXED_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="ar" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
<body>
{units}</body></tmx>
"""


def _mixed_units(n: int) -> str:
    """Units of every kind the import keeps or counts: props, notes, dates, inline markup,
    extra attributes, English-first units, repeats (merged), single-<tuv> and empty-target units
    (skipped), units without a tuid."""
    out = []
    for i in range(n):
        k = i % 7
        if k == 0:
            out.append(f'<tu tuid="u{i}" creationdate="20190614T120000Z" usagecount="{i}"><prop type="x-k">v{i % 3}</prop><note>n{i}</note>'
                       f'<tuv xml:lang="ar"><seg>جملة <bpt i="1">&lt;b&gt;</bpt>رقم<ept i="1">&lt;/b&gt;</ept> {i}</seg></tuv>'
                       f'<tuv xml:lang="en"><prop type="x-t">t</prop><seg>sentence number {i}</seg></tuv></tu>\n')
        elif k == 1:
            out.append(f'<tu srclang="en"><tuv xml:lang="en"><seg>English first {i}</seg></tuv><tuv xml:lang="ar"><seg>الإنجليزية أولا {i}</seg></tuv></tu>\n')
        elif k == 2:
            out.append('<tu tuid="rep"><tuv xml:lang="ar"><seg>وحدة مكررة</seg></tuv><tuv xml:lang="en"><seg>a repeated unit</seg></tuv></tu>\n')
        elif k == 3:
            out.append(f'<tu tuid="s{i}"><tuv xml:lang="ar"><seg>وحيدة {i}</seg></tuv></tu>\n')
        elif k == 4:
            out.append(f'<tu tuid="e{i}"><tuv xml:lang="ar"><seg>بلا ترجمة {i}</seg></tuv><tuv xml:lang="en"><seg> </seg></tuv></tu>\n')
        else:
            out.append(f'<tu tuid="p{i}" changedate="20200101T000000Z"><tuv xml:lang="ar"><seg>نص عادي رقم {i % 40}</seg></tuv>'
                       f'<tuv xml:lang="en"><seg>plain text number {i % 40}</seg></tuv></tu>\n')
    return "".join(out)


def _full_dump(path: Path) -> list[tuple]:
    with Store(path, readonly=True) as s:
        return s.db.execute("SELECT * FROM segment ORDER BY id").fetchall() + s.db.execute("SELECT * FROM postings ORDER BY token").fetchall()


def _import(path: Path, db: Path) -> tuple[dict, list[dict]]:
    with Store(db) as s:
        r = s.import_files([path])
    return r.to_dict(), [rep.to_dict() for rep in r.reads]


@pytest.fixture()
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as w

    monkeypatch.setattr(w, "BATCH", 100)


def test_large_tmx_read_in_the_helper_gives_the_same_store_and_report(tmp_path: Path, small_batches: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as w

    src = tmp_path / "mixed.tmx"
    src.write_text(MIXED_TMX.format(units=_mixed_units(1400)), encoding="utf-8")
    here = _import(src, tmp_path / "here.sqlite")  # small: read here
    started = w.STARTED
    monkeypatch.setattr(w, "READ_ELSEWHERE", 0)  # every TMX is read in the helper
    there = _import(src, tmp_path / "there.sqlite")
    assert w.STARTED == started + 1
    assert there == here and here[0]["merged"] == 199 and here[1][0]["skipped"]
    assert _full_dump(tmp_path / "there.sqlite") == _full_dump(tmp_path / "here.sqlite")


def test_batches_the_helper_leaves_unkeyed_are_keyed_here_alike(tmp_path: Path, small_batches: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """While this process waits for batches, the helper leaves some unkeyed and they are keyed
    here; forced on every batch, the store is the one reading here gives."""
    import os as _os

    import ctlex.tm.workers as w

    src = tmp_path / "mixed.tmx"
    src.write_text(MIXED_TMX.format(units=_mixed_units(1400)), encoding="utf-8")
    here = _import(src, tmp_path / "here.sqlite")
    monkeypatch.setattr(w, "READ_ELSEWHERE", 0)
    real = w.Helper.frame

    def hungry(self: w.Helper) -> object:
        if self._hunger_w is not None:
            _os.write(self._hunger_w, b"!")
        return real(self)

    monkeypatch.setattr(w.Helper, "frame", hungry)
    before = w.KEYED_HERE
    there = _import(src, tmp_path / "there.sqlite")
    assert w.KEYED_HERE - before >= 2  # batches the helper left unkeyed (it looks once a batch)
    assert there == here
    assert _full_dump(tmp_path / "there.sqlite") == _full_dump(tmp_path / "here.sqlite")


def test_helper_read_reports_a_late_error_like_reading_here(tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as w

    src = tmp_path / "late.tmx"
    src.write_text(MIXED_TMX.format(units=_mixed_units(900) + '<tu><tuv><seg>no language</seg></tuv></tu>\n'), encoding="utf-8")
    db = tmp_path / "new" / "tm.sqlite"
    with pytest.raises(ParseError) as here:
        _import(src, db)
    monkeypatch.setattr(w, "READ_ELSEWHERE", 0)
    with pytest.raises(ParseError) as there:
        _import(src, db)
    assert type(there.value) is type(here.value) and str(there.value) == str(here.value)
    assert "xml:lang" in str(here.value) and here.value.line == 905
    assert sorted(os.listdir(tmp_path)) == ["late.tmx"]  # no store, no build, no directory


def test_helper_read_finishes_here_when_the_helper_dies(tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as w

    src = tmp_path / "mixed.tmx"
    src.write_text(MIXED_TMX.format(units=_mixed_units(1400)), encoding="utf-8")
    here = _import(src, tmp_path / "here.sqlite")
    monkeypatch.setattr(w, "READ_ELSEWHERE", 0)
    real = w.Helper.frame
    calls = [0]

    def dying(self: w.Helper) -> object:
        calls[0] += 1
        if calls[0] == 4:
            self.proc.kill()  # the frames already read are taken, then the rest is read here
            self.proc.wait()
        return real(self)

    monkeypatch.setattr(w.Helper, "frame", dying)
    there = _import(src, tmp_path / "there.sqlite")
    assert calls[0] >= 4
    assert there == here
    assert _full_dump(tmp_path / "there.sqlite") == _full_dump(tmp_path / "here.sqlite")
