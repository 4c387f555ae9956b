"""The e-mail queue (issue 16, Ctrl+F or the palette): receipts, statements and reminders waiting,
sent or failed, with a resend. Sending happens in a thread worker with its own store connection,
so a dead SMTP server never holds the till."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _, ngettext
from pos_tui.services import email as mail
from pos_tui.services.context import open_store
from pos_tui.ui.format import cell, moment_text
from pos_tui.ui.screens.base import PosScreen

STATUS_LABELS = {"queued": N_("waiting"), "sending": N_("sending"), "sent": N_("sent"), "failed": N_("failed")}
KIND_LABELS = {"receipt": N_("Receipt"), "statement": N_("Statement"), "reminder": N_("Reminder")}
STATUS_STYLES = {"failed": "bold red", "queued": "yellow", "sending": "yellow", "sent": ""}


REMINDERS_SHOWN = 8  # names listed in the confirmation at 80x24; the rest is counted


def ask_reminders(app, done=None) -> None:
    """Debt reminders (issue 16): the manager reads who would get one, then confirms; nothing goes out before."""
    from pos_tui.domain.money import format_money
    from pos_tui.i18n import locale
    from pos_tui.ui.screens.confirm import ConfirmScreen

    ctx = app.till.ctx
    try:
        found = mail.reminders(ctx)
    except PosError as exc:
        app.notify(exc.message, severity="error")
        return
    if not found:
        app.notify(_("No debt past the threshold with an e-mail address: no reminder to send."))
        return
    lines = [f"{r.name} <{r.email}> {format_money(-r.balance, locale())} · "
             + ngettext("{days} day", "{days} days", r.age_days).format(days=r.age_days) for r in found[:REMINDERS_SHOWN]]
    if len(found) > REMINDERS_SHOWN:
        lines.append(_("… and {n} more").format(n=len(found) - REMINDERS_SHOWN))
    question = _("Send a polite reminder to these customers?") + "\n" + "\n".join(lines)

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            ids = mail.send_reminders(ctx, found)
        except PosError as exc:
            app.notify(exc.message, severity="error")
            return
        app.notify(_("Reminders queued: {n}.").format(n=len(ids)))
        if done is not None:
            done()

    app.push_screen(ConfirmScreen(question), callback=answered)


class EmailQueueScreen(PosScreen):
    """Newest first; r resends the highlighted message now, s sends everything due now, d offers the debt
    reminders (a manager confirms the list)."""

    HELP_TITLE = N_("E-mail queue")

    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("r", "resend", N_("Resend")),
        Binding("s", "send_now", N_("Send"), tooltip=N_("Send now")),  # 80 columns in French
        Binding("d", "reminders", N_("Debt reminders")),
    ]
    DEFAULT_CSS = """
    #email-table { height: 1fr; }
    #email-detail { height: auto; padding: 0 1; }
    #email-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="email-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="email-detail")
        yield Static("", id="email-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("E-mail queue"))
        table = self.query_one("#email-table", DataTable)
        for key, label, width in (("date", _("Date"), 14), ("kind", _("Type"), 10), ("to", _("To"), 24),
                                  ("status", _("State"), 10), ("tries", _("Tries"), 6)):
            table.add_column(label, key=key, width=width)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#email-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = mail.queue(self.till.store)
        for row in self.rows:
            style = STATUS_STYLES.get(row["status"], "")
            table.add_row(cell(moment_text(row["created_at"])), cell(_(KIND_LABELS.get(row["kind"], row["kind"]))),
                          cell(row["to_addr"]), cell(_(STATUS_LABELS.get(row["status"], row["status"])), style=style),
                          cell(row["attempts"], justify="right"), key=str(row["id"]))
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1), animate=False)
        counts = {s: sum(1 for r in self.rows if r["status"] == s) for s in STATUS_LABELS}
        text = _("Waiting: {queued} · failed: {failed} · sent: {sent}").format(**counts)
        if not mail.smtp_settings(self.till.store).configured:
            text += " · " + _("no SMTP server set: pos-tui email setup")
        self.query_one("#email-status", Static).update(text)
        self.show_detail()

    def highlighted(self) -> dict | None:
        table = self.query_one("#email-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        row = self.highlighted()
        text = ""
        if row is not None:
            text = row["subject"]
            if row["last_error"]:
                text += "\n" + _("Last error: {error}").format(error=row["last_error"])
        self.query_one("#email-detail", Static).update(text)

    def action_resend(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        if row["status"] not in ("queued", "failed"):
            self.app.notify(_("Only a waiting or failed e-mail can be sent again."), severity="warning")
            return
        try:
            mail.resend(self.till.ctx, row["id"])
        except PosError as exc:
            self.app.notify(exc.message, severity="error")
            return
        self.reload()
        self.action_send_now()

    def action_reminders(self) -> None:
        ask_reminders(self.app, self.reload)

    def action_send_now(self) -> None:
        self.query_one("#email-status", Static).update(_("Sending…"))
        self._send_in_thread(self.till.store.target, self.till.store.clock)

    @work(thread=True, exclusive=True, exit_on_error=False, group="email")
    def _send_in_thread(self, path: str, clock) -> None:
        # sqlite3 connections belong to their thread: this worker opens its own; the SMTP timeout bounds it.
        try:
            store = open_store(path, clock=clock)
        except PosError as exc:
            self._report({"sent": 0, "failed": 0}, exc.message)
            return
        try:
            done, error = mail.send_due(store), ""
        except Exception as exc:  # a busy store or an SMTP library surprise: said, never fatal
            done, error = {"sent": 0, "failed": 0}, str(exc) or type(exc).__name__
        finally:
            store.close()
        self._report(done, error)

    def _report(self, done: dict, error: str) -> None:
        try:
            self.app.call_from_thread(self._sent, done, error)
        except RuntimeError:  # the app is gone; the queue keeps the outcome
            pass

    def _sent(self, done: dict, error: str) -> None:
        if error:
            self.app.notify(error, severity="error")
        else:
            self.app.notify(_("Sent: {sent} · failed: {failed}.").format(**done),
                            severity="error" if done["failed"] else "information")
        if self.is_attached:
            self.reload()
