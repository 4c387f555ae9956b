"""The PostgreSQL schema: the same tables, columns, indexes and triggers as the SQLite migrations.

A PostgreSQL store starts from ``BASELINE`` (equal to SQLite's schema after every migration named
in ``BASELINE_NAMES``); each later SQLite migration gets its PostgreSQL twin in ``PG_MIGRATIONS``
under the same name, so both engines record the same names and a newer schema is refused the same
way. Types: INTEGER -> bigint (identity for the primary keys), TEXT -> text, BLOB -> bytea. Every
text column uses the "C" collation: it compares and sorts bytes, as SQLite's BINARY does, whatever
locale the server was created with (and ``lower(name)`` folds ASCII only, as NOCASE does).

Triggers raise the SQLite triggers' own texts. SQLite's FTS5 customer search becomes
``customers.search_text`` (``fold()`` of the searchable columns, kept by a trigger) under a GIN
index on ``to_tsvector('simple', search_text)``: PostgreSQL's ``unaccent`` is an extension we may
not have, so accents are folded with ``translate()`` here and with ``fold()`` in Python.

psycopg is never imported here: ``migrate`` and ``applied_names`` take an open connection.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Two tills starting at once: the second waits for the first's migration, then finds it applied.
MIGRATION_LOCK_KEY = 7_304_166_812_018_001

# Frozen: databases made by this version record exactly these names with the baseline. A later SQLite
# migration gets its PostgreSQL twin in PG_MIGRATIONS, never a place in the baseline.
BASELINE_NAMES = [
    "m0001_foundation", "m0002_sales", "m0003_vouchers_returns_prints", "m0004_balance_follows_ledger",
    "m0005_closing", "m0006_faster_customer_search", "m0007_signature_chain", "m0008_customer_sort_name",
    "m0009_debt_age_indexes", "m0010_pin_checks_in_flight", "m0011_fiscal_trail", "m0012_account_cards",
    "m0013_email_queue", "m0014_credit_outstanding", "m0015_debt_since", "m0016_product_prices", "m0017_stores",
]

# (name, SQL) of the SQLite migrations after the baseline, in the same order.
PG_MIGRATIONS: list[tuple[str, str]] = [
    ("m0018_sale_lines_not_product",
     "CREATE INDEX sale_lines_not_product ON sale_lines(sale_id) WHERE kind <> 'product'"),
    ("m0019_debts_by_start", """
CREATE TABLE debts_by_start (day text COLLATE "C" PRIMARY KEY, n bigint NOT NULL, total bigint NOT NULL);
INSERT INTO debts_by_start (day, n, total) SELECT substr(debt_since, 1, 10), count(*), sum(balance)
  FROM customers WHERE balance < 0 AND erased = 0 AND debt_since IS NOT NULL GROUP BY 1;
CREATE FUNCTION pos_debts_by_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.balance < 0 AND OLD.erased = 0 AND OLD.debt_since IS NOT NULL THEN
      UPDATE debts_by_start SET n = n - 1, total = total - OLD.balance WHERE day = substr(OLD.debt_since, 1, 10);
      DELETE FROM debts_by_start WHERE day = substr(OLD.debt_since, 1, 10) AND n = 0;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.balance < 0 AND NEW.erased = 0 AND NEW.debt_since IS NOT NULL THEN
      INSERT INTO debts_by_start (day, n, total) VALUES (substr(NEW.debt_since, 1, 10), 1, NEW.balance)
        ON CONFLICT (day) DO UPDATE SET n = debts_by_start.n + 1, total = debts_by_start.total + EXCLUDED.total;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER debts_by_start_on_insert AFTER INSERT ON customers FOR EACH ROW
  WHEN (NEW.balance < 0 AND NEW.erased = 0 AND NEW.debt_since IS NOT NULL) EXECUTE FUNCTION pos_debts_by_start();
CREATE TRIGGER debts_by_start_on_delete AFTER DELETE ON customers FOR EACH ROW
  WHEN (OLD.balance < 0 AND OLD.erased = 0 AND OLD.debt_since IS NOT NULL) EXECUTE FUNCTION pos_debts_by_start();
