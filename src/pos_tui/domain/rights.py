"""Rights and presets (SPEC §2). Checked in services, never only hidden in the UI."""

from __future__ import annotations

from enum import StrEnum

from pos_tui.domain.errors import RightDenied
from pos_tui.i18n import N_, _


class Right(StrEnum):
    VIEW_CREDIT = "view_credit"
    ADD_CREDIT = "add_credit"
    NEGATIVE_CREDIT = "negative_credit"
    PAY_WITH_CREDIT = "pay_with_credit"
    OVERRIDE_DEBT_LIMIT = "override_debt_limit"
    RETURNS = "returns"
    DAY_CLOSING = "day_closing"
    MANAGE_METHODS = "manage_methods"
    MANAGE_PRODUCTS = "manage_products"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    EXPORT_DATA = "export_data"


RIGHT_LABELS = {
    Right.VIEW_CREDIT: N_("view credit"),
    Right.ADD_CREDIT: N_("add credit"),
    Right.NEGATIVE_CREDIT: N_("enter negative credit"),
    Right.PAY_WITH_CREDIT: N_("pay with CRED"),
    Right.OVERRIDE_DEBT_LIMIT: N_("override a debt limit"),
    Right.RETURNS: N_("returns and voids"),
    Right.DAY_CLOSING: N_("day closing"),
    Right.MANAGE_METHODS: N_("manage payment methods"),
    Right.MANAGE_PRODUCTS: N_("manage products"),
    Right.MANAGE_USERS: N_("manage users"),
    Right.MANAGE_SETTINGS: N_("manage settings"),
    Right.EXPORT_DATA: N_("export data"),
}

ROLE_LABELS = {"manager": N_("manager"), "cashier": N_("cashier"), "custom": N_("custom")}

PRESETS: dict[str, frozenset[Right]] = {
    "cashier": frozenset({Right.VIEW_CREDIT, Right.PAY_WITH_CREDIT}),
    "manager": frozenset(Right),
}


def parse_rights(text: str) -> frozenset[Right]:
    return frozenset(Right(part) for part in (text or "").split(",") if part)


def format_rights(rights: frozenset[Right] | set[Right]) -> str:
    return ",".join(sorted(r.value for r in rights))


def require(rights: frozenset[Right], right: Right) -> None:
    """Raise ``RightDenied`` unless ``right`` is in ``rights``."""
    if right not in rights:
        raise RightDenied("You do not have the right to {right}.", right=_(RIGHT_LABELS[right]))
