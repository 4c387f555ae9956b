"""Schema versions, applied with sqlite-utils ``Migrations``.

Append new migrations at the end; never edit one that has shipped. Every table
is STRICT and money columns are INTEGER cents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from pos_tui.domain.customers import sort_key

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "pos_tui"


class _LazyMigrations:
    """sqlite-utils ``Migrations``, built on first use.

    Importing sqlite-utils costs a noticeable part of the app's start-up; a store that is
    already up to date (every start but the first after an upgrade) never needs it. The
    steps are registered here (``@migrations()``, as with sqlite-utils) and handed to the
    real ``Migrations`` object only when something has to be applied or listed.
    """

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Callable, bool]] = []
        self._real = None

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(func):
            self._steps.append((name or func.__name__, func, transactional))
            self._real = None
            return func
        return inner

    @property
    def names(self) -> list[str]:
        return [name for name, _fn, _tx in self._steps]

    def real(self):
        if self._real is None:
            from sqlite_utils.migrations import Migrations

            real = Migrations(self.name)
            for name, fn, transactional in self._steps:
                real(name=name, transactional=transactional)(fn)
            self._real = real
        return self._real

    @property
    def _migrations(self):
        return self.real()._migrations

    def applied(self, db: Database):
        return self.real().applied(db)

    def pending(self, db: Database):
        return self.real().pending(db)

    def apply(self, db: Database, **kwargs):
        return self.real().apply(db, **kwargs)


migrations = _LazyMigrations(MIGRATION_SET)


def _append_only(db: Database, table: str) -> None:
    """Make UPDATE and DELETE on ``table`` fail inside the database itself."""
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        )


@migrations()
def m0001_foundation(db: Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key", not_null={"value"}, strict=True)
    db["users"].create(
        {
            "id": int,
            "name": str,
            "pin_hash": str,
            "role": str,
            "rights": str,
            "failed_pins": int,
            "locked": int,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "pin_hash", "role", "rights", "failed_pins", "locked", "active", "created_at"},
        defaults={"failed_pins": 0, "locked": 0, "active": 1, "rights": ""},
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX users_name ON users(name COLLATE NOCASE)")
    db["payment_methods"].create(
        {
            "code": str,
            "label": str,
            "enabled": int,
            "opens_drawer": int,
            "is_cash": int,
            "display_order": int,
        },
        pk="code",
        not_null={"label", "enabled", "opens_drawer", "is_cash", "display_order"},
        defaults={"enabled": 1, "opens_drawer": 0, "is_cash": 0, "display_order": 100},
        strict=True,
    )
    db["payment_methods"].insert_all(
        [
            {"code": "ESP", "label": "Espèces", "enabled": 1, "opens_drawer": 1, "is_cash": 1, "display_order": 10},
            {"code": "CB", "label": "Carte bancaire", "enabled": 1, "opens_drawer": 0, "is_cash": 0, "display_order": 20},
            {"code": "CHQ", "label": "Chèque", "enabled": 1, "opens_drawer": 1, "is_cash": 0, "display_order": 30},
            {"code": "CRED", "label": "Crédit client", "enabled": 1, "opens_drawer": 0, "is_cash": 0, "display_order": 40},
        ]
    )
    db["customers"].create(
        {
            "id": int,
            "first_name": str,
            "last_name": str,
            "company": str,
            "phone": str,
            "email": str,
            "card_code": str,
            "note": str,
            "debt_limit": int,
            "balance": int,
            "erased": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"first_name", "last_name", "company", "phone", "email", "note", "debt_limit", "balance",
                  "erased", "created_at", "updated_at"},
        defaults={"first_name": "", "last_name": "", "company": "", "phone": "", "email": "", "note": "",
                  "debt_limit": 0, "balance": 0, "erased": 0},
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX customers_card_code ON customers(card_code) WHERE card_code IS NOT NULL")
    db.execute("CREATE INDEX customers_names ON customers(last_name COLLATE NOCASE, first_name COLLATE NOCASE)")
    db["customers"].enable_fts(
        ["first_name", "last_name", "company", "phone", "email", "card_code"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    db.execute(
        """CREATE TRIGGER customers_debt_limit_check BEFORE UPDATE OF debt_limit ON customers
        WHEN NEW.debt_limit < 0 BEGIN SELECT RAISE(ABORT, 'debt limit must be >= 0'); END"""
    )
    db["products"].create(
        {"id": int, "barcode": str, "name": str, "price": int, "vat_rate": int, "active": int},
        pk="id",
        not_null={"barcode", "name", "price", "vat_rate", "active"},
        defaults={"active": 1},
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX products_barcode ON products(barcode)")
    db.execute(
        """CREATE TRIGGER products_vat_check BEFORE INSERT ON products
        WHEN NEW.vat_rate NOT IN (2000, 1000, 550, 210, 0) BEGIN SELECT RAISE(ABORT, 'unknown VAT rate'); END"""
    )
    # The customer credit ledger (SPEC §4): append-only, one row per movement.
    db["credit_ledger"].create(
        {
            "id": int,
            "customer_id": int,
            "kind": str,
            "amount": int,
            "method": str,
            "sale_id": int,
            "label": str,
            "user_id": int,
            "terminal": int,
            "created_at": str,
            "balance_after": int,
            "idempotency_key": str,
        },
        pk="id",
        not_null={"customer_id", "kind", "amount", "label", "user_id", "terminal", "created_at", "balance_after"},
        defaults={"label": ""},
        foreign_keys=[
            ("customer_id", "customers", "id"),
            ("method", "payment_methods", "code"),
            ("user_id", "users", "id"),
        ],
        strict=True,
    )
    db.execute("CREATE INDEX credit_ledger_customer ON credit_ledger(customer_id, id)")
    db.execute("CREATE INDEX credit_ledger_created ON credit_ledger(created_at)")
    db.execute(
        "CREATE UNIQUE INDEX credit_ledger_idempotency ON credit_ledger(idempotency_key)"
        " WHERE idempotency_key IS NOT NULL"
    )
    # The cached balance can only move with the ledger, and the ledger row must
    # state the balance it leaves: the database refuses any other arithmetic.
    db.execute(
        """CREATE TRIGGER credit_ledger_balance_check BEFORE INSERT ON credit_ledger
        WHEN NEW.balance_after IS NOT (SELECT balance FROM customers WHERE id = NEW.customer_id) + NEW.amount
          OR NEW.kind NOT IN ('top_up', 'refund', 'sale_payment', 'sale_credit')
          OR (NEW.kind IN ('top_up', 'sale_credit') AND NEW.amount <= 0)
          OR (NEW.kind IN ('refund', 'sale_payment') AND NEW.amount >= 0)
        BEGIN SELECT RAISE(ABORT, 'credit_ledger entry does not follow the balance'); END"""
    )
    db.execute(
        """CREATE TRIGGER credit_ledger_balance_update AFTER INSERT ON credit_ledger
        BEGIN UPDATE customers SET balance = NEW.balance_after WHERE id = NEW.customer_id; END"""
    )
    _append_only(db, "credit_ledger")
    # Event journal (SPEC §10): logins, failed PINs, rights changes, overrides…
    db["journal"].create(
        {"id": int, "created_at": str, "kind": str, "user_id": int, "terminal": int, "detail": str},
        pk="id",
        not_null={"created_at", "kind", "terminal", "detail"},
        defaults={"detail": "{}"},
        strict=True,
    )
    db.execute("CREATE INDEX journal_kind ON journal(kind, id)")
    _append_only(db, "journal")


@migrations()
def m0002_sales(db: Database) -> None:
    # Closed sales (SPEC §6): gapless numbers, never changed once written.
    db["sales"].create(
        {
            "id": int,
            "number": int,
            "customer_id": int,
            "user_id": int,
            "terminal": int,
            "created_at": str,
            "business_day": str,
            "total": int,
            "change_given": int,
            "voids_sale_id": int,
        },
        pk="id",
        not_null={"number", "user_id", "terminal", "created_at", "business_day", "total", "change_given"},
        defaults={"change_given": 0},
        foreign_keys=[("customer_id", "customers", "id"), ("user_id", "users", "id"),
                      ("voids_sale_id", "sales", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX sales_number ON sales(number)")
    db.execute("CREATE INDEX sales_day ON sales(business_day)")
    db.execute("CREATE INDEX sales_customer ON sales(customer_id) WHERE customer_id IS NOT NULL")
    db["sale_lines"].create(
        {
            "id": int,
            "sale_id": int,
            "line_no": int,
            "kind": str,
            "product_id": int,
            "barcode": str,
            "name": str,
            "quantity": int,
            "unit_price": int,
            "vat_rate": int,
            "total": int,
        },
        pk="id",
        not_null={"sale_id", "line_no", "kind", "name", "quantity", "unit_price", "vat_rate", "total"},
        foreign_keys=[("sale_id", "sales", "id"), ("product_id", "products", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX sale_lines_no ON sale_lines(sale_id, line_no)")
    db.execute(
        """CREATE TRIGGER sale_lines_total_check BEFORE INSERT ON sale_lines
        WHEN NEW.total != NEW.quantity * NEW.unit_price OR NEW.vat_rate NOT IN (2000, 1000, 550, 210, 0)
        BEGIN SELECT RAISE(ABORT, 'sale line total or VAT rate is wrong'); END"""
    )
    db["sale_payments"].create(
        {"id": int, "sale_id": int, "method": str, "amount": int},
        pk="id",
        not_null={"sale_id", "method", "amount"},
        foreign_keys=[("sale_id", "sales", "id"), ("method", "payment_methods", "code")],
        strict=True,
    )
    db.execute("CREATE INDEX sale_payments_sale ON sale_payments(sale_id)")
    for table in ("sales", "sale_lines", "sale_payments"):
        _append_only(db, table)
    db.execute("CREATE INDEX credit_ledger_sale ON credit_ledger(sale_id) WHERE sale_id IS NOT NULL")
    # Parked sales are work in progress, not fiscal records: resumed = deleted.
    db["parked_sales"].create(
        {"id": int, "terminal": int, "user_id": int, "created_at": str, "customer_id": int, "cart": str,
         "total": int},
        pk="id",
        not_null={"terminal", "user_id", "created_at", "cart", "total"},
        strict=True,
    )


@migrations()
def m0003_vouchers_returns_prints(db: Database) -> None:
    # Gift vouchers and credit notes (SPEC §7). A voucher row exists once its sale closed;
    # its status follows from its redemption row and its expiry date.
    db["vouchers"].create(
        {
            "id": int,
            "code": str,
            "kind": str,
            "amount": int,
            "issued_sale_id": int,
            "issued_at": str,
            "expires_on": str,
            "customer_id": int,
        },
        pk="id",
        not_null={"code", "kind", "amount", "issued_sale_id", "issued_at"},
        foreign_keys=[("issued_sale_id", "sales", "id"), ("customer_id", "customers", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX vouchers_code ON vouchers(code)")
    db.execute(
        """CREATE TRIGGER vouchers_check BEFORE INSERT ON vouchers
        WHEN NEW.kind NOT IN ('gift', 'credit_note') OR NEW.amount <= 0
        BEGIN SELECT RAISE(ABORT, 'bad voucher'); END"""
    )
    # A credit note keeps each returned line's VAT rate: one part per rate.
    db["voucher_parts"].create(
        {"id": int, "voucher_id": int, "vat_rate": int, "amount": int},
        pk="id",
        not_null={"voucher_id", "vat_rate", "amount"},
        foreign_keys=[("voucher_id", "vouchers", "id")],
        strict=True,
    )
    db.execute("CREATE INDEX voucher_parts_voucher ON voucher_parts(voucher_id)")
    # At most one redemption per voucher, enforced by the database (two tills, one code).
    db["voucher_redemptions"].create(
        {"id": int, "voucher_id": int, "sale_id": int, "redeemed_at": str},
        pk="id",
        not_null={"voucher_id", "sale_id", "redeemed_at"},
        foreign_keys=[("voucher_id", "vouchers", "id"), ("sale_id", "sales", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX voucher_redemptions_once ON voucher_redemptions(voucher_id)")
    for table in ("vouchers", "voucher_parts", "voucher_redemptions"):
        _append_only(db, table)
    # Sale lines learn what they refer to: the voucher sold or redeemed, the sold line returned.
    db.execute("ALTER TABLE sale_lines ADD COLUMN voucher_id INTEGER REFERENCES vouchers(id)")
    db.execute("ALTER TABLE sale_lines ADD COLUMN returned_line_id INTEGER REFERENCES sale_lines(id)")
    db.execute("CREATE INDEX sale_lines_returned ON sale_lines(returned_line_id) WHERE returned_line_id IS NOT NULL")
    # Receipt prints: the first print and each "DUPLICATA n" (SPEC §9).
    db["receipt_prints"].create(
        {"id": int, "doc_kind": str, "doc_id": int, "copy_no": int, "user_id": int, "terminal": int,
         "printed_at": str, "status": str},
        pk="id",
        not_null={"doc_kind", "doc_id", "copy_no", "terminal", "printed_at", "status"},
        strict=True,
    )
    db.execute("CREATE INDEX receipt_prints_doc ON receipt_prints(doc_kind, doc_id)")
    _append_only(db, "receipt_prints")


@migrations()
def m0004_balance_follows_ledger(db: Database) -> None:
    # The cached balance may only take the value the newest ledger row states:
    # an UPDATE of customers.balance by hand is refused by the database.
    db.execute(
        """CREATE TRIGGER customers_balance_from_ledger BEFORE UPDATE OF balance ON customers
        WHEN NEW.balance IS NOT coalesce(
            (SELECT balance_after FROM credit_ledger WHERE customer_id = NEW.id ORDER BY id DESC LIMIT 1), 0)
        BEGIN SELECT RAISE(ABORT, 'customers.balance follows the credit ledger'); END"""
    )


@migrations()
def m0005_closing(db: Database) -> None:
    # Every money movement belongs to a business day; after a Z, to the next one.
    db.execute("ALTER TABLE credit_ledger ADD COLUMN business_day TEXT")
    db.execute("CREATE INDEX credit_ledger_day ON credit_ledger(business_day, kind)")
    # Opening float and cash in / out of the drawer (SPEC §8), with a reason.
    db["cash_movements"].create(
        {"id": int, "business_day": str, "kind": str, "amount": int, "reason": str, "user_id": int,
         "terminal": int, "created_at": str},
        pk="id",
        not_null={"business_day", "kind", "amount", "reason", "user_id", "terminal", "created_at"},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )
    db.execute("CREATE INDEX cash_movements_day ON cash_movements(business_day)")
    db.execute(
        """CREATE TRIGGER cash_movements_check BEFORE INSERT ON cash_movements
        WHEN NEW.kind NOT IN ('float', 'in', 'out') OR NEW.amount <= 0
        BEGIN SELECT RAISE(ABORT, 'bad cash movement'); END"""
    )
    _append_only(db, "cash_movements")
    # Z closings: numbered, one per business day, figures frozen as they were.
    db["z_closings"].create(
        {
            "id": int,
            "number": int,
            "business_day": str,
            "closed_at": str,
            "user_id": int,
            "terminal": int,
            "figures": str,
            "counted": int,
            "count_detail": str,
            "expected_cash": int,
            "cash_difference": int,
            "period_total": int,
            "perpetual_total": int,
        },
        pk="id",
        not_null={"number", "business_day", "closed_at", "user_id", "terminal", "figures", "expected_cash",
                  "period_total", "perpetual_total"},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX z_closings_number ON z_closings(number)")
    db.execute("CREATE UNIQUE INDEX z_closings_day ON z_closings(business_day)")
    _append_only(db, "z_closings")
    # Nothing can be added to a closed day, whatever the code does.
    for table, column in (("sales", "business_day"), ("credit_ledger", "business_day"),
                          ("cash_movements", "business_day")):
        db.execute(
            f"""CREATE TRIGGER {table}_day_open BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM z_closings WHERE business_day >= NEW.{column})
            BEGIN SELECT RAISE(ABORT, 'this business day is closed (Z)'); END"""
        )


_FTS_COLUMNS = ("first_name", "last_name", "company", "phone", "email", "card_code")


@migrations()
def m0006_faster_customer_search(db: Database) -> None:
    # Prefix indexes for 1-3 characters make as-you-type search on 100k customers
    # instant; the update trigger now fires only when a searchable column changes,
    # not on every balance move.
    cols = ", ".join(_FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in _FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in _FTS_COLUMNS)
    for trigger in ("customers_ai", "customers_ad", "customers_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE customers_fts")
    db.execute(
        f"CREATE VIRTUAL TABLE customers_fts USING fts5({cols}, tokenize='unicode61 remove_diacritics 2',"
        " prefix='1 2 3', content='customers')"
    )
    db.execute("INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')")
    db.execute(f"CREATE TRIGGER customers_ai AFTER INSERT ON customers BEGIN"
               f" INSERT INTO customers_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    db.execute(f"CREATE TRIGGER customers_ad AFTER DELETE ON customers BEGIN"
               f" INSERT INTO customers_fts(customers_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    db.execute(f"CREATE TRIGGER customers_au AFTER UPDATE OF {cols} ON customers BEGIN"
               f" INSERT INTO customers_fts(customers_fts, rowid, {cols}) VALUES ('delete', old.id, {old});"
               f" INSERT INTO customers_fts(rowid, {cols}) VALUES (new.id, {new}); END")


@migrations()
def m0007_signature_chain(db: Database) -> None:
    # SPEC §10: every fiscal record is chained, sig = HMAC(key, prev_sig || canonical_json(record)).
    db["signatures"].create(
        {"id": int, "table_name": str, "record_id": int, "sig": str},
        pk="id",
        not_null={"table_name", "record_id", "sig"},
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX signatures_record ON signatures(table_name, record_id)")
    _append_only(db, "signatures")
    db.execute("ALTER TABLE z_closings ADD COLUMN last_sig TEXT")


@migrations()
def m0008_customer_sort_name(db: Database) -> None:
    # Lists sort by name with accents and case folded ("Béranger" before "Brunet"); a plain
    # column, not a custom collation, so the sqlite3 shell can still read and write the table.
    db.execute("ALTER TABLE customers ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''")
    db.conn.create_function("pos_sort_key", 3, sort_key, deterministic=True)
    db.execute("UPDATE customers SET sort_name = pos_sort_key(last_name, first_name, company)")
    db.execute("CREATE INDEX customers_sort ON customers(sort_name, id) WHERE erased = 0")
    db.execute("DROP INDEX customers_names")  # replaced by customers_sort


@migrations()
def m0009_debt_age_indexes(db: Database) -> None:
    # Debts that age (issue 16): "since when has this balance been negative" is the first entry after the
    # last one that left the balance at zero or above; both look-ups, and the walk over the customers in
    # debt, stay on these partial indexes however long the ledger grows.
    db.execute("CREATE INDEX credit_ledger_nonneg ON credit_ledger(customer_id, id) WHERE balance_after >= 0")
    db.execute("CREATE INDEX customers_in_debt ON customers(id) WHERE balance < 0")


@migrations()
def m0010_pin_checks_in_flight(db: Database) -> None:
    # A PIN check is counted before its slow hash runs (issue 12): attempts still being checked
    # are kept apart from the misses, so a success forgets earlier misses but never the ones
    # other terminals are checking at the same moment.
    db.execute("ALTER TABLE users ADD COLUMN pins_checking INTEGER NOT NULL DEFAULT 0")


@migrations()
def m0011_fiscal_trail(db: Database) -> None:
    # Staff and rights changes as signed records (issue 15): one row per change, stating the user's
    # state after it. verify compares each users row with its newest row here, so an edit of users
    # with the sqlite3 shell is named. pin_tag is a digest of the salted PIN hash (it reveals nothing).
    db["staff_log"].create(
        {"id": int, "user_id": int, "kind": str, "name": str, "role": str, "rights": str, "active": int,
         "pin_tag": str, "by_user_id": int, "terminal": int, "created_at": str},
        pk="id",
        not_null={"user_id", "kind", "name", "role", "rights", "active", "pin_tag", "terminal", "created_at"},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )
    db.execute("CREATE INDEX staff_log_user ON staff_log(user_id, id)")
    _append_only(db, "staff_log")
    # Monthly and yearly closings (issue 15): computed from the Z rows of their period only, frozen.
    db["period_closings"].create(
        {"id": int, "kind": str, "period": str, "number": int, "day_from": str, "day_to": str, "closed_at": str,
         "user_id": int, "terminal": int, "figures": str, "z_count": int, "z_first": int, "z_last": int,
         "period_total": int, "perpetual_total": int, "last_sig": str},
        pk="id",
        not_null={"kind", "period", "number", "day_from", "day_to", "closed_at", "user_id", "terminal", "figures",
                  "z_count", "period_total", "perpetual_total"},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX period_closings_period ON period_closings(kind, period)")
    db.execute("CREATE UNIQUE INDEX period_closings_number ON period_closings(kind, number)")
    db.execute(
        """CREATE TRIGGER period_closings_check BEFORE INSERT ON period_closings
        WHEN NEW.kind NOT IN ('month', 'year') BEGIN SELECT RAISE(ABORT, 'bad period closing'); END"""
    )
    _append_only(db, "period_closings")
    db.execute("CREATE INDEX journal_created ON journal(created_at)")
    # Journal rows and users from before this version: signed once by the next signed write
    # (only those: a row added later by hand must stay unsigned, so verify names it).
    db.execute(
        "INSERT INTO settings(key, value) SELECT 'integrity_baseline', json_object("
        " 'journal', (SELECT coalesce(max(id), 0) FROM journal),"
        " 'users', (SELECT coalesce(max(id), 0) FROM users))"
    )


@migrations()
def m0012_account_cards(db: Database) -> None:
    # Several cards on one account (issue 16): a company's staff, a family. Each card has a name, an
    # optional daily spending limit and can be blocked alone; the ledger records which card spent.
    db["customer_cards"].create(
        {"id": int, "customer_id": int, "code": str, "name": str, "daily_limit": int, "blocked": int,
         "created_at": str},
        pk="id",
        not_null={"customer_id", "code", "name", "blocked", "created_at"},
        defaults={"blocked": 0},
        foreign_keys=[("customer_id", "customers", "id")],
        strict=True,
    )
    db.execute("CREATE UNIQUE INDEX customer_cards_code ON customer_cards(code)")
    db.execute("CREATE INDEX customer_cards_customer ON customer_cards(customer_id)")
    db.execute(
        """CREATE TRIGGER customer_cards_check BEFORE INSERT ON customer_cards
        WHEN NEW.daily_limit < 0 BEGIN SELECT RAISE(ABORT, 'daily limit must be >= 0'); END"""
    )
    db.execute(
        """CREATE TRIGGER customer_cards_limit_check BEFORE UPDATE OF daily_limit ON customer_cards
        WHEN NEW.daily_limit < 0 BEGIN SELECT RAISE(ABORT, 'daily limit must be >= 0'); END"""
    )
    db.execute("ALTER TABLE credit_ledger ADD COLUMN card_id INTEGER REFERENCES customer_cards(id)")
    # What a card spent today: one index range, however long the ledger.
    db.execute("CREATE INDEX credit_ledger_card_day ON credit_ledger(card_id, business_day)"
               " WHERE card_id IS NOT NULL")


@migrations()
def m0013_email_queue(db: Database) -> None:
    # E-mail (issue 16): receipts, statements and reminders wait here until a background worker has
    # handed them to the shop's SMTP server; a failure only delays them (retry), never the till.
    db["email_queue"].create(
        {"id": int, "created_at": str, "kind": str, "customer_id": int, "user_id": int, "to_addr": str,
         "subject": str, "body": str, "attachment_name": str, "attachment": bytes, "status": str,
         "attempts": int, "next_try_at": str, "claimed_at": str, "last_error": str, "sent_at": str},
        pk="id",
        not_null={"created_at", "kind", "to_addr", "subject", "body", "status", "attempts", "next_try_at"},
        defaults={"status": "queued", "attempts": 0},
        foreign_keys=[("customer_id", "customers", "id"), ("user_id", "users", "id")],
        strict=True,
    )
    db.execute(
        """CREATE TRIGGER email_queue_check BEFORE INSERT ON email_queue
        WHEN NEW.status NOT IN ('queued', 'sending', 'sent', 'failed')
          OR NEW.kind NOT IN ('receipt', 'statement', 'reminder', 'test')
        BEGIN SELECT RAISE(ABORT, 'bad e-mail'); END"""
    )
    db.execute("CREATE INDEX email_queue_due ON email_queue(status, next_try_at)")


@migrations()
def m0014_credit_outstanding(db: Database) -> None:
    # The day summary shows the credit and debt outstanding across all customers. Summing the
    # balances read every customer (14 ms at 100k, growing with the file); the totals are kept
    # here instead, moved by the database itself whenever a balance moves, and `verify`
    # compares them with the balances.
    db.execute(
        "CREATE TABLE credit_outstanding (id INTEGER PRIMARY KEY CHECK (id = 1), credit INTEGER NOT NULL,"
        " debt INTEGER NOT NULL, n_credit INTEGER NOT NULL, n_debt INTEGER NOT NULL) STRICT"
    )
    db.execute(
        "INSERT INTO credit_outstanding(id, credit, debt, n_credit, n_debt)"
        " SELECT 1, coalesce(sum(CASE WHEN balance > 0 THEN balance END), 0),"
        " coalesce(-sum(CASE WHEN balance < 0 THEN balance END), 0),"
        " count(CASE WHEN balance > 0 THEN 1 END), count(CASE WHEN balance < 0 THEN 1 END) FROM customers"
    )
    db.execute(
        """CREATE TRIGGER credit_outstanding_on_update AFTER UPDATE OF balance ON customers
        WHEN NEW.balance IS NOT OLD.balance
        BEGIN UPDATE credit_outstanding SET
            credit = credit + max(NEW.balance, 0) - max(OLD.balance, 0),
            debt = debt + max(-NEW.balance, 0) - max(-OLD.balance, 0),
            n_credit = n_credit + (NEW.balance > 0) - (OLD.balance > 0),
            n_debt = n_debt + (NEW.balance < 0) - (OLD.balance < 0)
          WHERE id = 1; END"""
    )
    db.execute(
        """CREATE TRIGGER credit_outstanding_on_insert AFTER INSERT ON customers WHEN NEW.balance != 0
        BEGIN UPDATE credit_outstanding SET credit = credit + max(NEW.balance, 0),
            debt = debt + max(-NEW.balance, 0), n_credit = n_credit + (NEW.balance > 0),
            n_debt = n_debt + (NEW.balance < 0) WHERE id = 1; END"""
    )
    db.execute(
        """CREATE TRIGGER credit_outstanding_on_delete AFTER DELETE ON customers WHEN OLD.balance != 0
        BEGIN UPDATE credit_outstanding SET credit = credit - max(OLD.balance, 0),
            debt = debt - max(-OLD.balance, 0), n_credit = n_credit - (OLD.balance > 0),
            n_debt = n_debt - (OLD.balance < 0) WHERE id = 1; END"""
    )


@migrations()
def m0015_debt_since(db: Database) -> None:
    # When each current debt began, kept on the customer by the ledger's own trigger: the X/Z's
    # old-debts block then reads a range of one partial index (count, total, the oldest ten)
    # instead of two ledger look-ups for every customer in debt (a second at 10k debtors).
    # `verify` recomputes it from the ledger.
    db.execute("ALTER TABLE customers ADD COLUMN debt_since TEXT")
    db.execute(
        "UPDATE customers SET debt_since = (SELECT min(f.created_at) FROM credit_ledger f"
        " WHERE f.customer_id = customers.id AND f.id > coalesce((SELECT max(p.id) FROM credit_ledger p"
        " WHERE p.customer_id = customers.id AND p.balance_after >= 0), 0)) WHERE balance < 0"
    )
    db.execute("CREATE INDEX customers_old_debts ON customers(debt_since, id, balance, erased)"
               " WHERE balance < 0 AND erased = 0")
    db.execute(
        """CREATE TRIGGER credit_ledger_debt_since AFTER INSERT ON credit_ledger
        BEGIN UPDATE customers SET debt_since = CASE WHEN NEW.balance_after >= 0 THEN NULL
            ELSE coalesce(debt_since, NEW.created_at) END
          WHERE id = NEW.customer_id AND debt_since IS NOT (CASE WHEN NEW.balance_after >= 0 THEN NULL
            ELSE coalesce(debt_since, NEW.created_at) END); END"""
    )


@migrations()
def m0016_product_prices(db: Database) -> None:
    # Back office (issue 11): every price a product had, with who set it and when; append-only.
    # Sale lines already carry their own unit price, so old sales keep the price they were sold at.
    db["product_prices"].create(
        {"id": int, "product_id": int, "price": int, "vat_rate": int, "name": str, "user_id": int,
         "terminal": int, "changed_at": str, "source": str},
        pk="id",
        not_null={"product_id", "price", "vat_rate", "name", "terminal", "changed_at", "source"},
        foreign_keys=[("product_id", "products", "id"), ("user_id", "users", "id")],
        strict=True,
    )
    db.execute("CREATE INDEX product_prices_product ON product_prices(product_id, id)")
    _append_only(db, "product_prices")
    db.execute(
        """CREATE TRIGGER products_vat_update_check BEFORE UPDATE OF vat_rate ON products
        WHEN NEW.vat_rate NOT IN (2000, 1000, 550, 210, 0) BEGIN SELECT RAISE(ABORT, 'unknown VAT rate'); END"""
    )
    db.execute(
        """CREATE TRIGGER products_price_check BEFORE UPDATE OF price ON products
        WHEN NEW.price < 0 BEGIN SELECT RAISE(ABORT, 'a price cannot be negative'); END"""
    )
    # The prices products had before this history began (no known author).
    db.execute("INSERT INTO product_prices(product_id, price, vat_rate, name, user_id, terminal, changed_at, source)"
               " SELECT id, price, vat_rate, name, NULL, 0, '', 'before history' FROM products")


STORE_TABLES = ("sales", "credit_ledger", "cash_movements", "z_closings", "period_closings", "parked_sales",
                "journal", "receipt_prints", "signatures", "vouchers")


@migrations()
def m0017_stores(db: Database) -> None:
    # Several stores, one customer account (issue 18). Customers, the credit ledger, vouchers,
    # users, products and payment methods are shared; sale numbers, cash, X/Z, parked sales,
    # receipts, the journal and the signature chain belong to one store. A single shop is store 1
    # ('MAIN'): every existing row belongs to it and nothing else changes for it. `store_id` is not
    # signed (old signatures stay valid); the append-only triggers keep it from being changed.
    db.execute("CREATE TABLE stores (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,"
               " created_at TEXT NOT NULL) STRICT")
    db.execute("CREATE UNIQUE INDEX stores_code ON stores(code)")
    db.execute("INSERT INTO stores(id, code, name, created_at) VALUES (1, 'MAIN',"
               " coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'shop_name'), ''), '')")
    db.execute("CREATE TRIGGER stores_no_delete BEFORE DELETE ON stores"
               " BEGIN SELECT RAISE(ABORT, 'stores is append-only'); END")
    for table in STORE_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1")
    db.execute("DROP INDEX sales_number")
    db.execute("CREATE UNIQUE INDEX sales_number ON sales(store_id, number)")
    db.execute("DROP INDEX sales_day")
    db.execute("CREATE INDEX sales_day ON sales(store_id, business_day)")
    db.execute("DROP INDEX credit_ledger_day")
    db.execute("CREATE INDEX credit_ledger_day ON credit_ledger(store_id, business_day, kind)")
    db.execute("DROP INDEX cash_movements_day")
    db.execute("CREATE INDEX cash_movements_day ON cash_movements(store_id, business_day)")
    db.execute("DROP INDEX z_closings_number")
    db.execute("CREATE UNIQUE INDEX z_closings_number ON z_closings(store_id, number)")
    db.execute("DROP INDEX z_closings_day")
    db.execute("CREATE UNIQUE INDEX z_closings_day ON z_closings(store_id, business_day)")
    db.execute("DROP INDEX period_closings_period")
    db.execute("CREATE UNIQUE INDEX period_closings_period ON period_closings(store_id, kind, period)")
    db.execute("DROP INDEX period_closings_number")
    db.execute("CREATE UNIQUE INDEX period_closings_number ON period_closings(store_id, kind, number)")
    db.execute("CREATE INDEX signatures_store ON signatures(store_id, id)")
    db.execute("CREATE INDEX journal_store ON journal(store_id, id)")
    # A store's Z closes that store's day only.
    for table in ("sales", "credit_ledger", "cash_movements"):
        db.execute(f"DROP TRIGGER {table}_day_open")
        db.execute(
            f"""CREATE TRIGGER {table}_day_open BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM z_closings WHERE store_id = NEW.store_id AND business_day >= NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'this business day is closed (Z)'); END"""
        )


@migrations()
def m0018_sale_lines_not_product(db: Database) -> None:
    # The X/Z's blocks on rare line kinds (vouchers, returns, free lines) read only those lines of the
    # day's sales; without it PostgreSQL's planner scanned every sale line (X 10x slower than SQLite on
    # 100k sales). Same index on both engines (its PostgreSQL twin is in pg_schema.PG_MIGRATIONS).
    db.execute(SALE_LINES_NOT_PRODUCT)


SALE_LINES_NOT_PRODUCT = "CREATE INDEX sale_lines_not_product ON sale_lines(sale_id) WHERE kind <> 'product'"


# A customer counts in debts_by_start while this holds of its row (X is OLD or NEW).
def _owes(x: str) -> str:
    return f"{x}.balance < 0 AND {x}.erased = 0 AND {x}.debt_since IS NOT NULL"


@migrations()
def m0019_debts_by_start(db: Database) -> None:
    # The X/Z's old-debts block counted and summed every customer in debt since before a day
    # (3 ms of a 16 ms Z at 10k debtors, growing with them). Kept here per day a debt began
    # (the first 10 characters of debt_since: the block asks for debts begun before a day, and
    # `debt_since < 'YYYY-MM-DD'` is `day < 'YYYY-MM-DD'`), so the block sums one row per day,
    # as credit_outstanding (m0014) does for the totals. A day no debt began on has no row.
    # `verify` compares it with the customers.
    db.execute("CREATE TABLE debts_by_start (day TEXT PRIMARY KEY, n INTEGER NOT NULL, total INTEGER NOT NULL)"
               " STRICT")
    db.execute("INSERT INTO debts_by_start(day, n, total) SELECT substr(debt_since, 1, 10), count(*), sum(balance)"
               f" FROM customers WHERE {_owes('customers')} GROUP BY 1")
    take_off = (f"UPDATE debts_by_start SET n = n - 1, total = total - OLD.balance"
                f" WHERE day = substr(OLD.debt_since, 1, 10) AND {_owes('OLD')};"
                " DELETE FROM debts_by_start WHERE day = substr(OLD.debt_since, 1, 10) AND n = 0;")
    put_on = ("INSERT INTO debts_by_start(day, n, total) SELECT substr(NEW.debt_since, 1, 10), 1, NEW.balance"
              f" WHERE {_owes('NEW')}"
              " ON CONFLICT(day) DO UPDATE SET n = n + 1, total = total + excluded.total;")
    db.execute(f"CREATE TRIGGER debts_by_start_on_insert AFTER INSERT ON customers WHEN {_owes('NEW')}"
               f" BEGIN {put_on} END")
    db.execute(f"CREATE TRIGGER debts_by_start_on_delete AFTER DELETE ON customers WHEN {_owes('OLD')}"
               f" BEGIN {take_off} END")
    # Most balance moves are of customers not in debt before or after: the WHEN skips them.
    db.execute(
        "CREATE TRIGGER debts_by_start_on_update AFTER UPDATE OF balance, debt_since, erased ON customers"
        f" WHEN (({_owes('OLD')}) OR ({_owes('NEW')})) AND (NEW.balance IS NOT OLD.balance"
        " OR NEW.debt_since IS NOT OLD.debt_since OR NEW.erased IS NOT OLD.erased)"
        f" BEGIN {take_off} {put_on} END")
