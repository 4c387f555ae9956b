"""Monthly and yearly closings (issue 15, SPEC §8 and §10).

A month is closed once no day of it can change: after the Z of its last day, or with the
first Z of a later month. Its figures are the sum of its Z rows only (never the sales
again), frozen in an append-only, signed row with the period grand total and the
perpetual grand total. A fiscal year (its first month in the shop settings) is closed
the same way from its monthly closings. Both are made inside the Z's own transaction.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import _
from pos_tui.services import settings
from pos_tui.services.context import Context
from pos_tui.store import periods as periods_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import chain_entry, fingerprint

FISCAL_YEAR_START_MONTH = settings.FISCAL_YEAR_START_MONTH


def fiscal_year_start_month(store: Store) -> int:
    """The first month of the shop's fiscal year (1 = January, the default), from the typed settings."""
    try:
        month = settings.get(store, FISCAL_YEAR_START_MONTH)
    except (TypeError, ValueError):
        return 1
    return month if 1 <= month <= 12 else 1


def set_fiscal_year_start_month(ctx: Context, month: int) -> None:
    """Takes effect for the fiscal years not closed yet (a closed year never moves)."""
    ctx.require(Right.MANAGE_SETTINGS)
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise PosError("The fiscal year starts in a month from 1 to 12.")
    with ctx.store.write():
        settings.change(ctx, FISCAL_YEAR_START_MONTH, month)


# -- calendar -------------------------------------------------------------------

def month_bounds(period: str) -> tuple[str, str]:
    """``2026-11`` → (``2026-11-01``, ``2026-11-30``); refuses anything else."""
    try:
        if len(period) != 7 or period[4] != "-":
            raise ValueError(period)
        first = date(int(period[:4]), int(period[5:]), 1)
    except ValueError:
        raise PosError("Not a month: {period!r} (use YYYY-MM).", period=period) from None
    return first.isoformat(), (_next_month(first) - timedelta(days=1)).isoformat()


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _fiscal_year_end(start: date, start_month: int) -> date:
    """The last day of the fiscal year that begins on ``start`` (a first of month)."""
    d = _next_month(start)
    while d.month != start_month:
        d = _next_month(d)
    return d - timedelta(days=1)


def _fiscal_year_containing(day: date, start_month: int) -> date:
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


# -- summing Z figures ----------------------------------------------------------

def _merge(rows_lists, key: str, fields: tuple[str, ...], reverse: bool = False) -> list[dict]:
    acc: dict = {}
    for rows in rows_lists:
        for row in rows:
            item = acc.setdefault(row[key], {key: row[key], **{f: 0 for f in fields}})
            for f in fields:
                item[f] += row.get(f, 0) or 0
    return [acc[k] for k in sorted(acc, reverse=reverse)]


def _sum(figs: list[dict], *path: str) -> int:
    total = 0
    for f in figs:
        value = f
        for part in path:
            value = value.get(part, 0) if isinstance(value, dict) else 0
        total += value or 0
    return total


def _pair(figs: list[dict], *path: str) -> dict:
    return {"n": _sum(figs, *path, "n"), "total": _sum(figs, *path, "total")}


