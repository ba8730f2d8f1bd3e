"""ctlex.suggest and ctlex.romanize: ranking with evidence, names, phrases, acronyms, --new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctlex import romanize
from ctlex.glossary import Concept, Glossary, Term
from ctlex.segment import Segment
from ctlex.suggest import AlignedSet, acronym_of, draft_glossary, english_tokens, suggest, suggest_new

ROOT = Path(__file__).resolve().parents[1]
TMX = ROOT / "tm" / "articles.tmx"


@pytest.fixture(scope="module")
def articles() -> AlignedSet:
    from ctlex.formats import read_segments

    if not TMX.is_file():
        pytest.skip("tm/articles.tmx not built yet")
    return AlignedSet(read_segments(TMX))


def _filler(n: int) -> list[Segment]:
    """Unrelated segments that make 'said', 'the minister' frequent in the set."""
    return [Segment(f"قال الوزير في البيان رقم {i}", f"The minister said in statement {i}") for i in range(n)]


# -- romanizer ----------------------------------------------------------------------------
def test_romanize_is_deterministic_and_readable() -> None:
    assert romanize.romanize("ماركو مينيتي") == "marku miniti"
    assert romanize.romanize("القاعدة").startswith("al-")
    assert romanize.romanize("Europol") == "Europol"


@pytest.mark.parametrize(
    "ar, en",
    [("جيل دو كيرشوف", "Gilles de Kerchove"), ("فيديريكا موغيريني", "Federica Mogherini"), ("جوهر تسارنايف", "Dzhokhar Tsarnaev"),
     ("زيغمار غابرييل", "Sigmar Gabriel"), ("ماجد الماجد", "Majid al-Majid"), ("فرنسا", "France"), ("لوكسمبورغ", "Luxembourg")],
)
def test_transliteration_similarity_finds_names(ar: str, en: str) -> None:
    assert romanize.similarity(ar, en) >= 0.8


@pytest.mark.parametrize("ar, en", [("مصر", "Commissioner"), ("موغيريني", "European Union"), ("الإرهاب", "minister")])
def test_transliteration_similarity_rejects_unrelated(ar: str, en: str) -> None:
    assert romanize.similarity(ar, en) < 0.7


# -- building blocks ----------------------------------------------------------------------
def test_english_tokens_break_at_punctuation_and_keep_compounds() -> None:
    chunks = english_tokens("Counter-Terrorism, the EU's (GCTF) forum")
    assert [[t for *_, t in c] for c in chunks] == [["Counter-Terrorism"], ["the", "EU"], ["GCTF"], ["forum"]]


@pytest.mark.parametrize("text, token", [("the Netherlands-based UN body", "Netherlands-based"), ("a 25,000-strong crowd", "25,000-strong"),
                                         ("Arabic 150.000 people", "150.000"), ("U.S. President", "U.S."), ("the U.N. envoy", "U.N."),
                                         ("Ban Ki-moon said", "Ki-moon"), ("the 1950-53 Korean War", "1950-53"),
                                         ("the internal\u2013external nexus", "internal\u2013external"), ("Zeid Ra'ad Al Hussein", "Ra'ad")])
def test_english_tokens_single_tokens(text: str, token: str) -> None:
    toks = [t for c in english_tokens(text) for *_, t in c]
    assert token in toks


def test_candidates_never_start_inside_a_word_or_end_on_verbs() -> None:
    segs = [Segment("قالت الهيئة الأممية إن جبهة النصرة", "The Netherlands-based UN body said the al-Nusra-linked Nusra Front"),
            Segment("وقالت شرطة باتون روج", "Baton Rouge Police Department said on Monday")] + _filler(10)
    r = suggest("شرطة باتون روج", AlignedSet(segs), limit=50)
    ens = [s.en for s in r.suggestions]
    assert "Baton Rouge Police Department" in ens
    assert not any(e.endswith(" said") or e.startswith("said") for e in ens)
    r = suggest("الهيئة الأممية", AlignedSet(segs), limit=50)
    assert not any(e.startswith(("based", "linked")) for e in (s.en for s in r.suggestions))


def test_acronym_matching() -> None:
    assert acronym_of("GCTF", "Global Counterterrorism Forum")
    assert acronym_of("UNOCT", "United Nations Office of Counter-Terrorism")
    assert not acronym_of("EU", "United Nations")


def test_segments_with_is_clitic_and_spelling_aware() -> None:
    s = AlignedSet([Segment("وأعلن اليوروبول", "Europol announced"), Segment("قال يوروبول", "Europol said"),
                    Segment("قال الوزير", "The minister said")])
    assert s.segments_with("يوروبول") == [0, 1]
    assert s.segments_with("اليوروبول") == [0, 1]


# -- suggest ------------------------------------------------------------------------------
def test_frequent_unrelated_words_lose() -> None:
    segs = [Segment(f"وقال يوروبول في تقرير {i}", f"Europol said in report {i}") for i in range(5)] + _filler(30)
    r = suggest("يوروبول", AlignedSet(segs))
    assert r.top is not None and r.top.en == "Europol"
    assert r.top.count == 5 and r.segments == 5
    said = next(s for s in r.suggestions if s.en == "said") if any(s.en == "said" for s in r.suggestions) else None
    assert said is None or said.score < r.top.score / 2


def test_complete_phrase_beats_fragment_and_acronym_is_linked() -> None:
    segs = [Segment("عقد المنتدى العالمي لمكافحة الإرهاب اجتماعا", "The Global Counterterrorism Forum (GCTF) held a meeting"),
            Segment("وأكد المنتدى العالمي لمكافحة الإرهاب", "The Global Counterterrorism Forum stressed"),
            Segment("المنتدى العالمي لمكافحة الإرهاب في الجزائر", "the GCTF in Algiers, Global Counterterrorism Forum"),
            Segment("التحالف العالمي", "the Global Coalition")] + _filler(10)
    r = suggest("المنتدى العالمي لمكافحة الإرهاب", AlignedSet(segs))
    assert r.top.en == "Global Counterterrorism Forum"
    assert r.top.acronym == "GCTF"
    gctf = next(s for s in r.suggestions if s.en == "GCTF")
    assert gctf.expansion == "Global Counterterrorism Forum"
    frag = next(s for s in r.suggestions if s.en == "Counterterrorism Forum")
    assert frag.score < r.top.score


def test_name_seen_once_gets_its_rendering_and_casing() -> None:
    segs = [Segment("وعُيّن ماركوس ريتر رئيسا للبعثة", "Markus Ritter was appointed head of the mission")] + _filler(20)
    r = suggest("ماركوس ريتر", AlignedSet(segs))
    assert r.top.en == "Markus Ritter"
    assert r.name_like and r.top.translit >= 0.9


def test_glossary_agreement_is_reported(mini_glossary: Glossary) -> None:
    segs = [Segment("وقال يوروبول", "Europol said"), Segment("أعلن يوروبول", "Europol announced")] + _filler(5)
    r = suggest("يوروبول", AlignedSet(segs), mini_glossary)
    assert r.concept == "europol" and r.preferred == "Europol"
    assert r.top.glossary == "preferred"
    d = r.to_dict()
    assert set(d) >= {"term", "suggestions"} and {"en", "score", "count", "examples"} <= set(d["suggestions"][0])
    assert 0 <= d["suggestions"][0]["score"] <= 1 and isinstance(d["suggestions"][0]["count"], int)


def test_suggest_rejects_non_arabic_term() -> None:
    from ctlex.errors import CtlexError

    with pytest.raises(CtlexError):
        suggest("Europol", AlignedSet(_filler(3)))


def test_ties_are_stable() -> None:
    segs = _filler(10) + [Segment("زار بيروت", "visited Beirut")]
    a = suggest("بيروت", AlignedSet(segs)).to_dict()
    b = suggest("بيروت", AlignedSet(list(segs))).to_dict()
    assert a == b and a["suggestions"][0]["en"] == "Beirut"


# -- on the real aligned articles -----------------------------------------------------------
def _concepts_in_two_segments(articles: AlignedSet, glossary: Glossary) -> dict[str, dict[str, set[int]]]:
    occ: dict[str, dict[str, set[int]]] = {}
    for i, src in enumerate(articles.sources):
        for h in glossary.scan(src, lang="ar"):
            occ.setdefault(h.concept.id, {}).setdefault(h.term.text, set()).add(i)
    return {c: t for c, t in occ.items() if len(set().union(*t.values())) >= 2}


def test_articles_top_suggestion_accuracy(articles: AlignedSet, glossary: Glossary) -> None:
    """The issue's evaluation; the figure is reported in the closing note, the floor guards regressions."""
    from ctlex.qa import english_fold

    occ = _concepts_in_two_segments(articles, glossary)
    ok = 0
    for cid, terms in occ.items():
        c = glossary[cid]
        term = max(terms, key=lambda t: (len(terms[t]), t))
        r = suggest(term, articles, glossary)
        accepted = {english_fold(t.text) for t in c.terms_for("en") if t.status in ("preferred", "admitted")}
        ok += r.top is not None and english_fold(r.top.en) in accepted
    assert len(occ) >= 20
    assert ok / len(occ) >= 0.6


