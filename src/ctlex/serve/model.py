"""A concept as JSON and back, checked field by field, and the difference between two versions.

The JSON form holds every field of :class:`ctlex.glossary.Concept` and its terms and sources
(``extra`` included), so storing a concept and reading it back loses nothing::

    >>> from ctlex.glossary import Concept, Term
    >>> c = Concept("europol", "organization", terms=[Term("Europol", "en", "preferred")])
    >>> concept_from_json(concept_to_json(c)) == c
    True
    >>> [d["op"] for d in diff(concept_to_json(c), {**concept_to_json(c), "type": "group"})]
    ['changed']
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from ..errors import CtlexError
from ..glossary import Concept, Source, Term

__all__ = ["BadInput", "concept_to_json", "concept_from_json", "term_from_json", "diff", "languages"]


class BadInput(CtlexError):
    """A request body that does not describe a valid concept or term (HTTP 400)."""


_TERM_FIELDS = {f.name: f for f in fields(Term)}
_CONCEPT_FIELDS = {f.name: f for f in fields(Concept)}
_LIST_STR = {"extra", "styles", "exclude", "notes"}
_OPT_STR = {"pos", "term_type", "note", "usage", "subject", "definition"}
_BOOL = {"status_given"}
MAX_TEXT = 2000  # characters in one term, note or definition


def concept_to_json(c: Concept) -> dict[str, Any]:
    return asdict(c)


def _str(v: Any, where: str, *, optional: bool = False) -> str | None:
    if v is None and optional:
        return None
    if not isinstance(v, str):
        raise BadInput(f"{where}: expected a string")
    if len(v) > MAX_TEXT:
        raise BadInput(f"{where}: longer than {MAX_TEXT} characters")
    if "\x00" in v:
        raise BadInput(f"{where}: NUL character")
    return v


def _str_list(v: Any, where: str) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise BadInput(f"{where}: expected a list of strings")
    return [_str(x, f"{where}[{i}]") or "" for i, x in enumerate(v)]


def _object(d: Any, known: Any, where: str) -> None:
    """``d`` is a JSON object whose keys are all among ``known``, else :class:`BadInput`."""
    if not isinstance(d, dict):
        raise BadInput(f"{where}: expected an object")
    unknown = set(d) - set(known)
    if unknown:
        raise BadInput(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")


def term_from_json(d: Any, where: str = "term") -> Term:
    """A :class:`Term` from its JSON form; unknown keys and wrong types are :class:`BadInput`."""
    _object(d, _TERM_FIELDS, where)
    kw: dict[str, Any] = {}
    for k, v in d.items():
        if k in _LIST_STR:
            kw[k] = _str_list(v, f"{where}.{k}")
        elif k in _BOOL:
            if not isinstance(v, bool):
                raise BadInput(f"{where}.{k}: expected true or false")
            kw[k] = v
        else:
            kw[k] = _str(v, f"{where}.{k}", optional=k in _OPT_STR)
    for k in ("text", "lang"):
        if not kw.get(k):
            raise BadInput(f"{where}: {k} is required")
    if not kw["lang"].replace("-", "").isalnum() or len(kw["lang"]) > 35:
        raise BadInput(f"{where}.lang: not a language tag")
    kw.setdefault("status", "admitted")
    try:
        return Term(**kw)
    except CtlexError as e:
        raise BadInput(f"{where}: {e}") from None


def concept_from_json(d: Any, where: str = "concept") -> Concept:
    """A :class:`Concept` from its JSON form (see :func:`concept_to_json`), checked."""
    _object(d, _CONCEPT_FIELDS, where)
    cid = _str(d.get("id"), f"{where}.id")
    kw: dict[str, Any] = {"id": cid, "type": _str(d.get("type", "term"), f"{where}.type")}
    for k in ("subject", "definition"):
        kw[k] = _str(d.get(k), f"{where}.{k}", optional=True)
    kw["notes"] = _str_list(d.get("notes"), f"{where}.notes")
    kw["extra"] = _str_list(d.get("extra"), f"{where}.extra")
    from ..glossary import CONCEPT_TYPES

    if kw["type"] not in CONCEPT_TYPES:
        raise BadInput(f"{where}.type: unknown type {kw['type']!r} (known: {', '.join(CONCEPT_TYPES)})")
    sources = d.get("sources") or []
    if not isinstance(sources, list):
        raise BadInput(f"{where}.sources: expected a list")
    kw["sources"] = []
    for i, s in enumerate(sources):
        if not isinstance(s, dict) or set(s) - {"file", "sentence"}:
            raise BadInput(f"{where}.sources[{i}]: expected {{file, sentence}}")
        kw["sources"].append(Source(_str(s.get("file"), f"{where}.sources[{i}].file") or "",
                                    _str(s.get("sentence", ""), f"{where}.sources[{i}].sentence") or ""))
    terms = d.get("terms")
    if not isinstance(terms, list) or not terms:
        raise BadInput(f"{where}.terms: at least one term is required")
    if len(terms) > 500:
        raise BadInput(f"{where}.terms: more than 500 terms")
    kw["terms"] = [term_from_json(t, f"{where}.terms[{i}]") for i, t in enumerate(terms)]
    try:
        return Concept(**kw)
    except CtlexError as e:
        raise BadInput(f"{where}: {e}") from None


def _term_key(t: dict[str, Any]) -> tuple[str, str]:
    return (t["lang"], t["text"])


def diff(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What changed from ``old`` to ``new`` (JSON concepts; ``None`` = absent): one record per
    concept field changed and per term added, removed or changed (terms keyed by language and text)."""
    out: list[dict[str, Any]] = []
    if old is None or new is None:
        if old is not new:
            out.append({"op": "created" if old is None else "deleted", "field": "concept"})
        return out
    for k in ("type", "subject", "definition", "notes", "sources", "extra"):
        if old.get(k) != new.get(k):
            out.append({"op": "changed", "field": k, "old": old.get(k), "new": new.get(k)})
    before = {_term_key(t): t for t in old.get("terms", [])}
    after = {_term_key(t): t for t in new.get("terms", [])}
    for key, t in after.items():
        if key not in before:
            out.append({"op": "added", "field": "term", "lang": key[0], "text": key[1], "new": t})
        elif before[key] != t:
            fields_changed = {f: {"old": before[key].get(f), "new": t.get(f)} for f in t if before[key].get(f) != t.get(f)}
            out.append({"op": "changed", "field": "term", "lang": key[0], "text": key[1], "changes": fields_changed})
    for key, t in before.items():
        if key not in after:
            out.append({"op": "removed", "field": "term", "lang": key[0], "text": key[1], "old": t})
    return out


def languages(changes: list[dict[str, Any]], old: dict[str, Any] | None, new: dict[str, Any] | None) -> set[str]:
    """The languages a change touches: those of the terms it adds, removes or changes; a change
    to a concept-level field (or a whole new or deleted concept) touches every language in it."""
    langs = {c["lang"].split("-")[0] for c in changes if c.get("field") == "term"}
    if any(c.get("field") != "term" for c in changes):
        for d in (old, new):
            langs |= {t["lang"].split("-")[0] for t in (d or {}).get("terms", [])}
    return langs
