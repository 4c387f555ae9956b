"""Start and stop a throwaway PostgreSQL cluster on 127.0.0.1, without pytest.

Shared by the test fixtures (tests/helpers_pg.py) and the PostgreSQL benchmark (benchmarks/bench_pg.py):
find the server binaries, run them as a non-root system user when we are root (initdb refuses root),
pick a free loopback port, and leave a watchdog that stops the cluster and removes its folder if the
owning process dies without its cleanup (a SIGTERM skips Python's finally blocks).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

PG_USER = "pos_pg"


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_as() -> list[str]:
    """The command prefix that runs the server tools as a non-root user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        # Another process may create it at the same moment: only its existence matters.
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       capture_output=True, timeout=60)
        pwd.getpwnam(PG_USER)  # KeyError here: the user could not be created
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", PG_USER, "--"]
    entry = pwd.getpwnam(PG_USER)
    return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]


def hand_over(folder: Path, prefix: list[str]) -> None:
    """Give the cluster's folder to the user the tools run as."""
    if prefix:
        entry = pwd.getpwnam(PG_USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)


def stop_command(bindir: Path, folder: Path, prefix: list[str], mode: str) -> list[str]:
    return [*prefix, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", mode, "-w", "stop"]


_WATCHDOG = """
owner=$1; folder=$2; shift 2
while kill -0 "$owner" 2>/dev/null; do sleep 1; done
"$@" >/dev/null 2>&1
rm -rf "$folder"
"""


def watch(folder: Path, stop: list[str], name: str) -> subprocess.Popen:
    """Stops the cluster and removes ``folder`` once this process is gone. Its own session: a signal
    sent to our process group leaves it to clean up."""
    return subprocess.Popen(["sh", "-c", _WATCHDOG, name, str(os.getpid()), str(folder), *stop],
                            cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def start(bindir: Path, folder: Path, prefix: list[str], options: str = "") -> int:
    """initdb in ``folder``/data and start the server on a free 127.0.0.1 port (returned). ``options``:
    more ``-c name=value`` settings (the tests turn fsync off; the benchmark keeps the defaults)."""
    data = folder / "data"
    tools = {"cwd": folder, "capture_output": True, "text": True, "timeout": 180}
    # --no-sync: only initdb's own final flush is skipped; the server runs with its own settings.
    result = subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                             "--no-sync", "-E", "UTF8", "--no-locale"], **tools)
    if result.returncode:
        raise RuntimeError(f"initdb failed: {result.stderr[-2000:]}")
    for _attempt in range(3):  # a free port can be taken between the probe and the start
        port = free_port()
        settings = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} {options}"
        result = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                                 "-w", "-t", "60", "-o", settings.strip(), "start"], **tools)
        if result.returncode == 0:
            return port
    log = (folder / "server.log").read_text(errors="replace")[-2000:] if (folder / "server.log").exists() else ""
    raise RuntimeError(f"pg_ctl start failed: {result.stderr[-1000:]}\n{log}")
