"""A strict GNU gettext PO parser: what ``msgfmt -c`` refuses, ctlex refuses, with file:line.

polib (which ctlex still uses to *write* PO) accepts broken files: an entry without ``msgstr`` is
merged with the next one, an unquoted or unterminated ``msgid`` loses letters.  This parser reads
the PO grammar exactly::

    entry   := comment* ["msgctxt" string+] "msgid" string+
               ( "msgstr" string+ | "msgid_plural" string+ ("msgstr[" N "]" string+)+ )
    string  := '"' (char | escape)* '"'    (one per line, nothing after it)

and decodes the file in the charset its header declares (``charset=CP1256`` is honoured).
Duplicate (msgctxt, msgid) pairs are refused like ``msgfmt`` does.  Obsolete ``#~`` entries are
counted, not parsed.  The result keeps the *physical* comment lines, so a reader can undo the
wrapping a PO editor adds (:func:`unwrap_extracted`, :func:`unwrap_notes`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..errors import ParseError

__all__ = ["PoEntry", "PoFile", "parse", "unwrap_extracted", "unwrap_notes"]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:\-]+)")


@dataclass
class PoEntry:
    linenum: int  # line of the first keyword (msgctxt or msgid)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    extracted: list[tuple[int, str]] = field(default_factory=list)  # "#." lines: (line, text)
    translator: list[tuple[int, str]] = field(default_factory=list)  # "# " lines: (line, text)
    has_msgstr: bool = False
    msgid_line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass
class PoFile:
    header: PoEntry | None
    metadata: dict[str, str]
    entries: list[PoEntry]
    obsolete: int = 0
    charset: str = "utf-8"


def _unquote(raw: str, start: int, path: str, line: int, last_line: bool) -> str:
    """The string that starts at ``raw[start]`` (a ``"``); it must close on this line."""
    if start >= len(raw) or raw[start] != '"':
        raise ParseError("syntax error: expected a string in double quotes", path, line, start + 1)
    out: list[str] = []
    i = start + 1
    while i < len(raw):
        ch = raw[i]
        if ch == '"':
            rest = raw[i + 1:]
            if rest.strip():
                raise ParseError("syntax error: text after the closing quote", path, line, i + 2)
            return "".join(out)
        if ch == "\\":
            i += 1
            if i >= len(raw):
                break
            e = raw[i]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
            elif e in "01234567":
                m = re.match(r"[0-7]{1,3}", raw[i:])
                assert m is not None
                out.append(chr(int(m.group(), 8)))
                i += len(m.group()) - 1
            elif e == "x" and re.match(r"[0-9A-Fa-f]", raw[i + 1:i + 2]):
                m = re.match(r"[0-9A-Fa-f]{1,2}", raw[i + 1:])
                assert m is not None
                out.append(chr(int(m.group(), 16)))
                i += len(m.group())
            else:
                raise ParseError(f"invalid control sequence \\{e}", path, line, i)
        else:
            out.append(ch)
        i += 1
    raise ParseError("end-of-file within string" if last_line else "end-of-line within string (missing closing quote)", path, line)


def _charset(data: bytes) -> str | None:
    """The charset the header declares: in the first entry whose msgid is empty."""
    head = data[:65536]
    m = re.search(rb'(?m)^msgid\s+""\s*$', head)
    if not m:
        return None
    block = head[m.end():]
    nxt = re.search(rb"\n[ \t\r]*\n", block)  # the header entry ends at the first blank line
    block = block[: nxt.start()] if nxt else block
    cm = _CHARSET.search(block)
    return cm.group(1).decode("ascii") if cm else None


def parse(data: bytes, path: str) -> PoFile:
    """Parse PO bytes strictly; every error is a :class:`ParseError` with the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("PO files cannot be UTF-16 (gettext needs an ASCII-compatible charset)", path, 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError("NUL byte in text (binary or corrupt file?)", path, data.count(b"\n", 0, nul) + 1)
    declared = _charset(data)
    charset = "utf-8"
    if declared and declared.upper() != "CHARSET":
        try:
            charset = codecs.lookup(declared).name
        except LookupError:
            raise ParseError(f"unknown charset {declared!r} in the PO header", path, 1) from None
        if charset.startswith(("utf-16", "utf-32")):
            raise ParseError(f"charset {declared!r} is not ASCII-compatible; gettext cannot read it", path, 1)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as e:
        raise ParseError(f"not valid {declared or 'UTF-8'} (byte 0x{data[e.start]:02x})", path, data.count(b"\n", 0, e.start) + 1) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    n_lines = len(lines)

    entries: list[PoEntry] = []
    obsolete = 0
    pending = PoEntry(0)  # comments collect here until a keyword opens the entry
    cur: PoEntry | None = None
    field_name: str | None = None  # which field continuation strings extend
    state = "start"  # start | ctxt | id | plural | str

    def finish(at: int) -> None:
        nonlocal cur, pending, state, field_name
        if cur is None:
            return
        if not cur.has_msgstr:
            raise ParseError(f"missing 'msgstr' section (entry starting at line {cur.linenum})", path, at)
        entries.append(cur)
        cur, field_name, state = None, None, "start"

    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            if state not in ("start", "str"):
                raise ParseError("syntax error: comment inside an entry", path, n)
            if state == "str":
                finish(n)
            if s.startswith("#~"):
                if re.match(r"#~\s*msgid\b", s):
                    obsolete += 1
                continue
            if s.startswith("#,"):
                pending.flags.extend(f.strip() for f in s[2:].split(",") if f.strip())
            elif s.startswith("#."):
                pending.extracted.append((n, s[2:].removeprefix(" ") if s[2:3] == " " else s[2:]))
            elif s.startswith(("#:", "#|")):
                pass
            else:
                body = line.lstrip()[1:]
                pending.translator.append((n, body[1:] if body.startswith(" ") else body))
            continue
        if s.startswith('"'):
            if cur is None or field_name is None:
                raise ParseError("syntax error: a string outside an entry", path, n)
            value = _unquote(s, 0, path, n, n == n_lines)
            if field_name.startswith("msgstr["):
                k = int(field_name[7:-1])
                cur.msgstr_plural[k] += value
            else:
                setattr(cur, field_name, (getattr(cur, field_name) or "") + value)
            continue
        m = _KEYWORD.match(s)
        if not m:
            word = s.split(None, 1)[0].split('"', 1)[0]
            raise ParseError(f"syntax error: keyword {word!r} unknown", path, n)
        kw = m.group(1)
        value = _unquote(s, len(kw) + (len(s[len(kw):]) - len(s[len(kw):].lstrip())), path, n, n == n_lines)
        if kw == "msgctxt":
            if state == "str":
                finish(n)
            elif state != "start":
                raise ParseError(f"missing 'msgstr' section (entry starting at line {cur.linenum if cur else n})"
                                 if state in ("id", "plural") else "syntax error: msgctxt twice", path, n)
            cur, pending = pending, PoEntry(0)
            cur.linenum, cur.msgctxt, field_name, state = n, value, "msgctxt", "ctxt"
        elif kw == "msgid":
            if state == "str":
                finish(n)
            elif state in ("id", "plural"):
                raise ParseError(f"missing 'msgstr' section (entry starting at line {cur.linenum if cur else n})", path, n)
            if state == "start":
                cur, pending = pending, PoEntry(0)
                cur.linenum = n
            assert cur is not None
            cur.msgid, cur.msgid_line, field_name, state = value, n, "msgid", "id"
        elif kw == "msgid_plural":
            if state != "id" or cur is None:
                raise ParseError("syntax error: msgid_plural without msgid", path, n)
            cur.msgid_plural, field_name, state = value, "msgid_plural", "plural"
        else:  # msgstr / msgstr[N]
            idx = m.group(2)
            if cur is None or state in ("start", "ctxt"):
                raise ParseError("syntax error: msgstr without msgid", path, n)
            if idx is None:
                if state != "id":
                    raise ParseError("syntax error: msgstr after msgid_plural needs an index (msgstr[0])" if state == "plural"
                                     else "syntax error: msgstr twice", path, n)
                cur.msgstr, field_name = value, "msgstr"
            else:
                if state == "id":
                    raise ParseError("syntax error: msgstr[N] without msgid_plural", path, n)
                k = int(idx)
                if k != len(cur.msgstr_plural):
                    raise ParseError(f"syntax error: msgstr[{k}] out of order", path, n)
                cur.msgstr_plural[k] = value
                field_name = f"msgstr[{k}]"
            cur.has_msgstr, state = True, "str"
    finish(n_lines + 1)

    # duplicates (msgfmt: "duplicate message definition")
    seen: dict[tuple[str | None, str], int] = {}
    for e in entries:
        key = (e.msgctxt, e.msgid)
        if key in seen:
            raise ParseError(f"duplicate message definition (first defined at line {seen[key]})", path, e.linenum)
        seen[key] = e.linenum
    header = None
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        header = entries.pop(0)
    for e in entries:
        if e.msgid == "" and e.msgctxt is None:
            raise ParseError("an entry with an empty msgid (only the header may have one)", path, e.linenum)
    metadata: dict[str, str] = {}
    if header is not None:
        for ln in header.msgstr.split("\n"):
            k, sep, v = ln.partition(":")
            if sep and k.strip():
                metadata[k.strip()] = v.strip()
    return PoFile(header, metadata, entries, obsolete, charset)


# -- undoing an editor's wrapping -----------------------------------------------------------------

_LT = r"[^\d\W]"
_HYPHEN_END = re.compile(rf"(?:{_LT}{{2}}|{_LT}-{_LT})-$|\w--+$")
_HYPHEN_START = re.compile(rf"^(?:{_LT}-?{_LT})|^--+\w")


def _join(prev: str, cont: str) -> str:
    """Undo one textwrap break: at a space (dropped), or after a hyphen/before an em-dash (kept)."""
    if (_HYPHEN_END.search(prev) and re.match(r"^\w", cont)) or (re.search(r"\w$", prev) and cont.startswith("--")):
        return prev + cont
    return prev + " " + cont


def unwrap_extracted(lines: list[str], keys: tuple[str, ...]) -> list[str]:
    """``#.`` lines back to the logical lines a writer made: a line not starting with one of
    ``keys`` continues the previous one (polib and Poedit wrap comments at 78 columns)."""
    out: list[str] = []
    for line in lines:
        if out and not line.startswith(keys):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return out


def unwrap_notes(lines: list[str], prefix: str = "# ", width: int = 78) -> list[str]:
    """Translator-comment lines back to notes: notes are separated by empty comment lines; inside
    a note a line break is a wrap when the next word could not have fitted on the line."""
    notes: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            notes.append([])
            continue
        cur = notes[-1]
        if cur:
            prev = cur[-1]
            if _HYPHEN_END.search(prev) and re.match(r"\w", line):  # broken after a hyphen?
                fits = len(prefix) + len(prev) + len(line.split(" ", 1)[0]) <= width
            else:
                fits = len(prefix) + len(prev) + 1 + len(line.split(" ", 1)[0]) <= width
            if not fits:  # textwrap could not have kept the next word here: this break is a wrap
                cur[-1] = _join(prev, line)
                continue
        cur.append(line)
    return ["\n".join(n) for n in notes if n]
