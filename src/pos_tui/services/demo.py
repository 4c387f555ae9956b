"""The demo store: built once from the packaged data (pos_tui/data) through the same services as the counter."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from datetime import datetime, timedelta
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.lazy import lazy_module
from pos_tui.services import auth, methods, settings
from pos_tui.services.context import Context
from pos_tui.store import demo as demo_store
from pos_tui.store.db import Store, is_server_url

# Only building the demo store needs these; the login screen reads DEMO_USERS and is_demo (issue 17).
checkout = lazy_module("pos_tui.services.checkout")
closing = lazy_module("pos_tui.services.closing")
credit = lazy_module("pos_tui.services.credit")
importer = lazy_module("pos_tui.services.importer")

DEMO_USERS = (("Marie", "1234", "manager"), ("Paul", "0000", "cashier"))
DEMO_FLAG = settings.DEMO


def data_dir() -> Path | None:
    """``POS_TUI_DATA`` if set (a folder with customers.csv and products.csv), else ``None``: the packaged data."""
    env = os.environ.get("POS_TUI_DATA")
    return Path(env) if env else None


@contextmanager
def data_file(name: str) -> Iterator[Path]:
    """A demo CSV as a real file: from ``POS_TUI_DATA``, else shipped inside the package (importlib.resources)."""
    folder = data_dir()
    if folder is not None:
        yield folder / name
        return
    with resources.as_file(resources.files("pos_tui").joinpath("data", name)) as path:
        yield path


def is_demo(store: Store) -> bool:
    return settings.get(store, DEMO_FLAG)


def open_demo(path: str | Path, clock=None) -> Store:
    """Open the demo store at ``path``, building it the first time.

    The demo is built in a side file and moved into place when complete, so an
    interrupted first start leaves nothing half-made; the build skips fsync
    (``synchronous=OFF``) because that side file is thrown away on a crash.
    """
    kwargs = {"clock": clock} if clock else {}
    if is_server_url(path):
        return _open_demo_on_server(path, kwargs)
    path = Path(path)
    if not path.exists():
        building = path.with_name(path.name + ".building")
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm"), Path(f"{building}.key"),
                         Path(f"{building}.anchors")):
            leftover.unlink(missing_ok=True)
        store = Store(building, **kwargs)
        try:
            store.skip_fsync()
            build_demo(store)
            store.checkpoint()
        finally:
            store.close()
        # The signing key and the anchor log (the demo's Z) belong beside the final file: verify looks there.
        for suffix in (".key", ".anchors"):
            if Path(f"{building}{suffix}").exists():
                os.replace(f"{building}{suffix}", f"{path}{suffix}")
        os.replace(building, path)
        for leftover in (Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
    store = Store(path, **kwargs)
    if not is_demo(store):
        store.close()
        raise PosError("{path} is not a demo store; refusing to add demo data to it.", path=str(path))
    return store


def _open_demo_on_server(url: str, kwargs: dict) -> Store:
    """The demo on a PostgreSQL database: built in one go into an empty database, reused after."""
    from pos_tui.services.context import open_store

    store = open_store(url, **kwargs)
    try:
        if not auth.list_users(store):
            build_demo(store)
        elif not is_demo(store):
            raise PosError("{path} is not a demo store; refusing to add demo data to it.", path=url.split("@")[-1])
    except BaseException:
        store.close()
        raise
    return store


def build_demo(store: Store, *, seed: int = 7, history_days: int = 30) -> None:
    real_clock = store.clock
    now = real_clock()
    start = now - timedelta(days=history_days)
    moment = [start.replace(hour=9, minute=0, second=0)]
    store.clock = lambda: moment[0]
    try:
        manager = auth.create_first_manager(store, *DEMO_USERS[0][:2], short_pin_ok=True)
        ctx = Context(store, manager, 1)
        auth.create_user(ctx, *DEMO_USERS[1])
        settings.set_shop_identity(ctx, "Épicerie du Marché", "12 rue des Halles\n69001 Lyon", "51234567900009",
                                   "FR75512345679", "04 78 00 00 00")
        with store.write():
            settings.put(store, settings.SHOP_NAME, "Épicerie du Marché")
            settings.put(store, settings.DEFAULT_DEBT_LIMIT, 5000)
        for kind, func in (("customers", importer.import_customers), ("products", importer.import_products)):
            with data_file(f"{kind}.csv") as path:
                report = func(ctx, path)
            if not report.ok:
                raise PosError("Demo data is broken: {errors}", errors=report.errors[:3])
        sales_days = 7
        company = _company_account(ctx, moment, now)
        _credit_histories(ctx, random.Random(seed), moment, now - timedelta(days=sales_days))
        cashier = auth.list_users(store)
        cashier_ctx = Context(store, next(u for u in cashier if u.role == "cashier"), 2)
        _sales_history(ctx, cashier_ctx, random.Random(seed + 1), moment, now, sales_days)
        _today(ctx, cashier_ctx, random.Random(seed + 2), moment, now)
        _queued_emails(ctx, cashier_ctx, company, moment, now)
        with store.write():
            settings.put(store, DEMO_FLAG, True)
    finally:
        store.clock = real_clock


def _credit_histories(ctx: Context, rng: random.Random, moment: list[datetime], now: datetime) -> None:
    """Some customers in credit, some in debt, a few with long histories; Claire Martin stays at 0."""
    store = ctx.store
    candidates = demo_store.customers_for_history(store)
    methods = ["ESP", "CB", "CB", "CHQ"]
    plan = []
    for r in candidates[:24]:
        plan.append((r, rng.choice([3, 4, 6, 8])))
    for r in candidates[24:27]:  # long histories: the panel pages through them
        plan.append((r, 400))
    total_steps = sum(n for _, n in plan)
    first_day = moment[0].replace(hour=0, minute=0, second=0)
    days = max(1, (now - first_day).days)
    step = 0
    for r, n in plan:
        in_debt = r["debt_limit"] > 0 and rng.random() < 0.6
        for _ in range(n):
            step += 1
            # Spread the history over past days, within opening hours (9:00-19:00), in order.
            position = days * step / (total_steps + 1)
            day = int(position)
            moment[0] = first_day + timedelta(days=day, hours=9 + 10 * (position - day))
            balance = demo_store.account(store, r["id"])["balance"]
            floor = -r["debt_limit"]
            if balance - 500 >= floor and (rng.random() < 0.35 or balance > 20000 or (in_debt and rng.random() < 0.6)):
                amount = min(rng.choice([500, 1000, 1500, 2000, 2500]), balance - floor)
                credit.refund(ctx, r["id"], amount, rng.choice(["ESP", "CB"]), "Remboursement")
            else:
                amount = rng.choice([1000, 2000, 2000, 3000, 5000, 10000])
                credit.top_up(ctx, r["id"], amount, rng.choice(methods), "Recharge")
        if in_debt:
            balance = demo_store.account(store, r["id"])["balance"]
            floor = -r["debt_limit"]
            if balance > floor // 2:
                credit.refund(ctx, r["id"], balance - floor // 2, "ESP", "Avance en espèces")


def _sales_history(manager: Context, cashier: Context, rng: random.Random, moment: list[datetime], now: datetime,
                   days: int) -> None:
    """Past days of trading, each opened with a float and closed with a Z; vouchers on the last one."""
    store = manager.store
    first_day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0)
    for day in range(days):
        start = first_day + timedelta(days=day)
        moment[0] = start + timedelta(hours=8, minutes=55)
        closing.add_cash_movement(manager, "float", 15000, "fond de caisse")
        _some_sales(manager, cashier, rng, moment, start + timedelta(hours=9), start + timedelta(hours=18),
                    rng.randint(8, 16))
        if day == days - 1:
            _vouchers(manager, moment)
        moment[0] = start + timedelta(hours=19, minutes=30)
        expected = closing.summary(store, closing.business_day(store))["cash"]["expected"]
        closing.close_day(manager, counted=expected - (200 if day == 2 else 0))


def _some_sales(manager: Context, cashier: Context, rng: random.Random, moment: list[datetime], start: datetime,
                end: datetime, count: int) -> None:
    store = manager.store
    products = demo_store.product_barcodes(store)
    customers = demo_store.customers_for_history(store)
    span = (end - start).total_seconds()
    for i in range(count):
        moment[0] = start + timedelta(seconds=int(span * (i + rng.random()) / count))
        ctx = cashier if rng.random() < 0.7 else manager
        cart = Cart()
        for _ in range(rng.randint(1, 5)):
            product = checkout.scan(store, rng.choice(products)).product
            cart.add_product(product, rng.choice([1, 1, 1, 2, 3]))
        tenders = _demo_tenders(store, cart, customers, rng)
        try:
            checkout.close_sale(ctx, cart, tenders)
        except PosError:
            checkout.close_sale(ctx, Cart(cart.lines), [Tender("CB", cart.total)])


def _today(manager: Context, cashier: Context, rng: random.Random, moment: list[datetime], now: datetime) -> None:
    """This morning's open day, so the X summary has every block filled on first start."""
    store = manager.store
    start = max(now - timedelta(hours=3), now.replace(hour=0, minute=1, second=0))
    step = (now - start) / 12
    moment[0] = start
    closing.add_cash_movement(manager, "float", 15000, "fond de caisse")
    _some_sales(manager, cashier, rng, moment, start + step, start + 5 * step, 6)
    moment[0] = start + 6 * step
    methods.add_method(manager, "BA", "Bons d'achat partenaires", display_order=35)
    rows = demo_store.customers_for_history(store)[:5]
    for row, (amount, method) in zip(rows, ((3000, "BA"), (5000, "CB"), (2000, "ESP"), (10000, "CHQ"))):
        credit.top_up(manager, row["id"], amount, method, "Recharge")
    moment[0] = start + 7 * step
    refundable = demo_store.first_with_balance(store, 1500)
    if refundable:
        credit.refund(manager, refundable["id"], 1500, "ESP", "Remboursement")
    moment[0] = start + 8 * step
    cart = Cart()
    cart.add_gift_voucher(2500)
    checkout.close_sale(cashier, cart, [Tender("ESP", 3000)])
    moment[0] = start + 9 * step
    closing.add_cash_movement(manager, "out", 5000, "Dépôt en banque")
    _some_sales(manager, cashier, rng, moment, start + 10 * step, now - timedelta(seconds=30), 4)


