"""Keying an import's units, in a helper process for large imports.

Reading and normalizing are the largest shares of an import's own work.  Past the first few
batches (that is, in a large import) the search keys are made in one helper process, which
works a batch or two ahead while this process hashes the keys, numbers their words and writes:
the two halves run on two cores.  A large TMX file is read in the helper too (its units come
over with their keys).

The helper is a plain child process (``python -c``, this package on its path) spoken to over
its standard input and output: length-prefixed pickles of texts in, of their search keys out.  It
does not re-import the caller's ``__main__`` (a script without an ``if __name__ == "__main__"``
guard works), it dies with its parent (the parent's end of the pipe closes; on Linux also
``PR_SET_PDEATHSIG``), and where it cannot be started or fails, the work stays in this process.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from typing import IO, Any, Generator, Iterable, Iterator

from ..segment import Segment
from .keys import orient, search_key, to_json, unit_hashes
from .postings import IndexBuilder, Numbered

BATCH = 5000  # segments per executemany
_SERIAL_BATCHES = 2  # imports longer than this many batches normalize in a helper process (starting it costs about one batch)
_AHEAD = 2  # batches the helper may hold beyond the one being written

_SERVE = "from ctlex.tm.workers import serve; serve()"
STARTED = 0  # helper processes started by this process (for tests and benchmarks)
KEYED_HERE = 0  # batches a helper read but left to this process to key (see _serve_read; for tests and benchmarks)


#: what an import needs of each unit: its source key's length, dkey and ukey (see unit_keys)
ImportKeys = tuple[int, int, int]

#: a unit as an import handles it (no object a unit): the fields of a Segment, in order, its
#: props as stored (JSON, or None for none; see :func:`rows_of`)
Row = tuple[Any, ...]

#: a batch's search keys: the source keys, the target keys
KeyTexts = tuple[list[str], list[str]]


def rows_of(segments: Iterable[Segment]) -> list[Row]:
    """The :data:`Row`\\ s of a batch of segments, oriented (:func:`ctlex.tm.keys.orient`).  A run of
    units with equal props (the units of one file often carry the same) shares one JSON text, and
    the language codes are interned: a pickle of the batch carries each once."""
    out: list[Row] = []
    append, intern = out.append, sys.intern
    last: dict[str, str] | None = None
    last_json = None
    for seg in segments:
        seg = orient(seg)
        props = seg.props
        if props and props != last:
            last, last_json = props, to_json(props)
        append((seg.source, seg.target, intern(seg.source_lang), intern(seg.target_lang), seg.id, seg.origin,
                last_json if props else None, seg.note, seg.created, seg.changed))
    return out


def segment_of(row: Row) -> Segment:
    """The segment of a :data:`Row`."""
    source, target, sl, tl, uid, origin, props, note, created, changed = row
    return Segment(source, target, sl, tl, uid, origin, json.loads(props) if props else {}, note, created, changed)


def key_texts(rows: list[Row]) -> KeyTexts:
    """The search keys of a batch's units (each normalized once): the helper's share of keying."""
    return [search_key(r[0]) for r in rows], [search_key(r[1]) for r in rows]


def import_keys(rows: list[Row], keys: KeyTexts, index: IndexBuilder) -> tuple[list[ImportKeys], Numbered]:
    """What an import needs of a batch's units from their search keys (:func:`key_texts`): each
    one's :data:`ImportKeys`, and the word numbers of the keys (``index`` learns the new words).
    The importing process's share of keying (the keys themselves are not kept)."""
    skeys, tkeys = keys
    dkeys, ukeys = unit_hashes(rows, skeys, tkeys)
    return list(zip(map(len, skeys), dkeys, ukeys)), index.number(skeys, tkeys)


