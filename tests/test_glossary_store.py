"""The compiled glossary store (ctlex.store): same answers as the in-memory glossary, lossless,
atomic, invalidated when its source changes, one clear line for a bad file."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex import arabic
from ctlex.cli import cli
from ctlex.errors import CtlexError, ParseError
from ctlex.glossary import Glossary, load
from ctlex.store import GlossaryStore, compile_glossary, open_glossary, open_store
from ctlex.store.sqlite import SQLiteStore, StoreError
from ctlex.store.tbxstream import Header, stream
from ctlex.store.view import StoreGlossary

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "glossary" / "ctlex.tbx"


def _gen_module():
    spec = importlib.util.spec_from_file_location("gen_glossary", ROOT / "bench" / "gen_glossary.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[Glossary, StoreGlossary]:
    d = tmp_path_factory.mktemp("store")
    src = d / "ctlex.tbx"
    shutil.copy(SHIPPED, src)
    compile_glossary(src, d / "ctlex.ctlexdb")
    g = open_glossary(d / "ctlex.ctlexdb")
    assert isinstance(g, StoreGlossary)
    return Glossary.load(src), g


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Glossary, StoreGlossary]:
    d = tmp_path_factory.mktemp("gen")
    src = d / "gen.tbx"
    with open(src, "w", encoding="utf-8") as f:
        _gen_module().write_tbx(f, 1500, seed=5)
    compile_glossary(src, d / "gen.ctlexdb")
    return Glossary.load(src), open_glossary(d / "gen.ctlexdb")  # type: ignore[return-value]


def _answers(g: Glossary, q: str, **kw) -> list[tuple]:
    return [(m.concept.id, round(m.score, 6), m.match, m.term.text, m.number) for m in g.lookup(q, **kw)]


def _queries(g: Glossary, n: int, seed: int) -> list[str]:
    """Terms as written and as they appear in text: with a proclitic, an enclitic, another alef,
    a letter dropped (fuzzy), upper case, a first word alone (short forms, partial names)."""
    rnd = random.Random(seed)
    terms = [t.text for c in g for t in c.terms]
    out = []
    for t in rnd.sample(terms, n):
        w = t.split(" ")
        out += [t, "و" + t, "بال" + t if not t.startswith("ال") else "ب" + t, t + "ها", t.replace("ا", "أ", 1),
                t[: len(t) // 2] + t[len(t) // 2 + 1 :], t.upper(), w[0], " ".join(w[:2]), w[-1]]
    return out


def test_stream_reader_gives_the_tbx_readers_glossary() -> None:
    h = Header()
    streamed = [c for c, _ in stream(SHIPPED, h)]
    whole = Glossary.load(SHIPPED)
    assert streamed == list(whole)
    assert (h.title, h.description, h.extra) == (whole.title, whole.description, whole.extra)


def test_store_round_trips_to_the_same_tbx(shipped) -> None:
    mem, st = shipped
    back = st.to_glossary()
    assert list(back) == list(mem)
    assert (back.title, back.description, back.extra) == (mem.title, mem.description, mem.extra)
    from ctlex.formats import tbx

    assert tbx.to_bytes(back) == tbx.to_bytes(mem)


def test_lookup_needs_no_full_load(shipped) -> None:
    _, st = shipped
    fresh = StoreGlossary(open_store(st.path))
    assert fresh.lookup("وليوروبول")[0].concept.id == "europol"
    assert not fresh.loaded  # the answer came from the few concepts the query can match
    assert len(fresh) == len(shipped[0]) and "europol" in fresh and not fresh.loaded
    assert fresh.stats() == {**shipped[0].stats(), "path": fresh.path}


def test_lookup_equals_in_memory_on_the_shipped_glossary(shipped) -> None:
    mem, st = shipped
    qs = _queries(mem, 45, seed=1) + ["Europol يوروبول", "القرار 2396", "resolution 2462", "و2462", "و2199", "غوتيريس", "Guterres",
                                        "الإرهاب", "داعش", "مجلس الامن", "للاتحاد الأوروبي", "counter-terrorism"]
    diffs = [(q, _answers(mem, q), _answers(st, q)) for q in qs if _answers(mem, q) != _answers(st, q)]
    assert not diffs[:3]
    # styles and language restriction go through the same path
    assert _answers(mem, "داعش", style="UN") == _answers(st, "داعش", style="UN")
    assert _answers(mem, "Europol", lang="en", limit=3) == _answers(st, "Europol", lang="en", limit=3)


def test_lookup_equals_in_memory_on_a_generated_glossary(generated) -> None:
    mem, st = generated
    qs = _queries(mem, 40, seed=2)
    diffs = [(q, _answers(mem, q), _answers(st, q)) for q in qs if _answers(mem, q) != _answers(st, q)]
    assert not diffs[:3]
    kinds = {m.match for q in qs for m in st.lookup(q)}
    assert {"exact", "clitic", "fuzzy"} <= kinds  # the sample exercises the cascade, fuzzy included


def test_fuzzy_candidates_equal_the_in_memory_index(generated) -> None:
    mem, st = generated
    fi = mem.index.fuzzy_index()
    rnd = random.Random(4)
    keys = rnd.sample(mem.index.keys, 60)
    for k in keys + ["اقليم", "ال", "zzzz"]:
        q = k[:3] + k[4:] if len(k) > 5 else k
        assert st.store.fuzzy_candidates(q, limit=10, cutoff=75) == fi.candidates(q, limit=10, cutoff=75), q


def test_scan_over_a_store_equals_in_memory(shipped, devsets_dir: Path) -> None:
    mem, _ = shipped
    st = StoreGlossary(open_store(shipped[1].path))
    lines = (devsets_dir / "recognition_ar.tsv").read_text(encoding="utf-8").splitlines()
    texts = [ln.split("\t", 1)[1] for ln in lines if "\t" in ln and not ln.startswith("#")][:150]
    a = [[h.to_dict() for h in hs] for hs in mem.scan_many(texts)]
    b = [[h.to_dict() for h in hs] for hs in st.scan_many(texts)]
    assert a == b and sum(map(len, a)) > 50


def test_store_satisfies_the_interface(shipped) -> None:
    assert isinstance(shipped[1].store, GlossaryStore)
    with pytest.raises(CtlexError, match="no glossary store backend for 'mysql'"):
        open_store("mysql://localhost/terms")
    assert isinstance(open_store("sqlite://" + shipped[1].path), SQLiteStore)


def test_a_changed_source_makes_the_store_stale(tmp_path: Path) -> None:
    src = tmp_path / "g.tbx"
    shutil.copy(SHIPPED, src)
    db = tmp_path / "g.ctlexdb"
    compile_glossary(src, db)
    assert isinstance(load(src), StoreGlossary)  # the store beside the file is used
    os.utime(src, ns=(1, 1))  # touched, same bytes: still fresh (checked by SHA-256)
    assert isinstance(load(db), StoreGlossary) and isinstance(load(src), StoreGlossary)
    src.write_bytes(src.read_bytes().replace(b"Europol</term>", b"Europol Agency</term>", 1))
    with pytest.raises(StoreError, match="stale glossary store"):
        load(db)
    g = load(src)  # the file itself, read as TBX: the stale store is ignored
    assert not isinstance(g, StoreGlossary) and g.lookup("Europol Agency")[0].match == "exact"
    src.unlink()  # a store whose source is gone is self-contained
    assert load(db).lookup("Europol")[0].concept.id == "europol"


def test_compile_is_atomic(tmp_path: Path) -> None:
    src = tmp_path / "g.tbx"
    shutil.copy(SHIPPED, src)
    db = tmp_path / "g.ctlexdb"
    compile_glossary(src, db)
    before = db.read_bytes()
    data = SHIPPED.read_bytes()
    cut = data.index(b"<conceptEntry", len(data) // 2)
    src.write_bytes(data[:cut] + b"<conceptEntry id='x'><broken></conceptEntry>" + data[cut:])
    with pytest.raises(ParseError) as e:
        compile_glossary(src, db)
    assert e.value.line is not None and e.value.path == str(src)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ctlexdb", "g.tbx"]  # no temporary file left


def test_store_opens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "g.ctlexdb"
    compile_glossary(SHIPPED, db)
    db.chmod(0o444)
    try:
        g = load(db)
        assert g.lookup("يوروبول")[0].concept.id == "europol"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            g.store.conn.execute("DELETE FROM concepts")  # type: ignore[attr-defined]
    finally:
        db.chmod(0o644)


@pytest.mark.parametrize("kind", ["junk", "foreign", "truncated", "wrong-schema"])
def test_a_bad_store_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "bad.ctlexdb"
    if kind == "junk":
        db.write_bytes(b"not a database at all\n" * 10)
    elif kind == "foreign":
        c = sqlite3.connect(db)
        c.execute("CREATE TABLE meta(k, v)")
        c.execute("INSERT INTO meta VALUES ('format', 'something-else')")
        c.commit()
        c.close()
    else:
        compile_glossary(SHIPPED, db)
        if kind == "truncated":
            db.write_bytes(db.read_bytes()[:20000])
        else:
            c = sqlite3.connect(db)
            c.execute("UPDATE meta SET v = '99' WHERE k = 'schema'")
            c.commit()
            c.close()
    r = CliRunner().invoke(cli, ["lookup", "يوروبول", "--glossary", str(db)])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ctlex: error: {db}") and "Traceback" not in r.output


def test_cli_compile_then_lookup_and_scan(tmp_path: Path) -> None:
    run = CliRunner()
    src = tmp_path / "g.tbx"
    shutil.copy(SHIPPED, src)
    r = run.invoke(cli, ["glossary", "compile", str(src), "--json"])
    assert r.exit_code == 0, r.output
    info = json.loads(r.output)
    assert info["path"] == str(tmp_path / "g.ctlexdb") and info["concepts"] == len(Glossary.load(SHIPPED))
    text = "أكد مدير اليوروبول أن التعاون مع الاتحاد الأوروبي في مكافحة الإرهاب مستمر"
    for args in (["lookup", "وليوروبول", "--json"], ["scan", "--text", text, "--json"], ["info", "--json"]):
        a = run.invoke(cli, [*args, "--glossary", str(SHIPPED)])
        b = run.invoke(cli, [*args, "--glossary", info["path"]])
        assert a.exit_code == b.exit_code == 0
        da, db = json.loads(a.output), json.loads(b.output)
        if args[0] == "info":
            da.pop("path"), db.pop("path")
        assert da == db
    out = tmp_path / "back.tbx"
    r = run.invoke(cli, ["export", "--format", "tbx", "-o", str(out), "--glossary", info["path"]])
    assert r.exit_code == 0, r.output
    assert list(Glossary.load(out)) == list(Glossary.load(SHIPPED))


def test_cli_compile_errors_are_one_line(tmp_path: Path) -> None:
    run = CliRunner()
    r = run.invoke(cli, ["glossary", "compile", str(tmp_path / "missing.tbx")])
    assert r.exit_code == 2 and "no such glossary file" in r.output
    r = run.invoke(cli, ["glossary", "compile", str(SHIPPED), "-o", str(tmp_path / "no" / "dir" / "x.ctlexdb")])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "cannot write" in r.output


def test_pattern_spans_reach_every_concept_the_automaton_proposes(generated) -> None:
    """Lookup fetches concepts through pattern_spans: every concept the full automaton proposes
    anywhere in a query (not only over all of it) must be among them, or the spelling pass of
    the small matcher would see an uncovered word the full one sees covered."""
    from ctlex.store.view import pattern_spans

    mem, st = generated
    m = mem.index
    ids = {o: c.id for o, c, _ in st.store.concepts(range(len(st)))}
    n = 0
    for q in _queries(mem, 25, seed=3) + ["في إقليم " + t for t in ("باري", "سامو")]:
        norm = arabic.normalize(q, "key")
        proposed = {m.entries[c.entry][0].id for c in m._candidates(q, norm, None)}
        fetched = {ids[o] for o in st.store.ords_by_pattern(pattern_spans(norm.text, 10_000))}
        assert proposed <= fetched, q
        n += len(proposed)
    assert n > 50


def test_whole_glossary_facts_come_from_the_store(tmp_path: Path) -> None:
    """What depends on the whole glossary, not on the few concepts loaded for a query: a media
    spelling of a name (غوتيريس for غوتيريش), a word spelt as in some other term (then never a
    media variant), a name's cross-script skeleton (Kartelos ~ كارتيلوس)."""
    from ctlex.glossary import Concept

    def build(with_camp: bool) -> tuple[Glossary, Glossary]:
        g = Glossary()
        rows = [("p-gutirish", "person", "ماريو غوتيريش", "Mario Gutirish"), ("p-bashilit", "person", "ميشيل باشيليت", "Michelle Bashilit"),
                ("t-kartel", "term", "كارتيلوس", "cartel network"), ("o-other", "organization", "المرصد الوطني للأمن", "National Security Observatory")]
        if with_camp:
            rows.append(("t-camp", "term", "مخيم باشيليه للاجئين", "Bashileh refugee camp"))
        for cid, ctype, ar, en in rows:
            c = g.add(Concept(cid, ctype))
            c.add_term(ar, "ar", "preferred")
            c.add_term(en, "en", "preferred")
        d = tmp_path / str(with_camp)
        d.mkdir()
        g.save(d / "g.tbx")
        compile_glossary(d / "g.tbx", d / "g.ctlexdb")
        return Glossary.load(d / "g.tbx"), open_glossary(d / "g.ctlexdb")

    mem, st = build(with_camp=True)
    for q, lang, expect in (("غوتيريس", None, "p-gutirish"), ("Kartelos", "ar", "t-kartel"), ("باشيليه", None, None)):
        a = _answers(mem, q, lang=lang)
        assert a == _answers(st, q, lang=lang), q
        if expect:
            assert a and a[0][0] == expect and a[0][2] != "exact", a
        else:  # a word of the camp's name: not taken for Bashilit
            assert "p-bashilit" not in [x[0] for x in a]
    mem, st = build(with_camp=False)  # without the camp, the same word is her name's media spelling
    assert _answers(mem, "باشيليه") == _answers(st, "باشيليه") and _answers(st, "باشيليه")[0][0] == "p-bashilit"


