"""Exports under operating-system faults: full disk, read-only files and directories, kill -9.

Each fault must give ONE line ``ctlex: error: FILE: …`` on stderr and exit status 2 (never a
traceback), leave the old file byte-for-byte intact and leave no temporary file behind; after a
``kill -9`` mid-export the next export removes the dead writer's temporary file.  A real full disk
is a 64 KiB tmpfs (mounted when the tests run as root; skipped otherwise); the same path is also
driven by a fault-injecting file wrapper, which needs no privileges.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ctlex import formats
from ctlex.errors import WriteError
from ctlex.formats import _io
from ctlex.glossary import Glossary
from ctlex.segment import Segment

GLOSSARY_FORMATS = sorted(n for n, f in formats.FORMATS.items() if f.glossary)
SEGMENT_FORMATS = sorted(n for n, f in formats.FORMATS.items() if f.segments)
ROOT = Path(__file__).resolve().parents[1]


def _ext(name: str) -> str:
    return formats.FORMATS[name].extensions[0]


def _ctlex(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "ctlex", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def _one_line_error(r: subprocess.CompletedProcess[str], path: Path, reason: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"ctlex: error: {path}: cannot write (") and reason in lines[0], lines[0]


def _mount(tmp_path: Path, name: str, options: str) -> Path:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / name
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    return mnt


@pytest.fixture()
def small_disk(tmp_path: Path):
    mnt = _mount(tmp_path, "disk", "size=64k,mode=0777")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture()
def gpath(mini_glossary: Glossary, tmp_path: Path) -> Path:
    p = tmp_path / "mini.tbx"
    formats.write_glossary(mini_glossary, p)
    return p


# -- full disk --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tbx", "tbx2", "xlsx", "tmx", "xliff"])
def test_full_disk_is_one_line_exit_2_old_file_intact_no_temp(fmt: str, small_disk: Path) -> None:
    out = small_disk / f"out{_ext(fmt)}"
    old = b"the previous export\n"
    out.write_bytes(old)
    r = _ctlex("export", "--format", fmt, "-o", str(out))  # the shipped glossary / TM: far over 64 KiB
    _one_line_error(r, out, "No space left on device")
    assert "the old file is unchanged" in r.stderr
    assert out.read_bytes() == old
    assert os.listdir(small_disk) == [out.name]


def test_full_disk_without_an_old_file_leaves_nothing(small_disk: Path) -> None:
    out = small_disk / "new.tbx2"
    r = _ctlex("export", "--format", "tbx2", "-o", str(out))
    _one_line_error(r, out, "No space left on device")
    assert os.listdir(small_disk) == []


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_injected_enospc_every_glossary_format(fmt: str, mini_glossary: Glossary, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / f"g{_ext(fmt)}"
    formats.write_glossary(mini_glossary, p, format=fmt)
    before = p.read_bytes()
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match=r"cannot write \(No space left on device\); the old file is unchanged"):
        formats.write_glossary(mini_glossary, p, format=fmt)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == [p.name]


@pytest.mark.parametrize("fmt", SEGMENT_FORMATS)
def test_injected_enospc_mid_stream_every_segment_format(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / f"s{_ext(fmt)}"
    segs = [Segment(f"جملة {i}", f"sentence {i}", id=str(i)) for i in range(500)]
    formats.write_segments(segs, p, format=fmt)
    before = p.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **kw: _FullAfter(real_fdopen(fd, *a, **kw), 4096))
    with pytest.raises(WriteError, match="No space left on device"):
        formats.write_segments(segs, p, format=fmt)
    monkeypatch.undo()
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == [p.name]


class _FullAfter:
    """A file whose writes fail with ENOSPC once ``limit`` characters are written (a full disk)."""

    def __init__(self, f, limit: int) -> None:
        self._f, self._left = f, limit

    def write(self, data):
        self._left -= len(data)
        if self._left < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)


# -- read-only files and directories ----------------------------------------------------------------


def test_read_only_file_is_refused_not_replaced(gpath: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked.tbx"
    out.write_bytes(b"keep me")
    out.chmod(0o444)
    r = _ctlex("export", "--format", "tbx", "-o", str(out), "--glossary", str(gpath))
    _one_line_error(r, out, "read-only")
    assert out.read_bytes() == b"keep me"
    assert sorted(os.listdir(tmp_path)) == ["locked.tbx", "mini.tbx"]


def test_read_only_directory(gpath: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root ignores directory permissions: use a read-only file system
        d = _mount(tmp_path, "ro", "size=64k,ro")
    else:
        d = tmp_path / "ro"
        d.mkdir()
        d.chmod(0o555)
    try:
        out = d / "out.tbx"
        r = _ctlex("export", "--format", "tbx", "-o", str(out), "--glossary", str(gpath))
        _one_line_error(r, out, "Read-only file system" if os.geteuid() == 0 else "Permission denied")
        assert os.listdir(d) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(d)], check=False)
        else:
            d.chmod(0o755)


def test_missing_directory_is_one_line(gpath: Path, tmp_path: Path) -> None:
    out = tmp_path / "nope" / "out.tbx"
    r = _ctlex("export", "--format", "tbx", "-o", str(out), "--glossary", str(gpath))
    _one_line_error(r, out, "no such directory")


# -- kill -9 mid-export -------------------------------------------------------------------------------


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from ctlex import exchange
    from ctlex.segment import Segment

    def segments():
        for i in range(5000):
            if i == 3000:
                print("ready", flush=True)
                time.sleep(60)  # killed here, with the temporary file half written
            yield Segment("جملة %d" % i, "sentence %d" % i, id=str(i))

    exchange.export_segments(segments(), sys.argv[1], "tmx")
""")


