"""Fuzzy lookup ranking: a weighted edit distance that knows Arabic, skeleton spellings scored by
the same likeness, and a candidate stage that does not lose short keys; the compiled store
answers as the in-memory index does."""

from __future__ import annotations

import pytest

from ctlex.glossary import Concept, Glossary, Term
from ctlex.match import fuzzy
from ctlex.store import compile_glossary, open_glossary


def _glossary(*concepts: tuple[str, str, list[str]]) -> Glossary:
    g = Glossary()
    for cid, ctype, terms in concepts:
        c = Concept(cid, ctype)
        c.terms += [Term(t, "ar" if any("\u0600" <= ch <= "\u06ff" for ch in t) else "en", "preferred") for t in terms]
        g.add(c)
    return g


@pytest.mark.parametrize("a, b, cost", [
    ("ساموزا", "سامورا", 2 / 3),  # ز/ر differ by a dot
    ("ساموزا", "ساموما", 1.0),  # an unrelated letter
    ("يوربول", "يوروبول", 2 / 3),  # a long vowel dropped
    ("يوروبل", "يوروبول", 2 / 3),
    ("بوروبول", "يوروبول", 2 / 3),  # ب/ي: dots
    ("يوروبو", "يوروبول", 1.0),  # a consonant dropped
    ("مسءول", "مساول", 1 / 3),  # a hamza seat
    ("متكب", "مكتب", 1.0),  # neighbours swapped: one edit, not two
    ("يوروبلو", "يوروبول", 2 / 3),  # a long vowel moved
    ("بودالانا", "بودا لانا", 2 / 3),  # a word space
    ("counterterorism", "counterterrorism", 2 / 3),  # a doubled letter
])
def test_weighted_distance_knows_arabic_confusions(a: str, b: str, cost: float) -> None:
    assert fuzzy.weighted_distance(a, b) == pytest.approx(cost)
    assert fuzzy.weighted_distance(b, a) == pytest.approx(cost)


def test_a_longer_term_with_the_same_edit_is_more_similar() -> None:
    assert fuzzy.similarity("الاتحاد الاوروبى", "الاتحاد الاوروبي x") > fuzzy.similarity("ساكو", "ساكوا") > 0


def test_a_dot_confusion_outranks_an_unrelated_letter_at_the_same_levenshtein_distance() -> None:
    # both one substitution away; the id order would put the wrong one first on a tie
    g = _glossary(("a-other", "organization", ["ساموما"]), ("b-right", "organization", ["سامورا"]))
    m = g.lookup("ساموزا")
    assert [x.concept.id for x in m[:2]] == ["b-right", "a-other"]
    assert m[0].match == "fuzzy" and m[0].score < 0.8  # honest: a fuzzy match scores low


def test_a_skeleton_surname_never_outranks_a_nearer_whole_name() -> None:
    """داساجوو is one letter from the organization داساجوبو; it is also, through the media
    skeleton, the surname of the person توزا داساجو.  The surname alone, found by likeness, used
    to be taken as strong evidence (0.75) and stopped the fuzzy stage."""
    g = _glossary(("p-toza", "person", ["توزا داساجو"]), ("o-dasajobo", "organization", ["داساجوبو"]))
    m = g.lookup("داساجوو")
    assert m[0].concept.id == "o-dasajobo" and m[0].match == "fuzzy"
    assert [x.match for x in m if x.concept.id == "p-toza"] == ["short-form"]
    assert g.lookup("داساجو")[0].concept.id == "p-toza"  # the surname as written is still the person


def test_a_media_spelling_still_wins_where_it_is_the_nearest() -> None:
    g = _glossary(("p-guterres", "person", ["أنطونيو غوتيريش", "António Guterres"]), ("o-gotira", "organization", ["غوتيرا"]))
    m = g.lookup("أنطونيو غوتيريس")
    assert m[0].concept.id == "p-guterres" and m[0].match == "variant"


def _trap(n: int) -> Glossary:
    """دايو, and ``n`` long keys that share more trigrams with the short query داو than it does."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنه"
    return _glossary(("right", "organization", ["دايو"]),
                     *((f"long-{i:03d}", "organization", [f"دا {letters[i % len(letters)]}{letters[i // len(letters) % len(letters)]}كمنهلبتسشصو داو"]) for i in range(n)))


def test_candidate_stage_keeps_a_short_key_when_long_ones_fill_the_cap(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(fuzzy, "MAX_CANDIDATES", 20)
    g = _trap(60)
    fi = g.index.fuzzy_index()
    found = fi.candidates("داو", limit=10, cutoff=75)
    assert [g.index.entries[e][0].id for e, _ in found] == ["right"]
    assert g.lookup("داو")[0].concept.id == "right"
    g.save(tmp_path / "trap.tbx")
    compile_glossary(tmp_path / "trap.tbx", tmp_path / "trap.ctlexdb")
    st = open_glossary(tmp_path / "trap.ctlexdb")
    assert st.store.fuzzy_candidates("داو", limit=10, cutoff=75) == found  # type: ignore[attr-defined]
    assert [(m.concept.id, m.score, m.match) for m in st.lookup("داو")] == [(m.concept.id, m.score, m.match) for m in g.lookup("داو")]


@pytest.mark.parametrize("n, cutoff", [(3, 75), (4, 60), (10, 75), (25, 90), (7, 1)])
def test_length_bounds_are_lossless(n: int, cutoff: float) -> None:
    """No key outside the bounds reaches the ratio cutoff; keys at the bounds can."""
    from rapidfuzz import fuzz

    lo, hi = fuzzy.length_bounds(n, cutoff)
    q = "ب" * n
    for m in range(1, 4 * n + 2):
        best = fuzz.ratio(q, "ب" * m)  # the best ratio any key of length m can have
        assert (best >= cutoff) == (lo <= m <= hi), (m, best)
