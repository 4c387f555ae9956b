"""Command line: ``pos-tui`` runs the counter; subcommands for set-up, import, reports.

The CLI calls the same services as the screens. Textual is imported only when
the app itself runs, so scripts stay light.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import os
import sys
from pathlib import Path

from pos_tui import __version__
from pos_tui.domain.errors import PosError
from pos_tui.i18n import _, locale, set_language


def default_db_path(demo: bool = False) -> Path:
    """``POS_TUI_DB`` if set, else a file in the per-user data directory."""
    if os.environ.get("POS_TUI_DB") and not demo:
        return Path(os.environ["POS_TUI_DB"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("pos-tui", appauthor=False)) / ("demo.db" if demo else "pos.db")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-tui", description=_("Terminal point-of-sale with customer credit."))
    parser.add_argument("--version", action="version", version=f"pos-tui {__version__}")
    parser.add_argument("--db", type=Path, help=_("database file (default: POS_TUI_DB or the per-user data directory)"))
    parser.add_argument("--terminal", type=int, default=1, help=_("this terminal's number (default 1)"))
    parser.add_argument("--lang", choices=("fr", "en"), default=os.environ.get("POS_TUI_LANG", "fr"))
    parser.add_argument("--demo", action="store_true", help=_("open (and create once) the demo store"))
    parser.add_argument("--printer", help=_("receipt printer: tcp://HOST:9100, usb://VID:PID, "
                                            "serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 or none"))
    sub = parser.add_subparsers(dest="command")

    init = sub.add_parser("init", help=_("create a store and its first manager"))
    init.add_argument("--name", help=_("the manager's name"))
    init.add_argument("--pin", help=_("the manager's PIN (4 to 8 digits)"))

    for name, helptext in (("import", _("import customers or products from CSV")),):
        imp = sub.add_parser(name, help=helptext)
        imp.add_argument("what", choices=("customers", "products"))
        imp.add_argument("file", type=Path)
        _login_options(imp)

    cred = sub.add_parser("credit", help=_("customer credit reports"))
    cred_sub = cred.add_subparsers(dest="credit_command", required=True)
    rep = cred_sub.add_parser("report", help=_("top-ups, refunds, consumption and outstanding credit"))
    rep.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    rep.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    rep.add_argument("--csv", type=Path, help=_("write the per-customer balances to this CSV file"))
    _login_options(rep)

    sub.add_parser("verify", help=_("check the store: integrity, signature chain and credit balances"))

    z = sub.add_parser("z", help=_("print a day's summary: the frozen Z of a closed day, else the live X"))
    z.add_argument("--date", help=_("the business day, YYYY-MM-DD (default: the current one)"))
    z.add_argument("--csv", type=Path, help=_("also write the summary to this CSV file"))
    _login_options(z)
    return parser


def _login_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default=os.environ.get("POS_TUI_USER"), help=_("user name (or POS_TUI_USER)"))
    parser.add_argument("--pin", default=os.environ.get("POS_TUI_PIN"), help=_("PIN (or POS_TUI_PIN; asked if missing)"))


def _err(message: str) -> None:
    print(f"pos-tui: {message}", file=sys.stderr)


def _open_store(args):
    from pos_tui.store.db import Store

    if args.demo:
        from pos_tui.services.demo import open_demo

        return open_demo(args.db or default_db_path(demo=True))
    return Store(args.db or default_db_path())


def _cli_context(args, store):
    from pos_tui.services import auth
    from pos_tui.services.context import Context

    name = args.user or input(_("User: "))
    pin = args.pin or getpass.getpass(_("PIN: "))
    return Context(store, auth.login(store, name, pin, args.terminal), args.terminal)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    try:
        if args.command is None:
            return _run_app(args)
        store = _open_store(args)
        return {"init": _init, "import": _import, "credit": _credit_report, "verify": _verify,
                "z": _z}[args.command](args, store)
    except PosError as exc:
        _err(exc.message)
        return 2
    except KeyboardInterrupt:
        _err(_("interrupted; nothing more was written."))
        return 130


def _run_app(args) -> int:
    from pos_tui.services import auth

    store = _open_store(args)
    if not auth.list_users(store):
        _err(_("This store has no user yet. Create the first manager with: pos-tui init"))
        return 2
    from pos_tui.ui.app import PosApp

    from pos_tui.services.printing import printer_target

    target = printer_target(store, args.printer)  # a bad address is refused before the screen opens
    PosApp(store=store, terminal=args.terminal, printer=target).run()
    return 0


def _init(args, store) -> int:
    from pos_tui.services import auth

    name = args.name or input(_("First manager's name: "))
    pin = args.pin or getpass.getpass(_("PIN (4 to 8 digits): "))
    if not args.pin and getpass.getpass(_("PIN again: ")) != pin:
        _err(_("The two PINs differ; nothing was created."))
        return 2
    user = auth.create_first_manager(store, name, pin, args.terminal)
    print(_("Store ready at {path}; manager {name} created.").format(path=store.path, name=user.name))
    return 0


def _import(args, store) -> int:
    from rich.progress import Progress

    from pos_tui.services import importer

    ctx = _cli_context(args, store)
    func = importer.import_customers if args.what == "customers" else importer.import_products
    with Progress(transient=True) as progress:
        task = progress.add_task(_("Importing {what}").format(what=args.what), total=None)
        report = func(ctx, args.file, lambda done, total: progress.update(task, completed=done, total=total))
    if not report.ok:
        _err(_("{n} bad rows in {file}; nothing was imported:").format(n=len(report.errors), file=args.file))
        for line, message in report.errors:
            print(f"  {_('line')} {line}: {message}", file=sys.stderr)
        return 1
    print(_("{n} {what} imported.").format(n=report.imported, what=args.what))
    return 0


def _credit_report(args, store) -> int:
    from pos_tui.domain.money import format_money
    from pos_tui.services import credit

    ctx = _cli_context(args, store)
    data = credit.report(ctx, args.date_from, args.date_to)
    loc = locale()
    print(_("Credit report") + f" ({args.date_from or '…'} → {args.date_to or '…'})")
    labels = {"top_up": _("Top-ups"), "refund": _("Refunds"), "sale_payment": _("Consumed (CRED)"),
              "sale_credit": _("Created by sales")}
    for row in data["by_method"]:
        print(f"  {labels[row['kind']]:<20} {row['method']:<6} {row['n']:>5}  {format_money(row['total'], loc):>14}")
    for row in data["sales"]:
        print(f"  {labels[row['kind']]:<27} {row['n']:>5}  {format_money(row['total'], loc):>14}")
    out = data["outstanding"]
    print(f"  {_('Outstanding credit'):<27} {out['n_credit']:>5}  {format_money(out['credit'], loc):>14}")
    print(f"  {_('Outstanding debt'):<27} {out['n_debt']:>5}  {format_money(out['debt'], loc):>14}")
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["customer_id", "first_name", "last_name", "company", "balance_cents", "debt_limit_cents"])
            for c in data["customers"]:
                writer.writerow([c["id"], c["first_name"], c["last_name"], c["company"], c["balance"], c["debt_limit"]])
        print(_("Per-customer balances written to {file}.").format(file=args.csv))
    return 0


def _verify(args, store) -> int:
    from pos_tui.store import ledger
    from pos_tui.store.integrity import verify_chain

    problems = verify_chain(store)
    integrity = store.scalar("PRAGMA integrity_check")
    if integrity != "ok":
        problems.append(_("SQLite integrity check: {result}").format(result=integrity))
    for row in ledger.mismatched_balances(store):
        problems.append(
            _("customer {id}: cached balance {balance} but ledger sum {sum}").format(
                id=row["id"], balance=row["balance"], sum=row["ledger_sum"])
        )
    if problems:
        for p in problems:
            _err(p)
        return 1
    print(_("Store verified: integrity ok, signature chain ok, every balance equals its ledger."))
    return 0


def _z(args, store) -> int:
    """``pos-tui z``: a day's summary on stdout (frozen figures once closed), optionally as CSV."""
    import re
    from datetime import date

    from pos_tui.domain.rights import Right
    from pos_tui.services import closing

    ctx = _cli_context(args, store)
    ctx.require(Right.DAY_CLOSING)
    if args.csv:
        ctx.require(Right.EXPORT_DATA)
    day = args.date or closing.business_day(store)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ValueError(day)
        date.fromisoformat(day)
    except ValueError:
        raise PosError("Not a date: {date!r} (use YYYY-MM-DD).", date=day) from None
    z = closing.z_of_day(store, day)
    if z:
        data = z["figures"]
        print(_("Z n° {number} · {day} · closed {at} by {user}").format(
            number=z["number"], day=day, at=z["closed_at"].replace("T", " ")[:16],
            user=store.scalar("SELECT name FROM users WHERE id = ?", (z["user_id"],)) or "—"))
    else:
        data = closing.summary(store, day)
        print(_("X (live) · {day} · not closed").format(day=day))
    for line in _summary_lines(data, z):
        print(line)
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            handle.write(closing.export_summary(ctx, data))
        print(_("Summary written to {file}.").format(file=args.csv))
    return 0


def _summary_lines(data: dict, z: dict | None = None) -> list[str]:
    """The summary as text lines, laid out like the closing screen and the printed report."""
    from pos_tui.domain.money import format_money
    from pos_tui.printing.day_report import text_lines

    extra = []
    if z is not None:
        counted = z.get("counted")
        extra.append((_("Counted"), format_money(counted, locale()) if counted is not None else _("not counted")))
        if z.get("cash_difference") is not None:
            extra.append((_("Difference"), format_money(z["cash_difference"], locale())))
    lines = text_lines(data, extra_cash_rows=extra)
    if data.get("per_hour"):
        lines += ["", _("Sales per hour")]
        lines += [f"  {r['hour']:02d}h{'':<26}{r['n']:>16}{format_money(r['total'], locale()):>16}"
                  for r in data["per_hour"]]
    return lines