def test_fuzzy_candidate_cap_is_the_in_memory_one(generated, monkeypatch) -> None:
    """Above MAX_CANDIDATES keys the index keeps the best-supported ones, ties as numpy breaks
    them; the store must keep the same ones in the same order."""
    import ctlex.match.fuzzy as fz

    mem, st = generated
    monkeypatch.setattr(fz, "MAX_CANDIDATES", 25)
    fi = mem.index.fuzzy_index()
    capped = 0
    for k in random.Random(6).sample(mem.index.keys, 40):
        q = k[:2] + k[3:]
        a = fi.candidates(q, limit=10, cutoff=60)
        assert st.store.fuzzy_candidates(q, limit=10, cutoff=60) == a, q
        capped += 1
    assert capped == 40


def test_scan_over_a_store_equals_in_memory_on_a_generated_glossary(generated) -> None:
    """Sentences built from generated terms (with clitics, people named in full then by surname,
    a citation), scanned through the store: only the concepts that occur are loaded."""
    mem, st = generated
    fresh = StoreGlossary(open_store(st.path))
    rnd = random.Random(8)
    people = [c for c in mem if c.type == "person"]
    others = [c for c in mem if c.type != "person"]
    texts = []
    for _ in range(120):
        p, o = rnd.choice(people), rnd.choice(others)
        name = p.preferred("ar").text
        texts.append(f"قال {name} إن {rnd.choice(['ل', 'و', 'ب', ''])}{o.preferred('ar').text} سيجتمع غدا، وأضاف "
                     f"{name.split(' ')[-1]} أن القرار 2396 ملزم. {o.preferred('en').text} said so.")
    a = [[h.to_dict() for h in hs] for hs in mem.scan_many(texts)]
    b = [[h.to_dict() for h in hs] for hs in fresh.scan_many(texts)]
    assert a == b
    assert {h["match"] for hs in a for h in hs} >= {"exact", "clitic", "short-form"}
    assert fresh.scan(texts[0]) and [h.to_dict() for h in fresh.scan(texts[0])] == a[0]
    assert not fresh.loaded