CREATE TRIGGER debts_by_start_on_update AFTER UPDATE OF balance, debt_since, erased ON customers FOR EACH ROW
  WHEN (((OLD.balance < 0 AND OLD.erased = 0 AND OLD.debt_since IS NOT NULL)
         OR (NEW.balance < 0 AND NEW.erased = 0 AND NEW.debt_since IS NOT NULL))
        AND (NEW.balance IS DISTINCT FROM OLD.balance OR NEW.debt_since IS DISTINCT FROM OLD.debt_since
             OR NEW.erased IS DISTINCT FROM OLD.erased))
  EXECUTE FUNCTION pos_debts_by_start();
"""),
]

APPEND_ONLY = ("credit_ledger", "journal", "sales", "sale_lines", "sale_payments", "vouchers", "voucher_parts",
               "voucher_redemptions", "receipt_prints", "cash_movements", "z_closings", "signatures", "staff_log",
               "period_closings", "product_prices")

SEARCH_COLUMNS = ("first_name", "last_name", "company", "phone", "email", "card_code")


# -- accent folding ---------------------------------------------------------------------------------

def _fold_tables() -> tuple[dict[str, str], str, str]:
    """(multi-letter replacements, translate() from, translate() to) for the Latin letters of
    Latin-1 and Latin Extended-A/B, and the common non-ASCII punctuation and spaces (-> space)."""
    multi = {"Œ": "oe", "œ": "oe", "Æ": "ae", "æ": "ae", "ß": "ss", "ẞ": "ss", "Ĳ": "ij", "ĳ": "ij",
             "Þ": "th", "þ": "th"}
    # Letters that carry no decomposable accent but read as one base letter.
    single = {"Ð": "d", "ð": "d", "Đ": "d", "đ": "d", "Ħ": "h", "ħ": "h", "ı": "i", "Ŀ": "l", "ŀ": "l",
              "Ł": "l", "ł": "l", "Ø": "o", "ø": "o", "Ŧ": "t", "ŧ": "t", "ĸ": "k", "ŉ": "n", "ſ": "s",
              "ƀ": "b", "Ɓ": "b", "ƈ": "c", "Ƈ": "c", "Ɗ": "d", "ƒ": "f", "Ƒ": "f", "Ɨ": "i", "ƚ": "l",
              "Ɵ": "o", "ƫ": "t", "ƭ": "t", "Ʈ": "t", "ƶ": "z", "Ƶ": "z"}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        if ch in multi or ch in single or not ch.isalpha():
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha():
            single[ch] = base.lower()
        elif base.isascii() and base.isalpha() and base:
            multi[ch] = base.lower()
    # Punctuation and spaces outside ASCII separate words, as in FTS5's unicode61 tokenizer.
    for ch in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003«»‹›‘’‚‛“”„‟–—―‐‑‒…·•¡¿×÷§¶°±¨´¸¯¬¦©®™€£¥¢¤":
        single[ch] = " "
    frm = "".join(single)
    to = "".join(single[c] for c in frm)
    return multi, frm, to


_MULTI, _FROM, _TO = _fold_tables()
_TRANSLATE = str.maketrans(_FROM, _TO)
# After folding: every ASCII character but a-z and 0-9 separates words (A-Z are lower-cased first).
_SEPARATORS = re.compile(r"[\x01-\x2f\x3a-\x60\x7b-\x7f]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Lower-case (ASCII), accents folded, words separated by single spaces: ``pos_fold()`` in SQL."""
    for old, new in _MULTI.items():
        text = text.replace(old, new)
    text = text.translate(_TRANSLATE).translate(_ASCII_LOWER)
    return _SEPARATORS.sub(" ", text).strip(" ")


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fold_sql() -> str:
    expr = "s"
    for old, new in _MULTI.items():
        expr = f"replace({expr}, {_sql_literal(old)}, {_sql_literal(new)})"
    # lower() under "C" folds ASCII only, whatever the server's locale: the same as fold().
    return (f"btrim(regexp_replace(lower(translate({expr}, {_sql_literal(_FROM)}, {_sql_literal(_TO)})"
            " COLLATE \"C\"), '[\\x01-\\x2f\\x3a-\\x60\\x7b-\\x7f]+', ' ', 'g'), ' ')")


