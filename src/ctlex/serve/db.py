"""The service's store: concepts with revision numbers, proposals, history and API tokens.

The interface is :class:`ServiceStore`.  :class:`SQLStore` holds its logic once, in SQL that
both engines run; :class:`Store` is the SQLite store (the default: WAL, a busy timeout, one
connection per thread, one ``schema_version`` row) and :class:`ctlex.serve.pgdb.PgStore` the
PostgreSQL one, for teams (``postgresql://…``); :func:`ctlex.serve.stores.open_store` picks by target.  Writes are
serialized (SQLite's ``BEGIN IMMEDIATE``; a transaction-level advisory lock on PostgreSQL), and
a concept is only ever updated ``WHERE revision = <the revision the editor saw>``: a stale edit
changes no row and becomes a :class:`Conflict`, never a silent overwrite — across threads,
processes and machines alike.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Protocol, Sequence

from ..errors import CtlexError, NotFoundError

__all__ = ["ServiceStore", "SQLStore", "Store", "Conflict", "StoreError", "SCHEMA_VERSION", "now"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS concepts (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT               -- JSON concept; NULL once deleted (the history keeps it)
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    concept_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    action TEXT NOT NULL,   -- import | create | edit | approve | restore | delete
    actor TEXT NOT NULL,
    proposer TEXT,
    proposal_id INTEGER,
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    before TEXT,
    after TEXT,
    UNIQUE (concept_id, revision)
);
CREATE TABLE IF NOT EXISTS proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    concept_id TEXT NOT NULL,
    langs TEXT NOT NULL,    -- JSON list
    base_revision INTEGER,
    payload TEXT NOT NULL,  -- JSON
    reason TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    result_revision INTEGER
);
CREATE INDEX IF NOT EXISTS proposals_status ON proposals (status, id);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    langs TEXT,             -- JSON list, NULL for every language
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    created TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
"""


class StoreError(CtlexError):
    """The store cannot be read or written (locked too long, disk full, read-only file…)."""


class Conflict(CtlexError):
    """A write based on a stale revision, or on a proposal already decided (HTTP 409)."""

    def __init__(self, message: str, current: int | None = None) -> None:
        super().__init__(message)
        self.current = current


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load(s: str | None) -> Any:
    return None if s is None else json.loads(s)


def _dump(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)


class ServiceStore(Protocol):
    """What :class:`~ctlex.serve.service.Service` needs of a store; a PostgreSQL store implements
    these methods with the same semantics (atomic, revision-checked :meth:`write`)."""

    path: str

    def close(self) -> None: ...
    def generation(self) -> int: ...
    def count(self) -> int: ...
    def concepts(self) -> list[tuple[str, int, dict[str, Any]]]: ...
    def get(self, concept_id: str) -> tuple[int, dict[str, Any] | None] | None: ...
    def seed(self, concepts: list[dict[str, Any]], actor: str, reason: str) -> int: ...
    def write(self, concept_id: str, base_revision: int | None, data: dict[str, Any] | None, *, actor: str, action: str,
              reason: str = "", proposal: int | None = None, proposer: str | None = None,
              decision: str | None = None) -> int: ...
    def history(self, concept_id: str | None = None) -> list[dict[str, Any]]: ...
    def version(self, concept_id: str, revision: int) -> dict[str, Any] | None: ...
    def add_proposal(self, kind: str, concept_id: str, langs: list[str], base_revision: int | None,
                     payload: dict[str, Any], reason: str, author: str) -> int: ...
    def proposal(self, pid: int) -> dict[str, Any] | None: ...
    def proposals(self, status: str | None = "pending", limit: int = 200, offset: int = 0) -> list[dict[str, Any]]: ...
    def reject(self, pid: int, actor: str, reason: str) -> None: ...
    def add_token(self, tid: str, name: str, role: str, langs: list[str] | None, salt: bytes, digest: bytes) -> None: ...
    def token(self, tid: str) -> dict[str, Any] | None: ...
    def tokens(self) -> list[dict[str, Any]]: ...
    def revoke(self, tid: str) -> None: ...