def test_kill_9_mid_export_keeps_old_file_and_next_run_removes_the_temp(tmp_path: Path) -> None:
    out = tmp_path / "tm.tmx"
    formats.write_segments([Segment("قديم", "old", id="old")], out, format="tmx")
    before = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        temps = [n for n in os.listdir(tmp_path) if n != out.name]
        assert len(temps) == 1 and temps[0].startswith(f".{out.name}.{proc.pid}.") and temps[0].endswith(".tmp")
        assert (tmp_path / temps[0]).stat().st_size > 0  # half written, then killed
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert out.read_bytes() == before  # the old file is intact
    assert len(os.listdir(tmp_path)) == 2  # the dead writer's temporary file is still there ...
    r = _ctlex("export", "--format", "tmx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert os.listdir(tmp_path) == [out.name]  # ... until the next export of the file removes it
    assert len(list(formats.read_segments(out))) > 1


def test_a_live_writers_temp_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    live = tmp_path / f".g.tbx.{os.getpid()}.abc.tmp"
    live.write_text("another writer, still running")
    dead_pid = _dead_pid()
    dead = tmp_path / f".g.tbx.{dead_pid}.xyz.tmp"
    dead.write_text("left by a killed writer")
    assert _io.clean_stale_temps(out) == [dead.name]
    assert live.exists() and not dead.exists()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    time.sleep(0.05)
    return p.pid


@pytest.mark.parametrize("fmt", ["tbx", "tbx2", "xlsx"])
def test_a_control_character_xml_cannot_carry_is_one_line_not_a_traceback(fmt: str, tmp_path: Path) -> None:
    src = tmp_path / "g.csv"  # a table can hold what XML and worksheets cannot
    src.write_text("ID,Definition,ar,en\r\nx,bad\x02definition,مصطلح,term\r\n", encoding="utf-8")
    out = tmp_path / f"out{_ext(fmt)}"
    r = _ctlex("export", "--format", fmt, "-o", str(out), "--glossary", str(src))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("ctlex: error: concept 'x': ") and len(r.stderr.splitlines()) == 1
    assert "control character" in r.stderr
    assert not out.exists() and os.listdir(tmp_path) == ["g.csv"]
