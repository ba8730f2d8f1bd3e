"""Roles and API tokens.

A token reads ``ctlex_<id>_<secret>``: the id finds the row, the secret (32 random bytes) is
checked against its scrypt hash with a constant-time comparison.  Only the salt and the hash are
stored; the token itself is shown once, when it is made.  Roles are ordered — each can do what
the ones before it can::

    reader < translator < terminologist < admin

A terminologist may be limited to languages (``langs``): they approve only changes whose
languages all lie in that set.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from . import ROLES

__all__ = ["Principal", "new_token", "hash_secret", "verify_secret", "split_token", "role_at_least"]

_RANK = {r: i for i, r in enumerate(ROLES)}
PREFIX = "ctlex_"
# scrypt cost: about 10 ms a check on one core.  Verified tokens are remembered in memory (see
# TokenCache in service), so the cost is paid once per token and process, not per request.
_N, _R, _P = 2**13, 8, 1


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's id, name and role (``anonymous`` reader when allowed)."""

    token_id: str
    name: str
    role: str
    langs: frozenset[str] | None = None  # None: every language

    def at_least(self, role: str) -> bool:
        return role_at_least(self.role, role)

    def covers(self, langs: set[str]) -> bool:
        return self.role == "admin" or self.langs is None or langs <= self.langs


def role_at_least(have: str, need: str) -> bool:
    return _RANK[have] >= _RANK[need]


def hash_secret(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)


def verify_secret(secret: str, salt: bytes, digest: bytes) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt), digest)


def new_token() -> tuple[str, str, str, bytes, bytes]:
    """``(token, id, secret, salt, hash)`` for a fresh token."""
    tid = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    return f"{PREFIX}{tid}_{secret}", tid, secret, salt, hash_secret(secret, salt)


def split_token(token: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed token, else ``None``."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    rest = token[len(PREFIX):]
    tid, sep, secret = rest.partition("_")
    if not sep or len(tid) != 12 or not secret or not all(c in "0123456789abcdef" for c in tid):
        return None
    return tid, secret
