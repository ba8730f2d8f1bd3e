"""Database URLs: which targets name a PostgreSQL database, and how to print one without its
password.  Light on purpose (no driver, no package imports): every command that takes a file or a
URL (``--tm``, ``--glossary``, ``ctlex serve --db``) asks here first."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["SCHEMES", "is_url", "redact"]

SCHEMES = ("postgresql://", "postgres://")


def is_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database (``postgresql://…`` or ``postgres://…``).

    Example:
        >>> is_url("postgresql://tm@db.example/ctlex"), is_url("tm.sqlite")
        (True, False)
    """
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def redact(url: str) -> str:
    """``url`` without its password (in the authority part or as a ``password=`` parameter).

    Example:
        >>> redact("postgresql://tm:s3cret@db.example:5432/ctlex?sslmode=require&password=x")
        'postgresql://tm:***@db.example:5432/ctlex?sslmode=require&password=***'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"(?<=:)[^:@/]*(?=@)", "***", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = re.sub(r"(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
