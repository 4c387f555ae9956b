"""A throwaway PostgreSQL cluster for the tests: one per xdist worker, on 127.0.0.1 only.

``pg_server`` (session) runs initdb + pg_ctl in a temporary folder (as the system user ``pos_pg``
when the tests run as root: initdb refuses root); ``pg_template`` migrates a ``pos_template``
database once; ``pg_url`` gives each test its own copy of it (``CREATE DATABASE … TEMPLATE``, a
file copy: much faster than migrating) and drops it afterwards.

Without the PostgreSQL binaries the PostgreSQL tests are skipped, except under CI (``CI=true``),
where a missing server must fail the run rather than hide it (scripts/ensure_postgres installs it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "pos_pg"
TEMPLATE = "pos_template"
# The cluster lives in memory when it can: on disk, each CREATE DATABASE took 0.5-1 s (40-80 ms in /dev/shm).
_SHM = "/dev/shm"


def pg_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                             check=True, timeout=30).stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    # Debian/Ubuntu keep the server binaries out of PATH: the newest version first.
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                         reverse=True)
    candidates.append("/usr/local/bin")
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if folder and all(os.access(Path(folder) / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> list[str]:
    """The command prefix that runs the server tools as a non-root user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        # Another xdist worker may create it at the same moment: only its existence matters.
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       capture_output=True, timeout=60)
        pwd.getpwnam(PG_USER)  # KeyError here: the user could not be created
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", PG_USER, "--"]
    entry = pwd.getpwnam(PG_USER)
    return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]


@dataclass
class PgServer:
    port: int
    folder: Path
    version: int = 0  # server_version_num

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=10)


def _missing(message: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " (CI: scripts/ensure_postgres should have installed it)", pytrace=False)
    pytest.skip(message)


def _start(bindir: Path, folder: Path, prefix: list[str]) -> int:
    data = folder / "data"
    tools = {"cwd": folder, "capture_output": True, "text": True, "timeout": 180}
    result = subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                             "--no-sync", "-E", "UTF8", "--no-locale"], **tools)
    if result.returncode:
        raise RuntimeError(f"initdb failed: {result.stderr[-2000:]}")
    for _attempt in range(3):  # a free port can be taken between the probe and the start
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        result = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                                 "-w", "-t", "60", "-o", options, "start"], **tools)
        if result.returncode == 0:
            return port
    log = (folder / "server.log").read_text(errors="replace")[-2000:] if (folder / "server.log").exists() else ""
    raise RuntimeError(f"pg_ctl start failed: {result.stderr[-1000:]}\n{log}")


# Stops the cluster and removes its folder once the test process is gone without its teardown (killed by a
# timeout, a crash): a SIGTERM skips Python's finally blocks, and an orphan cluster would hold memory for good.
_WATCHDOG = """
owner=$1; folder=$2; shift 2
while kill -0 "$owner" 2>/dev/null; do sleep 1; done
"$@" >/dev/null 2>&1
rm -rf "$folder"
"""


def _watch(folder: Path, stop: list[str]) -> subprocess.Popen:
    # Its own session: a signal sent to the test run's process group leaves it to clean up.
    return subprocess.Popen(["sh", "-c", _WATCHDOG, "pos-tui-pg-watchdog", str(os.getpid()), str(folder), *stop],
                            cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401 - a runtime dependency; its absence is an install problem
    except ImportError:
        _missing("psycopg is not installed")
    bindir = pg_bindir()
    if bindir is None:
        _missing("PostgreSQL server binaries (initdb, pg_ctl) not found")
    prefix = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="pos-tui-pg-", dir=_SHM if os.access(_SHM, os.W_OK) else None))
    if prefix:
        entry = pwd.getpwnam(PG_USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"]
    watchdog = _watch(folder, stop)
    try:
        port = _start(bindir, folder, prefix)
        server = PgServer(port, folder)
        with server.connect() as conn:
            server.version = int(conn.execute("SHOW server_version_num").fetchone()[0])
        yield server
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            subprocess.run(stop, cwd=folder, capture_output=True, timeout=120)
        watchdog.kill()
        watchdog.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """The database every test database is copied from: this version's schema, no data."""
    from pos_tui.store import pg_schema

    with pg_server.connect() as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    with pg_server.connect(TEMPLATE) as conn:
        pg_schema.migrate(conn)
    return TEMPLATE


_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_server, pg_template):
    """``postgresql://…/t<N>``: a fresh, migrated database of its own, dropped after the test."""
    name = f"t{next(_numbers)}"
    # FILE_COPY (PostgreSQL 15+): a plain copy of the small template, faster than logging every page.
    strategy = " STRATEGY FILE_COPY" if pg_server.version >= 150000 else ""
    with pg_server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}{strategy}")
    try:
        yield pg_server.url(name)
    finally:
        with pg_server.connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
