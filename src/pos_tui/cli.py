"""Command line: ``pos-tui`` runs the counter; subcommands for set-up, import, reports.

The CLI calls the same services as the screens. Textual is imported only when
the app itself runs, so scripts stay light.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sqlite3
import sys
import threading
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from pos_tui import __version__
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _, LANGUAGES, locale, ngettext, set_language
from pos_tui.services import auth
from pos_tui.services.context import Context, is_server_url, open_store
from pos_tui.i18n.argparse_words import install as install_argparse_words
from pos_tui.lazy import lazy_function, lazy_module

# Loaded by the subcommands that use them: starting the counter needs none of these (issue 17).
accounts = lazy_module("pos_tui.services.accounts")
archive = lazy_module("pos_tui.services.archive")
backup = lazy_module("pos_tui.services.backup")
closing = lazy_module("pos_tui.services.closing")
credit = lazy_module("pos_tui.services.credit")
importer = lazy_module("pos_tui.services.importer")
integrity = lazy_module("pos_tui.services.integrity")
pg_migrate = lazy_module("pos_tui.services.pg_migrate")
periods = lazy_module("pos_tui.services.periods")
debts_older_than = lazy_function("pos_tui.printing.day_report", "debts_older_than")
text_lines = lazy_function("pos_tui.printing.day_report", "text_lines")
render_text = lazy_function("pos_tui.printing.receipt", "render_text")
open_demo = lazy_function("pos_tui.services.demo", "open_demo")
write_export = lazy_function("pos_tui.services.exports", "write_export")
paper_width = lazy_function("pos_tui.services.printing", "paper_width")
printer_target = lazy_function("pos_tui.services.printing", "printer_target")


def db_target(text: str) -> Path | str:
    """``--db``: a SQLite file's path, or a ``postgresql://`` URL kept as text."""
    return text if is_server_url(text) else Path(text)


def default_db_path(demo: bool = False) -> Path | str:
    """``POS_TUI_DB`` if set (a file or a ``postgresql://`` URL), else a file in the per-user data directory."""
    if os.environ.get("POS_TUI_DB") and not demo:
        return db_target(os.environ["POS_TUI_DB"])
    return Path(user_data_dir("pos-tui", appauthor=False)) / ("demo.db" if demo else "pos.db")


