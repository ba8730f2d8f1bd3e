"""The service store in PostgreSQL, for teams: :class:`PgStore` (``ctlex serve --db postgresql://…``).

The same logic and SQL as the SQLite store (:class:`ctlex.serve.db.SQLStore`) over psycopg 3:
a bounded pool of connections (psycopg_pool; threads come and go with the server's worker pool,
connections stay few), reads in autocommit (each sees the last committed state), and every
write one transaction that first takes a transaction-level advisory
lock, so writes are serialized like SQLite's ``BEGIN IMMEDIATE`` — across processes and hosts —
and the revision check cannot race.  The tables carry a ``serve_`` prefix, so the service store
can share a database (and a schema) with a PostgreSQL translation memory.  The schema is
versioned (``serve_schema_version``; :data:`MIGRATIONS`), applied on open under the same lock.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from ..dburl import redact
from ..tm.pg.conn import connect, first_line, import_psycopg
from ..tm.pg.migrations import apply
from .db import SQLStore, StoreError

__all__ = ["PgStore", "MIGRATIONS"]

# "ctls" and the schema's name: one lock per schema, distinct from the TM's
LOCK_SQL = "SELECT pg_advisory_xact_lock(1668576371, hashtext(current_schema()))"

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "concepts with revisions, history, proposals, hashed tokens", """
CREATE TABLE serve_meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO serve_meta VALUES ('generation', '0');
CREATE TABLE serve_concepts (
    id text PRIMARY KEY,
    position bigint NOT NULL,
    revision integer NOT NULL,
    data text                -- JSON concept; NULL once deleted (the history keeps it)
);
CREATE INDEX serve_concepts_position ON serve_concepts (position);
CREATE TABLE serve_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    concept_id text NOT NULL,
    revision integer NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    proposer text,
    proposal_id bigint,
    at text NOT NULL,
    reason text NOT NULL DEFAULT '',
    before text,
    after text,
    UNIQUE (concept_id, revision)
);
CREATE TABLE serve_proposals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    concept_id text NOT NULL,
    langs text NOT NULL,
    base_revision integer,
    payload text NOT NULL,
    reason text NOT NULL DEFAULT '',
    author text NOT NULL,
    created text NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    decided_by text,
    decided_at text,
    decision_reason text,
    result_revision integer
);
CREATE INDEX serve_proposals_status ON serve_proposals (status, id);
CREATE TABLE serve_tokens (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    langs text,
    salt bytea NOT NULL,
    hash bytea NOT NULL,
    created text NOT NULL,
    revoked integer NOT NULL DEFAULT 0
);
"""),
]


class PgStore(SQLStore):
    """The service store in the PostgreSQL database of ``url`` (``path`` is the URL without its
    password).  Thread-safe: each call borrows a connection from a pool of at most ``max_size``
    (a call waits up to ``timeout`` seconds for one)."""

    TABLES = {t: f"serve_{t}" for t in SQLStore.TABLES}
    PARAM = "%s"

    def __init__(self, url: str, *, max_size: int = 8, timeout: float = 30.0) -> None:
        self.path = redact(url)
        psycopg = import_psycopg()
        first = connect(url, what="service store")  # a clear one-line error when the server is not there
        try:
            apply(first, self.path, MIGRATIONS, table="serve_schema_version", lock_sql=LOCK_SQL, what="service store")
        except psycopg.Error as e:
            raise StoreError(f"{self.path}: cannot set up the service store ({first_line(e)})") from None
        finally:
            first.close()
        try:
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError("a postgresql:// service store needs psycopg_pool: pip install 'ctlex[postgres]'") from None

        def configure(conn: Any) -> None:
            conn.prepare_threshold = None

        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, timeout=timeout, open=True,
                                    kwargs={"autocommit": True}, configure=configure, name="ctlex-serve")

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _failing(self) -> Iterator[None]:
        """Database errors, and waiting too long for a connection, as one line naming the store."""
        psycopg = import_psycopg()
        from psycopg_pool import PoolTimeout

        try:
            yield
        except PoolTimeout as e:
            raise StoreError(f"{self.path}: no database connection free ({first_line(e)})") from None
        except psycopg.Error as e:
            raise StoreError(f"{self.path}: {first_line(e)}") from None

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        with self._failing(), self._pool.connection() as conn, conn.transaction():
            conn.execute(LOCK_SQL)
            yield conn

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._failing(), self._pool.connection() as conn:
            return list(conn.execute(self._q(sql), tuple(args) or None).fetchall())
