"""The SQLite side of a store: schema, opening a connection, transactions, migrations."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import CtlexError, NotFoundError, WriteError
from .keys import pack_key, search_key
from .postings import FLUSH_POSTINGS, IndexBuilder

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segment (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    dkey INTEGER NOT NULL,
    origin TEXT,
    origins TEXT,
    props TEXT,
    note TEXT,
    created TEXT,
    changed TEXT,
    count INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey);
CREATE TABLE IF NOT EXISTS postings (token TEXT NOT NULL, n INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS postings_token ON postings (token);
CREATE TABLE IF NOT EXISTS segkey (id INTEGER PRIMARY KEY, key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS seglen (first INTEGER PRIMARY KEY, lens BLOB NOT NULL);
"""


def connect(path: str, *, readonly: bool = False, create: bool = True) -> sqlite3.Connection:
    """Open (and, if writable, create or upgrade) the store at ``path`` (``":memory:"`` for a
    throw-away one); a file that is not a store is a :class:`ctlex.errors.CtlexError`."""
    if path != ":memory:":
        p = Path(path)
        if not p.exists():
            if readonly or not create:
                raise NotFoundError(f"{p}: no such translation memory")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise WriteError(f"{p.parent}: cannot create ({e.strerror})") from e
    try:
        if readonly:
            db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, isolation_level=None)
        else:
            db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA cache_size = -65536")
        if not readonly:
            db.executescript(SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as e:
        raise CtlexError(f"{path}: not a ctlex translation memory ({e})") from None
    if version and version[0] == "1" and not readonly:
        upgrade_from_1(db)
    elif not version or version[0] != SCHEMA_VERSION:
        raise CtlexError(f"{path}: translation memory schema {version[0] if version else '?'} is not {SCHEMA_VERSION}")
    return db


class Transactions:
    """Nested transactions on one connection: BEGIN … COMMIT, inner ones through SAVEPOINT."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._depth = 0

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction: BEGIN … COMMIT, nested through SAVEPOINT, rolled back on any exception."""
        name = f"sp{self._depth}"
        outer = self._depth == 0
        self.db.execute("BEGIN" if outer else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self._depth -= 1
            self.db.execute("ROLLBACK" if outer else f"ROLLBACK TO {name}")
            if not outer:
                self.db.execute(f"RELEASE {name}")
            raise
        self._depth -= 1
        self.db.execute("COMMIT" if outer else f"RELEASE {name}")


def upgrade_from_1(db: sqlite3.Connection) -> None:
    """Rebuild the index of a schema-1 store (word postings only; no stored keys, lengths or
    bigrams) from its segments, in one transaction."""
    with Transactions(db).atomic():
        db.execute("DELETE FROM postings")
        db.execute("DELETE FROM segkey")
        db.execute("DELETE FROM seglen")
        index = IndexBuilder()
        keyrows: list[tuple[int, bytes | str]] = []
        for rid, src, tgt in db.execute("SELECT id, source, target FROM segment ORDER BY id").fetchall():
            skey = search_key(src)
            index.add(rid, skey, search_key(tgt))
            keyrows.append((rid, pack_key(skey)))
            if index.pending >= FLUSH_POSTINGS:
                index.take()(db)
        index.take()(db)
        db.executemany("INSERT INTO segkey (id, key) VALUES (?,?)", keyrows)
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
