"""Store behaviour on every backend (SQLite and a real PostgreSQL server), and what only the
PostgreSQL store has: the same search results as SQLite, versioned migrations, many writers and
readers at once, one-line connection errors.  The ``backend`` fixture (tests/conftest.py) makes
stores of each backend; PostgreSQL tests skip, saying why, only where no server can be started."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex.cli import cli
from ctlex.errors import CtlexError, NotFoundError, ParseError, WriteError
from ctlex.formats import tmx
from ctlex.segment import Segment
from ctlex.tm import Store, StoreBackend, open_store, search_key

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tm" / "articles.tmx"


@pytest.fixture(scope="module")
def articles() -> list[Segment]:
    return list(tmx.read_segments(ARTICLES))


def recombined(articles: list[Segment], n: int, seed: int) -> list[Segment]:
    """``n`` generated units: a prefix of one article sentence joined to a suffix of another
    (Arabic and English cut at the same relative point), most words shared between units."""
    rng = random.Random(seed)
    pairs = [(s.source.split(), s.target.split()) for s in articles if len(s.source.split()) >= 5]
    out = []
    for i in range(n):
        (a, ae), (b, be) = rng.choice(pairs), rng.choice(pairs)
        f = rng.uniform(0.2, 0.8)
        out.append(Segment(" ".join(a[: max(2, round(len(a) * f))] + b[round(len(b) * f):]),
                           " ".join(ae[: max(2, round(len(ae) * f))] + be[round(len(be) * f):]),
                           id=f"g{seed}-{i}", origin=f"gen.tmx#g{seed}-{i}"))
    return out


def edited(rng: random.Random, text: str, vocab: list[str]) -> str:
    w = text.split()
    i = rng.randrange(len(w))
    w[i] = rng.choice(vocab) if rng.random() < 0.5 else w[i].replace("ا", "أ", 1)
    if len(w) > 6 and rng.random() < 0.5:
        del w[rng.randrange(len(w))]
    return " ".join(w)


def view(matches) -> list[tuple]:
    return [(m.score, m.source, m.target, m.origin, m.source_lang, m.target_lang) for m in matches]


# -- every backend -------------------------------------------------------------------------------


def test_store_satisfies_the_protocol_and_imports_the_articles(backend, articles) -> None:
    s = backend()
    assert isinstance(s, StoreBackend)
    r = s.import_files([ARTICLES])
    assert r.read == len(articles) and r.added + r.merged == r.read and len(s) == r.added
    best = s.search(articles[5].source)[0]
    assert best.score == 100.0 and best.target == articles[5].target
    st = s.stats()
    assert st["segments"] == len(s) and st["units_read"] == len(articles) and st["language_pairs"] == {"ar-en": len(s)}


def test_same_unit_imported_again_only_merges(backend) -> None:
    s = backend()
    units = [Segment("تابعنا على تويتر", "Follow us on Twitter", id="u1", origin="a.tmx#u1"),
             Segment("استطلاع رأي", "Poll", id="u2", origin="a.tmx#u2")]
    assert (s.add(units).added, len(s)) == (2, 2)
    again = s.add([Segment("تابعنا على تويتر", "Follow us on Twitter", id="u1", origin="b.tmx#u1")])
    assert (again.added, again.merged, len(s)) == (0, 1, 2)
    m = s.search("تابعنا على تويتر")[0]
    assert m.count == 2
    seg = next(x for x in s.segments() if x.id == "u1")
    assert seg.props["x-ctlex-count"] == "2" and seg.props["x-ctlex-origins"] == "b.tmx#u1"


def test_empty_units_are_skipped_and_every_count_reported_alike(backend, tmp_path: Path) -> None:
    s = backend()
    units = [Segment("قال: ٣ هجمات", "He said: 3 attacks", id="a"),
             Segment("قال ٣ هجمات", "he said 3 attacks", id="b"),  # a variant of a
             Segment("قال: ٣ هجمات", "He said: 3 attacks", id="a"),  # a again
             Segment("   ", "Empty source", id="c"), Segment("نص بلا ترجمة", "", id="d")]
    r = s.add(units)
    assert r.to_dict() == {"files": [], "read": 5, "added": 2, "merged": 1, "variants": 1,
                           "skipped": {"empty source or target": 2}, "readers": []}
    assert len(s) == 2 and sorted(x.id for x in s.segments()) == ["a", "b"]
    assert s.search("نص بلا ترجمة", min_score=0) == [] and s.concordance("Empty") == []
    # what the reader skips (a unit without a translation) is counted in the import's report too
    f = tmp_path / "one.tmx"
    f.write_text('<tmx version="1.4"><header srclang="ar"/><body>'
                 '<tu tuid="x"><tuv xml:lang="ar"><seg>وحدة وحيدة</seg></tuv></tu>'
                 '<tu tuid="y"><tuv xml:lang="ar"><seg>وحدة ثانية</seg></tuv><tuv xml:lang="en"><seg>A second unit</seg></tuv></tu>'
                 '</body></tmx>', encoding="utf-8")
    r = s.import_files([f])
    assert (r.read, r.added, r.skipped_total, r.files) == (1, 1, 1, [str(f)])
    assert "no translation" in next(iter(r.skipped))


def test_malformed_file_leaves_the_store_untouched(backend, tmp_path: Path) -> None:
    s = backend()
    s.import_files([ARTICLES])
    before = (len(s), s.stats()["units_read"])
    bad = tmp_path / "bad.tmx"
    bad.write_text('<tmx version="1.4"><body><tu><tuv xml:lang="ar"><seg>نص</seg></tuv>', encoding="utf-8")
    with pytest.raises(ParseError):
        s.import_files([ARTICLES, bad])
    assert (len(s), s.stats()["units_read"]) == before


def test_english_to_arabic_units_are_stored_arabic_first(backend) -> None:
    s = backend()
    s.add([Segment("Poll", "استطلاع رأي", source_lang="en", target_lang="ar")])
    seg = next(s.segments())
    assert (seg.source, seg.target, seg.source_lang) == ("استطلاع رأي", "Poll", "ar")


def test_index_search_agrees_with_the_exhaustive_twin(backend, articles) -> None:
    s = backend()
    units = recombined(articles, 1500, seed=3)
    s.add(units)
    keys = s.keys()
    rng = random.Random(9)
    vocab = sorted({w for u in units for w in u.source.split()})
    agree = 0
    for _ in range(60):
        q = edited(rng, rng.choice(units).source, vocab)
        fast = s.search(q, min_score=70, limit=3)
        slow = s.search_exhaustive(q, min_score=70, limit=3, keys=keys)
        agree += [m.score for m in fast[:1]] == [m.score for m in slow[:1]]
        assert all(keys[m.id] == search_key(m.source) for m in fast)
    assert agree >= 58


def test_min_score_limit_and_plan(backend, articles) -> None:
    s = backend()
    s.import_files([ARTICLES])
    q = articles[10].source
    assert len(s.search(q, min_score=0, limit=3)) == 3
    assert all(m.score >= 90 for m in s.search(q, min_score=90, limit=50))
    plan = s.candidate_plan("تابعنا على فيسبوك")
    assert plan.used and all(df >= 1 for _, df in plan.tokens) and len(plan.sql) == len(plan.plans) and all(plan.plans)


def test_concordance_is_clitic_aware(backend) -> None:
    s = backend()
    s.add([Segment("التعاون مع وليوروبول", "cooperation with Europol"),
           Segment("رسالة لليوروبول", "a letter to Europol"),
           Segment("لا علاقة", "unrelated")])
    hits = s.concordance("يوروبول")
    assert sorted(h.text[h.spans[0][0]:h.spans[0][1]] for h in hits) == ["لليوروبول", "وليوروبول"]
    assert [h.id for h in s.concordance("europol")] == [h.id for h in sorted(hits, key=lambda h: h.id)]


def test_export_round_trips_through_tmx(backend, tmp_path: Path) -> None:
    s = backend()
    s.import_files([ARTICLES])
    out = tmp_path / "all.tmx"
    assert s.export(out) == len(s)
    again = backend()
    again.import_files([out])
    assert [(x.source, x.target, x.id) for x in again.segments()] == [(x.source, x.target, x.id) for x in s.segments()]


def test_cli_import_search_stats_on_a_store_named_by_path_or_url(backend) -> None:
    where = backend.target()
    run = CliRunner().invoke
    r = run(cli, ["tm", "import", "--tm", where, str(ARTICLES), "--json"])
    assert r.exit_code == 0, r.output
    r = run(cli, ["tm", "search", "--tm", where, "أعلن اليوروبول عن عملية جديدة", "--min-score", "30", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)
    r = run(cli, ["tm", "stats", "--tm", where, "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["segments"] == len(backend(where))


def test_read_commands_do_not_create_a_store(backend) -> None:
    where = backend.target()
    r = CliRunner().invoke(cli, ["tm", "search", "--tm", where, "نص"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    with pytest.raises(NotFoundError):
        open_store(where, create=False)


# -- PostgreSQL only ------------------------------------------------------------------------------


def _both(pg_url: str, units: list[Segment]) -> tuple[Store, StoreBackend]:
    lite = Store(":memory:")
    lite.add(units)
    pg = open_store(pg_url)
    pg.add(units)
    return lite, pg


def test_postgres_search_equals_sqlite_on_the_shipped_tm(pg_url, articles) -> None:
    lite, pg = _both(pg_url, articles)
    rng = random.Random(1)
    vocab = sorted({w for a in articles for w in a.source.split()})
    queries = [a.source for a in articles[::7]] + [edited(rng, a.source, vocab) for a in articles[::3]]
    compared = 0
    for q in queries:
        for min_score in (50, 70):
            a, b = lite.search(q, min_score=min_score, limit=5), pg.search(q, min_score=min_score, limit=5)
            assert view(a) == view(b), q
            compared += len(a)
        assert [(h.source, h.target, h.spans) for h in lite.concordance(q.split()[0])] == \
               [(h.source, h.target, h.spans) for h in pg.concordance(q.split()[0])]
    assert compared > len(queries)
    lite.close()
    pg.close()


def test_postgres_search_equals_sqlite_on_a_generated_tm(pg_url, articles) -> None:
    units = recombined(articles, 6000, seed=11)
    lite, pg = _both(pg_url, units)
    rng = random.Random(2)
    vocab = sorted({w for u in units for w in u.source.split()})
    found = 0
    for _ in range(80):
        q = edited(rng, rng.choice(units).source, vocab)
        a, b = lite.search(q, limit=5), pg.search(q, limit=5)
        assert view(a) == view(b), q
        found += bool(a)
        # a budget that bites (the rarest keys only) and few candidates: the same cut on both
        for budget, candidates in ((400, 20), (50, 5)):
            assert lite.candidate_plan(q, budget=budget).used == pg.candidate_plan(q, budget=budget).used
            a = lite.search(q, limit=5, min_score=50, budget=budget, candidates=candidates)
            assert view(a) == view(pg.search(q, limit=5, min_score=50, budget=budget, candidates=candidates)), (q, budget)
    assert found >= 65
    lite.close()
    pg.close()


def test_postgres_keeps_every_unit_variants_sharing_the_index_entry(pg_url) -> None:
    s = open_store(pg_url)
    r = s.add([Segment("قال: ٣ هجمات", "He said: 3 attacks", id="a"),
               Segment("قال ٣ هجمات", "he said 3 attacks", id="b"),
               Segment("قال: ٣ هجمات", "He said: 3 attacks", id="a")])
    assert (r.read, r.added, r.merged, len(s)) == (3, 2, 1, 2)
    assert [(x.id, x.source, x.target) for x in s.segments()] == [("a", "قال: ٣ هجمات", "He said: 3 attacks"),
                                                                    ("b", "قال ٣ هجمات", "he said 3 attacks")]
    st = s.stats()
    assert (st["segments"], st["index_entries"], st["units_read"]) == (2, 1, 3)
    assert len(s.keys()) == 1 and len(s.search("قال ٣ هجمات")) == 1


def test_postgres_schema_is_versioned_and_migrated_once(pg_url) -> None:
    import psycopg

    from ctlex.tm.pg.migrations import LATEST

    open_store(pg_url).close()
    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        assert c.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [(v,) for v in range(1, LATEST + 1)]
        c.execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')")
    with pytest.raises(CtlexError, match="newer than this ctlex knows"):
        open_store(pg_url)


def test_postgres_concurrent_first_opens_create_the_schema_once(pg_url) -> None:
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=opener) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(open_store(pg_url)) == 0


def test_postgres_many_writers_and_readers_lose_and_duplicate_nothing(pg_url, articles) -> None:
    open_store(pg_url).add(articles[:20])  # something for the readers from the start
    writers, batches, per = 6, 4, 40
    own = {w: recombined(articles, batches * per, seed=100 + w) for w in range(writers)}
    common = recombined(articles, 30, seed=7)  # every writer imports these too
    errors: list[BaseException] = []
    searches = [0]
    stop = threading.Event()

    def writer(w: int) -> None:
        try:
            with open_store(pg_url) as s:
                for b in range(batches):
                    s.add(own[w][b * per:(b + 1) * per] + (common if b == 1 else []))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    def reader() -> None:
        try:
            with open_store(pg_url, readonly=True) as s:
                while not stop.is_set():
                    ms = s.search(articles[3].source, limit=3)
                    assert ms and ms[0].score == 100.0
                    s.concordance("الإرهاب", limit=5)
                    searches[0] += 1
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    ws = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    rs = [threading.Thread(target=reader) for _ in range(3)]
    for t in ws + rs:
        t.start()
    for t in ws:
        t.join()
    stop.set()
    for t in rs:
        t.join()
    assert not errors, errors
    assert searches[0] > 0
    s = open_store(pg_url)
    stored = list(s.segments())
    ids = [x.id for x in stored]
    assert len(ids) == len(set(ids)) == 20 + writers * batches * per + len(common)
    assert set(ids) >= {u.id for units in own.values() for u in units}
    counts = {x.id: int(x.props.get("x-ctlex-count", "1")) for x in stored}
    assert all(counts[u.id] == writers for u in common)
    assert s.stats()["units_read"] == 20 + writers * (batches * per + len(common))
    # the index has every head: each unit's own text finds a 100 match
    for u in random.Random(4).sample([u for units in own.values() for u in units], 25):
        assert s.search(u.source, limit=1)[0].score == 100.0
    s.close()


def test_postgres_readonly_store_refuses_writes(pg_url) -> None:
    open_store(pg_url).close()
    s = open_store(pg_url, readonly=True)
    with pytest.raises(WriteError, match="read-only"):
        s.add([Segment("نص", "text")])
    s.close()


def test_cli_unreachable_server_is_one_line_naming_the_url_without_password() -> None:
    url = "postgresql://analyst:s3cret-pw@127.0.0.1:1/ctlex?connect_timeout=3"
    for args in (["tm", "search", "--tm", url, "نص"], ["tm", "import", "--tm", url, str(ARTICLES)]):
        r = subprocess.run([sys.executable, "-m", "ctlex", *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "127.0.0.1:1/ctlex" in r.stderr and "s3cret-pw" not in r.stderr and "analyst:***@" in r.stderr


def test_cli_wrong_database_is_one_line(pg_admin_url) -> None:
    from pg_fixture import with_dbname

    url = with_dbname(pg_admin_url, "no_such_db")
    r = subprocess.run([sys.executable, "-m", "ctlex", "tm", "stats", "--tm", url], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "no_such_db" in r.stderr, r.stderr


def test_psycopg_is_imported_only_for_postgres_urls() -> None:
    code = ("import sys, ctlex.tm, ctlex.cli; from ctlex.tm import open_store; open_store(':memory:');"
            " print('psycopg' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "False", r.stderr
