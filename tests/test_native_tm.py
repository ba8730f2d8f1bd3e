"""The compiled TM keying (ctlex._native_tm) gives exactly what the pure-Python path gives.

Unit hashes are stored (a store's dkeys and ukeys must not depend on whether the extension was
built), and word numbers become the postings: both are compared with their Python twins on
generated text, and a store imported both ways is compared table by table.  CI sets
``CTLEX_REQUIRE_NATIVE=1``: there a missing extension is a failure, not a skip.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctlex.tm import keys, postings
from ctlex.tm.store import Store

from .conftest import native_or_skip

def _native():
    return native_or_skip("_native_tm")


def _python_hashes(rows, skeys, tkeys):
    keys._NATIVE_TM = False
    try:
        return keys.unit_hashes(rows, skeys, tkeys)
    finally:
        keys._NATIVE_TM = None


# text that crosses BLAKE2b's 128-byte blocks, with multi-byte and astral characters
_text = st.text(alphabet=st.sampled_from(list("ab cd\t\nالإرهابيوروبول\u00e9\u200f\u3000") + ["\U0001F600", "\x00"]),
                max_size=300)


def test_native_tm_is_built_and_used() -> None:
    mod = _native()
    if os.environ.get("CTLEX_NO_NATIVE", "") in ("", "0"):
        assert keys.native_tm() is mod


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_text, _text, st.sampled_from(["ar", "en", "ar-SA"]), st.sampled_from(["en", "ar"]),
                          st.one_of(st.none(), _text), _text, _text), max_size=8))
def test_unit_hashes_equal_hashlib(units) -> None:
    mod = _native()
    rows = [(s, t, sl, tl, uid) for s, t, sl, tl, uid, _, _ in units]
    skeys = [u[5] for u in units]
    tkeys = [u[6] for u in units]
    assert mod.unit_hashes(rows, skeys, tkeys) == _python_hashes(rows, skeys, tkeys)


def test_unit_hashes_at_every_block_boundary() -> None:
    """Lengths 0…400 bytes: the last block empty, partial and exactly full."""
    mod = _native()
    rows = [("x" * n, "ي" * (n // 2), "ar", "en", None if n % 3 else "#" * n) for n in range(401)]
    skeys = ["k" * n for n in range(401)]
    tkeys = ["" for _ in range(401)]
    got = mod.unit_hashes(rows, skeys, tkeys)
    assert got == _python_hashes(rows, skeys, tkeys)
    assert len(set(got[0])) == 401 and len(set(got[1])) == 401


def test_unit_hashes_refuse_what_the_python_path_refuses() -> None:
    mod = _native()
    with pytest.raises(UnicodeEncodeError):
        mod.unit_hashes([("\ud800", "t", "ar", "en", None)], ["a"], ["b"])
    with pytest.raises(ValueError):
        mod.unit_hashes([("s", "t", "ar", "en", None)], ["a"], [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_text, max_size=12), max_size=4), st.lists(_text, max_size=3))
def test_word_table_equals_python(batches, elsewhere) -> None:
    """The compiled table numbers as the dict path does, batch after batch, also when words are
    numbered in the dict behind its back (it rebuilds itself from the dict)."""
    mod = _native()
    slow: dict[str, int] = {}
    fast: dict[str, int] = {}
    table = mod.WordTable(fast)
    for i, batch in enumerate(batches):
        if i == 1:
            for w in elsewhere:
                postings._number(slow, w)
                postings._number(fast, w)
        assert table.number(batch) == postings._number_side(slow, batch)
        assert list(fast.items()) == list(slow.items())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 70_000)), max_size=300), st.integers(1, 3))
def test_postings_chunks_equal_python(pairs, spread) -> None:
    """Chunks of every width (gaps under 256, under 65,536 and over), a key twice in one segment,
    keys with one posting."""
    import numpy as np

    _native()
    nseg = max([s for _, s in pairs], default=0) + 1
    rids = np.cumsum(np.random.default_rng(len(pairs)).integers(1, 10 ** spread, nseg)).astype(np.int64)
    bits = max(1, nseg.bit_length())

    def rows(native):
        keys._NATIVE_TM = native
        try:
            k = np.array([p[0] for p in pairs], dtype=np.int64)
            seg = np.array([p[1] for p in pairs], dtype=np.int64)
            return list(postings.postings_rows(k, seg, bits, rids, lambda x: f"w{x}"))
        finally:
            keys._NATIVE_TM = None

    fast, slow = rows(None), rows(False)
    assert [(t, n, bytes(b)) for t, n, b in fast] == [(t, n, bytes(b)) for t, n, b in slow]
    assert sum(n for _, n, _ in fast) == len(set(pairs))


def _tables(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(con.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names if n != "meta"}
    finally:
        con.close()


def test_store_imported_with_and_without_the_extension_is_the_same(tmp_path: Path) -> None:
    """The shipped TM, imported twice (the second time in part: duplicates merged, variants
    sharing entries), once through the extension and once through Python: every table equal."""
    _native()
    from ctlex.data import tm_files

    files = tm_files()
    out = {}
    for name, native in (("fast", None), ("slow", False)):
        keys._NATIVE_TM = native
        try:
            db = tmp_path / f"{name}.sqlite"
            with Store(db) as s:
                s.import_files(files)
                s.import_files(files[:1])
            out[name] = _tables(db)
        finally:
            keys._NATIVE_TM = None
    assert out["fast"]["segment"] and out["fast"]["postings"]
    assert out["fast"] == out["slow"]
