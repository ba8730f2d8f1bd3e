"""Recognition: one matcher for lookup, scan and check.

- :mod:`.variants` — every variant table (proclitics, enclitics, endings, compound names, sound
  classes) and the generators built on them;
- :mod:`.names` — short forms of person names, derived from their terms;
- :mod:`.references` — numbered references (Security Council resolutions, EU acts, UN documents);
- :mod:`.guard` — word frequencies that keep weak evidence off ordinary words;
- :mod:`.context` — when a candidate is not the concept in its sentence (exclusion globs,
  adjectives, another person's given name);
- :mod:`.spellings` — media spellings of names, through skeletons, for words the automaton
  left uncovered;
- :mod:`.fuzzy` — the trigram index and RapidFuzz scoring of fuzzy lookup;
- :mod:`.index` — the automaton, verification, overlap resolution, lookup.

Imports run one way: ``index`` uses the others; none of them imports ``index``.
"""

from __future__ import annotations

__all__ = ["Matcher", "MATCH_KINDS"]

#: Every match kind lookup and scan report, strongest first.
MATCH_KINDS: tuple[str, ...] = ("exact", "pattern", "normalized", "clitic", "variant", "related", "short-form", "fuzzy")


def __getattr__(name: str):  # lazy: the automaton library loads with the first glossary index
    if name == "Matcher":
        from .index import Matcher

        return Matcher
    raise AttributeError(name)
