"""Where ctlex finds its data: the glossary and TM shipped in the wheel, or given by the user."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import NotFoundError

__all__ = ["data_dir", "glossary_path", "tm_files", "user_data_dir"]

GLOSSARY_ENV = "CTLEX_GLOSSARY"
_GLOSSARY_FILE = "ctlex.tbx"


def data_dir() -> Path:
    """The directory holding ``glossary/`` and ``tm/``.

    In an installed wheel the data lives in ``ctlex/data``; in a source checkout (editable install,
    tests) it is the repository root.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "data"
    if (packaged / "glossary").is_dir():
        return packaged
    checkout = here.parent.parent
    if (checkout / "glossary").is_dir():
        return checkout
    raise NotFoundError(f"ctlex data not found (looked in {packaged} and {checkout})")


def glossary_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` if given, else ``$CTLEX_GLOSSARY``, else the shipped ``glossary/ctlex.tbx``."""
    chosen = path or os.environ.get(GLOSSARY_ENV) or data_dir() / "glossary" / _GLOSSARY_FILE
    p = Path(chosen)
    if not p.is_file():
        raise NotFoundError(f"{p}: no such glossary file")
    return p


def tm_files() -> list[Path]:
    """The shipped translation-memory files (``tm/*.tmx``)."""
    d = data_dir() / "tm"
    return sorted(d.glob("*.tmx")) if d.is_dir() else []


def user_data_dir() -> Path:
    """Per-user data directory (XDG on Linux, ~/Library on macOS, %APPDATA% on Windows)."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "ctlex"
