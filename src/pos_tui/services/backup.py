"""``pos-tui backup``: a verified copy of the store with its key and anchor log beside it (issue 15).

Six years of fiscal records live in one file, one key and one anchor log; the copy
carries all three, owner-only, and is checked before the command says it is good.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.services.integrity import problems as check_store
from pos_tui.store import anchors as anchors_store
from pos_tui.store import backup as backup_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import chain_stores, load_key


@dataclass
class BackupResult:
    path: Path
    key: Path
    anchors: Path | None
    problems: list[str]
    size: int


def backup(store: Store, dest: Path) -> BackupResult:
    """Copy the live store to ``dest`` (a new file, or a folder to put a dated file in), then verify the copy."""
    dest = Path(dest)
    if dest.is_dir():
        target = dest / f"{store.path.stem}-{store.clock().strftime('%Y%m%d-%H%M%S')}.db"
    else:
        target = dest
    if not target.parent.is_dir():
        raise PosError("The folder {folder} does not exist; nothing was written.", folder=str(target.parent))
    # Each store keeps its own anchor log: every one goes with the copy.
    store_ids = [row["id"] for row in chain_stores(store)]
    logs = [(anchors_store.anchor_path(store, sid), anchors_store.anchor_path(target, sid)) for sid in store_ids]
    for path in (target, Path(str(target) + ".key"), *(copy for _log, copy in logs)):
        if path.exists():
            raise PosError("{path} already exists; nothing was written.", path=str(path))
    key = load_key(store)  # refuses a store whose key is missing: a copy without it could never be checked
    tmp = target.with_name(f".{target.name}.part")
    written: list[Path] = []
    try:
        # The anchor log first: any Z it names is then already in the database being copied.
        log_copy = None
        for log, copy_path in logs:
            if log.exists():
                _private_copy(log, copy_path)
                written.append(copy_path)
                log_copy = log_copy or copy_path
        key_copy = Path(str(target) + ".key")
        _private_write(key_copy, key.hex().encode())
        written.append(key_copy)
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        backup_store.online_copy(store, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        written.append(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        for path in written:
            path.unlink(missing_ok=True)
        raise PosError("Cannot write {path}: {reason}; nothing was written.", path=str(target),
                       reason=exc.strerror or str(exc)) from exc
    copy = Store(target, readonly=True)
    copy._signing_key = key  # the copy is checked with the key written beside it, whatever POS_TUI_KEY_FILE says
    try:
        problems = check_store(copy)
    finally:
        copy.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    return BackupResult(target, key_copy, log_copy, problems, target.stat().st_size)


def _private_write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _private_copy(src: Path, dst: Path) -> None:
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle, open(src, "rb") as source:
        shutil.copyfileobj(source, handle)
        handle.flush()
        os.fsync(handle.fileno())
