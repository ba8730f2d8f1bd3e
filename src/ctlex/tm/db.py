"""The SQLite side of a store: schema, opening a connection, transactions, migrations.

Stores are in WAL mode, so searches, statistics and concordance read the last committed state
while an import writes (they never wait for it); a second writer waits up to
:data:`BUSY_TIMEOUT` seconds.  A store that cannot be written (read-only file, directory or file
system) is opened read-only (``mode=ro``, and ``immutable=1`` where even the WAL index cannot be
created) and can still be searched.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import CtlexError, NotFoundError, WriteError
from .keys import search_key, unit_keys
from .postings import FLUSH_POSTINGS, IndexBuilder

SCHEMA_VERSION = "4"
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
    count INTEGER NOT NULL DEFAULT 1,
    head INTEGER,
    tuid TEXT,
    ukey INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey) WHERE head IS NULL;
CREATE INDEX IF NOT EXISTS segment_head ON segment (head) WHERE head IS NOT NULL;
CREATE TABLE IF NOT EXISTS postings (token TEXT NOT NULL, n INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS postings_token ON postings (token);
CREATE TABLE IF NOT EXISTS seglen (first INTEGER PRIMARY KEY, lens BLOB NOT NULL);
"""
DKEY_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey) WHERE head IS NULL"
TOKEN_INDEX = "CREATE INDEX IF NOT EXISTS postings_token ON postings (token)"

BUSY_TIMEOUT = 30.0  # seconds a writer waits for another writer (readers never wait)


def create_schema(db: sqlite3.Connection) -> None:
    """Create what is missing of :data:`SCHEMA` (statement by statement: inside the caller's
    transaction, which ``executescript`` would commit)."""
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            db.execute(stmt)


def describe(e: BaseException) -> str:
    """SQLite's or the OS's message, with a hint where the usual cause is known."""
    msg = getattr(e, "strerror", None) or str(e)
    if "locked" in msg or "busy" in msg:
        return f"{msg} (another import is writing to it)"
    return msg


def _version(db: sqlite3.Connection) -> str | None:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return row[0] if row else None


def connect(path: str, *, readonly: bool = False) -> tuple[sqlite3.Connection, bool]:
    """Open the store at ``path`` (``":memory:"`` for a throw-away one): the connection, and
    whether it is read-only.  A missing file is created; one that is not a store, or of a schema
    this version cannot read, is a :class:`ctlex.errors.CtlexError`."""
    if path == ":memory:":
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        create_schema(db)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        return db, readonly
    p = Path(path)
    if not p.exists():
        if readonly:
            raise NotFoundError(f"{p}: no such translation memory")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WriteError(f"{p.parent}: cannot create the translation memory's directory ({e.strerror})") from None
    if not readonly and (not p.exists() or os.access(path, os.W_OK)):  # a read-only file (or file system) opens read-only
        try:
            return _open_writable(path), False
        except sqlite3.OperationalError as e:
            if not p.exists() or not _cannot_write(e):
                raise WriteError(f"{path}: cannot open the translation memory ({describe(e)})") from None
        except sqlite3.DatabaseError as e:
            raise CtlexError(f"{path}: not a ctlex translation memory ({e})") from None
    return _open_readonly(path), True


def build_path(path: str) -> str:
    """A new, empty temporary file ``.NAME.PID.RANDOM.tmp`` beside ``path`` (its directory
    created if need be) to build a new store in; a :class:`WriteError` naming ``path`` if it
    cannot be created.  Builds that dead processes left (a ``kill -9`` mid first import) are
    removed first, with their journals; a live process's build is left alone."""
    import tempfile

    from ..formats._io import clean_stale_temps

    directory = Path(path).parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in clean_stale_temps(path):
            remove_build(str(directory / name))
        fd, tmp = tempfile.mkstemp(prefix=f".{Path(path).name}.{os.getpid()}.", suffix=".tmp", dir=directory)
        os.close(fd)  # an empty file is an empty database
        os.chmod(tmp, 0o644)
    except OSError as e:
        raise WriteError(f"{path}: cannot create the translation memory ({e.strerror})") from None
    return tmp


