"""ctlex.qa and ``ctlex check``: real mistakes are found, correct translations are not flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctlex.glossary import Glossary
from ctlex.qa import check, check_file, english_fold, find_english, numbers
from ctlex.segment import Segment

ROOT = Path(__file__).resolve().parents[1]
TMX = ROOT / "tm" / "articles.tmx"

# Correct translations (mini glossary terms, tolerant spellings): none may be flagged.
GOOD = [
    Segment("وأعلن يوروبول عن خطة جديدة", "Europol announced a new plan"),
    Segment("أكد اليوروبول أن ١٢ شخصا اعتقلوا", "Europol's statement said 12 people were arrested"),
    Segment("ناقش المنتدى العالمي لمكافحة الإرهاب القرار 2178", "The Global Counterterrorism Forum discussed resolution 2178"),
    Segment("قال جيل دو كيرشوف إن المقاتلين الأجانب يعودون", "Gilles de Kerchove said foreign terrorist fighters are returning"),
    Segment("عودة المقاتلين الأجانب عام ٢٠١٧", "the return of the Foreign Terrorist Fighter in 2017"),
    Segment("تعزيز مكافحة الإرهاب في أوروبا", "strengthening Counter-Terrorism in Europe"),
    Segment("جهود مكافحة الإرهاب", "counterterrorism efforts"),
    Segment("تعاون مع الإنتربول", "cooperation with INTERPOL"),
    Segment("بث سكاي نيوز عربية تقريرا عن 21 ألف مقاتل", "Sky News Arabia broadcast a report on 21,000 fighters"),
    Segment("خصص مائة مليون يورو", "allocated 100 million euros"),
]


def _kinds(report) -> list[tuple[int | str, str, str | None]]:  # type: ignore[no-untyped-def]
    return [(i.segment, i.kind, i.concept) for i in report.issues]


def test_correct_translations_are_not_flagged(mini_glossary: Glossary) -> None:
    r = check(GOOD, mini_glossary)
    assert r.segments == len(GOOD)
    assert r.issues == [], [i.to_dict() for i in r.issues]


def test_misspelt_name_is_misspelt_term(mini_glossary: Glossary) -> None:
    r = check([Segment("قال جيل دو كيرشوف", "Gilles de Kerchov said")], mini_glossary)
    assert _kinds(r) == [(1, "misspelt-term", "de-kerchove")]
    i = r.issues[0]
    assert i.source_term == "جيل دو كيرشوف" and i.expected[0] == "Gilles de Kerchove"
    assert i.source[i.span[0] : i.span[1]] == "جيل دو كيرشوف"
    assert i.found == "Gilles de Kerchov" and i.target[i.target_span[0] : i.target_span[1]] == "Gilles de Kerchov"
    assert i.severity == "error"


def test_wrong_body_name_is_missing_term(mini_glossary: Glossary) -> None:
    r = check([Segment("تعاون مع يوروبول", "cooperation with Eurojust")], mini_glossary)
    assert _kinds(r) == [(1, "missing-term", "europol")]


def test_resolution_number_off_by_one(mini_glossary: Glossary) -> None:
    r = check([Segment("القرار ٢١٧٨ لعام 2014", "resolution 2179 of 2014")], mini_glossary)
    assert _kinds(r) == [(1, "number-mismatch", "unscr-2178")]  # the citation is recognized as resolution 2178
    assert "٢١٧٨" in r.issues[0].source_term and r.issues[0].expected == ["2178"]
    assert "2179" in r.issues[0].message


def test_wrong_year(mini_glossary: Glossary) -> None:
    r = check([Segment("في فبراير 2017", "in February 2018")], mini_glossary)
    assert _kinds(r) == [(1, "number-mismatch", None)]


def test_deprecated_term_exact_case_only(mini_glossary: Glossary) -> None:
    r = check([Segment("تعاون مع الإنتربول", "cooperation with Interpol")], mini_glossary)
    assert _kinds(r) == [(1, "deprecated-term", "interpol")]
    assert r.issues[0].expected == ["INTERPOL"]


def test_inconsistent_rendering_across_segments(mini_glossary: Glossary) -> None:
    segs = [Segment("مكافحة الإرهاب", "counter-terrorism work"), Segment("ضد المقاتلين الأجانب", "against foreign terrorist fighters"),
            Segment("عودة المقاتلين الأجانب", "return of foreign terrorist fighters"), Segment("المقاتلون الأجانب", "the FTFs"),
            Segment("المقاتلين الأجانب", "the FTFs")]
    # acronym and full form are different classes: not inconsistent
    assert check(segs, mini_glossary).issues == []
    from ctlex.glossary import Concept, Term

    g = Glossary([Concept("isis", "group", terms=[Term("داعش", "ar", "preferred"), Term("ISIS", "en", "preferred", term_type="acronym"),
                                                 Term("Daesh", "en", "admitted", term_type="acronym")])])
    r = check([Segment("هزيمة داعش", "defeat ISIS"), Segment("مقاتلو داعش", "ISIS fighters"), Segment("تنظيم داعش", "Daesh")], g)
    assert _kinds(r) == [(3, "inconsistent", "isis")]
    assert r.issues[0].expected == ["ISIS"]


def test_english_matching_tolerance() -> None:
    assert english_fold("Counter-Terrorism") == english_fold("counter terrorism") == english_fold("counterterrorism")
    assert find_english("fighter", "Fighters") and find_english("agency", "agencies")
    assert find_english("US", "us") is None and find_english("US", "the US's policy")


def test_numbers_scripts_and_scales() -> None:
    assert [v for v, _ in numbers("٢٠١٩ و2,500 و(21)ألف")] == ["2019", "2500", "21000"]


def test_json_contract(mini_glossary: Glossary) -> None:
    d = check([Segment("تعاون مع يوروبول", "cooperation with Eurojust", id="u1")], mini_glossary).to_dict()
    assert d["segments"] == 1
    issue = d["issues"][0]
    assert {"segment", "kind", "id", "source_term", "expected", "target"} <= set(issue)
    assert issue["segment"] == "u1" and issue["kind"] == "missing-term" and issue["id"] == "europol"


def test_shipped_tm_is_consistent_with_the_glossary(glossary: Glossary) -> None:
    """The project's own aligned corpus uses the glossary's renderings: a clean check."""
    r = check_file(TMX, glossary)
    assert r.segments >= 200
    assert [(i.segment, i.kind, i.concept) for i in r.issues if i.severity != "info"] == []
    assert not r.fails("warning")
    # info only: one segment whose English really ends in a comma
    assert len(r.issues) <= 2, [i.to_dict() for i in r.issues]


# -- formats and CLI --------------------------------------------------------------------------
def _write(fmt: str, segs: list[Segment], path: Path) -> Path:
    from ctlex.formats import FORMATS, write_segments

    if fmt not in FORMATS or not FORMATS[fmt].segments:
        pytest.skip(f"format {fmt!r} is not registered for segments yet")
    mod = FORMATS[fmt].load()
    if not hasattr(mod, "write_segments") or not hasattr(mod, "read_segments"):
        pytest.skip(f"format {fmt!r} cannot write/read segments yet")
    write_segments(segs, path, fmt)
    return path


MISTAKES = [Segment("تعاون مع يوروبول", "cooperation with Eurojust", id="1"), Segment("القرار ٢١٧٨", "resolution 2179", id="2"),
            Segment("وأعلن يوروبول", "Europol announced", id="3")]


@pytest.mark.parametrize("fmt, ext", [("tmx", "tmx"), ("po", "po"), ("xliff", "xlf"), ("tsv", "tsv")])
def test_cli_check_formats(fmt: str, ext: str, tmp_path: Path, mini_glossary: Glossary) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    gpath = tmp_path / "mini.tbx"
    mini_glossary.save(gpath)
    f = _write(fmt, MISTAKES, tmp_path / f"x.{ext}")
    res = CliRunner().invoke(cli, ["check", str(f), "--glossary", str(gpath), "--json"])
    assert res.exit_code == 1, res.output
    d = json.loads(res.output)
    assert d["segments"] == 3
    assert sorted(i["kind"] for i in d["issues"]) == ["missing-term", "number-mismatch"]
    clean = _write(fmt, GOOD[:1], tmp_path / f"ok.{ext}")
    res = CliRunner().invoke(cli, ["check", str(clean), "--glossary", str(gpath)])
    assert res.exit_code == 0 and "no issues" in res.output


def test_cli_check_report_marks_source_term(tmp_path: Path, mini_glossary: Glossary) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    gpath = tmp_path / "mini.tbx"
    mini_glossary.save(gpath)
    f = _write("po", MISTAKES[:1], tmp_path / "x.po")
    res = CliRunner().invoke(cli, ["check", str(f), "--glossary", str(gpath)])
    assert res.exit_code == 1
    assert "⟦يوروبول⟧" in res.output and "expected: Europol" in res.output and "missing-term" in res.output


def test_cli_check_bad_input_exits_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ctlex.cli import cli

    res = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.tmx")])
    assert res.exit_code == 2
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", str(bad)])
    assert res.exit_code == 2 and "error" in res.output


def test_tsv_header_of_language_tags_is_not_a_segment(glossary: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text("ar\ten-US\nتعاون مع يوروبول\tcooperation with Eurojust\n", encoding="utf-8")
    r = check_file(p, glossary)
    assert r.segments == 1
    assert [(i.kind, i.concept) for i in r.issues] == [("missing-term", "europol")]