def sum_figures(figs: list[dict], day_from: str, day_to: str, stocks: dict | None = None) -> dict:
    """The figures of a period as the sum of its days' (or months') figures, in the same shape as a Z's.

    Flows add up; stocks (outstanding credit, vouchers, the perpetual total) are the last
    day's — or, for a period without any Z, those of ``stocks`` (the last Z before it)."""
    last = figs[-1] if figs else (stocks or {})
    return {
        "from": day_from,
        "to": day_to,
        "z_count": sum(f.get("z_count", 1) for f in figs),
        "cash_difference": _sum(figs, "cash_difference"),
        "sales_count": _sum(figs, "sales_count"),
        "turnover": {
            "ttc": _sum(figs, "turnover", "ttc"),
            "ht": _sum(figs, "turnover", "ht"),
            "tva": _sum(figs, "turnover", "tva"),
            "by_rate": _merge((f["turnover"]["by_rate"] for f in figs), "rate", ("ttc", "ht", "tva"), reverse=True),
        },
        "payments": _merge((f["payments"] for f in figs), "method", ("n", "total")),
        "credit": {
            "top_ups": _merge((f["credit"]["top_ups"] for f in figs), "method", ("n", "total")),
            "top_ups_total": _sum(figs, "credit", "top_ups_total"),
            "refunds": _merge((f["credit"]["refunds"] for f in figs), "method", ("n", "total")),
            "refunds_total": _sum(figs, "credit", "refunds_total"),
            "consumed": _sum(figs, "credit", "consumed"),
            "created_by_sales": _sum(figs, "credit", "created_by_sales"),
        },
        "vouchers": {
            "sold": _pair(figs, "vouchers", "sold"),
            "redeemed": _pair(figs, "vouchers", "redeemed"),
            "outstanding": dict(last.get("vouchers", {}).get("outstanding", {"n": 0, "total": 0})),
        },
        "credit_notes": {
            "issued": _pair(figs, "credit_notes", "issued"),
            "used": _pair(figs, "credit_notes", "used"),
            "outstanding": dict(last.get("credit_notes", {}).get("outstanding", {"n": 0, "total": 0})),
        },
        "returns": {"sales": _sum(figs, "returns", "sales"), "total": _sum(figs, "returns", "total"),
                    "free_negative_lines": _sum(figs, "returns", "free_negative_lines")},
        "cash": {key: _sum(figs, "cash", key)
                 for key in ("float", "sales", "top_ups", "refunds", "cash_in", "cash_out", "expected")},
        "outstanding": dict(last.get("outstanding", {"credit": 0, "debt": 0})),
        "per_cashier": _merge((f["per_cashier"] for f in figs), "cashier", ("n", "total")),
        "per_hour": _merge((f.get("per_hour", []) for f in figs), "hour", ("n", "total")),
        "perpetual_total": last.get("perpetual_total", 0),
    }


def _z_figures(row: dict) -> dict:
    figures = json.loads(row["figures"])
    figures["cash_difference"] = row["cash_difference"] or 0
    return figures


# -- closing ----------------------------------------------------------------------

def close_due(ctx: Context) -> list[int]:
    """Make every monthly and yearly closing that has become due (call inside the Z's transaction).

    Reads only the Z rows of each month being closed, and the (at most twelve) monthly
    closings of a year: never the sales."""
    store = ctx.store
    first_z, last_z = periods_store.z_day_bounds(store)
    if last_z is None:
        return []
    made: list[int] = []
    last_day = date.fromisoformat(last_z)
    previous = periods_store.last(store, "month")
    month = (_next_month(date.fromisoformat(previous["day_from"])) if previous
             else date.fromisoformat(first_z).replace(day=1))
    while _next_month(month) - timedelta(days=1) <= last_day:
        made.append(_close_month(ctx, month))
        month = _next_month(month)
    start_month = fiscal_year_start_month(store)
    previous = periods_store.last(store, "year")
    start = (date.fromisoformat(previous["day_to"]) + timedelta(days=1) if previous
             else _fiscal_year_containing(date.fromisoformat(first_z), start_month))
    while (end := _fiscal_year_end(start, start_month)) <= last_day:
        made.append(_close_year(ctx, start, end))
        start = end + timedelta(days=1)
    return made


def _close_month(ctx: Context, first: date) -> int:
    store = ctx.store
    period = first.isoformat()[:7]
    day_from, day_to = month_bounds(period)
    rows = periods_store.z_rows_between(store, day_from, day_to)
    before = periods_store.last_z_before(store, day_from) if not rows else None
    figures = sum_figures([_z_figures(r) for r in rows], day_from, day_to,
                          stocks=_z_figures(before) if before else None)
    perpetual = rows[-1]["perpetual_total"] if rows else (before["perpetual_total"] if before else 0)
    figures["perpetual_total"] = perpetual
    closing_id = periods_store.insert(
        store, kind="month", period=period, day_from=day_from, day_to=day_to, user_id=ctx.user.id,
        terminal=ctx.terminal, figures=figures, z_count=len(rows), z_first=rows[0]["number"] if rows else None,
        z_last=rows[-1]["number"] if rows else None, period_total=sum(r["period_total"] for r in rows),
        perpetual_total=perpetual)
    ctx.journal("month_closing", period=period, z_count=len(rows))
    return closing_id


