"""Recognition floors on text the glossary was not built from (issue 10's targets).

The dev sets live in ``shared/devsets`` (news sentences with gold spans and traps) and
``bench/devsets`` (news sentences written separately, 1,000 everyday sentences); the scoring is
``bench/eval_recognition.py``'s, so the test and the benchmark cannot disagree.
"""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT, SHARED


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("eval_recognition", ROOT / "bench" / "eval_recognition.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("where, names", [
    ("shared", ("recognition_ar.tsv", "recognition_gold.tsv", "recognition_traps.tsv")),
    ("bench", ("news_ar.tsv", "news_gold.tsv", "news_traps.tsv")),
])
def test_scan_precision_and_recall_on_news(ev, glossary, where: str, names: tuple[str, str, str]) -> None:
    d = SHARED / "devsets" if where == "shared" else ROOT / "bench" / "devsets"
    sentences = {r[0]: r[1] for r in ev.read_tsv(d / names[0])}
    sc, misses, false = ev.score_scan(glossary, sentences, ev.read_tsv(d / names[1]), ev.read_tsv(d / names[2]), ev.universe())
    assert sc["recall"] >= 0.97, misses
    assert sc["precision"] >= 0.98, false
    right, total = (int(x) for x in sc["resolutions"].split("/"))
    assert right == total  # every annotated resolution number right


def test_everyday_arabic_gives_almost_no_hits(ev, glossary) -> None:
    n, k, false = ev.everyday(glossary, ROOT / "bench" / "devsets" / "everyday_ar.tsv")
    assert n == 1000 and k / n * 1000 <= 0.5, false


def test_seeds_stay_fully_covered(ev, glossary) -> None:
    found, total = ev.seeds_recall(glossary)
    assert found == total
