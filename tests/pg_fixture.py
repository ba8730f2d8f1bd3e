"""A throw-away PostgreSQL server for the tests and benchmarks: a cluster in a temporary
directory, listening only on a Unix socket in that directory, stopped and removed at the end.

Found through ``initdb``/``pg_ctl`` on PATH or Debian's ``/usr/lib/postgresql/<version>/bin``
(``apt-get install postgresql``).  As root (which initdb refuses), the cluster is created and run
as the ``postgres`` user, its directory handed to it.  ``CTLEX_TEST_PG_URL`` points the tests at
an existing server instead (a database the tests may create databases on).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

URL_ENV = "CTLEX_TEST_PG_URL"


class Unavailable(Exception):
    """No PostgreSQL server can be started here (the message says why)."""


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    for d in reversed(dirs):
        if os.access(os.path.join(d, "initdb"), os.X_OK) and os.access(os.path.join(d, "pg_ctl"), os.X_OK):
            return Path(d)
    raise Unavailable("no initdb/pg_ctl found (install Debian's postgresql package, or set CTLEX_TEST_PG_URL)")


class TempCluster:
    """``with TempCluster() as pg: pg.url("db")`` — a running server, gone after the block."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        # /tmp when it is there: short enough for the socket path, and open to the postgres user
        self.dir = Path(tempfile.mkdtemp(prefix="ctlex-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        self.data = self.dir / "data"
        self.sock = self.dir  # the socket lives beside the data (short path: sun_path is ~107 bytes)
        self.port = 5432
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.dir, ignore_errors=True)
                raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            runuser = shutil.which("runuser") or shutil.which("su")
            if runuser is None:
                raise Unavailable("running as root and neither runuser nor su is there to drop privileges")
            self._as = [runuser, "-u", "postgres", "--"] if runuser.endswith("runuser") else []
            self._su = runuser if not self._as else None
        self.started = False

    def _run(self, *argv: str, timeout: float = 120) -> None:
        cmd = [*self._as, *argv]
        if os.geteuid() == 0 and not self._as:  # su -c
            cmd = [str(self._su), "postgres", "-s", "/bin/sh", "-c", " ".join(quote(a, safe="/-=._ ") for a in argv)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if r.returncode != 0:
            raise Unavailable(f"{Path(argv[0]).name} failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}")

    def start(self) -> "TempCluster":
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.sock} -c port={self.port} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=256MB")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-o", opts, "-w", "-t", "60", "start")
        self.started = True
        return self

    def stop(self) -> None:
        if self.started:
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
            except (Unavailable, subprocess.TimeoutExpired):
                pass
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "TempCluster":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={quote(str(self.sock), safe='')}&port={self.port}"


def new_database(admin_url: str, prefix: str = "t") -> str:
    """Create a fresh, empty database on the server of ``admin_url``; its URL."""
    import psycopg
    from psycopg import sql

    name = f"ctlex_{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_dbname(admin_url, name)


def with_dbname(url: str, name: str) -> str:
    """``url`` with its database replaced by ``name``."""
    from urllib.parse import urlsplit, urlunsplit

    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment))


def new_schema(admin_url: str, prefix: str = "t") -> str:
    """Create a fresh, empty schema in the database of ``admin_url``; a URL whose search_path
    is that schema (one store per schema: cheaper than a database per test)."""
    import psycopg
    from psycopg import sql

    name = f"ctlex_{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    sep = "&" if "?" in admin_url else "?"
    return f"{admin_url}{sep}options={quote('-csearch_path=' + name, safe='')}"
