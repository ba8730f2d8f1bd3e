"""Shared I/O helpers for format modules: atomic writes and the one safe XML parser."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

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


_ENTITY_ATTACK = ("amplification", "entity reference loop", "entities nesting", "entity loop")


def _unsafe_syntax(e: Exception, data: bytes, path: str) -> None:
    """libxml2 stops entity bombs itself ("Maximum entity amplification factor exceeded"): report
    those as the attack they are, at the declaration."""
    msg = str(e)
    if any(k in msg for k in _ENTITY_ATTACK):
        text = data.decode("utf-8", errors="replace")
        if "\x00" in text[:200]:
            text = data.decode("utf-16", errors="replace")
        m = re.search(r"<!ENTITY\s+(?:%\s+)?([^\s\x00]+)", text)
        _entity_decl(m.group(1) if m else "?", data, None, path)


def _entity_decl(name: str, data: bytes, encoding: str | None, path: str) -> None:
    try:
        text = data.decode(encoding or "utf-8", errors="replace")
    except LookupError:  # pragma: no cover - lxml only reports encodings it could read
        text = data.decode("utf-8", errors="replace")
    m = re.search(r"<!ENTITY\s+(%\s+)?" + re.escape(name) + r"\b", text)
    line = text.count("\n", 0, m.start()) + 1 if m else 1
    raise UnsafeXMLError(f"entity declaration <!ENTITY {name} …> is not allowed (possible XXE or entity expansion attack)", path, line)


def _refuse_entities(tree: Any, path: str, data: bytes) -> None:
    """Refuse a parsed document that declares entities (an internal DTD subset with ``<!ENTITY``:
    how XXE and "billion laughs" work) or that still holds an entity reference (``&nbsp;`` with
    only an external DTD, which the safe parser neither loads nor resolves).

    This runs on the parse itself, so it sees the whole file in any encoding libxml2 detects
    (UTF-8, UTF-16 LE/BE with or without BOM…), not a prefix of it."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        for decl in dtd.iterentities():
            _entity_decl(decl.name, data, tree.docinfo.encoding, path)
    from lxml import etree

    for el in tree.iter(etree.Entity):
        _entity_ref(el, path)
    if tree.docinfo.system_url is not None or tree.docinfo.public_id is not None:
        _scan_entity_refs([data], _xml_encoding(data[:256]), path)


_ENTITY_REF = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([^\W\d][\w.:-]*);")


def _xml_encoding(head: bytes) -> str:
    """The encoding of an XML document from its first bytes (BOM, UTF-16 pattern, declaration)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"\x00<\x00?") or head.startswith(b"\x00<"):
        return "utf-16-be"
    if head.startswith(b"<\x00?\x00") or head.startswith(b"<\x00"):
        return "utf-16-le"
    m = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", head)
    if m:
        try:
            return codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            return "utf-8"
    return "utf-8"


def _check_declared_encoding(head: bytes, path: str) -> None:
    """A UTF-16 document whose declaration names another encoding is a fatal error in XML 1.0
    (libxml2 reads it as UTF-16 anyway): refuse it rather than guess which one is wrong."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, family = head.decode("utf-16", errors="replace"), "UTF-16"
    elif head.startswith(b"<\x00"):
        text, family = head.decode("utf-16-le", errors="replace"), "UTF-16LE"
    elif head.startswith(b"\x00<"):
        text, family = head.decode("utf-16-be", errors="replace"), "UTF-16BE"
    else:
        return
    m = re.match(r"<\?xml[^>]*encoding=[\"']([^\"']+)[\"']", text.lstrip("\ufeff"))
    if m and not m.group(1).lower().replace("_", "-").startswith(("utf-16", "ucs-2", "iso-10646-ucs-2", "unicode")):
        raise ParseError(f"the XML declaration says encoding={m.group(1)!r} but the file is {family}", path, 1)


def _scan_entity_refs(chunks: Iterable[bytes], encoding: str, path: str) -> None:
    """Refuse any entity reference outside comments and CDATA, over the whole document.

    Needed when the document names an external DTD: libxml2 then accepts ``&nbsp;`` without
    knowing it and, in an attribute value, silently drops it.  The tree cannot show that loss,
    so the text itself is scanned (streamed, in the document's own encoding, with ``str.find``
    and one rare-match regex: about as fast as reading the file)."""
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    state: str | None = None  # None, "<!--" or "<![CDATA[" (inside a comment / CDATA section)
    closer = {"<!--": "-->", "<![CDATA[": "]]>"}
    line, carry = 1, ""
    it = iter(chunks)
    done = False
    while not done:
        chunk = next(it, None)
        done = chunk is None
        text = carry + dec.decode(chunk or b"", final=done)
        limit = len(text) if done else max(0, len(text) - 128)  # the tail is looked at with the next chunk
        pos = 0
        opener = {tok: text.find(tok) for tok in closer}  # next position of each opener (-1: none left)
        while pos < limit:
            if state is None:
                for tok, i in opener.items():
                    if 0 <= i < pos:
                        opener[tok] = text.find(tok, pos)
                starts = [(i, tok) for tok, i in opener.items() if i >= 0]
                nxt, tok = min(starts) if starts else (len(text), "")
                # bounded search (an entity name is shorter than 100 characters): linear, however many comments
                m = _ENTITY_REF.search(text, pos, min(nxt, limit) + 100)
                if m and m.start() < min(nxt, limit):
                    raise UnsafeXMLError(f"entity reference &{m.group(1)}; is not allowed (it is never resolved); use the character "
                                         "itself or a character reference such as &#160;", path, line + text.count("\n", 0, m.start()))
                if nxt >= limit:
                    pos = limit
                    break
                state, pos = tok, nxt + len(tok)
            else:
                close = closer[state]
                end = text.find(close, pos)
                if end < 0 or end >= limit:
                    pos = max(pos, limit - 8)  # a closer may straddle the boundary: look again
                    break
                state, pos = None, end + len(close)
        pos = min(pos, len(text))
        line += text.count("\n", 0, pos)
        carry = text[pos:]


