"""The qa package: accepted renderings, numbers, severities, usage flags, styles, generic checks."""

from __future__ import annotations

import pytest

from ctlex.glossary import Concept, Glossary, Term
from ctlex.qa import check
from ctlex.qa.markup import blank_markup, prepare, undot
from ctlex.qa.numerals import compare, extract
from ctlex.qa.renderings import find, fold, near_miss
from ctlex.segment import Segment


def _kinds(report) -> list[tuple[int | str, str, str | None]]:  # type: ignore[no-untyped-def]
    return [(i.segment, i.kind, i.concept) for i in report.issues]


@pytest.fixture()
def g() -> Glossary:
    """Names, places and terms with the shapes the renderings rules care about."""
    gl = Glossary(title="qa")
    gl.add(Concept("united-states", "place", terms=[Term("الولايات المتحدة", "ar", "preferred"), Term("United States", "en", "preferred"),
                                                   Term("US", "en", "admitted", term_type="acronym")]))
    gl.add(Concept("united-nations", "organization", terms=[Term("الأمم المتحدة", "ar", "preferred"), Term("United Nations", "en", "preferred"),
                                                           Term("UN", "en", "admitted", term_type="acronym")]))
    gl.add(Concept("north-korea", "place", terms=[Term("كوريا الشمالية", "ar", "preferred"), Term("North Korea", "en", "preferred")]))
    gl.add(Concept("lebanon", "place", terms=[Term("لبنان", "ar", "preferred"), Term("Lebanon", "en", "preferred")]))
    gl.add(Concept("terrorist-attack", "term", terms=[Term("الهجوم الإرهابي", "ar", "preferred"), Term("terrorist attack", "en", "preferred")]))
    gl.add(Concept("counter-terrorism", "term", terms=[Term("مكافحة الإرهاب", "ar", "preferred"), Term("counter-terrorism", "en", "preferred"),
                                                      Term("fight against terrorism", "en", "admitted")]))
    gl.add(Concept("bachelet", "person", terms=[Term("ميشيل باشليه", "ar", "preferred"), Term("باشليه", "ar", "admitted"),
                                               Term("Michelle Bachelet", "en", "preferred")]))
    gl.add(Concept("europol", "organization", terms=[Term("يوروبول", "ar", "preferred"), Term("Europol", "en", "preferred")]))
    gl.add(Concept("us-dod", "organization", terms=[Term("وزارة الدفاع الأمريكية", "ar", "preferred"),
                                                   Term("United States Department of Defense", "en", "preferred")]))
    gl.add(Concept("fac-2017", "event", terms=[Term("مجلس الشؤون الخارجية", "ar", "preferred"),
                                              Term("Foreign Affairs Council of 19 June 2017", "en", "preferred")]))
    gl.add(Concept("lone-wolves", "term", terms=[Term("الذئاب المنفردة", "ar", "preferred"), Term("lone wolves", "en", "preferred")]))
    gl.add(Concept("intelligence-adviser", "role", terms=[Term("مستشار الاستخبارات", "ar", "preferred"), Term("intelligence adviser", "en", "preferred")]))
    return gl


# -- accepted renderings ------------------------------------------------------------------------
GOOD = [
    ("أعلنت الولايات المتحدة", "U.S. officials said"),
    ("أعلنت الولايات المتحدة", "the U.S.A. said"),
    ("قالت الأمم المتحدة", "the U.N.-backed plan"),
    ("أدان الاتحاد تجارب كوريا الشمالية", "condemned North Korean missile tests"),
    ("قالت كوريا الشمالية", "the North said"),
    ("في مدينة طرابلس شمال لبنان", "in the northern Lebanese city of Tripoli"),
    ("أدان الهجوم الإرهابي", "condemned the terror attack"),
    ("الهجوم الإرهابي", "the terror attacks"),
    ("مكافحة الإرهاب أولوية", "fighting terrorism is a priority"),
    ("مكافحة الإرهاب أولوية", "countering terrorism is a priority"),
    ("قالت باشليه", "Bachelet said"),
    ("وقال يوروبول", "Europol's report said"),
    ("أعلنت وزارة الدفاع الأمريكية", "the U.S. Department of Defense said"),
    ("اجتماع مجلس الشؤون الخارجية", "the EU Foreign Affairs Council meeting in Luxembourg"),
    ("تصرف المهاجم وحده كأحد الذئاب المنفردة", "the attacker acted as a lone wolf"),
    ("مستشار الاستخبارات", "intelligence advisors"),
]


@pytest.mark.parametrize("ar, en", GOOD)
def test_legitimate_renderings_are_accepted(g: Glossary, ar: str, en: str) -> None:
    r = check([Segment(ar, en)], g)
    assert r.issues == [], [i.to_dict() for i in r.issues]