def build_parser() -> argparse.ArgumentParser:
    # no abbreviations: "statement --print" must not read as an ambiguous prefix of --printer / --printer-profile
    parser = argparse.ArgumentParser(prog="pos-tui", description=_("Terminal point-of-sale with customer credit."),
                                     allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"pos-tui {__version__}")
    parser.add_argument("--db", type=db_target,
                        help=_("database file, or postgresql://USER@HOST/DATABASE for several stores sharing "
                               "customers (default: POS_TUI_DB or the per-user data directory)"))
    parser.add_argument("--terminal", type=int, default=1, help=_("this terminal's number (default 1)"))
    parser.add_argument("--store", metavar="CODE", default=os.environ.get("POS_TUI_STORE"),
                        help=_("the store this till belongs to (default: POS_TUI_STORE, else MAIN); "
                               "for verify: check that store's chain only"))
    parser.add_argument("--lang", choices=LANGUAGES, default=_default_lang(),
                        help=_("language of the screens, messages and exports (default: POS_TUI_LANG, else fr)"))
    parser.add_argument("--demo", action="store_true", help=_("open (and create once) the demo store"))
    parser.add_argument("--printer", help=_("receipt printer: tcp://HOST:9100, usb://VID:PID, "
                                            "serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 or none"))
    parser.add_argument("--printer-profile", dest="printer_profile", metavar="PROFILE",
                        help=_("printer model for the ESC/POS bytes: a python-escpos profile such as TM-T88V, "
                               "TM-T20II or default (default: the shop's setting)"))
    sub = parser.add_subparsers(dest="command")

    init = sub.add_parser("init", help=_("create a store and its first manager"))
    init.add_argument("--name", help=_("the manager's name"))
    init.add_argument("--pin", help=_("the manager's PIN (6 to 8 digits)"))

    for name, helptext in (("import", _("import customers or products from CSV")),):
        imp = sub.add_parser(name, help=helptext)
        imp.add_argument("what", choices=("customers", "products"))
        imp.add_argument("file", type=Path)
        imp.add_argument("--update", action="store_true",
                         help=_("products: update the name, price and VAT rate of barcodes already in the store"))
        imp.add_argument("--dry-run", dest="dry_run", action="store_true",
                         help=_("check the file and show what would change; write nothing"))
        _login_options(imp)

    cred = sub.add_parser("credit", help=_("customer credit reports"))
    cred_sub = cred.add_subparsers(dest="credit_command", required=True)
    rep = cred_sub.add_parser("report", help=_("top-ups, refunds, consumption and outstanding credit"))
    rep.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    rep.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    rep.add_argument("--csv", type=Path, help=_("write the per-customer balances to this CSV file"))
    _format_option(rep)
    _login_options(rep)
    st = cred_sub.add_parser("statement", help=_("a customer's statement of account for a period"))
    st.add_argument("customer", help=_("customer id, card code or name"))
    st.add_argument("--from", dest="date_from", help=_("first day, YYYY-MM-DD (default: the first of this month)"))
    st.add_argument("--to", dest="date_to", help=_("last day, YYYY-MM-DD (default: today)"))
    out = st.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, help=_("write the statement to this CSV file"))
    _format_option(st)
    out.add_argument("--pdf", type=Path, help=_("write the statement to this one-page PDF file"))
    st.add_argument("--print", dest="to_printer", action="store_true",
                    help=_("print it on the receipt printer"))
    _login_options(st)
    debt = cred_sub.add_parser("debtors", help=_("the call list: customers whose debt is older than N days"))
    debt.add_argument("--older-than", dest="older_than", type=int,
                      help=_("days (default: the shop's old-debt threshold, 30)"))
    debt.add_argument("--csv", type=Path, help=_("write the list to this CSV file"))
    _format_option(debt)
    _login_options(debt)

    users = sub.add_parser("users", help=_("list, add, unlock, reset the PIN of or disable users"))
    users_sub = users.add_subparsers(dest="users_command", required=True)
    ul = users_sub.add_parser("list", help=_("every user with role, rights, last login and state"))
    _login_options(ul)
    ua = users_sub.add_parser("add", help=_("add a user"))
    ua.add_argument("name")
    ua.add_argument("--role", choices=("cashier", "manager"), default="cashier")
    ua.add_argument("--rights", help=_("comma-separated rights instead of the role's preset"))
    ua.add_argument("--new-pin", dest="new_pin", default=os.environ.get("POS_TUI_NEW_PIN"),
                    help=_("the new user's PIN (or POS_TUI_NEW_PIN; asked twice if missing)"))
    _login_options(ua)
    for verb, helptext in (("unlock", _("unlock a user locked by wrong PINs")),
                           ("reset-pin", _("give a user a new PIN (also unlocks it)"))):
        ur = users_sub.add_parser(verb, help=helptext + " " + _(
            "(without --user: proved by reading the shop's signing key file, for when every manager is locked)"))
        ur.add_argument("name")
        if verb == "reset-pin":
            ur.add_argument("--new-pin", dest="new_pin", default=os.environ.get("POS_TUI_NEW_PIN"),
                            help=_("the new PIN (or POS_TUI_NEW_PIN; asked twice if missing)"))
        _login_options(ur)
    for verb, helptext in (("disable", _("deactivate a user (never deleted)")),
                           ("enable", _("reactivate a deactivated user"))):
        ud = users_sub.add_parser(verb, help=helptext)
        ud.add_argument("name")
        _login_options(ud)

    lab = sub.add_parser("labels", help=_("shelf labels, customer cards and gift voucher slips with barcodes"))
    lab_sub = lab.add_subparsers(dest="labels_command", required=True)
    ls_ = lab_sub.add_parser("sheet", help=_("an A4 sheet (SVG) of shelf labels"))
    ls_.add_argument("barcodes", nargs="+", help=_("the products' barcodes"))
    ls_.add_argument("--out", type=Path, required=True, help=_("the SVG file to write"))
    ls_.add_argument("--copies", type=int, default=1, help=_("labels per product (default 1)"))
    _login_options(ls_)
    lp = lab_sub.add_parser("print", help=_("print a shelf label on the receipt printer"))
    lp.add_argument("barcode")
    lp.add_argument("--copies", type=int, default=1, help=_("labels per product (default 1)"))
    _login_options(lp)
    lc = lab_sub.add_parser("card", help=_("a customer card (PNG) with the card code as a barcode"))
    lc.add_argument("customer", help=_("customer id, card code or name"))
    lc.add_argument("--out", type=Path, required=True, help=_("the PNG file to write"))
    _login_options(lc)
    lv = lab_sub.add_parser("voucher", help=_("a gift voucher slip (PNG) with the voucher code as a barcode"))
    lv.add_argument("code")
    lv.add_argument("--out", type=Path, required=True, help=_("the PNG file to write"))
    _login_options(lv)

    shop = sub.add_parser("shop", help=_("the shop's identity printed on receipts: name, address, SIRET, VAT number, "
                                         "phone"))
    shop_sub = shop.add_subparsers(dest="shop_command", required=True)
    _login_options(shop_sub.add_parser("show", help=_("show the shop's identity")))
    shop_set = shop_sub.add_parser("set", help=_("change the shop's identity (fields not given stay as they are)"))
    shop_set.add_argument("--name")
    shop_set.add_argument("--address", help=_("lines separated by \\n or |"))
    shop_set.add_argument("--siret")
    shop_set.add_argument("--vat-number", dest="vat_number")
    shop_set.add_argument("--phone")
    _login_options(shop_set)


    card = sub.add_parser("card", help=_("extra cards of a customer account"))
    card_sub = card.add_subparsers(dest="card_command", required=True)
    c_add = card_sub.add_parser("add", help=_("give an account another card"))
    c_add.add_argument("customer", help=_("customer id, card code or name"))
    c_add.add_argument("code", help=_("the new card's code"))
    c_add.add_argument("name", help=_("who carries the card"))
    c_add.add_argument("--daily-limit", dest="daily_limit", help=_("what the card may spend a day, e.g. 50,00"))
    c_list = card_sub.add_parser("list", help=_("an account's cards"))
    c_list.add_argument("customer", help=_("customer id, card code or name"))
    for name in ("block", "unblock"):
        c_b = card_sub.add_parser(name, help=_("block a card") if name == "block" else _("unblock a card"))
        c_b.add_argument("code", help=_("the card's code"))
    for p in (c_add, c_list, *card_sub.choices.values()):
        if not any(a.dest == "user" for a in p._actions):
            _login_options(p)

    mail = sub.add_parser("email", help=_("e-mail: SMTP server, queue, statements and reminders"))
    mail_sub = mail.add_subparsers(dest="email_command", required=True)
    setup = mail_sub.add_parser("setup", help=_("the shop's SMTP server (the password is asked)"))
    setup.add_argument("--host", required=True)
    setup.add_argument("--port", type=int, default=587)
    setup.add_argument("--security", choices=("none", "starttls", "ssl"), default="starttls")
    setup.add_argument("--login", default="", help=_("SMTP user name"))
    setup.add_argument("--from", dest="sender", required=True, help=_("the shop's sender address"))
    mail_sub.add_parser("queue", help=_("the e-mails waiting, sent or failed"))
    mail_sub.add_parser("send", help=_("send what is due now"))
    resend = mail_sub.add_parser("resend", help=_("put a failed e-mail back in the queue"))
    resend.add_argument("id", type=int)
    m_st = mail_sub.add_parser("statement", help=_("e-mail a customer's statement of account (PDF)"))
    m_st.add_argument("customer", help=_("customer id, card code or name"))
    m_st.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    m_st.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    m_st.add_argument("--address", help=_("send to this address instead of the customer's"))
    rem = mail_sub.add_parser("reminders", help=_("list the debt reminders; --yes queues them"))
    rem.add_argument("--older-than", dest="older_than", type=int)
    rem.add_argument("--yes", action="store_true", help=_("queue the listed reminders"))
    for p in mail_sub.choices.values():
        _login_options(p)

    sett = sub.add_parser("settings", help=_("customer-account settings (no option: show them)"))
    sett.add_argument("--old-debt-days", dest="old_debt_days", type=int,
                      help=_("debts older than this are listed on the X/Z (default 30)"))
    sett.add_argument("--max-debt-days", dest="max_debt_days", type=int,
                      help=_("the counter warns when a debt reaches this age (default 90)"))
    sett.add_argument("--cash-limit", dest="cash_limit",
                      help=_("cash top-ups above this need a manager (default 1000,00)"))
    sett.add_argument("--voucher-kind", dest="voucher_kind", choices=("multi", "single"),
                      help=_("the gift voucher kind proposed by default"))
    sett.add_argument("--single-purpose-rate", dest="single_rate", help=_("VAT rate of single-purpose vouchers"))
    sett.add_argument("--profile", dest="saved_profile", metavar="PROFILE",
                      help=_("save the printer profile (TM-T88V, TM-T20II, default...): the default of --printer-profile"))
    sett.add_argument("--code-page", dest="code_page", metavar="CODE_PAGE",
                      help=_("save the printer's code page (CP858, CP1252, ISO_8859-15, CP850, CP437)"))
    sett.add_argument("--receipt-print-from", dest="receipt_print_from", metavar="AMOUNT",
                      help=_("sales from this total print a receipt without asking (0: never)"))
    sett.add_argument("--manager-home", dest="manager_home", choices=("sale", "lookup"),
                      help=_("where managers land after their PIN (cashiers always land on the sale)"))
    sett.add_argument("--reminder-file", dest="reminder_file", type=Path,
                      help=_("text of the debt reminder ({name}, {amount}, {since}, {days}, {shop})"))
    _login_options(sett)

    ver = sub.add_parser("verify", help=_("check the store: integrity, signature chain and credit balances"))
    ver.add_argument("--anchor", action="append", default=[], metavar="SEQ:FINGERPRINT",
                     help=_("an anchor printed on a Z ticket, e.g. 345:3f2a-91bc-0d4e-77aa (may be repeated)"))
    ver.add_argument("--archive", type=Path, metavar="FILE",
                     help=_("check this archive alone, without the database"))
    ver.add_argument("--key", type=Path, metavar="FILE",
                     help=_("the signing key for --archive (default: the one beside the database)"))
    ver.add_argument("--quick", action="store_true",
                     help=_("skip SQLite's page-level integrity check (seconds on a large file)"))
    ver.add_argument("--progress", action="store_true",
                     help=_("show a progress bar on stderr even when it is not a terminal"))

    z = sub.add_parser("z", help=_("print a day's summary: the frozen Z of a closed day, else the live X"))
    z.add_argument("--date", help=_("the business day, YYYY-MM-DD (default: the current one)"))
    z.add_argument("--csv", type=Path, help=_("also write the summary to this CSV file"))
    z.add_argument("--month", metavar="YYYY-MM", help=_("show the monthly closing of this month instead"))
    z.add_argument("--year", metavar="YYYY", help=_("show the closing of the fiscal year starting in this year"))
    _format_option(z)
    _login_options(z)

    arc = sub.add_parser("archive", help=_("write a signed archive of one period's fiscal records"))
    arc.add_argument("--period", required=True, metavar="YYYY-MM", help=_("the month (YYYY-MM) or year (YYYY)"))
    arc.add_argument("dest", type=Path, help=_("the archive file (.zip) or a folder to write it in"))
    _login_options(arc)

    mig = sub.add_parser("migrate", help=_("move this single-shop SQLite store (--db FILE) into an empty PostgreSQL "
                                           "database, verified on arrival"))
    mig.add_argument("--to", required=True, metavar="postgresql://USER@HOST/DATABASE",
                     help=_("the empty PostgreSQL database to move the shop into"))
    mig.add_argument("--store", default="MAIN", metavar="CODE",
                     help=_("the shop's store code there (default MAIN)"))
    _login_options(mig)

    bak = sub.add_parser("backup", help=_("copy the database while the tills sell, with its key and anchor log"))
    bak.add_argument("dest", type=Path, help=_("the copy's file, or a folder to write it in"))

    sto = sub.add_parser("stores", help=_("the company's stores: list them, add one"))
    sto_sub = sto.add_subparsers(dest="stores_command", required=True)
    sto_sub.add_parser("list", help=_("every store with its code and name"))
    s_add = sto_sub.add_parser("add", help=_("add a store (a manager)"))
    s_add.add_argument("code", help=_("its code: 1 to 12 letters, digits or '-' (upper-cased)"))
    s_add.add_argument("name", help=_("its name"))
    _login_options(s_add)
    _store_option_everywhere(sub)
    return parser


