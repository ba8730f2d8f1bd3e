"""One exception hierarchy for ctlex.

Every error a user can cause (a bad file, an unknown format, an unsafe document) is a
:class:`CtlexError`.  Library code raises these and never prints; the CLI turns them into one
line on stderr and exit status 2 in a single place.
"""

from __future__ import annotations

import os

__all__ = [
    "CtlexError",
    "ParseError",
    "UnsafeXMLError",
    "UnknownFormatError",
    "WriteError",
    "NotFoundError",
]


class CtlexError(Exception):
    """Root of every error ctlex raises on purpose."""


class ParseError(CtlexError):
    """Input that cannot be read.  Formats as ``path:line:col: reason`` (like a compiler)."""

    def __init__(
        self,
        reason: str,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.path or "<input>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return f"{':'.join(where)}: {self.reason}"


class UnsafeXMLError(ParseError):
    """XML that declares entities or a DTD subset we refuse to expand (XXE, billion laughs)."""


class UnknownFormatError(CtlexError):
    """A format name or file extension ctlex does not know; the message lists the known ones."""


class WriteError(CtlexError):
    """Output could not be written; the previous file, if any, is left untouched."""


class NotFoundError(CtlexError):
    """A file, concept or resource that does not exist."""
