"""The optional compiled extensions (``ctlex._native*``): each one loaded once, or None.

An extension is None when it was not built (no C compiler where the wheel was made) or when
``CTLEX_NO_NATIVE=1`` asks for the pure-Python paths; every caller then takes its Python twin,
which gives identical results (tests compare the two).
"""

from __future__ import annotations

import importlib
import os
from typing import Any


def load(name: str) -> Any:
    """The module ``ctlex.<name>``, or None (not built, or switched off by ``CTLEX_NO_NATIVE``)."""
    if os.environ.get("CTLEX_NO_NATIVE", "") not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"ctlex.{name}")
    except ImportError:
        return None
