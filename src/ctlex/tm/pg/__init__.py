"""The PostgreSQL backend of the translation memory (``--tm postgresql://…``; psycopg 3,
``pip install 'ctlex[postgres]'``), behind :class:`ctlex.tm.StoreBackend`.

``conn``  URLs, connections, one-line errors and the SQL adapter · ``migrations``  the versioned
schema · ``importer``  COPY-based imports that keep every unit · ``search``  the shared
index-then-rerank search over PostgreSQL · ``store``  :class:`PostgresStore`.
psycopg is imported when a store is opened, not before.
"""

from __future__ import annotations

from ...dburl import is_url, redact
from .store import PostgresStore

__all__ = ["PostgresStore", "is_url", "redact"]
