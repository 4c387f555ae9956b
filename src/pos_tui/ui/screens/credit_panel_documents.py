"""The credit panel's documents (issue 16): the statement of account (F5) and the balance slip (F6)."""

from __future__ import annotations

from functools import partial

from textual import work
from textual.widgets import Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.services import accounts
from pos_tui.services import email as mail
from pos_tui.services.exports import default_export_path
from pos_tui.ui.screens.account_dialogs import SavePathScreen, StatementRequest, StatementScreen


class AccountDocuments:
    """Mixed into the credit panel: uses its ``till``, ``customer_id``, ``denied`` and ``_error``."""

    def action_statement(self) -> None:
        """F5: a statement for a period, printed, exported (CSV, PDF) or e-mailed."""
        if self.denied is not None:
            return
        today = self.till.store.clock().date()
        self.app.push_screen(StatementScreen(self.customer_id, today.replace(day=1).isoformat(), today.isoformat()),
                             callback=self._statement_chosen)

    def _statement_chosen(self, request: StatementRequest | None) -> None:
        if request is None:
            return
        ctx = self.till.ctx
        try:
            stmt = accounts.statement(ctx, self.customer_id, request.date_from, request.date_to)
            if request.output == "print":
                self._print(accounts.statement_receipt(ctx.store, stmt), _("Statement sent to the printer."))
            elif request.output == "email":
                mail.queue_statement(ctx, self.customer_id, request.date_from, request.date_to)
                self.app.notify(_("Statement queued for {email}.").format(email=stmt.email))
            else:
                ext = "pdf" if request.output == "pdf" else "csv"
                name = f"statement-{stmt.customer_id}-{stmt.date_from}-{stmt.date_to}.{ext}"
                self.app.push_screen(SavePathScreen(_("Statement of account"), default_export_path(name)),
                                     callback=partial(self._write_statement, stmt, ext))
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()

    def _write_statement(self, stmt, ext: str, path) -> None:
        if path is None:
            return
        try:
            if ext == "pdf":
                written = accounts.export_statement_pdf(self.till.ctx, stmt, path)
            else:
                written = accounts.export_statement_csv(self.till.ctx, stmt, path)
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        self._error("")
        self.query_one("#credit-count", Static).update(_("Statement written to {file}.").format(file=written))
        self.app.notify(_("Statement written to {file}.").format(file=written))

    def action_balance_slip(self) -> None:
        """F6: a slip with the balance, the last entries and the debt limit, on the receipt printer."""
        if self.denied is not None:
            return
        try:
            slip = accounts.balance_slip(self.till.ctx, self.customer_id)
        except PosError as exc:
            self._error(exc.message)
            return
        self._print(slip, _("Balance slip sent to the printer."))

    def _print(self, receipt, done: str) -> None:
        target = self.till.printer_target()
        if not target.enabled:
            self.app.notify(_("No printer is set up (preview only)."), severity="warning")
            return
        self._print_in_thread(target, receipt, accounts.paper_width(self.till.store), done)

    @work(thread=True, exclusive=False, exit_on_error=False, group="printing")
    def _print_in_thread(self, target, receipt, width: int, done: str) -> None:
        # Not a fiscal document (no copy count): no store needed in this thread.
        try:
            accounts.send_receipt(target, receipt, width)
            message, severity = done, "information"
        except PosError as exc:
            message, severity = exc.message, "error"
        except Exception as exc:  # never let a printing bug take the counter down
            message, severity = _("Printing failed ({reason}): reprint from history.").format(
                reason=str(exc) or type(exc).__name__), "error"
        try:
            self.app.call_from_thread(self.app.notify, message, severity=severity)
        except RuntimeError:  # the app is gone
            pass