def test_acronym_case_still_matters(g: Glossary) -> None:
    r = check([Segment("أعلنت الولايات المتحدة", "they told us")], g)
    assert _kinds(r) == [(1, "missing-term", "united-states")]


def test_near_miss_name_is_misspelt_not_missing(g: Glossary) -> None:
    r = check([Segment("قالت ميشيل باشليه", "Michele Bachelet said")], g)
    assert _kinds(r) == [(1, "misspelt-term", "bachelet")]
    i = r.issues[0]
    assert i.found == "Michele Bachelet" and i.expected[0] == "Michelle Bachelet" and i.severity == "error"
    # a different body is missing, not misspelt
    r = check([Segment("وقال يوروبول", "Eurojust said")], g)
    assert _kinds(r) == [(1, "missing-term", "europol")]


def test_near_miss_helper() -> None:
    t = "said Gilles de Kerchov on Monday"
    s, e, name, score = near_miss(["Gilles de Kerchove"], t, fold(t))  # type: ignore[misc]
    assert t[s:e] == "Gilles de Kerchov" and 85 <= score < 100
    assert near_miss(["Europol"], "Interpol said", fold("Interpol said")) is None


def test_find_spans_are_the_targets(g: Glossary) -> None:
    t = "<b>the U.S. Counter-Terrorism Centre's</b> work"
    p = prepare(t, english=True)
    assert len(p) == len(t)
    s, e = find("counter-terrorism center", p, fold(p))  # type: ignore[misc]
    assert t[s:e] == "Counter-Terrorism Centre"


def test_markup_blanked_and_undotted_keep_length() -> None:
    t = '<seg id="1">U.S. troops</seg>'
    assert blank_markup(t).strip() == "U.S. troops" and len(blank_markup(t)) == len(t)
    assert undot("U.S.A. and U.N.").split() == ["USA", "and", "UN"]


# -- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("ar, en", [
    ("نحو 150.000 نازح", "about 150,000 displaced people"),
    ("ما يصل إلى 30،000 مقاتل", "up to 30,000 fighters"),
    ("نحو ٤٠ ألف مقاتل و١١٠ قتلى", "about 40,000 fighters and 110 dead"),
    ("الحرب الكورية (1950-1953)", "the 1950-53 Korean War"),
    ("من 1950 إلى 1953", "from 1950–1953"),
    ("بعد 10 سنوات من الهجمات", "A decade after the attacks"),
    ("قتل 22 شخصا", "Twenty-two people were killed"),
    ("يضم ثلاثين عضوا", "has 30 members"),
    ("أكثر من مليون دولار", "more than $1 million"),
    ("10 آلاف و15 ألفاً", "10,000 and 15,000"),
    ("ارتفع بنسبة 30٪", "rose by 30 percent"),
    ("نسبة ٢٫٥ في المئة", "a rate of 2.5 percent"),
    ("في تسعينيات القرن الماضي", "in the 1990s"),
    ('<seg id="1">قتل 5 أشخاص</seg>', "5 people were killed"),
    ("قتل 2 500 شخص", "2,500 people were killed"),
    ("قتل ۲۵ شخصا", "25 people were killed"),
    ("بلغ ١٬٢٠٠ مقاتل", "reached 1,200 fighters"),
])
def test_numbers_written_differently_agree(ar: str, en: str) -> None:
    missing, extra = compare(extract(ar), extract(en))
    assert (missing, extra) == ([], []), ([n.written for n in missing], [n.written for n in extra])


@pytest.mark.parametrize("ar, en, miss, added", [
    ("نحو 150.000 نازح", "about 15,000 displaced", ["150.000"], ["15,000"]),
    ("قرار مجلس الأمن 2396", "resolution 2397", ["2396"], ["2397"]),
    ("قتل ٣٢ شخصا", "23 people died", ["٣٢"], ["23"]),
    ("28 ألف مقاتل", "18,000 fighters", ["28"], ["18,000"]),
])
def test_number_errors_are_found(ar: str, en: str, miss: list[str], added: list[str]) -> None:
    missing, extra = compare(extract(ar), extract(en))
    assert [n.written for n in missing] == miss and [n.written for n in extra] == added


def test_number_issue_in_check(g: Glossary) -> None:
    r = check([Segment("قتل 205 أشخاص عام 2017", "250 people were killed in 2017")], g)
    assert _kinds(r) == [(1, "number-mismatch", None)]
    i = r.issues[0]
    assert i.source[i.span[0]:i.span[1]] == "205" and i.target[i.target_span[0]:i.target_span[1]] == "250"


