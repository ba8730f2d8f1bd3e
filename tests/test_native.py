"""The compiled fast paths (ctlex._native) give exactly what the pure-Python paths give.

Key normalization (text and the map back to the original) and the scan automaton's verified
matches are compared with their Python twins on generated text, the seed articles and the dev sets.
CI sets ``CTLEX_REQUIRE_NATIVE=1``: there a missing extension is a failure, not a skip.
"""

from __future__ import annotations

import importlib.util
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctlex import arabic
from ctlex.glossary import Concept, Glossary, Term
from ctlex.match import index as mindex

from .conftest import ROOT, SHARED, native_or_skip

def _native():
    return native_or_skip("_native")


def test_native_module_is_built_and_used() -> None:
    """Where it is required (CI), the extension was built and normalization goes through it."""
    mod = _native()
    if os.environ.get("CTLEX_NO_NATIVE", "") not in ("", "0"):
        assert arabic._native_module() is None  # switched off: the Python path
        return
    assert arabic._native_module() is mod
    assert mod.key_normalize("الإرهـــاب", True) is not None


def python_path(fn, *args):
    """``fn(*args)`` with the compiled module switched off (the pure-Python path)."""
    arabic._NATIVE = False
    try:
        return fn(*args)
    finally:
        arabic._NATIVE = None


def _same_key(text: str) -> None:
    _native()
    fast = arabic.normalize(text, "key")
    slow = python_path(arabic.normalize, text, "key")
    assert fast.text == slow.text
    assert fast.offsets() == slow.offsets()
    n = len(fast.text)
    for s, e in ((0, n), (0, 1), (n // 3, n // 2), (n - 1, n), (n, n)):
        if 0 <= s <= e <= n:
            assert fast.span(s, e) == slow.span(s, e)
    assert arabic.key_text(text) == python_path(arabic.key_text, text)  # word by word: \x1c, \u2028 split too


_ALPHABET = list(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئیکە"  # letters, Persian forms
    "ـًٌٍَُِّْٰٖ"  # tatweel, harakat, superscript alef, a small mark
    "،؛؟.,;:!-–—()[]…"  # punctuation
    "“”«»\"'`ʼʻ‘’"  # quotes and apostrophes (the joins)
    "٠١٢٣۴0123"  # digits
    "AbCzÉéÀçñİΣσß"  # Latin with case and accents, İ (grows under lower()), Σ (context), ß
    " \t\n\u00a0\u2003\u200b\u200c\u200f\u202a\u2028\x1c\x85"  # spaces, zero-width and bidi controls
    "\ufefb\ufe8d\u0627\u0653\u0654"  # a ligature, a presentation form, decomposed madda/hamza
    "😀𐐀\ue000"  # beyond the BMP (𐐀 lowers to 𐐨), a private-use character
)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=80))
def test_native_key_normalization_equals_python(text: str) -> None:
    _same_key(text)


