"""Every operation of the terminology service, independent of HTTP.

Reads call the same public library functions as the CLI and return the same JSON shapes as its
``--json`` output: :meth:`ctlex.Glossary.lookup` (``{"query", "results"}``), :meth:`~ctlex.Glossary.scan`
(``{"hits"}``), :func:`ctlex.qa.check` (the QA report), :func:`ctlex.tm.open_tm` search and
concordance (``{"matches"}``, ``{"phrase", "hits"}``), :func:`ctlex.suggest.suggest`,
:meth:`~ctlex.Glossary.stats` and :func:`ctlex.exchange.export_glossary`.

The glossary served is the service store's (:mod:`ctlex.serve.db`), seeded once from a glossary
file.  Readers share one in-memory :class:`~ctlex.glossary.Glossary` snapshot, rebuilt when the
store's generation number moves; writes go to the store, revision-checked.

Writes: translators *propose* (a new concept, a new term, a changed term); terminologists
*approve* or *reject* (only in their languages), *edit* directly and *restore* an earlier
revision.  Every change is a history row (who, when, what, why, before and after).
"""

from __future__ import annotations

import os
import tempfile
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..errors import CtlexError, NotFoundError
from . import ROLES, auth, model
from .db import Conflict, ServiceStore, StoreError

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary

__all__ = ["Service", "ServiceError"]

PROPOSAL_KINDS = ("new-concept", "new-term", "change-term")
MAX_TEXT = 100_000  # characters of text to scan, or of all the segments to check
MAX_SEGMENTS = 5000


