"""The shop's printed documents, built as ``Receipt`` data (pure)."""

from __future__ import annotations


from pos_tui.domain.cart import line_label
from pos_tui.domain.money import format_money, format_vat_rate
from pos_tui.domain.vouchers import format_code
from pos_tui.i18n import _, format_moment, locale
from pos_tui.printing.receipt import Barcode, Pair, Receipt, Rule, Text


def _money(cents: int) -> str:
    return format_money(cents, locale())


def when(iso: str) -> str:
    """A moment as the receipts write it: the locale's short date and time."""
    return format_moment(iso)


def _header(receipt: Receipt, shop: dict, copy_no: int) -> None:
    receipt.add(Text(shop.get("name") or "pos-tui", "center", bold=True))
    for line in shop.get("identity") or ():  # address, phone, SIRET, VAT number (issue 11)
        receipt.add(Text(line, "center"))
    for line in (shop.get("header") or "").splitlines():
        receipt.add(Text(line, "center"))
    if shop.get("store"):  # a company of several stores: which one issued this
        receipt.add(Text(_("Store {code}").format(code=shop["store"]), "center"))
    if copy_no:
        receipt.add(Text(_("DUPLICATA {n}").format(n=copy_no), "center", bold=True))
    receipt.add(Rule())


def _footer(receipt: Receipt, shop: dict) -> None:
    footer = shop.get("footer") or ""
    if footer:
        receipt.add(Rule())
        for line in footer.splitlines():
            receipt.add(Text(line, "center"))


def sale_barcode(number: int, store_code: str = "") -> str:
    """What the receipt's barcode carries: the returns screen accepts it. With several stores it names the
    store too (``TPARIS-000012``): numbers restart in each store."""
    return f"T{store_code}-{number:06d}" if store_code else f"T{number:06d}"


def is_return(sale: dict) -> bool:
    """A document is a return when items came back (or money was paid out without a voucher), not merely
    because its total is negative: a voucher worth more than the basket still makes a sale."""
    kinds = {line.get("kind") for line in sale["lines"]}
    if "return" in kinds:
        return True
    return sale["total"] < 0 and "voucher_redeem" not in kinds


def sale_receipt(sale: dict, shop: dict, copy_no: int = 0) -> Receipt:
    """``sale``: number, created_at, cashier, terminal, total, change_given, lines, payments, vat,
    vouchers_issued [(code, amount, expires_on)], customer_name, customer_balance, open_drawer."""
    receipt = Receipt(open_drawer=bool(sale.get("open_drawer")) and copy_no == 0)
    _header(receipt, shop, copy_no)
    title = _("Return n° {number}").format(number=sale["number"]) if is_return(sale) else \
        _("Sale n° {number}").format(number=sale["number"])
    receipt.add(Pair(title, when(sale["created_at"]), bold=True))
    receipt.add(Pair(_("Cashier {name}").format(name=sale["cashier"]), _("Terminal {n}").format(n=sale["terminal"])))
    receipt.add(Rule())
    for line in sale["lines"]:
        label = line_label(line["kind"], line["name"])
        if line.get("voucher_code"):
            label += " " + format_code(line["voucher_code"])
        amount = f"{_money(line['total'])} {_vat_letter(sale['vat'], line['vat_rate'])}"
        if line["quantity"] != 1:
            receipt.add(Text(label), Pair(f"  {line['quantity']} x {_money(line['unit_price'])}", amount))
        else:
            receipt.add(Pair(label, amount))
    receipt.add(Rule())
    receipt.add(Pair(_("TOTAL"), _money(sale["total"]), bold=True, big=True))
    for payment in sale["payments"]:
        receipt.add(Pair(payment["label"], _money(payment["amount"])))
    if sale.get("change_given"):
        if sale.get("cash_tendered"):  # what the customer handed over, then what went back
            receipt.add(Pair(_("Cash tendered"), _money(sale["cash_tendered"])))
        receipt.add(Pair(_("Change"), _money(sale["change_given"]), bold=True))
    receipt.add(Rule())
    receipt.add(Text(_("VAT breakdown")))
    for i, group in enumerate(sale["vat"]):
        receipt.add(Pair(f"{chr(65 + i)} {format_vat_rate(group['rate'], locale())} "
                         + _("excl. {ht}").format(ht=_money(group["ht"])),
                         _("VAT {tva}").format(tva=_money(group["tva"]))))
    if sale.get("customer_name"):
        receipt.add(Rule())
        receipt.add(Pair(_("Customer"), sale["customer_name"]))
        if sale.get("customer_balance") is not None:
            receipt.add(Pair(_("Credit balance after this sale"), _money(sale["customer_balance"]), bold=True))
    for code, amount, expires_on in sale.get("vouchers_issued", ()):
        receipt.add(Rule())
        receipt.add(Text(_("Gift voucher") if code.startswith("BV") else _("Credit note"), "center", bold=True))
        receipt.add(Pair(format_code(code), _money(amount), bold=True))
        if expires_on:
            receipt.add(Text(_("Valid until {date}").format(date=expires_on), "center"))
        receipt.add(Barcode(code))
    receipt.add(Rule())
    receipt.add(Barcode(sale_barcode(sale["number"], shop.get("store") or "")))
    _footer(receipt, shop)
    return receipt


def _vat_letter(groups: list[dict], rate: int) -> str:
    for i, group in enumerate(groups):
        if group["rate"] == rate:
            return chr(65 + i)
    return " "


