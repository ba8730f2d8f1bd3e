"""The service's history as TBX transactions.

Each history row of a concept becomes a ``<transacGrp>`` in its ``conceptEntry``: the first one
``origination``, the later ones ``modification``, with the ``responsibility`` (who made or
approved the change), the ``date`` and a ``note`` (what and why).  They travel in the concept's
``extra`` (kept-verbatim XML), so the TBX writers of :mod:`ctlex.formats` write them unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary

__all__ = ["with_history", "transac_grp"]

NS = "urn:iso:std:iso:30042:ed-2"


def transac_grp(row: dict[str, Any], first: bool) -> str:
    """One history row as a TBX v3 ``transacGrp`` fragment."""
    kind = "origination" if first else "modification"
    note = f"revision {row['revision']}: {row['action']}"
    if row.get("proposer"):
        note += f" (proposal {row['proposal_id']} by {row['proposer']})"
    if row.get("reason"):
        note += f"; {row['reason']}"
    return (f'<transacGrp xmlns="{NS}"><transac type="transactionType">{kind}</transac>'
            f'<transacNote type="responsibility">{escape(row["actor"])}</transacNote>'
            f'<date>{escape(row["at"][:10])}</date><note>{escape(note)}</note></transacGrp>')


def _is_origination(fragment: str) -> bool:
    return fragment.lstrip().startswith("<transacGrp") and ">origination</transac>" in fragment


def with_history(glossary: "Glossary", history: list[dict[str, Any]]) -> "Glossary":
    """A copy of ``glossary`` whose concepts carry their history rows as ``transacGrp``.

    A concept that arrived with transactions of its own (a TBX exported with history, imported
    again) keeps them first, unchanged, and its origination stays the only one: every row of
    this service's history is then a modification."""
    from ..glossary import Glossary

    by_concept: dict[str, list[dict[str, Any]]] = {}
    for row in history:
        by_concept.setdefault(row["concept_id"], []).append(row)
    out = Glossary(title=glossary.title, description=glossary.description, source_lang=glossary.source_lang,
                   extra=list(glossary.extra))
    for c in glossary:
        rows = sorted(by_concept.get(c.id, []), key=lambda r: r["revision"])
        born = any(_is_origination(x) for x in c.extra)
        out.add(replace(c, extra=list(c.extra) + [transac_grp(r, i == 0 and not born) for i, r in enumerate(rows)]))
    return out
