"""The glossary store in PostgreSQL, for teams: ``--glossary postgresql://…``.

``ctlex glossary compile big.tbx -o postgresql://…`` compiles exactly as for a file (the same
matcher-derived rows, :func:`ctlex.store.sqlite.compile_glossary` into a temporary SQLite store)
and then copies every table of that store into the database with ``COPY``, with the same
primary keys and indexes, in ONE transaction: readers see the old glossary or the new one,
never half of each, and a failed compile leaves the database as it was.  Only SQLite's FTS5
trigram index becomes a plain ``(trigram, key id)`` table, which a B-tree answers as well.

:class:`PgGlossaryStore` reads it with the SQLite store's own queries (it subclasses
:class:`~ctlex.store.sqlite.SQLiteStore` and only changes how a statement runs), so both
backends answer every lookup alike.  The tables carry a ``gloss_`` prefix: a glossary can share a
database and a schema with a PostgreSQL TM and the service store; one glossary per schema
(select the schema in the URL, ``?options=-csearch_path%3Dname``).
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import CtlexError
from .sqlite import FORMAT, SCHEMA, SQLiteStore, StoreError

__all__ = ["PgGlossaryStore", "compile_to_postgres", "PREFIX"]

PREFIX = "gloss_"
LOCK_SQL = "SELECT pg_advisory_xact_lock(1668246643, hashtext(current_schema()))"  # "cglo" + the schema
_TYPES = {"INTEGER": "bigint", "TEXT": 'text COLLATE "C"', "BLOB": "bytea", "REAL": "double precision", "": 'text COLLATE "C"'}
_FROM = re.compile(r"\b(FROM|JOIN)\s+(\w+)", re.I)


def _fail(where: str, e: BaseException) -> StoreError:
    from ..tm.pg.conn import first_line

    return StoreError(f"{where}: glossary store: {first_line(e)}")


def _sqlite_tables(src: sqlite3.Connection) -> list[tuple[str, list[tuple[str, str, int]], list[tuple[str, bool, list[str]]]]]:
    """``(table, [(column, type, pk position)], [(index, unique, columns)])`` of every ordinary
    table of a compiled store (FTS5 tables and their shadows excluded)."""
    out = []
    names = [n for (n,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                                      "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    virtual = [n for (n,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    for name in names:
        if any(name.startswith(v + "_") for v in virtual):
            continue  # an FTS5 shadow table
        cols = [(r[1], (r[2] or "").upper(), r[5]) for r in src.execute(f"PRAGMA table_info({name})")]
        idx = []
        for r in src.execute(f"PRAGMA index_list({name})"):
            if r[3] == "pk":
                continue
            idx.append((r[1], bool(r[2]), [c[2] for c in src.execute(f"PRAGMA index_info({r[1]})")]))
        out.append((name, cols, idx))
    return out


def compile_to_postgres(src: str | os.PathLike[str], url: str) -> dict[str, Any]:
    """Compile the glossary file ``src`` into the PostgreSQL database of ``url`` (replacing the
    glossary there, atomically); the store's summary."""
    from ..dburl import redact
    from ..match.fuzzy import trigrams
    from ..tm.pg.conn import connect, import_psycopg
    from .sqlite import compile_glossary

    where = redact(url)
    psycopg = import_psycopg()
    with tempfile.TemporaryDirectory(prefix="ctlex-compile-") as tmp:
        local = Path(tmp) / "glossary.ctlexdb"
        compile_glossary(src, local)
        conn = connect(url, what="glossary store")
        db = sqlite3.connect(local)
        try:
            with conn.transaction():
                conn.execute(LOCK_SQL)
                for table, cols, indexes in _sqlite_tables(db):
                    t = PREFIX + table
                    conn.execute(f"DROP TABLE IF EXISTS {t}")
                    pk = [c for c, _, p in sorted(cols, key=lambda c: c[2]) if p]
                    coldefs = ", ".join(f"{c} {_TYPES.get(ty, 'text')}" for c, ty, _ in cols)
                    key = f", PRIMARY KEY ({', '.join(pk)})" if pk else ""
                    conn.execute(f"CREATE TABLE {t} ({coldefs}{key})")
                    names = [c for c, _, _ in cols]
                    with conn.cursor() as cur, cur.copy(f"COPY {t} ({', '.join(names)}) FROM STDIN") as cp:
                        for row in db.execute(f"SELECT {', '.join(names)} FROM {table}"):
                            cp.write_row(row)
                    for iname, unique, icols in indexes:
                        conn.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {PREFIX}{iname} ON {t} ({', '.join(icols)})")
                # the fuzzy index: FTS5 trigram rows become (trigram, key id) rows
                conn.execute(f"DROP TABLE IF EXISTS {PREFIX}fgrams")
                conn.execute(f"CREATE TABLE {PREFIX}fgrams (g text COLLATE \"C\" NOT NULL, fkid bigint NOT NULL)")
                with conn.cursor() as cur, cur.copy(f"COPY {PREFIX}fgrams (g, fkid) FROM STDIN") as cp:
                    for fkid, key in db.execute("SELECT fkid, key FROM fkeys"):
                        for g in trigrams(key):
                            cp.write_row((g, fkid))
                conn.execute(f"CREATE INDEX {PREFIX}fgrams_g ON {PREFIX}fgrams (g, fkid)")
                conn.execute("ANALYZE")
        except psycopg.Error as e:
            raise _fail(where, e) from None
        finally:
            db.close()
            conn.close()
    store = PgGlossaryStore(url)
    try:
        return store.info()
    finally:
        store.close()


