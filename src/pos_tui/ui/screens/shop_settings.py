"""Shop identity (issue 11, manager): name, address, SIRET, VAT number, phone — printed at the top
of every receipt and X/Z report. The checks (SIRET and VAT keys) live in ``domain.shop``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.services import settings
from pos_tui.ui.widgets.modal_form import ManagerModal

FIELDS = (("name", "Shop name", 60), ("address1", "Address", 60), ("address2", "", 60),
          ("address3", "", 60), ("siret", "SIRET", 17), ("vat_number", "VAT number", 17), ("phone", "Phone", 25))


class ShopSettingsScreen(ManagerModal):
    """One line per field; Enter moves on and saves on the last one; Ctrl+S saves."""

    CSS_PATH = "shop_settings.tcss"
    BOX_ID, ERROR_ID = "shop-box", "shop-error"

    def compose_form(self) -> ComposeResult:
        current = settings.shop_identity(self.till.store)
        lines = current.address.splitlines() + ["", "", ""]
        values = {"name": current.name, "address1": lines[0], "address2": lines[1], "address3": lines[2],
                  "siret": current.siret, "vat_number": current.vat_number, "phone": current.phone}
        yield Static(_("Shop identity (top of receipts and X/Z)"), classes="title")
        for key, label, length in FIELDS:
            with Horizontal(classes="shop-row"):
                yield Label(_(label) if label else "", classes="shop-label")
                yield Input(value=values[key], id=f"shop-{key}", max_length=length)
        yield Static(_("The receipt footer stays in the printer settings."), classes="hint")

    def action_save(self) -> None:
        value = {key: self.query_one(f"#shop-{key}", Input).value for key, _label, _n in FIELDS}
        address = "\n".join(value[k] for k in ("address1", "address2", "address3") if value[k].strip())
        try:
            settings.set_shop_identity(self.till.ctx, value["name"], address, value["siret"], value["vat_number"],
                                       value["phone"])
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)
