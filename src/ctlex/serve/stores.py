"""Opening the service store a target names: an SQLite file or a ``postgresql://`` URL."""

from __future__ import annotations

import os

from .db import ServiceStore, Store

__all__ = ["open_store"]


def open_store(target: str | os.PathLike[str]) -> ServiceStore:
    """The service store at ``target``: :class:`ctlex.serve.pgdb.PgStore` for a
    ``postgresql://…`` URL (psycopg imported only then), else :class:`ctlex.serve.db.Store`.

    Example:
        >>> s = open_store(":memory:")
        >>> type(s).__name__, s.count()
        ('Store', 0)
    """
    from ..dburl import is_url

    if is_url(target):
        from .pgdb import PgStore

        return PgStore(str(target))
    return Store(target)
