"""``ctlex serve`` under concurrent clients on loopback: a real uvicorn server, many threads.

Writers race to edit one concept (retrying on 409), terminologists race to approve the same
proposals, readers look up throughout.  Afterwards the store is checked: every write is there
exactly once, revisions are consecutive, and each history row starts where the previous ended.
Counts and time are bounded.  The store is SQLite and, in a second run, PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from ctlex.serve.app import create_app  # noqa: E402
from ctlex.serve.stores import open_store  # noqa: E402
from ctlex.serve.service import Service  # noqa: E402

WRITERS, EDITS = 8, 5
READERS = 6
PROPOSERS, PROPOSALS = 2, 8


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path, mini_glossary):
    gpath = tmp_path / "mini.tbx"
    mini_glossary.save(gpath)
    if request.param == "sqlite":
        target = str(tmp_path / "serve.sqlite")
    else:
        from pg_fixture import new_schema

        target = new_schema(request.getfixturevalue("pg_admin_url"))
    svc = Service(open_store(target), glossary_path=gpath, tm_path=None)
    config = uvicorn.Config(create_app(svc), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not t.is_alive():
            pytest.fail("uvicorn did not start on loopback")
        time.sleep(0.02)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield svc, f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)
    svc.close()


def _run(threads: list[threading.Thread], seconds: float) -> None:
    for t in threads:
        t.start()
    end = time.monotonic() + seconds
    for t in threads:
        t.join(max(0.1, end - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "clients did not finish in time"


def test_concurrent_edits_and_reads_lose_and_duplicate_nothing(server):
    svc, base = server
    terms = [svc.create_token("terminologist", f"editor-{i}")["token"] for i in range(WRITERS)]
    reader = svc.create_token("reader", "watcher")["token"]
    errors: list[str] = []
    conflicts = [0]
    done = threading.Event()
    lock = threading.Lock()

    def writer(i: int) -> None:
        with httpx.Client(base_url=base, headers={"authorization": f"Bearer {terms[i]}"}, timeout=30) as c:
            for k in range(EDITS):
                for _attempt in range(200):
                    cur = c.get("/api/concepts/europol").json()
                    concept = cur["concept"]
                    concept["terms"].append({"text": f"Europol variant {i}-{k}", "lang": "en", "status": "admitted"})
                    r = c.put("/api/concepts/europol", json={"revision": cur["revision"], "concept": concept,
                                                             "reason": f"writer {i} edit {k}"})
                    if r.status_code == 200:
                        break
                    if r.status_code != 409:
                        errors.append(f"writer {i}: {r.status_code} {r.text}")
                        return
                    with lock:
                        conflicts[0] += 1
                else:
                    errors.append(f"writer {i}: gave up")

    def read() -> None:
        seen = 0
        with httpx.Client(base_url=base, headers={"authorization": f"Bearer {reader}"}, timeout=30) as c:
            while not done.is_set():
                r = c.get("/api/lookup", params={"q": "يوروبول"})
                if r.status_code != 200 or r.json()["results"][0]["id"] != "europol":
                    errors.append(f"reader: {r.status_code} {r.text}")
                    return
                rev = c.get("/api/concepts/europol").json()["revision"]
                if rev < seen:
                    errors.append(f"reader saw revision {rev} after {seen}")
                seen = rev

    writers = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for t in readers:
        t.start()
    t0 = time.monotonic()
    _run(writers, 120)
    done.set()
    for t in readers:
        t.join(30)
    assert not errors, errors[:5]
    assert time.monotonic() - t0 < 120

    # checked against the store itself
    rev, data = svc.store.get("europol")
    added = [t["text"] for t in data["terms"] if t["text"].startswith("Europol variant")]
    expected = {f"Europol variant {i}-{k}" for i in range(WRITERS) for k in range(EDITS)}
    assert sorted(added) == sorted(expected)  # none lost, none twice
    assert rev == 1 + WRITERS * EDITS
    hist = svc.store.history("europol")
    assert [h["revision"] for h in hist] == list(range(1, rev + 1))
    for prev, cur in zip(hist, hist[1:]):
        assert cur["before"] == prev["after"]  # each edit was made on the version before it
    assert {h["actor"] for h in hist[1:]} == {f"editor-{i}" for i in range(WRITERS)}
    # the glossary readers see caught up
    assert len(svc.glossary()["europol"].terms) == len(data["terms"])


def test_racing_approvals_apply_each_proposal_once(server):
    svc, base = server
    proposers = [svc.create_token("translator", f"translator-{i}")["token"] for i in range(PROPOSERS)]
    reviewers = [svc.create_token("terminologist", f"reviewer-{i}")["token"] for i in range(3)]
    errors: list[str] = []
    approved: list[tuple[int, str]] = []
    lock = threading.Lock()

    def propose(i: int) -> None:
        with httpx.Client(base_url=base, headers={"authorization": f"Bearer {proposers[i]}"}, timeout=30) as c:
            for k in range(PROPOSALS):
                c_json = {"id": f"new-{i}-{k}", "type": "term", "terms": [{"text": f"term {i} {k}", "lang": "en"}]}
                r = c.post("/api/proposals", json={"kind": "new-concept", "concept": c_json})
                if r.status_code != 201:
                    errors.append(r.text)

    _run([threading.Thread(target=propose, args=(i,)) for i in range(PROPOSERS)], 60)
    pending = [p["id"] for p in svc.store.proposals("pending")]
    assert len(pending) == PROPOSERS * PROPOSALS

    def review(j: int) -> None:
        with httpx.Client(base_url=base, headers={"authorization": f"Bearer {reviewers[j]}"}, timeout=30) as c:
            for pid in pending:
                r = c.post(f"/api/proposals/{pid}/approve", json={"reason": f"by {j}"})
                if r.status_code == 200:
                    with lock:
                        approved.append((pid, f"reviewer-{j}"))
                elif r.status_code != 409:
                    errors.append(f"{r.status_code} {r.text}")

    _run([threading.Thread(target=review, args=(j,)) for j in range(len(reviewers))], 60)
    assert not errors, errors[:5]
    assert sorted(p for p, _ in approved) == sorted(pending)  # each approved exactly once
    for pid, who in approved:
        p = svc.store.proposal(pid)
        assert (p["status"], p["decided_by"], p["result_revision"]) == ("approved", who, 1)
        hist = svc.store.history(p["concept_id"])
        assert [(h["revision"], h["actor"], h["proposal_id"]) for h in hist] == [(1, who, pid)]


def test_ctlex_serve_process_listens_on_loopback_only(tmp_path, mini_glossary):
    """The real command: `ctlex serve` in its own process answers, and listens on 127.0.0.1 only."""
    import json
    import os
    import socket
    import subprocess
    import sys

    gpath = tmp_path / "g.tbx"
    mini_glossary.save(gpath)
    cmd = [sys.executable, "-m", "ctlex", "serve", "--db", str(tmp_path / "s.sqlite"), "--glossary", str(gpath)]
    tok = json.loads(subprocess.run(cmd + ["--create-token", "reader", "--json"], capture_output=True, text=True,
                                    check=True).stdout)["token"]
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    proc = subprocess.Popen(cmd + ["--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/lookup", params={"q": "يوروبول"},
                              headers={"authorization": f"Bearer {tok}"})
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["results"][0]["id"] == "europol"
        assert httpx.get(f"http://127.0.0.1:{port}/api/lookup", params={"q": "x"}).status_code == 401
        if os.path.exists("/proc/net/tcp"):
            rows = [line.split() for line in open("/proc/net/tcp").read().splitlines()[1:]]
            listening = [r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == port]
            assert listening == ["0100007F:%04X" % port]  # 127.0.0.1, not 0.0.0.0
    finally:
        proc.terminate()
        proc.wait(10)
