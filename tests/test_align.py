"""Sentence splitting and Gale–Church alignment, tested on the articles with deliberate misalignments."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex.align import align, align_texts, split_sentences
from ctlex.cli import cli
from ctlex.formats import tmx
from ctlex.tm import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def article() -> list[tuple[str, str]]:
    """Article 000's sentence pairs (real text, reading order), boilerplate under 4 words left out."""
    segs = [s for s in tmx.read_segments(ROOT / "tm" / "articles.tmx") if s.props["x-file"].startswith("000_")]
    return [(s.source, s.target) for s in segs if len(s.source.split()) >= 4]


def split(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_splitter_rules() -> None:
    assert split("قال إن الوضع خطير، وإن الحل؛ صعب. ثم غادر!") == ["قال إن الوضع خطير، وإن الحل؛ صعب.", "ثم غادر!"]
    assert split("هل انتهى؟ نعم.") == ["هل انتهى؟", "نعم."]
    assert split("ارتفع العدد إلى 3.5 مليون في 2019. وهذا كثير.") == ["ارتفع العدد إلى 3.5 مليون في 2019.", "وهذا كثير."]
    assert split("قال د. أحمد إن الأمر انتهى. ثم صمت.") == ["قال د. أحمد إن الأمر انتهى.", "ثم صمت."]
    assert split("قال: «انتهى الأمر.» ثم غادر.") == ["قال: «انتهى الأمر.»", "ثم غادر."]
    assert split("He said: “It is over.” Then he left.") == ["He said: “It is over.”", "Then he left."]
    assert split("Mr. Smith met U.S. officials, e.g. Dr. Jones. They agreed.") == ["Mr. Smith met U.S. officials, e.g. Dr. Jones.", "They agreed."]
    assert split("1. المقدمة\nالفقرة الثانية.") == ["1. المقدمة", "الفقرة الثانية."]
    spans = split_sentences("  أولا.  ثانيا.")
    assert [(s.start, s.end) for s in spans] == [(2, 7), (9, 15)]


def test_splitter_recovers_the_article_sentences() -> None:
    """Paragraphs of the articles re-joined and re-split give back the translators' Arabic sentences."""
    paras: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in tmx.read_segments(ROOT / "tm" / "articles.tmx"):
        paras[(s.props["x-file"], s.props["x-paragraph"])].append(s.source)
    same = sum(split(" ".join(v)) == v for v in paras.values())
    assert same / len(paras) >= 0.95


def test_clean_text_aligns_one_to_one(article: list[tuple[str, str]]) -> None:
    ar, en = [a for a, _ in article], [e for _, e in article]
    beads = align(ar, en)
    assert all(b.kind == "1-1" for b in beads) and len(beads) == len(ar)


def test_aligner_recovers_merged_and_split_sentences(article: list[tuple[str, str]], glossary) -> None:
    ar = [a for a, _ in article]
    en = [e for _, e in article]
    # misalign on purpose: EN 5 and 6 merged into one sentence, EN 23 (the longest) split in two
    cut = en[23].find(", ", len(en[23]) // 3)
    first, rest = en[23][:cut], en[23][cut + 2 :]
    broken = en[:5] + [en[5] + " " + en[6]] + en[7:23] + [first + ".", rest[0].upper() + rest[1:]] + en[24:]
    for g in (None, glossary):
        beads = align(ar, broken, glossary=g)
        assert {b.ar: b.en for b in beads if b.kind != "1-1"} == {(5, 6): (5,), (23,): (22, 23)}
        pairs = {(b.ar[0], broken[b.en[0]]) for b in beads if b.kind == "1-1"}
        assert pairs == {(i, en[i]) for i in range(len(ar)) if i not in (5, 6, 23)}


def test_a_missing_translation_does_not_shift_the_rest(article: list[tuple[str, str]], glossary) -> None:
    """A dropped English sentence is absorbed next to where it was (Gale–Church prefers a 2-1 bead
    to a 1-0 when lengths allow); every other sentence keeps its own translation."""
    ar = [a for a, _ in article]
    en = [e for _, e in article]
    broken = en[:30] + en[31:]
    beads = align(ar, broken, glossary=glossary)
    odd = [b for b in beads if b.kind != "1-1"]
    assert len(odd) == 1 and 30 in odd[0].ar and odd[0].kind in ("2-1", "1-0")
    pairs = {(b.ar[0], broken[b.en[0]]) for b in beads if b.kind == "1-1"}
    assert pairs == {(i, en[i]) for i in range(len(ar)) if i not in odd[0].ar}


def test_glossary_anchors_fix_what_lengths_alone_get_wrong(mini_glossary) -> None:
    ar = ["أعلن يوروبول عن نتائج التحقيق.", "المنتدى العالمي لمكافحة الإرهاب يجتمع غدا."]
    # the English first sentence is long, the second short: lengths alone suggest a different cut
    en = ["Europol announced the results of the investigation into the network.", "The Global Counterterrorism Forum meets tomorrow."]
    beads = align(ar, en, glossary=mini_glossary)
    assert [(b.ar, b.en) for b in beads] == [((0,), (0,)), ((1,), (1,))]
    plain = [b for b in align(ar[:1], ["Europol.", "The investigation is over and all results are published today."])]
    assert [b.kind for b in plain]  # always a full cover of both sides
    assert sorted(i for b in plain for i in b.en) == [0, 1]


def test_align_cli_writes_tmx_tsv_and_adds_to_tm(tmp_path: Path, article: list[tuple[str, str]]) -> None:
    arf, enf = tmp_path / "ar.txt", tmp_path / "en.txt"
    arf.write_text("\n".join(a for a, _ in article[:12]) + "\n", encoding="utf-8")
    enf.write_text("\n".join(e for _, e in article[:12]) + "\n", encoding="utf-8")
    out = tmp_path / "out.tmx"
    db = tmp_path / "tm.sqlite"
    r = CliRunner().invoke(cli, ["align", str(arf), str(enf), "-o", str(out), "--add-to-tm", "--tm", str(db)])
    assert r.exit_code == 0, r.output
    segs = list(tmx.read_segments(out))
    assert len(segs) >= 12 and {(s.source, s.target) for s in segs} >= {article[0], article[3]}
    assert len(Store(db)) == len(segs)
    tsv = tmp_path / "out.tsv"
    assert CliRunner().invoke(cli, ["align", str(arf), str(enf), "-o", str(tsv)]).exit_code == 0
    assert tsv.read_text(encoding="utf-8").count("\t") >= 12
    r = CliRunner().invoke(cli, ["align", str(arf), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2


def test_align_texts_pairs_documents() -> None:
    got = align_texts("الإرهاب خطر عالمي. يجب التعاون. شكرا.", "Terrorism is a global threat. We must cooperate. Thank you.")
    assert [(a, e) for a, e, _ in got] == [
        ("الإرهاب خطر عالمي.", "Terrorism is a global threat."),
        ("يجب التعاون.", "We must cooperate."),
        ("شكرا.", "Thank you."),
    ]
