"""Translation QA against the glossary: ``from ctlex.qa import check, check_file, Issue, QAReport``.

The package is split by idea, with imports going one way only (left may import right)::

    checks → generic, renderings, numerals → markup;  checks → report
    html, xlsx, ignore → report

:mod:`~ctlex.qa.report` (the records and severities), :mod:`~ctlex.qa.markup` (offset-keeping
text preparation), :mod:`~ctlex.qa.numerals` (numbers), :mod:`~ctlex.qa.renderings` (accepted English forms,
near misses), :mod:`~ctlex.qa.generic` (translate-toolkit's pofilter tests),
:mod:`~ctlex.qa.checks` (:func:`check`), and the outputs :mod:`~ctlex.qa.html`,
:mod:`~ctlex.qa.xlsx` and :mod:`~ctlex.qa.ignore` (suppressions).  Names are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["KINDS", "SEVERITIES", "Issue", "QAReport", "check", "check_file", "english_fold", "find_english", "numbers"]

_WHERE = {
    "KINDS": "report", "SEVERITIES": "report", "SEVERITY": "report", "Issue": "report", "QAReport": "report",
    "check": "checks", "check_file": "checks",
    "english_fold": "renderings", "find_english": "renderings",
}


def __getattr__(name: str) -> Any:
    if name == "numbers":  # the function, as before the split (the module is ctlex.qa.numerals)
        from .numerals import numbers as fn

        return fn
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'ctlex.qa' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
