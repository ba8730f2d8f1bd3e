"""Normalizing an import's segments, in a helper process for large imports."""

from __future__ import annotations

from typing import Any, Generator, Iterable, Iterator

from ..segment import Segment
from .keys import orient, pair_keys

BATCH = 5000  # segments per executemany
_SERIAL_BATCHES = 10  # imports longer than this many batches normalize in a helper process


def keyed_batches(segments: Iterable[Segment]) -> Generator[tuple[list[Segment], list[tuple[str, str, int]]], None, None]:
    """Batches of (oriented) segments with their :func:`pair_keys`.

    Normalizing is the largest share of an import's own work.  Past the first few batches (that
    is, in a large import) it moves to one helper process, which works one or two batches ahead
    while this process parses and writes: the two halves run on two cores.  Where no process
    can be started, everything stays in this one.
    """
    import itertools

    it = iter(segments)

    def batches() -> Iterator[list[Segment]]:
        while True:
            b = [orient(s) for s in itertools.islice(it, BATCH)]
            if not b:
                return
            yield b

    gen = batches()
    for b in itertools.islice(gen, _SERIAL_BATCHES):
        yield b, pair_keys([(s.source, s.target) for s in b])
    first = next(gen, None)
    if first is None:
        return
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    except (ImportError, OSError, NotImplementedError):  # pragma: no cover - no processes here
        for b in itertools.chain([first], gen):
            yield b, pair_keys([(s.source, s.target) for s in b])
        return
    from collections import deque

    with pool:
        pending: deque[tuple[list[Segment], Any]] = deque()
        try:
            for b in itertools.chain([first], gen):
                pending.append((b, pool.submit(pair_keys, [(s.source, s.target) for s in b])))
                if len(pending) > 2:
                    b, keyed = pending.popleft()
                    yield b, keyed.result()
            while pending:
                b, keyed = pending.popleft()
                yield b, keyed.result()
        finally:
            for _, f in pending:
                f.cancel()
