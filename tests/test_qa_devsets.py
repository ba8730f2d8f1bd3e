"""``ctlex check`` over the shared devsets (text the checks were not built from): floors that must hold.

Figures with the recognition of today's ``Glossary.scan``; ``bench/bench_check.py`` prints them in
full.  False alarms on sentences of the recognition traps file (القاعدة as "base", مالي as
"financial"…) and planted errors whose source term the scan does not find are recognition's to
fix, so they are counted apart; the floors on QA's own share are the issue's targets.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def figures(glossary, devsets_dir: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "bench" / "bench_check.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.devset_figures(glossary, devsets=devsets_dir)


def test_false_alarms_on_professional_pairs(figures) -> None:  # type: ignore[no-untyped-def]
    n = figures["professional"]
    assert n == 270
    assert len(figures["professional_flagged_own"]) <= 0.01 * n, figures["professional_flagged_own"]
    assert figures["professional_flagged"] <= 0.03 * n, figures["professional_flagged_pids"]  # recognition traps included


def test_planted_errors_caught_with_the_right_kind(figures) -> None:  # type: ignore[no-untyped-def]
    judged = figures["planted_total"] - len(figures["glossary_gap"]) - len(figures["not_recognised"])
    assert figures["planted_total"] == 66
    assert figures["planted_caught"] >= 0.95 * judged, figures["missed"]
    assert figures["planted_caught"] >= 0.75 * figures["planted_total"], figures["missed"]
    for kind in ("number-mismatch", "wrong-resolution-number"):
        caught, total = figures["planted"][kind]
        assert caught == total, (kind, figures["missed"])
    assert figures["untouched_flagged"] <= 0.1 * figures["untouched"]


def test_own_planted_errors_in_the_shipped_tm(glossary) -> None:  # type: ignore[no-untyped-def]
    """Errors we plant ourselves in tm/articles.tmx (digits, bodies swapped, names misspelt, terms left out)."""
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "bench" / "bench_check.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    figs = mod.mutation_figures(glossary)
    assert set(figs) == {"missing-term", "misspelt-term", "number-mismatch"}
    for kind, (caught, total) in figs.items():
        assert total >= 4 and caught >= 0.9 * total, (kind, caught, total)
