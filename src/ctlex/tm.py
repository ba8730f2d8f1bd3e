"""Translation memory: an SQLite store of aligned segments, fuzzy search and concordance.

One noun, :class:`Store` (one SQLite file), holds :class:`ctlex.segment.Segment`\\ s; :class:`TM`
puts several stores behind one interface (the shipped ``tm/`` data plus the user's own TM).

Layout of a store (see :data:`SCHEMA`):

``segment``
    One row per distinct (source, target) pair: the original texts, languages, origin, properties
    (JSON), note, dates and ``dkey``, a 64-bit hash of both sides' ``arabic.key`` texts.  The keys
    themselves are not stored (they would double the file); :func:`search_key` recomputes them.  Importing a pair that is already there *merges*
    it: ``count`` goes up, the origin is added to ``origins``, new properties are added, the
    earliest creation and latest change dates are kept.
``postings``
    An inverted index from word tokens (``key`` level; target-side tokens prefixed with a tab) to
    the ids of the segments containing them, as packed ``uint32`` arrays.  Imports append one
    chunk per token and flush; a token may have several chunks.

Fuzzy search (:meth:`Store.search`) is *index, then re-rank*: the query's rarest tokens (up to a
postings budget) vote for segments, the best-voted candidates are re-scored with RapidFuzz, and
:meth:`Store.search_exhaustive` is the slow twin that scores every segment, against which the
index's recall is measured.  Scores are the translator's familiar percentage: ``100 × (1 −
Levenshtein distance / length of the longer text)`` on the ``key`` normalization, so tatweel,
diacritics, alef forms, punctuation and case never cost points; the original texts are returned.

Example:
    >>> from ctlex.segment import Segment
    >>> tm = Store(":memory:")
    >>> tm.add([Segment("أعلن اليوروبول عن عملية جديدة", "Europol announced a new operation")]).added
    1
    >>> m = tm.search("أعلن اليوروبول عن عمليه جديده")[0]
    >>> (m.score, m.target)
    (100.0, 'Europol announced a new operation')
"""

from __future__ import annotations

import json
import os
import re
import sys
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from . import arabic
from .errors import CtlexError, NotFoundError, WriteError
from .segment import Segment

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from .glossary import Glossary

__all__ = [
    "SCHEMA",
    "Store",
    "TM",
    "Match",
    "ConcordanceHit",
    "ImportReport",
    "CandidatePlan",
    "open_tm",
    "default_tm",
    "similarity",
    "search_key",
]

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segment (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    dkey INTEGER NOT NULL,
    origin TEXT,
    origins TEXT,
    props TEXT,
    note TEXT,
    created TEXT,
    changed TEXT,
    count INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey);
