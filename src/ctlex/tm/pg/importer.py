"""Importing into PostgreSQL: every unit kept, the index built once a batch, rows sent by COPY.

Imports are serialized by an advisory lock taken first in their transaction (at READ COMMITTED,
so what they look up afterwards includes every import committed before): two clients importing
at once both succeed, one after the other, and neither loses or duplicates the other's units.
Searches never wait for them (they read the last committed state).
"""

from __future__ import annotations

import itertools
from hashlib import blake2b
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..keys import orient, search_key, to_json
from ..postings import FLUSH_POSTINGS, IndexBuilder
from ..records import ImportReport
from .conn import Compat, copy_rows
from .migrations import LOCK_SQL

if TYPE_CHECKING:  # pragma: no cover
    from ...segment import Segment

BATCH = 5000  # units looked up and written per round trip
from ..importer import MAX_ORIGINS  # one limit for both backends

SEGMENT_COLUMNS = ("id", "source", "target", "source_lang", "target_lang", "tuid", "dkey", "ukey", "head",
                   "origin", "props", "note", "created", "changed")


def _hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)


def unit_hashes(seg: "Segment", skey: str, tkey: str) -> tuple[int, int]:
    """``(dkey, ukey)``: the hash of both search keys (shared by units differing only in case,
    punctuation, digits, harakat…) and the hash of the unit exactly (texts, languages, id).

    Example:
        >>> from ctlex.segment import Segment
        >>> a, b = Segment("قال: ٣", "He said: 3", id="u1"), Segment("قال ٣", "he said 3", id="u2")
        >>> da, ua = unit_hashes(a, search_key(a.source), search_key(a.target))
        >>> db, ub = unit_hashes(b, search_key(b.source), search_key(b.target))
        >>> da == db, ua == ub
        (True, False)
    """
    uid = "" if seg.id is None else "#" + seg.id
    return (_hash(f"{skey}\x00{tkey}"),
            _hash(f"{seg.source}\x00{seg.target}\x00{seg.source_lang}\x00{seg.target_lang}\x00{uid}"))


class PgImporter:
    """One import, inside the caller's transaction on ``conn`` (a psycopg connection)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.db: Any = Compat(conn)  # the shared index writer takes the SQLite dialect
        self.heads: dict[int, int] = {}  # dkey -> id of its head (looked up, or added now)
        self.units: dict[int, int] = {}  # ukey -> id (looked up, or added now)
        self.merges: dict[int, list[Any]] = {}  # id -> what its repeats brought (see merge)

    def run(self, segments: Iterable["Segment"], report: ImportReport, progress: Callable[[int], None] | None) -> None:
        conn = self.conn
        conn.execute(LOCK_SQL)
        conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'changes'")
        next_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM segment").fetchone()[0]) + 1
        lookup = next_id > 1
        index = IndexBuilder()
        heads_added = 0
        it = iter(segments)
        while True:
            chunk = [orient(s) for s in itertools.islice(it, BATCH)]
            if not chunk:
                break
            report.read += len(chunk)
            keyed = []
            for seg in chunk:
                skey, tkey = search_key(seg.source), search_key(seg.target)
                keyed.append((skey, tkey, *unit_hashes(seg, skey, tkey)))
            if lookup:
                self._look_up(keyed)
            rows: list[tuple[Any, ...]] = []
            keyrows: list[tuple[int, str]] = []
            for seg, (skey, tkey, dk, uk) in zip(chunk, keyed):
                if not seg.source.strip() or not seg.target.strip():  # nothing to match or render
                    report.skip("empty source or target")
                    continue
                same = self.units.get(uk)
                if same is not None:  # the same unit again: merged into its row
                    self._repeat(same, seg)
                    report.merged += 1
                    continue
                rid = next_id
                next_id += 1
                self.units[uk] = rid
                head = self.heads.get(dk)
                report.added += 1
                rows.append((rid, seg.source, seg.target, seg.source_lang, seg.target_lang, seg.id, dk, uk, head,
                             seg.origin, to_json(seg.props) if seg.props else None, seg.note, seg.created, seg.changed))
                if head is None:  # the first unit with these keys: it goes into the index
                    self.heads[dk] = rid
                    heads_added += 1
                    index.add(rid, skey, tkey)
                    keyrows.append((rid, skey))  # text as it is: no one-byte packing needed
                else:  # a variant: its own row, the head's index entry
                    report.variants += 1
            copy_rows(conn, "segment", SEGMENT_COLUMNS, rows)
            copy_rows(conn, "segkey", ("id", "key"), keyrows)
            if index.pending >= FLUSH_POSTINGS:
                index.take()(self.db)
            if progress is not None:
                progress(report.read)
        index.take()(self.db)
        conn.execute("UPDATE meta SET value = (value::bigint + %s)::text WHERE key = 'indexed'", (heads_added,))
        self.merge()
        if heads_added > 10_000:  # a bulk load: the planner's statistics would be those of the empty tables
            conn.execute("ANALYZE segment, segkey, postings")
        if progress is not None:
            progress(report.read)

    def _look_up(self, keyed: list[tuple[str, str, int, int]]) -> None:
        """Find the stored units and heads of this batch's keys not seen yet."""
        ukeys = list({k[3] for k in keyed if k[3] not in self.units})
        dkeys = list({k[2] for k in keyed if k[2] not in self.heads})
        if ukeys:
            self.units.update(self.conn.execute("SELECT ukey, id FROM segment WHERE ukey = ANY(%s)", (ukeys,)).fetchall())
        if dkeys:
            self.heads.update(self.conn.execute(
                "SELECT dkey, id FROM segment WHERE head IS NULL AND dkey = ANY(%s)", (dkeys,)).fetchall())

    def _repeat(self, rid: int, seg: "Segment") -> None:
        from ..importer import note_repeat

        note_repeat(self.merges, rid, seg)

    def merge(self) -> None:
        """Fold the repeats into their rows: origins added (up to :data:`MAX_ORIGINS`), new
        properties added, the earliest creation and latest change dates kept, ``count`` raised."""
        ids = sorted(self.merges)
        updates = []
        for i in range(0, len(ids), BATCH):
            part = ids[i : i + BATCH]
            q = "SELECT id, origin, origins, props, created, changed, count FROM segment WHERE id = ANY(%s)"
            for rid, origin, origins, props, created, changed, count in self.conn.execute(q, (part,)):
                new_origins, new_props, new_created, new_changed, n = self.merges[rid]
                olist = list(origins or [])
                for o in new_origins:
                    if len(olist) >= MAX_ORIGINS:
                        break
                    if o != origin and o not in olist:
                        olist.append(o)
                p = dict(props or {})
                for k, v in new_props.items():
                    p.setdefault(k, v)
                updates.append((to_json(olist) if olist else None, to_json(p) if p else None,
                                min(filter(None, (created, new_created)), default=None),
                                max(filter(None, (changed, new_changed)), default=None), count + n, rid))
        if updates:
            with self.conn.cursor() as cur:
                cur.executemany("UPDATE segment SET origins = %s, props = %s, created = %s, changed = %s, count = %s WHERE id = %s",
                                updates)
