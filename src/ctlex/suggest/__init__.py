"""Suggest English renderings of Arabic terms from aligned segments, and propose new entries.

The input is an :class:`AlignedSet`: Arabic–English segments (a TM, or any bilingual file that
:func:`ctlex.formats.read_segments` reads) indexed once on both sides.

:func:`suggest` ranks English candidates for one Arabic term:

1. **Where the term occurs.**  Segments whose source contains the term are found with the glossary
   index machinery (a one-concept :class:`~ctlex.glossary.Glossary` scanned over candidate
   segments picked from an inverted index of key-level tokens and their clitic readings), so
   spelling variants, proclitics (و ب ل ال …) and plural endings all match.
2. **Candidates.**  English n-grams of those segments' targets that neither start nor end with a
   function word and do not cross punctuation.
3. **Association.**  Each candidate is scored with the Dice coefficient over the *whole* set,
   ``2·c / (n_term + n_candidate)``, where ``c`` counts segments holding both; the
   log-likelihood ratio (G²) of the same 2×2 table is kept as evidence.  A word that occurs
   everywhere ("said", "minister") has a large ``n_candidate`` and loses.
4. **Names.**  Unless the glossary says the term is a common term or role, each capitalised
   candidate's score is raised to the mean of its score and its transliteration similarity to the
   term (:func:`ctlex.romanize.similarity`), so a name seen in one or two segments still finds
   its rendering among equally rare words; the result says ``name_like`` when some candidate
   reaches 0.75.
5. **Complete phrases.**  A candidate gives way to a longer one containing it when the longer
   one occurs in at least 80% of its segments and every added word is itself associated with the
   term (Global Counterterrorism Forum over Counterterrorism Forum, but not "Europol said").
6. **Acronyms** are linked to an expansion among the candidates (GCTF ↔ Global Counterterrorism
   Forum), **casing** is the most frequent one seen, and when the glossary has the concept each
   suggestion says whether it is the preferred, an admitted or a deprecated term.

:func:`suggest_new` finds recurring Arabic n-grams that no glossary term covers and proposes an
entry for each one with a confident rendering; :func:`draft_glossary` turns the proposals into a
:class:`~ctlex.glossary.Glossary` whose terms are all ``admitted`` (for review, never preferred).

Everything here is a pure function returning records with their evidence (segment ids, counts);
ties are broken by text so output is stable.  Nothing prints.
"""

from .aligned import AlignedSet
from .new_terms import draft_glossary, suggest_new
from .rank import suggest
from .records import NewEntry, Suggestion, SuggestResult
from .tokens import EN_STOP, acronym_of, english_tokens

__all__ = [
    "AlignedSet",
    "Suggestion",
    "SuggestResult",
    "NewEntry",
    "suggest",
    "suggest_new",
    "draft_glossary",
    "english_tokens",
    "acronym_of",
    "EN_STOP",
]
