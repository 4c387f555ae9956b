"""Day summary (X) and closing (Z) — SPEC §8.

The X is computed live by SQL aggregates. A Z freezes the figures of a business
day in an append-only row, numbered in sequence; it also closes any earlier day
left open, and after it new activity belongs to the next business day.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from pos_tui.domain.accounts import debt_age_days
from pos_tui.domain.errors import PosError
from pos_tui.domain.text import clean_text
from pos_tui.domain.money import vat_split
from pos_tui.domain.rights import Right
from pos_tui.services import accounts, periods
from pos_tui.i18n import _
from pos_tui.services.context import Context
from pos_tui.services.exports import FORMATS, RAW, SHEET, Number, csv_text, euros, sheet_date
from pos_tui.store import accounts as accounts_store
from pos_tui.store import anchors as anchors_store
from pos_tui.store import closing as closing_store
from pos_tui.store import integrity
from pos_tui.store.db import Store

COINS_AND_NOTES = (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)


@dataclass(frozen=True)
class ZResult:
    number: int
    business_day: str
    expected_cash: int
    counted: int | None
    difference: int | None
    also_closed: tuple[str, ...]  # earlier days closed by the same action
    # Where the signature chain stood after this Z (its anchor, printed and logged); not part of equality,
    # it says where the figures are, not what they are.
    chain_seq: int = field(default=0, compare=False)
    fingerprint: str = field(default="", compare=False)


def business_day(store: Store) -> str:
    return closing_store.current_business_day(store)


def summary(store: Store, day_from: str, day_to: str | None = None) -> dict:
    """Every block of the summary over business days [day_from, day_to] (one day by default)."""
    day_to = day_to or day_from
    with store.read():  # one snapshot: the store's figures and the company-wide credit and debt agree
        return _summary(store, day_from, day_to)


def _summary(store: Store, day_from: str, day_to: str) -> dict:
    raw = closing_store.figures(store, day_from, day_to)
    turnover_by_rate = []
    for row in raw["by_rate"]:
        ht, tva = vat_split(row["ttc"], row["rate"])
        turnover_by_rate.append({"rate": row["rate"], "ttc": row["ttc"], "ht": ht, "tva": tva})
    ledger = raw["ledger"]

    def ledger_by_method(kind: str, sign: int = 1) -> list[dict]:
        return [{"method": r["method"], "n": r["n"], "total": sign * r["total"]} for r in ledger if r["kind"] == kind]

    def ledger_total(kind: str) -> int:
        return sum(r["total"] for r in ledger if r["kind"] == kind)

    def lines(kind: str, voucher_kind: str = "") -> dict:
        found = [r for r in raw["lines"] if r["kind"] == kind and (not voucher_kind or r["voucher_kind"] == voucher_kind)]
        return {"n": sum(r["n"] for r in found), "total": sum(r["total"] for r in found)}

    cash = raw["cash"]
    expected = (cash["float"] + raw["cash_sales"] + raw["cash_ledger"]["top_ups"] - raw["cash_ledger"]["refunds"]
                + cash["cash_in"] - cash["cash_out"])
    credit_notes_issued = lines("credit_note_issue")
    vouchers_out = raw["vouchers_outstanding"]
    return {
        "from": day_from,
        "to": day_to,
        "sales_count": raw["sales"]["n"],
        "turnover": {
            "ttc": sum(r["ttc"] for r in turnover_by_rate),
            "ht": sum(r["ht"] for r in turnover_by_rate),
            "tva": sum(r["tva"] for r in turnover_by_rate),
            "by_rate": turnover_by_rate,
        },
        "payments": raw["payments"],  # sales only, CRED included
        "credit": {
            "top_ups": ledger_by_method("top_up"),
            "top_ups_total": ledger_total("top_up"),
            "refunds": ledger_by_method("refund", -1),
            "refunds_total": -ledger_total("refund"),
            "consumed": -ledger_total("sale_payment"),
            "created_by_sales": ledger_total("sale_credit"),
        },
        "vouchers": {
            "sold": lines("voucher_sale"),
            "redeemed": {k: -v for k, v in lines("voucher_redeem", "gift").items()} | {"n": lines("voucher_redeem", "gift")["n"]},
            "outstanding": {"n": vouchers_out.get("gift", {}).get("n", 0),
                            "total": vouchers_out.get("gift", {}).get("total", 0)},
        },
        "credit_notes": {
            "issued": credit_notes_issued,
            "used": {"n": lines("voucher_redeem", "credit_note")["n"],
                     "total": -lines("voucher_redeem", "credit_note")["total"]},
            "outstanding": {"n": vouchers_out.get("credit_note", {}).get("n", 0),
                            "total": vouchers_out.get("credit_note", {}).get("total", 0)},
        },
        "returns": {"sales": raw["returns"]["n"], "total": lines("return")["total"] + raw["negative_free"]["total"],
                    "free_negative_lines": raw["negative_free"]["n"]},
        "cash": {
            "float": cash["float"], "sales": raw["cash_sales"], "top_ups": raw["cash_ledger"]["top_ups"],
            "refunds": raw["cash_ledger"]["refunds"], "cash_in": cash["cash_in"], "cash_out": cash["cash_out"],
            "expected": expected,
        },
        "outstanding": raw["outstanding"],
        "per_cashier": raw["per_cashier"],
        "per_hour": raw["per_hour"],
        "perpetual_total": raw["perpetual"],
        "old_debts": old_debts_block(store, day_to),
        "voucher_purposes": voucher_purposes(store, day_from, day_to),
    }


def voucher_purposes(store: Store, day_from: str, day_to: str) -> dict:
    """Gift vouchers sold and redeemed, multi-purpose (0 % at sale) apart from single-purpose (taxed at sale).

    ``single`` lists one row per VAT rate with the VAT collected when the vouchers were sold.
    """
    from pos_tui.store.voucher_kinds import gift_lines_by_rate

    out = {"multi": {"sold": {"n": 0, "total": 0}, "redeemed": {"n": 0, "total": 0}},
           "single": {"sold": {"n": 0, "total": 0}, "redeemed": {"n": 0, "total": 0}, "by_rate": []}}
    by_rate: dict[int, dict] = {}
    for row in gift_lines_by_rate(store, day_from, day_to):
        purpose = "single" if row["rate"] else "multi"
        what = "sold" if row["kind"] == "voucher_sale" else "redeemed"
        amount = row["total"] if what == "sold" else -row["total"]
        out[purpose][what]["n"] += row["n"]
        out[purpose][what]["total"] += amount
        if purpose == "single":
            entry = by_rate.setdefault(row["rate"], {"rate": row["rate"], "sold": 0, "redeemed": 0})
            entry[what] += amount
    for rate in sorted(by_rate, reverse=True):
        entry = by_rate[rate]
        ht, tva = vat_split(entry["sold"], rate)
        out["single"]["by_rate"].append({**entry, "sold_ht": ht, "sold_tva": tva})
    return out


OLD_DEBTS_LISTED = 10  # the X/Z lists the oldest ones; the call list (pos-tui credit debtors) has them all


def old_debts_block(store: Store, day: str) -> dict:
    """Debts older than the shop's threshold, as they stand now, aged at the end of ``day``.

    Indexed: only customers in debt are visited. Rows carry a ``name`` for the screen and the X;
    ``frozen_figures`` drops it before a Z is stored (no personal data in signed records).
    """
    threshold = accounts.debt_age_threshold(store)
    today = date.fromisoformat(day)
    # A debt that began on day D is (today - D) days old: older than N days means D < today - N.
    found = accounts_store.old_debts_summary(store, (today - timedelta(days=threshold)).isoformat(),
                                             OLD_DEBTS_LISTED)
    return {
        "threshold_days": threshold,
        "n": found["n"],
        "total": -found["total"],
        "oldest": [{"customer": r["id"], "balance": r["balance"], "age_days": debt_age_days(r["since"], today),
                    "name": " ".join(p for p in (r["first_name"], r["last_name"]) if p) or r["company"]}
                   for r in found["oldest"]],
    }


def frozen_figures(figures: dict) -> dict:
    """What a Z stores: the summary without customer names."""
    if "old_debts" not in figures:
        return figures
    debts = figures["old_debts"]
    return {**figures, "old_debts": {**debts, "oldest": [{k: v for k, v in r.items() if k != "name"}
                                                         for r in debts["oldest"]]}}


def x_report(ctx: Context) -> dict:
    """The live summary of the current business day (needs the closing right)."""
    ctx.require(Right.DAY_CLOSING)
    return summary(ctx.store, business_day(ctx.store))


def add_cash_movement(ctx: Context, kind: str, amount: int, reason: str) -> int:
    """Opening float (``float``), cash put in (``in``) or taken out (``out``) of the drawer, with a reason."""
    ctx.require(Right.DAY_CLOSING)
    reason = clean_text(reason, "Reason")
    if kind not in ("float", "in", "out"):
        raise PosError("Unknown cash movement.")
    if amount <= 0:
        raise PosError("A cash movement must be more than zero.")
    if kind != "float" and len(reason) < 3:
        raise PosError("Give a reason for the cash movement.")
    with ctx.store.write():
        day = business_day(ctx.store)
        movement = closing_store.add_cash_movement(ctx.store, day, kind, amount, reason or "fond de caisse",
                                                   ctx.user.id, ctx.terminal)
        ctx.journal("cash_" + kind, amount=amount, reason=reason, day=day)
    return movement


def cash_movements(store: Store, day: str) -> list[dict]:
    """The day's cash movements, oldest first, with ``amount`` signed as it moves the drawer (``out`` < 0)."""
    return [{**m, "amount": -m["amount"] if m["kind"] == "out" else m["amount"]}
            for m in closing_store.cash_movements(store, day)]


