"""The inverted index: postings chunks (packed segment ids per key) and the builder that writes them."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from .keys import TARGET, native_tm

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

FLUSH_POSTINGS = 64_000_000  # word tokens held in memory (4 bytes each) before the index is written (a chunk per key)

_WIDTHS = {1: "u1", 2: "<u2", 4: "<u4"}


def unpack_ids(blob: bytes) -> Any:
    """The segment ids of one postings chunk (see :func:`postings_rows`) as a numpy array."""
    import numpy as np

    width = blob[0]
    ids = np.empty((len(blob) - 5) // width + 1, dtype=np.int64)
    ids[0] = int.from_bytes(blob[1:5], "little")
    ids[1:] = np.frombuffer(blob, dtype=_WIDTHS[width], offset=5)
    return np.cumsum(ids, out=ids)


class IndexBuilder:
    """Collects the index keys of the segments an import adds and writes them as postings.

    Each new segment contributes its source words, its source word *bigrams* (``"w1 w2"``; a key
    word never holds a space) and its target words (prefixed with :data:`TARGET`), each once,
    plus the length of its source key (``seglen``).  Words are numbered as they come (for the whole
    import), held in flat ``array``\\ s, and turned into postings with numpy when :meth:`flush` is
    called: one sort of ``key << bits | segment`` per kind of key, then one ``(token, n, ids)`` row
    per distinct key.
    """

    def __init__(self) -> None:
        self.words: dict[str, int] = {}  # source word -> number
        self.twords: dict[str, int] = {}  # target word -> number
        self.src = array("i")  # source word numbers, segment after segment
        self.tgt = array("i")
        self.src_n = array("i")  # words per segment
        self.tgt_n = array("i")
        self.rids = array("i")  # segment ids (consecutive)
        self.lens = array("i")  # source key length per segment
        self._tables: Any = None  # the compiled word tables of words and twords (see number)

    @property
    def pending(self) -> int:
        return len(self.src) + len(self.tgt)

    def add(self, rid: int, skey: str, tkey: str) -> None:
        sw, tw = skey.split(), tkey.split()
        try:  # the usual case: every word numbered already
            w = self.words
            s = list(map(w.__getitem__, sw))
        except KeyError:
            s = [_number(w, x) for x in sw]
        try:
            w = self.twords
            t = list(map(w.__getitem__, tw))
        except KeyError:
            t = [_number(w, x) for x in tw]
        self.src.extend(s)
        self.tgt.extend(t)
        self.src_n.append(len(s))
        self.tgt_n.append(len(t))
        self.rids.append(rid)
        self.lens.append(len(skey))

    def number(self, skeys: Sequence[str], tkeys: Sequence[str]) -> "Numbered":
        """:func:`number_words` of a batch's keys, continuing this builder's numbers, through the
        compiled word tables of :mod:`ctlex._native_tm` when it is there (the same numbers)."""
        if self._tables is None:
            native = native_tm()
            self._tables = False if native is None else (native.WordTable(self.words), native.WordTable(self.twords))
        if not self._tables:
            return number_words(self.words, self.twords, skeys, tkeys)
        src, src_n, fresh = self._tables[0].number(skeys)
        tgt, tgt_n, tfresh = self._tables[1].number(tkeys)
        return src, src_n, tgt, tgt_n, fresh, tfresh

    def add_batch(self, rids: list[int], lens: list[int], indexed: list[bool], numbered: "Numbered") -> None:
        """Add the units of a batch whose ``indexed`` flag is set, from the batch's word numbers
        (:func:`number_words`): ids ``rids`` and source key lengths ``lens``, in order."""
        import numpy as np

        if not rids:
            return
        if len(rids) == len(indexed):  # every unit of the batch: its numbers as they are
            for words, counts, out, out_n in ((numbered[0], numbered[1], self.src, self.src_n),
                                              (numbered[2], numbered[3], self.tgt, self.tgt_n)):
                out.frombytes(words)
                out_n.frombytes(counts)
            self.rids.extend(rids)
            self.lens.extend(lens)
            return
        keep = np.asarray(indexed, dtype=bool)
        for words, counts, out, out_n in ((numbered[0], numbered[1], self.src, self.src_n),
                                          (numbered[2], numbered[3], self.tgt, self.tgt_n)):
            n = np.frombuffer(counts, dtype=np.int32)
            out.frombytes(np.frombuffer(words, dtype=np.int32)[np.repeat(keep, n)].tobytes())
            out_n.frombytes(n[keep].tobytes())
        self.rids.extend(rids)
        self.lens.extend(lens)

    def take(self) -> Callable[["sqlite3.Connection"], None]:
        """A job that writes the postings collected so far; the builder starts afresh."""
        state = (self.src, self.tgt, self.src_n, self.tgt_n, self.rids, self.lens, list(self.words), list(self.twords))
        self.src, self.tgt, self.src_n, self.tgt_n, self.rids, self.lens = (array("i") for _ in range(6))
        return lambda db: write_postings(db, *state)


def write_postings(db: "sqlite3.Connection", src: array, tgt: array, src_n: array, tgt_n: array, rids_: array,
                    lens_: array, words: list[str], twords: list[str]) -> None:
    """Write an :class:`IndexBuilder`'s collected keys: ``seglen`` runs and one postings chunk per key.

    The keys are sorted a range of key numbers at a time (:func:`_pieces`, about :data:`PIECE`
    postings each), so the memory this takes beyond the builder's arrays stays bounded however
    many segments one pass indexes.  A piece is inserted while the next one is worked out in a
    thread (:func:`_ahead`): numpy's sorts and SQLite's writes run without the GIL, so the two
    overlap on two cores.
    """
    if not rids_:
        return
    import numpy as np

    nseg = len(rids_)
    rids = np.frombuffer(rids_, dtype=np.int32)
    lens = np.frombuffer(lens_, dtype=np.int32).astype("<i4")
    runs = np.r_[0, np.flatnonzero(np.diff(rids) != 1) + 1, nseg].tolist()  # consecutive ids share a row
    db.executemany("INSERT INTO seglen (first, lens) VALUES (?, ?)",
                   [(int(rids[a]), lens[a:b].tobytes()) for a, b in zip(runs, runs[1:])])
    put = "INSERT INTO postings (token, n, ids) VALUES (?,?,?)"
    for rows in _ahead(_row_pieces(src, tgt, src_n, tgt_n, rids.astype(np.int64), words, twords)):
        db.executemany(put, rows)


def _row_pieces(src: array, tgt: array, src_n: array, tgt_n: array, rids: Any, words: list[str],
                twords: list[str]) -> Iterator[list[tuple[str, int, bytes]]]:
    """The postings rows of :func:`write_postings`, a piece at a time: source word bigrams (a word
    and the next one in the same segment), source words, target words."""
    import numpy as np

    bits = max(1, len(rids).bit_length())
    tok = np.frombuffer(src, np.int32)
    counts = np.frombuffer(src_n, np.int32)
    seg = _segments(counts)
    ends = (np.cumsum(counts, dtype=np.int64) - 1)[counts > 0]  # each segment's last word
    v = len(words)
    first = np.bincount(tok, minlength=v) - np.bincount(tok[ends], minlength=v)  # bigrams by first word
    pieces = _pieces(first)
    piece = _piece_of(tok, pieces, v)
    piece[ends] = -1  # a segment's last word starts no bigram
    for p in range(len(pieces)):
        at = np.flatnonzero(piece == p)
        code = tok[at].astype(np.int64)
        code *= v
        code += tok[at + 1]
        yield list(postings_rows(code, seg[at], bits, rids, lambda c: f"{words[c // v]} {words[c % v]}"))
        del at, code
    del piece
    yield from _word_pieces(tok, seg, bits, rids, len(words), words.__getitem__)
    del seg
    yield from _word_pieces(np.frombuffer(tgt, np.int32), _segments(np.frombuffer(tgt_n, np.int32)), bits, rids,
                            len(twords), lambda c: TARGET + twords[c])


def _ahead(pieces: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """``pieces``, each worked out in a thread while the caller uses the one before (one piece
    ahead at most).  An error of the thread is raised here; when the caller stops early (its own
    error), the thread stops at its next piece."""
    import queue
    import threading

    q: "queue.Queue[tuple[str, Any]]" = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for p in pieces:
                if not put(("piece", p)):
                    return
            put(("done", None))
        except BaseException as e:  # handed to the caller
            put(("error", e))

    t = threading.Thread(target=work, name="ctlex-postings", daemon=True)
    t.start()
    try:
        while True:
            kind, x = q.get()
            if kind == "piece":
                yield x
            elif kind == "error":
                raise x
            else:
                return
    finally:
        stop.set()
        t.join()


PIECE = 4_000_000  # postings sorted at a time when the index is written


def _pieces(freq: Any) -> list[tuple[int, int]]:
    """Ranges ``[lo, hi)`` of key numbers holding about :data:`PIECE` postings each (``freq``:
    postings per key number), in key order; a single key may exceed it."""
    import numpy as np

    cum = np.cumsum(freq)
    total = int(cum[-1]) if len(cum) else 0
    if total <= PIECE:
        return [(0, len(freq))]
    cuts = np.searchsorted(cum, np.arange(PIECE, total, PIECE), side="left") + 1
    bounds = np.unique(np.r_[0, cuts, len(freq)]).tolist()
    return list(zip(bounds[:-1], bounds[1:]))


def _piece_of(tok: Any, pieces: list[tuple[int, int]], v: int) -> Any:
    """The piece (:func:`_pieces`) of each key in ``tok``: one small integer a key, so that a
    piece's keys are found in one pass over it."""
    import numpy as np

    of = np.empty(v, dtype=np.int16 if len(pieces) < 32000 else np.int32)
    for p, (lo, hi) in enumerate(pieces):
        of[lo:hi] = p
    return of[tok]


