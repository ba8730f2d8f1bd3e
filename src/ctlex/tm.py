"""Translation memory: an SQLite store of aligned segments, fuzzy search and concordance.

One noun, :class:`Store` (one SQLite file), holds :class:`ctlex.segment.Segment`\\ s; :class:`TM`
puts several stores behind one interface (the shipped ``tm/`` data plus the user's own TM).

Layout of a store (see :data:`SCHEMA`):

``segment``
    One row per distinct (source, target) pair: the original texts, languages, origin, properties
    (JSON), note, dates and ``dkey``, a 64-bit hash of both sides' ``arabic.key`` texts.  Importing
    a pair that is already there *merges* it: ``count`` goes up, the origin is added to
    ``origins``, new properties are added, the earliest creation and latest change dates are kept.
``segkey``
    The source side's search key (:func:`search_key`), one byte a character where Windows-1256
    can hold it, so candidates are re-scored without normalizing them again.
``seglen``
    The length of each source key, as packed ``int32`` runs (``first`` id, lengths): search loads
    it once into a numpy array and skips segments too short or too long to reach ``min_score``.
``postings``
    An inverted index from keys to the ids of the segments containing them: source words, source
    word bigrams (``"w1 w2"``) and target words (prefixed with a tab), at ``key`` level.  Ids are
    stored sorted, as the first id and the gaps to the next ones, each gap in 1, 2 or 4 bytes
    (:func:`_unpack_ids`).  Imports write one chunk per key each time they flush, so a key may
    have several chunks.

Fuzzy search (:meth:`Store.search`) is *index, then re-rank*: the query's rarest words and
bigrams (up to a postings budget) vote, weighted by idf, for segments (numpy over an array
indexed by segment id), the length bound drops segments that cannot reach ``min_score``, the
best-voted candidates are re-scored with RapidFuzz, and :meth:`Store.search_exhaustive` is the
slow twin that scores every segment, against which the index's recall is measured.  Scores are
the translator's familiar percentage: ``100 × (1 − Levenshtein distance / length of the longer
text)`` on the ``key`` normalization, so tatweel, diacritics, alef forms, punctuation and case
never cost points; the original texts are returned.

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
import math
import os
from array import array
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterable, Iterator, Sequence

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

SCHEMA_VERSION = "2"
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
CREATE TABLE IF NOT EXISTS segkey (id INTEGER PRIMARY KEY, key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS seglen (first INTEGER PRIMARY KEY, lens BLOB NOT NULL);
"""

_TARGET = "\t"  # prefix of target-side tokens in ``postings`` (a key token never holds a tab)
_BATCH = 5000  # segments per executemany
_FLUSH_POSTINGS = 12_000_000  # word tokens held in memory before the index is written (a chunk per key)
_MAX_ORIGINS = 50  # merged duplicates remember at most this many further origins


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) without a new encoder a call

