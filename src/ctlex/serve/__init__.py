"""``ctlex serve``: a team terminology service over the library (JSON API, web page, review).

The package is split by idea, imports going one way (left may import right)::

    app (Starlette routes, errors, static page) → service (the operations) → db, auth, model
    stores (open by target) → db (the store's SQL; SQLite) ← pgdb (PostgreSQL, on demand)

* :mod:`~ctlex.serve.model` — a concept as JSON and back, validated, and the diff of two;
* :mod:`~ctlex.serve.db` — the service's own store: concepts with a revision number,
  proposals, history, hashed API tokens; the logic once in SQL both engines run, SQLite by
  default (WAL, busy timeout, one schema version);
* :mod:`~ctlex.serve.stores` — :func:`~ctlex.serve.stores.open_store`: a file or a URL;
* :mod:`~ctlex.serve.pgdb` — the same store in PostgreSQL for teams (connection pool, advisory
  write lock, versioned migrations);
* :mod:`~ctlex.serve.auth` — roles and tokens (scrypt-hashed, constant-time compared);
* :mod:`~ctlex.serve.service` — every operation the API offers, calling the same public library
  functions as the CLI (:meth:`ctlex.Glossary.lookup`, :func:`ctlex.qa.check`,
  :func:`ctlex.tm.open_tm`, :func:`ctlex.suggest.suggest`, :func:`ctlex.exchange.export_glossary`)
  and raising :class:`~ctlex.serve.service.ServiceError` with an HTTP status;
* :mod:`~ctlex.serve.app` — the ASGI application (Starlette), imported only by ``ctlex serve``.

Nothing here is imported by ``import ctlex`` or ``ctlex --help``.
"""

from __future__ import annotations

__all__ = ["ROLES"]

ROLES: tuple[str, ...] = ("reader", "translator", "terminologist", "admin")