def count_total(detail: dict[int, int]) -> int:
    """Cash counted by coins and notes: {value in cents: how many}."""
    total = 0
    for value, quantity in detail.items():
        if int(value) not in COINS_AND_NOTES or int(quantity) < 0:
            raise PosError("Bad cash count.")
        total += int(value) * int(quantity)
    return total


def check_close_day(ctx: Context, day: str | None = None) -> str:
    """The business day a Z would close now, or ``PosError`` saying why there is none (today already
    has its Z): the screen asks this before its confirmation, so it never offers to close a day
    it would then refuse. ``day``: the day the user is looking at."""
    ctx.require(Right.DAY_CLOSING)
    return _closable_day(ctx.store, day)


def _closable_day(store: Store, confirmed: str | None) -> str:
    day = business_day(store)
    if confirmed is not None and confirmed != day:
        raise PosError("The day {day} is already closed (Z).", day=confirmed)
    if closing_store.is_closed(store, day):
        raise PosError("The day {day} is already closed (Z).", day=day)
    if day > store.clock().date().isoformat():
        # Today already has its Z. Sales made since belong to tomorrow; closing tomorrow now
        # would push every later sale one more day ahead. Tomorrow's Z comes tomorrow.
        raise PosError("The day {day} is already closed (Z).",
                       day=(date.fromisoformat(day) - timedelta(days=1)).isoformat())
    return day