def _close_year(ctx: Context, start: date, end: date) -> int:
    store = ctx.store
    months = periods_store.months_between(store, start.isoformat(), end.isoformat())
    figs = [json.loads(m["figures"]) for m in months]
    figures = sum_figures(figs, start.isoformat(), end.isoformat())
    perpetual = months[-1]["perpetual_total"] if months else 0
    figures["perpetual_total"] = perpetual
    numbers = [n for m in months for n in (m["z_first"], m["z_last"]) if n is not None]
    closing_id = periods_store.insert(
        store, kind="year", period=start.isoformat()[:7], day_from=start.isoformat(), day_to=end.isoformat(),
        user_id=ctx.user.id, terminal=ctx.terminal, figures=figures, z_count=sum(m["z_count"] for m in months),
        z_first=min(numbers, default=None), z_last=max(numbers, default=None),
        period_total=sum(m["period_total"] for m in months), perpetual_total=perpetual)
    ctx.journal("year_closing", period=f"{start.isoformat()[:7]}..{end.isoformat()[:7]}")
    return closing_id


# -- reading ----------------------------------------------------------------------

def _decoded(row: dict | None) -> dict | None:
    if row:
        row["figures"] = json.loads(row["figures"])
    return row


def month(store: Store, period: str) -> dict | None:
    """The monthly closing of ``YYYY-MM``, or None while the month is open."""
    month_bounds(period)  # validates
    return _decoded(periods_store.by_period(store, "month", period))


def years(store: Store, year: str) -> list[dict]:
    """The yearly closings of the fiscal year(s) starting in ``YYYY``."""
    if not (len(year) == 4 and year.isdigit()):
        raise PosError("Not a year: {year!r} (use YYYY).", year=year)
    return [_decoded(r) for r in periods_store.years_starting_in(store, year)]


def by_id(store: Store, closing_id: int) -> dict:
    row = _decoded(periods_store.by_id(store, closing_id))
    if row is None:
        raise NotFound("No such closing.")
    return row


def recent(store: Store, limit: int = 60) -> list[dict]:
    return [_decoded(r) for r in periods_store.recent(store, limit)]


def running_month(store: Store, period: str) -> dict:
    """The sum of a month's Z rows so far (the month is still open): what its closing will say."""
    day_from, day_to = month_bounds(period)
    rows = periods_store.z_rows_between(store, day_from, day_to)
    return sum_figures([_z_figures(r) for r in rows], day_from, day_to)


def running_year(store: Store, year: str) -> dict:
    """The sum of the Z rows of the fiscal year starting in ``YYYY`` so far (the year is still open)."""
    start = date(int(year), fiscal_year_start_month(store), 1)
    end = _fiscal_year_end(start, start.month)
    rows = periods_store.z_rows_between(store, start.isoformat(), end.isoformat())
    return sum_figures([_z_figures(r) for r in rows], start.isoformat(), end.isoformat())


def title(row: dict) -> str:
    if row["kind"] == "month":
        return _("Monthly closing n° {number} · {period}").format(number=row["number"], period=row["period"])
    return _("Yearly closing n° {number} · {start} → {end}").format(
        number=row["number"], start=row["day_from"][:7], end=row["day_to"][:7])


def anchor_text(store: Store, row: dict) -> str:
    """Where the chain stood at this closing, as printed: ``#345 · 3f2a-91bc-0d4e-77aa``."""
    entry = chain_entry(store, "period_closings", row["id"])
    return f"#{entry['id']} · {fingerprint(entry['sig'])}" if entry else "—"
