"""Fuzzy search on PostgreSQL: the SQLite store's index-then-rerank, its reads run in the database.

The postings, key lengths and keys live in PostgreSQL in the same packed form as in SQLite, so
:class:`ctlex.tm.search.Searcher` runs unchanged over them (through :class:`Compat`): the same
candidates, the same RapidFuzz scores, the same ties.  What differs is how the cached key
lengths learn that the data changed (``meta.changes``, bumped by every import) and the query
plans that ``--explain`` shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence, cast

from ..keys import features, search_key
from ..records import Match
from ..search import BUDGET, CANDIDATES, Searcher, admit, vote
from .conn import Compat

if TYPE_CHECKING:  # pragma: no cover
    from ...glossary import Glossary

# The store's size and the query keys' document frequencies (one statement, one snapshot); then,
# once :func:`ctlex.tm.search.admit` has chosen the keys, their postings with the data version
# they were read at (the key lengths loaded for that version cover every id they name).
PLAN = """
SELECT (SELECT value::bigint FROM meta WHERE key = 'indexed'), df.token, df.df
FROM (SELECT 1) one
LEFT JOIN (SELECT token, SUM(n)::bigint AS df FROM postings WHERE token = ANY(%s) GROUP BY token) df ON true
"""
POSTINGS = "SELECT (SELECT value FROM meta WHERE key = 'changes'), token, ids FROM postings WHERE token = ANY(%s)"


class PgSearcher(Searcher):
    """:class:`Searcher` over a :class:`ctlex.tm.pg.conn.Compat` connection.

    :meth:`search` asks the database for the keys' document frequencies (:data:`PLAN`), for
    the postings of those it admits (:data:`POSTINGS`) and for the candidates' keys and rows;
    the voting (:func:`ctlex.tm.search.vote`) and re-scoring are the SQLite store's own.  It needs
    no transaction: the key lengths are read after the postings (so they cover every id the
    postings name) and rows are never deleted.
    """

    def __init__(self, db: Compat) -> None:
        super().__init__(cast(Any, db))
        self.conn = db.conn

    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None,
               budget: int | None = None, candidates: int | None = None) -> list[Match]:
        qkey = search_key(text)
        if not qkey:
            return []
        rows = self.conn.execute(PLAN, (sorted(features(qkey)),), prepare=True).fetchall()
        n = int(rows[0][0])
        df = {tok: int(d) for _, tok, d in rows if tok is not None}
        _, used = admit(qkey, df, BUDGET if budget is None else budget)
        if not used:
            return []
        got = self.conn.execute(POSTINGS, (used,), prepare=True).fetchall()
        if not got:
            return []
        version = int(got[0][0])
        postings = [(tok, ids) for _, tok, ids in got]
        lens = self._lengths_for(version)
        if candidates is None:
            candidates = CANDIDATES
        best = vote(qkey, postings, df, lens, n, min_score, candidates)
        if not best:
            return []
        try:
            return self._rescore(qkey, self._keys(best), min_score, limit, glossary)
        finally:
            self._fetched = {}

    def _keys(self, ids: Sequence[int]) -> dict[int, str]:
        """The candidates' keys, and their rows with them (one round trip: :meth:`_rows` then
        needs none)."""
        found = self.conn.execute(
            "SELECT k.id, k.key, s.source, s.target, s.origin, s.count, s.source_lang, s.target_lang"
            " FROM segkey k JOIN segment s ON s.id = k.id WHERE k.id = ANY(%s)", (list(ids),), prepare=True).fetchall()
        self._fetched = {r[0]: (r[0], *r[2:]) for r in found}
        return {r[0]: r[1] for r in found}

    def _lengths_for(self, version: int) -> Any:
        """The key lengths, reloaded (after the statement that saw ``version``) if it moved."""
        if self._cache is None or self._cache[0] != version:
            self._load_lengths(version)
        assert self._cache is not None
        return self._cache[1]

    def _lengths(self) -> tuple[Any, int]:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'changes'").fetchone()
        assert row is not None  # written by the first migration
        version = int(row[0])
        if self._cache is None or self._cache[0] != version:
            self._load_lengths(version)
        assert self._cache is not None
        return self._cache[1], self._cache[2]

    def _load_lengths(self, version: int) -> None:
        import numpy as np

        rows = self.db.execute("SELECT first, lens FROM seglen").fetchall()
        top = max((first + len(blob) // 4 for first, blob in rows), default=0)
        lens = np.full(top + 1, -1, dtype=np.int32)
        for first, blob in rows:
            lens[first : first + len(blob) // 4] = np.frombuffer(bytes(blob), dtype="<i4")
        n = int(np.count_nonzero(lens >= 0))
        self._cache = (version, lens, n)

    _PLAN_SQL = (
        "SELECT token, SUM(n) FROM postings WHERE token IN (%s, …) GROUP BY token",
        "SELECT token, ids FROM postings WHERE token IN (%s, …)",
        "SELECT first, lens FROM seglen  -- cached until meta.changes moves: key length per head",
        "SELECT id, key FROM segkey WHERE id IN (%s, …)",
    )
    _PROBES = (
        ("SELECT token, SUM(n) FROM postings WHERE token IN (%s) GROUP BY token", ("x",)),
        ("SELECT token, ids FROM postings WHERE token IN (%s)", ("x",)),
        ("SELECT first, lens FROM seglen", ()),
        ("SELECT id, key FROM segkey WHERE id IN (%s)", (1,)),
    )

    def _explain(self, sql: str, args: tuple[Any, ...]) -> list[str]:
        return [r[0] for r in self.conn.execute("EXPLAIN " + sql, args or None).fetchall()]