def serve() -> None:  # pragma: no cover - runs in the helper process (tested through keyed_batches)
    """The helper's loop until EOF: a batch of ``(source, target)`` pairs is answered with their
    :data:`KeyTexts`; ``("read", path, batch size)`` reads a TMX file here."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        frame = _read_frame(inp)
        if frame is None:
            return
        if isinstance(frame, tuple) and frame[0] == "read":
            _serve_read(out, *frame[1:])
            continue
        _write_frame(out, key_texts(frame))


def _offset(real: str) -> int | None:  # pragma: no cover - helper side
    """How far this process has read the file ``real`` (its descriptor's offset; Linux), else None."""
    try:
        for fd in os.listdir("/proc/self/fd"):
            if os.readlink(f"/proc/self/fd/{fd}") == real:
                with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as f:
                    return int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _serve_read(out: IO[bytes], path: str, batch: int, hunger: int | None = None) -> None:  # pragma: no cover - helper side
    """Read a TMX file here: ``("batch", rows, key texts, offset)`` frames, then ``("done",
    report)``, or ``("error", type, reason, path, line, column)`` where reading stops.  Reading
    costs about what the rest of the import costs the importing process, so the hashing and the
    word numbering are left to it.  The two halves balance themselves: when the importing process
    found no batch ready (it wrote a byte to the pipe ``hunger``), the next batch goes unkeyed
    (``None`` for its key texts) and that process makes its keys."""
    import itertools

    from .. import formats
    from ..errors import ParseError

    rep = formats.ReadReport(path)
    real = os.path.realpath(path)
    if hunger is not None:
        os.set_blocking(hunger, False)
    try:
        it = formats.read_segments(path, "tmx", report=rep)
        while True:
            rows = rows_of(itertools.islice(it, batch))
            if not rows:
                break
            _write_frame(out, ("batch", rows, None if _hungry(hunger) else key_texts(rows), _offset(real)))
        _write_frame(out, ("done", rep))
    except ParseError as e:
        _write_frame(out, ("error", type(e), e.reason, e.path, e.line, e.column))
    except Exception as e:
        _write_frame(out, ("error", ParseError, f"cannot read ({e})", path, None, None))


def _hungry(fd: int | None) -> bool:  # pragma: no cover - helper side
    """Whether the importing process waited for a batch since the last look (it wrote to ``fd``)."""
    if fd is None:
        return False
    try:
        return bool(os.read(fd, 4096))
    except OSError:  # nothing written (BlockingIOError), or the pipe is gone
        return False


def _write_frame(f: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)
    f.flush()


def _read_frame(f: IO[bytes]) -> Any:
    data = _read_raw(f)
    return None if data is None else pickle.loads(data)


def _read_raw(f: IO[bytes]) -> bytes | None:
    head = f.read(8)
    if len(head) < 8:
        return None
    n = int.from_bytes(head, "little")
    data = f.read(n)
    if len(data) < n:
        return None
    return data


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Helper:
    """One helper process; :meth:`submit` batches, :meth:`result` their keys in the same order."""

    def __init__(self) -> None:
        import ctlex

        root = os.path.dirname(os.path.dirname(os.path.abspath(ctlex.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        # a pipe to say "I am waiting for a batch" (see _serve_read): its read end is the helper's
        self.hunger: int | None = None  # the helper's descriptor of it
        self._hunger_w: int | None = None
        fds: tuple[int, ...] = ()
        if os.name == "posix":
            self.hunger, self._hunger_w = os.pipe()
            os.set_blocking(self._hunger_w, False)
            fds = (self.hunger,)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env, close_fds=True, pass_fds=fds, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        except BaseException:
            self._close_hunger()
            raise
        finally:
            if self.hunger is not None:
                os.close(self.hunger)  # the helper's end (it keeps the number)
        global STARTED
        STARTED += 1
        self._queue: deque[Any] = deque()
        self._ready = threading.Condition()
        self._failed = False
        self._frames: Any = None  # frames read ahead (see frame) by self._reader
        self._reader: threading.Thread | None = None
        # a writer thread: the parent must never block writing a batch while the helper blocks
        # writing a result (both pipes full)
        self._writer = threading.Thread(target=self._write_loop, name="ctlex-tm-helper-writer", daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            while True:
                with self._ready:
                    while not self._queue:
                        self._ready.wait()
                    units = self._queue.popleft()
                if units is None:
                    break
                _write_frame(stdin, units)
        except (OSError, ValueError):
            self._failed = True
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def submit(self, units: Any) -> None:
        """Queue a frame: a batch of unit fields (answered in order) or the words to number from."""
        with self._ready:
            self._queue.append(units)
            self._ready.notify()

    def frame(self) -> Any:
        """The next frame the helper wrote (``OSError`` if the helper failed), read ahead by a
        thread (up to :data:`_AHEAD` frames): the helper never waits for this process to be
        ready for its next batch."""
        if self._frames is None:
            import queue

            self._frames = queue.Queue(maxsize=_AHEAD)
            self._reader = threading.Thread(target=self._read_loop, name="ctlex-tm-helper-reader", daemon=True)
            self._reader.start()
        if self._hunger_w is not None and self._frames.empty():  # about to wait: the helper leaves it a batch to key
            try:
                os.write(self._hunger_w, b"!")
            except OSError:  # full (the helper has not looked yet) or gone
                pass
        data = self._frames.get()
        try:
            out = None if data is None else pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError) as e:
            raise OSError(f"helper process: {e}") from None
        if out is None:
            raise OSError("helper process stopped")
        return out

    def _read_loop(self) -> None:
        assert self.proc.stdout is not None and self._frames is not None
        while True:
            try:
                data = _read_raw(self.proc.stdout)
            except (OSError, ValueError):
                data = None
            self._frames.put(data)
            if data is None:
                return

    def result(self) -> KeyTexts:
        """The keys of the oldest batch not yet answered (``OSError`` if the helper failed)."""
        assert self.proc.stdout is not None
        try:
            out = _read_frame(self.proc.stdout)
        except (pickle.UnpicklingError, EOFError, ValueError) as e:
            raise OSError(f"helper process: {e}") from None
        if out is None:
            raise OSError("helper process stopped")
        return out  # type: ignore[no-any-return]

    def _close_hunger(self) -> None:
        if self._hunger_w is not None:
            os.close(self._hunger_w)
            self._hunger_w = None

    def close(self) -> None:
        """Stop the helper (at once: any batch still queued is abandoned)."""
        with self._ready:
            self._queue.clear()
            self._queue.append(None)
            self._ready.notify()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._writer.join(timeout=5)
        if self._frames is not None:  # the reader thread sees the pipe end: let it put its last frame and stop
            import queue

            while self._reader is not None and self._reader.is_alive():
                try:
                    self._frames.get(timeout=0.05)
                except queue.Empty:
                    pass
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._close_hunger()


Batch = tuple[list[Row], list[ImportKeys], Numbered]


def keyed_batches(segments: Iterable[Segment], index: IndexBuilder) -> Generator[Batch, None, None]:
    """Batches of (oriented) units (:data:`Row`) with their :data:`ImportKeys` and word numbers
    (:func:`ctlex.tm.postings.number_words`, continuing ``index``'s, which learns the new words),
    the search keys worked out in a :class:`Helper` process past the first few batches.  A TMX file of
    :data:`READ_ELSEWHERE` bytes or more among :func:`ctlex.tm.sources.read_files`' is read in
    the helper process too (:func:`_read_in_helper`): this process then only writes.  Closing the
    generator stops the helper."""
    from .sources import FileSegments

    if isinstance(segments, FileSegments):
        for p in segments.paths:
            if segments.is_tmx(p) and _size(p) >= READ_ELSEWHERE:
                yield from _read_in_helper(segments, p, index)
            else:
                yield from _keyed(segments.read(p, segments.open(p)), index)
        return
    yield from _keyed(segments, index)


READ_ELSEWHERE = 8 << 20  # a TMX file this large is read (and normalized) in the helper process


def _size(path: Any) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # read here, which says what is wrong


def _read_in_helper(files: Any, path: Any, index: IndexBuilder) -> Generator[Batch, None, None]:
    """The batches of one TMX file, read, oriented and their search keys made by a
    :class:`Helper` (hashed and numbered here, continuing ``index``'s numbers).  If the
    helper cannot start or dies, the file is read here from where it stopped (the report starts
    again with it: it counts the whole file either way); the same errors are raised as reading it
    here would raise."""
    rep = files.open(path)
    at = files.reads.index(rep)
    n = 0
    # the file open here too, at the helper's offset: progress shown from this process's open
    # files (the CLI's, through /proc/self/fdinfo) sees how far the reading is
    try:
        mirror: IO[bytes] | None = open(path, "rb")
    except OSError:
        mirror = None
    try:
        helper: Helper | None = Helper()
    except OSError:  # pragma: no cover - no processes here
        helper = None
    try:
        if helper is not None:
            helper.submit(("read", os.fspath(path), BATCH, helper.hunger))
        while helper is not None:
            try:
                frame = helper.frame()
            except OSError:  # the helper died: the rest is read here
                helper.close()
                helper = None
                break
            kind = frame[0]
            if kind == "batch":
                _, rows, keys, offset = frame
                if mirror is not None and offset is not None:
                    mirror.seek(offset)
                n += len(rows)
                if keys is None:  # left to this process (it had been waiting)
                    global KEYED_HERE
                    KEYED_HERE += 1
                    keys = key_texts(rows)
                yield (rows, *import_keys(rows, keys, index))
            elif kind == "done":
                files.reads[at] = frame[1]
                files.check(path, frame[1], n)
                return
            else:
                _, cls, reason, epath, line, column = frame
                raise cls(reason, epath, line, column)
    finally:
        if mirror is not None:
            mirror.close()
        if helper is not None:
            helper.close()
    rep = files.reads[at] = type(rep)(rep.path)
    yield from _keyed(files.read(path, rep, skip=n), index)


def _keyed(segments: Iterable[Segment], index: IndexBuilder) -> Generator[Batch, None, None]:
    import itertools

    it = iter(segments)

    def batches() -> Iterator[list[Row]]:
        while True:
            b = rows_of(itertools.islice(it, BATCH))
            if not b:
                return
            yield b

    def here(b: list[Row]) -> tuple[list[ImportKeys], Numbered]:
        return import_keys(b, key_texts(b), index)

    gen = batches()
    for b in itertools.islice(gen, _SERIAL_BATCHES):
        yield (b, *here(b))
    first = next(gen, None)
    if first is None:
        return
    try:
        helper: Helper | None = Helper()
    except OSError:  # pragma: no cover - no processes here
        helper = None
    pending: deque[list[Row]] = deque()

    def take(done: list[Row]) -> tuple[list[ImportKeys], Numbered]:
        nonlocal helper
        if helper is not None:
            try:
                return import_keys(done, helper.result(), index)
            except OSError:  # the helper died: the rest is done here, in order
                helper.close()
                helper = None
        return here(done)

    try:
        for b in itertools.chain([first], gen):
            if helper is None and not pending:
                yield (b, *here(b))
                continue
            if helper is not None:
                helper.submit([r[:2] for r in b])
            pending.append(b)
            if len(pending) > _AHEAD:
                done = pending.popleft()
                yield (done, *take(done))
        while pending:
            done = pending.popleft()
            yield (done, *take(done))
    finally:
        if helper is not None:
            helper.close()
