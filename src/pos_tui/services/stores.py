"""The company's stores (issue 18): listed by anyone at a till, added by a manager.

Customers, the credit ledger, vouchers, users, products and payment methods are shared by
every store; sale numbers, cash, X/Z, parked sales, receipts, the journal and the signature
chain belong to one. A till works for one store (``--store CODE``, default MAIN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.domain.text import clean_text
from pos_tui.services.context import Context
from pos_tui.store import stores as stores_store
from pos_tui.store.db import Store

CODE_RULE = re.compile(r"[A-Z0-9-]{1,12}")
MAIN = "MAIN"


@dataclass(frozen=True)
class ShopStore:
    id: int
    code: str
    name: str
    created_at: str


def _row(row: dict) -> ShopStore:
    return ShopStore(row["id"], row["code"], row["name"], row["created_at"])


def list_stores(store: Store) -> list[ShopStore]:
    return [_row(r) for r in stores_store.all_stores(store)]


def normalise_code(code: str | None) -> str:
    """A store code as typed, upper-cased; refused unless 1 to 12 of A-Z, 0-9 and '-'."""
    text = (code or "").strip().upper()
    if not CODE_RULE.fullmatch(text):
        raise PosError("A store code is 1 to 12 letters A-Z, digits or '-': {code!r} is not one.", code=code or "")
    return text


def add_store(ctx: Context, code: str, name: str) -> ShopStore:
    """A new store of the company (needs the settings right: a manager's)."""
    ctx.require(Right.MANAGE_SETTINGS)
    code = normalise_code(code)
    name = clean_text(name, "Name")
    if not name:
        raise PosError("Give the store a name.")
    with ctx.store.write():
        if stores_store.by_code(ctx.store, code) is not None:
            raise PosError("There is already a store {code}.", code=code)
        store_id = stores_store.insert(ctx.store, code, name)
        ctx.journal("store_added", store=store_id, code=code, name=name)
    return _row(stores_store.by_code(ctx.store, code))


def current_code(store: Store) -> str:
    """The code of the till's store."""
    return stores_store.code_of(store)


def shown_code(store: Store) -> str:
    """The till's store code when the company has more than one store (for X/Z headers and receipts), else ''."""
    if stores_store.count(store) <= 1:
        return ""
    return stores_store.code_of(store)
