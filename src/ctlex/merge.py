"""Merge an imported glossary into an existing one, reporting every addition, change and conflict.

Each incoming concept is matched to an existing one

1. by concept id, when the base has that id; else
2. by terms: an incoming term equal (NFC, case-insensitive for Latin script) to a base term of the
   same language.  One base concept matched → merge into it; several → *conflict* (ambiguous),
   nothing merged.

An unmatched concept is *added* (its id made unique if needed).  A matched concept gains what the
base lacks (empty fields filled, new terms, sources and notes appended: *changed*).  Where both
sides hold a different value (type, subject, definition, a term's status, part of speech, term type
or note) the base value is kept and a *conflict* is reported, unless ``prefer="theirs"``, which
takes the incoming value and still reports it as a change with the old value.  Nothing is ever
overwritten silently.

A term whose status the incoming file does not give (``Term.status_given`` false: a TBX without
``administrativeStatus``, e.g. translate-toolkit's ``csv2tbx`` output) never changes a status: it
is added as *admitted* next to an existing preferred term, and a status-less copy of an existing
term leaves that term's status alone, whatever ``prefer`` says.

``ignore`` names model fields the incoming format cannot carry (a format module's
``CANNOT_CARRY``): defaults such a reader fills in are then not taken as differences.
"""

from __future__ import annotations

import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal

from .errors import CtlexError
from .glossary import Concept, Glossary, Term, unique_id

__all__ = ["Change", "MergeReport", "merge"]