def _segments(counts: Any) -> Any:
    """The (import-local) segment number of each word position, from the words per segment
    (looked up by position: no search a posting)."""
    import numpy as np

    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


def _word_pieces(tok: Any, seg: Any, bits: int, rids: Any, v: int,
                 name: Callable[[int], str]) -> Iterator[list[tuple[str, int, bytes]]]:
    """The postings rows of words ``tok`` (numbered below ``v``) in segments ``seg``, a piece at a time."""
    import numpy as np

    pieces = _pieces(np.bincount(tok, minlength=v))
    piece = _piece_of(tok, pieces, v)
    for p in range(len(pieces)):
        at = np.flatnonzero(piece == p)
        yield list(postings_rows(tok[at].astype(np.int64), seg[at], bits, rids, name))
        del at


#: a batch's word numbers: source word numbers (int32 bytes), source words per unit, the same
#: for the target side, then the source and target words numbered for the first time, in order
Numbered = tuple[bytes, bytes, bytes, bytes, list[str], list[str]]


def number_words(words: dict[str, int], twords: dict[str, int], skeys: Sequence[str], tkeys: Sequence[str]) -> Numbered:
    """Number the words of a batch's source and target keys; ``words`` and ``twords`` learn the
    new ones (numbered in order of first sight, continuing their numbers).  An import numbers
    through :meth:`IndexBuilder.number` (compiled tables, the same numbers)."""
    src, src_n, fresh = _number_side(words, skeys)
    tgt, tgt_n, tfresh = _number_side(twords, tkeys)
    return src, src_n, tgt, tgt_n, fresh, tfresh