def credit_receipt(entry: dict, shop: dict, copy_no: int = 0) -> Receipt:
    """``entry``: id, kind, amount, method_label, label, created_at, cashier, terminal, customer_name,
    old_balance, new_balance, open_drawer."""
    titles = {"top_up": _("Credit top-up"), "refund": _("Credit refund"), "sale_payment": _("Sale payment"),
              "sale_credit": _("Sale credit")}
    receipt = Receipt(open_drawer=bool(entry.get("open_drawer")) and copy_no == 0)
    _header(receipt, shop, copy_no)
    receipt.add(Text(titles.get(entry["kind"], entry["kind"]).upper(), "center", bold=True))
    receipt.add(Pair(_("Date"), when(entry["created_at"])))
    receipt.add(Pair(_("Customer"), entry["customer_name"]))
    if entry.get("method_label"):
        receipt.add(Pair(_("Method"), entry["method_label"]))
    if entry.get("label"):
        receipt.add(Pair(_("Label"), entry["label"]))
    receipt.add(Rule())
    receipt.add(Pair(_("Amount"), _money(entry["amount"]), bold=True, big=True))
    receipt.add(Pair(_("Previous balance"), _money(entry["old_balance"])))
    receipt.add(Pair(_("New balance"), _money(entry["new_balance"]), bold=True))
    if entry["new_balance"] < 0:
        receipt.add(Text(_("(debt)"), "right"))
    receipt.add(Rule())
    receipt.add(Pair(_("Cashier {name}").format(name=entry["cashier"]), _("Terminal {n}").format(n=entry["terminal"])))
    receipt.add(Pair(_("Operation no."), str(entry["id"])))
    _footer(receipt, shop)
    return receipt


def voucher_slip(voucher: dict, shop: dict, copy_no: int = 0) -> Receipt:
    """``voucher``: code, kind, amount, parts [(rate, amount)], issued_at, expires_on, sale_number."""
    receipt = Receipt()
    _header(receipt, shop, copy_no)
    gift = voucher["kind"] == "gift"
    receipt.add(Text(_("GIFT VOUCHER") if gift else _("CREDIT NOTE"), "center", bold=True, big=True))
    receipt.add(Text(_money(voucher["amount"]), "center", bold=True, big=True))
    if not gift:
        for rate, amount in voucher["parts"]:
            receipt.add(Pair(_("of which VAT {rate}").format(rate=format_vat_rate(rate, locale())), _money(amount)))
    receipt.add(Pair(_("Issued"), when(voucher["issued_at"])))
    receipt.add(Pair(_("Sale n°"), str(voucher["sale_number"])))
    receipt.add(Pair(_("Valid until"), voucher["expires_on"] or _("no expiry")))
    receipt.add(Text(_("Single use. Any remainder goes to your customer credit."), "center"))
    receipt.add(Text(format_code(voucher["code"]), "center", bold=True))
    receipt.add(Barcode(voucher["code"]))
    _footer(receipt, shop)
    return receipt


def _entry_title(kind: str) -> str:
    return {"top_up": _("Top-up"), "refund": _("Refund"), "sale_payment": _("Sale paid (CRED)"),
            "sale_credit": _("Put on credit")}.get(kind, kind)


def _account_entries(receipt: Receipt, lines) -> None:
    """One entry per ``StatementLine``: date and what on one line, then amount and running balance."""
    for line in lines:
        what = _entry_title(line.kind)
        if line.sale_number:
            what += " " + _("n° {number}").format(number=line.sale_number)
        elif line.method:
            what += f" {line.method}"
        receipt.add(Pair(f"{when(line.created_at)[:10]} {what}", _money(line.amount)))
        extra = f"  {line.card}" if line.card else ""
        receipt.add(Pair(extra, _("bal. {balance}").format(balance=_money(line.balance_after))))


def statement_receipt(statement, shop: dict, printed_at: str) -> Receipt:
    """A ``domain.accounts.Statement`` on the thermal printer."""
    receipt = Receipt()
    _header(receipt, shop, 0)
    receipt.add(Text(_("STATEMENT OF ACCOUNT"), "center", bold=True))
    receipt.add(Pair(_("Customer"), statement.customer_name))
    receipt.add(Pair(_("Period"), f"{statement.date_from} → {statement.date_to}"))
    receipt.add(Pair(_("Debt limit"), _money(statement.debt_limit)))
    receipt.add(Rule())
    receipt.add(Pair(_("Opening balance"), _money(statement.opening), bold=True))
    _account_entries(receipt, statement.lines)
    receipt.add(Rule())
    receipt.add(Pair(_("Credits"), _money(statement.credits)))
    receipt.add(Pair(_("Debits"), _money(statement.debits)))
    receipt.add(Pair(_("Closing balance"), _money(statement.closing), bold=True, big=True))
    if statement.closing < 0:  # a debt is said in words, not only by its sign (issue 13)
        receipt.add(Text(_("(debt)"), "right"))
    if statement.debt_since:
        receipt.add(Text(_("In debt since {date}").format(date=when(statement.debt_since)[:10]), "right"))
    receipt.add(Text(_("Printed {at}").format(at=when(printed_at)), "center"))
    _footer(receipt, shop)
    return receipt


def balance_slip(data: dict, shop: dict) -> Receipt:
    """``data``: customer_name, balance, debt_limit, lines (StatementLine, oldest first), printed_at."""
    receipt = Receipt()
    _header(receipt, shop, 0)
    receipt.add(Text(_("BALANCE"), "center", bold=True))
    receipt.add(Pair(_("Customer"), data["customer_name"]))
    receipt.add(Pair(_("Date"), when(data["printed_at"])))
    receipt.add(Rule())
    _account_entries(receipt, data["lines"])
    receipt.add(Rule())
    receipt.add(Pair(_("Balance"), _money(data["balance"]), bold=True, big=True))
    if data["balance"] < 0:
        receipt.add(Text(_("(debt)"), "right"))
    receipt.add(Pair(_("Debt limit"), _money(data["debt_limit"])))
    _footer(receipt, shop)
    return receipt