# The TM indexes the offset-free key text; it is arabic.key_text (cached word by word).
search_key = arabic.key_text


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
        self._depth = 0
        self._cache: tuple[int, Any, int] | None = None  # (data_version, key lengths, segments)
        self._lookup_stored = True  # whether an import must look its pairs up among stored rows
        if version and version[0] == "1" and not readonly:
            self._upgrade_from_1()
        elif not version or version[0] != SCHEMA_VERSION:
            raise CtlexError(f"{self.path}: translation memory schema {version[0] if version else '?'} is not {SCHEMA_VERSION}")

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
            >>> from ctlex.data import tm_files
            >>> s = Store(":memory:")
            >>> s.import_files(tm_files()).added
            190
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
        self.db.execute("PRAGMA mmap_size = 0")
        try:
            with self.atomic() as db:
                self._add(db, segments, report, progress)
        finally:
            self._cache = None
        return report

    def _add(self, db: "sqlite3.Connection", segments: Iterable[Segment], report: ImportReport,
             progress: Callable[[int], None] | None) -> None:
        next_id = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM segment").fetchone()[0]) + 1
        # dkey -> id of every row this import added, plus the stored rows its pairs were looked up
        # in (no need to look when the store starts empty)
        seen: dict[int, int] = {}
        self._lookup_stored = next_id > 1
        if not self._lookup_stored:  # bulk load: build the dkey index once at the end, not row by row
            db.execute("DROP INDEX IF EXISTS segment_dkey")
        index = _IndexBuilder()
        batch: list[tuple[Any, ...]] = []
        keyrows: list[tuple[int, bytes | str]] = []
        merges: dict[int, list[Any]] = {}  # written once, at the end (see _merge)

        def flush_rows() -> None:
            nonlocal batch, keyrows
            if batch:
                _insert_rows(db, batch, keyrows)
                batch, keyrows = [], []

        with closing(_keyed_batches(segments)) as batches:  # closing: the helper process stops on any error
            for chunk, keyed in batches:
                next_id = self._ingest(chunk, keyed, seen, index, batch, keyrows, merges, report, next_id)
                flush_rows()
                if index.pending >= _FLUSH_POSTINGS:
                    index.take()(db)
                if progress is not None:
                    progress(report.read)
        index.take()(db)
        self._merge(merges)
        db.execute("CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey)")
        if progress is not None:
            progress(report.read)

    def _ingest(
        self,
        chunk: list[Segment],
        keyed: list[tuple[str, str, int]],
        seen: dict[int, int],
        index: "_IndexBuilder",
        batch: list[tuple[Any, ...]],
        keyrows: list[tuple[int, bytes | str]],
        merges: dict[int, list[Any]],
        report: ImportReport,
        next_id: int,
    ) -> int:
        report.read += len(chunk)
        # duplicates of rows stored by an earlier import
        unseen = [k[2] for k in keyed if k[2] not in seen] if self._lookup_stored else []
        for i in range(0, len(unseen), 900):
            part = unseen[i : i + 900]
            q = f"SELECT dkey, id FROM segment WHERE dkey IN ({','.join('?' * len(part))})"
            for dk, rid in self.db.execute(q, part):
                seen[dk] = rid
        add = index.add
        for seg, (skey, tkey, dk) in zip(chunk, keyed):
            rid = seen.get(dk)
            if rid is not None:
                m = merges.get(rid)
                if m is None:
                    merges[rid] = m = [[], {}, None, None, 0]
                if seg.origin and seg.origin not in m[0] and len(m[0]) <= 2 * _MAX_ORIGINS:
                    m[0].append(seg.origin)
                for k, v in seg.props.items():
                    m[1].setdefault(k, v)
                if seg.created and (m[2] is None or seg.created < m[2]):
                    m[2] = seg.created
                if seg.changed and (m[3] is None or seg.changed > m[3]):
                    m[3] = seg.changed
                m[4] += 1
                report.merged += 1
                continue
            rid = next_id
            next_id += 1
            seen[dk] = rid
            report.added += 1
            batch.append((rid, seg.source, seg.target, seg.source_lang, seg.target_lang, dk, seg.origin,
                          _to_json(seg.props) if seg.props else None, seg.note, seg.created, seg.changed))
            add(rid, skey, tkey)
            keyrows.append((rid, _pack_key(skey)))
        return next_id

    def _upgrade_from_1(self) -> None:
        """Rebuild the index of a schema-1 store (word postings only; no stored keys, lengths or
        bigrams) from its segments, in one transaction."""
        with self.atomic() as db:
            db.execute("DELETE FROM postings")
            db.execute("DELETE FROM segkey")
            db.execute("DELETE FROM seglen")
            index = _IndexBuilder()
            keyrows: list[tuple[int, bytes | str]] = []
            for rid, src, tgt in db.execute("SELECT id, source, target FROM segment ORDER BY id").fetchall():
                skey = search_key(src)
                index.add(rid, skey, search_key(tgt))
                keyrows.append((rid, _pack_key(skey)))
                if index.pending >= _FLUSH_POSTINGS:
                    index.take()(db)
            index.take()(db)
            db.executemany("INSERT INTO segkey (id, key) VALUES (?,?)", keyrows)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))

    def _merge(self, merges: dict[int, list[Any]]) -> None:
        """Fold the duplicates an import found into their rows, in id order (few, sequential writes).

        ``merges`` maps a row id to what its duplicates brought, in the order they came: their
        distinct origins (enough of them to fill ``origins`` whatever the row already holds),
        their properties (first value of each name), earliest creation and latest change dates,
        and how many there were.  The result is what merging them one by one would give.
        """
        ids = sorted(merges)
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id, origin, origins, props, created, changed, count FROM segment WHERE id IN ({','.join('?' * len(part))})"
            updates = []
            for rid, origin, origins, props, created, changed, count in self.db.execute(q, part):
                new_origins, new_props, new_created, new_changed, n = merges[rid]
                olist = json.loads(origins) if origins else []
                for o in new_origins:
                    if len(olist) >= _MAX_ORIGINS:
                        break
                    if o != origin and o not in olist:
                        olist.append(o)
                p = json.loads(props) if props else {}
                for k, v in new_props.items():
                    p.setdefault(k, v)
                updates.append((_to_json(olist) if olist else None, _to_json(p) if p else None,
                                min(filter(None, (created, new_created)), default=None),
                                max(filter(None, (changed, new_changed)), default=None), count + n, rid))
            self.db.executemany("UPDATE segment SET origins = ?, props = ?, created = ?, changed = ?, count = ? WHERE id = ?", updates)

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
            >>> import os, tempfile
            >>> Store(":memory:").export(os.path.join(tempfile.mkdtemp(), "empty.tmx"))
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

    def _ids(self, token: str) -> list[int]:
        ids: list[int] = []
        for (blob,) in self.db.execute("SELECT ids FROM postings WHERE token = ?", (token,)):
            ids += _unpack_ids(blob).tolist()
        return ids

    def _plan(self, qkey: str, budget: int) -> tuple[list[tuple[str, int]], list[str]]:
        toks = sorted(_features(qkey))
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

    def _lengths(self) -> tuple[Any, int]:
        """Source-key length per segment id (-1 where there is none) and the number of segments;
        cached until this store or another connection writes (``PRAGMA data_version``)."""
        import numpy as np

        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1], self._cache[2]
        # searching reads pages straight from the OS page cache (imports turn this off again: mapped
        # pages would count towards their memory)
        self.db.execute("PRAGMA mmap_size = 1073741824")
        rows = self.db.execute("SELECT first, lens FROM seglen").fetchall()
        top = max((first + len(blob) // 4 for first, blob in rows), default=0)
        lens = np.full(top + 1, -1, dtype=np.int32)
        for first, blob in rows:
            lens[first : first + len(blob) // 4] = np.frombuffer(blob, dtype="<i4")
        n = int(np.count_nonzero(lens >= 0))
        self._cache = (version, lens, n)
        return lens, n

    def _defaults(self, budget: int | None, candidates: int | None) -> tuple[int, int]:
        """The postings budget and candidate count for this store's size, unless given: the more
        segments, the more of them share a query's rarer keys, so both grow (within bounds)."""
        n = self._lengths()[1]
        if budget is None:
            budget = max(30_000, min(400_000, n // 4))
        if candidates is None:
            candidates = max(100, min(500, n // 2000))
        return budget, candidates

    def candidate_plan(self, text: str, *, budget: int | None = None, candidates: int | None = None) -> CandidatePlan:
        """Explain how :meth:`search` finds candidates for ``text``, without running the search.

        ``tokens`` are the query's index keys (words, and word bigrams such as ``"تابعنا علي"``)
        with their document frequencies, rarest first.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [t for t, df in s.candidate_plan("تابعنا على فيسبوك").tokens]
            ['تابعنا', 'تابعنا علي', 'علي']
        """
        qkey = search_key(text)
        budget, candidates = self._defaults(budget, candidates)
        ranked, used = self._plan(qkey, budget)
        sql = [
            "SELECT token, SUM(n) FROM postings WHERE token IN (?, …) GROUP BY token",
            "SELECT token, ids FROM postings WHERE token IN (?, …)",
            "SELECT first, lens FROM seglen  -- cached: key length per segment, for the length bound",
            "SELECT id, source FROM segment WHERE id IN (?, …)",
        ]
        probes = [
            ("SELECT token, SUM(n) FROM postings WHERE token IN (?) GROUP BY token", ("x",)),
            ("SELECT token, ids FROM postings WHERE token IN (?)", ("x",)),
            ("SELECT first, lens FROM seglen", ()),
            ("SELECT id, source FROM segment WHERE id IN (?)", (1,)),
        ]
        plans = [[row[-1] for row in self.db.execute("EXPLAIN QUERY PLAN " + q, p)] for q, p in probes]
        return CandidatePlan(qkey, ranked, used, budget, candidates, sql, plans)

    def _candidates(self, qkey: str, used: list[str], df: dict[str, int], min_score: float, candidates: int) -> list[int]:
        """Ids of the ``candidates`` segments the index ranks best for ``qkey``.

        Every key in ``used`` votes, weighted by its idf, for the segments it occurs in (numpy,
        over an array indexed by segment id).  Segments whose length alone keeps them under
        ``min_score`` are dropped (similarity ≤ shorter / longer length), and the rest ranked by
        votes × that length ratio.
        """
        import numpy as np

        lens, n = self._lengths()
        q = f"SELECT token, ids FROM postings WHERE token IN ({','.join('?' * len(used))})"
        ids, weights = [], []
        for tok, blob in self.db.execute(q, used):
            ids.append(_unpack_ids(blob))
            weights.append(math.log((n + 1) / df[tok]))
        if not ids:
            return []
        # a key's ids are distinct (within a chunk and across its chunks): one vote per key and segment
        scores = np.bincount(np.concatenate(ids), weights=np.repeat(weights, [len(a) for a in ids]), minlength=len(lens))
        cand = np.flatnonzero(scores)
        lq = len(qkey)
        ls = lens[cand]
        if min_score > 0:
            c = min_score / 100.0
            ok = (ls >= c * lq - 1e-9) & (ls * c <= lq + 1e-9)
            cand, ls = cand[ok], ls[ok]
        if len(cand) > candidates:
            rank = scores[cand] * (np.minimum(ls, lq) / np.maximum(np.maximum(ls, lq), 1))
            cand = cand[np.argpartition(-rank, candidates - 1)[:candidates]]
        return cand.tolist()

    def search(
        self,
        text: str,
        *,
        min_score: float = 70.0,
        limit: int = 5,
        glossary: "Glossary | None" = None,
        budget: int | None = None,
        candidates: int | None = None,
    ) -> list[Match]:
        """The best fuzzy matches for the source segment ``text``, best first.

        The index proposes candidates: the query's words and word bigrams, rarest first, until
        ``budget`` postings have been read, vote (idf-weighted) for the segments that contain them;
        segments too short or too long to reach ``min_score`` are skipped; the ``candidates``
        best-voted are re-scored with :func:`similarity` and those scoring at least ``min_score``
        are returned (ties broken by id).  ``budget`` and ``candidates`` default to values that
        grow with the store (30,000–400,000 postings, 100–500 candidates).  With ``glossary``, each
        match lists the glossary terms in its source.

        Example:
            >>> s = Store(":memory:")
            >>> _ = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])
            >>> [(m.score, m.target) for m in s.search("تابعنا على تويتر!", min_score=50)]
            [(100.0, 'Follow us on Twitter')]
        """
        qkey = search_key(text)
        if not qkey:
            return []
        budget, candidates = self._defaults(budget, candidates)
        ranked, used = self._plan(qkey, budget)
        if not used:
            return []
        best = self._candidates(qkey, used, dict(ranked), min_score, candidates)
        if not best:
            return []
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
        return {rid: _unpack_key(k) for rid, k in self.db.execute("SELECT id, key FROM segkey")}

    def _keys(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id, key FROM segkey WHERE id IN ({','.join('?' * len(part))})"
            out.update((rid, _unpack_key(k)) for rid, k in self.db.execute(q, part))
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
        يوروبول finds وليوروبول and لليوروبول; a query word that carries a clitic itself, such as
        بالإنتربول, falls back to its stem); anything else on the target side, case-insensitive.
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
            if not found and side == "source":  # the query itself carries a clitic (بالإنتربول)
                for stem in arabic.clitic_candidates(w)[1:]:
                    forms |= _clitic_forms(stem)
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


_WIDTHS = {1: "u1", 2: "<u2", 4: "<u4"}


def _unpack_ids(blob: bytes) -> Any:
    """The segment ids of one postings chunk (see :func:`_postings_rows`) as a numpy array."""
    import numpy as np

    width = blob[0]
    ids = np.empty((len(blob) - 5) // width + 1, dtype=np.int64)
    ids[0] = int.from_bytes(blob[1:5], "little")
    ids[1:] = np.frombuffer(blob, dtype=_WIDTHS[width], offset=5)
    return np.cumsum(ids, out=ids)


def _orient(seg: Segment) -> Segment:
    """English→Arabic pairs turned Arabic-first, the store's orientation."""
    tl = _ARABIC_LANG.get(seg.target_lang)
    if tl is None:
        tl = _ARABIC_LANG[seg.target_lang] = _is_arabic_lang(seg.target_lang)
    if tl and not _is_arabic_lang(seg.source_lang):
        return Segment(seg.target, seg.source, seg.target_lang, seg.source_lang, seg.id, seg.origin, seg.props, seg.note, seg.created, seg.changed)
    return seg


def _pair_keys(pairs: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """``(source key, target key, dkey)`` of each pair: dkey is a 64-bit hash of both keys."""
    out = []
    for src, tgt in pairs:
        skey = search_key(src)
        tkey = search_key(tgt)
        h = blake2b(f"{skey}\x00{tkey}".encode(), digest_size=8).digest()
        out.append((skey, tkey, int.from_bytes(h, "little", signed=True)))
    return out


_SERIAL_BATCHES = 10  # imports longer than this many batches normalize in a helper process


def _keyed_batches(segments: Iterable[Segment]) -> Generator[tuple[list[Segment], list[tuple[str, str, int]]], None, None]:
    """Batches of (oriented) segments with their :func:`_pair_keys`.

    Normalizing is the largest share of an import's own work.  Past the first few batches (that
    is, in a large import) it moves to one helper process, which works one or two batches ahead
    while this process parses and writes: the two halves run on two cores.  Where no process
    can be started, everything stays in this one.
    """
    import itertools

    it = iter(segments)

    def batches() -> Iterator[list[Segment]]:
        while True:
            b = [_orient(s) for s in itertools.islice(it, _BATCH)]
            if not b:
                return
            yield b

    gen = batches()
    for b in itertools.islice(gen, _SERIAL_BATCHES):
        yield b, _pair_keys([(s.source, s.target) for s in b])
    first = next(gen, None)
    if first is None:
        return
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    except (ImportError, OSError, NotImplementedError):  # pragma: no cover - no processes here
        for b in itertools.chain([first], gen):
            yield b, _pair_keys([(s.source, s.target) for s in b])
        return
    from collections import deque

    with pool:
        pending: deque[tuple[list[Segment], Any]] = deque()
        try:
            for b in itertools.chain([first], gen):
                pending.append((b, pool.submit(_pair_keys, [(s.source, s.target) for s in b])))
                if len(pending) > 2:
                    b, keyed = pending.popleft()
                    yield b, keyed.result()
            while pending:
                b, keyed = pending.popleft()
                yield b, keyed.result()
        finally:
            for _, f in pending:
                f.cancel()


def _insert_rows(db: "sqlite3.Connection", rows: list[tuple[Any, ...]], keyrows: list[tuple[int, bytes | str]]) -> None:
    db.executemany(
        "INSERT INTO segment (id, source, target, source_lang, target_lang, dkey, origin, props, note, created, changed)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.executemany("INSERT INTO segkey (id, key) VALUES (?,?)", keyrows)


class _IndexBuilder:
    """Collects the index keys of the segments an import adds and writes them as postings.

    Each new segment contributes its source words, its source word *bigrams* (``"w1 w2"``; a key
    word never holds a space) and its target words (prefixed with :data:`_TARGET`), each once,
    plus the length of its source key (``seglen``).  Words are numbered as they come (for the whole
    import), held in flat ``array``\\ s, and turned into postings with numpy when :meth:`flush` is
    called: one sort of ``key << bits | segment`` per kind of key, then one ``(token, n, ids)`` row
    per distinct key.
    """

    def __init__(self) -> None:
        self.words: dict[str, int] = {}  # source word -> number
        self.twords: dict[str, int] = {}  # target word -> number
        self.src = array("i")  # source word numbers, segment after segment
        self.tgt = array("i")
        self.src_n = array("i")  # words per segment
        self.tgt_n = array("i")
        self.rids = array("i")  # segment ids (consecutive)
        self.lens = array("i")  # source key length per segment

    @property
    def pending(self) -> int:
        return len(self.src) + len(self.tgt)

    def add(self, rid: int, skey: str, tkey: str) -> None:
        sw, tw = skey.split(), tkey.split()
        try:  # the usual case: every word numbered already
            w = self.words
            s = list(map(w.__getitem__, sw))
        except KeyError:
            s = [_number(w, x) for x in sw]
        try:
            w = self.twords
            t = list(map(w.__getitem__, tw))
        except KeyError:
            t = [_number(w, x) for x in tw]
        self.src.extend(s)
        self.tgt.extend(t)
        self.src_n.append(len(s))
        self.tgt_n.append(len(t))
        self.rids.append(rid)
        self.lens.append(len(skey))

    def take(self) -> Callable[["sqlite3.Connection"], None]:
        """A job that writes the postings collected so far; the builder starts afresh."""
        state = (self.src, self.tgt, self.src_n, self.tgt_n, self.rids, self.lens, list(self.words), list(self.twords))
        self.src, self.tgt, self.src_n, self.tgt_n, self.rids, self.lens = (array("i") for _ in range(6))
        return lambda db: _write_postings(db, *state)


def _write_postings(db: "sqlite3.Connection", src: array, tgt: array, src_n: array, tgt_n: array, rids_: array,
                    lens_: array, words: list[str], twords: list[str]) -> None:
    """Write an :class:`_IndexBuilder`'s collected keys: ``seglen`` runs and one postings chunk per key."""
    if not rids_:
        return
    import numpy as np

    nseg = len(rids_)
    rids = np.frombuffer(rids_, dtype=np.int32)
    lens = np.frombuffer(lens_, dtype=np.int32).astype("<i4")
    runs = np.r_[0, np.flatnonzero(np.diff(rids) != 1) + 1, nseg].tolist()  # consecutive ids share a row
    db.executemany("INSERT INTO seglen (first, lens) VALUES (?, ?)",
                   [(int(rids[a]), lens[a:b].tobytes()) for a, b in zip(runs, runs[1:])])
    bits = max(1, nseg.bit_length())
    put = "INSERT INTO postings (token, n, ids) VALUES (?,?,?)"
    # source word bigrams, then words (each array is consumed by _postings_rows)
    tok = np.frombuffer(src, np.int32)
    local = np.repeat(np.arange(nseg, dtype=np.int32), np.frombuffer(src_n, np.int32))
    if len(tok) > 1:
        keep = local[1:] == local[:-1]  # pairs inside one segment
        v = len(words)
        code = tok[:-1][keep].astype(np.int64)
        code *= v
        code += tok[1:][keep]
        pair_local = local[:-1][keep]
        del keep
        db.executemany(put, _postings_rows(code, pair_local, bits, rids, lambda c: f"{words[c // v]} {words[c % v]}"))
        del code, pair_local
    db.executemany(put, _postings_rows(tok.astype(np.int64), local, bits, rids, words.__getitem__))
    del tok, local
    # target words
    tok = np.frombuffer(tgt, np.int32).astype(np.int64)
    local = np.repeat(np.arange(nseg, dtype=np.int32), np.frombuffer(tgt_n, np.int32))
    db.executemany(put, _postings_rows(tok, local, bits, rids, lambda c: _TARGET + twords[c]))
    del tok, local


def _number(numbers: dict[str, int], word: str) -> int:
    n = numbers.get(word)
    if n is None:
        n = numbers[word] = len(numbers)
    return n


def _postings_rows(keys: Any, local: Any, bits: int, rids: Any, name: Callable[[int], str]) -> Iterator[tuple[str, int, bytes]]:
    """``(token, n, packed ids)`` rows for the (key, segment) pairs ``keys[i], local[i]``, each pair once."""
    import numpy as np

    if not len(keys):
        return
    kmax = int(keys.max())
    if kmax.bit_length() + bits <= 62:  # one in-place sort of the packed pairs (``keys`` is consumed)
        keys <<= bits
        keys |= local
        keys.sort()
        if len(keys) > 1:  # a word twice in one segment is posted once
            keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        seg = (keys & ((1 << bits) - 1)).astype(np.int32)
        keys >>= bits
        k = keys
    else:  # pragma: no cover - vocabularies of millions of words
        order = np.lexsort((local, keys))
        k, seg = keys[order], local[order]
        new = np.ones(len(k), dtype=bool)
        new[1:] = (k[1:] != k[:-1]) | (seg[1:] != seg[:-1])
        k, seg = k[new], seg[new]
    del keys, local
    ids = rids[seg].astype(np.int64)
    del seg
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    names = k[starts].tolist()
    del k
    ends = np.r_[starts[1:], len(ids)].tolist()
    # a chunk is: width (1, 2 or 4), the first id (4 bytes), then the gaps to the next ids, each
    # in `width` bytes (little-endian): frequent keys cost a byte or two a posting
    gaps = np.diff(ids, prepend=0)
    gaps[starts] = 0
    widest = np.maximum.reduceat(gaps, starts).tolist()
    firsts = ids[starts].tolist()
    del ids
    needed = {_width(g) for g in widest}
    packed = {w: gaps.astype(t) for w, t in _WIDTHS.items() if w in needed}
    del gaps
    for key, b, e, top, first in zip(names, starts.tolist(), ends, widest, firsts):
        width = _width(top)
        yield name(key), e - b, bytes((width,)) + first.to_bytes(4, "little") + packed[width][b + 1 : e].tobytes()


def _width(gap: int) -> int:
    return 1 if gap < 256 else 2 if gap < 65536 else 4


def _pack_key(key: str) -> bytes | str:
    """A stored search key: one byte a character (Windows-1256 covers Arabic, digits and Latin
    letters) when it can be, else the text itself (SQLite keeps the type)."""
    try:
        return key.encode("cp1256")
    except UnicodeEncodeError:
        return key


def _unpack_key(stored: bytes | str) -> str:
    return stored.decode("cp1256") if isinstance(stored, bytes) else stored


def _features(qkey: str) -> set[str]:
    """The index keys of a source key: its words and its word bigrams (``"w1 w2"``)."""
    words = qkey.split()
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


_ARABIC_LANG: dict[str, bool] = {}


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
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with Store(tmp) as s:
            s.import_files(files)
            s.db.execute("INSERT OR REPLACE INTO meta VALUES ('shipped', ?)", (sig,))
        os.replace(tmp, cache)
    except (OSError, WriteError):  # no writable data directory: keep the shipped TM in memory
        mem = Store(":memory:")
        mem.import_files(files)
        return mem
    finally:
        if tmp.exists():
            tmp.unlink()
    return Store(cache, readonly=True)


def open_tm(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> TM:
    """The TM for ``ctlex tm``: the store at ``path``, or by default the shipped data plus the
    user TM (created on the first import).  With ``create=False`` a missing ``path`` is an
    error instead of a new empty store (for commands that only read).

    Example:
        >>> tm = open_tm(":memory:")
        >>> tm.stats()["segments"]
        0
    """
    if path is not None:
        return TM([Store(path, create=create)])
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
