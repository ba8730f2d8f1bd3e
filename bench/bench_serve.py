#!/usr/bin/env python
"""``ctlex serve`` benchmarks: figures and ratios against a baseline from the same run.

Data: the shipped glossary (seeded into a fresh service store) and the development sets, which
the glossary was not built from:

* lookup queries: every mention surface of ``recognition_gold.tsv`` (as terms are written in new
  news text: clitics, variant spellings; 554) plus as many two-word n-grams of
  ``recognition_ar.tsv`` that are mostly not terms;
* scan texts: ``recognition_ar.tsv`` sentences joined to 2,000 characters each (distinct windows).

Measured, in one process:

* baseline: ``Glossary.lookup`` / ``Glossary.scan`` called directly (no HTTP, one caller), after
  one warm pass over the queries (so every run sees the same warm caches);
* the in-process API call: the ASGI app through ``httpx.ASGITransport`` (routing, auth with a
  cached token check, JSON in and out, the worker thread pool), with N = 1, 8, 32 concurrent
  clients (asyncio tasks, each sending its requests one after another): lookups/s over the run
  and p50/p95 latency per request;
* the same over loopback TCP, for reference: ``ctlex serve`` in its own process, clients in
  threads of this one (``http.client``, keep-alive), and ``GET /api/health`` as the transport's
  own cost;
* scan of a 2,000-character text: p50/p95 through the API, directly, and directly with the
  ``--json`` shaping (``Hit.to_dict``, which the API and the CLI share).

Python runs one thread at a time and the service serializes calls into one glossary, so more
clients raise latency, not throughput; the figures show how much.

Example:
    python bench/bench_serve.py                 # about a minute on 2 cores
    python bench/bench_serve.py --lookups 300 --no-loopback
    python bench/bench_serve.py --postgresql    # the API rows again with the store in PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("CTLEX_SHARED", ROOT.parent / "shared"))

import httpx  # noqa: E402

from ctlex.serve.app import create_app  # noqa: E402
from ctlex.serve.db import Store  # noqa: E402
from ctlex.serve.service import Service  # noqa: E402


def _rows(name: str) -> list[list[str]]:
    p = SHARED / "devsets" / name
    if not p.is_file():
        sys.exit(f"bench_serve: {p} not found (set CTLEX_SHARED)")
    return [line.split("\t") for line in p.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def queries() -> list[str]:
    surfaces = [r[3] for r in _rows("recognition_gold.tsv")]
    grams = []
    for _, sentence in _rows("recognition_ar.tsv"):
        w = sentence.split()
        grams += [" ".join(w[i:i + 2]) for i in range(0, len(w) - 1, 7)]
    return surfaces + grams[:len(surfaces)]


def scan_texts(n: int) -> list[str]:
    text = " ".join(s for _, s in _rows("recognition_ar.tsv"))
    step = max(1, (len(text) - 2000) // n)
    return [text[i * step:i * step + 2000] for i in range(n)]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def ms(x: float) -> str:
    return f"{x * 1000:7.2f} ms"


async def run_inprocess(app, token: str, qs: list[str], clients: int) -> tuple[float, list[float]]:
    lat: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers={"authorization": f"Bearer {token}"}) as c:
        await c.get("/api/lookup", params={"q": "يوروبول"})  # warm

        async def client(part: list[str]) -> None:
            for q in part:
                t = time.perf_counter()
                r = await c.get("/api/lookup", params={"q": q})
                lat.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text

        t0 = time.perf_counter()
        await asyncio.gather(*(client(qs[i::clients]) for i in range(clients)))
        return time.perf_counter() - t0, lat


def run_loopback(base: str, token: str, qs: list[str], clients: int) -> tuple[float, list[float]]:
    """Clients in threads, each on one keep-alive connection (the standard library's http.client:
    on this machine httpx's client spends milliseconds in send() per request, http.client does not)."""
    import http.client
    import json
    from urllib.parse import quote, urlsplit

    lat: list[float] = []
    lock = threading.Lock()
    host, port = urlsplit(base).hostname, urlsplit(base).port

    def client(part: list[str]) -> None:
        c = http.client.HTTPConnection(host, port, timeout=60)
        try:
            for q in part:
                t = time.perf_counter()
                c.request("GET", "/api/lookup?q=" + quote(q), headers={"authorization": f"Bearer {token}"})
                r = c.getresponse()
                body = r.read()
                d = time.perf_counter() - t
                assert r.status == 200 and "results" in json.loads(body), body
                with lock:
                    lat.append(d)
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(qs[i::clients],)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, lat


def loopback(tmp: Path, qs: list[str]) -> list[tuple[int, float, list[float]]]:
    """``ctlex serve`` in its own process (its own interpreter lock), clients in threads here."""
    import json
    import socket
    import subprocess

    db = tmp / "loopback.sqlite"
    cmd = [sys.executable, "-m", "ctlex", "serve", "--db", str(db)]
    token = json.loads(subprocess.run(cmd + ["--create-token", "reader", "--json"], capture_output=True, text=True,
                                      check=True).stdout)["token"]
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    proc = subprocess.Popen(cmd + ["--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/lookup?q=x", headers={"authorization": f"Bearer {token}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit("bench_serve: ctlex serve did not start")
            time.sleep(0.1)
        out = []
        import http.client

        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # the transport alone: a route that does nothing
        lat = []
        for _ in range(200):
            t = time.perf_counter()
            c.request("GET", "/api/health")
            c.getresponse().read()
            lat.append(time.perf_counter() - t)
        c.close()
        out.append((0, 200 / sum(lat), lat))
        for n in (1, 8, 32):
            wall, lat = run_loopback(base, token, qs, n)
            out.append((n, len(qs) / wall, lat))
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lookups", type=int, default=800, help="lookups per configuration")
    ap.add_argument("--scans", type=int, default=40, help="2,000-character texts scanned")
    ap.add_argument("--no-loopback", action="store_true", help="skip the loopback runs against a `ctlex serve` process")
    ap.add_argument("--postgresql", action="store_true",
                    help="also run the in-process API on a PostgreSQL service store (a throw-away cluster: Debian's postgresql)")
    args = ap.parse_args()

    qs_all = queries()
    qs = (qs_all * (args.lookups // len(qs_all) + 1))[:args.lookups]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        svc = Service(Store(Path(tmp) / "serve.sqlite"))
        g = svc.glossary()
        print(f"store seeded from the shipped glossary ({len(g)} concepts) and matcher built: {time.perf_counter() - t:.2f} s")
        token = svc.create_token("reader", "bench")["token"]
        app = create_app(svc)
        print(f"queries: {len(qs_all)} distinct (devset mention surfaces + n-grams), {len(qs)} per run\n")

        for q in qs_all:  # one warm pass: the matcher's per-query caches are then as warm for every run below
            g.lookup(q)
        base_lat = []
        for q in qs:
            t = time.perf_counter()
            g.lookup(q)
            base_lat.append(time.perf_counter() - t)
        base_rate = len(qs) / sum(base_lat)
        print(f"{'lookup':34} {'lookups/s':>10} {'p50':>10} {'p95':>10}  vs direct")
        print(f"{'direct Glossary.lookup, 1 caller':34} {base_rate:10.0f} {ms(pct(base_lat, 50))} {ms(pct(base_lat, 95))}")
        def api_rows(app: object, token: str, label: str) -> None:
            for n in (1, 8, 32):
                wall, lat = asyncio.run(run_inprocess(app, token, qs, n))
                rate = len(qs) / wall
                print(f"{f'{label}, N={n}':34} {rate:10.0f} {ms(pct(lat, 50))} {ms(pct(lat, 95))}  "
                      f"{rate / base_rate:5.2f}x rate, {pct(lat, 95) / pct(base_lat, 95):5.1f}x p95")

        api_rows(app, token, "in-process API")
        if args.postgresql:  # the same, with the service store in a throw-away PostgreSQL cluster
            sys.path.insert(0, str(ROOT / "tests"))
            from pg_fixture import TempCluster, new_schema

            from ctlex.serve.pgdb import PgStore

            with TempCluster() as pg:
                psvc = Service(PgStore(new_schema(pg.url())))
                psvc.glossary()
                ptoken = psvc.create_token("reader", "bench")["token"]
                api_rows(create_app(psvc), ptoken, "in-process API, PostgreSQL store")
                psvc.close()

        if not args.no_loopback:
            for n, rate, lat in loopback(Path(tmp), qs):
                label = f"loopback ctlex serve, N={n}" if n else "loopback GET /api/health, N=1"
                print(f"{label:34} {rate:10.0f} {ms(pct(lat, 50))} {ms(pct(lat, 95))}  "
                      f"{rate / base_rate:5.2f}x rate, {pct(lat, 95) / pct(base_lat, 95):5.1f}x p95")

        texts = scan_texts(args.scans)
        direct, shaped, api = [], [], []
        for tx in texts:
            t = time.perf_counter()
            g.scan(tx)
            direct.append(time.perf_counter() - t)
        for tx in texts:
            t = time.perf_counter()
            [h.to_dict() for h in g.scan(tx)]
            shaped.append(time.perf_counter() - t)

        async def scans() -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                         headers={"authorization": f"Bearer {token}"}) as c:
                for tx in texts:
                    t = time.perf_counter()
                    r = await c.post("/api/scan", json={"text": tx})
                    api.append(time.perf_counter() - t)
                    assert r.status_code == 200

        asyncio.run(scans())
        hits = sum(len(svc.scan(tx)["hits"]) for tx in texts)
        print(f"\nscan of a 2,000-character text ({len(texts)} texts, {hits / len(texts):.0f} hits each on average)")
        print(f"{'direct Glossary.scan':34} p50 {ms(pct(direct, 50))}  p95 {ms(pct(direct, 95))}")
        print(f"{'direct scan + Hit.to_dict (--json)':34} p50 {ms(pct(shaped, 50))}  p95 {ms(pct(shaped, 95))}")
        print(f"{'in-process API POST /api/scan':34} p50 {ms(pct(api, 50))}  p95 {ms(pct(api, 95))}  "
              f"{pct(api, 95) / pct(direct, 95):.2f}x p95 of the scan, {pct(api, 95) / pct(shaped, 95):.2f}x of scan + to_dict")
        svc.store.close()


if __name__ == "__main__":
    main()
