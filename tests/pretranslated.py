"""Pre-translated segments the exchange tests share: an exact TM match, a fuzzy match and a
segment with no match, as ctlex exports them for a CAT tool.  (``tests/`` is on ``sys.path``:
conftest puts it there.)"""

from __future__ import annotations

from ctlex.segment import Segment

def matched() -> list[Segment]:
    """Fresh copies each call, so no test module sees another's changes."""
    return [
        Segment("مرحبا بكم في بروكسل", "Welcome to Brussels", id="1",
                props={"match-quality": "100", "match-source": "مرحبا بكم في بروكسل", "match-target": "Welcome to Brussels"}),
        Segment("قال الوزير إن التعاون مستمر", "The minister said cooperation continues", id="2",
                props={"match-quality": "86", "match-source": "قال الوزير إن التعاون سيستمر", "match-target": "The minister said cooperation will continue"}),
        Segment("جملة بلا مطابقة", "", id="3"),
    ]