def remove_build(tmp: str) -> None:
    """Remove a build file (:func:`build_path`) and any journal SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(tmp + suffix)
        except FileNotFoundError:
            pass


def connect_bulk(tmp: str) -> sqlite3.Connection:
    """A connection to build a new store in the empty file ``tmp``: the schema, a rollback
    journal in memory (the pages of a new file are not journaled, so it stays small) and no
    syncing; the caller turns on WAL and moves the file into place once it is complete."""
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA mmap_size = 0")
        create_schema(db)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    except BaseException:
        db.close()
        raise
    return db


def _cannot_write(e: sqlite3.Error) -> bool:
    msg = str(e)
    return "readonly" in msg or "read-only" in msg or "unable to open" in msg


def _open_writable(path: str) -> sqlite3.Connection:
    # check_same_thread=False: a store may pass from thread to thread (ctlex serve lends opened TMs to
    # one call at a time), never be used by two at once
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False)
    try:
        db.execute("PRAGMA cache_size = -65536")
        version = _version(db)  # a read: never waits for a writer
        if version is None:
            if db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                raise sqlite3.DatabaseError("no meta table")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":  # pragma: no cover - file systems without shared memory
                raise sqlite3.OperationalError(f"unable to open the store in WAL mode ({mode})")
            with Transactions(db).atomic():
                if _version(db) is None:
                    create_schema(db)
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif version in ("1", "2", "3"):
            migrate(db, version)
        elif version != SCHEMA_VERSION:
            raise CtlexError(f"{path}: translation memory schema {version} is not {SCHEMA_VERSION}")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash may lose the last commit, never consistency
    except BaseException:
        db.close()
        raise
    return db


def _open_readonly(path: str) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    last: Exception | None = None
    # read-write with query_only first: such a connection, when it is the last to close, removes
    # the WAL files (a mode=ro one cannot); then mode=ro, then immutable (not even the WAL index
    # can be created: a read-only directory or file system)
    for flags in ("mode=rw", "mode=ro", "mode=ro&immutable=1"):
        try:
            db = sqlite3.connect(f"{uri}?{flags}", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT,
                                 check_same_thread=False)
            version = _version(db)
        except sqlite3.OperationalError as e:
            last = e
            continue
        except sqlite3.DatabaseError as e:
            raise CtlexError(f"{path}: not a ctlex translation memory ({e})") from None
        if version != SCHEMA_VERSION:
            db.close()
            raise CtlexError(f"{path}: translation memory schema {version or '?'} is not {SCHEMA_VERSION}"
                             + (" (open it once where it can be written to upgrade it)" if version in ("1", "2", "3") else ""))
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA query_only = ON")
        return db
    raise CtlexError(f"{path}: cannot open the translation memory ({describe(last) if last else '?'})")


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
        self.db.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self._depth -= 1
            try:
                self.db.execute("ROLLBACK" if outer else f"ROLLBACK TO {name}")
                if not outer:
                    self.db.execute(f"RELEASE {name}")
            except sqlite3.OperationalError:
                if self.db.in_transaction:  # pragma: no cover - SQLite rolls back itself on a full disk
                    raise
            raise
        self._depth -= 1
        try:
            self.db.execute("COMMIT" if outer else f"RELEASE {name}")
        except sqlite3.Error:
            if outer and self.db.in_transaction:  # the commit failed (full disk): undo it all
                self.db.execute("ROLLBACK")
            raise


# -- migrations --------------------------------------------------------------------------------


def migrate(db: sqlite3.Connection, version: str) -> None:
    """Bring a store of schema 1, 2 or 3 to :data:`SCHEMA_VERSION`, in one transaction.

    1 → 2 rebuilds the index (schema 1 had word postings only).  2 → 3 adds what keeps every
    unit: ``head`` (the row whose index entry a unit shares), ``tuid`` (its own id) and ``ukey``
    (the hash of the unit exactly).  Units a schema-2 store merged away are gone; the rows it has
    are kept as they are (each its own index entry).  3 → 4 drops ``segkey`` (the stored search
    keys, as large as the sources: search normalizes its few candidates' sources instead).
    """
    db.execute("PRAGMA journal_mode = WAL")
    with Transactions(db).atomic():
        if version == "1":
            _rebuild_index(db)
        if version in ("1", "2"):
            db.execute("ALTER TABLE segment ADD COLUMN head INTEGER")
            db.execute("ALTER TABLE segment ADD COLUMN tuid TEXT")
            db.execute("ALTER TABLE segment ADD COLUMN ukey INTEGER")
            rows = db.execute("SELECT id, source, target, source_lang, target_lang, origin FROM segment").fetchall()
            updates = []
            for (rid, src, tgt, sl, tl, origin) in rows:
                tuid = origin.split("#", 1)[1] if origin and "#" in origin else None
                updates.append((tuid, unit_keys([(src, tgt, sl, tl, tuid)])[0][3], rid))
            db.executemany("UPDATE segment SET tuid = ?, ukey = ? WHERE id = ?", updates)
            db.execute("DROP INDEX IF EXISTS segment_dkey")
        db.execute("DROP TABLE IF EXISTS segkey")
        create_schema(db)
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('migrated', ?)", (json.dumps({"from": version}),))


def _rebuild_index(db: sqlite3.Connection) -> None:
    """The index of a schema-1 store (word postings only; no lengths or bigrams) rebuilt from
    its segments."""
    db.execute("DELETE FROM postings")
    db.execute("DELETE FROM seglen")
    index = IndexBuilder()
    for rid, src, tgt in db.execute("SELECT id, source, target FROM segment ORDER BY id").fetchall():
        index.add(rid, search_key(src), search_key(tgt))
        if index.pending >= FLUSH_POSTINGS:
            index.take()(db)
    index.take()(db)