class SQLStore:
    """The store's logic, in the SQL both engines speak.  Subclasses open connections and
    transactions (:meth:`_tx`, :meth:`_read`), name their tables (:attr:`TABLES`) and their
    placeholder; every driver error becomes one :class:`StoreError` line naming the store."""

    path: str
    TABLES = {"concepts": "concepts", "history": "history", "proposals": "proposals", "tokens": "tokens", "meta": "meta"}
    PARAM = "?"

    def _q(self, sql: str) -> str:
        """``sql`` with its ``{table}`` names and ``?`` placeholders in this engine's spelling."""
        sql = sql.format(**self.TABLES)
        return sql if self.PARAM == "?" else sql.replace("?", self.PARAM)

    def _tx(self) -> Any:  # a context manager yielding something with .execute(sql, args)
        raise NotImplementedError

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- concepts --------------------------------------------------------------------------------
    def generation(self) -> int:
        """A number that grows on every concept change (readers rebuild their glossary on it)."""
        return int(self._read("SELECT value FROM {meta} WHERE key = 'generation'")[0][0])

    def count(self) -> int:
        return int(self._read("SELECT count(*) FROM {concepts} WHERE data IS NOT NULL")[0][0])

    def concepts(self) -> list[tuple[str, int, dict[str, Any]]]:
        """``(id, revision, concept JSON)`` of every live concept, in glossary order."""
        rows = self._read("SELECT id, revision, data FROM {concepts} WHERE data IS NOT NULL ORDER BY position")
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def get(self, concept_id: str) -> tuple[int, dict[str, Any] | None] | None:
        """``(revision, JSON or None when deleted)``, or ``None`` for an id never seen."""
        rows = self._read("SELECT revision, data FROM {concepts} WHERE id = ?", (concept_id,))
        return (rows[0][0], _load(rows[0][1])) if rows else None

    def _bump(self, db: Any) -> None:
        db.execute(self._q("UPDATE {meta} SET value = CAST(CAST(value AS integer) + 1 AS text) WHERE key = 'generation'"))

    def seed(self, concepts: list[dict[str, Any]], actor: str, reason: str) -> int:
        """Import ``concepts`` as revision 1 each, if the store holds none yet; returns how many."""
        q = self._q
        with self._tx() as db:
            if db.execute(q("SELECT count(*) FROM {concepts}")).fetchone()[0]:
                return 0
            at = now()
            for i, c in enumerate(concepts):
                db.execute(q("INSERT INTO {concepts} (id, position, revision, data) VALUES (?, ?, 1, ?)"), (c["id"], i, _dump(c)))
                db.execute(q("INSERT INTO {history} (concept_id, revision, action, actor, at, reason, after) "
                             "VALUES (?, 1, 'import', ?, ?, ?, ?)"), (c["id"], actor, at, reason, _dump(c)))
            self._bump(db)
            return len(concepts)

    def write(self, concept_id: str, base_revision: int | None, data: dict[str, Any] | None, *, actor: str, action: str,
              reason: str = "", proposal: int | None = None, proposer: str | None = None,
              decision: str | None = None) -> int:
        """Store a new version of a concept and its history row, atomically; the new revision.

        ``base_revision`` is the revision the change was made on (``None``: a new concept, which
        must not exist).  A mismatch raises :class:`Conflict` carrying the current revision.
        ``data=None`` deletes.  With ``proposal``, that pending proposal is marked approved in the
        same transaction (``decision`` is the approver's reason).
        """
        q = self._q
        with self._tx() as db:
            row = db.execute(q("SELECT revision, data, position FROM {concepts} WHERE id = ?"), (concept_id,)).fetchone()
            if base_revision is None:
                if row is not None and row[1] is not None:
                    raise Conflict(f"concept {concept_id!r} already exists (revision {row[0]})", row[0])
            elif row is None:
                raise NotFoundError(f"no concept {concept_id!r}")
            elif row[0] != base_revision:
                raise Conflict(f"concept {concept_id!r} is at revision {row[0]}, the change was made on "
                               f"revision {base_revision}: reload and redo it", row[0])
            if proposal is not None:
                cur = db.execute(q("UPDATE {proposals} SET status = 'approved', decided_by = ?, decided_at = ?, "
                                   "decision_reason = ? WHERE id = ? AND status = 'pending'"),
                                 (actor, now(), decision or "", proposal))
                if cur.rowcount != 1:
                    raise Conflict(f"proposal {proposal} is not pending")
            before = _load(row[1]) if row else None
            rev = (row[0] + 1) if row else 1
            if row is None:
                pos = db.execute(q("SELECT coalesce(max(position), -1) + 1 FROM {concepts}")).fetchone()[0]
                db.execute(q("INSERT INTO {concepts} (id, position, revision, data) VALUES (?, ?, ?, ?)"),
                           (concept_id, pos, rev, _dump(data)))
            else:
                cur = db.execute(q("UPDATE {concepts} SET revision = ?, data = ? WHERE id = ? AND revision = ?"),
                                 (rev, _dump(data), concept_id, row[0]))
                if cur.rowcount != 1:  # writes are serialized: only a foreign writer can cause this
                    raise Conflict(f"concept {concept_id!r} changed during the edit: reload and redo it")
            db.execute(q("INSERT INTO {history} (concept_id, revision, action, actor, proposer, proposal_id, at, reason, "
                         "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                       (concept_id, rev, action, actor, proposer, proposal, now(), reason, _dump(before), _dump(data)))
            if proposal is not None:
                db.execute(q("UPDATE {proposals} SET result_revision = ? WHERE id = ?"), (rev, proposal))
            self._bump(db)
            return rev

    _HCOLS = "seq, concept_id, revision, action, actor, proposer, proposal_id, at, reason, before, after"

    def _hist(self, r: tuple[Any, ...]) -> dict[str, Any]:
        d = dict(zip(self._HCOLS.split(", "), r))
        d["before"], d["after"] = _load(d["before"]), _load(d["after"])
        return d

    def history(self, concept_id: str | None = None) -> list[dict[str, Any]]:
        """History rows (oldest first) of one concept, or of all."""
        if concept_id is None:
            rows = self._read(f"SELECT {self._HCOLS} FROM {{history}} ORDER BY seq")
        else:
            rows = self._read(f"SELECT {self._HCOLS} FROM {{history}} WHERE concept_id = ? ORDER BY seq", (concept_id,))
        return [self._hist(r) for r in rows]

    def version(self, concept_id: str, revision: int) -> dict[str, Any] | None:
        rows = self._read(f"SELECT {self._HCOLS} FROM {{history}} WHERE concept_id = ? AND revision = ?", (concept_id, revision))
        return self._hist(rows[0]) if rows else None

    # -- proposals -------------------------------------------------------------------------------
    _PCOLS = ("id, kind, concept_id, langs, base_revision, payload, reason, author, created, status, decided_by, "
              "decided_at, decision_reason, result_revision")

    def _prop(self, r: tuple[Any, ...]) -> dict[str, Any]:
        d = dict(zip(self._PCOLS.split(", "), r))
        d["langs"], d["payload"] = json.loads(d["langs"]), json.loads(d["payload"])
        return d

    def add_proposal(self, kind: str, concept_id: str, langs: list[str], base_revision: int | None,
                     payload: dict[str, Any], reason: str, author: str) -> int:
        with self._tx() as db:
            cur = db.execute(self._q("INSERT INTO {proposals} (kind, concept_id, langs, base_revision, payload, reason, "
                                     "author, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
                             (kind, concept_id, json.dumps(sorted(langs)), base_revision, _dump(payload), reason,
                              author, now()))
            return int(cur.fetchone()[0])

    def proposal(self, pid: int) -> dict[str, Any] | None:
        rows = self._read(f"SELECT {self._PCOLS} FROM {{proposals}} WHERE id = ?", (pid,))
        return self._prop(rows[0]) if rows else None

    def proposals(self, status: str | None = "pending", limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        if status is None:
            rows = self._read(f"SELECT {self._PCOLS} FROM {{proposals}} ORDER BY id LIMIT ? OFFSET ?", (limit, offset))
        else:
            rows = self._read(f"SELECT {self._PCOLS} FROM {{proposals}} WHERE status = ? ORDER BY id LIMIT ? OFFSET ?",
                              (status, limit, offset))
        return [self._prop(r) for r in rows]

    def reject(self, pid: int, actor: str, reason: str) -> None:
        q = self._q
        with self._tx() as db:
            cur = db.execute(q("UPDATE {proposals} SET status = 'rejected', decided_by = ?, decided_at = ?, "
                               "decision_reason = ? WHERE id = ? AND status = 'pending'"), (actor, now(), reason, pid))
            if cur.rowcount != 1:
                if db.execute(q("SELECT 1 FROM {proposals} WHERE id = ?"), (pid,)).fetchone() is None:
                    raise NotFoundError(f"no proposal {pid}")
                raise Conflict(f"proposal {pid} is not pending")

    # -- tokens ----------------------------------------------------------------------------------
    def add_token(self, tid: str, name: str, role: str, langs: list[str] | None, salt: bytes, digest: bytes) -> None:
        with self._tx() as db:
            db.execute(self._q("INSERT INTO {tokens} (id, name, role, langs, salt, hash, created) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                       (tid, name, role, None if langs is None else json.dumps(sorted(langs)), salt, digest, now()))

    def token(self, tid: str) -> dict[str, Any] | None:
        rows = self._read("SELECT id, name, role, langs, salt, hash, created, revoked FROM {tokens} WHERE id = ?", (tid,))
        if not rows:
            return None
        d = dict(zip(("id", "name", "role", "langs", "salt", "hash", "created", "revoked"), rows[0]))
        d["langs"] = _load(d["langs"])
        d["salt"], d["hash"] = bytes(d["salt"]), bytes(d["hash"])
        return d

    def tokens(self) -> list[dict[str, Any]]:
        rows = self._read("SELECT id, name, role, langs, created, revoked FROM {tokens} ORDER BY created, id")
        return [{"id": r[0], "name": r[1], "role": r[2], "langs": _load(r[3]), "created": r[4], "revoked": bool(r[5])}
                for r in rows]

    def revoke(self, tid: str) -> None:
        with self._tx() as db:
            if db.execute(self._q("UPDATE {tokens} SET revoked = 1 WHERE id = ?"), (tid,)).rowcount != 1:
                raise NotFoundError(f"no token {tid!r}")


class Store(SQLStore):
    """The SQLite implementation (``path`` may be ``:memory:`` only for a single thread)."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 10.0) -> None:
        self.path = os.fspath(path)
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        db = self._db()
        try:
            db.executescript(_SCHEMA)
            row = db.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {row[0]}, this ctlex reads {SCHEMA_VERSION}")
            db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from None

    # -- connections ---------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
                db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
                if self.path != ":memory:":
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error as e:
                raise StoreError(f"{self.path}: cannot open ({e})") from None
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from None
        try:
            yield db
        except sqlite3.Error as e:
            db.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {e}") from None
        except BaseException:
            db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except sqlite3.Error as e:
            db.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {e}") from None

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db().execute(self._q(sql), tuple(args)).fetchall()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from None