@pytest.mark.parametrize("term, expected", [("يوروبول", "Europol"), ("داعش", "ISIS"), ("المقاتلين الأجانب", "foreign terrorist fighters"),
                                            ("الاتحاد الأوروبي", "European Union"), ("مجلس الأمن", "Security Council")])
def test_articles_known_terms(articles: AlignedSet, glossary: Glossary, term: str, expected: str) -> None:
    r = suggest(term, articles, glossary)
    assert expected in [s.en for s in r.suggestions[:3]]


def test_suggest_new_proposes_admitted_entries(articles: AlignedSet, glossary: Glossary, tmp_path: Path) -> None:
    entries = suggest_new(articles, glossary)
    assert entries, "expected at least one proposal"
    en_terms = {t.text.lower() for c in glossary for t in c.terms_for("en")}
    for e in entries:
        assert e.count >= 2 and e.en.lower() not in en_terms and e.examples
    g = draft_glossary(entries, glossary)
    assert all(t.status == "admitted" for c in g for t in c.terms)
    assert not set(c.id for c in g) & set(c.id for c in glossary)
    out = tmp_path / "draft.po"
    g.save(out)
    from ctlex.glossary import load

    back = load(out)
    assert len(back) == len(entries)
    assert all(t.status == "admitted" for c in back for t in c.terms)