def _store_option_everywhere(sub) -> None:
    """``--store`` also after the command (``pos-tui verify --store PARIS``); SUPPRESS keeps a value given
    before the command when it is not repeated after it."""
    for parser in set(sub.choices.values()):
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if actions:
            _store_option_everywhere(actions[0])
        elif "--store" not in parser._option_string_actions:  # migrate has its own: the target's code
            parser.add_argument("--store", metavar="CODE", default=argparse.SUPPRESS,
                                help=_("the store this till belongs to (see pos-tui --help)"))


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="csv_format", choices=("sheet", "raw"), default="sheet",
                        help=_("CSV for a spreadsheet in the language's dialect (sheet, the default: ; and "
                               "decimal comma in French, amounts in euros) or for programs (raw: ',', integer "
                               "cents, English keys)"))


def _login_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default=os.environ.get("POS_TUI_USER"), help=_("user name (or POS_TUI_USER)"))
    parser.add_argument("--pin", default=os.environ.get("POS_TUI_PIN"), help=_("PIN (or POS_TUI_PIN; asked if missing)"))


def _days(n: int) -> str:
    return ngettext("{days} day", "{days} days", n).format(days=n)


def _err(message: str) -> None:
    print(f"pos-tui: {message}", file=sys.stderr)


def _open_store(args, *, create: bool = False, readonly: bool = False):
    """Open the store; only ``init`` (and the demo) may create one, and ``verify`` only reads."""
    if args.demo:
        store = open_demo(args.db or default_db_path(demo=True))
    else:
        store = open_store(args.db or default_db_path(), create=create, readonly=readonly)
    # verify takes --store as the one chain to check, migrate as the code the shop gets on the server
    if args.store and args.command not in ("verify", "migrate"):
        try:
            store.use_store(args.store)
        except BaseException:
            store.close()
            raise
    exposed = store.exposed_files() if args.command else []  # the app shows it on its own screen
    if exposed:
        names = " ".join(str(p) for p in exposed)
        _err(_("{files} can be read by other users of this computer; fix: chmod 600 {files}").format(files=names))
    return store


