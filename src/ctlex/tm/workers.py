"""Normalizing an import's segments, in a helper process for large imports.

Normalizing is the largest share of an import's own work.  Past the first few batches (that is,
in a large import) it moves to one helper process, which works a batch or two ahead while this
process parses and writes: the two halves run on two cores.

The helper is a plain child process (``python -c``, this package on its path) spoken to over
its standard input and output: length-prefixed pickles of unit fields in, of unit keys out.  It
does not re-import the caller's ``__main__`` (a script without an ``if __name__ == "__main__"``
guard works), it dies with its parent (the parent's end of the pipe closes; on Linux also
``PR_SET_PDEATHSIG``), and where it cannot be started or fails, the work stays in this process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from typing import IO, Any, Generator, Iterable, Iterator

from ..segment import Segment
from .keys import UnitFields, orient, unit_fields, unit_keys
from .postings import IndexBuilder, Numbered, number_words

BATCH = 5000  # segments per executemany
_SERIAL_BATCHES = 2  # imports longer than this many batches normalize in a helper process (starting it costs about one batch)
_AHEAD = 2  # batches the helper may hold beyond the one being written

_SERVE = "from ctlex.tm.workers import serve; serve()"
STARTED = 0  # helper processes started by this process (for tests and benchmarks)


#: what an import needs of each unit: its source key's length, dkey and ukey (see unit_keys)
ImportKeys = tuple[int, int, int]


def _keys_and_numbers(units: list[UnitFields], words: dict[str, int], twords: dict[str, int]) -> tuple[list[ImportKeys], Numbered]:
    keyed = unit_keys(units)
    return [(len(s), d, u) for s, _, d, u in keyed], number_words(words, twords, keyed)


def serve() -> None:  # pragma: no cover - runs in the helper process (tested through keyed_batches)
    """The helper's loop until EOF: a ``("words", source words, target words)`` frame sets the
    numbering to continue; a batch of unit fields is answered with its keys and word numbers."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    words: dict[str, int] = {}
    twords: dict[str, int] = {}
    while True:
        frame = _read_frame(inp)
        if frame is None:
            return
        if isinstance(frame, tuple):
            words = {w: i for i, w in enumerate(frame[1])}
            twords = {w: i for i, w in enumerate(frame[2])}
            continue
        _write_frame(out, _keys_and_numbers(frame, words, twords))


def _write_frame(f: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)
    f.flush()


def _read_frame(f: IO[bytes]) -> Any:
    head = f.read(8)
    if len(head) < 8:
        return None
    n = int.from_bytes(head, "little")
    data = f.read(n)
    if len(data) < n:
        return None
    return pickle.loads(data)


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
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, close_fds=True, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        global STARTED
        STARTED += 1
        self._queue: deque[Any] = deque()
        self._ready = threading.Condition()
        self._failed = False
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

    def result(self) -> tuple[list[ImportKeys], Numbered]:
        """The keys of the oldest batch not yet answered (``OSError`` if the helper failed)."""
        assert self.proc.stdout is not None
        try:
            out = _read_frame(self.proc.stdout)
        except (pickle.UnpicklingError, EOFError, ValueError) as e:
            raise OSError(f"helper process: {e}") from None
        if out is None:
            raise OSError("helper process stopped")
        return out  # type: ignore[no-any-return]

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
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def keyed_batches(segments: Iterable[Segment], index: IndexBuilder) -> Generator[tuple[list[Segment], list[ImportKeys], Numbered], None, None]:
    """Batches of (oriented) segments with their :data:`ImportKeys` and word numbers
    (:func:`ctlex.tm.postings.number_words`, continuing ``index``'s, which learns the new words),
    worked out in a :class:`Helper` process past the first few batches.  Closing the generator
    stops the helper."""
    import itertools

    it = iter(segments)

    def batches() -> Iterator[list[Segment]]:
        while True:
            b = [orient(s) for s in itertools.islice(it, BATCH)]
            if not b:
                return
            yield b

    def here(b: list[Segment]) -> tuple[list[ImportKeys], Numbered]:
        return _keys_and_numbers([unit_fields(s) for s in b], index.words, index.twords)

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
    if helper is not None:
        helper.submit(("words", list(index.words), list(index.twords)))  # number on from here
    pending: deque[list[Segment]] = deque()

    def take(done: list[Segment]) -> tuple[list[ImportKeys], Numbered]:
        nonlocal helper
        if helper is not None:
            try:
                keys, numbered = helper.result()
                index.learn(numbered)
                return keys, numbered
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
                helper.submit([unit_fields(s) for s in b])
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
