"""The SQLite glossary store: compile a glossary file into it, open it read-only, query it.

Tables (one file, schema :data:`SCHEMA`):

==========  =====================================================================================
meta        format marker, schema version, source file, size, mtime and SHA-256, title, counts…
concepts    ``ord`` (file order), ``id``, ``type``, the concept as JSON (every field: lossless)
entries     one row per term in matcher order: ``entry``, concept ``ord``, text, key-level text
pkeys       every automaton spelling (key, variants, short forms, ل-elided article) → concept,
            and its record: term (entry), kind (:mod:`.scanindex`), elided article
mskel       media skeletons of name words (:mod:`ctlex.match.spellings`) and the word → concept,
            term (entry), the word's position and the term's length in words
shortown    person short forms (a surname alone) → the concepts they may stand for
blobs       the whole-store scan matcher (:mod:`.scanindex`): every spelling, its records, entry
            attributes, twins; in parts
wskel       whole-name skeletons (Europol ~ يوروبول) → concept
refs        numbered references a document concept is (القرار 2396) → concept and term
words       every word of every key (a word spelt as in a term is never a media variant)
fkeys       distinct keys in first-appearance order (the fuzzy index's key ids) and their entries
fgrams      FTS5 trigram index over ``" key "`` (the fuzzy index's trigrams), ``grams``: document
            frequency of each trigram
==========  =====================================================================================

Everything is derived by the matcher's own code (:meth:`ctlex.match.index.Matcher._patterns`,
the spelling and skeleton indexes), chunk by chunk, so the store cannot disagree with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from ..errors import CtlexError, ParseError, WriteError

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Concept

__all__ = ["FORMAT", "SCHEMA", "SQLiteStore", "StoreError", "compile_glossary", "is_store", "sha256_file"]

FORMAT = "ctlex-glossary-store"
SCHEMA = 3  # 2: mskel keeps the name word, so only close spellings' concepts are read; 3: the scan index (blobs)
MAGIC = b"SQLite format 3\x00"
CHUNK = 4000  # concepts whose matcher patterns are derived together
_MAX_PARAMS = 900


class StoreError(CtlexError):
    """A store that cannot be used: not a store, corrupt, another schema, stale."""


def is_store(path: str | os.PathLike[str]) -> bool:
    """Does ``path`` start like an SQLite database (a store, or a foreign one :func:`open` refuses)?"""
    try:
        with open(path, "rb") as f:
            return f.read(16) == MAGIC
    except OSError:
        return False


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- concept <-> JSON (every field of the model, so the store round-trips losslessly) ---------------
def concept_to_json(c: "Concept") -> str:
    terms = [[t.text, t.lang, t.status, t.pos, t.term_type, t.note, t.extra, t.styles, t.usage, t.exclude] for t in c.terms]
    return json.dumps([c.id, c.type, c.subject, c.definition, c.notes, [[s.file, s.sentence] for s in c.sources], terms, c.extra],
                      ensure_ascii=False, separators=(",", ":"))


def concept_from_json(data: str) -> "Concept":
    from ..glossary import Concept, Source, Term

    cid, ctype, subject, definition, notes, sources, terms, extra = json.loads(data)
    return Concept(cid, ctype, subject, definition, notes, [Source(f, s) for f, s in sources],
                   [Term(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9]) for t in terms], extra)


# -- compiling ----------------------------------------------------------------------------------
_TABLES = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE concepts(ord INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT, first_entry INTEGER, n_terms INTEGER, data TEXT);
CREATE TABLE entries(entry INTEGER PRIMARY KEY, ord INTEGER, text TEXT, key TEXT);
CREATE TABLE pkeys(key TEXT, ord INTEGER, entry INTEGER, kc INTEGER, lil INTEGER);
CREATE TABLE mskel(skel TEXT, word TEXT, ord INTEGER, entry INTEGER, p INTEGER, n INTEGER);
CREATE TABLE wskel(skel TEXT, ord INTEGER);
CREATE TABLE refs(name TEXT, num TEXT, ord INTEGER, entry INTEGER);
CREATE TABLE shortown(key TEXT, ord INTEGER);
CREATE TABLE blobs(name TEXT, part INTEGER, data BLOB, PRIMARY KEY (name, part)) WITHOUT ROWID;
CREATE TABLE words(word TEXT);
CREATE TABLE given(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE fkeys(fkid INTEGER PRIMARY KEY, key TEXT, entries TEXT);
CREATE VIRTUAL TABLE fgrams USING fts5(k, tokenize='trigram', content='', detail='none');
"""
_INDEXES = """
CREATE UNIQUE INDEX concepts_id ON concepts(id);
CREATE INDEX entries_text ON entries(text);
CREATE INDEX pkeys_key ON pkeys(key, lil, entry, kc, ord);
CREATE INDEX mskel_skel ON mskel(skel, word, ord);
CREATE INDEX wskel_skel ON wskel(skel, ord);
CREATE INDEX refs_num ON refs(name, num, ord);
CREATE INDEX shortown_key ON shortown(key, ord);
CREATE UNIQUE INDEX words_word ON words(word);
CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fgrams, 'row');
CREATE TABLE grams(g TEXT PRIMARY KEY, df INTEGER) WITHOUT ROWID;
INSERT INTO grams SELECT term, doc FROM temp.vocab;
"""