def _ask(prompt: str, *, secret: bool = False, hint: str) -> str:
    """Ask on the terminal; without one (stdin closed, redirected, at end of file) refuse cleanly."""
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # a closed stdin
        interactive = False
    if interactive:
        try:
            return getpass.getpass(prompt) if secret else input(prompt)
        except EOFError:
            pass
    raise PosError("No terminal to ask on: {hint}", hint=hint)


LOGIN_HINT = N_("pass --user and --pin, or set POS_TUI_USER and POS_TUI_PIN.")


def _cli_context(args, store):
    name = args.user or _ask(_("User: "), hint=_(LOGIN_HINT))
    pin = args.pin or _ask(_("PIN: "), secret=True, hint=_(LOGIN_HINT))
    return Context(store, auth.login(store, name, pin, args.terminal), args.terminal)


def _day(text: str | None) -> str | None:
    """A YYYY-MM-DD date from the command line, or ``None``; anything else is refused."""
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise PosError("Not a date: {date!r} (use YYYY-MM-DD).", date=text) from None
    return text


def _default_lang() -> str:
    lang = os.environ.get("POS_TUI_LANG", "fr")
    return lang if lang in LANGUAGES else "fr"


def _early_language(argv: list[str] | None) -> str:
    """``--lang`` read before the parser is built, so its help and argparse's own words follow it."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", default=_default_lang())
    known, _rest = early.parse_known_args(argv)
    return known.lang if known.lang in LANGUAGES else _default_lang()


def main(argv: list[str] | None = None) -> int:
    """Run one command. The one error boundary: a one-line message and exit 2 (refused), never a traceback."""
    set_language(_early_language(argv))
    install_argparse_words()
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    try:
        if args.printer_profile:  # refused before anything else runs, like a bad printer address
            from pos_tui.services.printing import check_profile

            args.printer_profile = check_profile(args.printer_profile)
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows up here, inside the boundary
        return code
    except PosError as exc:
        _err(exc.message)
        return 2
    except KeyboardInterrupt:
        _err(_("interrupted; nothing more was written."))
        return 130
    except BrokenPipeError:
        # `pos-tui z | head`: the reader has what it wanted; end quietly (and keep Python's
        # final flush from complaining about the closed pipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except sqlite3.DatabaseError as exc:
        _err(_("The database cannot be read ({reason}): run pos-tui verify, and restore your backup if it is "
               "damaged.").format(reason=exc))
        return 1
    except OSError as exc:
        _err(_("{file}: {reason}").format(file=exc.filename or "", reason=exc.strerror or exc))
        return 2
    except Exception as exc:  # a bug: still one line for the user; POS_TUI_DEBUG=1 shows the traceback
        if os.environ.get("POS_TUI_DEBUG"):
            raise
        _err(_("unexpected error ({kind}: {reason}); nothing more was written. Set POS_TUI_DEBUG=1 to see "
               "the details.").format(kind=type(exc).__name__, reason=exc))
        return 1


def _dispatch(args) -> int:
    if args.command is None:
        return _run_app(args)
    if args.command == "verify" and args.archive is not None:
        return _verify_archive(args)  # an archive is checked alone, without any database
    store = _open_store(args, create=args.command == "init",
                        readonly=args.command in ("verify", "backup", "migrate"))
    try:
        return {"init": _init, "import": _import, "credit": _credit, "verify": _verify,
                "z": _z, "archive": _archive, "backup": _backup, "migrate": _migrate, "card": _card, "email": _email,
                "settings": _settings, "stores": _stores,
                "users": _users, "labels": _labels, "shop": _shop}[args.command](args, store)
    finally:
        store.close()


def _run_app(args) -> int:
    store = _open_store(args)
    if not auth.list_users(store):
        _err(_("This store has no user yet. Create the first manager with: pos-tui init"))
        return 2
    from pos_tui.ui.app import PosApp  # lazy: Textual loads only when the counter itself runs

    target = printer_target(store, args.printer, args.printer_profile)  # a bad address is refused before the screen opens
    app = PosApp(store=store, terminal=args.terminal, printer=target)
    # E-mails leave in the background, from their own connection: the till never waits for the network.
    # The worker (smtplib, the email package) starts once the login screen is up, not before it.
    workers = []

    def start_mail() -> None:
        from pos_tui.services.email import EmailWorker

        workers.append(EmailWorker(store.target))
        workers[0].start()

    starter = threading.Timer(MAIL_START_DELAY_S, start_mail)
    starter.daemon = True
    starter.start()
    try:
        app.run()
    finally:
        starter.cancel()
        starter.join(timeout=2)  # a start under way ends before the worker is stopped
        for worker in workers:
            worker.stop(timeout=2)
    return app.return_code or 0


MAIL_START_DELAY_S = 2.0


def _init(args, store) -> int:
    hint = _("pass --name and --pin.")
    name = args.name or _ask(_("First manager's name: "), hint=hint)
    pin = args.pin or _ask(_("PIN (6 to 8 digits): "), secret=True, hint=hint)
    if not args.pin and _ask(_("PIN again: "), secret=True, hint=hint) != pin:
        _err(_("The two PINs differ; nothing was created."))
        return 2
    user = auth.create_first_manager(store, name, pin, args.terminal)
    print(_("Store ready at {path}; manager {name} created.").format(path=store.path, name=user.name))
    return 0


def _import(args, store) -> int:
    from rich.progress import Progress  # lazy: only the import command draws a progress bar

    if args.what == "customers" and (args.update or args.dry_run):
        raise PosError("--update and --dry-run apply to products only.")
    ctx = _cli_context(args, store)
    if args.what == "customers":
        func = importer.import_customers
    elif not (args.update or args.dry_run):
        func = importer.import_products  # new products only: streamed, tills keep selling
    else:
        # The summary of what changes is shown before anything is written: a dry run first.
        plan = importer.import_products(ctx, args.file, update=args.update, dry_run=True)
        if plan.ok:
            _product_summary(plan)
        if plan.ok and args.dry_run:
            print(_("Dry run: nothing was written."))
            return 0

        def func(ctx, path, progress):
            return importer.import_products(ctx, path, progress, update=args.update)
    with Progress(transient=True) as progress:
        task = progress.add_task(_("Importing customers") if args.what == "customers" else _("Importing products"),
                                 total=None)
        report = func(ctx, args.file, lambda done, total: progress.update(task, completed=done, total=total))
    if not report.ok:
        _err(ngettext("{n} bad row in {file}; nothing was imported:", "{n} bad rows in {file}; nothing was imported:",
                      report.error_count).format(n=report.error_count, file=args.file))
        for line, message in report.errors:
            print("  " + _("line {line}: {message}").format(line=line, message=message), file=sys.stderr)
        if report.error_count > len(report.errors):
            print("  " + _("… and {n} more.").format(n=report.error_count - len(report.errors)), file=sys.stderr)
        return 1
    if args.what == "products" and args.update:
        print(_("{created} products created, {changed} updated.").format(created=len(report.created),
                                                                           changed=len(report.changes)))
    elif args.what == "customers":
        print(ngettext("{n} customer imported.", "{n} customers imported.", report.imported).format(n=report.imported))
    else:
        print(ngettext("{n} product imported.", "{n} products imported.", report.imported).format(n=report.imported))
    return 0


def _product_summary(report) -> None:
    from pos_tui.domain.money import format_money, format_vat_rate

    loc = locale()
    print(_("{created} new, {changed} changed, {same} unchanged:").format(
        created=len(report.created), changed=len(report.changes), same=report.unchanged))
    for change in report.changes:
        parts = []
        b, a = change.before, change.after
        if b["name"] != a["name"]:
            parts.append(f"{b['name']!r} → {a['name']!r}")
        if b["price"] != a["price"]:
            parts.append(f"{format_money(b['price'], loc)} → {format_money(a['price'], loc)}")
        if b["vat_rate"] != a["vat_rate"]:
            parts.append(_("VAT") + f" {format_vat_rate(b['vat_rate'], loc)} → {format_vat_rate(a['vat_rate'], loc)}")
        print(f"  {change.barcode}  {a['name'][:30]:<30}  " + "; ".join(parts))
    for code in report.created[:20]:
        print(f"  {code}  " + _("new"))
    if len(report.created) > 20:
        print("  … " + _("and {n} more new products").format(n=len(report.created) - 20))


def _card(args, store) -> int:
    from pos_tui.domain.money import format_money, parse_money
    from pos_tui.services import accounts, cards
    ctx = _cli_context(args, store)
    if args.card_command in ("block", "unblock"):
        card = cards.by_code(store, args.code)
        if card is None:
            raise PosError("Unknown card.")
        cards.block_card(ctx, card.id, args.card_command == "block")
        print((_("Card {code} blocked.") if args.card_command == "block" else _("Card {code} unblocked."))
              .format(code=card.code))
        return 0
    customer = accounts.find_customer(store, args.customer)
    if args.card_command == "add":
        limit = parse_money(args.daily_limit) if args.daily_limit else None
        card = cards.add_card(ctx, customer.id, args.code, args.name, limit)
        print(_("Card {code} ({name}) added to {customer}.").format(code=card.code, name=card.name,
                                                                   customer=customer.display_name))
        return 0
    print(customer.display_name + (f" · {customer.card_code}" if customer.card_code else ""))
    for card in cards.cards(store, customer.id):
        limit = format_money(card.daily_limit, locale()) if card.daily_limit is not None else _("no daily limit")
        state = _("blocked") if card.blocked else ""
        print(f"  {card.code:<12} {card.name[:30]:<30} {limit:>16}  {state}".rstrip())
    return 0


def _email(args, store) -> int:
    from pos_tui.services import accounts
    from pos_tui.services import email as mail

    ctx = _cli_context(args, store)
    command = args.email_command
    if command == "setup":
        password = getpass.getpass(_("SMTP password (Enter: keep the current one): ")) if args.login else ""
        mail.set_smtp_settings(ctx, args.host, args.port, args.security, args.login, password or None, args.sender)
        print(_("SMTP server saved."))
    elif command == "queue":
        for row in mail.queue(store):
            print(f"  {row['id']:>5} {row['created_at'][:16].replace('T', ' ')} {row['kind']:<10} {row['status']:<8}"
                  f" {row['to_addr']:<30} {row['last_error'] or ''}".rstrip())
    elif command == "send":
        done = mail.send_due(store)
        print(_("{sent} sent, {failed} failed (retried later).").format(**done))
    elif command == "resend":
        mail.resend(ctx, args.id)
        print(_("E-mail {id} queued again.").format(id=args.id))
    elif command == "statement":
        customer = accounts.find_customer(store, args.customer)
        message_id = mail.queue_statement(ctx, customer.id, args.date_from, args.date_to, args.address)
        print(_("Statement queued (e-mail {id}).").format(id=message_id))
    elif command == "reminders":
        found = mail.reminders(ctx, args.older_than)
        for r in found:
            print(f"  #{r.customer_id:<6} {r.name[:30]:<30} {r.email:<30} " + _("{days} days").format(days=r.age_days))
        if args.yes and found:
            mail.send_reminders(ctx, found)
            print(_("{n} reminders queued.").format(n=len(found)))
        elif found:
            print(_("Check the list, then run again with --yes to queue these reminders."))
        else:
            print(_("No debt to remind."))
    return 0


def _settings(args, store) -> int:
    from pos_tui.domain.money import format_money, parse_money, parse_vat_rate
    from pos_tui.services import accounts
    from pos_tui.services import email as mail
    from pos_tui.services import printing, settings, vouchers
    from pos_tui.services.accounts import cash_confirmation_limit

    ctx = _cli_context(args, store)
    if args.old_debt_days is not None or args.max_debt_days is not None:
        accounts.set_debt_ages(ctx, args.old_debt_days, args.max_debt_days)
    if args.cash_limit:
        accounts.set_cash_confirmation_limit(ctx, parse_money(args.cash_limit))
    if args.voucher_kind or args.single_rate:
        kind, rate = vouchers.voucher_defaults(store)
        vouchers.set_voucher_defaults(ctx, args.voucher_kind or kind,
                                      parse_vat_rate(args.single_rate) if args.single_rate else rate)
    if args.reminder_file:
        mail.set_reminder_template(ctx, args.reminder_file.read_text(encoding="utf-8"))
    if args.saved_profile or args.code_page:
        model = printing.printer_model(store)
        printing.set_printer_model(ctx, args.saved_profile or model.profile, args.code_page or model.code_page)
    if args.receipt_print_from:
        printing.set_receipt_print_from(ctx, parse_money(args.receipt_print_from))
    if args.manager_home:
        settings.set_manager_home(ctx, args.manager_home)
    kind, rate = vouchers.voucher_defaults(store)
    model = printing.printer_model(store)
    print_from = printing.receipt_print_from(store)
    smtp = mail.smtp_settings(store)
    loc = locale()
    for label, value in (
            (_("Old debts listed after (days)"), accounts.debt_age_threshold(store)),
            (_("Longest debt (days)"), accounts.debt_max_age(store)),
            (_("Cash needing a manager above"), format_money(cash_confirmation_limit(store), loc)),
            (_("Default gift voucher kind"), kind),
            (_("Single-purpose voucher VAT rate"), f"{rate / 100:g} %"),
            (_("SMTP server"), f"{smtp.host}:{smtp.port} ({smtp.security}) {smtp.sender}" if smtp.host else "—"),
            (_("Printer profile"), model.profile), (_("Printer code page"), model.code_page),
            (_("Managers land on"), _("the sale") if settings.get(store, settings.MANAGER_HOME) != "lookup"
             else _("the customer lookup")),
            (_("Receipts always printed from"), format_money(print_from, loc) if print_from else "—")):
        print(f"  {label:<36} {value}")
    return 0


def _credit(args, store) -> int:
    return {"report": _credit_report, "statement": _credit_statement,
            "debtors": _credit_debtors}[args.credit_command](args, store)


def _credit_statement(args, store) -> int:
    ctx = _cli_context(args, store)
    customer = accounts.find_customer(store, args.customer)
    stmt = accounts.statement(ctx, customer.id, args.date_from, args.date_to)
    if args.csv:
        accounts.export_statement_csv(ctx, stmt, args.csv, args.csv_format)
        print(_("Statement written to {file}.").format(file=args.csv))
    elif args.pdf:
        accounts.export_statement_pdf(ctx, stmt, args.pdf)
        print(_("Statement written to {file}.").format(file=args.pdf))
    receipt = accounts.statement_receipt(store, stmt)
    if args.to_printer:
        accounts.print_receipt(store, printer_target(store, args.printer, args.printer_profile), receipt)
        print(_("Statement printed."))
    elif not (args.csv or args.pdf):
        for line in render_text(receipt, paper_width(store)):
            print(line)
    return 0


def _credit_debtors(args, store) -> int:
    ctx = _cli_context(args, store)
    days = accounts.debt_age_threshold(store) if args.older_than is None else args.older_than
    rows = accounts.debtors(ctx, days)
    loc = locale()
    print(ngettext("Debts older than {days} day: {n}", "Debts older than {days} days: {n}", days).format(
        days=days, n=len(rows)))
    for r in rows:
        name = " ".join(p for p in (r["first_name"], r["last_name"]) if p) or r["company"] or "—"
        if r["company"] and name != r["company"]:
            name += f" ({r['company']})"
        print(f"  #{r['id']:<6} {name[:32]:<32} {format_money(r['balance'], loc):>14}  "
              + _days(r["age_days"]) + f"  {r['phone']}")
    if args.csv:
        accounts.export_debtors_csv(ctx, rows, args.csv, days, args.csv_format)
        print(_("Call list written to {file}.").format(file=args.csv))
    return 0


def _credit_report(args, store) -> int:
    date_from, date_to = _day(args.date_from), _day(args.date_to)
    if date_from and date_to and date_from > date_to:
        raise PosError("The period ends before it starts ({date_from} → {date_to}).", date_from=date_from,
                       date_to=date_to)
    ctx = _cli_context(args, store)
    if args.csv:
        # The CSV file is opened before the report is made (and journaled): a bad path writes nothing.
        made: dict = {}

        def produce() -> str:
            made["data"] = credit.report(ctx, date_from, date_to)
            return credit.report_csv(made["data"], args.csv_format)

        write_export(args.csv, produce)
        data = made["data"]
    else:
        data = credit.report(ctx, date_from, date_to)
    loc = locale()
    print(_("Credit report") + f" ({date_from or '…'} → {date_to or '…'})")
    labels = {"top_up": _("Top-ups"), "refund": _("Refunds"), "sale_payment": _("Consumed (CRED)"),
              "sale_credit": _("Created by sales")}
    for row in data["by_method"]:
        print(f"  {labels[row['kind']]:<20} {row['method']:<6} {row['n']:>5}  {format_money(row['total'], loc):>14}")
    for row in data["sales"]:
        print(f"  {labels[row['kind']]:<27} {row['n']:>5}  {format_money(row['total'], loc):>14}")
    out = data["outstanding"]
    for label, n, amount in ((_("Outstanding credit"), out["n_credit"], out["credit"]),
                             (_("Outstanding debt"), out["n_debt"], out["debt"])):
        print(f"  {label:<27} {n:>5}  {format_money(amount, loc):>14}")
    old = data["old_debts"]
    title = debts_older_than(data["old_debts_threshold"])
    print(f"  {title:<27} {len(old):>5}  {format_money(-sum(r['balance'] for r in old), loc):>14}")
    for r in old:
        name = " ".join(p for p in (r["first_name"], r["last_name"]) if p) or r["company"]
        print(f"    #{r['id']:<6} {name[:28]:<28} {format_money(r['balance'], loc):>14}  "
              + _days(r["age_days"]))
    if args.csv:
        print(_("Per-customer balances written to {file}.").format(file=args.csv))
    return 0


def _new_pin(args) -> str:
    if args.new_pin:
        return args.new_pin
    hint = _("pass --new-pin or set POS_TUI_NEW_PIN.")
    pin = _ask(_("New PIN: "), secret=True, hint=hint)
    if _ask(_("New PIN again: "), secret=True, hint=hint) != pin:
        raise PosError("The two PINs differ; nothing was changed.")
    return pin


def _users(args, store) -> int:
    """``pos-tui users …``: the staff screen's actions with the same rights checks."""
    from pos_tui.domain.rights import RIGHT_LABELS, Right
    from pos_tui.services import staff

    cmd = args.users_command
    if cmd in ("unlock", "reset-pin") and not args.user:
        ctx = staff.recovery_context(store, args.terminal)
        target = staff.find_any(store, args.name)
    else:
        ctx = _cli_context(args, store)
        target = staff.find(ctx, args.name) if cmd != "list" and cmd != "add" else None
    if cmd == "list":
        for row in staff.list_staff(ctx):
            state = [_("locked") if row.locked else "", "" if row.active else _("inactive")]
            last = (row.last_login or "").replace("T", " ")[:16] or _("never")
            last_login = _("last login")
            print(f"{row.name:<20} {_(row.role):<9} {last_login} {last:<16} {' '.join(s for s in state if s)}")
            print("    " + ", ".join(_(RIGHT_LABELS[r]) for r in Right if r in row.rights))
        return 0
    if cmd == "add":
        rights = None
        if args.rights is not None:
            try:
                rights = {Right(part.strip()) for part in args.rights.split(",") if part.strip()}
            except ValueError:
                raise PosError("Unknown right in {rights!r}; rights are: {known}.", rights=args.rights,
                               known=", ".join(r.value for r in Right)) from None
        user = staff.add_user(ctx, args.name, _new_pin(args), args.role, rights)
        print(_("User {name} added ({role}).").format(name=user.name, role=_(user.role)))
    elif cmd == "unlock":
        staff.unlock(ctx, target.id)
        print(_("{name} is unlocked.").format(name=target.name))
    elif cmd == "reset-pin":
        staff.reset_pin(ctx, target.id, _new_pin(args))
        print(_("{name} has a new PIN (and is unlocked).").format(name=target.name))
    elif cmd in ("disable", "enable"):
        staff.set_active(ctx, target.id, cmd == "enable")
        print((_("{name} is deactivated.") if cmd == "disable" else _("{name} is active again.")).format(
            name=target.name))
    return 0


