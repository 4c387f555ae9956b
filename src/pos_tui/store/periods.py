"""Monthly and yearly closings: frozen, signed rows computed from Z rows (issue 15)."""

from __future__ import annotations

import json

from pos_tui.store.db import Store
from pos_tui.store.integrity import insert_signed, last_sig


def last(store: Store, kind: str) -> dict | None:
    return store.one("SELECT * FROM period_closings WHERE store_id = ? AND kind = ? ORDER BY number DESC LIMIT 1",
                     (store.store_id, kind))


def z_day_bounds(store: Store) -> tuple[str | None, str | None]:
    """The first and last closed business days (two index look-ups)."""
    return (store.scalar("SELECT min(business_day) FROM z_closings WHERE store_id = ?", (store.store_id,)),
            store.scalar("SELECT max(business_day) FROM z_closings WHERE store_id = ?", (store.store_id,)))


def z_rows_between(store: Store, day_from: str, day_to: str) -> list[dict]:
    """The Z rows of a period, oldest first: the only rows a monthly closing reads."""
    return store.query("SELECT * FROM z_closings WHERE store_id = ? AND business_day BETWEEN ? AND ?"
                       " ORDER BY business_day", (store.store_id, day_from, day_to))


def last_z_before(store: Store, day: str) -> dict | None:
    return store.one("SELECT * FROM z_closings WHERE store_id = ? AND business_day < ? ORDER BY business_day DESC"
                     " LIMIT 1", (store.store_id, day))


def months_between(store: Store, day_from: str, day_to: str) -> list[dict]:
    return store.query("SELECT * FROM period_closings WHERE store_id = ? AND kind = 'month' AND day_from >= ?"
                       " AND day_to <= ? ORDER BY day_from", (store.store_id, day_from, day_to))


def insert(store: Store, *, kind: str, period: str, day_from: str, day_to: str, user_id: int, terminal: int,
           figures: dict, z_count: int, z_first: int | None, z_last: int | None, period_total: int,
           perpetual_total: int) -> int:
    number = store.scalar("SELECT coalesce(max(number), 0) + 1 FROM period_closings WHERE store_id = ? AND kind = ?",
                          (store.store_id, kind))
    return insert_signed(store, "period_closings", {
        "kind": kind, "period": period, "number": number, "day_from": day_from, "day_to": day_to,
        "closed_at": store.now(), "user_id": user_id, "terminal": terminal,
        "figures": json.dumps(figures, ensure_ascii=False, sort_keys=True), "z_count": z_count, "z_first": z_first,
        "z_last": z_last, "period_total": period_total, "perpetual_total": perpetual_total,
        "last_sig": last_sig(store)})


def by_id(store: Store, closing_id: int) -> dict | None:
    return store.one("SELECT * FROM period_closings WHERE id = ? AND store_id = ?", (closing_id, store.store_id))


def by_period(store: Store, kind: str, period: str) -> dict | None:
    return store.one("SELECT * FROM period_closings WHERE store_id = ? AND kind = ? AND period = ?",
                     (store.store_id, kind, period))


def years_starting_in(store: Store, year: str) -> list[dict]:
    return store.query("SELECT * FROM period_closings WHERE store_id = ? AND kind = 'year'"
                       " AND substr(day_from, 1, 4) = ? ORDER BY day_from", (store.store_id, year))


def recent(store: Store, limit: int = 60) -> list[dict]:
    """Newest first, years and months together (by their last day, a year after its last month)."""
    return store.query("SELECT * FROM period_closings WHERE store_id = ? ORDER BY day_to DESC, kind = 'month'"
                       " LIMIT ?", (store.store_id, limit))