def _corpus_lines() -> list[str]:
    lines: list[str] = []
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        lines += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    for d in (SHARED / "devsets", ROOT / "bench" / "devsets"):
        for p in sorted(Path(d).glob("*.tsv")) if Path(d).is_dir() else ():
            lines += [ln for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        pytest.fail(f"no seeds or dev sets under {SHARED} (set CTLEX_SHARED)")
    return lines


def test_native_key_normalization_on_seeds_and_devsets() -> None:
    lines = _corpus_lines()
    for text in lines:
        _same_key(text)
    _same_key("\n".join(lines))


# -- the automaton ---------------------------------------------------------------------------


def _python_records(patterns: list[str], t: str) -> list[tuple[int, ...]]:
    import ahocorasick

    a = ahocorasick.Automaton()
    for pid, p in enumerate(patterns):
        a.add_word(p, pid)
    a.make_automaton()
    latin = [not arabic.is_arabic(p) for p in patterns]
    return list(mindex._verified(a.iter(t), t, [len(p) for p in patterns], latin))


def _native_records(patterns: list[str], t: str) -> list[tuple[int, ...]]:
    mod = _native()
    latin = bytes(not arabic.is_arabic(p) for p in patterns)
    a = mod.Automaton(patterns, latin, mindex._PRE, mindex._SUF, mindex._LSUF)
    return a.scan(t)  # type: ignore[no-any-return]


_SYL = ["ال", "لل", "و", "ب", "ك", "ه", "ها", "نا", "ا", "ت", "ي", "ر", "م", "ab", "s", "es", "x"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_native_automaton_equals_pyahocorasick_and_the_python_rules(data) -> None:
    """Random patterns over syllables that are proclitics, enclitics and Latin suffixes, random
    texts of the same syllables: every raw match and its verification agree, in order."""
    _native()
    word = st.lists(st.sampled_from(_SYL), min_size=1, max_size=4).map("".join)
    phrase = st.lists(word, min_size=1, max_size=3).map(" ".join)
    patterns = list(dict.fromkeys(p for p in data.draw(st.lists(phrase, min_size=1, max_size=25)) if len(p) >= 1))
    text = " " + " ".join(data.draw(st.lists(word, max_size=40))) + " "
    assert _native_records(patterns, text) == _python_records(patterns, text)


def test_native_automaton_rejects_unpadded_text() -> None:
    mod = _native()
    a = mod.Automaton(["ab"], b"\x01", (), (), ())
    with pytest.raises(ValueError):
        a.scan("ab ")
    assert mod.Automaton([], b"", (), (), ()).scan(" ab ") == []


def _generated_glossary(n: int, seed: int) -> Glossary:
    spec = importlib.util.spec_from_file_location("bench_glossary", ROOT / "bench" / "bench_glossary.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.synthetic(n, seed=seed)  # type: ignore[no-any-return]


@pytest.mark.parametrize("n, seed", [(300, 3), (3000, 11)])
def test_native_scan_candidates_equal_python_on_generated_glossaries(n: int, seed: int) -> None:
    """The matcher's candidates (and hits) through the C automaton equal those through
    pyahocorasick and the Python verification, on the seeds, the dev sets and generated text."""
    _native()
    g_native, g_python = _generated_glossary(n, seed), _generated_glossary(n, seed)
    g_native.index._ensure()
    python_path(g_python.index._ensure)
    assert g_native.index._native and not g_python.index._native
    rnd = random.Random(seed)
    terms = [t.text for c in g_native for t in c.terms]
    made = [" ".join(rnd.choice(("و", "ب", "لل", "", "")) + rnd.choice(terms) + rnd.choice(("", "ها", "s", ""))
                     for _ in range(8)) for _ in range(200)]
    for text in _corpus_lines() + made:
        norm = arabic.normalize(text, "key")
        assert g_native.index._candidates(text, norm, None) == g_python.index._candidates(text, norm, None)
        hn, hp = g_native.scan(text), g_python.scan(text)
        assert [(h.start, h.end, h.concept.id, h.match, h.term.text) for h in hn] == [
            (h.start, h.end, h.concept.id, h.match, h.term.text) for h in hp]


# -- the benchmark's baseline ----------------------------------------------------------------


def test_bench_baseline_is_honest(monkeypatch: pytest.MonkeyPatch) -> None:
    """The baseline of bench_glossary normalizes with the public ``arabic.normalize`` (so it gets
    the native fast path whenever ctlex does) and really collects every occurrence of every term
    key: its count equals a brute-force count over the normalized text."""
    spec = importlib.util.spec_from_file_location("bench_glossary", ROOT / "bench" / "bench_glossary.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    g = Glossary()
    for i, (ar, en) in enumerate((("يوروبول", "Europol"), ("الاتحاد الأوروبي", "European Union"), ("الاتحاد", "union"))):
        c = g.add(Concept(f"c{i}", "organization"))
        c.terms += [Term(en, "en", "preferred"), Term(ar, "ar", "preferred")]
    text = "أكد الاتحاد الأوروبي و يوروبول، واليوروبول: European Union's union " * 50
    calls = []
    real = arabic.normalize
    monkeypatch.setattr(bench.arabic, "normalize", lambda t, level="key": calls.append(level) or real(t, level))
    wall, cpu, n = bench._baseline_time(g, text)
    assert calls == ["key"] * 3 and wall > 0 and cpu >= 0
    k = real(text, "key").text
    keys = {arabic.key_text(t.text) for c in g for t in c.terms}

    def count(s: str) -> int:
        out, i = 0, k.find(s)
        while i != -1:
            out, i = out + 1, k.find(s, i + 1)
        return out

    assert n == sum(count(s) for s in keys) > 0