def _stores(args, store) -> int:
    """``pos-tui stores list`` / ``stores add CODE NAME``."""
    from pos_tui.services import stores

    if args.stores_command == "add":
        ctx = _cli_context(args, store)
        added = stores.add_store(ctx, args.code, args.name)
        print(_("Store {code} added ({name}).").format(code=added.code, name=added.name))
        return 0
    for row in stores.list_stores(store):
        print(f"{row.code:<12} {row.name}")
    return 0


def _labels(args, store) -> int:
    from pos_tui.services import labels

    ctx = _cli_context(args, store)
    cmd = args.labels_command
    if cmd == "sheet":
        labels.write_label_sheet(ctx, args.barcodes, args.out, args.copies)
        print(_("Labels written to {file}.").format(file=args.out))
    elif cmd == "print":
        from pos_tui.services.printing import printer_target

        labels.print_shelf_label(ctx, args.barcode, printer_target(store, args.printer), args.copies)
        print(_("Label printed."))
    elif cmd == "card":
        from pos_tui.services import accounts

        customer = accounts.find_customer(store, args.customer)
        labels.write_customer_card(ctx, customer.id, args.out)
        print(_("Card written to {file}.").format(file=args.out))
    else:
        labels.write_voucher_slip(ctx, args.code, args.out)
        print(_("Voucher slip written to {file}.").format(file=args.out))
    return 0


