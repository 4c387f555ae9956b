"""Payment methods (SPEC §5): list, add (e.g. BA partner vouchers), enable/disable."""

from __future__ import annotations

import re

from pos_tui.domain.credit import CREDIT_METHOD
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.text import clean_text
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.store import methods as methods_store
from pos_tui.store.db import Store
from pos_tui.store.methods import PaymentMethod


def all_methods(store: Store) -> list[PaymentMethod]:
    return methods_store.all_methods(store)


def top_up_methods(store: Store) -> list[PaymentMethod]:
    """Enabled methods that may fund credit: everything but CRED."""
    return [m for m in methods_store.all_methods(store) if m.enabled and m.code != CREDIT_METHOD]


def get(store: Store, code: str) -> PaymentMethod:
    method = methods_store.by_code(store, code or "")
    if method is None:
        raise NotFound("Unknown payment method {code!r}.", code=(code or "").strip().upper())
    return method


def add_method(ctx: Context, code: str, label: str, *, opens_drawer: bool = False, is_cash: bool = False,
               display_order: int = 100) -> PaymentMethod:
    ctx.require(Right.MANAGE_METHODS)
    code = (code or "").strip().upper()
    label = clean_text(label, "Label")
    if not re.fullmatch(r"[A-Z0-9]{2,8}", code):
        raise PosError("A method code is 2 to 8 letters or digits.")
    if not label:
        raise PosError("A method needs a label.")
    with ctx.store.write():
        if methods_store.by_code(ctx.store, code):
            raise PosError("The payment method {code} already exists.", code=code)
        method = PaymentMethod(code, label, True, opens_drawer, is_cash, display_order)
        methods_store.insert(ctx.store, method)
        ctx.journal("method_added", code=code, label=label)
    return method


def set_enabled(ctx: Context, code: str, enabled: bool) -> PaymentMethod:
    """Methods are disabled, never deleted (past records name them)."""
    ctx.require(Right.MANAGE_METHODS)
    with ctx.store.write():
        method = get(ctx.store, code)
        methods_store.set_enabled(ctx.store, method.code, enabled)
        ctx.journal("method_enabled" if enabled else "method_disabled", code=method.code)
    return get(ctx.store, code)
