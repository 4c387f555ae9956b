"""``pos-tui migrate --to postgresql://… --store CODE``: a single-shop SQLite store moved into PostgreSQL.

The shop's rows keep their ids (signatures sign them), so the target must be empty: a second shop
moved into a company that already has customers would need new ids, which breaks every signature.
The copy is one PostgreSQL transaction; the signing key and the anchor log are placed where the
PostgreSQL store looks for them, then ``verify``'s checks run on that same transaction and it
commits only if they all pass. A refusal changes nothing (the key and log placed are removed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.services import integrity
from pos_tui.services.context import Context
from pos_tui.store import anchors, pg_copy
from pos_tui.store.db import Store, make_private_dirs


@dataclass
class MigrateResult:
    url: str  # without its password
    code: str
    rows: dict[str, int] = field(default_factory=dict)  # per table, in copy order
    key: Path | None = None  # where the signing key is now (None: nothing was signed yet)
    anchors: Path | None = None  # where the anchor log went (None: there was none)


# (table, rows done, rows in the table): per table when it starts, every 50,000 rows and when it ends.
Progress = Callable[[str, int, int], None]


def _place_file(src: Path, dst: Path, placed: list[Path]) -> Path:
    """Copy ``src`` to ``dst`` owner-only; an existing ``dst`` must already hold the same bytes."""
    if src.resolve() == dst.resolve():
        return dst  # POS_TUI_KEY_FILE names one key for both stores
    if dst.exists():
        if dst.read_bytes() != src.read_bytes():
            raise PosError("{path} already exists and differs from this shop's copy: another store's file is "
                           "there. Move it away (keep it: it may be a signing key in use), then run this again.",
                           path=str(dst))
        return dst
    make_private_dirs(dst.parent)
    tmp = dst.with_name(f".{dst.name}.migrating")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
        shutil.copyfileobj(inp, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, dst)
    placed.append(dst)
    return dst


def migrate_to_pg(ctx: Context, source: Store, url: str, code: str = "MAIN",
                  progress: Progress | None = None) -> MigrateResult:
    """Move the SQLite store ``source`` (read-only; ``ctx`` is the manager logged in on it) into the empty
    PostgreSQL database at ``url`` as the store ``code``."""
    ctx.require(Right.MANAGE_SETTINGS)
    ctx.require(Right.EXPORT_DATA)
    from pos_tui.store.db import is_server_url
    from pos_tui.store.pg import PgStore, safe_url

    code = (code or "").strip().upper()
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        raise PosError("The store code {code!r} is not valid: letters, digits, - and _ only.", code=code)
    if not is_server_url(url):
        raise PosError("--to must be a postgresql://USER@HOST/DATABASE address, not {url!r}.", url=url)
    if source.engine != "sqlite":
        raise PosError("migrate moves a SQLite store (--db FILE) into PostgreSQL; {target} is not one.",
                       target=source.target)
    shops = pg_copy.source_store_codes(source)
    if len(shops) != 1 or shops[0]["id"] != 1:
        raise PosError("{path} holds several stores: migrate moves a single-shop store only.", path=str(source.path))
    found = integrity.problems(source)
    if found:
        raise PosError("{path} does not verify ({problem}): run pos-tui verify and repair it first; nothing was "
                       "moved.", path=str(source.path), problem=found[0])

    target = PgStore(url, store_code="MAIN")  # creates the schema in an empty database
    placed: list[Path] = []
    try:
        src_tables = pg_copy.source_tables(source)
        dst_tables = pg_copy.target_tables(target)
        missing = sorted(set(src_tables) - set(dst_tables))
        if missing:
            raise PosError("The PostgreSQL schema has no table {tables}: this pos-tui cannot move this store.",
                           tables=", ".join(missing))
        held = pg_copy.rows_held(target, dst_tables)
        if held:
            raise PosError(
                "{url} is not empty ({tables}). Moving a shop into a company that already has data would give "
                "its records new ids, which breaks their signatures: migrate only into an empty database. To add "
                "a shop to this one, create it there with: pos-tui stores add CODE NAME.",
                url=safe_url(url), tables=", ".join(f"{t}: {n}" for t, n in sorted(held.items())))
        result = MigrateResult(safe_url(url), code)
        order = pg_copy.dependency_order(target, [t for t in dst_tables if t in src_tables])
        name = str(source.get_setting("shop_name", "") or "")
        with source.read(), target.write(), pg_copy.guarded():
            way = pg_copy.triggers_off(target, order)
            for table in order:
                if table in pg_copy.KEPT:
                    continue
                cols, lost = pg_copy.columns(source, target, table)
                if lost:
                    raise PosError("The PostgreSQL table {table} has no column {columns}: this pos-tui cannot "
                                   "move this store.", table=table, columns=", ".join(lost))
                total = pg_copy.count(source, table)
                if progress is not None and total:
                    progress(table, 0, total)
                done = pg_copy.copy_table(source, target, table, cols,
                                          (lambda n, t=table, m=total: progress(t, n, m)) if progress else None)
                result.rows[table] = done
                if progress is not None:
                    progress(table, done, total)
            pg_copy.update_store_row(source, target, code, name)
            pg_copy.reset_sequences(target, order)
            pg_copy.triggers_on(target, order, way)
            target.use_store(code)  # the key and anchor log's place follow the store's code
            src_key = source.key_file()
            if src_key.exists():
                result.key = _place_file(src_key, target.key_file(), placed)
            src_anchors = anchors.anchor_path(source)
            if src_anchors.exists():
                result.anchors = _place_file(src_anchors, anchors.anchor_path(target), placed)
            target.__dict__.pop("_signing_key", None)
            # verify's checks, on this transaction: it commits only if the copy is the shop, signatures and all.
            found = integrity.problems(target)
            if found:
                raise PosError("The copy does not verify ({problem}); nothing was written to {url}.",
                               problem=found[0], url=safe_url(url))
        placed.clear()  # committed: the files stay
        return result
    except sqlite3.DatabaseError as exc:  # a refusal of the server (or of the source file) while copying
        raise PosError("The move failed ({reason}); nothing was written to {url}.", reason=str(exc),
                       url=safe_url(url)) from exc
    finally:
        for path in placed:
            path.unlink(missing_ok=True)
        target.close()
