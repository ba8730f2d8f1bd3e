"""The PostgreSQL schema of a translation memory, as numbered migrations.

``schema_version`` lists the migrations applied (version, when, what).  Opening a store for
writing applies the missing ones, in order, each in its own transaction, under an advisory lock
so two clients opening a new database at once do not both create it.  A database whose schema
is newer than this ctlex knows is refused (upgrade ctlex), never written.

Layout (the SQLite store's, see :data:`ctlex.tm.SCHEMA`, with every imported unit kept):

``segment``
    One row per imported unit: its original texts, languages, unit id (``tuid``), origin,
    properties (JSON), note and dates.  ``ukey`` hashes the unit exactly (texts, languages, id;
    unique: importing the same unit again merges into its row, ``count`` going up).  ``dkey``
    hashes both sides' search keys; the first unit of a ``dkey`` is the *head* (``head`` NULL)
    that the index holds, later units with the same keys (differing only in case, punctuation,
    digits, harakat…) point to it with ``head`` and share its index entry.
``segkey``, ``seglen``, ``postings``
    The index of the heads, in the same packed form as the SQLite store's (search keys, key
    lengths, postings chunks of gap-coded ids), so both run the same search.
``meta``
    ``changes`` counts committed imports (readers cache the key lengths until it moves);
    ``indexed`` counts the heads (the store size that search's budgets and idf weights use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import CtlexError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

# The advisory lock of schema changes and imports: one per schema (so stores in different schemas
# of one database do not wait for each other), keyed "ctlx" and the schema's name.
LOCK_SQL = "SELECT pg_advisory_xact_lock(1668574328, hashtext(current_schema()))"

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "segments kept unit by unit; packed index of heads", """
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO meta VALUES ('changes', '0'), ('indexed', '0');
CREATE TABLE segment (
    id bigint PRIMARY KEY,
    source text NOT NULL,
    target text NOT NULL,
    source_lang text NOT NULL,
    target_lang text NOT NULL,
    tuid text,
    dkey bigint NOT NULL,
    ukey bigint NOT NULL,
    head bigint REFERENCES segment (id),
    origin text,
    origins jsonb,
    props jsonb,
    note text,
    created text,
    changed text,
    count integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX segment_ukey ON segment (ukey);
CREATE UNIQUE INDEX segment_dkey ON segment (dkey) WHERE head IS NULL;
CREATE INDEX segment_head ON segment (head) WHERE head IS NOT NULL;
CREATE TABLE segkey (id bigint PRIMARY KEY REFERENCES segment (id), key text NOT NULL);
CREATE TABLE seglen (first bigint PRIMARY KEY, lens bytea NOT NULL);
CREATE TABLE postings (token text COLLATE "C" NOT NULL, n integer NOT NULL, ids bytea NOT NULL);
CREATE INDEX postings_token ON postings (token);
"""),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: "psycopg.Connection[Any]", table: str = "schema_version") -> int | None:
    """The schema version of the database (None: no ctlex schema there); ``table`` is the
    version table of the schema asked about (the TM's, or the service store's)."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
    if not row or not row[0]:
        return None
    row = conn.execute(f"SELECT max(version) FROM {table}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def apply(conn: "psycopg.Connection[Any]", where: str, migrations: list[tuple[int, str, str]], *, table: str,
          lock_sql: str, what: str, create: bool = True) -> int:
    """Apply the missing ``migrations`` (numbered, in order, each in its own transaction under
    ``lock_sql``), recording each in ``table``; the version reached.  A database at a newer
    version is refused; ``create=False``: a database without the schema is a
    :class:`NotFoundError`.  ``what`` names the schema in messages."""
    latest = migrations[-1][0]
    version = current_version(conn, table)
    if version == latest:
        return version
    if version is not None and version > latest:
        raise CtlexError(f"{where}: {what} schema {version} is newer than this ctlex knows ({latest}): upgrade ctlex")
    if version is None and not create:
        raise NotFoundError(f"{where}: no ctlex {what} in this database")
    with conn.transaction():
        conn.execute(lock_sql)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ("
                     "version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now(), description text NOT NULL)")
    for number, description, sql in migrations:
        with conn.transaction():
            conn.execute(lock_sql)  # the latest state, after any other client's
            if conn.execute(f"SELECT 1 FROM {table} WHERE version = %s", (number,)).fetchone():
                continue
            conn.execute(sql)
            conn.execute(f"INSERT INTO {table} (version, description) VALUES (%s, %s)", (number, description))
    return latest


def migrate(conn: "psycopg.Connection[Any]", where: str, *, create: bool = True) -> int:
    """Bring the database to :data:`LATEST`; the version it is at.  ``create=False`` (commands
    that only read): a database without the schema is a :class:`NotFoundError`."""
    return apply(conn, where, MIGRATIONS, table="schema_version", lock_sql=LOCK_SQL, what="translation memory",
                 create=create)
