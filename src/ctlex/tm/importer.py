"""Importing segments into a store: batched inserts, duplicates merged, the index built once."""

from __future__ import annotations

import itertools
import json
from array import array
from contextlib import closing
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..segment import Segment
from .db import DKEY_INDEX, TOKEN_INDEX
from .keys import to_json
from .postings import FLUSH_POSTINGS, IndexBuilder, Numbered
from .records import ImportReport
from .workers import ImportKeys, Row, keyed_batches, segment_of

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

MAX_ORIGINS = 50  # merged duplicates remember at most this many further origins


class Importer:
    """One import into one connection, inside the caller's transaction.

    Every unit is kept, with its own texts, languages, id, origin and properties.  Units whose
    search keys equal an earlier unit's (they differ only in case, punctuation, digit script,
    harakat…) share that unit's index entry: their row points to it (``head``) and adds nothing
    to the index.  Only a unit equal to a stored one in texts, languages and id (the same unit
    imported again) is merged into it: ``count`` goes up, the origin is added to ``origins``, new
    properties are added, the earliest creation and latest change dates are kept.  Units with an
    empty source or target cannot be matched or rendered: they are skipped and counted.
    """

    def __init__(self, db: "sqlite3.Connection") -> None:
        self.db = db
        self.lookup_stored = True  # whether the units must be looked up among stored rows
        self.heads: dict[int, int] = {}  # dkey -> id of the row holding its index entry
        self.first_new = 0  # id of the first row this import adds
        self.ukeys = array("q")  # ukey of each row this import added, by id - first_new
        self.stored_ukey: dict[int, int] = {}  # ukey of the stored heads looked up
        self.members: dict[int, dict[int, int]] = {}  # head id -> {ukey: id} of the rows sharing it

    def run(self, segments: Iterable[Segment], report: ImportReport,
            progress: Callable[[int], None] | None) -> None:
        db = self.db
        next_id = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM segment").fetchone()[0]) + 1
        self.first_new = next_id
        self.lookup_stored = next_id > 1  # no need to look when the store starts empty
        if not self.lookup_stored:  # bulk load: build the dkey and token indexes once at the end, not row by row
            db.execute("DROP INDEX IF EXISTS segment_dkey")
            if db.execute("SELECT NOT EXISTS (SELECT 1 FROM postings)").fetchone()[0]:
                db.execute("DROP INDEX IF EXISTS postings_token")
        index = IndexBuilder()
        batch: list[tuple[Any, ...]] = []
        merges: dict[int, list[Any]] = {}  # written once, at the end (see merge)

        with closing(keyed_batches(segments, index)) as batches:  # closing: the helper process stops on any error
            for chunk, keyed, numbered in batches:
                next_id = self.ingest(chunk, keyed, numbered, index, batch, merges, report, next_id)
                if batch:
                    insert_rows(db, batch)
                    batch.clear()
                if index.pending >= FLUSH_POSTINGS:
                    index.take()(db)
                if progress is not None:
                    progress(report.read)
        # what found the duplicates is no longer needed: its memory (about 150 MB a million
        # units) is free before the postings are sorted
        self.heads, self.stored_ukey, self.members, self.ukeys = {}, {}, {}, array("q")
        index.take()(db)
        self.merge(merges)
        db.execute(DKEY_INDEX)
        db.execute(TOKEN_INDEX)
        if progress is not None:
            progress(report.read)

    def _look_up(self, keyed: list[ImportKeys]) -> None:
        """Find the stored heads (and the rows sharing them) of this batch's dkeys not seen yet."""
        heads = self.heads
        unseen = list({k[1] for k in keyed if k[1] not in heads})
        found: list[int] = []
        for i in range(0, len(unseen), 900):
            part = unseen[i : i + 900]
            q = f"SELECT dkey, id, ukey FROM segment WHERE head IS NULL AND dkey IN ({','.join('?' * len(part))})"
            for dk, rid, uk in self.db.execute(q, part):
                heads[dk] = rid
                self.stored_ukey[rid] = uk
                found.append(rid)
        for i in range(0, len(found), 900):
            part = found[i : i + 900]
            q = f"SELECT head, ukey, id FROM segment WHERE head IN ({','.join('?' * len(part))})"
            for head, uk, rid in self.db.execute(q, part):
                self.members.setdefault(head, {})[uk] = rid

    def ingest(
        self,
        chunk: list[Row],
        keyed: list[ImportKeys],
        numbered: Numbered,
        index: IndexBuilder,
        batch: list[tuple[Any, ...]],
        merges: dict[int, list[Any]],
        report: ImportReport,
        next_id: int,
    ) -> int:
        report.read += len(chunk)
        if self.lookup_stored:
            self._look_up(keyed)
        if self._all_new(chunk, keyed):
            return self._ingest_new(chunk, keyed, numbered, index, batch, report, next_id)
        heads, ukeys, first_new, members = self.heads, self.ukeys, self.first_new, self.members
        indexed = [False] * len(chunk)  # the units that go into the index: the batch's new heads
        head_ids: list[int] = []
        head_lens: list[int] = []
        append = batch.append
        for i, (row, (slen, dk, uk)) in enumerate(zip(chunk, keyed)):
            source, target, sl, tl, uid, origin, props, note, created, changed = row
            if not source.strip() or not target.strip():
                report.skip("empty source or target")
                continue
            head = heads.get(dk)
            if head is not None:  # an earlier unit has the same keys: the same unit again?
                hu = ukeys[head - first_new] if head >= first_new else self.stored_ukey.get(head)
                same = head if hu == uk else members.get(head, {}).get(uk)
                if same is not None:
                    note_repeat(merges, same, segment_of(row))
                    report.merged += 1
                    continue
            rid = next_id
            next_id += 1
            ukeys.append(uk)
            report.added += 1
            append((rid, source, target, sl, tl, dk, origin, props, note, created, changed, head, uid, uk))
            if head is None:
                heads[dk] = rid
                indexed[i] = True
                head_ids.append(rid)
                head_lens.append(slen)
            else:  # a variant: its own row, the head's index entry
                members.setdefault(head, {})[uk] = rid
                report.variants += 1
        index.add_batch(head_ids, head_lens, indexed, numbered)
        return next_id

    def _all_new(self, chunk: list[Row], keyed: list[ImportKeys]) -> bool:
        """Whether every unit of the batch is a new index entry (the usual case of a bulk load):
        none has an empty side, and their dkeys are distinct and not seen before."""
        if not chunk:
            return False
        dks = [k[1] for k in keyed]
        fresh = set(dks)
        if len(fresh) != len(dks) or not self.heads.keys().isdisjoint(fresh):
            return False
        return all(map(str.strip, [r[0] for r in chunk])) and all(map(str.strip, [r[1] for r in chunk]))

    def _ingest_new(self, chunk: list[Row], keyed: list[ImportKeys], numbered: Numbered, index: IndexBuilder,
                    batch: list[tuple[Any, ...]], report: ImportReport, next_id: int) -> int:
        """:meth:`ingest` of a batch of new index entries (:meth:`_all_new`): each unit its own
        row and head, taken column by column."""
        n = len(chunk)
        rids = range(next_id, next_id + n)
        source, target, sl, tl, uid, origin, props, note, created, changed = zip(*chunk)
        slens, dks, uks = zip(*keyed)
        batch.extend(zip(rids, source, target, sl, tl, dks, origin, props, note, created, changed,
                         itertools.repeat(None, n), uid, uks))
        self.ukeys.extend(uks)
        self.heads.update(zip(dks, rids))
        report.added += n
        index.add_batch(list(rids), list(slens), [True] * n, numbered)
        return next_id + n

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


def insert_rows(db: "sqlite3.Connection", rows: list[tuple[Any, ...]]) -> None:
    db.executemany(
        "INSERT INTO segment (id, source, target, source_lang, target_lang, dkey, origin, props, note, created, changed, head, tuid, ukey)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def note_repeat(merges: dict[int, list[Any]], rid: int, seg: "Segment") -> None:
    """Record that ``seg`` is unit ``rid`` imported again: its origin (a few), the properties the
    unit lacks, the earliest creation and latest change date, one more occurrence.  Both
    backends merge repeats through this."""
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