# -- the baseline -------------------------------------------------------------------------------------

_ID = "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
_T = 'text COLLATE "C"'

_TABLES = f"""
CREATE TABLE settings (key {_T} PRIMARY KEY, value {_T} NOT NULL);
CREATE TABLE users (
  {_ID}, name {_T} NOT NULL, pin_hash {_T} NOT NULL, role {_T} NOT NULL, rights {_T} NOT NULL DEFAULT '',
  failed_pins bigint NOT NULL DEFAULT 0, locked bigint NOT NULL DEFAULT 0, active bigint NOT NULL DEFAULT 1,
  created_at {_T} NOT NULL, pins_checking bigint NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX users_name ON users (lower(name));
CREATE TABLE payment_methods (
  code {_T} PRIMARY KEY, label {_T} NOT NULL, enabled bigint NOT NULL DEFAULT 1,
  opens_drawer bigint NOT NULL DEFAULT 0, is_cash bigint NOT NULL DEFAULT 0,
  display_order bigint NOT NULL DEFAULT 100);
INSERT INTO payment_methods (code, label, enabled, opens_drawer, is_cash, display_order) VALUES
  ('ESP', 'Espèces', 1, 1, 1, 10), ('CB', 'Carte bancaire', 1, 0, 0, 20), ('CHQ', 'Chèque', 1, 1, 0, 30),
  ('CRED', 'Crédit client', 1, 0, 0, 40);
CREATE TABLE customers (
  {_ID}, first_name {_T} NOT NULL DEFAULT '', last_name {_T} NOT NULL DEFAULT '',
  company {_T} NOT NULL DEFAULT '', phone {_T} NOT NULL DEFAULT '', email {_T} NOT NULL DEFAULT '',
  card_code {_T}, note {_T} NOT NULL DEFAULT '', debt_limit bigint NOT NULL DEFAULT 0,
  balance bigint NOT NULL DEFAULT 0, erased bigint NOT NULL DEFAULT 0, created_at {_T} NOT NULL,
  updated_at {_T} NOT NULL, sort_name {_T} NOT NULL DEFAULT '', debt_since {_T},
  search_text {_T} NOT NULL DEFAULT '');
CREATE UNIQUE INDEX customers_card_code ON customers (card_code) WHERE card_code IS NOT NULL;
CREATE INDEX customers_sort ON customers (sort_name, id) WHERE erased = 0;
CREATE INDEX customers_in_debt ON customers (id) WHERE balance < 0;
CREATE INDEX customers_old_debts ON customers (debt_since, id, balance, erased) WHERE balance < 0 AND erased = 0;
-- fastupdate off: a new customer goes straight into the index instead of a pending list that every
-- keystroke's search would scan until the next vacuum (customers are added rarely, searched constantly).
-- An expression index, not a stored tsvector column: with a stored one the planner, blind to a prefix's
-- frequency, walked the whole table backwards for rare words (115 ms at 100k customers, growing with them).
CREATE INDEX customers_search ON customers USING gin (to_tsvector('simple', search_text)) WITH (fastupdate = off);
CREATE TABLE products (
  {_ID}, barcode {_T} NOT NULL, name {_T} NOT NULL, price bigint NOT NULL, vat_rate bigint NOT NULL,
  active bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX products_barcode ON products (barcode);
CREATE TABLE customer_cards (
  {_ID}, customer_id bigint NOT NULL REFERENCES customers (id), code {_T} NOT NULL, name {_T} NOT NULL,
  daily_limit bigint, blocked bigint NOT NULL DEFAULT 0, created_at {_T} NOT NULL);
CREATE UNIQUE INDEX customer_cards_code ON customer_cards (code);
CREATE INDEX customer_cards_customer ON customer_cards (customer_id);
CREATE TABLE credit_ledger (
  {_ID}, customer_id bigint NOT NULL REFERENCES customers (id), kind {_T} NOT NULL, amount bigint NOT NULL,
  method {_T} REFERENCES payment_methods (code), sale_id bigint, label {_T} NOT NULL DEFAULT '',
  user_id bigint NOT NULL REFERENCES users (id), terminal bigint NOT NULL, created_at {_T} NOT NULL,
  balance_after bigint NOT NULL, idempotency_key {_T}, business_day {_T},
  card_id bigint REFERENCES customer_cards (id), store_id bigint NOT NULL DEFAULT 1);
CREATE INDEX credit_ledger_customer ON credit_ledger (customer_id, id);
CREATE INDEX credit_ledger_created ON credit_ledger (created_at);
CREATE UNIQUE INDEX credit_ledger_idempotency ON credit_ledger (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX credit_ledger_sale ON credit_ledger (sale_id) WHERE sale_id IS NOT NULL;
CREATE INDEX credit_ledger_nonneg ON credit_ledger (customer_id, id) WHERE balance_after >= 0;
CREATE INDEX credit_ledger_card_day ON credit_ledger (card_id, business_day) WHERE card_id IS NOT NULL;
CREATE INDEX credit_ledger_day ON credit_ledger (store_id, business_day, kind);
CREATE TABLE journal (
  {_ID}, created_at {_T} NOT NULL, kind {_T} NOT NULL, user_id bigint, terminal bigint NOT NULL,
  detail {_T} NOT NULL DEFAULT '{{}}', store_id bigint NOT NULL DEFAULT 1);
CREATE INDEX journal_kind ON journal (kind, id);
CREATE INDEX journal_created ON journal (created_at);
CREATE INDEX journal_store ON journal (store_id, id);
CREATE TABLE sales (
  {_ID}, number bigint NOT NULL, customer_id bigint REFERENCES customers (id),
  user_id bigint NOT NULL REFERENCES users (id), terminal bigint NOT NULL, created_at {_T} NOT NULL,
  business_day {_T} NOT NULL, total bigint NOT NULL, change_given bigint NOT NULL DEFAULT 0,
  voids_sale_id bigint REFERENCES sales (id), store_id bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX sales_number ON sales (store_id, number);
CREATE INDEX sales_day ON sales (store_id, business_day);
CREATE INDEX sales_customer ON sales (customer_id) WHERE customer_id IS NOT NULL;
CREATE TABLE vouchers (
  {_ID}, code {_T} NOT NULL, kind {_T} NOT NULL, amount bigint NOT NULL,
  issued_sale_id bigint NOT NULL REFERENCES sales (id), issued_at {_T} NOT NULL, expires_on {_T},
  customer_id bigint REFERENCES customers (id), store_id bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX vouchers_code ON vouchers (code);
CREATE TABLE sale_lines (
  {_ID}, sale_id bigint NOT NULL REFERENCES sales (id), line_no bigint NOT NULL, kind {_T} NOT NULL,
  product_id bigint REFERENCES products (id), barcode {_T}, name {_T} NOT NULL, quantity bigint NOT NULL,
  unit_price bigint NOT NULL, vat_rate bigint NOT NULL, total bigint NOT NULL,
  voucher_id bigint REFERENCES vouchers (id), returned_line_id bigint REFERENCES sale_lines (id));
CREATE UNIQUE INDEX sale_lines_no ON sale_lines (sale_id, line_no);
CREATE INDEX sale_lines_returned ON sale_lines (returned_line_id) WHERE returned_line_id IS NOT NULL;
CREATE TABLE sale_payments (
  {_ID}, sale_id bigint NOT NULL REFERENCES sales (id), method {_T} NOT NULL REFERENCES payment_methods (code),
  amount bigint NOT NULL);
CREATE INDEX sale_payments_sale ON sale_payments (sale_id);
CREATE TABLE parked_sales (
  {_ID}, terminal bigint NOT NULL, user_id bigint NOT NULL, created_at {_T} NOT NULL, customer_id bigint,
  cart {_T} NOT NULL, total bigint NOT NULL, store_id bigint NOT NULL DEFAULT 1);
CREATE TABLE voucher_parts (
  {_ID}, voucher_id bigint NOT NULL REFERENCES vouchers (id), vat_rate bigint NOT NULL, amount bigint NOT NULL);
CREATE INDEX voucher_parts_voucher ON voucher_parts (voucher_id);
CREATE TABLE voucher_redemptions (
  {_ID}, voucher_id bigint NOT NULL REFERENCES vouchers (id), sale_id bigint NOT NULL REFERENCES sales (id),
  redeemed_at {_T} NOT NULL);
CREATE UNIQUE INDEX voucher_redemptions_once ON voucher_redemptions (voucher_id);
CREATE TABLE receipt_prints (
  {_ID}, doc_kind {_T} NOT NULL, doc_id bigint NOT NULL, copy_no bigint NOT NULL, user_id bigint,
  terminal bigint NOT NULL, printed_at {_T} NOT NULL, status {_T} NOT NULL, store_id bigint NOT NULL DEFAULT 1);
CREATE INDEX receipt_prints_doc ON receipt_prints (doc_kind, doc_id);
CREATE TABLE cash_movements (
  {_ID}, business_day {_T} NOT NULL, kind {_T} NOT NULL, amount bigint NOT NULL, reason {_T} NOT NULL,
  user_id bigint NOT NULL REFERENCES users (id), terminal bigint NOT NULL, created_at {_T} NOT NULL,
  store_id bigint NOT NULL DEFAULT 1);
CREATE INDEX cash_movements_day ON cash_movements (store_id, business_day);
CREATE TABLE z_closings (
  {_ID}, number bigint NOT NULL, business_day {_T} NOT NULL, closed_at {_T} NOT NULL,
  user_id bigint NOT NULL REFERENCES users (id), terminal bigint NOT NULL, figures {_T} NOT NULL,
  counted bigint, count_detail {_T}, expected_cash bigint NOT NULL, cash_difference bigint,
  period_total bigint NOT NULL, perpetual_total bigint NOT NULL, last_sig {_T},
  store_id bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX z_closings_number ON z_closings (store_id, number);
CREATE UNIQUE INDEX z_closings_day ON z_closings (store_id, business_day);
CREATE TABLE signatures (
  {_ID}, table_name {_T} NOT NULL, record_id bigint NOT NULL, sig {_T} NOT NULL,
  store_id bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX signatures_record ON signatures (table_name, record_id);
CREATE INDEX signatures_store ON signatures (store_id, id);
CREATE TABLE staff_log (
  {_ID}, user_id bigint NOT NULL REFERENCES users (id), kind {_T} NOT NULL, name {_T} NOT NULL,
  role {_T} NOT NULL, rights {_T} NOT NULL, active bigint NOT NULL, pin_tag {_T} NOT NULL, by_user_id bigint,
  terminal bigint NOT NULL, created_at {_T} NOT NULL);
CREATE INDEX staff_log_user ON staff_log (user_id, id);
CREATE TABLE period_closings (
  {_ID}, kind {_T} NOT NULL, period {_T} NOT NULL, number bigint NOT NULL, day_from {_T} NOT NULL,
  day_to {_T} NOT NULL, closed_at {_T} NOT NULL, user_id bigint NOT NULL REFERENCES users (id),
  terminal bigint NOT NULL, figures {_T} NOT NULL, z_count bigint NOT NULL, z_first bigint, z_last bigint,
  period_total bigint NOT NULL, perpetual_total bigint NOT NULL, last_sig {_T},
  store_id bigint NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX period_closings_period ON period_closings (store_id, kind, period);
CREATE UNIQUE INDEX period_closings_number ON period_closings (store_id, kind, number);
CREATE TABLE email_queue (
  {_ID}, created_at {_T} NOT NULL, kind {_T} NOT NULL, customer_id bigint REFERENCES customers (id),
  user_id bigint REFERENCES users (id), to_addr {_T} NOT NULL, subject {_T} NOT NULL, body {_T} NOT NULL,
  attachment_name {_T}, attachment bytea, status {_T} NOT NULL DEFAULT 'queued',
  attempts bigint NOT NULL DEFAULT 0, next_try_at {_T} NOT NULL, claimed_at {_T}, last_error {_T}, sent_at {_T});
CREATE INDEX email_queue_due ON email_queue (status, next_try_at);
CREATE TABLE credit_outstanding (
  {_ID} CHECK (id = 1), credit bigint NOT NULL, debt bigint NOT NULL, n_credit bigint NOT NULL,
  n_debt bigint NOT NULL);
INSERT INTO credit_outstanding (id, credit, debt, n_credit, n_debt) VALUES (1, 0, 0, 0, 0);
CREATE TABLE product_prices (
  {_ID}, product_id bigint NOT NULL REFERENCES products (id), price bigint NOT NULL, vat_rate bigint NOT NULL,
  name {_T} NOT NULL, user_id bigint REFERENCES users (id), terminal bigint NOT NULL, changed_at {_T} NOT NULL,
  source {_T} NOT NULL);
CREATE INDEX product_prices_product ON product_prices (product_id, id);
CREATE TABLE stores ({_ID}, code {_T} NOT NULL, name {_T} NOT NULL, created_at {_T} NOT NULL);
CREATE UNIQUE INDEX stores_code ON stores (code);
INSERT INTO stores (id, code, name, created_at) VALUES (1, 'MAIN', '', '');
-- Rows given their id above: the identities continue after them.
SELECT setval(pg_get_serial_sequence('stores', 'id'), 1);
SELECT setval(pg_get_serial_sequence('credit_outstanding', 'id'), 1);
-- Journal rows and users from before the signed trail: none in a new store (m0011).
INSERT INTO settings (key, value) VALUES ('integrity_baseline', '{{"journal":0,"users":0}}');
"""

