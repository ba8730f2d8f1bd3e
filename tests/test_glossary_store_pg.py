"""The glossary store in PostgreSQL (``--glossary postgresql://…``): compiled like a file store,
it answers every lookup, fuzzy candidate and scan exactly as the file store and the in-memory
glossary do; recompiling replaces it in one transaction; errors are one line.  Runs against the
throw-away server of conftest.py's ``pg_admin_url``."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex.cli import cli
from ctlex.errors import CtlexError
from ctlex.glossary import Glossary, load
from ctlex.store import GlossaryStore, compile_glossary, open_glossary, open_store
from ctlex.store.view import StoreGlossary

from test_glossary_store import SHIPPED, _answers, _gen_module, _queries

pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def pg_generated(tmp_path_factory, pg_admin_url):
    from pg_fixture import new_schema

    d = tmp_path_factory.mktemp("pggen")
    src = d / "gen.tbx"
    with open(src, "w", encoding="utf-8") as f:
        _gen_module().write_tbx(f, 1500, seed=5)
    url = new_schema(pg_admin_url)
    info = compile_glossary(src, url)
    assert info["concepts"] == 1500 and info["path"].startswith("postgresql:")
    g = open_glossary(url)
    compile_glossary(src, d / "gen.ctlexdb")
    yield Glossary.load(src), g, open_glossary(d / "gen.ctlexdb")
    g.store.close()


def test_a_postgresql_store_answers_as_the_file_store_and_in_memory(pg_generated) -> None:
    mem, pg, local = pg_generated
    assert isinstance(pg, StoreGlossary) and isinstance(pg.store, GlossaryStore)
    qs = _queries(mem, 40, seed=7)
    diffs = [(q, _answers(mem, q), _answers(pg, q)) for q in qs if _answers(mem, q) != _answers(pg, q)]
    assert not diffs[:3]
    assert {"exact", "clitic", "fuzzy"} <= {m.match for q in qs for m in pg.lookup(q)}
    rnd = random.Random(3)
    for k in rnd.sample(mem.index.keys, 40):  # the trigram table gives FTS5's candidates, ties and order included
        q = k[:3] + k[4:] if len(k) > 5 else k
        assert pg.store.fuzzy_candidates(q, limit=10, cutoff=70) == local.store.fuzzy_candidates(q, limit=10, cutoff=70), q
    assert not pg.loaded  # lookups read only the concepts a query can match


def test_the_candidate_cap_keeps_the_best_supported_keys_as_the_file_store(pg_generated, monkeypatch) -> None:
    import ctlex.match.fuzzy as fz

    mem, pg, local = pg_generated
    monkeypatch.setattr(fz, "MAX_CANDIDATES", 25)  # the trigram counts now decide which keys are scored
    for k in random.Random(6).sample(mem.index.keys, 40):
        q = k[:2] + k[3:]
        assert pg.store.fuzzy_candidates(q, limit=10, cutoff=60) == local.store.fuzzy_candidates(q, limit=10, cutoff=60), q


def test_shipped_glossary_through_postgresql_scans_and_round_trips(pg_url, devsets_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "ctlex.tbx"
    shutil.copy(SHIPPED, src)
    compile_glossary(src, pg_url)
    pg, mem = open_glossary(pg_url), Glossary.load(src)
    for q in ["وليوروبول", "القرار 2396", "غوتيريس", "Guterres", "Europol يوروبول", "مجلس الامن"]:
        assert _answers(pg, q) == _answers(mem, q), q
    lines = (devsets_dir / "recognition_ar.tsv").read_text(encoding="utf-8").splitlines()[1:80]
    text = "\n".join(line.split("\t")[-1] for line in lines)
    spans = lambda g: [(h.start, h.end, h.concept.id, h.match) for h in g.scan(text)]  # noqa: E731
    assert spans(pg) == spans(mem) and len(spans(mem)) > 40
    from ctlex.formats import tbx

    assert tbx.to_bytes(pg.to_glossary()) == tbx.to_bytes(mem)  # lossless, as the file store
    pg.store.close()


def test_recompiling_replaces_the_glossary_in_one_transaction(pg_url, tmp_path: Path, mini_glossary) -> None:
    small = tmp_path / "small.tbx"
    mini_glossary.save(small)
    compile_glossary(SHIPPED, pg_url)
    reader = open_store(pg_url)
    assert len(reader) > 200
    compile_glossary(small, pg_url)
    fresh = open_store(pg_url)
    assert len(fresh) == len(mini_glossary) and fresh.get("europol") is not None
    assert StoreGlossary(fresh).lookup("يوروبول")[0].concept.id == "europol"
    broken = tmp_path / "broken.tbx"
    broken.write_text(SHIPPED.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(CtlexError):
        compile_glossary(broken, pg_url)
    after = open_store(pg_url)
    assert len(after) == len(mini_glossary)  # a failed compile left the glossary as it was

    def fail(_key):
        raise RuntimeError("disk gone")

    import ctlex.match.fuzzy

    with pytest.MonkeyPatch.context() as mp:  # a failure half-way through the copy, tables already replaced
        mp.setattr(ctlex.match.fuzzy, "trigrams", fail)
        with pytest.raises(RuntimeError):
            compile_glossary(SHIPPED, pg_url)
    last = open_store(pg_url)
    assert len(last) == len(mini_glossary) and StoreGlossary(last).lookup("يوروبول")[0].concept.id == "europol"
    for s in (reader, fresh, after, last):
        s.close()


def test_cli_compile_into_postgresql_then_lookup_scan_and_check(pg_url, monkeypatch) -> None:
    run = CliRunner().invoke
    r = run(cli, ["glossary", "compile", str(SHIPPED), "-o", pg_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["concepts"] == len(load(SHIPPED))
    r = run(cli, ["lookup", "وليوروبول", "--glossary", pg_url, "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["results"][0]["id"] == "europol"
    r = run(cli, ["scan", "--text", "أكد دو كيرشوف أن التعاون مع اليوروبول ضروري", "--glossary", pg_url, "--json"])
    assert {h["id"] for h in json.loads(r.output)["hits"]} >= {"europol", "gilles-de-kerchove"}
    monkeypatch.setenv("CTLEX_GLOSSARY", pg_url)  # the environment variable takes a URL too
    r = run(cli, ["lookup", "Guterres", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["results"][0]["id"] == "antonio-guterres"


def test_postgresql_store_errors_are_one_line(pg_url, pg_admin_url) -> None:
    from pg_fixture import with_dbname

    r = CliRunner().invoke(cli, ["lookup", "x", "--glossary", pg_url])  # an empty schema: nothing compiled yet
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "no ctlex glossary in this database" in r.output
    r = CliRunner().invoke(cli, ["lookup", "x", "--glossary", with_dbname(pg_admin_url, "no_such_db")])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "cannot connect to the glossary store" in r.output
