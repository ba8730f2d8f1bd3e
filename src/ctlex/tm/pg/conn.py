"""Connecting to PostgreSQL: URLs without their password, one-line errors, and the SQL adapter
that lets the backend-neutral readers (search, concordance, the index writer) run unchanged."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ...dburl import redact
from ...errors import CtlexError

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

CONNECT_TIMEOUT = 10  # seconds before an unreachable server is reported


def first_line(e: BaseException) -> str:
    """The first line of a driver message (psycopg's carry a DETAIL/HINT tail)."""
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0].strip()


def import_psycopg() -> Any:
    """psycopg 3, imported on first use (``pip install 'ctlex[postgres]'``)."""
    try:
        import psycopg
    except ImportError:
        raise CtlexError("a postgresql:// translation memory needs psycopg 3: pip install 'ctlex[postgres]'") from None
    return psycopg


def connect(url: str, *, readonly: bool = False, what: str = "translation memory") -> "psycopg.Connection[Any]":
    """An autocommit connection to ``url``; failures are one :class:`CtlexError` line naming the
    URL (password hidden) and ``what`` was to be opened there."""
    psycopg = import_psycopg()
    kwargs: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in url:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(url, **kwargs)
        if readonly:  # a SET, not the options parameter: that would replace the URL's own options
            conn.execute("SET default_transaction_read_only = on")
    except psycopg.Error as e:
        raise CtlexError(f"{redact(url)}: cannot connect to the {what} ({first_line(e)})") from None
    except Exception as e:  # a malformed URL is a ProgrammingError or ValueError from the parser
        raise CtlexError(f"{redact(url)}: not a usable PostgreSQL URL ({first_line(e)})") from None
    conn.prepare_threshold = None  # IN-lists vary in length: only search's two fixed statements are prepared
    return conn


_INSERT = re.compile(r"\s*INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)\s*$", re.I)


class Compat:
    """A psycopg connection that takes the SQLite dialect the shared readers use: ``?``
    placeholders, ``execute(sql, params)`` returning an iterable cursor, and ``executemany`` of a
    plain ``INSERT … VALUES (?, …)``, which becomes one ``COPY`` (the fast bulk path)."""

    def __init__(self, conn: "psycopg.Connection[Any]") -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), params if params else None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        m = _INSERT.match(sql)
        if m is None:
            with self.conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), list(rows))
            return
        copy_rows(self.conn, m.group(1), [c.strip() for c in m.group(2).split(",")], rows)


def copy_rows(conn: "psycopg.Connection[Any]", table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """``COPY table (columns) FROM STDIN`` of ``rows``; how many were written."""
    n = 0
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                n += 1
    return n