def test_suggest_new_small_set() -> None:
    segs = [Segment("زار ماركوس ريتر بيروت", "Markus Ritter visited Beirut"), Segment("وقال ماركوس ريتر", "Markus Ritter said")] + _filler(20)
    entries = suggest_new(AlignedSet(segs), Glossary([Concept("beirut", "place", terms=[Term("بيروت", "ar", "preferred"), Term("Beirut", "en", "preferred")])]))
    pairs = [(e.ar, e.en) for e in entries]
    assert ("ماركوس ريتر", "Markus Ritter") in pairs
    assert not any(en == "Beirut" for _, en in pairs)  # the glossary has it


# -- CLI ----------------------------------------------------------------------------------
def test_cli_suggest_json(articles: AlignedSet) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    res = CliRunner().invoke(cli, ["suggest", "يوروبول", "--tm", str(TMX), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["term"] == "يوروبول" and d["suggestions"][0]["en"] == "Europol"
    assert all(isinstance(x, str) for x in d["suggestions"][0]["examples"])


def test_cli_suggest_new_writes_tbx(articles: AlignedSet, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    out = tmp_path / "draft.tbx"
    res = CliRunner().invoke(cli, ["suggest", "--new", "--tm", str(TMX), "-o", str(out)])
    assert res.exit_code == 0, res.output
    from ctlex.glossary import load

    g = load(out)
    assert len(g) > 0 and all(t.status == "admitted" for c in g for t in c.terms)


def test_cli_suggest_usage_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    r = CliRunner().invoke(cli, ["suggest", "--tm", str(TMX)])
    assert r.exit_code == 2 and "TERM or --new" in r.output
    r = CliRunner().invoke(cli, ["suggest", "يوروبول", "--tm", str(tmp_path / "missing.tmx")])
    assert r.exit_code == 2 and "no such file" in r.output


def test_suggest_new_skips_page_furniture_and_clauses() -> None:
    furniture = [Segment("تابعنا على تويتر", "Follow us on Twitter"), Segment("الحقول الإلزامية مشار إليها", "Required fields are marked")]
    segs = furniture * 3 + [Segment("زار ماركوس ريتر بيروت", "Markus Ritter visited Beirut"), Segment("وقال ماركوس ريتر", "Markus Ritter said")] + _filler(20)
    pairs = [(e.ar, e.en) for e in suggest_new(AlignedSet(segs), Glossary())]
    assert ("ماركوس ريتر", "Markus Ritter") in pairs
    assert not any(en in ("Follow us on Twitter", "Required fields are marked") for _, en in pairs)