def close_day(ctx: Context, counted: int | None = None, count_detail: dict[int, int] | None = None,
              day: str | None = None) -> ZResult:
    """Z of the current business day, closing earlier open days first (each its own numbered Z).

    ``day`` is the day the user saw and confirmed: if another till closed it meanwhile, the current
    business day has moved on and this refuses, checked under the write lock.
    """
    ctx.require(Right.DAY_CLOSING)
    if count_detail:
        counted = count_total(count_detail)
    if counted is not None and counted < 0:
        raise PosError("A counted amount cannot be negative.")
    with ctx.store.write():
        day = _closable_day(ctx.store, day)  # again under the write lock: another till may have closed it
        unclosed = closing_store.unclosed_days_up_to(ctx.store, day)
        days = [d for d in unclosed if d != day] + [day]
        result = None
        for each in days:
            figures = summary(ctx.store, each)
            is_target = each == day
            number = closing_store.next_z_number(ctx.store)
            closing_store.insert_z(
                ctx.store, number=number, day=each, user_id=ctx.user.id, terminal=ctx.terminal,
                figures_json=frozen_figures(figures), counted=counted if is_target else None,
                count_detail={str(k): v for k, v in count_detail.items()} if is_target and count_detail else None,
                expected_cash=figures["cash"]["expected"], period_total=figures["turnover"]["ttc"],
                perpetual_total=figures["perpetual_total"],
            )
            ctx.journal("z_closing", number=number, day=each, counted=counted if is_target else None,
                        expected=figures["cash"]["expected"])
            if is_target:
                result = ZResult(number, each, figures["cash"]["expected"], counted,
                                 None if counted is None else counted - figures["cash"]["expected"],
                                 tuple(d for d in days if d != day))
        periods.close_due(ctx)  # a month (or fiscal year) whose last day is now closed gets its closing
    return _anchor_z(ctx, result)