def _number_side(numbers: dict[str, int], keys: Sequence[str]) -> tuple[bytes, bytes, list[str]]:
    """The word numbers of ``keys`` one after the other (int32 bytes), the words per key, and the
    words numbered for the first time.  The usual case takes a few C-level passes over the whole
    batch: a search key's words are joined by single spaces, so the batch's words are its keys
    joined and split, and a key has one word more than it has spaces."""
    joined = " ".join([k for k in keys if k])
    flat = joined.split()
    # exactly the form assumed (then the word counts below are those of splitting each key): no
    # white space but the space (isprintable is false for every other), one between words, none
    # at either end; else (a key with some other invisible character) each key is split
    if joined and (joined.count(" ") != len(flat) - 1 or not joined.isprintable()):
        per_key = [k.split() for k in keys]
        counts = list(map(len, per_key))
        flat = [w for ws in per_key for w in ws]
    else:
        counts = [k.count(" ") + 1 if k else 0 for k in keys]
    fresh: list[str] = []
    try:  # the usual case: every word numbered already
        got = list(map(numbers.__getitem__, flat))
    except KeyError:
        fresh = [w for w in dict.fromkeys(flat) if w not in numbers]  # in order of first sight
        for w in fresh:
            numbers[w] = len(numbers)
        got = list(map(numbers.__getitem__, flat))
    return array("i", got).tobytes(), array("i", counts).tobytes(), fresh