def _shop(args, store) -> int:
    from dataclasses import asdict

    from pos_tui.domain.rights import Right
    from pos_tui.services import settings

    ctx = _cli_context(args, store)
    ctx.require(Right.MANAGE_SETTINGS)
    identity = settings.shop_identity(store)
    if args.shop_command == "set":
        fields = asdict(identity)
        for field in fields:
            value = getattr(args, field)
            if value is not None:
                fields[field] = value.replace("\\n", "\n").replace("|", "\n") if field == "address" else value
        identity = settings.set_shop_identity(ctx, **fields)
        print(_("Shop identity saved."))
    print(identity.name)
    for line in identity.header_lines():
        print(line)
    return 0


def _progress_bar(label: str, force: bool = False):
    """A one-line progress bar on stderr when it is a terminal (nothing in pipes and logs unless ``force``)."""
    if not (force or sys.stderr.isatty()):
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}", end=end, file=sys.stderr,
              flush=True)

    return show


def _verify(args, store) -> int:
    typed = [integrity.parse_anchor(text) for text in args.anchor]  # a typo is refused before anything is read
    problems = integrity.problems(store, typed, quick=args.quick, progress=_progress_bar(_("Signatures"), args.progress),
                                  store_code=args.store)
    if problems:
        for p in problems:
            _err(p)
        return 1
    if args.quick:
        print(_("Store verified (quick: page-level check skipped): signature chain ok, every balance equals its "
                "ledger."))
    else:
        print(_("Store verified: integrity ok, signature chain ok, every balance equals its ledger."))
    if typed:
        print(ngettext("{n} typed anchor found in the chain.", "{n} typed anchors found in the chain.", len(typed)).format(
            n=len(typed)))
    return 0


