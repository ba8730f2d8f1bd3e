"""Translation memory: an SQLite store of aligned segments, fuzzy search and concordance.

One noun, :class:`Store` (one SQLite file), holds :class:`ctlex.segment.Segment`\\ s; :class:`TM`
puts several stores behind one interface (the shipped ``tm/`` data plus the user's own TM).

The package, one idea a module (imports run one way, top to bottom):

``records``  result dataclasses · ``keys``  normalized keys and hashes · ``postings``  the inverted
index · ``db``  SQLite schema, connections, transactions, migrations · ``workers``  the helper
process that normalizes large imports · ``importer``  adding segments · ``search``  fuzzy search ·
``concord``  concordance · ``backend``  the :class:`StoreBackend` protocol · ``backends``  :func:`open_store`, a store by file or URL ·
``pg``  the PostgreSQL backend · ``store``  the SQLite
:class:`Store` · ``multi``  :class:`TM`, several stores as one · ``location``  where the TM lives.

Layout of a store (see :data:`SCHEMA`):

``segment``
    One row per distinct (source, target) pair: the original texts, languages, origin, properties
    (JSON), note, dates and ``dkey``, a 64-bit hash of both sides' ``arabic.key`` texts.  Importing
    a pair that is already there *merges* it: ``count`` goes up, the origin is added to
    ``origins``, new properties are added, the earliest creation and latest change dates are kept.
``seglen``
    The length of each source key, as packed ``int32`` runs (``first`` id, lengths): search loads
    it once into a numpy array and skips segments too short or too long to reach ``min_score``.
``postings``
    An inverted index from keys to the ids of the segments containing them: source words, source
    word bigrams (``"w1 w2"``) and target words (prefixed with a tab), at ``key`` level.  Ids are
    stored sorted, as the first id and the gaps to the next ones, each gap in 1, 2 or 4 bytes
    (:func:`ctlex.tm.postings.unpack_ids`).  An import writes one chunk per key (per flush, for
    imports too large to index in one pass), so a key may have several chunks.

The first import into a new store builds it in a temporary file beside it (no journal writes,
no syncing) that then becomes the store at once; later imports write in one WAL transaction.

Fuzzy search (:meth:`Store.search`) is *index, then re-rank*: the query's rarest words and
bigrams (up to a postings budget) vote, weighted by idf, for segments (numpy over an array
indexed by segment id), the length bound drops segments that cannot reach ``min_score``, the
best-voted candidates' sources are normalized and re-scored with RapidFuzz (the budgets are
constants, so a search costs about the same in a store of any size), and :meth:`Store.search_exhaustive` is the
slow twin that scores every segment, against which the index's recall is measured.  Scores are
the translator's familiar percentage: ``100 × (1 − Levenshtein distance / length of the longer
text)`` on the ``key`` normalization, so tatweel, diacritics, alef forms, punctuation and case
never cost points; the original texts are returned.

Example:
    >>> from ctlex.segment import Segment
    >>> tm = Store(":memory:")
    >>> tm.add([Segment("أعلن اليوروبول عن عملية جديدة", "Europol announced a new operation")]).added
    1
    >>> m = tm.search("أعلن اليوروبول عن عمليه جديده")[0]
    >>> (m.score, m.target)
    (100.0, 'Europol announced a new operation')
"""

from __future__ import annotations

from .backend import StoreBackend
from .backends import open_store
from .db import SCHEMA, SCHEMA_VERSION
from .keys import search_key, similarity
from .location import TM_ENV, default_tm, open_tm, shipped_store, user_tm_path
from .multi import TM
from .postings import postings_rows as _postings_rows
from .postings import unpack_ids as _unpack_ids
from .records import CandidatePlan, ConcordanceHit, ImportReport, Match
from .store import Store

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "Store",
    "StoreBackend",
    "TM",
    "TM_ENV",
    "Match",
    "ConcordanceHit",
    "ImportReport",
    "CandidatePlan",
    "open_tm",
    "open_store",
    "default_tm",
    "shipped_store",
    "user_tm_path",
    "similarity",
    "search_key",
    "_postings_rows",
    "_unpack_ids",
]