def _number(numbers: dict[str, int], word: str) -> int:
    n = numbers.get(word)
    if n is None:
        n = numbers[word] = len(numbers)
    return n


def postings_rows(keys: Any, local: Any, bits: int, rids: Any, name: Callable[[int], str]) -> Iterator[tuple[str, int, bytes]]:
    """``(token, n, packed ids)`` rows for the (key, segment) pairs ``keys[i], local[i]``, each pair once."""
    import numpy as np

    if not len(keys):
        return
    kmax = int(keys.max())
    if kmax.bit_length() + bits <= 62:  # one in-place sort of the packed pairs (``keys`` is consumed)
        keys <<= bits
        keys |= local
        keys.sort()
        if len(keys) > 1:  # a word twice in one segment is posted once
            keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        seg = keys & ((1 << bits) - 1)
        keys >>= bits
        k = keys
    else:  # pragma: no cover - vocabularies of millions of words
        order = np.lexsort((local, keys))
        k, seg = keys[order], local[order]
        new = np.ones(len(k), dtype=bool)
        new[1:] = (k[1:] != k[:-1]) | (seg[1:] != seg[:-1])
        k, seg = k[new], seg[new]
    del keys, local
    ids = rids[seg].astype(np.int64, copy=False)
    del seg
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    names = k[starts].tolist()
    del k
    native = native_tm()
    if native is not None:  # the same rows, packed in C
        yield from native.chunk_rows([name(x) for x in names], ids, starts.astype(np.int64, copy=False))
        return
    ends = np.r_[starts[1:], len(ids)].tolist()
    # a chunk is: width (1, 2 or 4), the first id (4 bytes), then the gaps to the next ids, each
    # in `width` bytes (little-endian): frequent keys cost a byte or two a posting
    gaps = np.diff(ids, prepend=0)
    gaps[starts] = 0
    widest = np.maximum.reduceat(gaps, starts)
    width = np.where(widest < 256, 1, np.where(widest < 65536, 2, 4)).astype(np.uint8)
    del widest
    firsts = ids[starts]
    del ids
    if int(firsts.max()) >= 1 << 32:  # pragma: no cover - four billion segments
        raise OverflowError("segment id too large for a postings chunk")
    # the chunks' heads (width, first id) made at once, then each chunk cut from bytes
    head = np.empty((len(starts), 5), dtype=np.uint8)
    head[:, 0] = width
    head[:, 1:] = firsts.astype("<u4").view(np.uint8).reshape(-1, 4)
    heads = head.tobytes()
    del head, firsts
    widths = width.tolist()
    packed = {w: memoryview(gaps.astype(_WIDTHS[w])).cast("B") for w in set(widths)}  # bytes views: cut without copying
    del gaps, width
    at = 0
    for key, b, e, w in zip(names, starts.tolist(), ends, widths):
        yield name(key), e - b, heads[at : at + 5] + packed[w][(b + 1) * w : e * w]
        at += 5


def doc_freq(db: "sqlite3.Connection", tokens: Sequence[str]) -> dict[str, int]:
    """How many segments hold each of ``tokens`` (those in the index)."""
    out: dict[str, int] = {}
    for i in range(0, len(tokens), 900):
        part = tokens[i : i + 900]
        q = f"SELECT token, SUM(n) FROM postings WHERE token IN ({','.join('?' * len(part))}) GROUP BY token"
        out.update(db.execute(q, part).fetchall())
    return out


def posting_ids(db: "sqlite3.Connection", token: str) -> list[int]:
    """The ids of the segments holding ``token`` (all its chunks)."""
    ids: list[int] = []
    for (blob,) in db.execute("SELECT ids FROM postings WHERE token = ?", (token,)):
        ids += unpack_ids(blob).tolist()
    return ids
