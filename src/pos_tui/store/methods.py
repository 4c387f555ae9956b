"""Payment methods table."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.store.db import Store


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    enabled: bool
    opens_drawer: bool
    is_cash: bool
    display_order: int

    @property
    def name(self) -> str:
        """The name shown to users: built-in methods in the current language, a shop's own as typed."""
        from pos_tui.domain.payment import method_name

        return method_name(self.code, self.label)


def _method(row: dict) -> PaymentMethod:
    return PaymentMethod(
        code=row["code"], label=row["label"], enabled=bool(row["enabled"]), opens_drawer=bool(row["opens_drawer"]),
        is_cash=bool(row["is_cash"]), display_order=row["display_order"],
    )


def enabled_codes(store: Store) -> tuple[set[str], set[str]]:
    """Codes of the enabled methods, and of those that are cash (read on every payment)."""
    rows = store.conn.execute("SELECT code, is_cash FROM payment_methods WHERE enabled = 1").fetchall()
    return {code for code, _cash in rows}, {code for code, cash in rows if cash}


def all_methods(store: Store) -> list[PaymentMethod]:
    return [_method(r) for r in store.query("SELECT * FROM payment_methods ORDER BY display_order, code")]


def by_code(store: Store, code: str) -> PaymentMethod | None:
    row = store.one("SELECT * FROM payment_methods WHERE code = ?", (code.upper().strip(),))
    return _method(row) if row else None


def insert(store: Store, method: PaymentMethod) -> None:
    store.conn.execute(
        "INSERT INTO payment_methods(code, label, enabled, opens_drawer, is_cash, display_order)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (method.code, method.label, int(method.enabled), int(method.opens_drawer), int(method.is_cash),
         method.display_order),
    )


def set_enabled(store: Store, code: str, enabled: bool) -> None:
    store.conn.execute("UPDATE payment_methods SET enabled = ? WHERE code = ?", (int(enabled), code))
