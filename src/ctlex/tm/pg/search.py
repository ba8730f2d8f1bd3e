"""Fuzzy search on PostgreSQL: the SQLite store's index-then-rerank, its reads run in the database.

The postings, key lengths and keys live in PostgreSQL in the same packed form as in SQLite, so
:class:`ctlex.tm.search.Searcher` runs unchanged over them (through :class:`Compat`): the same
candidates, the same RapidFuzz scores, the same ties.  What differs is how the cached key
lengths learn that the data changed (``meta.changes``, bumped by every import) and the query
plans that ``--explain`` shows.
"""

from __future__ import annotations

from typing import Any

from ..records import CandidatePlan
from ..search import Searcher
from ..keys import search_key


class PgSearcher(Searcher):
    """:class:`Searcher` over a :class:`ctlex.tm.pg.conn.Compat` connection; every call runs
    inside one snapshot (see :meth:`ctlex.tm.pg.store.PostgresStore._read`)."""

    def _lengths(self) -> tuple[Any, int]:
        import numpy as np

        version = self.db.execute("SELECT value FROM meta WHERE key = 'changes'").fetchone()[0]
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1], self._cache[2]
        rows = self.db.execute("SELECT first, lens FROM seglen").fetchall()
        top = max((first + len(blob) // 4 for first, blob in rows), default=0)
        lens = np.full(top + 1, -1, dtype=np.int32)
        for first, blob in rows:
            lens[first : first + len(blob) // 4] = np.frombuffer(bytes(blob), dtype="<i4")
        n = int(np.count_nonzero(lens >= 0))
        self._cache = (version, lens, n)
        return lens, n

    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        qkey = search_key(text)
        budget, candidates = self._defaults(budget, candidates)
        ranked, used = self._plan(qkey, budget)
        sql = [
            "SELECT token, SUM(n) FROM postings WHERE token IN (%s, …) GROUP BY token",
            "SELECT token, ids FROM postings WHERE token IN (%s, …)",
            "SELECT first, lens FROM seglen  -- cached until meta.changes moves: key length per head",
            "SELECT id, key FROM segkey WHERE id IN (%s, …)",
        ]
        probes = [
            ("SELECT token, SUM(n) FROM postings WHERE token IN (%s) GROUP BY token", ("x",)),
            ("SELECT token, ids FROM postings WHERE token IN (%s)", ("x",)),
            ("SELECT first, lens FROM seglen", None),
            ("SELECT id, key FROM segkey WHERE id IN (%s)", (1,)),
        ]
        conn = self.db.conn
        plans = [[r[0] for r in conn.execute("EXPLAIN " + q, p).fetchall()] for q, p in probes]
        return CandidatePlan(qkey, ranked, used, budget, candidates, sql, plans)
