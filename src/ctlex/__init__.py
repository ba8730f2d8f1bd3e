"""ctlex — Arabic–English counter-terrorism terminology and translation memory.

Quick start::

    >>> import ctlex
    >>> g = ctlex.load_glossary()                 # the glossary shipped with ctlex
    >>> g.lookup("وليوروبول")[0].concept.id
    'europol'
    >>> [(h.text, h.match) for h in g.scan("التعاون مع اليوروبول")]  # the article is a clitic here
    [('يوروبول', 'clitic')]

The package imports nothing heavy at start-up; submodules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Concept",
    "Glossary",
    "Hit",
    "Match",
    "Segment",
    "Source",
    "Term",
    "CtlexError",
    "ParseError",
    "load_glossary",
    "normalize",
    "__version__",
]

_LAZY = {
    "Concept": ("glossary", "Concept"),
    "Glossary": ("glossary", "Glossary"),
    "Hit": ("glossary", "Hit"),
    "Match": ("glossary", "Match"),
    "Source": ("glossary", "Source"),
    "Term": ("glossary", "Term"),
    "load_glossary": ("glossary", "load"),
    "Segment": ("segment", "Segment"),
    "normalize": ("arabic", "normalize"),
    "CtlexError": ("errors", "CtlexError"),
    "ParseError": ("errors", "ParseError"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .arabic import normalize
    from .errors import CtlexError, ParseError
    from .glossary import Concept, Glossary, Hit, Match, Source, Term
    from .glossary import load as load_glossary
    from .segment import Segment


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'ctlex' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