def test_words_spelt_as_in_terms_bring_in_no_skeleton_concepts(generated) -> None:
    """A word spelt as in some term is never tried as a media spelling (the matcher's own rule),
    so its skeleton loads nothing: a lookup of one generated term reads a few concepts, not the
    hundreds whose names share its common words (إقليم, مجلس); answers stay the in-memory ones."""
    mem, st = generated
    fresh = StoreGlossary(open_store(st.path))
    rnd = random.Random(9)
    for c in rnd.sample(list(mem), 12):
        q = c.preferred("ar").text
        sub = fresh.query_matcher(q, fuzzy=False)
        assert len({e[0].id for e in sub.entries}) <= 12, q
        assert _answers(mem, q) == _answers(fresh, q)


def test_scan_over_a_generated_store_equals_in_memory_with_media_spellings(generated) -> None:
    """Names re-spelt as the media do (a letter changed in a name word) are found through the
    store's media-skeleton table; the store's whole matcher reads only the concepts of the texts'
    candidates.  Hits equal in-memory."""
    mem, st = generated
    rnd = random.Random(12)
    texts = []
    for c in rnd.sample([c for c in mem if c.type in ("person", "organization", "place")], 60):
        t = c.preferred("ar").text
        w = t.split(" ")
        j = max(range(len(w)), key=lambda q: len(w[q]))
        if len(w[j]) > 5:  # a media spelling of the longest word: one long vowel dropped or doubled
            w[j] = w[j].replace("ي", "", 1) if "ي" in w[j][1:-1] else w[j][:3] + "ا" + w[j][3:]
        texts.append("وقال مسؤول إن " + " ".join(w) + " أعلن اليوم عن خطة جديدة.")
    texts.append("أعلن " + rnd.choice([c for c in mem]).preferred("ar").text + " عن خطة.")
    fresh = StoreGlossary(open_store(st.path))
    a = [[h.to_dict() for h in hs] for hs in mem.scan_many(texts)]
    hits = fresh.scan_many(texts)
    b = [[h.to_dict() for h in hs] for hs in hits]
    assert a == b
    # the store's matcher read only the concepts of the texts' candidates, with their keys as compiled
    m = fresh.scan_matcher()
    read = {c.id for c, _ in dict.values(m.entries)}  # type: ignore[call-overload]
    assert {h.concept.id for hs in hits for h in hs} <= read and len(read) < len(mem) / 4
    assert all(m.keys[e] == arabic.key_text(t.text) for e, (_, t) in dict.items(m.entries))  # type: ignore[call-overload]
    assert any(h["match"] in ("variant", "short-form") for hs in a for h in hs)  # the media stage was exercised
    assert not fresh.loaded