# -- severities, usage flags, style --------------------------------------------------------------
@pytest.fixture()
def flagged() -> Glossary:
    gl = Glossary(title="usage")
    gl.add(Concept("isis", "group", terms=[Term("داعش", "ar", "preferred"), Term("ISIS", "en", "preferred", term_type="acronym"),
                                          Term("Daesh", "en", "admitted", styles=["UN"]), Term("ISIL", "en", "deprecated", styles=["UN-2015"]),
                                          Term("so-called Islamic Caliphate", "en", "deprecated", usage="forbidden")]))
    gl.add(Concept("gotravel", "programme", terms=[Term("برنامج غو ترافل", "ar", "preferred"),
                                                  Term("goTravel", "en", "preferred", usage="do-not-translate")]))
    gl.add(Concept("netherlands", "place", terms=[Term("هولندا", "ar", "preferred"), Term("Netherlands", "en", "preferred"),
                                                 Term("Holland", "en", "deprecated")]))
    return gl


def test_forbidden_term_is_an_error(flagged: Glossary) -> None:
    r = check([Segment("هزيمة داعش", "the defeat of the so-called Islamic Caliphate")], flagged)
    assert [(i.kind, i.severity, i.concept) for i in r.issues] == [("forbidden-term", "error", "isis")]
    assert r.issues[0].found == "so-called Islamic Caliphate"
    assert r.fails("error")


def test_deprecated_is_a_warning_and_one_row_per_concept(flagged: Glossary) -> None:
    r = check([Segment("في هولندا", "in Holland")], flagged)
    assert [(i.kind, i.severity) for i in r.issues] == [("deprecated-term", "warning")]
    assert r.fails("warning") and not r.fails("error")


def test_do_not_translate(flagged: Glossary) -> None:
    assert check([Segment("برنامج غو ترافل", "the goTravel programme")], flagged).issues == []
    r = check([Segment("برنامج غو ترافل", "the Go Travel programme")], flagged)
    assert [(i.kind, i.severity, i.expected) for i in r.issues] == [("dnt-translated", "warning", ["goTravel"])]
    r = check([Segment("اعتمدت 40 دولة goTravel", "40 countries adopted Go-Travel")], flagged)  # written as such in the source
    assert [(i.kind, i.source_term) for i in r.issues] == [("dnt-translated", "goTravel")]
    assert check([Segment("اعتمدت 40 دولة goTravel", "40 countries adopted goTravel")], flagged).issues == []


def test_style_terms_come_first_and_deprecated_style_terms_pass(flagged: Glossary) -> None:
    r = check([Segment("هزيمة داعش", "defeat them")], flagged, style="UN")
    assert r.issues[0].kind == "missing-term" and r.issues[0].expected[0] == "Daesh"
    assert check([Segment("هزيمة داعش", "defeat ISIL")], flagged, style="UN-2015").issues == []
    assert _kinds(check([Segment("هزيمة داعش", "defeat ISIL")], flagged)) == [(1, "deprecated-term", "isis")]


def test_untranslated_segments(flagged: Glossary) -> None:
    r = check([Segment("هزيمة داعش", ""), Segment("هزيمة داعش", "هزيمة داعش"), Segment("هزيمة داعش", "defeat ISIS")], flagged)
    assert [(i.segment, i.kind, i.severity) for i in r.issues] == [(1, "untranslated", "error"), (2, "untranslated", "error")]


def test_inconsistency_both_directions() -> None:
    gl = Glossary(title="inc")
    gl.add(Concept("council-eu", "organization", terms=[Term("مجلس الاتحاد الأوروبي", "ar", "preferred"), Term("Council of the EU", "en", "preferred"),
                                                       Term("Council", "en", "admitted")]))
    gl.add(Concept("unsc", "organization", terms=[Term("مجلس الأمن", "ar", "preferred"), Term("Security Council", "en", "preferred"),
                                                 Term("Council", "en", "admitted")]))
    segs = [Segment("قرر مجلس الأمن", "the Council decided"), Segment("قرر مجلس الأمن", "the Council agreed"),
            Segment("قرر مجلس الاتحاد الأوروبي", "the Council decided")]
    r = check(segs, gl)
    assert [(i.segment, i.kind, i.concept, i.severity) for i in r.issues] == [(3, "inconsistent-target", "council-eu", "info")]
    assert not r.fails("warning") and r.fails("info")


def test_generic_checks_are_translate_toolkits(g: Glossary) -> None:
    r = check([Segment("قال إن الوضع صعب.", "He said the the situation was hard."),
               Segment("انظر https://un.org/ct", "see https://un.org/cf"),
               Segment("هل انتهى؟", "Is it over?"),
               Segment("قالت الشرطة (يوروبول) إن...", "Police (Europol) said that..."),
               Segment("كان قد كان", "he had had enough")], g)
    assert [(i.segment, i.kind) for i in r.issues] == [(1, "doubled-word"), (2, "url-mismatch")]