def _file_chunks(path: str, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk


def _entity_ref(el: Any, path: str) -> None:
    raise UnsafeXMLError(f"entity reference &{el.name}; is not allowed (it is never resolved); use the character itself "
                         f"or a character reference such as &#160;", path, el.sourceline)


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
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        enc = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "UTF-8"
        raise ParseError(f"not valid {enc} (byte 0x{data[e.start]:02x})", path, line) from None
    refuse_nul(text, path)
    return text


def refuse_nul(text: str, path: str | os.PathLike[str] = "<input>") -> None:
    """A NUL character is never text (no CAT format and no XML can carry it): refuse it with its line."""
    i = text.find("\x00")
    if i >= 0:
        raise ParseError("NUL byte in text (binary or corrupt file?)", path, text.count("\n", 0, i) + 1)


def parse_xml(path: str | os.PathLike[str], data: bytes | None = None) -> Any:
    """Parse a whole XML document safely; errors become :class:`ParseError` with the line."""
    from lxml import etree

    spath = os.fspath(path)
    if data is None:
        data = read_bytes(path)
    if not data.strip() or not data.lstrip(codecs.BOM_UTF8).strip():
        raise ParseError("empty file", spath, 1)
    _check_declared_encoding(data[:512], spath)
    try:
        tree = etree.fromstring(data, safe_parser()).getroottree()
    except etree.XMLSyntaxError as e:
        _unsafe_syntax(e, data, spath)
        line, col = (e.position if getattr(e, "position", None) else (e.lineno, None))
        raise ParseError(_lxml_reason(e), spath, line, col) from None
    except ValueError as e:  # e.g. an encoding declaration lxml cannot honour
        raise ParseError(f"malformed XML ({e})", spath, 1) from None
    _refuse_entities(tree, spath, data)
    return tree


def _lxml_reason(e: Exception) -> str:
    msg = str(e)
    # lxml appends "(<string>, line N)"; we print our own location
    return msg.split(", line ")[0].rstrip(" (").replace("(<string>", "").strip() or "malformed XML"


def iterparse_xml(path: str | os.PathLike[str], tag: Any = None, events: tuple[str, ...] = ("end",), *,
                  select: bool = False) -> Iterator[tuple[str, Any]]:
    """Stream an XML file safely with ``lxml.etree.iterparse`` (entities refused, errors located).

    With ``select``, libxml2 itself picks the ``tag`` elements (``"{*}name"`` for any namespace)
    and only those reach Python: several times faster on a large file.  Entity references are
    then refused from the text: a document without a DTD cannot hold one (libxml2 rejects an
    undeclared entity), and any document with a DTD, internal or external, is scanned whole
    (:func:`_scan_entity_refs`) before its first element is yielded.  If no element matches,
    the root's ``start`` is still yielded (when asked for), so the caller can say what it got.
    """
    from lxml import etree

    spath = os.fspath(path)
    try:
        with open(spath, "rb") as f:
            head = f.read(65536)
    except OSError as e:
        raise ParseError(f"cannot read ({e.strerror})", spath) from None
    if not head.strip() or not head.lstrip(codecs.BOM_UTF8).strip():
        raise ParseError("empty file", spath, 1)
    _check_declared_encoding(head[:512], spath)
    # the guard needs "start" (DTD, as soon as the root opens) and "end" (entity references
    # inside each element, before the caller sees it) whatever the caller asked for
    wanted = set(events)
    tags = None if tag is None else {tag} if isinstance(tag, str) else set(tag)  # one tag or several
    checked = False
    node_checks = not select

    def guard(el: Any) -> None:
        info = el.getroottree().docinfo
        dtd = info.internalDTD
        if dtd is not None:
            for decl in dtd.iterentities():
                with open(spath, "rb") as f:  # the declarations all come before the root element
                    prefix = b"".join(f.readline() for _ in range(el.sourceline or 1))
                _entity_decl(decl.name, prefix, _xml_encoding(head[:256]), spath)
        if info.system_url is not None or info.public_id is not None or (select and dtd is not None):
            _scan_entity_refs(_file_chunks(spath), _xml_encoding(head[:256]), spath)

    try:
        if select:
            parse = etree.iterparse(spath, events=tuple(wanted), tag=tuple(tags or ()) or None, resolve_entities=False,
                                    no_network=True, load_dtd=False, huge_tree=False)
        else:
            parse = etree.iterparse(spath, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
                                    huge_tree=False)
        for ev, el in parse:
            if not checked:
                checked = True
                guard(el)
            if node_checks:
                if ev == "end":
                    for child in el:
                        if isinstance(child, etree._Entity):
                            _entity_ref(child, spath)
                if ev not in wanted or (tags is not None and el.tag not in tags):
                    continue
            yield ev, el
        if not checked and parse.root is not None:  # select: nothing matched
            guard(parse.root)
            if "start" in wanted:
                yield "start", parse.root
    except etree.XMLSyntaxError as e:
        _unsafe_syntax(e, head, spath)
        line, col = (e.position if getattr(e, "position", None) else (e.lineno, None))
        raise ParseError(_lxml_reason(e), spath, line, col) from None
