"""Shared I/O helpers for format modules: atomic writes and the one safe XML parser."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import ParseError, UnsafeXMLError, WriteError

__all__ = ["atomic_write", "clean_stale_temps", "parse_xml", "safe_parser", "iterparse_xml", "read_text", "decode_text"]


TMP_SUFFIX = ".tmp"


def _tmp_prefix(target: Path) -> str:
    return f".{target.name}."


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale_temps(target: str | os.PathLike[str]) -> list[str]:
    """Remove the temporary files that writes of ``target`` by dead processes left behind (a
    ``kill -9`` or a power cut between creating and renaming them); returns their names.

    Temporary files are named ``.NAME.PID.RANDOM.tmp``: one whose process still runs is another
    writer's, and is left alone."""
    t = Path(target)
    directory = t.parent if str(t.parent) else Path(".")
    prefix = _tmp_prefix(t)
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(TMP_SUFFIX)):
            continue
        pid_part = name[len(prefix):].split(".", 1)[0]
        if not pid_part.isdigit() or _pid_alive(int(pid_part)):
            continue
        try:
            os.unlink(directory / name)
            removed.append(name)
        except OSError:
            pass
    return removed


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO[Any]]:
    """Write to a temporary file next to ``path`` and rename it over ``path`` on success.

    If the body raises, the temporary file is removed and ``path`` is left as it was.  Operating
    system errors of the write itself (full disk, quota, read-only file or directory) become one
    :class:`WriteError` naming ``path``.  A read-only ``path`` is refused, not replaced.
    Temporary files left by killed writers of the same ``path`` are removed first
    (:func:`clean_stale_temps`).
    """
    target = Path(path)
    if target.exists() and target.is_dir():
        raise WriteError(f"{target}: is a directory")
    if target.exists() and not target.stat().st_mode & 0o222:
        raise WriteError(f"{target}: cannot write (the file is read-only)")
    directory = target.parent if str(target.parent) else Path(".")
    existed = target.exists()
    clean_stale_temps(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{_tmp_prefix(target)}{os.getpid()}.", suffix=TMP_SUFFIX, dir=directory)
    except FileNotFoundError:
        raise WriteError(f"{target}: cannot write (no such directory: {directory})") from None
    except OSError as e:
        raise WriteError(f"{target}: cannot write ({e.strerror})") from None
    try:
        if "b" in mode:
            f = os.fdopen(fd, mode)
        else:
            f = os.fdopen(fd, mode, encoding=encoding, newline=newline)
        try:
            with f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as e:
            if e.filename is not None and os.fspath(e.filename) not in (tmp, os.fspath(target)):
                raise  # an error of some other file the body was reading: not ours to rename
            kept = "; the old file is unchanged" if existed else ""
            raise WriteError(f"{target}: cannot write ({e.strerror or e}){kept}") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def safe_parser(**kw: Any) -> Any:
    """An lxml parser that never resolves entities, never touches the network and never expands
    huge trees.  Every XML format goes through this (or :func:`iterparse_xml`)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=kw.pop("remove_blank_text", False), **kw)


def _refuse_doctype_entities(head: bytes, path: str) -> None:
    # A DOCTYPE with an internal subset that declares entities is how XXE and "billion laughs"
    # attacks work; no CAT format needs one, so refuse them outright.
    probe = head[:65536]
    for enc in ("utf-8", "utf-16"):
        try:
            text = probe.decode(enc, errors="ignore")
        except Exception:  # pragma: no cover
            continue
        if "<!ENTITY" in text:
            line = text[: text.index("<!ENTITY")].count("\n") + 1
            raise UnsafeXMLError("entity declarations are not allowed (possible XXE or entity expansion attack)", path, line)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        from ..errors import NotFoundError

        raise NotFoundError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ParseError("is a directory", p) from None
    except OSError as e:
        raise ParseError(f"cannot read ({e.strerror})", p) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is a ParseError with a line."""
    return decode_text(read_bytes(path), path)


def decode_text(data: bytes, path: str | os.PathLike[str] = "<stdin>") -> str:
    """Decode like :func:`read_text` (for bytes from a pipe or an upload)."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        enc = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "UTF-8"
        raise ParseError(f"not valid {enc} (byte 0x{data[e.start]:02x})", path, line) from None


def parse_xml(path: str | os.PathLike[str], data: bytes | None = None) -> Any:
    """Parse a whole XML document safely; errors become :class:`ParseError` with the line."""
    from lxml import etree

    spath = os.fspath(path)
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise ParseError("empty file", spath, 1)
    _refuse_doctype_entities(data, spath)
    try:
        return etree.fromstring(data, safe_parser()).getroottree()
    except etree.XMLSyntaxError as e:
        line, col = (e.position if getattr(e, "position", None) else (e.lineno, None))
        raise ParseError(_lxml_reason(e), spath, line, col) from None


def _lxml_reason(e: Exception) -> str:
    msg = str(e)
    # lxml appends "(<string>, line N)"; we print our own location
    return msg.split(", line ")[0].rstrip(" (").replace("(<string>", "").strip() or "malformed XML"


def iterparse_xml(path: str | os.PathLike[str], tag: Any = None, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    """Stream an XML file safely with ``lxml.etree.iterparse`` (entities refused, errors located)."""
    from lxml import etree

    spath = os.fspath(path)
    with open(spath, "rb") as f:
        head = f.read(65536)
    if not head.strip():
        raise ParseError("empty file", spath, 1)
    _refuse_doctype_entities(head, spath)
    try:
        for ev, el in etree.iterparse(spath, events=events, tag=tag, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False):
            yield ev, el
    except etree.XMLSyntaxError as e:
        line, col = (e.position if getattr(e, "position", None) else (e.lineno, None))
        raise ParseError(_lxml_reason(e), spath, line, col) from None