def test_tbx_2008_is_streamed_into_the_same_glossary_and_store(tmp_path: Path) -> None:
    from ctlex.formats import tbx2
    from ctlex.store.tbxstream import stream_2008

    mem = Glossary.load(SHIPPED)
    src = tmp_path / "ctlex-2008.tbx"
    tbx2.write(mem, src)
    h = Header()
    streamed = [c for c, _ in stream_2008(src, h)]
    whole = Glossary.load(src)
    assert streamed == list(whole) and len(streamed) == len(mem)
    assert (h.title, h.description) == (whole.title, whole.description)
    info = compile_glossary(src, tmp_path / "from2008.ctlexdb")
    st = open_glossary(tmp_path / "from2008.ctlexdb")
    assert info["concepts"] == len(mem) and list(st.to_glossary()) == list(whole)
    assert _answers(st, "وليوروبول") == _answers(whole, "وليوروبول")


@pytest.mark.parametrize("body, message", [
    ('<text><body><termEntry id="a"><langSet xml:lang="en"><tig><term>A</term></tig></langSet></termEntry>'
     '<termEntry id="a"><langSet xml:lang="en"><tig><term>B</term></tig></langSet></termEntry></body></text>', "duplicate termEntry id 'a'"),
    ('<text><body><termEntry id="a"><langSet xml:lang="en"><tig><term>A</term></tig></langSet></termEntry><p>x</p></body></text>',
     "unexpected <p> in <body>"),
    ('<text><back/></text>', "no <text><body>"),
])
def test_tbx_2008_stream_refuses_what_the_reader_refuses(tmp_path: Path, body: str, message: str) -> None:
    from ctlex.store.tbxstream import stream_2008

    src = tmp_path / "bad.tbx"
    src.write_text(f'<?xml version="1.0" encoding="UTF-8"?><martif type="TBX-Basic" xml:lang="en"><martifHeader>'
                   f'<fileDesc><titleStmt><title>t</title></titleStmt><sourceDesc><p>d</p></sourceDesc></fileDesc>'
                   f'</martifHeader>{body}</martif>', encoding="utf-8")
    with pytest.raises(ParseError, match=message):
        Glossary.load(src)
    with pytest.raises(ParseError, match=message):
        list(stream_2008(src, Header()))


