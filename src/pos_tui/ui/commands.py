"""The command palette (Ctrl+P): every provider of the app, built from plain lists of
(name, callback, help) entries; only a logged-in user sees them."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.services import settings
from pos_tui.ui.screens.payment_methods import PaymentMethodsScreen
from pos_tui.ui.screens.printer_settings import PrinterSettingsScreen
from pos_tui.ui.screens.returns import ReturnsScreen
from pos_tui.ui.screens.settings import CreditSettingsScreen, DebtLimitScreen
from pos_tui.ui.screens.vouchers import VouchersScreen
from pos_tui.ui.messages import SettingsSaved
from pos_tui.ui.till import TillAccess


class CommandList(TillAccess, Provider):
    """Subclasses say which commands the logged-in user may see now; search and discovery are shared."""

    def _commands(self) -> list[tuple[str, object, str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)


class CreditCommands(CommandList):
    """Command palette entries for the credit settings (only once someone is logged in)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if not self.till.logged_in:
            return []
        commands = [(_("Credit settings"), self._open_settings,
                     _("Default debt limit, forbid negative entries or balances"))]
        customer_id = self.till.current_customer_id
        if customer_id is not None:
            commands.append((_("Set this customer's debt limit"), lambda: self._open_debt_limit(customer_id),
                             _("How much the current customer may owe")))
        return commands

    def _open_settings(self) -> None:
        self.app.push_screen(CreditSettingsScreen(), callback=self._saved)

    def _open_debt_limit(self, customer_id: int) -> None:
        self.app.push_screen(DebtLimitScreen(customer_id), callback=self._saved)

    def _saved(self, saved: bool | None) -> None:
        if not saved:
            return
        self.app.notify(_("Settings saved."))
        self.app.screen.post_message(SettingsSaved())  # e.g. the credit panel behind shows the new limit


class PrintingCommands(CommandList):
    """Command palette: receipts history, print the last receipt, printer settings."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if not self.till.logged_in:
            return []
        return [
            (_("Receipts history"), app.action_receipts, _("Preview and reprint past receipts (DUPLICATA)")),
            (_("Print the last receipt"), app.action_print_last, _("Send the last sale or credit receipt again")),
            (_("Printer settings"), self._open_settings,
             _("Printer address, paper width, automatic printing, header and footer")),
        ]

    def _open_settings(self) -> None:
        self.app.push_screen(PrinterSettingsScreen(), callback=self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Printer settings saved."))


def open_screen(app, screen_type: type[Screen]) -> None:
    """Push ``screen_type`` unless it is already on top."""
    if not isinstance(app.screen, screen_type):
        app.push_screen(screen_type())


class VoucherCommands(CommandList):
    """Palette entries: vouchers, returns, payment methods, voucher cash back (once someone is logged in)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if not self.till.logged_in:
            return []
        allowed = settings.voucher_cash_back(self.till.store)
        now = _("now allowed") if allowed else _("now forbidden")
        return [
            (_("Vouchers and credit notes"), lambda: open_screen(app, VouchersScreen),
             _("Valid, used and expired vouchers; look a code up; outstanding total")),
            (_("Returns"), lambda: open_screen(app, ReturnsScreen), _("Bring back items of a closed sale: credit note, CRED or refund")),
            (_("Payment methods"), lambda: open_screen(app, PaymentMethodsScreen),
             _("Add a method (e.g. BA partner vouchers), enable or disable one")),
            (_("Cash back on vouchers: allow"), lambda: self._cash_back(True),
             _("A voucher worth more than the sale may be paid out ({now})").format(now=now)),
            (_("Cash back on vouchers: forbid"), lambda: self._cash_back(False),
             _("The rest of a voucher goes on the customer's credit only ({now})").format(now=now)),
        ]

    def _cash_back(self, allowed: bool) -> None:
        try:
            settings.set_voucher_cash_back(self.till.ctx, allowed)
        except PosError as exc:
            self.app.notify(exc.message, severity="error", timeout=8)
            return
        self.app.notify(_("Cash back on vouchers allowed.") if allowed else
                        _("Cash back on vouchers forbidden: the rest goes on the customer's credit (CRED)."))


class BackOfficeCommands(CommandList):
    """Palette entries of the back office (issue 11): staff, products, shop identity, switch cashier."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if not self.till.logged_in:
            return []
        from pos_tui.ui.screens.shop_settings import ShopSettingsScreen

        return [
            (_("Staff"), app.action_staff, _("Users: add, rights, PIN, unlock, deactivate (Ctrl+Y)")),
            (_("Products"), app.action_products,
             _("Search, create, change a price, deactivate; shelf labels and in-store barcodes (Ctrl+G)")),
            (_("Shop identity"), lambda: app.push_screen(ShopSettingsScreen(), self._saved),
             _("Name, address, SIRET, VAT number, phone printed on receipts and X/Z")),
            (_("Switch cashier"), app.action_lock, _("Back to the login; the open sale stays with the till (Ctrl+L)")),
            (_("E-mail queue"), app.action_email_queue,
             _("Receipts, statements and reminders waiting, failed or sent; resend (Ctrl+F)")),
            (_("Debt reminders"), self._reminders,
             _("E-mail a polite reminder to customers in debt past the threshold (you confirm the list)")),
        ]

    def _reminders(self) -> None:
        from pos_tui.ui.screens.email_queue import ask_reminders

        ask_reminders(self.app)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Shop identity saved."))