_VAT_RATES = "(2000, 1000, 550, 210, 0)"


def _functions() -> str:
    return f"""
-- A refusal whose text is the trigger's first argument (RAISE(ABORT, '...') in SQLite).
CREATE FUNCTION pos_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END $$;

CREATE FUNCTION pos_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
END $$;

CREATE FUNCTION pos_fold(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT {_fold_sql()}
$$;

CREATE FUNCTION pos_customers_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := pos_fold(concat_ws(' ', {', '.join('NEW.' + c for c in SEARCH_COLUMNS)}));
  RETURN NEW;
END $$;

-- The ledger row must state the balance it leaves; the customer row is locked first, so two
-- stores spending one balance at once are served one after the other.
CREATE FUNCTION pos_credit_ledger_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current_balance bigint;
BEGIN
  -- SQLite runs the newest trigger first (day_open, m0017); PostgreSQL runs them by name, so the
  -- closed day is checked here too: a row that breaks both rules is refused for the same reason.
  IF EXISTS (SELECT 1 FROM z_closings WHERE store_id = NEW.store_id AND business_day >= NEW.business_day) THEN
    RAISE EXCEPTION 'this business day is closed (Z)';
  END IF;
  SELECT balance INTO current_balance FROM customers WHERE id = NEW.customer_id FOR UPDATE;
  IF NEW.balance_after IS DISTINCT FROM current_balance + NEW.amount
     OR NEW.kind NOT IN ('top_up', 'refund', 'sale_payment', 'sale_credit')
     OR (NEW.kind IN ('top_up', 'sale_credit') AND NEW.amount <= 0)
     OR (NEW.kind IN ('refund', 'sale_payment') AND NEW.amount >= 0) THEN
    RAISE EXCEPTION 'credit_ledger entry does not follow the balance';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION pos_credit_ledger_balance_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customers SET balance = NEW.balance_after WHERE id = NEW.customer_id;
  RETURN NULL;
END $$;

CREATE FUNCTION pos_credit_ledger_debt_since() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customers SET debt_since = CASE WHEN NEW.balance_after >= 0 THEN NULL
      ELSE coalesce(debt_since, NEW.created_at) END
    WHERE id = NEW.customer_id AND debt_since IS DISTINCT FROM (CASE WHEN NEW.balance_after >= 0 THEN NULL
      ELSE coalesce(debt_since, NEW.created_at) END);
  RETURN NULL;
END $$;

CREATE FUNCTION pos_customers_balance_from_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM coalesce(
      (SELECT balance_after FROM credit_ledger WHERE customer_id = NEW.id ORDER BY id DESC LIMIT 1), 0) THEN
    RAISE EXCEPTION 'customers.balance follows the credit ledger';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION pos_credit_outstanding_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credit_outstanding SET
      credit = credit + GREATEST(NEW.balance, 0) - GREATEST(OLD.balance, 0),
      debt = debt + GREATEST(-NEW.balance, 0) - GREATEST(-OLD.balance, 0),
      n_credit = n_credit + (NEW.balance > 0)::int - (OLD.balance > 0)::int,
      n_debt = n_debt + (NEW.balance < 0)::int - (OLD.balance < 0)::int
    WHERE id = 1;
  RETURN NULL;
END $$;

CREATE FUNCTION pos_credit_outstanding_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credit_outstanding SET credit = credit + GREATEST(NEW.balance, 0),
      debt = debt + GREATEST(-NEW.balance, 0), n_credit = n_credit + (NEW.balance > 0)::int,
      n_debt = n_debt + (NEW.balance < 0)::int
    WHERE id = 1;
  RETURN NULL;
END $$;

CREATE FUNCTION pos_credit_outstanding_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credit_outstanding SET credit = credit - GREATEST(OLD.balance, 0),
      debt = debt - GREATEST(-OLD.balance, 0), n_credit = n_credit - (OLD.balance > 0)::int,
      n_debt = n_debt - (OLD.balance < 0)::int
    WHERE id = 1;
  RETURN NULL;
END $$;

-- A store's Z closes that store's day only (m0017).
CREATE FUNCTION pos_day_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM z_closings WHERE store_id = NEW.store_id AND business_day >= NEW.business_day) THEN
    RAISE EXCEPTION 'this business day is closed (Z)';
  END IF;
  RETURN NEW;
END $$;
"""