def _anchor_z(ctx: Context, result: ZResult) -> ZResult:
    """Write the anchors of the new Z rows outside the database, once they are committed."""
    z = closing_store.z_for_day(ctx.store, result.business_day)
    anchor = anchors_store.z_anchor(ctx.store, z)
    try:
        anchors_store.append_missing(ctx.store)
    except OSError as exc:
        # The Z stands (it is committed and printed with its anchor); the next Z writes the missing line.
        with ctx.store.write():
            ctx.journal("anchor_log_failed", z=result.number, reason=str(exc))
    return dataclasses.replace(result, chain_seq=anchor.seq, fingerprint=integrity.fingerprint(anchor.fp))


def z_anchor_text(store: Store, z_row: dict) -> str:
    """A Z's anchor as printed on its ticket and by ``pos-tui z``: ``#345 · 3f2a-91bc-0d4e-77aa``.

    Typed back as ``pos-tui verify --anchor 345:3f2a-91bc-0d4e-77aa``."""
    anchor = anchors_store.z_anchor(store, z_row)
    return f"#{anchor.seq} · {integrity.fingerprint(anchor.fp)}" if anchor else "—"


def z_list(store: Store, limit: int = 100) -> list[dict]:
    """The till's store's Z, newest first; ``store_code`` set when the company has several stores."""
    from pos_tui.services.stores import shown_code

    rows = closing_store.z_rows(store, limit)
    code = shown_code(store)
    for row in rows:
        row["figures"] = json.loads(row["figures"])
        row["store_code"] = code
    return rows


def z_of_day(store: Store, day: str) -> dict | None:
    """The frozen figures of a closed day (never recomputed)."""
    row = closing_store.z_for_day(store, day)
    if row:
        row["figures"] = json.loads(row["figures"])
    return row


def period_from_z(store: Store, day_from: str, day_to: str) -> dict:
    """Sum of the Z rows of a period (a month): turnover by rate, payments and credit movements."""
    rows = closing_store.z_between(store, day_from, day_to)
    total = {"days": len(rows), "turnover_ttc": 0, "by_rate": {}, "payments": {}, "top_ups": 0, "refunds": 0,
             "consumed": 0, "sales_count": 0}
    for row in rows:
        f = json.loads(row["figures"])
        total["turnover_ttc"] += f["turnover"]["ttc"]
        total["sales_count"] += f["sales_count"]
        for r in f["turnover"]["by_rate"]:
            total["by_rate"][r["rate"]] = total["by_rate"].get(r["rate"], 0) + r["ttc"]
        for p in f["payments"]:
            total["payments"][p["method"]] = total["payments"].get(p["method"], 0) + p["total"]
        total["top_ups"] += f["credit"]["top_ups_total"]
        total["refunds"] += f["credit"]["refunds_total"]
        total["consumed"] += f["credit"]["consumed"]
    return total


def export_summary(ctx: Context, data: dict, z: dict | None = None, fmt: str = SHEET) -> str:
    """The summary as CSV (``sheet`` or ``raw``), for a user with the export right; the export is journaled.

    ``z``: the Z row when the day is closed (number, closing time, counted cash, difference)."""
    ctx.require(Right.EXPORT_DATA)
    if fmt not in FORMATS:
        raise PosError("Unknown export format {fmt!r} (sheet or raw).", fmt=fmt)
    with ctx.store.write():
        ctx.journal("export", what="day_summary", date_from=data["from"], date_to=data["to"], format=fmt)
    return summary_csv(data, z) if fmt == RAW else summary_sheet(ctx.store, data, z)


