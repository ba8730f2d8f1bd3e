"""``ctlex serve``: the JSON API, its access control, errors and review workflow, attacked.

Each test gets a fresh service store seeded from a small hand-made glossary and a small TM
(in-process ASGI client, no network), once on SQLite and once on a real PostgreSQL server (a
schema of its own; see conftest.py's ``pg_admin_url``).  The loopback concurrency tests are in
test_serve_concurrency.py, the browser test in test_serve_browser.py.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from click.testing import CliRunner  # noqa: E402

from ctlex.cli import cli  # noqa: E402
from ctlex.serve.app import ROUTES, create_app, openapi  # noqa: E402
from ctlex.serve.db import Store  # noqa: E402
from ctlex.serve.stores import open_store  # noqa: E402
from ctlex.serve.service import Service  # noqa: E402

warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")
pytestmark = pytest.mark.filterwarnings("ignore:.*starlette.testclient.*")
from starlette.testclient import TestClient  # noqa: E402

SEGMENTS = [
    ("وأعلن يوروبول عن تعاون جديد مع الإنتربول", "Europol announced new cooperation with INTERPOL"),
    ("أكد دو كيرشوف أن التعاون مع اليوروبول ضروري", "De Kerchove stressed that cooperation with Europol is essential"),
    ("المقاتلون الأجانب يعودون إلى أوروبا", "Foreign terrorist fighters are returning to Europe"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, tmp_path, mini_glossary):
    from ctlex.segment import Segment
    from ctlex.tm import Store as TMStore

    gpath = tmp_path / "mini.tbx"
    mini_glossary.save(gpath)
    if request.param == "sqlite":
        target = str(tmp_path / "serve.sqlite")
        tm: object = tmp_path / "tm.sqlite"
        with TMStore(tm) as s:
            s.add([Segment(a, e) for a, e in SEGMENTS])
    else:  # the service store and the TM in one PostgreSQL schema, as a team would run them
        from pg_fixture import new_schema

        from ctlex.tm import open_store as open_tm_store

        target = tm = new_schema(request.getfixturevalue("pg_admin_url"))
        pg_tm = open_tm_store(target)
        pg_tm.add([Segment(a, e) for a, e in SEGMENTS])
        pg_tm.close()
    store = open_store(target)
    svc = Service(store, glossary_path=gpath, tm_path=tm)
    tokens = {r: svc.create_token(r, f"{r}-user")["token"] for r in ("reader", "translator", "terminologist", "admin")}
    tokens["ar-terminologist"] = svc.create_token("terminologist", "ar-only", ["ar"])["token"]
    client = TestClient(create_app(svc, max_body=50_000), raise_server_exceptions=False)

    class Env:
        pass

    e = Env()
    e.svc, e.store, e.client, e.tokens, e.gpath, e.tm, e.target = svc, store, client, tokens, gpath, tm, target
    e.backend = request.param
    e.sql = lambda sql, args=(): store._read(sql, args)  # raw SQL on the store's own tables ({concepts}, …)
    e.h = lambda role: {"authorization": f"Bearer {tokens[role]}"}
    yield e
    svc.close()


def _one_line_error(r, status):
    assert r.status_code == status, r.text
    assert "\n" not in r.text
    body = r.json()
    assert body["status"] == status and isinstance(body["error"], str) and body["error"]
    return body


def _concept(env, cid):
    r = env.client.get(f"/api/concepts/{cid}", headers=env.h("reader"))
    assert r.status_code == 200
    return r.json()


# -- the same JSON as the CLI --------------------------------------------------------------------

def test_reads_return_the_cli_json(env):
    run = CliRunner().invoke
    h = env.h("reader")
    pairs = [
        (env.client.get("/api/lookup", params={"q": "وليوروبول"}, headers=h),
         ["lookup", "وليوروبول", "--glossary", str(env.gpath), "--json"]),
        (env.client.post("/api/scan", json={"text": SEGMENTS[1][0]}, headers=h),
         ["scan", "--text", SEGMENTS[1][0], "--glossary", str(env.gpath), "--json"]),
        (env.client.get("/api/tm/search", params={"q": SEGMENTS[0][0], "min_score": 40}, headers=h),
         ["tm", "search", SEGMENTS[0][0], "--min-score", "40", "--tm", str(env.tm), "--json"]),
        (env.client.get("/api/tm/concord", params={"q": "يوروبول"}, headers=h),
         ["tm", "concord", "يوروبول", "--tm", str(env.tm), "--json"]),
        (env.client.get("/api/info", headers=h), ["info", "--glossary", str(env.gpath), "--json"]),
    ]
    for resp, argv in pairs:
        assert resp.status_code == 200, resp.text
        cli_out = json.loads(run(cli, argv).output)
        api = resp.json()
        if argv[0] == "info":  # the service reports its store, not the seed file
            for k in ("path", "generation"):
                api.pop(k, None)
            cli_out.pop("path")
        assert api == cli_out, argv
    assert pairs[0][0].json()["results"][0]["id"] == "europol"
    assert any(h["id"] == "de-kerchove" for h in pairs[1][0].json()["hits"])
    assert pairs[2][0].json()["matches"][0]["target"] == SEGMENTS[0][1]


def test_check_returns_the_qa_report(env):
    r = env.client.post("/api/check", json={"segments": [{"source": "وأعلن يوروبول", "target": "Interpol announced"}]},
                        headers=env.h("reader"))
    assert r.status_code == 200
    kinds = [(i["kind"], i["id"]) for i in r.json()["issues"]]
    assert ("missing-term", "europol") in kinds


def test_suggest_and_export(env):
    r = env.client.get("/api/suggest", params={"term": "يوروبول"}, headers=env.h("reader"))
    assert r.status_code == 200 and r.json()["suggestions"][0]["en"] == "Europol"
    for fmt in ("tbx", "po", "csv", "tsv"):
        r = env.client.get("/api/export", params={"format": fmt}, headers=env.h("reader"))
        assert r.status_code == 200 and b"Europol" in r.content, fmt
    _one_line_error(env.client.get("/api/export", params={"format": "exe"}, headers=env.h("reader")), 400)


# -- access control -------------------------------------------------------------------------------

WRITES = [
    ("post", "/api/proposals", {"kind": "new-term", "concept_id": "europol", "base_revision": 1,
                                "term": {"text": "يوروبل", "lang": "ar"}}),
    ("post", "/api/proposals/1/approve", {}),
    ("post", "/api/proposals/1/reject", {}),
    ("put", "/api/concepts/europol", {"revision": 1, "concept": None}),
    ("delete", "/api/concepts/europol", {"revision": 1}),
    ("post", "/api/concepts", {"concept": None}),
    ("post", "/api/concepts/europol/restore", {"to_revision": 1, "revision": 1}),
    ("post", "/api/tokens", {"role": "admin"}),
]


def test_no_token_is_401_for_reads_and_writes(env):
    for path in ("/api/lookup?q=x", "/api/concepts", "/api/concepts/europol", "/api/proposals", "/api/export", "/api/info"):
        _one_line_error(env.client.get(path), 401)
    for method, path, body in WRITES:
        _one_line_error(env.client.request(method.upper(), path, json=body), 401)
    assert env.client.get("/api/health").status_code == 200


def test_wrong_tokens_are_401(env):
    good = env.tokens["admin"]
    tid = good.split("_")[1]
    bad = [
        "Bearer nonsense", "Bearer ", f"Basic {good}", f"Bearer {good}x", f"Bearer {good[:-1]}",
        f"Bearer ctlex_{tid}_" + "A" * 43, "Bearer ctlex_000000000000_secret", f"Bearer ctlex_{tid}",
        "Bearer ' OR 1=1 --", f"Bearer ctlex_{tid}_' OR '1'='1",
    ]
    for header in bad:
        _one_line_error(env.client.get("/api/concepts", headers={"authorization": header}), 401)
        _one_line_error(env.client.post("/api/tokens", json={"role": "admin"}, headers={"authorization": header}), 401)
    assert env.client.get("/api/concepts", headers={"authorization": f"Bearer {good}"}).status_code == 200


def test_revoked_token_is_401(env):
    tok = env.svc.create_token("translator", "leaver")
    h = {"authorization": f"Bearer {tok['token']}"}
    assert env.client.get("/api/concepts", headers=h).status_code == 200  # verified once, now cached
    assert env.client.delete(f"/api/tokens/{tok['id']}", headers=env.h("admin")).status_code == 200
    _one_line_error(env.client.get("/api/concepts", headers=h), 401)


def test_anonymous_reads_only_when_allowed(env):
    env.svc.anonymous_read = True
    assert env.client.get("/api/lookup", params={"q": "يوروبول"}).status_code == 200
    for method, path, body in WRITES:
        _one_line_error(env.client.request(method.upper(), path, json=body), 401)


def test_reader_writes_are_403(env):
    for method, path, body in WRITES:
        _one_line_error(env.client.request(method.upper(), path, json=body, headers=env.h("reader")), 403)
    for method, path, body in WRITES[1:]:  # a translator proposes, nothing more
        _one_line_error(env.client.request(method.upper(), path, json=body, headers=env.h("translator")), 403)
    _one_line_error(env.client.get("/api/tokens", headers=env.h("terminologist")), 403)
    assert _concept(env, "europol")["revision"] == 1
    assert env.store.proposals(None) == []


def test_tokens_are_stored_hashed(env):
    if env.backend == "sqlite":  # every byte of the database files
        db = Path(env.target)
        raw = db.read_bytes() + b"".join(p.read_bytes() for p in db.parent.glob("serve.sqlite-*"))
    else:  # every row of every table, as text
        raw = repr([env.sql(f"SELECT * FROM {{{t}}}") for t in ("tokens", "history", "proposals", "meta")]).encode()
        assert env.sql("SELECT count(*) FROM {tokens}")[0][0] == 5
    for tok in env.tokens.values():
        secret = tok.split("_", 2)[2]
        assert secret.encode() not in raw and tok.encode() not in raw
    listed = env.client.get("/api/tokens", headers=env.h("admin")).json()["tokens"]
    assert len(listed) == 5 and all(set(t) == {"id", "name", "role", "langs", "created", "revoked"} for t in listed)


def test_terminologist_reviews_only_their_languages(env):
    rev = _concept(env, "europol")["revision"]
    p = env.client.post("/api/proposals", json={"kind": "new-term", "concept_id": "europol", "base_revision": rev,
                                                "term": {"text": "EUROPOL", "lang": "en"}}, headers=env.h("translator")).json()
    assert p["langs"] == ["en"]
    _one_line_error(env.client.post(f"/api/proposals/{p['id']}/approve", json={}, headers=env.h("ar-terminologist")), 403)
    assert env.client.post(f"/api/proposals/{p['id']}/approve", json={}, headers=env.h("terminologist")).status_code == 200


# -- review workflow, revisions, history -------------------------------------------------------------

def _propose(env, **body):
    return env.client.post("/api/proposals", json=body, headers=env.h("translator"))


def test_proposal_approve_records_history_diff_and_restore(env):
    before = _concept(env, "interpol")
    r = _propose(env, kind="change-term", concept_id="interpol", base_revision=before["revision"],
                 old={"lang": "en", "text": "Interpol"}, term={"text": "Interpol", "lang": "en", "status": "admitted", "note": "use capitals"},
                 reason="UN documents use it")
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    queue = env.client.get("/api/proposals", headers=env.h("reader")).json()["proposals"]
    assert [q["id"] for q in queue] == [pid]
    assert _concept(env, "interpol") == before  # nothing changes before approval
    r = env.client.post(f"/api/proposals/{pid}/approve", json={"reason": "agreed"}, headers=env.h("terminologist"))
    assert r.status_code == 200 and r.json()["revision"] == 2
    after = _concept(env, "interpol")
    assert after["revision"] == 2
    assert [t["status"] for t in after["concept"]["terms"] if t["text"] == "Interpol"] == ["admitted"]
    hist = env.client.get("/api/concepts/interpol/history", headers=env.h("reader")).json()["history"]
    assert [(h["revision"], h["action"]) for h in hist] == [(1, "import"), (2, "approve")]
    last = hist[-1]
    assert (last["actor"], last["proposer"], last["proposal_id"], last["reason"]) == ("terminologist-user", "translator-user", pid, "agreed")
    assert last["at"].endswith("Z")
    assert last["changes"] == [{"op": "changed", "field": "term", "lang": "en", "text": "Interpol",
                                "changes": {"status": {"old": "deprecated", "new": "admitted"}}}]
    d = env.client.get("/api/concepts/interpol/diff", params={"from": 1, "to": 2}, headers=env.h("reader")).json()
    assert d["changes"] == last["changes"]
    # the glossary readers see follows the store
    assert env.client.get("/api/info", headers=env.h("reader")).json()["generation"] > 1
    # restore revision 1: a new revision 3 equal in content to 1
    r = env.client.post("/api/concepts/interpol/restore", json={"to_revision": 1, "revision": 2}, headers=env.h("terminologist"))
    assert r.status_code == 200 and r.json()["revision"] == 3
    assert _concept(env, "interpol")["concept"] == before["concept"]
    assert env.client.get("/api/concepts/interpol/history", headers=env.h("reader")).json()["history"][-1]["action"] == "restore"
    # a decided proposal cannot be decided again
    _one_line_error(env.client.post(f"/api/proposals/{pid}/approve", json={}, headers=env.h("terminologist")), 409)
    _one_line_error(env.client.post(f"/api/proposals/{pid}/reject", json={}, headers=env.h("terminologist")), 409)


def test_new_term_shows_in_lookup_and_scan_after_approval(env):
    h = env.h("reader")
    assert env.client.get("/api/lookup", params={"q": "الأوروبول", "limit": 1}, headers=h).json()["results"][0]["match"] != "exact"
    pid = _propose(env, kind="new-term", concept_id="europol", base_revision=1,
                   term={"text": "الأوروبول", "lang": "ar", "status": "admitted"}).json()["id"]
    env.client.post(f"/api/proposals/{pid}/approve", json={}, headers=env.h("terminologist"))
    res = env.client.get("/api/lookup", params={"q": "الأوروبول"}, headers=h).json()["results"][0]
    assert (res["id"], res["match"], res["matched_term"]) == ("europol", "exact", "الأوروبول")


def test_new_concept_proposal_and_reject(env):
    c = {"id": "eurojust", "type": "organization", "terms": [{"text": "Eurojust", "lang": "en", "status": "preferred"},
                                                              {"text": "يوروجاست", "lang": "ar", "status": "preferred"}]}
    p = _propose(env, kind="new-concept", concept=c, reason="in article 000").json()
    assert p["langs"] == ["ar", "en"]
    _one_line_error(env.client.post(f"/api/proposals/{p['id']}/approve", json={}, headers=env.h("ar-terminologist")), 403)
    r = env.client.post(f"/api/proposals/{p['id']}/reject", json={"reason": "duplicate"}, headers=env.h("terminologist"))
    assert r.json()["proposal"]["status"] == "rejected" and r.json()["proposal"]["decision_reason"] == "duplicate"
    _one_line_error(env.client.get("/api/concepts/eurojust", headers=env.h("reader")), 404)
    p = _propose(env, kind="new-concept", concept=c).json()
    assert env.client.post(f"/api/proposals/{p['id']}/approve", json={}, headers=env.h("terminologist")).status_code == 200
    assert _concept(env, "eurojust")["revision"] == 1
    _one_line_error(_propose(env, kind="new-concept", concept=c), 409)  # exists now


def test_stale_revisions_are_409(env):
    cur = _concept(env, "gctf")
    edited = json.loads(json.dumps(cur["concept"]))
    edited["definition"] = "first edit"
    h = env.h("terminologist")
    assert env.client.put("/api/concepts/gctf", json={"revision": 1, "concept": edited}, headers=h).json()["revision"] == 2
    edited["definition"] = "second edit, made on revision 1"
    body = _one_line_error(env.client.put("/api/concepts/gctf", json={"revision": 1, "concept": edited}, headers=h), 409)
    assert body["current_revision"] == 2
    assert _concept(env, "gctf")["concept"]["definition"] == "first edit"  # not overwritten
    # a proposal made on revision 1 cannot be made, nor approved once the concept moved on
    _one_line_error(_propose(env, kind="new-term", concept_id="gctf", base_revision=1, term={"text": "GCTF forum", "lang": "en"}), 409)
    p = _propose(env, kind="new-term", concept_id="gctf", base_revision=2, term={"text": "the Forum", "lang": "en"}).json()
    edited["definition"] = "third edit"
    assert env.client.put("/api/concepts/gctf", json={"revision": 2, "concept": edited}, headers=h).status_code == 200
    _one_line_error(env.client.post(f"/api/proposals/{p['id']}/approve", json={}, headers=h), 409)
    assert env.store.proposal(p["id"])["status"] == "pending"
    _one_line_error(env.client.post("/api/concepts/gctf/restore", json={"to_revision": 1, "revision": 2}, headers=h), 409)
    assert _concept(env, "gctf")["revision"] == 3 and len(env.store.history("gctf")) == 3


def test_bad_input_is_400_or_404(env):
    h = env.h("terminologist")
    c = env.client
    cases = [
        (c.get("/api/lookup", headers=h), 400),
        (c.get("/api/lookup", params={"q": "x", "limit": "ten"}, headers=h), 400),
        (c.get("/api/lookup", params={"q": "x", "limit": 0}, headers=h), 400),
        (c.get("/api/lookup", params={"q": "x", "lang": "fr"}, headers=h), 400),
        (c.get("/api/lookup", params={"q": "x", "style": "NOPE"}, headers=h), 400),
        (c.get("/api/tm/search", params={"q": "x", "min_score": "lots"}, headers=h), 400),
        (c.post("/api/scan", content=b"{not json", headers=h), 400),
        (c.post("/api/scan", content=b"\xff\xfe", headers=h), 400),
        (c.post("/api/scan", json=["a list"], headers=h), 400),
        (c.post("/api/scan", json={"text": 5}, headers=h), 400),
        (c.post("/api/check", json={"segments": [{"source": "x"}]}, headers=h), 400),
        (c.get("/api/concepts/nope", headers=h), 404),
        (c.get("/api/concepts/nope/history", headers=h), 404),
        (c.get("/api/concepts/europol/diff", params={"from": 1, "to": 9}, headers=h), 404),
        (c.get("/api/proposals/999", headers=h), 404),
        (c.get("/api/proposals/abc", headers=h), 404),
        (c.post("/api/proposals/1/merge", json={}, headers=h), 404),
        (c.get("/api/nothing-here"), 404),
        (c.delete("/api/concepts/europol", headers=h), 400),  # no revision: a deletion must say what it deletes
        (c.patch("/api/concepts/europol", headers=h), 405),
        (_propose(env, kind="delete-everything"), 400),
        (_propose(env, kind="new-term", concept_id="europol", base_revision="1", term={"text": "x", "lang": "ar"}), 400),
        (_propose(env, kind="new-term", concept_id="europol", base_revision=1, term={"text": "", "lang": "ar"}), 400),
        (_propose(env, kind="new-term", concept_id="europol", base_revision=1, term={"text": "x", "lang": "ar", "status": "best"}), 400),
        (_propose(env, kind="new-term", concept_id="europol", base_revision=1, term={"text": "x", "lang": "ar", "evil": 1}), 400),
        (_propose(env, kind="new-term", concept_id="nope", base_revision=1, term={"text": "x", "lang": "ar"}), 404),
        (_propose(env, kind="new-term", concept_id="europol", base_revision=1, term={"text": "Europol", "lang": "en"}), 409),
        (_propose(env, kind="change-term", concept_id="europol", base_revision=1, old={"lang": "en", "text": "Nope"},
                  term={"text": "x", "lang": "en"}), 404),
        (_propose(env, kind="new-concept", concept={"id": "1 bad id", "terms": [{"text": "x", "lang": "en"}]}), 400),
        (_propose(env, kind="new-concept", concept={"id": "ok", "terms": []}), 400),
        (c.put("/api/concepts/europol", json={"revision": 1, "concept": {"id": "gctf", "terms": [{"text": "x", "lang": "en"}]}}, headers=h), 400),
        (c.post("/api/tokens", json={"role": "god"}, headers=env.h("admin")), 400),
    ]
    for i, (r, status) in enumerate(cases):
        assert r.status_code == status, (i, r.text)
        _one_line_error(r, status)
    assert env.store.generation() == 1 and _concept(env, "europol")["revision"] == 1


def test_oversized_bodies_are_413(env):
    h = env.h("reader")
    _one_line_error(env.client.post("/api/scan", json={"text": "ب" * 60_000}, headers=h), 413)

    def chunks():  # no Content-Length: refused while streaming
        for _ in range(100):
            yield b"x" * 1000

    _one_line_error(env.client.post("/api/scan", content=chunks(), headers=h), 413)
    _one_line_error(env.client.post("/api/scan", content=b"{}", headers={**h, "content-length": "99999999999"}), 413)
    _one_line_error(env.client.get("/api/lookup", params={"q": "x" * 2000}, headers=h), 413)
    assert env.client.post("/api/scan", json={"text": "ب" * 1000}, headers=h).status_code == 200


INJECTIONS = ["' OR '1'='1", "x'); DROP TABLE concepts; --", "\" OR \"\"=\"", "1; DELETE FROM tokens", "%' --",
              "europol' UNION SELECT hash FROM tokens --", "1 OR 1=1"]


def test_sql_injection_in_every_parameter(env):
    """Every query parameter, body field and path parameter of every route, with injection strings:
    never a 500, never more rows than legitimate writes make, the tables intact afterwards."""
    counts = lambda: {t: env.sql(f"SELECT count(*) FROM {{{t}}}")[0][0]  # noqa: E731
                      for t in ("concepts", "history", "proposals", "tokens")}
    before = counts()
    token_rows = env.sql("SELECT id, hash FROM {tokens} ORDER BY id")
    h = env.h("admin")
    seen = 0
    for path, method, _, _, _, query, body in ROUTES:
        for inj in INJECTIONS:
            url = path.replace("{cid}", inj).replace("{pid}", inj).replace("{action}", inj).replace("{tid}", inj)
            for target in [None, *query, *body]:
                params = {q.split(":")[0].rstrip("*"): "1" for q in query}
                data = {b.rstrip("*"): "1" for b in body}
                if target in query:
                    params[target.split(":")[0].rstrip("*")] = inj
                elif target is not None:
                    data[target.rstrip("*")] = inj
                r = env.client.request(method, url, params=params, json=data if method != "GET" else None, headers=h)
                seen += 1
                assert r.status_code in (200, 201, 400, 404, 405, 409, 413), (method, url, target, r.status_code, r.text)
                assert r.status_code < 500
    after = counts()
    assert after["concepts"] == before["concepts"]
    assert set(token_rows) <= set(env.sql("SELECT id, hash FROM {tokens}"))
    # the only writes an injected string can make are ordinary rows holding it as text
    old = {r[0] for r in token_rows}
    new_tokens = [(r[1],) for r in env.sql("SELECT id, name FROM {tokens}") if r[0] not in old]
    assert all(n[0] in INJECTIONS or n[0] in ("1", "admin", "reader", "translator", "terminologist") for n in new_tokens)
    assert seen > 300
    for inj in INJECTIONS:  # and searching for them finds nothing, rather than everything
        got = env.client.get("/api/lookup", params={"q": inj, "limit": 1000}, headers=h).json()
        assert got.get("results") == [] or inj == "1 OR 1=1", got
        assert env.client.get("/api/tm/concord", params={"q": inj}, headers=h).json()["hits"] == []


def test_markup_in_terms_is_stored_and_returned_verbatim_as_json(env):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c = {"id": "xss-test", "type": "term", "terms": [{"text": evil, "lang": "en"}, {"text": "اختبار " + evil, "lang": "ar"}]}
    assert env.client.post("/api/concepts", json={"concept": c}, headers=env.h("terminologist")).status_code == 201
    r = env.client.get("/api/concepts/xss-test", headers=env.h("reader"))
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["concept"]["terms"][0]["text"] == evil
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_describes_every_route(env):
    spec = env.client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    served = {(r.path, m) for r in env.client.app.app.routes for m in (r.methods or ()) if r.path.startswith("/api/") and m != "HEAD"}
    described = {(p, m.upper()) for p, ops in spec["paths"].items() for m in ops}
    assert served == described
    assert spec == openapi()
    lookup = spec["paths"]["/api/lookup"]["get"]
    assert {p["name"] for p in lookup["parameters"]} == {"q", "lang", "limit", "style"}
    assert "409" in spec["paths"]["/api/concepts/{cid}"]["put"]["responses"]


def test_page_is_served_without_external_resources(env):
    r = env.client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    html = r.text
    assert "http://" not in html and "https://" not in html and "<script>" not in html  # no CDN, no inline script
    for name in ("app.js", "app.css"):
        r = env.client.get(f"/static/{name}")
        assert r.status_code == 200 and "http://" not in r.text.replace("http://www.w3.org", "")
    for bad in ("../db.py", "..%2Fdb.py", "db.py", ".hidden.js", "nope.js"):
        assert env.client.get(f"/static/{bad}").status_code == 404


def test_tbx_export_carries_history_as_transacgrp(env, tmp_path):
    from lxml import etree

    from ctlex.validate import validate

    rev = _concept(env, "ftf")["revision"]
    pid = _propose(env, kind="new-term", concept_id="ftf", base_revision=rev,
                   term={"text": "المقاتلين الإرهابيين الأجانب", "lang": "ar"}, reason="UNSC wording").json()["id"]
    env.client.post(f"/api/proposals/{pid}/approve", json={"reason": "ok"}, headers=env.h("terminologist"))
    data = env.client.get("/api/export", params={"format": "tbx"}, headers=env.h("reader")).content
    out = tmp_path / "history.tbx"
    out.write_bytes(data)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    root = etree.fromstring(data)
    grps = root.findall(".//t:conceptEntry[@id='ftf']/t:transacGrp", ns)
    got = [(g.findtext("t:transac", namespaces=ns), g.findtext("t:transacNote[@type='responsibility']", namespaces=ns),
            g.findtext("t:date", namespaces=ns)) for g in grps]
    assert [g[:2] for g in got] == [("origination", "ctlex"), ("modification", "terminologist-user")]
    assert all(len(g[2]) == 10 and g[2][4] == "-" for g in got)
    assert "proposal" in grps[1].findtext("t:note", namespaces=ns) and "translator-user" in grps[1].findtext("t:note", namespaces=ns)
    assert len(root.findall(".//t:conceptEntry[@id='europol']/t:transacGrp", ns)) == 1
    rep = validate(out)
    assert rep.valid, [p.format(str(out)) for p in rep.problems][:5]
    plain = env.client.get("/api/export", params={"format": "tbx", "history": "false"}, headers=env.h("reader")).content
    assert b"transacGrp" not in plain


def test_a_reimported_history_export_keeps_one_origination_and_no_duplicates(env, tmp_path):
    from lxml import etree

    rev = _concept(env, "ftf")["revision"]
    c = _concept(env, "ftf")["concept"]
    env.client.put("/api/concepts/ftf", json={"revision": rev, "concept": dict(c, definition="edited once")},
                   headers=env.h("terminologist"))
    first = tmp_path / "first.tbx"
    first.write_bytes(env.client.get("/api/export", params={"format": "tbx"}, headers=env.h("reader")).content)
    other = Service(Store(tmp_path / "second.sqlite"), glossary_path=first)  # a second service seeded from it
    c2 = other.concept("ftf")
    from ctlex.serve.auth import Principal

    other.edit(Principal("y", "second-editor", "terminologist"), "ftf", c2["revision"], dict(c2["concept"], definition="twice"))
    data, _name = other.export("tbx", True)
    other.close()
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    grps = etree.fromstring(data).findall(".//t:conceptEntry[@id='ftf']/t:transacGrp", ns)
    kinds = [(g.findtext("t:transac", namespaces=ns), g.findtext("t:transacNote", namespaces=ns)) for g in grps]
    # the first service's two transactions once each, then the second's import and edit
    assert kinds == [("origination", "ctlex"), ("modification", "terminologist-user"),
                     ("modification", "ctlex"), ("modification", "second-editor")], kinds
    notes = [etree.tostring(g) for g in grps]
    assert len(set(notes)) == len(notes)


def test_delete_is_revision_checked_recorded_and_restorable(env):
    h = env.h("terminologist")
    rev = _concept(env, "gctf")["revision"]
    _one_line_error(env.client.request("DELETE", "/api/concepts/gctf", json={"revision": rev}, headers=env.h("translator")), 403)
    _one_line_error(env.client.request("DELETE", "/api/concepts/gctf", json={"revision": rev + 5}, headers=h), 409)
    _one_line_error(env.client.request("DELETE", "/api/concepts/gctf", json={}, headers=h), 400)
    _one_line_error(env.client.request("DELETE", "/api/concepts/nope", json={"revision": 1}, headers=h), 404)
    r = env.client.request("DELETE", "/api/concepts/gctf", json={"revision": rev, "reason": "merged"}, headers=h)
    assert r.status_code == 200 and r.json() == {"id": "gctf", "revision": rev + 1, "deleted": True}
    _one_line_error(env.client.get("/api/concepts/gctf", headers=h), 404)
    assert env.client.get("/api/lookup", params={"q": "GCTF"}, headers=h).json()["results"] == [] or \
        all(x["id"] != "gctf" for x in env.client.get("/api/lookup", params={"q": "GCTF"}, headers=h).json()["results"])
    assert b'id="gctf"' not in env.client.get("/api/export", params={"format": "tbx"}, headers=h).content
    hist = env.client.get("/api/concepts/gctf/history", headers=h).json()
    last = hist["history"][-1] if isinstance(hist, dict) and "history" in hist else hist[-1]
    assert last["action"] == "delete" and last["reason"] == "merged"
    r = env.client.post("/api/concepts/gctf/restore", json={"to_revision": rev, "revision": rev + 1}, headers=h)
    assert r.status_code == 200 and _concept(env, "gctf")["revision"] == rev + 2


def test_store_refuses_a_newer_schema(tmp_path):
    from ctlex.errors import CtlexError

    p = tmp_path / "s.sqlite"
    Store(p).close()
    db = sqlite3.connect(p)
    db.execute("UPDATE schema_version SET version = 99")
    db.commit()
    with pytest.raises(CtlexError, match="schema version 99"):
        Store(p)


def test_postgresql_store_refuses_a_newer_schema_and_shares_a_database_with_the_tm(pg_url):
    import psycopg

    from ctlex.errors import CtlexError
    from ctlex.segment import Segment
    from ctlex.serve.pgdb import MIGRATIONS
    from ctlex.tm import open_store as open_tm_store

    store = open_store(pg_url)
    store.seed([{"id": "x", "terms": []}], "t", "r")
    tm = open_tm_store(pg_url)  # the TM's tables beside the service's, in one schema
    tm.add([Segment("يوروبول", "Europol")])
    assert len(tm) == 1 and store.count() == 1 and store.generation() == 1
    tm.close()
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        assert c.execute("SELECT max(version) FROM serve_schema_version").fetchone()[0] == MIGRATIONS[-1][0]
        c.execute("INSERT INTO serve_schema_version (version, description) VALUES (99, 'from the future')")
    with pytest.raises(CtlexError, match="service store schema 99 is newer"):
        open_store(pg_url)


def test_postgresql_store_errors_are_one_line(pg_admin_url):
    from pg_fixture import with_dbname

    from ctlex.errors import CtlexError

    with pytest.raises(CtlexError) as e:
        open_store(with_dbname(pg_admin_url, "no_such_database_here"))
    assert "cannot connect to the service store" in str(e.value) and "\n" not in str(e.value)


# -- CLI ----------------------------------------------------------------------------------------------

def test_serve_cli_on_postgresql(pg_url, mini_glossary, tmp_path):
    gpath = tmp_path / "g.tbx"
    mini_glossary.save(gpath)
    r = CliRunner().invoke(cli, ["serve", "--db", pg_url, "--glossary", str(gpath), "--create-token", "terminologist",
                                 "--name", "Omar", "--json"])
    assert r.exit_code == 0, r.output
    tok = json.loads(r.output)
    svc = Service(open_store(pg_url))
    assert svc.authenticate(f"Bearer {tok['token']}").name == "Omar"
    assert svc.lookup("يوروبول")["results"][0]["id"] == "europol"  # seeded from the glossary on first use
    svc.store.close()


def test_create_token_cli_and_help_stays_light(tmp_path, mini_glossary):
    gpath = tmp_path / "g.tbx"
    mini_glossary.save(gpath)
    db = tmp_path / "s.sqlite"
    r = CliRunner().invoke(cli, ["serve", "--db", str(db), "--glossary", str(gpath), "--create-token", "translator",
                                 "--name", "Samira", "--json"])
    assert r.exit_code == 0, r.output
    tok = json.loads(r.output)
    assert tok["role"] == "translator" and tok["token"].startswith("ctlex_")
    svc = Service(Store(db))
    assert svc.authenticate(f"Bearer {tok['token']}").name == "Samira"
    r = CliRunner().invoke(cli, ["serve", "--db", str(db), "--database-url", "postgresql://x/y"])
    assert r.exit_code == 2 and "--db or --database-url" in r.output and r.output.count("\n") <= 2
    r = CliRunner().invoke(cli, ["serve", "--database-url", str(db)])
    assert r.exit_code == 2 and "not a postgresql:// URL" in r.output
    code = ("import sys; from ctlex.cli import main; sys.argv=['ctlex','--help']\ntry: main()\nexcept SystemExit: pass\n"
            "bad=[m for m in ('starlette','uvicorn','httpx','ctlex.serve.app') if m in sys.modules]; print('HEAVY', bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out and "serve" in out


def test_serve_refuses_a_taken_port_in_one_line(tmp_path, mini_glossary):
    import socket

    gpath = tmp_path / "g.tbx"
    mini_glossary.save(gpath)
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
        r = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "s.sqlite"), "--glossary", str(gpath), "--port", str(port)])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and f"127.0.0.1:{port}: cannot listen" in r.output


def test_unwritable_store_is_one_line_error(tmp_path):
    r = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing-dir" / "s.sqlite"), "--create-token", "reader"])
    assert r.exit_code == 2 and r.output.startswith("ctlex: error: ") and r.output.count("\n") == 1, r.output


def test_two_services_on_one_store_see_each_others_writes(env):
    """A second process (here: a second Service on the same file) reads what the first wrote, and
    its stale edit is refused: the revision check lives in the store, not in one process."""
    from ctlex.serve.auth import Principal

    other = Service(open_store(env.target))
    boss = Principal("x", "other-process", "terminologist")
    assert other.lookup("يوروبول")["results"][0]["id"] == "europol"
    c = other.concept("europol")
    env.client.put("/api/concepts/europol", json={"revision": c["revision"], "concept": dict(c["concept"], definition="one")},
                   headers=env.h("terminologist"))
    assert other.concept("europol")["concept"]["definition"] == "one"
    with pytest.raises(Exception) as e:
        other.edit(boss, "europol", c["revision"], dict(c["concept"], definition="two"))
    assert "revision 2" in str(e.value)
    add = dict(c["concept"], terms=c["concept"]["terms"] + [{"text": "يوروبولل", "lang": "ar"}])
    other.edit(boss, "europol", 2, add)
    r = env.client.get("/api/lookup", params={"q": "يوروبولل"}, headers=env.h("reader")).json()["results"][0]
    assert (r["match"], r["matched_term"]) == ("exact", "يوروبولل")  # this process's glossary followed
    other.store.close()