def test_pattern_and_related_hits_from_the_recognition_layer(g: Glossary) -> None:
    """The new recognition layer reports resolutions as ``pattern`` hits with a ``number``."""
    from dataclasses import dataclass

    @dataclass
    class FakeHit:
        start: int
        end: int
        text: str
        concept: Concept
        term: Term
        match: str
        alternatives: tuple = ()
        nested: tuple = ()
        number: int | None = None

    res = Concept("resolution", "document", terms=[Term("قرار", "ar", "preferred"), Term("resolution", "en", "preferred")])
    nk = g["north-korea"]

    class G(Glossary):
        def scan(self, text, lang=None):  # type: ignore[no-untyped-def, override]
            hits = []
            if "2253" in text:
                hits.append(FakeHit(0, 11, "القرار 2253", res, res.terms[0], "pattern", number=2253))
            if "الكوري الشمالي" in text:
                s = text.index("الكوري الشمالي")
                hits.append(FakeHit(s, s + 14, "الكوري الشمالي", nk, nk.terms[0], "related"))
            return hits

    gl = G(list(g))
    assert check([Segment("القرار 2253 بشأن داعش", "resolution 2253 on ISIS")], gl).issues == []
    r = check([Segment("القرار 2253 بشأن داعش", "resolution 2235 on ISIS")], gl)
    assert _kinds(r) == [(1, "number-mismatch", "resolution")] and r.issues[0].expected == ["2253"]
    r = check([Segment("الزعيم الكوري الشمالي", "the leader")], gl)
    assert _kinds(r) == [(1, "missing-term", "north-korea")] and r.issues[0].expected[0] == "North Korean"
    assert check([Segment("الزعيم الكوري الشمالي", "the North Korean leader")], gl).issues == []


def test_check_never_crashes_and_spans_fit() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    gl = Glossary(title="h")
    gl.add(Concept("europol", "organization", terms=[Term("يوروبول", "ar", "preferred"), Term("Europol", "en", "preferred")]))
    gl.add(Concept("bachelet", "person", terms=[Term("باشليه", "ar", "preferred"), Term("Michelle Bachelet", "en", "preferred")]))
    alphabet = st.sampled_from(list("يوروبول باشليه ٠١٢٣٤٥٦٧٨٩0123456789.,،٬٫%٪-–<>/=\"() Europol Michele Bachelet U.S. the ten ألف مليون"))
    text = st.lists(alphabet, max_size=40).map("".join)

    @settings(max_examples=60, deadline=None)
    @given(text, text)
    def run(src: str, tgt: str) -> None:
        r = check([Segment(src, tgt)], gl)
        for i in r.issues:
            assert i.severity in ("error", "warning", "info")
            if i.span:
                assert 0 <= i.span[0] <= i.span[1] <= len(i.source)
            if i.target_span:
                assert 0 <= i.target_span[0] <= i.target_span[1] <= len(i.target)

    run()


def test_words_the_target_renders_as_part_of_a_longer_name() -> None:
    gl = Glossary(title="l")
    gl.add(Concept("middle-east", "place", terms=[Term("الشرق الأوسط", "ar", "preferred"), Term("Middle East", "en", "preferred")]))
    gl.add(Concept("asharq", "media", terms=[Term("صحيفة الشرق الأوسط", "ar", "preferred"), Term("Asharq Al-Awsat", "en", "preferred")]))
    assert check([Segment("ونقلت «الشرق الأوسط» عن مصادر", "Asharq Al-Awsat quoted sources")], gl).issues == []
    r = check([Segment("ونقلت «الشرق الأوسط» عن مصادر", "the newspaper quoted sources")], gl)
    assert _kinds(r) == [(1, "missing-term", "middle-east")]


def test_exclusion_contexts_of_a_term_are_not_blamed() -> None:
    """Recognition may still report القاعدة in كرة القاعدة; the term's exclusion contexts keep QA quiet."""
    gl = Glossary(title="x")
    gl.add(Concept("al-qaeda", "group", terms=[Term("القاعدة", "ar", "preferred", exclude=["كرة القاعدة", "القاعدة الجوية"]),
                                              Term("al-Qaeda", "en", "preferred")]))
    assert check([Segment("مباراة كرة القاعدة", "a baseball game")], gl).issues == []
    assert _kinds(check([Segment("هجوم لتنظيم القاعدة", "an attack by the group")], gl)) == [(1, "missing-term", "al-qaeda")]
