"""The common model of bilingual formats: one aligned segment (a translation unit)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Segment"]


@dataclass
class Segment:
    """A source text and its translation, with where it came from.

    ``origin`` names the file and unit (e.g. ``articles.tmx#000-p3-s2``); ``props`` holds the
    format's extra properties (TMX ``<prop>``, PO comments…) so nothing is lost on a round trip.
    Dates are ISO 8601 strings (TMX's ``20190614T120000Z`` form is converted on reading).
    """

    source: str
    target: str
    source_lang: str = "ar"
    target_lang: str = "en"
    id: str | None = None
    origin: str | None = None
    props: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    created: str | None = None
    changed: str | None = None