def _z(args, store) -> int:
    """``pos-tui z``: a day's summary on stdout (frozen figures once closed), optionally as CSV."""
    _day(args.date)
    ctx = _cli_context(args, store)
    ctx.require(Right.DAY_CLOSING)
    if args.csv:
        ctx.require(Right.EXPORT_DATA)
    if args.month or args.year:
        return _z_period(args, ctx)
    day = args.date or closing.business_day(store)
    z = closing.z_of_day(store, day)
    from pos_tui.services.stores import shown_code

    if shown_code(store):  # several stores: the X/Z is this one's (credit and debt are the company's)
        print(_("Store {code}").format(code=shown_code(store)))
    if z:
        data = z["figures"]
        print(_("Z n° {number} · {day} · closed {at} by {user}").format(
            number=z["number"], day=day, at=z["closed_at"].replace("T", " ")[:16],
            user=z["user_name"] or "—"))
        print(_("Chain anchor {anchor}").format(anchor=closing.z_anchor_text(store, z)))
    else:
        data = closing.summary(store, day)
        print(_("X (live) · {day} · not closed").format(day=day))
    for line in _summary_lines(data, z):
        print(line)
    if args.csv:
        write_export(args.csv, lambda: closing.export_summary(ctx, data, z, args.csv_format))
        print(_("Summary written to {file}.").format(file=args.csv))
    return 0


