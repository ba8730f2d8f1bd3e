"""The ASGI application: JSON routes over :class:`~ctlex.serve.service.Service`, the web page, OpenAPI.

Errors are one line of JSON, ``{"error": "...", "status": N}``, with the status as the HTTP
code: 400 bad input, 401 no or bad token, 403 role too low, 404 not found, 409 stale revision or
decided proposal, 413 body or text too large, 503 store busy.  Bodies over ``max_body`` bytes are
refused while they are read.  Every response carries a Content-Security-Policy that allows only
this origin (the page loads nothing from elsewhere and runs no inline script).
"""

from __future__ import annotations

import json
import sys
import traceback
from importlib import resources
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..errors import CtlexError
from .service import MAX_TEXT, Service, ServiceError, error_of, lookup_json, scan_json

__all__ = ["create_app", "ROUTES", "openapi"]

MAX_BODY = 1_000_000
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class BodyTooLarge(ServiceError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, "status": status, **extra}, status_code=status, headers=SECURITY_HEADERS)


class _Limits:
    """ASGI middleware: refuse bodies over ``limit`` bytes (declared or streamed) with 413, and
    add the security headers to every response."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]], send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _error(413, f"request body larger than {self.limit} bytes")(scope, receive, send)
            return
        seen = 0

        async def limited() -> dict[str, Any]:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return msg

        async def with_headers(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg = dict(msg, headers=list(msg.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in have])
            await send(msg)

        await self.app(scope, limited, with_headers)


# -- request helpers -----------------------------------------------------------------------------

async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        raise ServiceError(400, "body: not valid JSON (UTF-8)") from None
    if not isinstance(data, dict):
        raise ServiceError(400, "body: expected a JSON object")
    return data


def _q(request: Request, name: str, default: str | None = None, *, required: bool = False, max_len: int = 10_000) -> str | None:
    v = request.query_params.get(name)
    if v is None or v == "":
        if required:
            raise ServiceError(400, f"parameter {name!r} is required")
        return default
    if len(v) > max_len or "\x00" in v:
        raise ServiceError(400 if len(v) <= max_len else 413, f"parameter {name!r}: too long or NUL character")
    return v


def _int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    v = request.query_params.get(name)
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise ServiceError(400, f"parameter {name!r}: expected an integer") from None
    if not lo <= n <= hi:
        raise ServiceError(400, f"parameter {name!r}: expected {lo}..{hi}")
    return n


def _float(request: Request, name: str, default: float, lo: float, hi: float) -> float:
    v = request.query_params.get(name)
    if v is None or v == "":
        return default
    try:
        x = float(v)
    except ValueError:
        raise ServiceError(400, f"parameter {name!r}: expected a number") from None
    if not lo <= x <= hi:
        raise ServiceError(400, f"parameter {name!r}: expected {lo:g}..{hi:g}")
    return x


def _bool(request: Request, name: str, default: bool = False) -> bool:
    v = request.query_params.get(name)
    if v is None or v == "":
        return default
    if v.lower() in ("1", "true", "yes"):
        return True
    if v.lower() in ("0", "false", "no"):
        return False
    raise ServiceError(400, f"parameter {name!r}: expected true or false")


def _lang(v: Any) -> str | None:
    if v in (None, ""):
        return None
    if v not in ("ar", "en"):
        raise ServiceError(400, "lang: expected ar or en")
    return str(v)


def _style(v: Any) -> str | None:
    if v in (None, ""):
        return None
    if not isinstance(v, str) or len(v) > 100:
        raise ServiceError(400, "style: expected a style name")
    return v


def _strf(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    v = body.get(name)
    if v is None and not required:
        return ""
    if not isinstance(v, str) or (required and not v) or len(v) > 200:
        raise ServiceError(400, f"{name}: expected a string of at most 200 characters")
    return v


# -- routes ------------------------------------------------------------------------------------------

def create_app(service: Service, *, max_body: int = MAX_BODY) -> Any:
    """The ASGI app serving ``service`` (wrap it in uvicorn, or call it in-process with httpx)."""
    svc = service

    async def who(request: Request, role: str) -> Any:
        header = request.headers.get("authorization")
        known = svc.cached(header)
        if known is not None or not header:
            return svc.require(known, role)

        def check() -> Any:  # a token not seen yet: the store and scrypt, off the event loop
            return svc.require(svc.authenticate(header), role)

        return await run_in_threadpool(check)

    async def read(fn: Callable[[Any], Any]) -> Any:
        """A short glossary read: on the event loop if the glossary is free, else in a worker thread."""
        done, result = svc.now_or_never(fn)
        return result if done else await run_in_threadpool(svc._read_glossary, fn)

    def ok(obj: Any, status: int = 200) -> JSONResponse:
        return JSONResponse(obj, status_code=status)

    async def call(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return await run_in_threadpool(fn, *args, **kw)

    async def health(request: Request) -> Response:
        return ok({"status": "ok", "version": __version__})

    async def whoami(request: Request) -> Response:
        p = await run_in_threadpool(svc.authenticate, request.headers.get("authorization"))
        if p is None:
            return ok({"name": "anonymous", "role": "reader" if svc.anonymous_read else None, "langs": None})
        return ok({"name": p.name, "role": p.role, "langs": sorted(p.langs) if p.langs is not None else None})

    async def info(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.info))

    async def lookup(request: Request) -> Response:
        await who(request, "reader")
        q = _q(request, "q", required=True, max_len=1000) or ""
        return ok(await read(lookup_json(q, _lang(_q(request, "lang")), _int(request, "limit", 10, 1, 1000),
                                         _style(_q(request, "style")))))

    async def scan(request: Request) -> Response:
        await who(request, "reader")
        b = await _body(request)
        if not isinstance(b.get("text"), str):
            raise ServiceError(400, "text: expected a string")
        text, lang, style = b["text"], _lang(b.get("lang")), _style(b.get("style"))
        if len(text) > MAX_TEXT:
            raise ServiceError(413, f"text longer than {MAX_TEXT} characters")
        if len(text) <= 5000:
            return ok(await read(scan_json(text, lang, style)))
        return ok(await call(svc.scan, text, lang, style))

    async def check(request: Request) -> Response:
        await who(request, "reader")
        b = await _body(request)
        segs = b.get("segments")
        if not isinstance(segs, list) or not all(
                isinstance(s, dict) and isinstance(s.get("source"), str) and isinstance(s.get("target"), str)
                and isinstance(s.get("id", ""), (str, type(None))) for s in segs):
            raise ServiceError(400, "segments: expected a list of {source, target[, id]} strings")
        return ok(await call(svc.check, segs, _style(b.get("style"))))

    async def tm_search(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.tm_search, _q(request, "q", required=True, max_len=5000),
                             _float(request, "min_score", 70.0, 0, 100), _int(request, "limit", 5, 1, 1000),
                             _bool(request, "terms")))

    async def tm_concord(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.concordance, _q(request, "q", required=True, max_len=1000),
                             _int(request, "limit", 50, 1, 10000), _bool(request, "terms")))

    async def suggest(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.suggest, _q(request, "term", required=True, max_len=500), _int(request, "limit", 10, 1, 1000)))

    async def concepts(request: Request) -> Response:
        if request.method == "POST":
            p = await who(request, "terminologist")
            b = await _body(request)
            return ok(await call(svc.create, p, b.get("concept"), b.get("reason", "")), 201)
        await who(request, "reader")
        return ok(await call(svc.concepts, _int(request, "offset", 0, 0, 10**9), _int(request, "limit", 100, 1, 1000),
                             _q(request, "type", max_len=50)))

    async def concept(request: Request) -> Response:
        cid = request.path_params["cid"]
        if request.method == "PUT":
            p = await who(request, "terminologist")
            b = await _body(request)
            return ok(await call(svc.edit, p, cid, b.get("revision"), b.get("concept"), b.get("reason", "")))
        if request.method == "DELETE":
            p = await who(request, "terminologist")
            b = await _body(request)
            return ok(await call(svc.delete, p, cid, b.get("revision"), b.get("reason", "")))
        await who(request, "reader")
        return ok(await call(svc.concept, cid))

    async def history(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.history, request.path_params["cid"]))

    async def diff(request: Request) -> Response:
        await who(request, "reader")
        a = _int(request, "from", 1, 1, 10**9)
        b = _int(request, "to", 1, 1, 10**9)
        return ok(await call(svc.diff, request.path_params["cid"], a, b))

    async def restore(request: Request) -> Response:
        p = await who(request, "terminologist")
        b = await _body(request)
        return ok(await call(svc.restore, p, request.path_params["cid"], b.get("to_revision"), b.get("revision"),
                             b.get("reason", "")))

    async def export(request: Request) -> Response:
        await who(request, "reader")
        fmt = _q(request, "format", "tbx", max_len=10) or "tbx"
        data, name = await call(svc.export, fmt, _bool(request, "history", True))
        media = {"tbx": "application/x-tbx+xml", "tbx2": "application/x-tbx+xml", "po": "text/x-gettext-translation",
                 "tsv": "text/tab-separated-values", "csv": "text/csv",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[name]
        ext = "tbx" if name == "tbx2" else name
        return Response(data, media_type=media, headers={"content-disposition": f'attachment; filename="ctlex.{ext}"'})

    async def proposals(request: Request) -> Response:
        if request.method == "POST":
            p = await who(request, "translator")
            b = await _body(request)
            return ok(await call(svc.propose, p, b), 201)
        await who(request, "reader")
        status = _q(request, "status", "pending", max_len=20)
        return ok(await call(svc.proposals, None if status == "all" else status, _int(request, "limit", 200, 1, 1000),
                             _int(request, "offset", 0, 0, 10**9)))

    def _pid(request: Request) -> int:
        raw = request.path_params["pid"]
        if not raw.isdigit() or len(raw) > 18:
            raise ServiceError(404, f"no proposal {raw!r}")
        return int(raw)

    async def proposal(request: Request) -> Response:
        await who(request, "reader")
        return ok(await call(svc.proposal, _pid(request)))

    async def decide(request: Request) -> Response:
        p = await who(request, "terminologist")
        b = await _body(request)
        action = request.path_params["action"]
        if action not in ("approve", "reject"):
            raise ServiceError(404, f"no action {action!r} (approve or reject)")
        fn = svc.approve if action == "approve" else svc.reject
        return ok(await call(fn, p, _pid(request), b.get("reason", "")))

    async def tokens(request: Request) -> Response:
        await who(request, "admin")
        if request.method == "POST":
            b = await _body(request)
            return ok(await call(svc.create_token, _strf(b, "role"), _strf(b, "name", required=False), b.get("langs")), 201)
        return ok({"tokens": await call(svc.store.tokens)})

    async def token(request: Request) -> Response:
        await who(request, "admin")
        await call(svc.revoke_token, request.path_params["tid"])
        return ok({"revoked": request.path_params["tid"]})

    async def spec(request: Request) -> Response:
        return ok(openapi())

    async def page(request: Request) -> Response:
        name = request.path_params.get("name", "index.html")
        kinds = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
        ext = name[name.rfind("."):] if "." in name else ""
        f = resources.files("ctlex.serve").joinpath("static").joinpath(name)
        if ext not in kinds or "/" in name or name.startswith(".") or not f.is_file():
            raise ServiceError(404, f"no page {name!r}")
        return Response(f.read_bytes(), media_type=kinds[ext])

    handlers = {
        "health": health, "whoami": whoami, "info": info, "lookup": lookup, "scan": scan, "check": check,
        "tm_search": tm_search, "tm_concord": tm_concord, "suggest": suggest, "concepts": concepts, "concept": concept,
        "history": history, "diff": diff, "restore": restore, "export": export, "proposals": proposals,
        "proposal": proposal, "decide": decide, "tokens": tokens, "token": token,
    }
    routes = [Route(path, handlers[h], methods=sorted({m for p2, m, h2, *_ in ROUTES if p2 == path}))
              for path, h in dict((r[0], r[2]) for r in ROUTES).items()]
    routes += [Route("/openapi.json", spec, methods=["GET"]), Route("/", page, methods=["GET"]),
               Route("/static/{name}", page, methods=["GET"])]

    async def on_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, CtlexError):
            e = error_of(exc)
            return _error(e.status, str(e), **e.extra)
        if isinstance(exc, HTTPException):
            return _error(exc.status_code, str(exc.detail))
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        return _error(500, "internal error (logged on the server)")

    app = Starlette(routes=routes, exception_handlers={CtlexError: on_error, HTTPException: on_error, Exception: on_error})
    return _Limits(app, max_body)


# (path, method, handler, summary, role, query parameters, body fields) — the OpenAPI description is built from this.
ROUTES: list[tuple[str, str, str, str, str | None, tuple[str, ...], tuple[str, ...]]] = [
    ("/api/health", "GET", "health", "Liveness and version", None, (), ()),
    ("/api/whoami", "GET", "whoami", "The caller's name, role and languages", None, (), ()),
    ("/api/info", "GET", "info", "Glossary statistics (as `ctlex info --json`)", "reader", (), ()),
    ("/api/lookup", "GET", "lookup", "Look up a term (as `ctlex lookup --json`)", "reader", ("q*", "lang", "limit:int", "style"), ()),
    ("/api/scan", "POST", "scan", "Every glossary term in a text, with offsets (as `ctlex scan --json`)", "reader", (),
     ("text*", "lang", "style")),
    ("/api/check", "POST", "check", "QA-check segments against the glossary (as `ctlex check --json`)", "reader", (),
     ("segments*", "style")),
    ("/api/tm/search", "GET", "tm_search", "Fuzzy TM search (as `ctlex tm search --json`)", "reader",
     ("q*", "min_score:number", "limit:int", "terms:bool"), ()),
    ("/api/tm/concord", "GET", "tm_concord", "TM concordance (as `ctlex tm concord --json`)", "reader",
     ("q*", "limit:int", "terms:bool"), ()),
    ("/api/suggest", "GET", "suggest", "Renderings of an Arabic term from the TM (as `ctlex suggest --json`)", "reader",
     ("term*", "limit:int"), ()),
    ("/api/concepts", "GET", "concepts", "List concepts with their revisions", "reader", ("offset:int", "limit:int", "type"), ()),
    ("/api/concepts", "POST", "concepts", "Create a concept directly", "terminologist", (), ("concept*", "reason")),
    ("/api/concepts/{cid}", "GET", "concept", "One concept in full, with its revision", "reader", (), ()),
    ("/api/concepts/{cid}", "PUT", "concept", "Replace a concept; 409 unless `revision` is current", "terminologist", (),
     ("revision*", "concept*", "reason")),
    ("/api/concepts/{cid}", "DELETE", "concept", "Delete a concept (history kept; restorable); 409 unless `revision` is "
     "current", "terminologist", (), ("revision*", "reason")),
    ("/api/concepts/{cid}/history", "GET", "history", "Every change: who, when, what, why", "reader", (), ()),
    ("/api/concepts/{cid}/diff", "GET", "diff", "Differences between two revisions", "reader", ("from:int", "to:int"), ()),
    ("/api/concepts/{cid}/restore", "POST", "restore", "Make an earlier revision current again", "terminologist", (),
     ("to_revision*", "revision*", "reason")),
    ("/api/export", "GET", "export", "The glossary as a file (TBX with history as transacGrp)", "reader",
     ("format", "history:bool"), ()),
    ("/api/proposals", "GET", "proposals", "The review queue", "reader", ("status", "limit:int", "offset:int"), ()),
    ("/api/proposals", "POST", "proposals", "Propose a new concept, a new term or a changed term", "translator", (),
     ("kind*", "concept_id", "base_revision", "term", "old", "concept", "reason")),
    ("/api/proposals/{pid}", "GET", "proposal", "One proposal", "reader", (), ()),
    ("/api/proposals/{pid}/{action}", "POST", "decide", "Approve or reject a proposal (action: approve | reject)",
     "terminologist", (), ("reason",)),
    ("/api/tokens", "GET", "tokens", "List API tokens (never their secrets)", "admin", (), ()),
    ("/api/tokens", "POST", "tokens", "Make an API token (shown once)", "admin", (), ("role*", "name", "langs")),
    ("/api/tokens/{tid}", "DELETE", "token", "Revoke a token", "admin", (), ()),
]

_ERRORS = {"400": "bad input", "401": "no or invalid token", "403": "role too low", "404": "not found",
           "409": "stale revision or proposal already decided", "413": "body or text too large"}


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 description of :data:`ROUTES`."""
    paths: dict[str, Any] = {}
    types = {"int": "integer", "number": "number", "bool": "boolean"}
    for path, method, _, summary, role, query, body in ROUTES:
        op: dict[str, Any] = {"summary": summary, "operationId": f"{method.lower()}_{path.strip('/').replace('/', '_')}"}
        params = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                  for p in (s[1:-1] for s in path.split("/") if s.startswith("{"))]
        for q in query:
            name, _, typ = q.partition(":")
            req = name.endswith("*")
            params.append({"name": name.rstrip("*"), "in": "query", "required": req, "schema": {"type": types.get(typ, "string")}})
        if params:
            op["parameters"] = params
        if body:
            props: dict[str, Any] = {b.rstrip("*"): {} for b in body}
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": props, "required": [b.rstrip("*") for b in body if b.endswith("*")]}}}}
        op["responses"] = {"200": {"description": "JSON result"},
                           **{k: {"description": v, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                              for k, v in _ERRORS.items()}}
        if role:
            op["security"] = [{"token": []}]
            op["description"] = f"Needs role {role} or higher."
        paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "ctlex terminology service", "version": __version__},
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "status"],
                                  "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}}},
        },
    }