class PgGlossaryStore(SQLiteStore):
    """A compiled glossary in PostgreSQL, read with the SQLite store's queries."""

    def __init__(self, url: str) -> None:  # not super().__init__: that opens a file
        from ..dburl import redact
        from ..tm.pg.conn import connect, import_psycopg

        self._psycopg = import_psycopg()
        self.path = redact(url)
        self.pg: Any = connect(url, readonly=True, what="glossary store")
        try:
            row = self.pg.execute("SELECT to_regclass(%s) IS NOT NULL", (PREFIX + "meta",)).fetchone()
            if not row or not row[0]:
                from ..errors import NotFoundError

                raise NotFoundError(f"{self.path}: no ctlex glossary in this database "
                                    f"(ctlex glossary compile FILE -o {self.path})")
            self.meta: dict[str, str] = dict(self._q("SELECT k, v FROM meta"))
        except CtlexError:
            self.pg.close()
            raise
        if self.meta.get("format") != FORMAT:
            self.pg.close()
            raise StoreError(f"{self.path}: not a ctlex glossary store")
        if self.meta.get("schema") != str(SCHEMA):
            self.pg.close()
            raise StoreError(f"{self.path}: glossary store schema {self.meta.get('schema')} (this ctlex reads {SCHEMA}); "
                             "compile it again")
        self._max_key = int(self.meta.get("max_key", "0"))

    _BATCH = 5000  # PostgreSQL takes far more parameters than SQLite

    def _sql(self, sql: str) -> str:
        return _FROM.sub(lambda m: f"{m.group(1)} {PREFIX}{m.group(2)}", sql).replace("?", "%s")

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return list(self.pg.execute(self._sql(sql), tuple(params) or None).fetchall())
        except self._psycopg.Error as e:
            raise _fail(self.path, e) from None

    def close(self) -> None:
        self.pg.close()

    def source_changed(self) -> bool | None:
        """A database store is its own truth: the file it was compiled from may live on another
        machine, so it is never judged stale by it (compile again to update)."""
        return None

    def _stream(self, sql: str) -> Iterator[Any]:  # a server-side cursor: rows as they come
        try:
            with self.pg.transaction(), self.pg.cursor(name="ctlex_stream") as cur:
                cur.itersize = 2000
                cur.execute(self._sql(sql))
                yield from cur
        except self._psycopg.Error as e:
            raise _fail(self.path, e) from None

    def _gram_counts(self, grams: list[str]) -> Counter[int]:
        """How many of ``grams`` each key id holds, from ``gloss_fgrams``."""
        return Counter(dict(self._in("SELECT fkid, count(*) FROM fgrams WHERE g IN ({}) GROUP BY fkid", grams)))