class ServiceError(CtlexError):
    """An error with its HTTP status (400, 401, 403, 404, 409, 413, 503)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


def _status_of(e: CtlexError) -> ServiceError:
    if isinstance(e, ServiceError):
        return e
    if isinstance(e, Conflict):
        return ServiceError(409, str(e), **({"current_revision": e.current} if e.current is not None else {}))
    if isinstance(e, NotFoundError):
        return ServiceError(404, str(e))
    if isinstance(e, StoreError):
        return ServiceError(503, str(e))
    return ServiceError(400, str(e))


class Service:
    """The service over one store.  Thread-safe: call it from any number of worker threads."""

    def __init__(self, store: ServiceStore, *, glossary_path: str | os.PathLike[str] | None = None,
                 tm_path: str | os.PathLike[str] | None = None, anonymous_read: bool = False) -> None:
        self.store = store
        self.anonymous_read = anonymous_read
        self.tm_path = tm_path
        if store.generation() == 0:  # a new store: seed it from the glossary file
            from ..glossary import load

            g = load(glossary_path)
            store.seed([model.concept_to_json(c) for c in g], "ctlex", f"imported from {os.path.basename(str(g.path or ''))}")
        self._snapshot: tuple[int, Glossary] | None = None
        self._build = threading.Lock()
        self._reading = threading.Lock()
        self._idle_tms: list[Any] = []  # opened TMs not in use: borrowed per call, never one per thread
        self._tms_lock = threading.Lock()
        self._aligned: Any = None
        self._suggest_lock = threading.Lock()
        self._verified: dict[str, auth.Principal] = {}  # token → principal, for tokens checked once
        self._verified_lock = threading.Lock()

    # -- who is calling ------------------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> auth.Principal | None:
        """The principal an ``Authorization: Bearer`` header names; ``None`` without one.
        A malformed, unknown, wrong or revoked token is a 401."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ServiceError(401, "expected 'Authorization: Bearer <token>'")
        token = token.strip()
        cached = self._verified.get(token)
        if cached is not None:
            return cached
        parts = auth.split_token(token)
        row = self.store.token(parts[0]) if parts else None
        if parts is None or row is None or row["revoked"] or not auth.verify_secret(parts[1], row["salt"], row["hash"]):
            raise ServiceError(401, "invalid or revoked token")
        p = auth.Principal(row["id"], row["name"], row["role"], frozenset(row["langs"]) if row["langs"] is not None else None)
        with self._verified_lock:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[token] = p
        return p

    def require(self, who: auth.Principal | None, role: str) -> auth.Principal:
        """``who`` if it may act as ``role``: 401 without a token, 403 with too low a role."""
        if who is None:
            if role == "reader" and self.anonymous_read:
                return auth.Principal("", "anonymous", "reader")
            raise ServiceError(401, "a token is required (Authorization: Bearer <token>)")
        if not who.at_least(role):
            raise ServiceError(403, f"role {who.role!r} may not do this (needs {role})")
        return who

    def create_token(self, role: str, name: str = "", langs: list[str] | None = None) -> dict[str, Any]:
        if role not in ROLES:
            raise ServiceError(400, f"unknown role {role!r} (known: {', '.join(ROLES)})")
        if langs is not None and (not isinstance(langs, list) or not all(isinstance(x, str) and x.isalpha() for x in langs)):
            raise ServiceError(400, "langs: expected a list of language codes")
        token, tid, _, salt, digest = auth.new_token()
        self.store.add_token(tid, name or role, role, langs, salt, digest)
        return {"token": token, "id": tid, "name": name or role, "role": role, "langs": langs}

    def revoke_token(self, tid: str) -> None:
        self.store.revoke(tid)
        with self._verified_lock:
            self._verified = {t: p for t, p in self._verified.items() if p.token_id != tid}

    # -- the glossary readers see --------------------------------------------------------------
    def glossary(self) -> "Glossary":
        """The current glossary (a shared, read-only snapshot of the store)."""
        gen = self.store.generation()
        snap = self._snapshot
        if snap is not None and snap[0] == gen:
            return snap[1]
        with self._build:
            snap = self._snapshot
            gen = self.store.generation()
            if snap is not None and snap[0] == gen:
                return snap[1]
            from ..glossary import Glossary

            g = Glossary((model.concept_from_json(d) for _, _, d in self.store.concepts()), title="ctlex service glossary")
            with self._reading:  # build the matcher's lazy parts here, once, not in the first readers' threads
                g.lookup("يوروبول الأوروبي"), g.lookup("Europol"), g.scan("التعاون مع اليوروبول 2396"), g.scan("Europol")
            self._snapshot = (gen, g)
            return g

    def now_or_never(self, fn: Callable[["Glossary"], Any]) -> tuple[bool, Any]:
        """``(True, fn(glossary))`` if that can run at once — the snapshot is current and no other
        call holds it — else ``(False, None)`` without waiting.  The app answers short reads on its
        event loop this way, sparing two thread hand-overs (each can cost a GIL switch interval)."""
        snap = self._snapshot
        if snap is None or snap[0] != self.store.generation() or not self._reading.acquire(blocking=False):
            return False, None
        try:
            return True, fn(snap[1])
        finally:
            self._reading.release()

    def cached(self, authorization: str | None) -> auth.Principal | None:
        """The principal of a token already verified in this process (no store access, no hashing)."""
        if not authorization or not authorization[:7].lower() == "bearer ":
            return None
        return self._verified.get(authorization[7:].strip())

    def _read_glossary(self, fn: Callable[["Glossary"], Any]) -> Any:
        """``fn(glossary)`` with the snapshot's matcher to itself: its indexes are built lazily and
        are not documented as thread-safe, so calls into one glossary are serialized (they hold
        the GIL anyway; TM searches without terms run in parallel)."""
        g = self.glossary()
        with self._reading:
            return fn(g)

    @contextmanager
    def _tm(self) -> Iterator[Any]:
        """An opened TM for this call, borrowed from the idle ones (or opened): as many stay open
        as calls ran at once, whatever threads the server makes and drops."""
        with self._tms_lock:
            tm = self._idle_tms.pop() if self._idle_tms else None
        if tm is None:
            from ..tm import open_tm

            tm = open_tm(self.tm_path, create=False)
        try:
            yield tm
        finally:
            with self._tms_lock:
                self._idle_tms.append(tm)

    def close(self) -> None:
        """Close the opened TMs and the store."""
        with self._tms_lock:
            tms, self._idle_tms = self._idle_tms, []
        for tm in tms:
            tm.close()
        self.store.close()

    # -- reads (the CLI's --json shapes) -------------------------------------------------------
    def lookup(self, query: str, lang: str | None = None, limit: int = 10, style: str | None = None) -> dict[str, Any]:
        return self._read_glossary(lookup_json(query, lang, limit, style))

    def scan(self, text: str, lang: str | None = None, style: str | None = None) -> dict[str, Any]:
        if len(text) > MAX_TEXT:
            raise ServiceError(413, f"text longer than {MAX_TEXT} characters")
        return self._read_glossary(scan_json(text, lang, style))

    def check(self, segments: list[dict[str, Any]], style: str | None = None) -> dict[str, Any]:
        from ..qa import check
        from ..segment import Segment

        if len(segments) > MAX_SEGMENTS or sum(len(s.get("source", "")) + len(s.get("target", "")) for s in segments) > MAX_TEXT:
            raise ServiceError(413, f"more than {MAX_SEGMENTS} segments or {MAX_TEXT} characters")
        segs = [Segment(s["source"], s["target"], id=s.get("id")) for s in segments]
        return self._read_glossary(lambda g: check(segs, g, style=style).to_dict())

    def tm_search(self, text: str, min_score: float = 70.0, limit: int = 5, terms: bool = False) -> dict[str, Any]:
        def run(g: "Glossary | None") -> dict[str, Any]:
            with self._tm() as tm:
                return {"matches": [m.to_dict() for m in tm.search(text, min_score=min_score, limit=limit, glossary=g)]}

        return self._read_glossary(run) if terms else run(None)

    def concordance(self, phrase: str, limit: int = 50, terms: bool = False) -> dict[str, Any]:
        def run(g: "Glossary | None") -> dict[str, Any]:
            with self._tm() as tm:
                return {"phrase": phrase, "hits": [h.to_dict() for h in tm.concordance(phrase, limit=limit, glossary=g)]}

        return self._read_glossary(run) if terms else run(None)

    def suggest(self, term: str, limit: int = 10) -> dict[str, Any]:
        from ..suggest import AlignedSet, suggest

        with self._suggest_lock:  # the aligned set caches n-gram counts as it goes: one caller at a time
            if self._aligned is None:
                with self._tm() as tm:
                    self._aligned = AlignedSet(tm.segments())
            return self._read_glossary(lambda g: suggest(term, self._aligned, g, limit=limit).to_dict())

    def info(self) -> dict[str, Any]:
        st = self._read_glossary(lambda g: g.stats())
        st["path"] = self.store.path
        st["generation"] = self.store.generation()
        return st

    def concepts(self, offset: int = 0, limit: int = 100, type: str | None = None) -> dict[str, Any]:
        rows = self.store.concepts()
        if type:
            rows = [r for r in rows if r[2].get("type") == type]
        out = []
        for cid, rev, d in rows[offset:offset + limit]:
            summary = model.concept_from_json(d).to_dict()
            summary["revision"] = rev
            out.append(summary)
        return {"total": len(rows), "offset": offset, "concepts": out}

    def concept(self, cid: str) -> dict[str, Any]:
        got = self.store.get(cid)
        if got is None or got[1] is None:
            raise ServiceError(404, f"no concept {cid!r}")
        return {"id": cid, "revision": got[0], "concept": got[1]}

    def history(self, cid: str) -> dict[str, Any]:
        rows = self.store.history(cid)
        if not rows:
            raise ServiceError(404, f"no concept {cid!r}")
        out = []
        for r in rows:
            out.append({k: r[k] for k in ("revision", "action", "actor", "proposer", "proposal_id", "at", "reason")}
                       | {"changes": model.diff(r["before"], r["after"]) if r["action"] != "import" else []})
        return {"id": cid, "history": out}

    def diff(self, cid: str, a: int, b: int) -> dict[str, Any]:
        va, vb = self.store.version(cid, a), self.store.version(cid, b)
        if va is None or vb is None:
            raise ServiceError(404, f"concept {cid!r} has no revision {a if va is None else b}")
        return {"id": cid, "from": a, "to": b, "changes": model.diff(va["after"], vb["after"])}

    def export(self, fmt: str = "tbx", history: bool = True) -> tuple[bytes, str]:
        """The glossary as a file of format ``fmt``; TBX carries the history as transacGrp."""
        from ..exchange import export_glossary

        known = ("tbx", "tbx2", "po", "tsv", "csv", "xlsx")
        if fmt not in known:
            raise ServiceError(400, f"unknown export format {fmt!r} (known: {', '.join(known)})")
        g = self.glossary()
        if history and fmt in ("tbx", "tbx2"):
            from .history import with_history

            g = with_history(g, self.store.history())
        fd, tmp = tempfile.mkstemp(suffix="." + fmt.rstrip("2"), prefix="ctlex-export-")
        os.close(fd)
        try:
            export_glossary(g, tmp, fmt)
            with open(tmp, "rb") as f:
                return f.read(), fmt
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # -- proposals and review ------------------------------------------------------------------
    def propose(self, who: auth.Principal, body: dict[str, Any]) -> dict[str, Any]:
        """A translator's proposal: ``{"kind", "concept_id", "base_revision", "term"|"concept", "old", "reason"}``."""
        kind = body.get("kind")
        if kind not in PROPOSAL_KINDS:
            raise ServiceError(400, f"kind: expected one of {', '.join(PROPOSAL_KINDS)}")
        reason = _text(body.get("reason", ""), "reason")
        _only(body, {"kind", "concept_id", "base_revision", "term", "concept", "old", "reason"})
        if kind == "new-concept":
            c = model.concept_from_json(body.get("concept"))
            cur = self.store.get(c.id)
            if cur is not None and cur[1] is not None:
                raise ServiceError(409, f"concept {c.id!r} already exists", current_revision=cur[0])
            new = model.concept_to_json(c)
            payload: dict[str, Any] = {"concept": new}
            langs = model.languages(model.diff(None, new), None, new)
            cid, base = c.id, None
        else:
            cid = _text(body.get("concept_id"), "concept_id")
            base = body.get("base_revision")
            if not isinstance(base, int) or isinstance(base, bool):
                raise ServiceError(400, "base_revision: expected the concept's revision number")
            cur = self.store.get(cid)
            if cur is None or cur[1] is None:
                raise ServiceError(404, f"no concept {cid!r}")
            if cur[0] != base:
                raise ServiceError(409, f"concept {cid!r} is at revision {cur[0]}, not {base}", current_revision=cur[0])
            term = model.term_from_json(body.get("term"))
            payload = {"term": model.concept_to_json(_wrap(term))["terms"][0]}
            if kind == "change-term":
                old = body.get("old")
                if not isinstance(old, dict) or set(old) != {"lang", "text"}:
                    raise ServiceError(400, "old: expected {lang, text} of the term to change")
                payload["old"] = {"lang": old["lang"], "text": old["text"]}
            new = self._apply(kind, cur[1], payload)
            langs = model.languages(model.diff(cur[1], new), cur[1], new)
        pid = self.store.add_proposal(kind, cid, sorted(langs), base, payload, reason, who.name)
        return self.proposal(pid)

    def _apply(self, kind: str, current: dict[str, Any] | None, payload: dict[str, Any]) -> dict[str, Any]:
        """The concept JSON after a proposal (checked as a whole)."""
        if kind == "new-concept":
            return payload["concept"]
        assert current is not None
        terms = list(current["terms"])
        key = lambda t: (t["lang"], t["text"])  # noqa: E731
        if kind == "new-term":
            if any(key(t) == key(payload["term"]) for t in terms):
                raise ServiceError(409, f"the concept already has the {payload['term']['lang']} term {payload['term']['text']!r}")
            terms.append(payload["term"])
        else:
            old = (payload["old"]["lang"], payload["old"]["text"])
            idx = next((i for i, t in enumerate(terms) if key(t) == old), None)
            if idx is None:
                raise ServiceError(404, f"the concept has no {old[0]} term {old[1]!r}")
            if key(payload["term"]) != old and any(key(t) == key(payload["term"]) for t in terms):
                raise ServiceError(409, f"the concept already has the term {payload['term']['text']!r}")
            terms[idx] = payload["term"]
        new = dict(current, terms=terms)
        return model.concept_to_json(model.concept_from_json(new))

    def proposal(self, pid: int) -> dict[str, Any]:
        p = self.store.proposal(pid)
        if p is None:
            raise ServiceError(404, f"no proposal {pid}")
        return p

    def proposals(self, status: str | None = "pending", limit: int = 200, offset: int = 0) -> dict[str, Any]:
        if status not in (None, "pending", "approved", "rejected"):
            raise ServiceError(400, "status: pending, approved, rejected or all")
        return {"proposals": self.store.proposals(status, limit, offset)}

    def approve(self, who: auth.Principal, pid: int, reason: str = "") -> dict[str, Any]:
        p = self.proposal(pid)
        self._covers(who, set(p["langs"]))
        if p["status"] != "pending":
            raise ServiceError(409, f"proposal {pid} is already {p['status']}")
        cur = self.store.get(p["concept_id"])
        if p["kind"] == "new-concept":
            new = p["payload"]["concept"]
            base = None
        else:
            if cur is None or cur[1] is None:
                raise ServiceError(404, f"no concept {p['concept_id']!r}")
            if cur[0] != p["base_revision"]:
                raise ServiceError(409, f"concept {p['concept_id']!r} changed since the proposal (revision {cur[0]}, "
                                        f"proposed on {p['base_revision']}): reject it and propose again",
                                   current_revision=cur[0])
            new = self._apply(p["kind"], cur[1], p["payload"])
            base = cur[0]
        why = reason or p["reason"]
        rev = self.store.write(p["concept_id"], base, new, actor=who.name, action="approve", reason=why, proposal=pid,
                               proposer=p["author"], decision=_text(reason, "reason"))
        return {"proposal": self.proposal(pid), "revision": rev}

    def reject(self, who: auth.Principal, pid: int, reason: str = "") -> dict[str, Any]:
        p = self.proposal(pid)
        self._covers(who, set(p["langs"]))
        self.store.reject(pid, who.name, _text(reason, "reason"))
        return {"proposal": self.proposal(pid)}

    def _covers(self, who: auth.Principal, langs: set[str]) -> None:
        if not who.covers(langs):
            raise ServiceError(403, f"{who.name} reviews {', '.join(sorted(who.langs or ()))} only; this change touches "
                                    f"{', '.join(sorted(langs))}")

    def create(self, who: auth.Principal, concept: Any, reason: str = "") -> dict[str, Any]:
        new = model.concept_to_json(model.concept_from_json(concept))
        self._covers(who, model.languages(model.diff(None, new), None, new))
        rev = self.store.write(new["id"], None, new, actor=who.name, action="create", reason=_text(reason, "reason"))
        return {"id": new["id"], "revision": rev}

    def edit(self, who: auth.Principal, cid: str, revision: Any, concept: Any, reason: str = "") -> dict[str, Any]:
        """Replace concept ``cid`` as a whole, if it is still at ``revision``."""
        if not isinstance(revision, int) or isinstance(revision, bool):
            raise ServiceError(400, "revision: expected the revision number the edit was made on")
        new = model.concept_to_json(model.concept_from_json(concept))
        if new["id"] != cid:
            raise ServiceError(400, f"concept.id {new['id']!r} is not {cid!r}")
        cur = self.store.get(cid)
        if cur is None or cur[1] is None:
            raise ServiceError(404, f"no concept {cid!r}")
        self._covers(who, model.languages(model.diff(cur[1], new), cur[1], new))
        rev = self.store.write(cid, revision, new, actor=who.name, action="edit", reason=_text(reason, "reason"))
        return {"id": cid, "revision": rev}

    def delete(self, who: auth.Principal, cid: str, revision: Any, reason: str = "") -> dict[str, Any]:
        """Delete concept ``cid``, if it is still at ``revision`` (a new revision without data; the
        history keeps every earlier one, and restore brings it back)."""
        if not isinstance(revision, int) or isinstance(revision, bool):
            raise ServiceError(400, "revision: expected the revision number the deletion was decided on")
        cur = self.store.get(cid)
        if cur is None or cur[1] is None:
            raise ServiceError(404, f"no concept {cid!r}")
        self._covers(who, model.languages(model.diff(cur[1], None), cur[1], None))
        rev = self.store.write(cid, revision, None, actor=who.name, action="delete", reason=_text(reason, "reason"))
        return {"id": cid, "revision": rev, "deleted": True}

    def restore(self, who: auth.Principal, cid: str, to_revision: Any, revision: Any, reason: str = "") -> dict[str, Any]:
        """Make the concept as it was at ``to_revision`` again (a new revision; history kept)."""
        for name, v in (("to_revision", to_revision), ("revision", revision)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise ServiceError(400, f"{name}: expected a revision number")
        old = self.store.version(cid, to_revision)
        if old is None or old["after"] is None:
            raise ServiceError(404, f"concept {cid!r} has no revision {to_revision}")
        cur = self.store.get(cid)
        assert cur is not None
        self._covers(who, model.languages(model.diff(cur[1], old["after"]), cur[1], old["after"]))
        why = _text(reason, "reason") or f"restored revision {to_revision}"
        rev = self.store.write(cid, revision, old["after"], actor=who.name, action="restore", reason=why)
        return {"id": cid, "revision": rev, "restored": to_revision}


def lookup_json(query: str, lang: str | None = None, limit: int = 10, style: str | None = None) -> Callable[["Glossary"], dict[str, Any]]:
    """The lookup, as ``ctlex lookup --json`` shapes it, for a glossary to come."""
    return lambda g: {"query": query, "results": [m.to_dict() for m in g.lookup(query, lang=lang, limit=limit, style=style)]}


def scan_json(text: str, lang: str | None = None, style: str | None = None) -> Callable[["Glossary"], dict[str, Any]]:
    """The scan, as ``ctlex scan --json`` shapes it, for a glossary to come."""
    return lambda g: {"hits": [h.to_dict() for h in g.scan(text, lang=lang, style=style)]}


def _wrap(term: Any) -> Any:
    from ..glossary import Concept

    return Concept("x", terms=[term])


def _text(v: Any, name: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > model.MAX_TEXT or "\x00" in v:
        raise ServiceError(400, f"{name}: expected a string of at most {model.MAX_TEXT} characters")
    return v


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    extra = set(body) - allowed
    if extra:
        raise ServiceError(400, f"unknown field(s) {', '.join(sorted(extra))}")


def error_of(e: CtlexError) -> ServiceError:
    """The HTTP form of any library error (the app's single error handler uses it)."""
    return _status_of(e)
