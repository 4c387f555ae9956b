"""A throwaway PostgreSQL cluster for the tests: one per xdist worker, on 127.0.0.1 only.

``pg_server`` (session) runs initdb + pg_ctl in a temporary folder (as the system user ``pos_pg``
when the tests run as root: initdb refuses root); ``pg_template`` migrates a ``pos_template``
database once; ``pg_url`` gives each test its own copy of it (``CREATE DATABASE … TEMPLATE``, a
file copy: much faster than migrating) and drops it afterwards.

Without the PostgreSQL binaries the PostgreSQL tests are skipped, except under CI (``CI=true``),
where a missing server must fail the run rather than hide it (scripts/ensure_postgres installs it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pg_cluster
import pytest

TEMPLATE = "pos_template"
# The cluster lives in memory when it can: on disk, each CREATE DATABASE took 0.5-1 s (40-80 ms in /dev/shm).
_SHM = "/dev/shm"


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


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401 - a runtime dependency; its absence is an install problem
    except ImportError:
        _missing("psycopg is not installed")
    bindir = pg_cluster.pg_bindir()
    if bindir is None:
        _missing("PostgreSQL server binaries (initdb, pg_ctl) not found")
    prefix = pg_cluster.run_as()
    folder = Path(tempfile.mkdtemp(prefix="pos-tui-pg-", dir=_SHM if os.access(_SHM, os.W_OK) else None))
    pg_cluster.hand_over(folder, prefix)
    stop = pg_cluster.stop_command(bindir, folder, prefix, "immediate")
    watchdog = pg_cluster.watch(folder, stop, "pos-tui-pg-watchdog")
    try:
        port = pg_cluster.start(bindir, folder, prefix,
                                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
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


STORE_FILE_SUFFIXES = ("", ".key", ".anchors")  # a SQLite store: database, signing key, anchor log


def copy_store_files(source: Path, target: Path) -> Path:
    """Copy a SQLite store with its key and anchor log to ``target`` (the files that exist)."""
    for suffix in STORE_FILE_SUFFIXES:
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="session")
def demo_sqlite_file(tmp_path_factory) -> Path:
    """The demo shop as a SQLite file, built once per test process (to move to PostgreSQL)."""
    from helpers_ui_screens import fixed_now
    from pos_tui.services.demo import open_demo

    path = tmp_path_factory.mktemp("demo-sqlite") / "demo.db"
    open_demo(path, clock=fixed_now).close()
    return path