CREATE TABLE IF NOT EXISTS postings (token TEXT NOT NULL, n INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS postings_token ON postings (token);
"""

_TARGET = "\t"  # prefix of target-side tokens in ``postings`` (a key token never holds a tab)
_BATCH = 5000  # segments per executemany
_FLUSH_POSTINGS = 4_000_000  # postings held in memory before a chunk is written
_MAX_ORIGINS = 50  # merged duplicates remember at most this many further origins


# -- normalization: arabic.key(...).text, word by word through a cache --------------------------

_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 500_000


def search_key(text: str) -> str:
    """The ``key``-level normalization of ``text`` as a plain string (what the TM indexes).

    Equal to ``arabic.key(text).text`` (the tests check this on the articles and on generated
    text): ``key`` never looks across white space, so each white-space separated word is normalized
    once, through a cache, and the results joined.  Imports and searches see the same few
    thousand words again and again, which makes this about ten times faster than the whole-string
    call, which also builds offset maps the TM does not need.

    Example:
        >>> search_key("الإرهـــاب “الدولي”")
        'الارهاب الدولي'
    """
    cache = _WORD_KEYS
    out = []
    for w in text.split():
        k = cache.get(w)
        if k is None:
            if len(cache) >= _WORD_KEYS_MAX:
                cache.clear()
            k = cache[w] = arabic.key(w).text
        if k:
            out.append(k)
    return " ".join(out)


def similarity(a: str, b: str) -> float:
    """Fuzzy-match percentage of two *key-normalized* texts: ``100 × (1 − lev / max(len))``.

    Example:
        >>> round(similarity("counter terrorism", "counterterrorism"), 2)
        94.12
    """
    from rapidfuzz.distance import Levenshtein

    return float(Levenshtein.normalized_similarity(a, b) * 100.0)


def _floor1(x: float) -> float:
    return int(x * 10 + 1e-9) / 10


# -- result records ----------------------------------------------------------------------------


@dataclass
class Match:
    """A fuzzy match: score 0..100 (higher is better), the original texts and where they came from.

    ``terms`` lists glossary hits in the match's source (when a glossary was given), as
    ``(start, end, concept_id)`` in original offsets, so a front end can highlight them.
    """

    score: float
    source: str
    target: str
    origin: str | None
    id: int
    count: int = 1
    source_lang: str = "ar"
    target_lang: str = "en"
    terms: list[tuple[int, int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"score": self.score, "source": self.source, "target": self.target, "origin": self.origin}
        if self.terms:
            d["terms"] = [{"start": s, "end": e, "concept": c} for s, e, c in self.terms]
        return d


@dataclass
class ConcordanceHit:
    """A segment containing the phrase: ``spans`` index the side searched (``side``), in original
    offsets; ``counterpart_spans`` mark the glossary equivalent in the other side when known."""

    id: int
    source: str
    target: str
    origin: str | None
    side: str
    spans: list[tuple[int, int]]
    counterpart_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source if self.side == "source" else self.target

    @property
    def counterpart(self) -> str:
        return self.target if self.side == "source" else self.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "side": self.side,
            "text": self.text,
            "hits": [{"start": s, "end": e, "text": self.text[s:e]} for s, e in self.spans],
            "counterpart": self.counterpart,
            "counterpart_hits": [{"start": s, "end": e, "text": self.counterpart[s:e]} for s, e in self.counterpart_spans],
            "origin": self.origin,
        }


@dataclass
class ImportReport:
    """What an import did: segments read, new rows added, duplicates merged."""

    read: int = 0
    added: int = 0
    merged: int = 0
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "read": self.read, "added": self.added, "merged": self.merged}


@dataclass
class CandidatePlan:
    """How the index will find candidates for a query (``tm search --explain``)."""

    query_key: str
    tokens: list[tuple[str, int]]  # (token, document frequency), rarest first
    used: list[str]  # tokens whose postings are read
    budget: int
    candidates: int  # how many candidates are re-scored
    sql: list[str]  # the statements run, with their SQLite query plans
    plans: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_key": self.query_key,
            "tokens": [{"token": t, "df": df, "used": t in self.used} for t, df in self.tokens],
            "postings_budget": self.budget,
            "rescored_candidates": self.candidates,
            "sql": [{"statement": s, "plan": p} for s, p in zip(self.sql, self.plans)],
        }


# -- the store ---------------------------------------------------------------------------------


class Store:
    """One translation memory in one SQLite file (``":memory:"`` for a throw-away one).

    Example:
        >>> s = Store(":memory:")
        >>> s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")] * 2).to_dict()
        {'files': [], 'read': 2, 'added': 1, 'merged': 1}
        >>> len(s)
        1
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> None:
        import sqlite3

        self.path = os.fspath(path)
        self.readonly = readonly
        if self.path != ":memory:":
            p = Path(self.path)
            if not p.exists():
                if readonly or not create:
                    raise NotFoundError(f"{p}: no such translation memory")
                try:
                    p.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise WriteError(f"{p.parent}: cannot create ({e.strerror})") from e
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{Path(self.path).resolve()}?mode=ro", uri=True, isolation_level=None)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA cache_size = -65536")
            if not readonly:
                self.db.executescript(SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as e:
            raise CtlexError(f"{self.path}: not a ctlex translation memory ({e})") from None
        if not version or version[0] != SCHEMA_VERSION:
            raise CtlexError(f"{self.path}: translation memory schema {version[0] if version else '?'} is not {SCHEMA_VERSION}")
        self._depth = 0

    # -- plumbing ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM segment").fetchone()[0])

    @contextmanager
    def atomic(self) -> Iterator["sqlite3.Connection"]:
        """A transaction: BEGIN … COMMIT, nested through SAVEPOINT, rolled back on any exception."""
        name = f"sp{self._depth}"
        outer = self._depth == 0
        self.db.execute("BEGIN" if outer else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self._depth -= 1
            self.db.execute("ROLLBACK" if outer else f"ROLLBACK TO {name}")
            if not outer:
                self.db.execute(f"RELEASE {name}")
            raise
        self._depth -= 1
        self.db.execute("COMMIT" if outer else f"RELEASE {name}")

    # -- import --------------------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        format: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Import segment files of any registered format, all in ONE transaction.

        A malformed file raises :class:`ctlex.errors.ParseError` (with file and line) and leaves
        the store exactly as it was.

        Example:
            >>> s = Store(":memory:")
            >>> s.import_files(["tm/articles.tmx"]).added  # doctest: +SKIP
            196
        """
        from . import formats

        def stream() -> Iterator[Segment]:
            for p in paths:
                yield from formats.read_segments(p, format)

        report = self.add(stream(), progress=progress)
        report.files = [os.fspath(p) for p in paths]
        return report

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Add segments in one transaction (batched inserts, duplicates merged); return a report.

        English→Arabic pairs are stored Arabic-first, the store's orientation, so fuzzy search and
        concordance always see Arabic on the source side.

        Example:
            >>> s = Store(":memory:")
            >>> s.add([Segment("Poll", "استطلاع رأي", source_lang="en", target_lang="ar")]).added
            1
            >>> next(s.segments()).source
            'استطلاع رأي'
        """
        if self.readonly:
            raise WriteError(f"{self.path}: translation memory is read-only")
        report = ImportReport()
        with self.atomic() as db:
            next_id = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM segment").fetchone()[0]) + 1
            seen: dict[int, int] = {}
            postings: dict[str, array] = {}
            pending = 0
            batch: list[tuple[Any, ...]] = []
            merges: list[tuple[int, Segment]] = []

            def flush_rows() -> None:
                nonlocal batch, merges
                if batch:
                    db.executemany(
                        "INSERT INTO segment (id, source, target, source_lang, target_lang, dkey, origin, props, note, created, changed)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        batch,
                    )
                    batch = []
                if merges:
                    self._merge(merges)
                    merges = []

            def flush_postings() -> None:
                nonlocal pending
                db.executemany(
                    "INSERT INTO postings (token, n, ids) VALUES (?,?,?)",
                    ((tok, len(ids), _pack(ids)) for tok, ids in postings.items()),
                )
                postings.clear()
                pending = 0

            chunk: list[Segment] = []
            for seg in segments:
                chunk.append(seg)
                if len(chunk) < _BATCH:
                    continue
                next_id, pending = self._ingest(chunk, seen, postings, batch, merges, report, next_id, pending)
                chunk = []
                flush_rows()
                if pending >= _FLUSH_POSTINGS:
                    flush_postings()
                if progress is not None:
                    progress(report.read)
            if chunk:
                next_id, pending = self._ingest(chunk, seen, postings, batch, merges, report, next_id, pending)
                flush_rows()
            if postings:
                flush_postings()
            if progress is not None:
                progress(report.read)
        return report

    def _ingest(
        self,
        chunk: list[Segment],
        seen: dict[int, int],
        postings: dict[str, array],
        batch: list[tuple[Any, ...]],
        merges: list[tuple[int, Segment]],
        report: ImportReport,
        next_id: int,
        pending: int,
    ) -> tuple[int, int]:
        prepared = []
        for seg in chunk:
            if _is_arabic_lang(seg.target_lang) and not _is_arabic_lang(seg.source_lang):
                seg = Segment(seg.target, seg.source, seg.target_lang, seg.source_lang, seg.id, seg.origin, seg.props, seg.note, seg.created, seg.changed)
            skey = search_key(seg.source)
            tkey = search_key(seg.target)
            h = blake2b(f"{skey}\x00{tkey}".encode(), digest_size=8).digest()
            prepared.append((seg, skey, tkey, int.from_bytes(h, "little", signed=True)))
        report.read += len(prepared)
        # duplicates of rows stored by an earlier import
        unseen = [p[3] for p in prepared if p[3] not in seen]
        for i in range(0, len(unseen), 900):
            part = unseen[i : i + 900]
            q = f"SELECT dkey, id FROM segment WHERE dkey IN ({','.join('?' * len(part))})"
            for dk, rid in self.db.execute(q, part):
                seen[dk] = rid
        for seg, skey, tkey, dk in prepared:
            rid = seen.get(dk)
            if rid is not None:
                merges.append((rid, seg))
                report.merged += 1
                continue
            rid = next_id
            next_id += 1
            seen[dk] = rid
            report.added += 1
            batch.append((rid, seg.source, seg.target, seg.source_lang, seg.target_lang, dk, seg.origin,
                          json.dumps(seg.props, ensure_ascii=False) if seg.props else None, seg.note, seg.created, seg.changed))
            toks = set(skey.split())
            toks.update(_TARGET + t for t in tkey.split())
            for tok in toks:
                ids = postings.get(tok)
                if ids is None:
                    postings[tok] = ids = array("I")
                ids.append(rid)
            pending += len(toks)
        return next_id, pending

    def _merge(self, merges: list[tuple[int, Segment]]) -> None:
        # rows of this batch may not be written yet: merges run after the batch's INSERT
        ids = sorted({rid for rid, _ in merges})
        rows: dict[int, list[Any]] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id, origin, origins, props, created, changed, count FROM segment WHERE id IN ({','.join('?' * len(part))})"
            for r in self.db.execute(q, part):
                rows[r[0]] = list(r)
        for rid, seg in merges:
            r = rows[rid]
            _, origin, origins, props, created, changed, count = r
            olist = json.loads(origins) if origins else []
            if seg.origin and seg.origin != origin and seg.origin not in olist and len(olist) < _MAX_ORIGINS:
                olist.append(seg.origin)
            p = json.loads(props) if props else {}
            for k, v in seg.props.items():
                p.setdefault(k, v)
            r[2] = json.dumps(olist, ensure_ascii=False) if olist else None
            r[3] = json.dumps(p, ensure_ascii=False) if p else None
            r[4] = min(filter(None, (created, seg.created)), default=None)
            r[5] = max(filter(None, (changed, seg.changed)), default=None)
            r[6] = count + 1
        self.db.executemany(
            "UPDATE segment SET origins = ?, props = ?, created = ?, changed = ?, count = ? WHERE id = ?",
            [(r[2], r[3], r[4], r[5], r[6], r[0]) for r in rows.values()],
        )

    # -- reading back --------------------------------------------------------------------------
    def segments(self) -> Iterator[Segment]:
        """Every stored segment, in id order, as :class:`Segment` (props and dates included)."""
        cur = self.db.execute(
            "SELECT id, source, target, source_lang, target_lang, origin, origins, props, note, created, changed, count FROM segment ORDER BY id"
        )
        for rid, src, tgt, sl, tl, origin, origins, props, note, created, changed, count in cur:
            p = json.loads(props) if props else {}
            if count > 1:
                p["x-ctlex-count"] = str(count)
            if origins:
                p["x-ctlex-origins"] = " ".join(json.loads(origins))
            yield Segment(src, tgt, sl, tl, _tuid(origin, rid), origin, p, note, created, changed)

    def export(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
        """Write every segment to ``path`` (TMX by default, or any registered segment format).

        Example:
            >>> Store(":memory:").export("/tmp/empty.tmx")  # doctest: +SKIP
            0
        """
        from . import formats

        if format is None and not os.fspath(path).lower().endswith(tuple(e for f in formats.FORMATS.values() for e in f.extensions)):
            format = "tmx"
        return formats.write_segments(self.segments(), path, format, **options)

    def stats(self) -> dict[str, Any]:
        """Counts for ``tm stats``: segments, merged duplicates, language pairs, origins, size."""
        db = self.db
        n, total = db.execute("SELECT COUNT(*), COALESCE(SUM(count), 0) FROM segment").fetchone()
        pairs = {f"{a}-{b}": c for a, b, c in db.execute("SELECT source_lang, target_lang, COUNT(*) FROM segment GROUP BY 1, 2")}
        files: dict[str, int] = {}
        for (origin,) in db.execute("SELECT origin FROM segment"):
            f = (origin or "?").split("#")[0].rsplit(":", 1)[0]
            files[f] = files.get(f, 0) + 1
        tokens = db.execute("SELECT COUNT(DISTINCT token) FROM postings").fetchone()[0]
        size = os.path.getsize(self.path) if self.path != ":memory:" and os.path.exists(self.path) else 0
        return {"path": self.path, "segments": n, "units_read": total, "duplicates_merged": total - n,
                "language_pairs": pairs, "origins": dict(sorted(files.items())), "index_tokens": tokens, "bytes": size}

    # -- fuzzy search --------------------------------------------------------------------------
    def _df(self, tokens: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(tokens), 900):
            part = tokens[i : i + 900]
            q = f"SELECT token, SUM(n) FROM postings WHERE token IN ({','.join('?' * len(part))}) GROUP BY token"
            out.update(self.db.execute(q, part).fetchall())
        return out

    def _ids(self, token: str) -> array:
        ids = array("I")
        for (blob,) in self.db.execute("SELECT ids FROM postings WHERE token = ?", (token,)):
            ids.frombytes(blob)
        if sys.byteorder != "little":  # pragma: no cover
            ids.byteswap()
        return ids

    def _plan(self, qkey: str, budget: int) -> tuple[list[tuple[str, int]], list[str]]:
        toks = sorted(set(qkey.split()))
        df = self._df(toks)
        ranked = sorted(((t, df[t]) for t in toks if t in df), key=lambda x: (x[1], x[0]))
        used: list[str] = []
        total = 0
        for t, n in ranked:
            if used and total + n > budget:
                break
            used.append(t)
            total += n
        return ranked, used

    def candidate_plan(self, text: str, *, budget: int = 400_000, candidates: int = 300) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates for ``text``, without running the search.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [t for t, df in s.candidate_plan("تابعنا على فيسبوك").tokens]
            ['تابعنا', 'علي']
        """
        qkey = search_key(text)
        ranked, used = self._plan(qkey, budget)
        sql = [
            "SELECT token, SUM(n) FROM postings WHERE token IN (?, …) GROUP BY token",
            "SELECT ids FROM postings WHERE token = ?",
            "SELECT id, source FROM segment WHERE id IN (?, …)",
        ]
        probes = [
            ("SELECT token, SUM(n) FROM postings WHERE token IN (?) GROUP BY token", ("x",)),
            ("SELECT ids FROM postings WHERE token = ?", ("x",)),
            ("SELECT id, source FROM segment WHERE id IN (?)", (1,)),
        ]
        plans = [[row[-1] for row in self.db.execute("EXPLAIN QUERY PLAN " + q, p)] for q, p in probes]
        return CandidatePlan(qkey, ranked, used, budget, candidates, sql, plans)

    def search(
        self,
        text: str,
        *,
        min_score: float = 70.0,
        limit: int = 5,
        glossary: "Glossary | None" = None,
        budget: int = 400_000,
        candidates: int = 300,
    ) -> list[Match]:
        """The best fuzzy matches for the source segment ``text``, best first.

        The index proposes candidates: the query's tokens, rarest first, vote for the segments that
        contain them until ``budget`` postings have been read; the ``candidates`` best-voted are
        re-scored with :func:`similarity` and those scoring at least ``min_score`` are returned
        (ties broken by id).  With ``glossary``, each match lists the glossary terms in its source.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [(m.score, m.target) for m in s.search("تابعنا على تويتر!", min_score=50)]
            [(100.0, 'Follow us on Twitter')]
        """
        from collections import Counter

        qkey = search_key(text)
        if not qkey:
            return []
        _, used = self._plan(qkey, budget)
        votes: Counter[int] = Counter()
        for tok in used:
            votes.update(self._ids(tok))
        if not votes:
            return []
        best = [rid for rid, _ in votes.most_common(candidates)] if len(votes) > candidates else list(votes)
        return self._rescore(qkey, self._keys(best), min_score, limit, glossary)

    def search_exhaustive(
        self,
        text: str,
        *,
        min_score: float = 70.0,
        limit: int = 5,
        glossary: "Glossary | None" = None,
        keys: dict[int, str] | None = None,
    ) -> list[Match]:
        """The slow reference twin of :meth:`search`: score *every* segment, no index.

        ``keys`` (id → search key, from :meth:`keys`) may be passed to score many queries without
        reading the table again.  Same scores and order as :meth:`search` whenever the index finds
        the best match, which is how recall@1 is measured.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> s.search_exhaustive("تابعنا على تويتر")[0].score
            100.0
        """
        qkey = search_key(text)
        if not qkey:
            return []
        return self._rescore(qkey, keys if keys is not None else self.keys(), min_score, limit, glossary)

    def keys(self) -> dict[int, str]:
        """Every segment's id and search key (for exhaustive scoring and benchmarks)."""
        return {rid: search_key(src) for rid, src in self.db.execute("SELECT id, source FROM segment")}

    def _keys(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id, source FROM segment WHERE id IN ({','.join('?' * len(part))})"
            out.update((rid, search_key(src)) for rid, src in self.db.execute(q, part))
        return out

    def _rescore(self, qkey: str, choices: dict[int, str], min_score: float, limit: int, glossary: "Glossary | None") -> list[Match]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        # extract() keeps the best `limit` (ties: first seen); ask for more and sort by id ourselves
        scored = process.extract(qkey, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=min_score / 100.0,
                                 limit=None)
        scored.sort(key=lambda x: (-x[1], x[2]))
        top = scored[:limit]
        if not top:
            return []
        rows = {r[0]: r for r in self.db.execute(
            f"SELECT id, source, target, origin, count, source_lang, target_lang FROM segment WHERE id IN ({','.join('?' * len(top))})",
            [rid for _, _, rid in top])}
        out = []
        for _, sim, rid in top:
            _, src, tgt, origin, count, sl, tl = rows[rid]
            m = Match(_floor1(sim * 100.0), src, tgt, origin, rid, count, sl, tl)
            if glossary is not None:
                m.terms = [(h.start, h.end, h.concept.id) for h in glossary.scan(src)]
            out.append(m)
        return out

    # -- concordance ---------------------------------------------------------------------------
    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
        """Segments containing ``phrase`` on either side, with the phrase located in the original.

        Arabic phrases are looked up on the source side, normalization- and clitic-aware (searching
        يوروبول finds وليوروبول and لليوروبول); anything else on the target side, case-insensitive.
        With ``glossary``, the glossary equivalent of the phrase is marked in the counterpart.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("التعاون مع وليوروبول", "cooperation with Europol")])
            >>> h = s.concordance("يوروبول")[0]
            >>> h.text[h.spans[0][0]:h.spans[0][1]]
            'وليوروبول'
        """
        pkey = search_key(phrase)
        words = pkey.split()
        if not words:
            return []
        side = "source" if arabic.is_arabic(phrase) else "target"
        prefix = "" if side == "source" else _TARGET
        variants: list[set[str]] = []
        for w in words:
            forms = _clitic_forms(w) if side == "source" else {w}
            found = set(self._df([prefix + f for f in sorted(forms)]))
            variants.append({f[len(prefix):] for f in found})
        if any(not v for v in variants):
            return []
        ids: set[int] | None = None
        for v in sorted(variants, key=len):
            s: set[int] = set()
            for f in v:
                s.update(self._ids(prefix + f))
            ids = s if ids is None else ids & s
            if not ids:
                return []
        assert ids is not None
        counterpart_concepts = _concepts_of(glossary, phrase)
        out: list[ConcordanceHit] = []
        for i in range(0, len(ids), 900):
            part = sorted(ids)[i : i + 900]
            q = f"SELECT id, source, target, origin FROM segment WHERE id IN ({','.join('?' * len(part))}) ORDER BY id"
            for rid, src, tgt, origin in self.db.execute(q, part):
                text = src if side == "source" else tgt
                spans = _find_phrase(text, variants)
                if not spans:
                    continue
                hit = ConcordanceHit(rid, src, tgt, origin, side, spans)
                if counterpart_concepts and glossary is not None:
                    other = tgt if side == "source" else src
                    hit.counterpart_spans = [(h.start, h.end) for h in glossary.scan(other) if h.concept.id in counterpart_concepts]
                out.append(hit)
                if len(out) >= limit:
                    return out
        return out


def _pack(ids: array) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover
        ids = array("I", ids)
        ids.byteswap()
    return ids.tobytes()


def _is_arabic_lang(lang: str | None) -> bool:
    return bool(lang) and lang.lower().split("-")[0] == "ar"  # type: ignore[union-attr]


def _tuid(origin: str | None, rid: int) -> str:
    if origin and "#" in origin:
        return origin.split("#", 1)[1]
    return str(rid)


_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def _clitic_forms(word: str) -> set[str]:
    """Key-level spellings of ``word`` with proclitics (و ف, ب ك ل, ال, لل), each confirmed by
    :func:`ctlex.arabic.clitic_candidates` so no form is invented.

    >>> {"وليوروبول", "لليوروبول", "اليوروبول"} <= _clitic_forms("يوروبول")
    True
    """
    if not arabic.is_arabic(word):
        return {word}
    stem = word[2:] if word.startswith("ال") and len(word) - 2 >= 3 else word
    forms = {word}
    for conj in _CONJ:
        for prep in _PREP:
            forms.add(conj + prep + stem)
            forms.add(conj + ("لل" if prep == "ل" else prep + "ال") + stem)
    return {f for f in forms if f == word or stem in arabic.clitic_candidates(f)}


def _find_phrase(text: str, variants: list[set[str]]) -> list[tuple[int, int]]:
    norm = arabic.key(text)
    toks = arabic.tokenize(norm.text)
    n = len(variants)
    spans = []
    i = 0
    while i + n <= len(toks):
        if all(toks[i + j][2] in variants[j] for j in range(n)):
            spans.append(norm.span(toks[i][0], toks[i + n - 1][1]))
            i += n
        else:
            i += 1
    return spans


def _concepts_of(glossary: "Glossary | None", phrase: str) -> set[str]:
    if glossary is None:
        return set()
    return {m.concept.id for m in glossary.lookup(phrase, limit=3, fuzzy=False)}


# -- several stores behind one interface -------------------------------------------------------


class TM:
    """The translation memory a user sees: one or more :class:`Store`\\ s, the last one writable.

    Search and concordance query every store and merge the results; imports go to the writable
    store.  ``ctlex tm`` commands use :func:`open_tm`.

    Example:
        >>> tm = TM([Store(":memory:")])
        >>> tm.add([Segment("استطلاع رأي", "Poll")]).added
        1
        >>> tm.search("استطلاع رأي")[0].target
        'Poll'
    """

    def __init__(self, stores: Sequence[Store], writable: Store | None = None, *, user_path: str | None = None) -> None:
        self.stores = list(stores)
        self.writable = writable if writable is not None else next((s for s in reversed(self.stores) if not s.readonly), None)
        self._user_path = user_path

    def close(self) -> None:
        for s in self.stores:
            s.close()

    def __enter__(self) -> "TM":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _target(self) -> Store:
        if self.writable is None:
            if self._user_path is None:
                raise WriteError("this translation memory is read-only")
            self.writable = Store(self._user_path)
            self.stores.append(self.writable)
        return self.writable

    def add(self, segments: Iterable[Segment], *, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Add segments to the writable store (see :meth:`Store.add`)."""
        return self._target().add(segments, progress=progress)

    def import_files(self, paths: Sequence[str | os.PathLike[str]], *, format: str | None = None,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import files into the writable store, in one transaction (see :meth:`Store.import_files`)."""
        return self._target().import_files(paths, format=format, progress=progress)

    def search(self, text: str, *, min_score: float = 70.0, limit: int = 5, glossary: "Glossary | None" = None) -> list[Match]:
        """Best fuzzy matches over all stores (see :meth:`Store.search`); equal pairs shown once."""
        found = [m for s in self.stores for m in s.search(text, min_score=min_score, limit=limit, glossary=glossary)]
        return _merge_matches(found, limit)

    def search_exhaustive(self, text: str, *, min_score: float = 70.0, limit: int = 5) -> list[Match]:
        """Reference twin of :meth:`search` (every segment scored)."""
        found = [m for s in self.stores for m in s.search_exhaustive(text, min_score=min_score, limit=limit)]
        return _merge_matches(found, limit)

    def candidate_plans(self, text: str) -> list[tuple[str, CandidatePlan]]:
        """One :class:`CandidatePlan` per store."""
        return [(s.path, s.candidate_plan(text)) for s in self.stores]

    def concordance(self, phrase: str, *, limit: int = 50, glossary: "Glossary | None" = None) -> list[ConcordanceHit]:
        """Concordance over all stores (see :meth:`Store.concordance`)."""
        out: list[ConcordanceHit] = []
        seen: set[tuple[str, str]] = set()
        for s in self.stores:
            for h in s.concordance(phrase, limit=limit, glossary=glossary):
                if (h.source, h.target) not in seen:
                    seen.add((h.source, h.target))
                    out.append(h)
        return out[:limit]

    def segments(self) -> Iterator[Segment]:
        """Every segment of every store (pairs present in several stores once)."""
        seen: set[tuple[str, str]] = set()
        for s in self.stores:
            for seg in s.segments():
                k = (search_key(seg.source), search_key(seg.target))
                if k not in seen:
                    seen.add(k)
                    yield seg

    def export(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
        """Write all segments to one file (TMX unless ``format`` or the extension says otherwise)."""
        from . import formats

        if format is None and not os.fspath(path).lower().endswith(tuple(e for f in formats.FORMATS.values() for e in f.extensions)):
            format = "tmx"
        return formats.write_segments(self.segments(), path, format, **options)

    def stats(self) -> dict[str, Any]:
        """Per-store statistics and totals."""
        per = [s.stats() for s in self.stores]
        return {"segments": sum(p["segments"] for p in per), "stores": per}


def _merge_matches(found: list[Match], limit: int) -> list[Match]:
    found.sort(key=lambda m: (-m.score, m.id))
    out: list[Match] = []
    seen: set[tuple[str, str]] = set()
    for m in found:
        if (m.source, m.target) not in seen:
            seen.add((m.source, m.target))
            out.append(m)
    return out[:limit]


# -- where the TM lives ------------------------------------------------------------------------

TM_ENV = "CTLEX_TM"


def user_tm_path() -> Path:
    """The user's own TM: ``$CTLEX_TM``, else ``<user data dir>/tm.sqlite``."""
    from .data import user_data_dir

    env = os.environ.get(TM_ENV)
    return Path(env) if env else user_data_dir() / "tm.sqlite"


def shipped_store() -> Store | None:
    """The shipped ``tm/*.tmx`` files as a read-only store, cached as SQLite in the user data dir.

    The cache is rebuilt (atomically: built aside, then renamed) whenever the shipped files change.
    """
    from .data import tm_files, user_data_dir

    files = tm_files()
    if not files:
        return None
    sig = json.dumps([[f.name, f.stat().st_size, int(f.stat().st_mtime)] for f in files])
    cache = user_data_dir() / "cache" / "shipped-tm.sqlite"
    if cache.exists():
        try:
            s = Store(cache, readonly=True)
            row = s.db.execute("SELECT value FROM meta WHERE key = 'shipped'").fetchone()
            if row and row[0] == sig:
                return s
            s.close()
        except CtlexError:
            pass
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        with Store(tmp) as s:
            s.import_files(files)
            s.db.execute("INSERT OR REPLACE INTO meta VALUES ('shipped', ?)", (sig,))
        os.replace(tmp, cache)
    finally:
        if tmp.exists():
            tmp.unlink()
    return Store(cache, readonly=True)


def open_tm(path: str | os.PathLike[str] | None = None) -> TM:
    """The TM for ``ctlex tm``: the store at ``path``, or by default the shipped data plus the
    user TM (created on the first import).

    Example:
        >>> tm = open_tm(":memory:")
        >>> tm.stats()["segments"]
        0
    """
    if path is not None:
        return TM([Store(path)])
    return default_tm()


def default_tm() -> TM:
    """Shipped ``tm/`` data (read-only cache) plus the user TM (see :func:`user_tm_path`)."""
    stores: list[Store] = []
    shipped = shipped_store()
    if shipped is not None:
        stores.append(shipped)
    user = user_tm_path()
    writable = None
    if user.exists():
        writable = Store(user)
        stores.append(writable)
    return TM(stores, writable, user_path=os.fspath(user))
