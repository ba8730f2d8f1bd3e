"""Where the TM lives: the user's store, the shipped data's cache, and :func:`open_tm`."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import CtlexError, WriteError
from .backends import open_store
from .multi import TM
from .store import Store

TM_ENV = "CTLEX_TM"


def user_tm_path() -> Path:
    """The user's own TM: ``$CTLEX_TM``, else ``<user data dir>/tm.sqlite``."""
    from ..data import user_data_dir

    env = os.environ.get(TM_ENV)
    return Path(env) if env else user_data_dir() / "tm.sqlite"


def shipped_store() -> Store | None:
    """The shipped ``tm/*.tmx`` files as a read-only store, cached as SQLite in the user data dir.

    The cache is rebuilt (atomically: built aside, then renamed) whenever the shipped files change.
    """
    from ..data import tm_files, user_data_dir

    files = tm_files()
    if not files:
        return None
    sig = json.dumps([[f.name, f.stat().st_size, int(f.stat().st_mtime)] for f in files])
    cache = user_data_dir() / "cache" / "shipped-tm.sqlite"
    if cache.exists():
        try:
            s = Store(cache, readonly=True)
            row = s.db.execute("SELECT value FROM meta WHERE key = 'shipped'").fetchone()
            if row and row[0] == sig:
                return s
            s.close()
        except CtlexError:
            pass
    _remove_stale(cache)
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with Store(tmp) as s:
            s.import_files(files)
            s.db.execute("INSERT OR REPLACE INTO meta VALUES ('shipped', ?)", (sig,))
            s.db.execute("PRAGMA journal_mode = DELETE")  # read-only from now on: no WAL files needed
        os.replace(tmp, cache)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{tmp}{suffix}"):
                os.unlink(f"{tmp}{suffix}")
    except (OSError, WriteError):  # no writable data directory: keep the shipped TM in memory
        mem = Store(":memory:")
        mem.import_files(files)
        mem.readonly = True  # the shipped data: never where a user's import goes
        return mem
    finally:
        if tmp.exists():
            tmp.unlink()
    return Store(cache, readonly=True)


def _remove_stale(cache: Path) -> None:
    """Remove the build files of a cache whose builder died (``.NAME.PID.tmp``, PID gone)."""
    try:
        names = os.listdir(cache.parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(f".{cache.name}.") or ".tmp" not in name:
            continue
        pid = name[len(cache.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            os.unlink(cache.parent / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def open_tm(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> TM:
    """The TM for ``ctlex tm``: the store at ``path`` (an SQLite file or a ``postgresql://`` URL,
    see :func:`ctlex.tm.open_store`), or by default the shipped data plus the
    user TM (created on the first import).  With ``create=False`` a missing ``path`` is an
    error instead of a new empty store (for commands that only read).

    Example:
        >>> tm = open_tm(":memory:")
        >>> tm.stats()["segments"]
        0
    """
    if path is not None:
        return TM([open_store(path, create=create)])
    return default_tm()


def default_tm() -> TM:
    """Shipped ``tm/`` data (read-only cache) plus the user TM (see :func:`user_tm_path`)."""
    stores: list[Store] = []
    shipped = shipped_store()
    if shipped is not None:
        stores.append(shipped)
    user = user_tm_path()
    writable = None
    if user.exists():
        writable = Store(user)
        stores.append(writable)
    return TM(stores, writable, user_path=os.fspath(user))