Prefer = Literal["ours", "theirs"]


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is added/changed/conflict; ``field`` e.g. ``definition`` or ``term:en:GCTF:status``."""

    kind: str
    concept: str
    field: str
    old: str | None = None
    new: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "concept": self.concept, "field": self.field, "old": self.old, "new": self.new, "detail": self.detail}


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)  # concept ids added
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted({c.concept for c in self.changes})

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed), "conflicts": len(self.conflicts), "unchanged": len(self.unchanged)}

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "added_ids": self.added, "changes": [c.to_dict() for c in self.changes],
                "conflict_list": [c.to_dict() for c in self.conflicts]}


def _key(text: str) -> str:
    t = unicodedata.normalize("NFC", text).strip()
    return " ".join(t.casefold().split())


def _lang(lang: str) -> str:
    return lang.split("-")[0].lower()


def merge(base: Glossary, incoming: Glossary | Iterable[Concept], *, prefer: Prefer = "ours",
          ignore: Iterable[str] = (), match_ids: bool = True) -> MergeReport:
    """Merge ``incoming`` into ``base`` in place and return what happened.

    >>> from ctlex.glossary import Glossary, Concept, Term
    >>> a = Glossary([Concept("x", terms=[Term("GCTF", "en", "preferred")])])
    >>> b = Glossary([Concept("y", definition="A forum.", terms=[Term("GCTF", "en", "preferred")])])
    >>> merge(a, b).summary()
    {'added': 0, 'changed': 1, 'conflicts': 0, 'unchanged': 0}
    >>> a["x"].definition
    'A forum.'
    """
    if prefer not in ("ours", "theirs"):
        raise CtlexError(f"prefer must be 'ours' or 'theirs', not {prefer!r}")
    ignored = set(ignore)
    report = MergeReport()
    todo = list(incoming)
    # Term matching only looks at concepts that existed before this merge and that no incoming
    # concept claims by id: concepts of one file never merge into each other.
    claimed = {c.id for c in todo} if match_ids else set()
    index: dict[tuple[str, str], set[str]] = {}
    for c in base:
        if c.id in claimed:
            continue
        for t in c.terms:
            index.setdefault((_lang(t.lang), _key(t.text)), set()).add(c.id)
    for inc in todo:
        inc = deepcopy(inc)
        target: Concept | None = base.get(inc.id) if match_ids else None
        if target is None:
            hits: set[str] = set()
            for t in inc.terms:
                hits |= index.get((_lang(t.lang), _key(t.text)), set())
            if len(hits) > 1:
                report.conflicts.append(Change("conflict", inc.id, "concept", None, ", ".join(sorted(hits)),
                                               "terms match several existing concepts; not merged"))
                continue
            target = base[hits.pop()] if hits else None
        if target is None:
            if inc.id in base:
                inc.id = unique_id(inc.id, base)
            base.add(inc)
            report.added.append(inc.id)
            continue
        before = len(report.changes) + len(report.conflicts)
        _merge_concept(target, inc, report, prefer, ignored)
        if len(report.changes) + len(report.conflicts) == before:
            report.unchanged.append(target.id)
    base.touch()
    return report


def _field(report: MergeReport, prefer: Prefer, obj: Any, attr: str, new: Any, cid: str, name: str) -> None:
    old = getattr(obj, attr)
    if new in (None, "") or new == old:
        return
    if old in (None, ""):
        setattr(obj, attr, new)
        report.changes.append(Change("changed", cid, name, None, str(new), "filled"))
    elif prefer == "theirs":
        setattr(obj, attr, new)
        report.changes.append(Change("changed", cid, name, str(old), str(new), "replaced (prefer theirs)"))
    else:
        report.conflicts.append(Change("conflict", cid, name, str(old), str(new), "kept the existing value"))


def _merge_concept(c: Concept, inc: Concept, report: MergeReport, prefer: Prefer, ignored: set[str]) -> None:
    cid = c.id
    if "concept.type" not in ignored and inc.type != "term":
        _field(report, prefer, c, "type", inc.type, cid, "type")
    if "concept.subject" not in ignored:
        _field(report, prefer, c, "subject", inc.subject, cid, "subject")
    if "concept.definition" not in ignored:
        _field(report, prefer, c, "definition", inc.definition, cid, "definition")
    if "concept.sources" not in ignored:
        have = {(s.file, s.sentence) for s in c.sources}
        for s in inc.sources:
            if (s.file, s.sentence) not in have:
                c.sources.append(s)
                have.add((s.file, s.sentence))
                report.changes.append(Change("changed", cid, "source", None, s.file, "added"))
    if "concept.notes" not in ignored:
        for n in inc.notes:
            if n not in c.notes:
                c.notes.append(n)
                report.changes.append(Change("changed", cid, "note", None, n, "added"))
    if "concept.extra" not in ignored:
        for x in inc.extra:
            if x not in c.extra:
                c.extra.append(x)
                report.changes.append(Change("changed", cid, "extra", None, x[:60], "added"))
    for t in inc.terms:
        same = [m for m in c.terms if _lang(m.lang) == _lang(t.lang)]
        mine = next((m for m in same if m.text == t.text), None) or next((m for m in same if _key(m.text) == _key(t.text)), None)
        name = f"term:{t.lang}:{t.text}"
        if mine is None:
            if not t.status_given:
                # unknown status: never a new preferred term, never a demotion of ours
                t = replace(t, status="admitted" if t.usage != "forbidden" else "deprecated", extra=list(t.extra),
                            styles=list(t.styles), exclude=list(t.exclude))
                c.terms.append(t)
                report.changes.append(Change("changed", cid, name, None, None, "term added (status unknown)"))
            elif t.status == "preferred" and any(m.status == "preferred" and _lang(m.lang) == _lang(t.lang) for m in c.terms):
                current = next(m for m in c.terms if m.status == "preferred" and _lang(m.lang) == _lang(t.lang))
                if prefer == "theirs":
                    current.status = "admitted"
                    c.terms.append(t)
                    report.changes.append(Change("changed", cid, f"preferred:{t.lang}", current.text, t.text, "new preferred term (prefer theirs)"))
                else:
                    t = replace(t, status="admitted", extra=list(t.extra), styles=list(t.styles), exclude=list(t.exclude))
                    c.terms.append(t)
                    report.conflicts.append(Change("conflict", cid, f"preferred:{t.lang}", current.text, t.text,
                                                   "added as admitted; the existing preferred term was kept"))
            else:
                c.terms.append(t)
                report.changes.append(Change("changed", cid, name, None, t.status, "term added"))
            continue
        if mine.text != t.text and "term.text" not in ignored:
            report.conflicts.append(Change("conflict", cid, name, mine.text, t.text, "spelling differs (case or normalization); kept the existing"))
        if "term.status" not in ignored and t.status_given:
            if not mine.status_given:  # ours was unknown: theirs is information, not a conflict
                mine.status, mine.status_given = t.status, True
                if t.status != "admitted":
                    report.changes.append(Change("changed", cid, name + ":status", None, t.status, "filled (status was unknown)"))
            else:
                _field(report, prefer, mine, "status", t.status, cid, name + ":status")
        if "term.pos" not in ignored:
            _field(report, prefer, mine, "pos", t.pos, cid, name + ":pos")
        if "term.term_type" not in ignored:
            _field(report, prefer, mine, "term_type", t.term_type, cid, name + ":term_type")
        if "term.note" not in ignored:
            _field(report, prefer, mine, "note", t.note, cid, name + ":note")
        if "term.usage" not in ignored and (t.usage != "forbidden" or mine.status == "deprecated"):
            _field(report, prefer, mine, "usage", t.usage, cid, name + ":usage")
        for attr in ("styles", "exclude"):  # lists: what the incoming term adds is taken
            if f"term.{attr}" in ignored:
                continue
            have = getattr(mine, attr)
            for v in getattr(t, attr):
                if v not in have:
                    have.append(v)
                    report.changes.append(Change("changed", cid, f"{name}:{attr}", None, v, "added"))