def _summary_lines(data: dict, z: dict | None = None) -> list[str]:
    """The summary as text lines, laid out like the closing screen and the printed report."""
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


def _z_period(args, ctx) -> int:
    """``pos-tui z --month YYYY-MM`` / ``--year YYYY``: the frozen monthly or yearly closing (else the running sum)."""

    if args.month and args.year:
        raise PosError("Give --month or --year, not both.")
    if args.month:
        row = periods.month(ctx.store, args.month)
        rows = [row] if row else []
        running = None if row else periods.running_month(ctx.store, args.month)
        label = args.month
    else:
        rows = periods.years(ctx.store, args.year)
        running = None if rows else periods.running_year(ctx.store, args.year)
        label = args.year
    if running is not None:
        print(_("{period} is not closed yet: the sum of its Z so far ({n}).").format(period=label, n=running["z_count"]))
        for line in _summary_lines(running):
            print(line)
    for row in rows:
        print(periods.title(row) + " · " + _("{start} → {end} · closed {at}").format(
            start=row["day_from"], end=row["day_to"], at=row["closed_at"].replace("T", " ")[:16]))
        for line in _summary_lines(row["figures"]):
            print(line)
        loc = locale()
        print("")
        print(_("Z closings: {n} (n° {first} to {last})").format(
            n=row["z_count"], first=row["z_first"] or "—", last=row["z_last"] or "—"))
        print(_("Period grand total: {amount}").format(amount=format_money(row["period_total"], loc)))
        print(_("Perpetual grand total: {amount}").format(amount=format_money(row["perpetual_total"], loc)))
        print(_("Chain anchor {anchor}").format(anchor=periods.anchor_text(ctx.store, row)))
        if args.csv:

            write_export(args.csv, lambda: closing.export_summary(ctx, row["figures"], fmt=args.csv_format))
            print(_("Summary written to {file}.").format(file=args.csv))
    return 0


def _archive(args, store) -> int:
    """``pos-tui archive --period 2026-11 DEST``: the period's signed archive (a manager's export)."""

    ctx = _cli_context(args, store)
    result = archive.export(ctx, args.period, args.dest)
    print(_("Archive of {period} ({start} → {end}) written to {file}: {n} records.").format(
        period=result.period, start=result.day_from, end=result.day_to, file=result.path, n=result.records))
    return 0


def _verify_archive(args) -> int:
    """``pos-tui verify --archive FILE``: the archive alone, with the key given or found beside the database."""

    key_file = args.key or (Path(os.environ["POS_TUI_KEY_FILE"]) if os.environ.get("POS_TUI_KEY_FILE") else None)
    if key_file is None:
        db = args.db or default_db_path(args.demo)
        db = Path(db) if isinstance(db, Path) else Path(open_store(db, migrate=False).path)
        beside = db.with_name(db.name + ".key")
        key_file = beside if beside.exists() else None
    key = archive.read_key(key_file) if key_file else None
    report = archive.verify(args.archive, key)
    if report.problems:
        for p in report.problems:
            _err(p)
        return 1
    m = report.manifest
    print(_("Archive verified: {period} ({start} → {end}), {parts} parts, {n} records.").format(
        period=m.get("period"), start=m.get("from"), end=m.get("to"), parts=len(m.get("parts", [])), n=report.records))
    if not report.signatures_checked:
        print(_("Only the parts were checked against the manifest: without the key (--key FILE) neither the "
                "manifest's HMAC nor the records' signatures could be checked."))
    return 0


def _migrate(args, store) -> int:
    """``pos-tui migrate --to URL --store CODE``: the shop moved into PostgreSQL, verified before it commits."""
    if store.engine != "sqlite":
        raise PosError("migrate moves a SQLite store (--db FILE) into PostgreSQL; {target} is not one.",
                       target=store.target)
    # The source is read through a read-only connection; logging in writes its journal line on another.
    login_store = store.reopen()
    try:
        ctx = _cli_context(args, login_store)
    finally:
        login_store.close()
    shown = sys.stderr.isatty()

    def progress(table: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{table}: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    result = pg_migrate.migrate_to_pg(ctx, store, args.to, args.store, progress=progress if shown else None)
    moved = sum(result.rows.values())
    print(ngettext("{n} row moved to {url} as the store {code}, and verified there:",
                   "{n} rows moved to {url} as the store {code}, and verified there:", moved).format(
        n=moved, url=result.url, code=result.code))
    for table, n in result.rows.items():
        print(f"  {table}: {n}")
    if result.key is not None:
        print(_("Signing key: {path}. Back it up with the server's backups: without it no signature of this "
                "store can be checked.").format(path=result.key))
    else:
        print(_("No signing key yet (nothing was signed): the first sale on the server makes one."))
    if result.anchors is not None:
        print(_("Anchor log: {path}.").format(path=result.anchors))
    print(_("Open the tills with --db {url} --store {code}; keep {path} as the record of the move, do not sell "
            "on it any more.").format(url=result.url, code=result.code, path=store.path))
    return 0


def _backup(args, store) -> int:
    """``pos-tui backup DEST``: a consistent copy while the tills sell, verified, with its key and anchor log."""

    result = backup.backup(store, args.dest)
    if result.problems:
        _err(_("The copy {path} was written but does not verify:").format(path=result.path))
        for p in result.problems:
            _err(p)
        return 1
    print(_("Backup written to {path} ({size} bytes) and verified; key: {key}; anchor log: {anchors}.").format(
        path=result.path, size=result.size, key=result.key, anchors=result.anchors or _("none yet")))
    print(_("Keep the copy and both files together, away from this machine, for six years."))
    return 0
