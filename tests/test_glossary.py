"""Concept model, lookup cascade and scan, on a small hand-made glossary."""

from __future__ import annotations

import pytest

from ctlex.errors import CtlexError
from ctlex.glossary import Concept, Glossary, Term


def ids(matches):
    return [m.concept.id for m in matches]


def test_model_basics(mini_glossary: Glossary) -> None:
    c = mini_glossary["interpol"]
    assert [t.text for t in c.terms_for("en")] == ["INTERPOL", "Interpol"]
    assert c.preferred("ar").text == "الإنتربول"
    assert "interpol" in mini_glossary and len(mini_glossary) == 7
    with pytest.raises(CtlexError):
        mini_glossary.add(Concept("interpol"))
    with pytest.raises(CtlexError):
        Concept("1 bad id")
    with pytest.raises(CtlexError):
        Term("x", "en", "approved")


@pytest.mark.parametrize(
    "query, kind, concept",
    [
        ("يوروبول", "exact", "europol"),
        ("Europol", "exact", "europol"),
        ("يوروبولْ", "normalized", "europol"),  # a haraka
        ("EUROPOL", "normalized", "europol"),
        ("gctf", "normalized", "gctf"),
        ("Counter-Terrorism", "normalized", "counter-terrorism"),
        ("counter terrorism", "normalized", "counter-terrorism"),
        ("بالإنتربول", "clitic", "interpol"),
        ("وليوروبول", "clitic", "europol"),
        ("والمقاتلين الأجانب", "clitic", "ftf"),
        ("دوكيرشوف", "normalized", "de-kerchove"),  # spacing inside a name
        ("يوربول", "variant", "europol"),  # long vowel dropped
        ("Global Counterterorism Forum", "variant", "gctf"),  # a dropped double letter
        ("Global Counter-terrorism Forums", "fuzzy", "gctf"),  # hyphen, plural: only fuzzy finds it
    ],
)
def test_lookup_cascade(mini_glossary: Glossary, query: str, kind: str, concept: str) -> None:
    m = mini_glossary.lookup(query)
    assert m, query
    assert m[0].concept.id == concept
    assert m[0].match == kind
    assert 0 < m[0].score <= 1


def test_lookup_scores_follow_the_cascade(mini_glossary: Glossary) -> None:
    scores = [mini_glossary.lookup(q)[0].score for q in ("يوروبول", "يوروبولْ", "وليوروبول", "يوربول")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


def test_lookup_language_filter_and_empty(mini_glossary: Glossary) -> None:
    # lang restricts the terms searched: a Latin query reaches the Arabic term through the name skeleton
    m = mini_glossary.lookup("Europol", lang="ar")
    assert m[0].term.text == "يوروبول" and m[0].match == "variant"
    assert all(x.term.lang == "en" for x in mini_glossary.lookup("GCTF", lang="en"))
    assert mini_glossary.lookup("   ") == []
    assert mini_glossary.lookup("zzzzqqq") == []


def test_proper_name_stem_not_stripped_unless_indexed() -> None:
    g = Glossary()
    c = g.add(Concept("lyon", "place"))
    c.terms += [Term("Lyon", "en", "preferred"), Term("ليون", "ar", "preferred")]
    assert g.lookup("ليون")[0].concept.id == "lyon"
    assert g.lookup("ليون")[0].match == "exact"
    # a glossary that also has يون: the whole token still wins
    c2 = g.add(Concept("yon", "term"))
    c2.terms += [Term("yon", "en", "preferred"), Term("يون", "ar", "preferred")]
    assert g.lookup("ليون")[0].concept.id == "lyon"
    assert [h.concept.id for h in g.scan("في ليون")] == ["lyon"]


def test_index_follows_changes(mini_glossary: Glossary) -> None:
    assert mini_glossary.lookup("يوروجست") == []
    c = mini_glossary.add(Concept("eurojust", "organization"))
    c.terms += [Term("Eurojust", "en", "preferred"), Term("يوروجست", "ar", "preferred")]
    assert ids(mini_glossary.lookup("يوروجست")) == ["eurojust"]
    mini_glossary.remove("eurojust")
    assert mini_glossary.lookup("يوروجست", fuzzy=False) == []


# -- scan ---------------------------------------------------------------------------------------------

def test_scan_offsets_point_into_the_original(mini_glossary: Glossary) -> None:
    text = "وأكد جيل دو كيرشـــوف أن التعاون بين “اليوروبول” والمنتدى العالمي لمكافحة الإرهاب بالإنتربول ضروري."
    hits = mini_glossary.scan(text)
    got = [(h.concept.id, h.text) for h in hits]
    assert got == [
        ("de-kerchove", "جيل دو كيرشـــوف"),
        ("europol", "اليوروبول"),
        ("gctf", "المنتدى العالمي لمكافحة الإرهاب"),
        ("interpol", "الإنتربول"),
    ]
    for h in hits:
        assert text[h.start : h.end] == h.text


def test_scan_longest_match_wins(mini_glossary: Glossary) -> None:
    # مكافحة الإرهاب is a term on its own and part of the GCTF's name: the longer match wins
    hits = mini_glossary.scan("المنتدى العالمي لمكافحة الإرهاب")
    assert [h.concept.id for h in hits] == ["gctf"]
    # the shorter term is not lost: it is nested in the longer hit, at its own offsets
    assert [(n.concept.id, n.text) for n in hits[0].nested] == [("counter-terrorism", "مكافحة الإرهاب")]
    hits = mini_glossary.scan("جهود مكافحة الإرهاب")
    assert [h.concept.id for h in hits] == ["counter-terrorism"]


def test_scan_clitics_variants_and_joined_names(mini_glossary: Glossary) -> None:
    text = "وليوروبول. المقاتلين الأجانب. سكاى نيوزعربية. دوكيرشوف"
    got = {h.concept.id: h for h in mini_glossary.scan(text)}
    assert set(got) == {"europol", "ftf", "sky-news-arabia", "de-kerchove"}
    assert got["europol"].text == "يوروبول" and got["europol"].match == "clitic"
    assert got["sky-news-arabia"].text == "سكاى نيوزعربية"
    # joined or split spelling is a matter of spacing: the same kind lookup gives (normalized)
    assert got["de-kerchove"].match == "normalized"
    assert [m.match for m in mini_glossary.lookup("دوكيرشوف")][:1] == ["normalized"]


def test_scan_english_text(mini_glossary: Glossary) -> None:
    hits = mini_glossary.scan("The Global Counterterrorism Forum (GCTF) met Europol on counter-terrorism.")
    assert [(h.concept.id, h.text) for h in hits] == [
        ("gctf", "Global Counterterrorism Forum"),
        ("gctf", "GCTF"),
        ("europol", "Europol"),
        ("counter-terrorism", "counter-terrorism"),
    ]


def test_scan_deterministic_overlap_and_status() -> None:
    g = Glossary()
    a = g.add(Concept("a", "term"))
    a.terms += [Term("A", "en", "preferred"), Term("الأمن الداخلي", "ar", "admitted")]
    b = g.add(Concept("b", "term"))
    b.terms += [Term("B", "en", "preferred"), Term("الأمن الداخلي", "ar", "preferred")]
    hits = g.scan("الأمن الداخلي")
    assert [h.concept.id for h in hits] == ["b"]  # same span: higher status wins
    assert hits[0].alternatives == ("a",)
    assert g.scan("الأمن الداخلي") == hits  # and it is stable


def test_scan_empty(mini_glossary: Glossary) -> None:
    assert mini_glossary.scan("") == []
    assert mini_glossary.scan("   \n ") == []
