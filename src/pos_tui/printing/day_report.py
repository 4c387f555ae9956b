"""The day summary (X / Z) laid out as titled blocks of rows: one layout for the closing
screen, the ``pos-tui z`` command and the printed day report. Pure: no Textual, no SQLite."""

from __future__ import annotations

from dataclasses import dataclass, field

from pos_tui.domain.money import format_money, format_vat_rate
from pos_tui.i18n import _, locale, ngettext
from pos_tui.printing.receipt import Pair, Receipt, Rule, Text


class Amount(str):
    """A formatted amount that remembers its cents (for the spreadsheet export of the same blocks)."""

    cents: int


class Count(str):
    """A formatted count that remembers its number."""

    n: int


def money(cents: int) -> Amount:
    amount = Amount(format_money(int(cents), locale()))
    amount.cents = int(cents)
    return amount


def count(n: int) -> Count:
    text = Count(str(int(n)))
    text.n = int(n)
    return text


def debts_older_than(days: int) -> str:
    return ngettext("Debts older than {days} day", "Debts older than {days} days", days).format(days=days)


@dataclass
class Block:
    """One table of the summary: a title, column headers (the first is the label column), rows."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    total: tuple[str, ...] | None = None
    show_header: bool = True


def _method(code: str, labels: dict[str, str]) -> str:
    label = labels.get(code)
    return f"{code} · {label}" if label and label != code else (code or "—")


def summary_blocks(data: dict, method_labels: dict[str, str] | None = None) -> list[Block]:
    """Every block of a summary dict (``services.closing.summary`` or a Z's frozen figures) as rows of text."""
    labels = method_labels or {}
    n_amount = (_("Count"), _("Amount"))
    blocks: list[Block] = []
    t = data["turnover"]
    blocks.append(Block(_("Sales and turnover"), ("", _("Amount")), [
        (_("Sales"), count(data["sales_count"])),
        (_("Turnover incl. VAT"), money(t["ttc"])),
        (_("Turnover excl. VAT"), money(t["ht"])),
        (_("VAT"), money(t["tva"])),
    ], show_header=False))
    blocks.append(Block(_("VAT by rate"), (_("Rate"), _("Incl. VAT"), _("Excl. VAT"), _("VAT")), [
        (format_vat_rate(r["rate"], locale()), money(r["ttc"]), money(r["ht"]), money(r["tva"]))
        for r in t["by_rate"]
    ]))

    def per_method(title: str, rows: list[dict], total: int | None = None) -> Block:
        block = Block(title, (_("Method"), *n_amount),
                      [(_method(r["method"], labels), count(r["n"]), money(r["total"])) for r in rows])
        if total is None:
            total = sum(r["total"] for r in rows)
        block.total = (_("Total"), count(sum(r["n"] for r in rows)), money(total))
        return block

    c = data["credit"]
    blocks.append(per_method(_("Payments received (sales)"), data["payments"]))
    blocks.append(per_method(_("Credit top-ups"), c["top_ups"], c["top_ups_total"]))
    blocks.append(per_method(_("Credit refunds"), c["refunds"], c["refunds_total"]))
    out = data["outstanding"]
    blocks.append(Block(_("Customer credit"), ("", _("Amount")), [
        (_("Credit consumed (CRED)"), money(c["consumed"])),
        (_("Credit created by sales"), money(c["created_by_sales"])),
        (_("Customer credit outstanding"), money(out["credit"])),
        (_("Customer debt"), money(out["debt"])),
    ], show_header=False))
    v = data["vouchers"]
    blocks.append(Block(_("Gift vouchers"), ("", *n_amount), [
        (_("Vouchers sold"), count(v["sold"]["n"]), money(v["sold"]["total"])),
        (_("Vouchers redeemed"), count(v["redeemed"]["n"]), money(v["redeemed"]["total"])),
        (_("Vouchers outstanding"), count(v["outstanding"]["n"]), money(v["outstanding"]["total"])),
    ]))
    vp = data.get("voucher_purposes")  # absent from Z closed before issue 16
    if vp:
        rows = [
            (_("Multi-purpose sold (0 %)"), str(vp["multi"]["sold"]["n"]), money(vp["multi"]["sold"]["total"])),
            (_("Multi-purpose redeemed"), str(vp["multi"]["redeemed"]["n"]), money(vp["multi"]["redeemed"]["total"])),
            (_("Single-purpose sold"), str(vp["single"]["sold"]["n"]), money(vp["single"]["sold"]["total"])),
            (_("Single-purpose redeemed"), str(vp["single"]["redeemed"]["n"]),
             money(vp["single"]["redeemed"]["total"])),
        ]
        rows += [(_("of which VAT {rate}").format(rate=format_vat_rate(r["rate"], locale())), "",
                  money(r["sold_tva"])) for r in vp["single"]["by_rate"]]
        blocks.append(Block(_("Gift vouchers by kind"), ("", *n_amount), rows))
    cn = data["credit_notes"]
    blocks.append(Block(_("Credit notes"), ("", *n_amount), [
        (_("Credit notes issued"), count(cn["issued"]["n"]), money(cn["issued"]["total"])),
        (_("Credit notes used"), count(cn["used"]["n"]), money(cn["used"]["total"])),
        (_("Credit notes outstanding"), count(cn["outstanding"]["n"]), money(cn["outstanding"]["total"])),
    ]))
    r = data["returns"]
    blocks.append(Block(_("Returns"), ("", *n_amount), [
        (_("Sales with returns"), count(r["sales"]), money(r["total"])),
        (_("Negative free-price lines"), count(r["free_negative_lines"]), ""),
    ]))
    cash = data["cash"]
    blocks.append(Block(_("Cash drawer"), ("", _("Amount")), [
        (_("Opening float"), money(cash["float"])),
        (_("Cash sales"), money(cash["sales"])),
        (_("Cash credit top-ups"), money(cash["top_ups"])),
        (_("Cash credit refunds"), money(-cash["refunds"])),
        (_("Cash in"), money(cash["cash_in"])),
        (_("Cash out"), money(-cash["cash_out"])),
    ], total=(_("Expected cash"), money(cash["expected"])), show_header=False))
    blocks.append(Block(_("Sales per cashier"), (_("Cashier"), *n_amount), [
        (row["cashier"], count(row["n"]), money(row["total"])) for row in data["per_cashier"]
    ]))
    debts = data.get("old_debts")  # absent from Z closed before issue 16
    if debts:
        block = Block(debts_older_than(debts["threshold_days"]),
                      (_("Customer"), _("Age"), _("Amount")),
                      [(r.get("name") or f"#{r['customer']}", _("{days} d").format(days=r["age_days"]),
                        money(-r["balance"])) for r in debts["oldest"]])
        block.total = (_("Total"), count(debts["n"]), money(debts["total"]))
        blocks.append(block)
    blocks.append(Block(_("Grand total"), ("", _("Amount")), [
        (_("Perpetual grand total"), money(data["perpetual_total"])),
    ], show_header=False))
    return blocks


def summary_rows(data: dict, method_labels: dict[str, str] | None = None,
                 extra_cash_rows=()) -> list[tuple[str, str, int | None, list[int]]]:
    """The summary's rows as the screen shows them (same blocks, same signs), with numbers kept:
    (block title, row label, count or None, amounts in cents). For the spreadsheet export."""
    out = []
    for block in summary_blocks(data, method_labels):
        rows = list(block.rows) + ([block.total] if block.total else [])
        if block.title == _("Cash drawer"):
            rows += list(extra_cash_rows)
        for row in rows:
            label, cells = row[0], row[1:]
            n = next((c.n for c in cells if isinstance(c, Count)), None)
            amounts = [c.cents for c in cells if isinstance(c, Amount)]
            if isinstance(label, Amount):  # never: labels are text
                amounts.insert(0, label.cents)
            out.append((block.title, str(label), n, amounts))
    return out


def text_lines(data: dict, method_labels: dict[str, str] | None = None, extra_cash_rows=()) -> list[str]:
    """The summary as plain text (the command line): a title per block, aligned columns."""
    lines: list[str] = []
    for block in summary_blocks(data, method_labels):
        rows = list(block.rows) + ([block.total] if block.total else [])
        if block.title == _("Cash drawer"):
            rows += list(extra_cash_rows)
        lines += ["", block.title]
        if block.show_header and len(block.headers) > 2:
            lines.append("  " + "".join(f"{h:>16}" if i else f"{h:<30.30}" for i, h in enumerate(block.headers)))
        for row in rows or [(_("none"),)]:
            lines.append(("  " + "".join(f"{c:>16}" if i else f"{c:<30.30}" for i, c in enumerate(row))).rstrip())
    return lines


def day_report(data: dict, shop: dict, title: str, copy_no: int = 0,
               method_labels: dict[str, str] | None = None, extra_cash_rows=(), anchor: str = "") -> Receipt:
    """The X or Z report for the receipt printer; a Z ends with its chain anchor (kept on paper)."""
    receipt = Receipt()
    receipt.add(Text(shop.get("name") or "pos-tui", "center", bold=True))
    for line in shop.get("identity") or ():  # address, phone, SIRET, VAT number (issue 11)
        receipt.add(Text(line, "center"))
    if shop.get("store"):  # a company of several stores: this X/Z is one store's
        receipt.add(Text(_("Store {code}").format(code=shop["store"]), "center", bold=True))
    if copy_no:
        receipt.add(Text(_("DUPLICATA {n}").format(n=copy_no), "center", bold=True))
    receipt.add(Text(title, "center", bold=True), Rule())
    for block in summary_blocks(data, method_labels):
        receipt.add(Text(block.title, bold=True))
        rows = list(block.rows)
        if block.title == _("Cash drawer"):
            rows += list(extra_cash_rows)
        if block.show_header and len(block.headers) > 3:  # VAT by rate: rate, incl., excl., VAT
            for rate, ttc, ht, tva in rows:
                receipt.add(Pair(_("{rate} Incl. VAT {amount}").format(rate=rate, amount=ttc),
                                 _("VAT {amount}").format(amount=tva)))
        else:
            for row in rows:
                label = row[0] if len(row) < 3 or not row[1] else f"{row[0]} ({row[1]})"
                receipt.add(Pair(label, row[-1]))
        if block.total:
            total = block.total
            receipt.add(Pair(total[0] if len(total) < 3 else f"{total[0]} ({total[1]})", total[-1], bold=True))
        if not rows and not block.total:
            receipt.add(Text("  " + _("none")))
        receipt.add(Rule())
    if anchor:
        receipt.add(Text(_("Chain anchor"), bold=True), Text(anchor, "center", bold=True), Rule())
    return receipt