def _source_concepts(src: str) -> tuple[Iterator[tuple["Concept", int | None]], Any]:
    """The source's concepts, streamed for TBX v3 and TBX 2008, read whole for any other glossary format."""
    from ..formats import tbx
    from .tbxstream import Header, stream

    try:
        with open(src, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        from ..errors import NotFoundError

        raise NotFoundError(f"{src}: no such glossary file") from None
    except OSError as e:
        raise ParseError(f"cannot read ({e.strerror})", src) from None
    if tbx.sniff(head):
        header = Header()
        return stream(src, header), header
    from ..formats import tbx2

    if tbx2.sniff(head):
        from .tbxstream import stream_2008

        header = Header()
        return stream_2008(src, header), header
    from ..glossary import Glossary

    g = Glossary.load(src)
    return ((c, None) for c in g), Header(g.title, g.description, list(g.extra))


def compile_glossary(src: str | os.PathLike[str], out: str | os.PathLike[str], *, chunk: int = CHUNK) -> dict[str, Any]:
    """Compile the glossary file ``src`` (TBX v3 streamed; any other format ctlex reads) into the
    store ``out``, atomically: a temporary file beside ``out`` renamed over it at the end, removed
    on any failure.  Returns the store's summary (:meth:`SQLiteStore.info`)."""
    spath, opath = os.fspath(src), os.fspath(out)
    if Path(spath).resolve() == Path(opath).resolve():
        raise WriteError(f"{opath}: the store would overwrite its own source")
    concepts, header = _source_concepts(spath)
    try:
        st = os.stat(spath)
        digest = sha256_file(spath)
    except OSError as e:
        raise ParseError(f"cannot read ({e.strerror})", spath) from None
    with _atomic_path(opath) as tmp:
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                _write(conn, concepts, header, chunk, {
                    "source": os.path.abspath(spath), "source_size": str(st.st_size), "source_mtime_ns": str(st.st_mtime_ns),
                    "source_sha256": digest})
            finally:
                conn.close()
        except sqlite3.Error as e:
            raise WriteError(f"{opath}: cannot write the store ({e})") from None
    return SQLiteStore(opath).info()


@contextmanager
def _atomic_path(path: str) -> Iterator[str]:
    """A temporary file beside ``path`` for SQLite to write (it needs a path, not the file object
    :func:`ctlex.formats._io.atomic_write` gives), synced and renamed over ``path`` on success,
    removed (with any journal) on failure."""
    target = Path(path)
    if target.is_dir():
        raise WriteError(f"{target}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else ".")
        os.close(fd)
    except OSError as e:
        raise WriteError(f"{target}: cannot write ({e.strerror})") from None
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as e:
        raise WriteError(f"{target}: cannot write ({e.strerror})") from None
    finally:
        for p in (tmp, tmp + "-journal"):
            try:
                os.unlink(p)
            except OSError:
                pass


def _write(conn: sqlite3.Connection, concepts: Iterable[tuple["Concept", int | None]], header: Any, chunk: int, source: dict[str, str]) -> None:
    from ..match.index import Matcher, _gc_paused
    from ..match import guard, references
    from .scanindex import ScanIndexWriter

    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;")
    conn.executescript(_TABLES)
    conn.execute("BEGIN")
    scan_index = ScanIndexWriter(conn)
    fk_ids: dict[str, int] = {}
    fk_entries: list[list[int]] = []
    words: set[str] = set()
    given: set[str] = set()
    styles: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    by_lang: Counter[str] = Counter()
    usage: Counter[str] = Counter()
    seen_ids: set[str] = set()
    n_concepts = n_entries = 0
    max_key = 0
    batch: list[tuple["Concept", int | None]] = []

    def flush() -> None:
        nonlocal n_concepts, n_entries, max_key
        cs = [c for c, _ in batch]
        m = Matcher(cs)  # type: ignore[arg-type]  # a matcher over this chunk only: its patterns are its concepts' own
        pats, lists = m._patterns()
        base_ord, base_entry = n_concepts, n_entries
        local_ord = {c.id: base_ord + j for j, c in enumerate(cs)}
        ord_of_entry: list[int] = []
        crow = []
        for j, c in enumerate(cs):
            crow.append((base_ord + j, c.id, c.type, base_entry + len(ord_of_entry), len(c.terms), concept_to_json(c)))
            ord_of_entry.extend([base_ord + j] * len(c.terms))
            by_type[c.type] += 1
            for t in c.terms:
                by_lang[t.lang] += 1
                styles.update(t.styles)
                if t.usage:
                    usage[t.usage] += 1
        conn.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?)", crow)
        conn.executemany("INSERT INTO entries VALUES (?,?,?,?)",
                         [(base_entry + i, ord_of_entry[i], t.text.strip(), m.keys[i]) for i, (_, t) in enumerate(m.entries)])
        max_key = max(max_key, max(map(len, pats), default=0))
        scan_index.add_chunk(m, pats, lists, base_entry, ord_of_entry, (c.id for c in cs))  # pkeys and the scan index's arrays
        conn.executemany("INSERT INTO mskel VALUES (?,?,?,?,?,?)",
                         [(sk, w, ord_of_entry[e], base_entry + e, p, n) for sk, b in m.spellings._skeleton_index().items()
                          for w, es in zip(b.words, b.entries) for e, p, n in es])
        conn.executemany("INSERT INTO shortown VALUES (?,?)",
                         {(k, local_ord[cid]) for k, cids in m._short_owner.items() for cid in cids})
        conn.executemany("INSERT INTO wskel VALUES (?,?)", {(sk, ord_of_entry[e]) for sk, es in m._whole_skeletons().items() for e in es})
        rrow = set()
        for i, (c, t) in enumerate(m.entries):
            if c.type == "document":
                for name, num in references.term_numbers(t.text):
                    rrow.add((name, num, ord_of_entry[i], base_entry + i))
        conn.executemany("INSERT INTO refs VALUES (?,?,?,?)", rrow)
        given.update(m._given_names() - guard.GIVEN_NAMES)  # first names of the glossary's own people
        new_keys = []
        for i, k in enumerate(m.keys):
            words.update(k.split(" "))
            fid = fk_ids.get(k)
            if fid is None:
                fid = fk_ids[k] = len(fk_entries)
                fk_entries.append([])
                new_keys.append((fid, f" {k} "))
            fk_entries[fid].append(base_entry + i)
        conn.executemany("INSERT INTO fgrams(rowid, k) VALUES (?,?)", new_keys)
        n_concepts += len(cs)
        n_entries += len(m.entries)
        batch.clear()

    with _gc_paused():
        for concept, line in concepts:
            if concept.id in seen_ids:  # the TBX stream checks this itself; other readers too, but be sure
                raise ParseError(f"duplicate concept id {concept.id!r}", source["source"], line)
            seen_ids.add(concept.id)
            batch.append((concept, line))
            if len(batch) >= chunk:
                flush()
        if batch:
            flush()
        conn.executemany("INSERT INTO fkeys VALUES (?,?,?)",
                         ((i, k, ",".join(map(str, fk_entries[i]))) for k, i in fk_ids.items()))
        conn.executemany("INSERT INTO words VALUES (?)", ((w,) for w in words))
        conn.executemany("INSERT INTO given VALUES (?)", ((w,) for w in given))
    conn.execute("COMMIT")
    conn.executescript(_INDEXES)
    conn.execute("BEGIN")
    scan_meta = scan_index.finish()  # reads pkeys in index order
    conn.execute("COMMIT")
    meta = {
        "format": FORMAT, "schema": str(SCHEMA), **source,
        "title": header.title, "description": header.description, "extra": json.dumps(header.extra, ensure_ascii=False),
        "concepts": str(n_concepts), "terms": str(n_entries), "max_key": str(max_key),
        "styles": json.dumps(dict(sorted(styles.items())), ensure_ascii=False),
        "by_type": json.dumps(dict(sorted(by_type.items()))), "terms_by_lang": json.dumps(dict(sorted(by_lang.items()))),
        "usage": json.dumps(dict(sorted(usage.items()))), **scan_meta,
    }
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    conn.execute("COMMIT")


# -- reading ------------------------------------------------------------------------------------
class SQLiteStore:
    """A compiled glossary store, opened read-only (it is never written after compiling)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        p = Path(self.path)
        if not p.is_file():
            from ..errors import NotFoundError

            raise NotFoundError(f"{self.path}: no such glossary store")
        if not is_store(p):
            raise StoreError(f"{self.path}: not a ctlex glossary store (not an SQLite file)")
        try:
            self.conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
            self.meta: dict[str, str] = dict(self.conn.execute("SELECT k, v FROM meta"))
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: not a usable ctlex glossary store ({e})") from None
        if self.meta.get("format") != FORMAT:
            raise StoreError(f"{self.path}: not a ctlex glossary store (an SQLite database of something else)")
        if self.meta.get("schema") != str(SCHEMA):
            raise StoreError(f"{self.path}: glossary store schema {self.meta.get('schema')} (this ctlex reads {SCHEMA}); recompile it")
        self._max_key = int(self.meta.get("max_key", "0"))

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: corrupt glossary store ({e})") from None

    _BATCH = _MAX_PARAMS  # values per ``IN (…)``: under SQLite's parameter limit

    def _in(self, sql: str, values: Sequence[Any]) -> list[Any]:
        """``sql`` with ``IN ({})`` filled with ``values``, in batches of :attr:`_BATCH`."""
        out: list[Any] = []
        vals = list(values)
        for i in range(0, len(vals), self._BATCH):
            part = vals[i : i + self._BATCH]
            out += self._q(sql.format(",".join("?" * len(part))), part)
        return out

    def _stream(self, sql: str) -> Iterator[Any]:
        """The rows of ``sql`` one by one, without fetching them all first."""
        try:
            yield from self.conn.execute(sql)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: corrupt glossary store ({e})") from None

    def close(self) -> None:
        self.conn.close()

    # -- the source file ------------------------------------------------------------------------
    def source_changed(self) -> bool | None:
        """Has the file the store was compiled from changed since?  ``None`` when it is gone.
        Size and modification time first; the SHA-256 only when they differ (a touched file
        with the same bytes is not a change)."""
        src = self.meta.get("source")
        if not src:
            return None
        try:
            st = os.stat(src)
        except OSError:
            return None
        if str(st.st_size) == self.meta.get("source_size") and str(st.st_mtime_ns) == self.meta.get("source_mtime_ns"):
            return False
        try:
            return sha256_file(src) != self.meta.get("source_sha256")
        except OSError:
            return None

    def info(self) -> dict[str, Any]:
        m = self.meta
        return {"path": self.path, "source": m.get("source"), "source_sha256": m.get("source_sha256"),
                "concepts": int(m["concepts"]), "terms": int(m["terms"]), "title": m.get("title")}

    # -- concepts -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.meta["concepts"])

    def get(self, concept_id: str) -> "Concept | None":
        rows = self._q("SELECT data FROM concepts WHERE id = ?", (concept_id,))
        return self._decode(rows[0][0]) if rows else None

    def _decode(self, data: str) -> "Concept":
        try:
            return concept_from_json(data)
        except (ValueError, TypeError, CtlexError) as e:
            raise StoreError(f"{self.path}: corrupt concept record ({e})") from None

    def concepts(self, ords: Iterable[int]) -> list[tuple[int, "Concept", int]]:
        """``(ord, concept, first entry)`` for the given concept ordinals, in file order."""
        rows = self._in("SELECT ord, data, first_entry FROM concepts WHERE ord IN ({})", sorted(set(ords)))
        rows.sort()
        return [(o, self._decode(d), fe) for o, d, fe in rows]

    def entry_keys(self, entries: Iterable[int]) -> list[str]:
        """The key texts (as compiled) of the given terms, in ``entries`` order."""
        want = list(entries)
        found = dict(self._in("SELECT entry, key FROM entries WHERE entry IN ({})", sorted(set(want))))
        return [found.get(e, "") for e in want]

    def iter_concepts(self) -> Iterator["Concept"]:
        for (d,) in self._stream("SELECT data FROM concepts ORDER BY ord"):
            yield self._decode(d)

    # -- the matching index ---------------------------------------------------------------------
    def ords_by_text(self, text: str) -> list[int]:
        return [o for (o,) in self._q("SELECT ord FROM entries WHERE text = ?", (text,))]

    def ords_by_pattern(self, keys: Iterable[str]) -> set[int]:
        ks = [k for k in set(keys) if 2 <= len(k) <= self._max_key]
        return {o for (o,) in self._in("SELECT ord FROM pkeys WHERE key IN ({})", ks)}

    def ords_by_media_skeleton(self, skels: Iterable[str]) -> set[int]:
        return {o for (o,) in self._in("SELECT ord FROM mskel WHERE skel IN ({})", list(set(skels)))}

    def media_words(self, skels: Iterable[str]) -> dict[str, dict[str, list[int]]]:
        """skeleton → name word with it → the concepts that have the word (the spelling index's buckets)."""
        out: dict[str, dict[str, list[int]]] = {}
        for sk, w, o in self._in("SELECT skel, word, ord FROM mskel WHERE skel IN ({})", list(set(skels))):
            out.setdefault(sk, {}).setdefault(w, []).append(o)
        return out

    def ords_by_whole_skeleton(self, skels: Iterable[str]) -> set[int]:
        return {o for (o,) in self._in("SELECT ord FROM wskel WHERE skel IN ({})", list(set(skels)))}

    def ords_by_reference(self, refs: Iterable[tuple[str, str]]) -> set[int]:
        out: set[int] = set()
        for name, num in set(refs):
            out |= {o for (o,) in self._q("SELECT ord FROM refs WHERE name = ? AND num = ?", (name, num))}
        return out

    def given_names(self) -> frozenset[str]:
        """First words of the Arabic names of every person in the glossary."""
        return frozenset(w for (w,) in self._q("SELECT word FROM given"))

    def blob(self, name: str) -> bytes:
        """A blob of the scan index (:mod:`.scanindex`), its parts joined."""
        return b"".join(bytes(d) for (d,) in self._q("SELECT data FROM blobs WHERE name = ? ORDER BY part", (name,)))

    def all_words(self) -> Iterator[str]:
        """Every word of every term's key."""
        for (w,) in self._stream("SELECT word FROM words"):
            yield w

    def skeleton_rows(self) -> Iterator[tuple[str, str, int, int, int, str]]:
        """``(skeleton, word, entry, position, words, the term's key)`` of every name word of the
        spelling index, in glossary order (the order the in-memory index adds them)."""
        yield from self._stream("SELECT m.skel, m.word, m.entry, m.p, m.n, e.key FROM mskel m JOIN entries e ON e.entry = m.entry "
                                "ORDER BY m.entry, m.p")

    def short_form_owners(self, key: str) -> set[int]:
        """The concepts (ords) a person's short form ``key`` may stand for."""
        return {o for (o,) in self._q("SELECT ord FROM shortown WHERE key = ?", (key,))}

    def reference_entry(self, name: str, num: str) -> int | None:
        """The first term (entry) that is the numbered reference ``name`` ``num``, if any."""
        rows = self._q("SELECT min(entry) FROM refs WHERE name = ? AND num = ?", (name, num))
        return rows[0][0] if rows and rows[0][0] is not None else None

    def has_word(self, word: str) -> bool:
        return bool(self._q("SELECT 1 FROM words WHERE word = ?", (word,)))

    def words_present(self, words: Iterable[str]) -> set[str]:
        """Which of ``words`` are words of some term's key."""
        return {w for (w,) in self._in("SELECT word FROM words WHERE word IN ({})", list(set(words)))}

    def fuzzy_candidates(self, k: str, *, limit: int, cutoff: float) -> list[tuple[int, float]]:
        """``(entry, similarity)`` exactly as :meth:`ctlex.match.fuzzy.FuzzyIndex.candidates`
        computes them over the whole glossary: the query's rarest trigrams select keys, the same
        length bounds and cap trim them, :func:`ctlex.match.fuzzy.rank` ranks them."""
        from ..match.fuzzy import MAX_CANDIDATES, PRESCREEN, RARE_GRAMS, best_supported, length_bounds, rank, trigrams

        grams = list(trigrams(k))
        df = dict(self._in("SELECT g, df FROM grams WHERE g IN ({})", grams))
        rare = sorted((g for g in grams if g in df), key=lambda g: df[g])[:RARE_GRAMS]
        if not rare:
            return []
        counts = self._gram_counts(rare)
        ids = sorted(counts)
        if len(ids) > MAX_CANDIDATES:  # the in-memory index's own selection, ties and order included
            lo, hi = length_bounds(len(k), cutoff - PRESCREEN)
            fit = {i for (i,) in self._in(f"SELECT fkid FROM fkeys WHERE length(key) BETWEEN {lo} AND {hi} AND fkid IN ({{}})", ids)}
            ids = [i for i in ids if i in fit]
            if len(ids) > MAX_CANDIDATES:
                ids = best_supported({i: counts[i] for i in ids}, MAX_CANDIDATES)
        rows = dict((i, (key, ents)) for i, key, ents in self._in("SELECT fkid, key, entries FROM fkeys WHERE fkid IN ({})", ids))
        cand = [i for i in ids if i in rows]
        found = rank(k, [rows[i][0] for i in cand], limit=limit, cutoff=cutoff)
        return [(int(e), score) for j, score in found for e in rows[cand[j]][1].split(",")]

    def _gram_counts(self, grams: list[str]) -> Counter[int]:
        """How many of ``grams`` each key id (``fkid``) holds, from the FTS5 trigram index."""
        counts: Counter[int] = Counter()
        for g in grams:
            counts.update(r for (r,) in self._q("SELECT rowid FROM fgrams WHERE fgrams MATCH ?", ('"' + g.replace('"', '""') + '"',)))
        return counts

    def entry_ords(self, entries: Iterable[int]) -> dict[int, int]:
        return dict(self._in("SELECT entry, ord FROM entries WHERE entry IN ({})", sorted(set(entries))))
