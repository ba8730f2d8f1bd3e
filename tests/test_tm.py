"""Translation memory: store, import/merge, fuzzy search vs its exhaustive twin, concordance, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ctlex import arabic
from ctlex.cli import cli
from ctlex.errors import ParseError, WriteError
from ctlex.formats import tmx
from ctlex.segment import Segment
from ctlex.tm import SCHEMA_VERSION, Store, open_tm, search_key, similarity

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tm" / "articles.tmx"


@pytest.fixture(scope="module")
def articles() -> list[Segment]:
    return list(tmx.read_segments(ARTICLES))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("tm") / "articles.sqlite")
    s.import_files([ARTICLES])
    return s


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the default TM (cache and user TM) inside tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CTLEX_TM", raising=False)
    return tmp_path


# -- normalization key --------------------------------------------------------------------------


def test_search_key_equals_arabic_key_on_the_articles(articles: list[Segment]) -> None:
    for s in articles:
        assert search_key(s.source) == arabic.key(s.source).text
        assert search_key(s.target) == arabic.key(s.target).text


_ALPHABET = "ابتثجحخدذرسشصضطظعغفقكلمنهوي" "أإآىةؤئء" "\u064b\u064e\u064f\u0650\u0651\u0652\u0640" "“”\"'«»،؛؟.!-" "  \t\n" "aBcÉ19٣" "\u200f\ufefb"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_search_key_fast_path_agrees_with_reference(text: str) -> None:
    assert search_key(text) == arabic.key(text).text


# -- import, dedup, transactions ------------------------------------------------------------------


def test_import_keeps_every_unit_and_shares_the_index(store: Store, articles: list[Segment]) -> None:
    st_ = store.stats()
    distinct = {(search_key(s.source), search_key(s.target)) for s in articles}
    assert len(distinct) < len(articles) == 219  # the articles repeat boilerplate in other spellings
    assert st_["units_read"] == st_["segments"] == len(store) == 219 and st_["duplicates_merged"] == 0
    assert st_["index_entries"] == len(distinct)
    assert [s.id for s in store.segments()] == [s.id for s in articles]
    # boilerplate repeated in several articles: one index entry, every unit's own row pointing to it
    rows = store.db.execute("SELECT id, head, tuid FROM segment WHERE target = 'Follow us on Twitter' ORDER BY id").fetchall()
    assert len(rows) >= 2 and rows[0][1] is None and all(h == rows[0][0] for _, h, _ in rows[1:])
    assert len({t for _, _, t in rows}) == len(rows)
    assert len(store.keys()) == len(distinct)


def test_same_unit_again_merges_other_spellings_are_kept(tmp_path: Path) -> None:
    s = Store(tmp_path / "t.sqlite")
    first = Segment("الإرهاب خطر", "Terrorism is a threat", id="1", origin="a#1", props={"x": "1"}, created="2020-01-01T00:00:00Z")
    a = s.add([first])
    b = s.add([Segment("الإرهـاب خطر!", "Terrorism is a threat.", id="7", origin="b#7", props={"y": "2"})])
    assert (a.added, b.added, b.variants, b.merged, len(s)) == (1, 1, 1, 0, 2)
    assert [(x.source, x.target, x.id) for x in s.segments()] == [
        ("الإرهاب خطر", "Terrorism is a threat", "1"), ("الإرهـاب خطر!", "Terrorism is a threat.", "7")]
    assert len(s.keys()) == 1  # one index entry for both
    again = Segment(first.source, first.target, id="1", origin="c#1", props={"x": "9", "z": "3"}, created="2019-05-05T00:00:00Z")
    c = s.add([again])
    assert (c.added, c.merged, len(s)) == (0, 1, 2)
    seg = next(s.segments())
    assert seg.props["x"] == "1" and seg.props["z"] == "3" and seg.props["x-ctlex-count"] == "2"
    assert seg.props["x-ctlex-origins"] == "c#1" and seg.created == "2019-05-05T00:00:00Z"
    # the same texts under another id are another unit
    assert s.add([Segment(first.source, first.target, id="2")]).added == 1
    # a different translation of the same source is a different segment with its own index entry
    assert s.add([Segment("الإرهاب خطر", "Terrorism is dangerous")]).added == 1
    assert len(s.keys()) == 2
    assert [m.target for m in s.search("الإرهاب خطر", min_score=60)] == ["Terrorism is a threat", "Terrorism is dangerous"]


def test_units_without_a_source_or_target_are_skipped_and_counted() -> None:
    s = Store(":memory:")
    r = s.add([Segment("نص", "text"), Segment("  ", "only target"), Segment("نص فقط", "")])
    assert (r.read, r.added, r.skipped) == (3, 1, {"empty source or target": 2})


def test_malformed_file_leaves_store_untouched(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.tmx", tmp_path / "bad.tmx"
    tmx.write_segments([Segment(f"جملة رقم {i}", f"sentence {i}", id=str(i)) for i in range(12000)], good)
    bad.write_text(good.read_text(encoding="utf-8").replace("</tu>", "</tuv>", 1), encoding="utf-8")
    s = Store(tmp_path / "t.sqlite")
    s.add([Segment("قبل", "before")])
    with pytest.raises(ParseError) as e:
        s.import_files([good, bad])  # the first file's 12000 units were already inserted in batches
    assert e.value.path == str(bad) and e.value.line is not None
    assert len(s) == 1 and s.db.execute("SELECT COUNT(*) FROM postings WHERE token = 'جمله'").fetchone()[0] == 0


def test_english_to_arabic_pairs_are_stored_arabic_first(tmp_path: Path) -> None:
    s = Store(":memory:")
    s.add([Segment("Follow us on Twitter", "تابعنا على تويتر", source_lang="en", target_lang="ar")])
    assert s.search("تابعنا على تويتر")[0].target == "Follow us on Twitter"


# -- fuzzy search --------------------------------------------------------------------------------


def test_fuzzy_search_finds_a_lightly_edited_article_sentence(store: Store, articles: list[Segment]) -> None:
    orig = next(s for s in articles if s.id == "000-p6-s1")
    edited = orig.source.replace("فبراير 2017", "مارس 2018").replace("من جديد", "")
    matches = store.search(edited)
    assert matches and matches[0].target == orig.target and matches[0].origin == "articles.tmx#000-p6-s1"
    assert 80 <= matches[0].score < 100
    assert matches[0].source == orig.source  # the original text, not the normalized key


def test_normalization_variants_still_match_at_100(store: Store, articles: list[Segment]) -> None:
    orig = next(s for s in articles if s.id == "000-p6-s1").source
    variant = orig.replace("الإرهابية", "الإرهـــابية").replace("الأجانب", "الاجانب").replace("إلى", "الى")
    variant = variant.replace("المقاتلين", "المُقَاتِلِين").replace(" فى ", " في ")
    assert variant != orig
    m = store.search(variant)[0]
    assert m.source == orig and m.score == 100.0


def test_score_is_levenshtein_percentage() -> None:
    assert similarity("abcd", "abcd") == 100.0
    assert similarity("abcd", "abed") == 75.0  # one substitution in four characters
    s = Store(":memory:")
    s.add([Segment("أعلن الاتحاد الأوروبي", "The EU announced")])
    m = s.search("أعلن الاتحاد الاوروبى", min_score=0)[0]
    assert m.score == 100.0
    m = s.search("أعلن الاتحاد", min_score=0)[0]
    assert m.score == pytest.approx(100 * len("اعلن الاتحاد") / len("اعلن الاتحاد الاوروبي"), abs=0.1)


def test_min_score_and_limit(store: Store, articles: list[Segment]) -> None:
    q = next(s for s in articles if s.id == "000-p6-s1").source
    assert len(store.search(q, min_score=0, limit=3)) == 3
    assert all(m.score >= 95 for m in store.search(q, min_score=95, limit=50))
    assert store.search("كلمات لا توجد في الذاكرة إطلاقا", min_score=70) == []


def test_index_search_agrees_with_exhaustive_twin(store: Store, articles: list[Segment]) -> None:
    keys = store.keys()
    checked = 0
    for s in articles[::5]:
        words = s.source.split()
        if len(words) < 6:
            continue
        q = " ".join(words[1:])  # drop the first word
        fast = store.search(q, min_score=70, limit=3)
        slow = store.search_exhaustive(q, min_score=70, limit=3, keys=keys)
        assert fast[:1] and [(m.score, m.id) for m in fast[:1]] == [(m.score, m.id) for m in slow[:1]]
        # whatever the index returns is scored exactly as the twin scores it
        assert all((m.score, m.id) in {(x.score, x.id) for x in store.search_exhaustive(q, min_score=0, limit=50, keys=keys)} for m in fast)
        checked += 1
    assert checked >= 20


def test_index_search_agrees_with_exhaustive_twin_on_a_recombined_tm(articles: list[Segment]) -> None:
    """Thousands of segments sharing most of their words (prefix of one article sentence + suffix of
    another), queried with light edits: the index must find the exhaustive best score."""
    import random

    rng = random.Random(5)
    pairs = [(s.source.split(), s.target.split()) for s in articles if len(s.source.split()) >= 5]
    segs = []
    for i in range(4000):
        (a, ae), (b, be) = rng.choice(pairs), rng.choice(pairs)
        f = rng.uniform(0.2, 0.8)
        segs.append(Segment(" ".join(a[: max(2, round(len(a) * f))] + b[round(len(b) * f):]),
                            " ".join(ae[: max(2, round(len(ae) * f))] + be[round(len(be) * f):])))
    s = Store(":memory:")
    s.add(segs)
    keys = s.keys()
    assert len(keys) == len(s) and all(keys[m.id] == search_key(m.source) for m in s.search(segs[0].source, limit=3))
    vocab = sorted({w for a, _ in pairs for w in a})
    agree = 0
    queries = 150
    for _ in range(queries):
        w = rng.choice(segs).source.split()
        i = rng.randrange(len(w))
        w[i] = rng.choice(vocab) if rng.random() < 0.5 else w[i].replace("ا", "أ", 1)
        if len(w) > 6 and rng.random() < 0.5:
            del w[rng.randrange(len(w))]
        q = " ".join(w)
        fast = s.search(q, min_score=70, limit=3)
        slow = s.search_exhaustive(q, min_score=70, limit=3, keys=keys)
        agree += [m.score for m in fast[:1]] == [m.score for m in slow[:1]]
        assert {(m.score, m.id) for m in fast} <= {(m.score, m.id) for m in s.search_exhaustive(q, min_score=70, limit=50, keys=keys)}
    assert agree >= 0.98 * queries


@given(st.lists(st.integers(min_value=1, max_value=2**32 - 1), min_size=1, max_size=300, unique=True))
@settings(max_examples=200, deadline=None)
def test_postings_chunks_round_trip(ids: list[int]) -> None:
    import numpy as np

    from ctlex.tm import _postings_rows, _unpack_ids

    ids = sorted(ids)
    keys = np.array([i % 3 for i in range(len(ids))], dtype=np.int64)  # three keys, ids interleaved
    local = np.arange(len(ids), dtype=np.int64)
    rows = list(_postings_rows(keys, local, max(1, len(ids).bit_length()), np.array(ids, dtype=np.int64), str))
    got = {name: _unpack_ids(blob).tolist() for name, n, blob in rows}
    assert got == {str(k): ids[k::3] for k in range(3) if ids[k::3]}
    assert all(n == len(got[name]) for name, n, _ in rows)


@given(st.lists(st.text(alphabet="ab \u00a0\t\u200f", max_size=8), max_size=12))
@settings(max_examples=300, deadline=None)
def test_batch_word_numbering_equals_splitting_each_key(keys: list[str]) -> None:
    """The batch numbering (keys joined, one split) gives each key's own words, whatever white
    space or invisible characters a key holds."""
    from array import array

    from ctlex.tm.postings import number_words

    vocab: dict[str, int] = {"b": 0}
    src, src_n, _, tgt_n, fresh, _ = number_words(vocab, {}, keys, [])
    names = {n: w for w, n in vocab.items()}
    got, at = [], 0
    for n in array("i", src_n):
        got.append([names[i] for i in array("i", src)[at : at + n]])
        at += n
    assert got == [k.split() for k in keys] and at == len(array("i", src))
    assert fresh == [w for w in dict.fromkeys(w for k in keys for w in k.split()) if w != "b"]
    assert array("i", tgt_n).tolist() == []


def test_postings_pieces_worked_out_ahead_keep_order_errors_and_stop() -> None:
    """The index write's pieces come in order from their thread; the thread's error is raised in
    the caller; a caller that stops early (its own error, e.g. a full disk) stops the thread."""
    import threading

    from ctlex.tm.postings import _ahead

    assert list(_ahead(iter([[1], [2], [3]]))) == [[1], [2], [3]]

    def failing():
        yield [1]
        raise OSError("no space left on device")

    got = []
    with pytest.raises(OSError, match="no space"):
        for p in _ahead(failing()):
            got.append(p)
    assert got == [[1]]

    made = []

    def endless():
        while True:
            made.append(1)
            yield [len(made)]

    gen = _ahead(endless())
    assert next(gen) == [1]
    gen.close()  # the caller gives up: the thread must not go on (nor hang)
    assert not any(t.name == "ctlex-postings" for t in threading.enumerate())
    assert len(made) <= 3


def test_large_import_normalizing_in_a_helper_process_gives_the_same_store(articles: list[Segment], monkeypatch: pytest.MonkeyPatch) -> None:
    import ctlex.tm.workers as tm_mod

    segs = [Segment(s.source, s.target, origin=s.origin, props=s.props) for s in articles]
    segs += [Segment("Follow us on Twitter", "تابعنا على تويتر", source_lang="en", target_lang="ar", origin="x#1")]
    serial = Store(":memory:")
    serial.add(segs)
    monkeypatch.setattr(tm_mod, "BATCH", 20)
    monkeypatch.setattr(tm_mod, "_SERIAL_BATCHES", 1)  # the rest goes through the helper process
    helper = Store(":memory:")
    rep = helper.add(segs)
    assert (rep.read, rep.added, rep.merged) == (len(segs), len(serial), len(segs) - len(serial))
    dump = "SELECT id, source, target, source_lang, origin, origins, props, count FROM segment ORDER BY id"
    assert helper.db.execute(dump).fetchall() == serial.db.execute(dump).fetchall()
    assert helper.keys() == serial.keys()
    q = articles[40].source
    assert [(m.score, m.id) for m in helper.search(q)] == [(m.score, m.id) for m in serial.search(q)]


def _old_store(path: Path, version: str) -> None:
    """A store in the layout of schema 3 (stored search keys), 2 (units merged by normalized
    key too) or 1 (no stored keys, lengths or bigrams either)."""
    import sqlite3

    with Store(path) as s:
        s.add([Segment("تابعنا على تويتر", "Follow us on Twitter", id="t1", origin="a.tmx#t1"),
               Segment("أعلن اليوروبول عن عملية جديدة", "Europol announced a new operation", origin="a.tmx:9")])
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("""
        PRAGMA journal_mode = DELETE;
        CREATE TABLE segkey (id INTEGER PRIMARY KEY, key BLOB NOT NULL);
        INSERT INTO segkey SELECT id, source FROM segment;
    """)
    if version == "3":
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (version,))
        db.close()
        return
    db.executescript("""
        DROP INDEX segment_dkey; DROP INDEX segment_head;
        ALTER TABLE segment DROP COLUMN head; ALTER TABLE segment DROP COLUMN tuid; ALTER TABLE segment DROP COLUMN ukey;
        CREATE UNIQUE INDEX segment_dkey ON segment (dkey);
    """)
    if version == "1":
        db.executescript("DELETE FROM segkey; DELETE FROM seglen; DELETE FROM postings;")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (version,))
    db.close()


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_old_stores_are_upgraded_on_open(tmp_path: Path, version: str) -> None:
    path = tmp_path / f"v{version}.sqlite"
    _old_store(path, version)
    with pytest.raises(Exception, match=f"schema .* is not {SCHEMA_VERSION}.*upgrade"):
        Store(path, readonly=True)  # cannot be upgraded without writing
    s = Store(path)
    assert s.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION
    assert s.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'segkey'").fetchone() is None
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [(m.score, m.target) for m in s.search("تابعنا على تويتر")] == [(100.0, "Follow us on Twitter")]
    assert s.concordance("يوروبول")[0].target == "Europol announced a new operation"
    assert [x.id for x in s.segments()] == ["t1", None]
    # importing a unit again after the upgrade merges; another spelling is kept beside it
    r = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter", id="t1"), Segment("تابعنا على تويتر!", "Follow us on Twitter", id="t2")])
    assert (r.merged, r.added, r.variants, len(s)) == (1, 1, 1, 3)


def test_glossary_terms_are_marked_in_matches(store: Store, glossary) -> None:
    m = store.search("ديسمبر 2015، التي أعطت الأولوية لتعزيز التعاون مع يوروبول", min_score=0, limit=1, glossary=glossary)[0]
    assert m.terms and all(m.source[a:b] for a, b, _ in m.terms)


def test_candidate_plan_explains_the_index(store: Store) -> None:
    plan = store.candidate_plan("تابعنا على تويتر")
    assert plan.used and plan.tokens[0][1] <= plan.tokens[-1][1]  # rarest first
    assert any("USING INDEX postings_token" in p for p in plan.plans[0])


# -- concordance ---------------------------------------------------------------------------------


def test_concordance_is_clitic_aware() -> None:
    s = Store(":memory:")
    s.add([
        Segment("وشدد على التعاون مع الشرطة وليوروبول.", "He stressed cooperation with the police and Europol."),
        Segment("أعلن اليوروبول عن عملية.", "Europol announced an operation."),
        Segment("قدم الدعم لليوروبول", "He supported Europol"),
        Segment("قال يوروبوليس", "Europolis said"),  # a different word: not a clitic form
    ])
    hits = s.concordance("يوروبول")
    assert [h.text[a:b] for h in hits for a, b in h.spans] == ["وليوروبول", "اليوروبول", "لليوروبول"]
    assert hits[0].counterpart == "He stressed cooperation with the police and Europol."
    en = s.concordance("europol")
    assert [h.text[a:b] for h in en for a, b in h.spans] == ["Europol"] * 3


def test_concordance_on_the_articles_highlights_the_original_spelling(store: Store) -> None:
    hits = store.concordance("انتربول")
    assert hits and all(h.side == "source" for h in hits)
    assert any(h.text[a:b] == "الإنتربول" for h in hits for a, b in h.spans)
    phrase = store.concordance("المقاتلين الأجانب")
    spans = [search_key(h.text[a:b]) for h in phrase for a, b in h.spans]
    assert len(spans) >= 5 and all(len(sp.split()) == 2 and sp.endswith("اجانب") and "مقاتلين" in sp for sp in spans)
    assert "مقاتلين اجانب" in spans  # the article is a clitic too: the indefinite phrase is found


def test_concordance_marks_glossary_counterpart(mini_glossary) -> None:
    s = Store(":memory:")
    s.add([Segment("التعاون مع وليوروبول مستمر", "Cooperation with Europol continues")])
    h = s.concordance("يوروبول", glossary=mini_glossary)[0]
    assert [h.counterpart[a:b] for a, b in h.counterpart_spans] == ["Europol"]


# -- export and the default TM -------------------------------------------------------------------


def test_export_round_trips_through_tmx(store: Store, articles: list[Segment], tmp_path: Path, schemas_dir: Path) -> None:
    from lxml import etree

    out = tmp_path / "export.tmx"
    n = store.export(out)
    assert n == len(store) == len(articles)
    assert etree.DTD(str(schemas_dir / "tmx14.dtd")).validate(etree.parse(str(out)))
    back = list(tmx.read_segments(out))
    fields = lambda x: (x.id, x.source, x.target, x.source_lang, x.target_lang, x.props, x.note, x.created, x.changed)  # noqa: E731
    assert [fields(x) for x in back] == [fields(x) for x in articles]  # unit by unit: tuids, texts, props
    again = Store(tmp_path / "again.sqlite")
    rep = again.import_files([out])
    assert (rep.added, rep.merged) == (len(store), 0)
    assert [fields(x) for x in again.segments()] == [fields(x) for x in store.segments()]


def test_default_tm_is_shipped_data_plus_user_tm(env: Path) -> None:
    tm = open_tm()
    assert len(tm.stores) == 1 and tm.stores[0].readonly  # user TM not created by reading
    assert tm.stats()["segments"] > 150
    tm.add([Segment("نص جديد للمستخدم", "new user text")])
    tm.close()
    tm2 = open_tm()
    assert len(tm2.stores) == 2 and tm2.search("نص جديد للمستخدم")[0].target == "new user text"
    assert (env / "data" / "ctlex" / "tm.sqlite").exists()
    assert (env / "data" / "ctlex" / "cache" / "shipped-tm.sqlite").exists()


# -- CLI -----------------------------------------------------------------------------------------


def test_cli_import_search_json(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    r = CliRunner().invoke(cli, ["tm", "import", str(ARTICLES), "--tm", str(db)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("read 219 units from 1 file(s):")
    r = CliRunner().invoke(cli, ["tm", "search", "تابعنا على تويتر", "--tm", str(db), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert list(data) == ["matches"]
    m = data["matches"][0]
    assert set(m) == {"score", "source", "target", "origin"}
    assert (m["score"], m["target"]) == (100.0, "Follow us on Twitter") and 0 <= m["score"] <= 100
    assert m["origin"].startswith("articles.tmx#")


def test_cli_search_text_min_score_limit(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    CliRunner().invoke(cli, ["tm", "import", str(ARTICLES), "--tm", str(db)])
    r = CliRunner().invoke(cli, ["tm", "search", "تابعنا على", "--tm", str(db), "--min-score", "50", "--limit", "2"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split()[:3] == ["score", "source", "target"] and len(lines) == 4
    r = CliRunner().invoke(cli, ["tm", "search", "تابعنا", "--tm", str(db), "--explain"])
    assert r.exit_code == 0 and "USING INDEX" in r.output


def test_cli_concord_export_stats(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    CliRunner().invoke(cli, ["tm", "import", str(ARTICLES), "--tm", str(db)])
    r = CliRunner().invoke(cli, ["tm", "concord", "انتربول", "--tm", str(db), "--json"])
    assert r.exit_code == 0
    hits = json.loads(r.output)["hits"]
    assert hits and hits[0]["hits"][0]["text"].endswith("الإنتربول") and "INTERPOL" in hits[0]["counterpart"]
    out = tmp_path / "x.tmx"
    r = CliRunner().invoke(cli, ["tm", "export", "-o", str(out), "--tm", str(db)])
    assert r.exit_code == 0 and out.exists() and sum(1 for _ in tmx.read_segments(out)) == len(Store(db))
    r = CliRunner().invoke(cli, ["tm", "stats", "--tm", str(db), "--json"])
    assert json.loads(r.output)["stores"][0]["units_read"] == 219


def test_cli_bad_input_exits_2_with_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="ar"/>\n<body>\n<tu>\n</body>\n</tmx>\n', encoding="utf-8")
    db = tmp_path / "cli.sqlite"
    r = CliRunner().invoke(cli, ["tm", "import", str(bad), "--tm", str(db)])
    assert r.exit_code == 2
    assert r.output.strip().splitlines()[-1].startswith(f"ctlex: error: {bad}:6:")
    assert len(Store(db)) == 0
    r = CliRunner().invoke(cli, ["tm", "import", str(tmp_path / "missing.tmx"), "--tm", str(db)])
    assert r.exit_code == 2


def test_read_commands_do_not_create_a_tm(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    missing = tmp_path / "nowhere" / "tm.sqlite"
    for args in (["tm", "search", "x"], ["tm", "concord", "x"], ["tm", "stats"], ["tm", "export", "-o", str(tmp_path / "o.tmx")]):
        r = CliRunner().invoke(cli, [*args, "--tm", str(missing)])
        assert r.exit_code == 2 and "no such translation memory" in r.output, args
    assert not missing.parent.exists()


def test_concordance_query_with_a_clitic_falls_back_to_its_stem() -> None:
    s = Store(":memory:")
    s.add([Segment("التعاون مع الإنتربول", "cooperation with INTERPOL"), Segment("بيروت مدينة", "Beirut is a city")])
    assert [h.target for h in s.concordance("بالإنتربول")] == ["cooperation with INTERPOL"]
    assert [h.target for h in s.concordance("بيروت")] == ["Beirut is a city"]


def test_shipped_tm_works_without_a_writable_data_directory(monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/dev/null/not-a-directory")
    from ctlex.tm import shipped_store

    s = shipped_store()
    assert s is not None and len(s) > 150


def test_tm_search_help_examples_find_their_match(env: Path) -> None:
    import shlex

    from ctlex.cli import tm_cmds

    examples = [line.strip() for doc in (tm_cmds.tm.help, tm_cmds.search.help) for line in (doc or "").splitlines()
                if line.strip().startswith("ctlex tm search")]
    assert len(examples) >= 3
    for ex in examples:
        args = shlex.split(ex)[1:]
        r = CliRunner().invoke(cli, args + ([] if "--json" in args else ["--json"]))
        assert r.exit_code == 0, (ex, r.output)
        assert json.loads(r.output)["matches"], f"help example finds nothing: {ex}"


def test_import_progress_position_follows_the_reader(tmp_path: Path) -> None:
    from ctlex.cli.tm_cmds import _bytes_read

    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    a.write_bytes(b"x" * 1000)
    b.write_bytes(b"y" * 500)
    position = _bytes_read([str(a), str(b)])
    with open(a, "rb", buffering=0) as f:
        f.read(300)
        assert position() == 300
    with open(b, "rb", buffering=0) as f:
        f.read(120)
        assert position() == 1000 + 120
    assert position() == 1000  # between files: the finished ones


def test_cli_import_reports_skipped_and_shared_units(tmp_path: Path) -> None:
    src = tmp_path / "in.tsv"
    src.write_text("تابعنا على تويتر\tFollow us on Twitter\nتابعنا على تويتر!\tFollow us on Twitter!\n\tno source\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["tm", "import", str(src), "--tm", str(tmp_path / "t.sqlite"), "--format", "tsv"])
    assert r.exit_code == 0, r.output
    assert "2 added (1 with the normalized text of an earlier unit" in r.output
    assert "1 skipped (1 empty source or target)" in r.output


# -- issue 15: bulk builds, bounded search ------------------------------------------------------


def test_first_import_builds_aside_and_leaves_only_the_store(tmp_path: Path, articles: list[Segment]) -> None:
    path = tmp_path / "new.sqlite"
    s = Store(path)
    assert s.add(articles).added == len(articles)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["new.sqlite"]
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.search(articles[3].source)[0].target == articles[3].target
    assert s.add([Segment("وحدة أخرى تماما", "Another unit entirely")]).added == 1  # later imports: the WAL path
    s.close()
    with Store(path, readonly=True) as again:
        assert len(again) == len(articles) + 1


def test_first_import_never_replaces_a_store_created_meanwhile(tmp_path: Path, articles: list[Segment]) -> None:
    path = tmp_path / "tm.sqlite"
    mine, theirs = Store(path), Store(path)  # both see no file yet

    def units():
        yield from articles[:50]
        if not path.exists():
            theirs.add([Segment("تابعنا على تويتر", "Follow us on Twitter")])  # another first import wins
        yield from articles[50:]

    with pytest.raises(WriteError, match="created the translation memory meanwhile"):
        mine.add(units())
    with Store(path) as s:
        assert [x.target for x in s.segments()] == ["Follow us on Twitter"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".tmp-journal"))] == []


def test_the_plan_reads_keys_from_every_part_of_the_query() -> None:
    from ctlex.tm.search import REGIONS, admit

    words = [f"w{i}" for i in range(16)]
    qkey = " ".join(words)
    df = {w: 10 + i for i, w in enumerate(words)}  # the rarest keys are all at the start
    ranked, used = admit(qkey, df, budget=10 + 14 + 18 + 22)
    assert [t for t, _ in ranked] == words
    assert REGIONS == 4 and used == ["w0", "w4", "w8", "w12"]  # the rarest of each quarter (rarest first: w0…w4)
    assert admit(qkey, df, budget=0)[1] == ["w0"]  # the first key is always read


def test_votes_summed_by_id_or_by_sorting_agree(monkeypatch: pytest.MonkeyPatch, store: Store, articles: list[Segment]) -> None:
    import ctlex.tm.search as search_mod

    queries = [a.source for a in articles[:60:3]]
    dense = [[(m.score, m.id) for m in store.search(q, min_score=30)] for q in queries]
    monkeypatch.setattr(search_mod, "DENSE", 0)  # never an array by id
    assert [[(m.score, m.id) for m in store.search(q, min_score=30)] for q in queries] == dense
