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
        """Add a batch's units to ``batch`` (rows) and ``index`` (its new heads), as taking them one
        by one would: a unit with an empty side is skipped, the same unit again is merged, a unit
        sharing an earlier unit's keys is a variant row pointing to it, any other is a new head.

        Only the units that need a look (:meth:`_special`: a dkey already seen, an empty side;
        a few in a hundred in real TMs) are taken one by one; the runs of new heads between them
        are taken column by column."""
        report.read += len(chunk)
        n = len(chunk)
        if not n:
            return next_id
        if self.lookup_stored:
            self._look_up(keyed)
        slens, dks, uks = zip(*keyed)
        heads, ukeys, first_new, members = self.heads, self.ukeys, self.first_new, self.members
        keep = [True] * n  # the units that become rows
        new_head = [True] * n  # the units that go into the index: the batch's new heads
        head_col: list[int | None] = [None] * n  # a variant's head
        dropped = 0  # units of the batch so far that add no row
        start = 0  # the first unit of the current run of new heads
        for j in (*self._special(chunk, dks), n):
            if start < j:  # a run of new heads: their ids follow one another
                first = next_id + start - dropped
                heads.update(zip(dks[start:j], range(first, first + j - start)))
                ukeys.extend(uks[start:j])
            start = j + 1
            if j == n:
                break
            row = chunk[j]
            keep[j] = new_head[j] = False
            if not row[0].strip() or not row[1].strip():
                report.skip("empty source or target")
                dropped += 1
                continue
            rid = next_id + j - dropped
            dk, uk = dks[j], uks[j]
            head = heads.get(dk)
            if head is not None:  # an earlier unit has the same keys: the same unit again?
                hu = ukeys[head - first_new] if head >= first_new else self.stored_ukey.get(head)
                same = head if hu == uk else members.get(head, {}).get(uk)
                if same is not None:
                    note_repeat(merges, same, segment_of(row))
                    report.merged += 1
                    dropped += 1
                    continue
                members.setdefault(head, {})[uk] = rid  # a variant: its own row, the head's index entry
                head_col[j] = head
                report.variants += 1
            else:
                heads[dk] = rid
                new_head[j] = True
            keep[j] = True
            ukeys.append(uk)
        kept = n - dropped
        report.added += kept
        source, target, sl, tl, uid, origin, props, note, created, changed = zip(*chunk)
        cols: list[Any] = [source, target, sl, tl, dks, origin, props, note, created, changed, head_col, uid, uks]
        if dropped:
            cols = [list(itertools.compress(c, keep)) for c in cols]
        rids = range(next_id, next_id + kept)
        batch.extend(zip(rids, *cols))
        if dropped or not all(new_head):
            head_ids = list(itertools.compress(rids, itertools.compress(new_head, keep)))
            head_lens = list(itertools.compress(slens, new_head))
        else:
            head_ids, head_lens = list(rids), list(slens)
        index.add_batch(head_ids, head_lens, new_head, numbered)
        return next_id + kept

    def _special(self, chunk: list[Row], dks: "tuple[int, ...]") -> list[int]:
        """The positions in a batch of the units :meth:`ingest` must look at one by one: a dkey
        stored or seen before (in an earlier batch, or earlier in this one), or an empty side."""
        out: set[int] = set()
        n = len(dks)
        if self.heads:
            out.update(itertools.compress(range(n), map(self.heads.__contains__, dks)))
        if len(set(dks)) != n:
            seen: set[int] = set()
            add = seen.add
            out.update(i for i, dk in enumerate(dks) if dk in seen or add(dk))  # type: ignore[func-returns-value]
        if not (all(map(str.strip, [r[0] for r in chunk])) and all(map(str.strip, [r[1] for r in chunk]))):
            out.update(i for i, r in enumerate(chunk) if not r[0].strip() or not r[1].strip())
        return sorted(out)

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