def _check(name: str, when: str, table: str, condition: str, message: str) -> str:
    return (f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW WHEN ({condition})"
            f" EXECUTE FUNCTION pos_refuse({_sql_literal(message)});\n")


def _triggers() -> str:
    out = []
    for table in APPEND_ONLY:
        out.append(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW"
                   " EXECUTE FUNCTION pos_append_only();\n")
        out.append(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW"
                   " EXECUTE FUNCTION pos_append_only();\n")
        out.append(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT"
                   " EXECUTE FUNCTION pos_append_only();\n")
    # Stores may be renamed, never removed.
    out.append("CREATE TRIGGER stores_no_delete BEFORE DELETE ON stores FOR EACH ROW"
               " EXECUTE FUNCTION pos_append_only();\n")
    out.append("CREATE TRIGGER stores_no_truncate BEFORE TRUNCATE ON stores FOR EACH STATEMENT"
               " EXECUTE FUNCTION pos_append_only();\n")
    out += [
        _check("customers_debt_limit_check", "BEFORE UPDATE OF debt_limit", "customers", "NEW.debt_limit < 0",
               "debt limit must be >= 0"),
        _check("products_vat_check", "BEFORE INSERT", "products", f"NEW.vat_rate NOT IN {_VAT_RATES}",
               "unknown VAT rate"),
        _check("products_vat_update_check", "BEFORE UPDATE OF vat_rate", "products",
               f"NEW.vat_rate NOT IN {_VAT_RATES}", "unknown VAT rate"),
        _check("products_price_check", "BEFORE UPDATE OF price", "products", "NEW.price < 0",
               "a price cannot be negative"),
        _check("sale_lines_total_check", "BEFORE INSERT", "sale_lines",
               f"NEW.total != NEW.quantity * NEW.unit_price OR NEW.vat_rate NOT IN {_VAT_RATES}",
               "sale line total or VAT rate is wrong"),
        _check("vouchers_check", "BEFORE INSERT", "vouchers",
               "NEW.kind NOT IN ('gift', 'credit_note') OR NEW.amount <= 0", "bad voucher"),
        _check("cash_movements_check", "BEFORE INSERT", "cash_movements",
               "NEW.kind NOT IN ('float', 'in', 'out') OR NEW.amount <= 0", "bad cash movement"),
        _check("period_closings_check", "BEFORE INSERT", "period_closings", "NEW.kind NOT IN ('month', 'year')",
               "bad period closing"),
        _check("customer_cards_check", "BEFORE INSERT", "customer_cards", "NEW.daily_limit < 0",
               "daily limit must be >= 0"),
        _check("customer_cards_limit_check", "BEFORE UPDATE OF daily_limit", "customer_cards",
               "NEW.daily_limit < 0", "daily limit must be >= 0"),
        _check("email_queue_check", "BEFORE INSERT", "email_queue",
               "NEW.status NOT IN ('queued', 'sending', 'sent', 'failed')"
               " OR NEW.kind NOT IN ('receipt', 'statement', 'reminder', 'test')", "bad e-mail"),
    ]
    cols = ", ".join(SEARCH_COLUMNS)
    out.append(f"""
CREATE TRIGGER customers_search_text BEFORE INSERT OR UPDATE OF {cols} ON customers
  FOR EACH ROW EXECUTE FUNCTION pos_customers_search_text();
CREATE TRIGGER credit_ledger_balance_check BEFORE INSERT ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION pos_credit_ledger_balance_check();
CREATE TRIGGER credit_ledger_balance_update AFTER INSERT ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION pos_credit_ledger_balance_update();
CREATE TRIGGER credit_ledger_debt_since AFTER INSERT ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION pos_credit_ledger_debt_since();
CREATE TRIGGER customers_balance_from_ledger BEFORE UPDATE OF balance ON customers
  FOR EACH ROW EXECUTE FUNCTION pos_customers_balance_from_ledger();
CREATE TRIGGER credit_outstanding_on_update AFTER UPDATE OF balance ON customers
  FOR EACH ROW WHEN (NEW.balance IS DISTINCT FROM OLD.balance) EXECUTE FUNCTION pos_credit_outstanding_on_update();
CREATE TRIGGER credit_outstanding_on_insert AFTER INSERT ON customers
  FOR EACH ROW WHEN (NEW.balance != 0) EXECUTE FUNCTION pos_credit_outstanding_on_insert();
CREATE TRIGGER credit_outstanding_on_delete AFTER DELETE ON customers
  FOR EACH ROW WHEN (OLD.balance != 0) EXECUTE FUNCTION pos_credit_outstanding_on_delete();
""")
    for table in ("sales", "credit_ledger", "cash_movements"):
        out.append(f"CREATE TRIGGER {table}_day_open BEFORE INSERT ON {table} FOR EACH ROW"
                   " EXECUTE FUNCTION pos_day_open();\n")
    return "".join(out)