def summary_sheet(store: Store, data: dict, z: dict | None = None) -> str:
    """The summary for a spreadsheet: the screen's blocks and signs, amounts in euros, labels translated."""
    from pos_tui.printing.day_report import money, summary_rows
    from pos_tui.store import methods as methods_store

    labels = {m.code: m.name for m in methods_store.all_methods(store)}
    extra = []
    if z is not None and z.get("counted") is not None:
        extra.append((_("Counted"), money(z["counted"])))
        if z.get("cash_difference") is not None:
            extra.append((_("Difference"), money(z["cash_difference"])))
    head: list[list] = []
    if z is not None:
        head.append(["Z", _("Z number"), Number(str(z["number"])), ""])
        head.append(["Z", _("Closed at"), "", sheet_date(z["closed_at"])])
        if z.get("counted") is None:
            head.append([_("Cash drawer"), _("Counted"), "", _("not counted")])
    period = sheet_date(data["from"]) if data["from"] == data["to"] else \
        f"{sheet_date(data['from'])} – {sheet_date(data['to'])}"
    rows: list[list] = [[_("Block"), _("Item"), _("Count"), _("Amount (€)"), _("Excl. VAT (€)"), _("VAT (€)")],
                        [_("Period"), period, "", "", "", ""]]
    rows += [row + ["", ""] for row in head]
    for title, label, n, amounts in summary_rows(data, labels, extra):
        cells = [euros(a) for a in amounts] + [""] * (3 - len(amounts))
        rows.append([title, label, "" if n is None else Number(str(n)), *cells[:3]])
    return csv_text(rows, SHEET)


def summary_csv(data: dict, z: dict | None = None) -> str:
    """The summary as raw CSV rows for programs: block, item, count, amount in cents (English keys)."""
    rows: list[list] = [["block", "item", "count", "amount_cents"]]
    w = rows.append
    w(["period", f"{data['from']}..{data['to']}", "", ""])
    if z is not None:
        w(["z", "number", z["number"], ""])
        w(["z", "closed_at", z["closed_at"], ""])
    w(["sales", "count", data["sales_count"], ""])
    w(["turnover", "incl. VAT", "", data["turnover"]["ttc"]])
    w(["turnover", "excl. VAT", "", data["turnover"]["ht"]])
    w(["turnover", "VAT", "", data["turnover"]["tva"]])
    for r in data["turnover"]["by_rate"]:
        w(["vat_rate", r["rate"] / 100, "", r["ttc"]])
        w(["vat_rate_excl", r["rate"] / 100, "", r["ht"]])
        w(["vat_rate_vat", r["rate"] / 100, "", r["tva"]])
    for p in data["payments"]:
        w(["payments", p["method"], p["n"], p["total"]])
    for r in data["credit"]["top_ups"]:
        w(["credit_top_ups", r["method"], r["n"], r["total"]])
    for r in data["credit"]["refunds"]:
        w(["credit_refunds", r["method"], r["n"], r["total"]])
    w(["credit", "consumed (CRED)", "", data["credit"]["consumed"]])
    w(["credit", "created by sales", "", data["credit"]["created_by_sales"]])
    for key in ("sold", "redeemed", "outstanding"):
        w(["gift_vouchers", key, data["vouchers"][key]["n"], data["vouchers"][key]["total"]])
    for key in ("issued", "used", "outstanding"):
        w(["credit_notes", key, data["credit_notes"][key]["n"], data["credit_notes"][key]["total"]])
    w(["returns", "sales", data["returns"]["sales"], data["returns"]["total"]])
    for key, value in data["cash"].items():
        w(["cash", key, "", value])
    if z is not None:
        w(["cash", "counted", "", "" if z.get("counted") is None else z["counted"]])
        w(["cash", "difference", "", "" if z.get("cash_difference") is None else z["cash_difference"]])
    w(["outstanding", "customer credit", "", data["outstanding"]["credit"]])
    w(["outstanding", "customer debt", "", data["outstanding"]["debt"]])
    for r in data["per_cashier"]:
        w(["per_cashier", r["cashier"], r["n"], r["total"]])
    for r in data["per_hour"]:
        w(["per_hour", f"{r['hour']:02d}h", r["n"], r["total"]])
    if data.get("voucher_purposes"):
        vp = data["voucher_purposes"]
        for purpose in ("multi", "single"):
            for what in ("sold", "redeemed"):
                w([f"gift_vouchers_{purpose}_purpose", what, vp[purpose][what]["n"],
          vp[purpose][what]["total"]])
        for r in vp["single"]["by_rate"]:
            w(["gift_vouchers_single_purpose_vat", r["rate"] / 100, "", r["sold_tva"]])
    if data.get("old_debts"):
        debts = data["old_debts"]
        w(["old_debts", f"older than {debts['threshold_days']} days", debts["n"], debts["total"]])
        for r in debts["oldest"]:
            w(["old_debt", f"customer {r['customer']}, {r['age_days']} days", "", -r["balance"]])
    w(["grand_total", "perpetual", "", data["perpetual_total"]])
    return csv_text(rows)