def _demo_tenders(store: Store, cart: Cart, customers: list[dict], rng: random.Random) -> list[Tender]:
    roll = rng.random()
    total = cart.total
    if roll < 0.3:
        cart.customer_id = rng.choice(customers)["id"]
        row = demo_store.account(store, cart.customer_id)
        available = max(0, row["balance"] + row["debt_limit"])
        if available >= total:
            return [Tender("CRED", total)]
        if available > 0:
            return [Tender("CRED", available), Tender("CB", total - available)]
        return [Tender("CB", total)]
    if roll < 0.6:
        return [Tender("CB", total)]
    if roll < 0.7:
        cash = rng.randint(0, total)
        return [Tender("CB", total - cash), Tender("ESP", cash)] if 0 < cash < total else [Tender("ESP", total)]
    given = -(-total // 500) * 500  # the customer hands over a round sum; the change is given back
    return [Tender("ESP", given)]


def _vouchers(ctx: Context, moment: list[datetime]) -> None:
    """Gift vouchers sold and used through the checkout: some valid, one used, one expired, one credit note."""
    store = ctx.store
    now = moment[0] + timedelta(days=1)
    sold = []
    for amount, expires in ((5000, None), (3000, (now + timedelta(days=365)).date().isoformat()), (2000, None),
                            (1500, moment[0].date().isoformat())):  # its last valid day is the sale's: expired now
        moment[0] += timedelta(minutes=7)
        cart = Cart()
        cart.add_gift_voucher(amount, expires)
        sold.append(checkout.close_sale(ctx, cart, [Tender("CB", amount)]).vouchers_issued[0])
    # The 20,00 voucher is used in a bigger sale.
    moment[0] += timedelta(minutes=9)
    cart = Cart()
    cart.add_product(checkout.scan(store, "4006381333931").product, 12)
    checkout.add_scanned_voucher(cart, sold[2])
    checkout.close_sale(ctx, cart, [Tender("ESP", cart.total)])
    # A return from the first demo sale, settled as a credit note.
    moment[0] += timedelta(minutes=6)
    first = checkout.find_sale(store, "1")
    line = first["returnable"][0]
    checkout.return_items(ctx, first["number"], {line["id"]: 1}, "credit_note")


COMPANY_CARDS = (("ATELIER2", "Sophie Garnier", 5000), ("ATELIER3", "Karim Benali", None))


def _company_account(ctx: Context, moment: list[datetime], now: datetime) -> int:
    """A company account with two staff cards and a debt that began 45 days ago (older than the threshold)."""
    from pos_tui.services import cards, customers

    store = ctx.store
    moment[0] = (now - timedelta(days=45)).replace(hour=10, minute=15, second=0)
    company = customers.create(ctx, {"company": "Atelier Lumière SARL", "email": "compta@atelier-lumiere.fr",
                                     "phone": "0145678910", "card_code": "ATELIER1",
                                     "note": "Compte société : cartes du personnel"})
    settings.set_customer_debt_limit(ctx, company.id, 30000)
    issued = [cards.add_card(ctx, company.id, code, name, limit) for code, name, limit in COMPANY_CARDS]
    # two lines a sale: the demo later returns one line of sale n° 1 as a credit note
    products = demo_store.product_barcodes(store, 2)
    for card, hours in ((issued[0], 0), (issued[1], 2)):
        moment[0] += timedelta(hours=hours)
        scanned = checkout.scan(store, card.code)
        cart = Cart(customer_id=scanned.customer.id, card_id=scanned.card.id)
        for barcode in products:
            cart.add_product(checkout.scan(store, barcode).product)
        checkout.close_sale(ctx, cart, [Tender("CRED", min(cart.total, 4500))] +
                            ([Tender("CB", cart.total - 4500)] if cart.total > 4500 else []))
    moment[0] = (now - timedelta(days=20)).replace(hour=11, minute=0, second=0)
    credit.top_up(ctx, company.id, 2000, "CHQ", "Acompte")  # a partial payment: the debt keeps its age
    return company.id


def _queued_emails(manager: Context, cashier: Context, company_id: int, moment: list[datetime],
                   now: datetime) -> None:
    """E-mails waiting in the queue (no SMTP server is set in the demo): a statement, a reminder, a receipt."""
    from pos_tui.services import email

    moment[0] = now - timedelta(seconds=20)
    email.queue_statement(manager, company_id, (now - timedelta(days=60)).date().isoformat(), now.date().isoformat())
    email.send_reminders(manager, [r for r in email.reminders(manager) if r.customer_id == company_id])
    from pos_tui.store import sales as sales_store

    last = sales_store.recent(manager.store, 1)
    if last:
        email.queue_receipt(cashier, last[0]["id"], "client@example.org")
