"""Importing segments into a store: batched inserts, duplicates merged, the index built once."""

from __future__ import annotations

import json
from contextlib import closing
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..segment import Segment
from .keys import pack_key, to_json
from .postings import FLUSH_POSTINGS, IndexBuilder
from .records import ImportReport
from .workers import keyed_batches

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

MAX_ORIGINS = 50  # merged duplicates remember at most this many further origins


class Importer:
    """One import into one connection, inside the caller's transaction."""

    def __init__(self, db: "sqlite3.Connection") -> None:
        self.db = db
        self.lookup_stored = True  # whether the pairs must be looked up among stored rows

    def run(self, segments: Iterable[Segment], report: ImportReport,
             progress: Callable[[int], None] | None) -> None:
        db = self.db
        next_id = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM segment").fetchone()[0]) + 1
        # dkey -> id of every row this import added, plus the stored rows its pairs were looked up
        # in (no need to look when the store starts empty)
        seen: dict[int, int] = {}
        self.lookup_stored = next_id > 1
        if not self.lookup_stored:  # bulk load: build the dkey index once at the end, not row by row
            db.execute("DROP INDEX IF EXISTS segment_dkey")
        index = IndexBuilder()
        batch: list[tuple[Any, ...]] = []
        keyrows: list[tuple[int, bytes | str]] = []
        merges: dict[int, list[Any]] = {}  # written once, at the end (see _merge)

        def flush_rows() -> None:
            nonlocal batch, keyrows
            if batch:
                insert_rows(db, batch, keyrows)
                batch, keyrows = [], []

        with closing(keyed_batches(segments)) as batches:  # closing: the helper process stops on any error
            for chunk, keyed in batches:
                next_id = self.ingest(chunk, keyed, seen, index, batch, keyrows, merges, report, next_id)
                flush_rows()
                if index.pending >= FLUSH_POSTINGS:
                    index.take()(db)
                if progress is not None:
                    progress(report.read)
        index.take()(db)
        self.merge(merges)
        db.execute("CREATE UNIQUE INDEX IF NOT EXISTS segment_dkey ON segment (dkey)")
        if progress is not None:
            progress(report.read)

    def ingest(
        self,
        chunk: list[Segment],
        keyed: list[tuple[str, str, int]],
        seen: dict[int, int],
        index: "IndexBuilder",
        batch: list[tuple[Any, ...]],
        keyrows: list[tuple[int, bytes | str]],
        merges: dict[int, list[Any]],
        report: ImportReport,
        next_id: int,
    ) -> int:
        report.read += len(chunk)
        # duplicates of rows stored by an earlier import
        unseen = [k[2] for k in keyed if k[2] not in seen] if self.lookup_stored else []
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
                if seg.origin and seg.origin not in m[0] and len(m[0]) <= 2 * MAX_ORIGINS:
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
                          to_json(seg.props) if seg.props else None, seg.note, seg.created, seg.changed))
            add(rid, skey, tkey)
            keyrows.append((rid, pack_key(skey)))
        return next_id

    def merge(self, merges: dict[int, list[Any]]) -> None:
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
                    if len(olist) >= MAX_ORIGINS:
                        break
                    if o != origin and o not in olist:
                        olist.append(o)
                p = json.loads(props) if props else {}
                for k, v in new_props.items():
                    p.setdefault(k, v)
                updates.append((to_json(olist) if olist else None, to_json(p) if p else None,
                                min(filter(None, (created, new_created)), default=None),
                                max(filter(None, (changed, new_changed)), default=None), count + n, rid))
            self.db.executemany("UPDATE segment SET origins = ?, props = ?, created = ?, changed = ?, count = ? WHERE id = ?", updates)


def insert_rows(db: "sqlite3.Connection", rows: list[tuple[Any, ...]], keyrows: list[tuple[int, bytes | str]]) -> None:
    db.executemany(
        "INSERT INTO segment (id, source, target, source_lang, target_lang, dkey, origin, props, note, created, changed)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.executemany("INSERT INTO segkey (id, key) VALUES (?,?)", keyrows)
