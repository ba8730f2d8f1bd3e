"""ctlex.merge: by id or by terms; added / changed / conflicting; never a silent overwrite."""

from __future__ import annotations

from copy import deepcopy

from ctlex.glossary import Concept, Glossary, Term
from ctlex.merge import merge


def test_identical_import_changes_nothing(mini_glossary: Glossary) -> None:
    base = deepcopy(mini_glossary)
    r = merge(base, deepcopy(mini_glossary))
    assert r.summary() == {"added": 0, "changed": 0, "conflicts": 0, "unchanged": len(mini_glossary)}
    assert base == mini_glossary


def test_new_concept_is_added_and_new_term_appended(mini_glossary: Glossary) -> None:
    inc = Glossary([Concept("isis", "group", terms=[Term("ISIS", "en", "preferred"), Term("داعش", "ar", "preferred")]),
                    Concept("europol", "organization", terms=[Term("يوروبل", "ar", "admitted")])])
    r = merge(mini_glossary, inc)
    assert r.added == ["isis"]
    assert [(c.concept, c.field, c.new) for c in r.changes] == [("europol", "term:ar:يوروبل", "admitted")]
    assert "يوروبل" in [t.text for t in mini_glossary["europol"].terms]


def test_match_by_terms_when_ids_differ(mini_glossary: Glossary) -> None:
    inc = Glossary([Concept("gctf-forum", "organization", subject="multilateral fora", terms=[Term("gctf", "en", "admitted")])])
    r = merge(mini_glossary, inc)
    assert r.added == [] and r.changed == ["gctf"]
    assert mini_glossary["gctf"].subject == "multilateral fora"
    assert "gctf-forum" not in mini_glossary


def test_conflicts_keep_ours_and_are_reported(mini_glossary: Glossary) -> None:
    inc = Glossary([Concept("interpol", "organization", definition="Another definition.",
                            terms=[Term("Interpol", "en", "preferred"), Term("الانتربول", "ar", "preferred")])])
    r = merge(mini_glossary, inc)
    fields = {(c.field, c.old, c.new) for c in r.conflicts}
    assert ("definition", "International Criminal Police Organization.", "Another definition.") in fields
    assert ("term:en:Interpol:status", "deprecated", "preferred") in fields
    assert ("preferred:ar", "الإنتربول", "الانتربول") in fields
    c = mini_glossary["interpol"]
    assert c.definition == "International Criminal Police Organization."
    assert [t.status for t in c.terms if t.text == "Interpol"] == ["deprecated"]
    assert [t.status for t in c.terms if t.text == "الانتربول"] == ["admitted"]


def test_prefer_theirs_applies_and_reports_old_values(mini_glossary: Glossary) -> None:
    inc = Glossary([Concept("interpol", "organization", definition="Another definition.", terms=[Term("INTERPOL", "en", "preferred")])])
    r = merge(mini_glossary, inc, prefer="theirs")
    assert not r.conflicts
    assert [(c.field, c.old, c.new) for c in r.changes] == [("definition", "International Criminal Police Organization.", "Another definition.")]
    assert mini_glossary["interpol"].definition == "Another definition."


def test_ambiguous_term_match_is_a_conflict() -> None:
    base = Glossary([Concept("a", terms=[Term("الاتحاد", "ar", "preferred")]), Concept("b", terms=[Term("Union", "en", "preferred")])])
    r = merge(base, Glossary([Concept("x", terms=[Term("الاتحاد", "ar", "preferred"), Term("Union", "en", "preferred")])]))
    assert [c.field for c in r.conflicts] == ["concept"] and len(base) == 2


def test_fields_a_format_cannot_carry_are_not_differences(mini_glossary: Glossary) -> None:
    inc = Glossary([Concept("europol", terms=[Term("Europol", "en", "preferred")])])  # no type, pos … as from OmegaT TSV
    r = merge(mini_glossary, inc, ignore={"concept.type", "term.pos"})
    assert r.summary()["conflicts"] == 0 and r.unchanged == ["europol"]
    assert mini_glossary["europol"].type == "organization"


def test_docstring_examples() -> None:
    import doctest

    import ctlex.merge

    assert doctest.testmod(ctlex.merge).failed == 0
