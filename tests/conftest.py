"""Shared fixtures.  ``shared/`` (seeds and schemas) lies beside the repository checkout."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CTLEX_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(Path(__file__).parent))  # tests/pg_fixture.py


def native_or_skip(name: str):  # type: ignore[no-untyped-def]
    """The compiled extension ``ctlex.<name>``; a skip where it was not built, a failure where
    it is required (CI sets ``CTLEX_REQUIRE_NATIVE=1``)."""
    import importlib

    try:
        return importlib.import_module(f"ctlex.{name}")
    except ImportError:
        if os.environ.get("CTLEX_REQUIRE_NATIVE", "") not in ("", "0"):
            raise
        pytest.skip(f"ctlex.{name} was not built (no C compiler?); the Python path is used")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _shared(name: str) -> Path:
    d = SHARED / name
    if not d.is_dir():
        pytest.fail(f"{name} not found at {d} (set CTLEX_SHARED)")
    return d


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _shared("seeds")


@pytest.fixture(scope="session")
def devsets_dir() -> Path:
    return _shared("devsets")


@pytest.fixture(scope="session")
def schemas_dir() -> Path:
    return _shared("schemas")


@pytest.fixture(scope="session")
def glossary():
    """The shipped glossary (glossary/ctlex.tbx), loaded once."""
    from ctlex.glossary import load

    return load(ROOT / "glossary" / "ctlex.tbx")


@pytest.fixture()
def mini_glossary():
    """A small hand-made glossary for unit tests that must not depend on the shipped content."""
    from ctlex.glossary import Concept, Glossary, Source, Term

    g = Glossary(title="mini")
    c = g.add(Concept("europol", "organization", subject="law enforcement", definition="EU agency for law enforcement cooperation.",
                      sources=[Source("000_x.txt", "وأعلن يوروبول")]))
    c.terms += [Term("Europol", "en", "preferred", pos="noun"), Term("يوروبول", "ar", "preferred", pos="noun"), Term("اليوروبول", "ar", "admitted")]
    c = g.add(Concept("gctf", "organization", definition="Informal multilateral counter-terrorism platform."))
    c.terms += [Term("Global Counterterrorism Forum", "en", "preferred"), Term("GCTF", "en", "admitted", term_type="acronym"),
                Term("المنتدى العالمي لمكافحة الإرهاب", "ar", "preferred")]
    c = g.add(Concept("de-kerchove", "person", definition="EU Counter-Terrorism Coordinator (2007-2019)."))
    c.terms += [Term("Gilles de Kerchove", "en", "preferred"), Term("جيل دو كيرشوف", "ar", "preferred"), Term("دو كيرشوف", "ar", "admitted")]
    c = g.add(Concept("ftf", "term", definition="Individuals who travel abroad to join terrorist groups."))
    c.terms += [Term("foreign terrorist fighters", "en", "preferred"), Term("FTFs", "en", "admitted", term_type="acronym"),
                Term("المقاتلون الأجانب", "ar", "preferred")]
    c = g.add(Concept("counter-terrorism", "term", definition="Measures to prevent and respond to terrorism."))
    c.terms += [Term("counter-terrorism", "en", "preferred"), Term("counterterrorism", "en", "admitted"), Term("مكافحة الإرهاب", "ar", "preferred")]
    c = g.add(Concept("interpol", "organization", definition="International Criminal Police Organization."))
    c.terms += [Term("INTERPOL", "en", "preferred"), Term("Interpol", "en", "deprecated", note="use capitals"), Term("الإنتربول", "ar", "preferred")]
    c = g.add(Concept("sky-news-arabia", "media", definition="Arabic-language news channel based in Abu Dhabi."))
    c.terms += [Term("Sky News Arabia", "en", "preferred"), Term("سكاي نيوز عربية", "ar", "preferred")]
    return g


# -- store backends: every store test runs on SQLite and on a real PostgreSQL server -------------


@pytest.fixture(scope="session")
def pg_admin_url():
    """A PostgreSQL server for the store tests: ``$CTLEX_TEST_PG_URL``, else a throw-away cluster
    started once for the session (tests/pg_fixture.py) and stopped at its end."""
    try:
        import psycopg

        del psycopg
    except ImportError:
        pytest.skip("PostgreSQL store tests need psycopg 3: pip install '.[test]'")
    from pg_fixture import URL_ENV, TempCluster, Unavailable

    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV]
        return
    try:
        cluster = TempCluster().start()
    except Unavailable as e:
        pytest.skip(f"no PostgreSQL server could be started for the store tests: {e}")
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture()
def pg_url(pg_admin_url):
    """The URL of a new, empty PostgreSQL store (a schema of its own)."""
    from pg_fixture import new_schema

    return new_schema(pg_admin_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """Which backend a store test runs on; ``make_store()`` makes new empty stores of it
    (``make_store.target()`` names a new one without opening it: a file path or a URL)."""
    opened = []
    counter = itertools.count()

    if request.param == "sqlite":
        def target() -> str:
            return str(tmp_path / f"s{next(counter)}.sqlite")
    else:
        admin = request.getfixturevalue("pg_admin_url")
        from pg_fixture import new_schema

        def target() -> str:
            return new_schema(admin)

    def make_store(where: str | None = None, **kw):
        from ctlex.tm import open_store

        s = open_store(where or target(), **kw)
        opened.append(s)
        return s

    make_store.target = target  # type: ignore[attr-defined]
    make_store.name = request.param  # type: ignore[attr-defined]
    yield make_store
    for s in opened:
        s.close()