BASELINE = _TABLES + _functions() + _triggers()


# -- applying -----------------------------------------------------------------------------------------

def applied_names(conn: Any) -> set[str]:
    """The migration names recorded in the database (none in an empty one)."""
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
        return set()
    return {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}


def _refuse_unknown(applied: set[str]) -> None:
    from pos_tui.store.db import SchemaTooNew
    from pos_tui.store.migrations import migrations

    unknown = sorted(applied - set(migrations.names))
    if unknown:
        raise SchemaTooNew(
            "This database was written by a newer version of pos-tui (schema {names}). "
            "Upgrade pos-tui to open it.",
            names=", ".join(unknown),
        )


def migrate(conn: Any) -> list[str]:
    """Bring the database to this version's schema in one transaction; returns the names applied.

    ``conn`` is a psycopg connection in autocommit mode. A transaction-scoped advisory lock comes
    first, so tills starting together migrate one at a time: the later ones find the work done.
    """
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at text)")
        applied = applied_names(conn)
        _refuse_unknown(applied)
        missing = [n for n in BASELINE_NAMES if n not in applied]
        if missing and len(missing) < len(BASELINE_NAMES):
            # Only a hand-edited schema_migrations gets here: re-running the baseline would half-fail.
            from pos_tui.domain.errors import PosError

            raise PosError("This database holds part of a pos-tui schema only (missing {names}): "
                           "restore it from a backup.", names=", ".join(missing))
        steps = [] if not missing else [(None, BASELINE)]
        steps += [(name, sql) for name, sql in PG_MIGRATIONS if name not in applied]
        for name, sql in steps:
            conn.execute(sql)
            names = [n for n in BASELINE_NAMES if n not in applied] if name is None else [name]
            for n in names:
                conn.execute("INSERT INTO schema_migrations (name, applied_at)"
                             " VALUES (%s, to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                             " 'YYYY-MM-DD HH24:MI:SS.US'))", (n,))
            done += names
    return done