@pytest.mark.parametrize("damage", ["short-array", "bad-entry", "missing-blob"])
def test_a_damaged_scan_index_is_one_line_and_exit_2(tmp_path: Path, damage: str) -> None:
    """The scan index is checked when loaded: arrays of the wrong size or pointing outside the
    store are a corrupt store, said in one line, not a traceback halfway through a scan."""
    db = tmp_path / "g.ctlexdb"
    compile_glossary(SHIPPED, db)
    c = sqlite3.connect(db)
    if damage == "short-array":
        c.execute("UPDATE blobs SET data = substr(data, 1, length(data) - 3) WHERE name = 'pat_entry'")
    elif damage == "bad-entry":
        n = int(c.execute("SELECT v FROM meta WHERE k = 'terms'").fetchone()[0])
        c.execute("UPDATE blobs SET data = ? WHERE name = 'entry_ord'", ((10 ** 8).to_bytes(4, "little") * n,))
    else:
        c.execute("DELETE FROM blobs WHERE name = 'pat_off'")
    c.commit()
    c.close()
    r = CliRunner().invoke(cli, ["scan", "--text", "أكد مدير اليوروبول", "--glossary", str(db)])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ctlex: error: {db}") and "scan index" in lines[0]


def test_store_scans_from_threads_equal_one_by_one(generated) -> None:
    """One store matcher serves concurrent scans (ctlex serve): each scan's deferred hits are
    its own, and every thread gets the in-memory answers."""
    from concurrent.futures import ThreadPoolExecutor

    mem, st = generated
    rnd = random.Random(21)
    texts = [" و".join(c.preferred("ar").text for c in rnd.sample(list(mem), 6)) + "." for _ in range(60)]
    want = [[h.to_dict() for h in mem.scan(t)] for t in texts]
    fresh = StoreGlossary(open_store(st.path))
    with ThreadPoolExecutor(6) as ex:
        got = list(ex.map(lambda t: [h.to_dict() for h in fresh.scan(t)], texts))
    assert got == want and any(want)


def test_a_store_without_terms_scans_to_nothing(tmp_path: Path) -> None:
    src = tmp_path / "empty.tbx"
    Glossary(title="empty").save(src)
    compile_glossary(src, tmp_path / "empty.ctlexdb")
    g = open_glossary(tmp_path / "empty.ctlexdb")
    assert isinstance(g, StoreGlossary) and g.scan("أكد مدير اليوروبول") == [] and g.scan_many(["a", "ب"]) == [[], []]
