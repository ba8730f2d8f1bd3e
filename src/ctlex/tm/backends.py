"""Choosing a store backend by what names it: a ``postgresql://`` URL or an SQLite file."""

from __future__ import annotations

import os

from .backend import StoreBackend


def is_postgres_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` is a PostgreSQL URL (``postgresql://…`` or ``postgres://…``)."""
    from ..dburl import is_url

    return is_url(target)


def open_store(target: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> StoreBackend:
    """The store ``target`` names: :class:`ctlex.tm.pg.PostgresStore` for a ``postgresql://``
    URL (psycopg 3, imported only then), else :class:`ctlex.tm.Store` on an SQLite file
    (``":memory:"`` for a throw-away one).  ``create=False``: a missing store (file, or ctlex
    schema in the database) is an error instead of a new empty one.

    Example:
        >>> s = open_store(":memory:")
        >>> type(s).__name__, len(s)
        ('Store', 0)
    """
    if is_postgres_url(target):
        from .pg import PostgresStore

        return PostgresStore(os.fspath(target), readonly=readonly, create=create)
    from .store import Store

    return Store(target, readonly=readonly, create=create)
