"""E-mail (issue 16): receipts, statements and debt reminders through the shop's SMTP server.

Asking for an e-mail only writes a row in the queue; a background worker (``EmailWorker``,
a plain thread with its own store connection) hands the rows to the SMTP server and retries
with a growing delay. The till never waits for the network, and a failure is visible in the
queue with a resend.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.money import format_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import _, locale
from pos_tui.printing.receipt import render_text
from pos_tui.services import settings
from pos_tui.services.context import Context
from pos_tui.store import customers as customers_store
from pos_tui.store import email as email_store
from pos_tui.store.db import Store

SMTP_HOST = "smtp_host"
SMTP_PORT = "smtp_port"
SMTP_SECURITY = "smtp_security"  # none | starttls | ssl
SMTP_USER = "smtp_user"
SMTP_PASSWORD = "smtp_password"  # never journaled, never exported
SMTP_FROM = "smtp_from"
REMINDER_TEMPLATE = "reminder_template"
SECURITIES = ("none", "starttls", "ssl")
RETRY_DELAYS_MIN = (1, 5, 15, 60, 180, 720)  # then the message is 'failed' and waits for a resend
SEND_TIMEOUT_S = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

DEFAULT_REMINDER = (
    "Bonjour {name},\n\n"
    "Sauf erreur de notre part, votre compte client présente un solde débiteur de {amount} "
    "depuis le {since} ({days} jours).\n"
    "Ce crédit est sans intérêts ni frais ; merci de passer le régler en boutique à votre convenance.\n\n"
    "Cordialement,\n{shop}"
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


# The SMTP password is stored sealed with a key derived from the shop's signing key file (not kept in the
# database): a copy of the database alone does not give the mailbox away. HMAC-SHA256 as the keystream (CTR)
# and as the tag, from the standard library; "sealed:" marks the format, an older plain value still reads.
_SEALED = "sealed:"


def _password_keys(store: Store) -> tuple[bytes, bytes]:
    from pos_tui.store.integrity import load_key

    shop_key = load_key(store)
    derive = lambda label: hmac.new(shop_key, b"pos-tui smtp password " + label, hashlib.sha256).digest()  # noqa: E731
    return derive(b"stream"), derive(b"tag")


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, nonce + n.to_bytes(8, "big"), hashlib.sha256).digest() for n in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal_password(store: Store, password: str) -> str:
    if not password:
        return ""
    stream_key, tag_key = _password_keys(store)
    nonce = secrets.token_bytes(16)
    data = password.encode("utf-8")
    sealed = bytes(a ^ b for a, b in zip(data, _keystream(stream_key, nonce, len(data))))
    tag = hmac.new(tag_key, nonce + sealed, hashlib.sha256).digest()[:16]
    return _SEALED + base64.b64encode(nonce + sealed + tag).decode("ascii")


def open_password(store: Store, stored: str) -> str:
    """The password in clear; "" when it was sealed with another shop key (then the server refuses the login)."""
    if not stored.startswith(_SEALED):
        return stored
    try:
        raw = base64.b64decode(stored[len(_SEALED):], validate=True)
    except ValueError:
        return ""
    nonce, sealed, tag = raw[:16], raw[16:-16], raw[-16:]
    stream_key, tag_key = _password_keys(store)
    if not hmac.compare_digest(tag, hmac.new(tag_key, nonce + sealed, hashlib.sha256).digest()[:16]):
        return ""
    return bytes(a ^ b for a, b in zip(sealed, _keystream(stream_key, nonce, len(sealed)))).decode("utf-8", "replace")


def smtp_settings(store: Store) -> SmtpSettings:
    security = settings.get(store, SMTP_SECURITY)
    return SmtpSettings(settings.get(store, SMTP_HOST), settings.get(store, SMTP_PORT),
                        security if security in SECURITIES else "starttls", settings.get(store, SMTP_USER),
                        open_password(store, settings.get(store, SMTP_PASSWORD)), settings.get(store, SMTP_FROM))


def set_smtp_settings(ctx: Context, host: str, port: int, security: str, user: str, password: str | None,
                      sender: str) -> SmtpSettings:
    """Save the SMTP server; ``password`` None keeps the stored one. The password is journaled as changed,
    never by value."""
    ctx.require(Right.MANAGE_SETTINGS)
    host, user, sender = (host or "").strip(), (user or "").strip(), (sender or "").strip()
    if security not in SECURITIES:
        raise PosError("SMTP security is none, starttls or ssl.")
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = 0
    if not 1 <= port <= 65535:
        raise PosError("The SMTP port is a number from 1 to 65535.")
    if host and not re.fullmatch(r"[A-Za-z0-9.-]+|\[?[0-9a-fA-F:.]+\]?", host):
        raise PosError("Not a server name: {host!r}.", host=host)
    if sender and not _EMAIL.match(sender):
        raise PosError("Invalid email address {email!r}.", email=sender)
    with ctx.store.write():
        for key, value in ((SMTP_HOST, host), (SMTP_PORT, port), (SMTP_SECURITY, security), (SMTP_USER, user),
                           (SMTP_FROM, sender)):
            if settings.get(ctx.store, key) != value:
                settings.change(ctx, key, value)
        if password is not None and password != open_password(ctx.store, settings.get(ctx.store, SMTP_PASSWORD)):
            settings.put(ctx.store, SMTP_PASSWORD, seal_password(ctx.store, password))
            ctx.journal("setting_changed", key=SMTP_PASSWORD, value="(hidden)")
    return smtp_settings(ctx.store)


def _address(text: str | None) -> str:
    text = (text or "").strip().lower()
    if not _EMAIL.match(text):
        raise PosError("Invalid email address {email!r}.", email=text)
    return text


def _queue(ctx: Context, kind: str, to: str, subject: str, body: str, customer_id: int | None,
           attachment: tuple[str, bytes] | None = None) -> int:
    with ctx.store.write():
        message_id = email_store.enqueue(
            ctx.store, kind=kind, to_addr=to, subject=subject, body=body, customer_id=customer_id,
            user_id=ctx.user.id, attachment_name=attachment[0] if attachment else None,
            attachment=attachment[1] if attachment else None)
        ctx.journal("email_queued", id=message_id, what=kind, customer=customer_id)
    return message_id


def _shop(store: Store) -> str:
    return settings.get(store, settings.SHOP_NAME)


def receipt_address(store: Store, sale_id: int) -> str:
    """The e-mail address of the sale's customer ("" when there is no customer or no address)."""
    from pos_tui.store import sales as sales_store

    sale = sales_store.by_id(store, sale_id)
    if sale is None or not sale["customer_id"]:
        return ""
    customer = customers_store.by_id(store, sale["customer_id"])
    return (customer.email or "") if customer is not None and not customer.erased else ""


def queue_receipt(ctx: Context, sale_id: int, to: str | None = None) -> int:
    """The sale's receipt by e-mail, as text (the customer's address when ``to`` is not given)."""
    from pos_tui.services import printing
    from pos_tui.store import sales as sales_store

    sale = sales_store.by_id(ctx.store, sale_id)
    if sale is None:
        raise NotFound("No such sale.")
    if to is None and sale["customer_id"]:
        to = customers_store.by_id(ctx.store, sale["customer_id"]).email
    to = _address(to)
    lines = render_text(printing.build(ctx.store, "sale", sale_id), 48)
    subject = _("Your receipt n° {number} — {shop}").format(number=sale["number"], shop=_shop(ctx.store))
    return _queue(ctx, "receipt", to, subject, "\n".join(lines) + "\n", sale["customer_id"])


def queue_statement(ctx: Context, customer_id: int, date_from: str | None = None, date_to: str | None = None,
                    to: str | None = None) -> int:
    """The statement of account as a one-page PDF attachment, with its figures in the text."""
    from pos_tui.services import accounts

    ctx.require(Right.EXPORT_DATA)
    stmt = accounts.statement(ctx, customer_id, date_from, date_to)
    to = _address(to or stmt.email)
    pdf = accounts.statement_pdf(stmt, _shop(ctx.store), ctx.store.now())
    loc = locale()
    body = _("Hello,\n\nPlease find attached your statement of account from {start} to {end}.\n"
             "Opening balance: {opening}\nClosing balance: {closing}\n\n{shop}\n").format(
        start=stmt.date_from, end=stmt.date_to, opening=format_money(stmt.opening, loc),
        closing=format_money(stmt.closing, loc), shop=_shop(ctx.store))
    subject = _("Statement of account {start} – {end} — {shop}").format(start=stmt.date_from, end=stmt.date_to,
                                                                       shop=_shop(ctx.store))
    return _queue(ctx, "statement", to, subject, body, customer_id,
                  (f"statement-{stmt.date_from}-{stmt.date_to}.pdf", pdf))


@dataclass(frozen=True)
class Reminder:
    customer_id: int
    name: str
    email: str
    balance: int
    age_days: int
    body: str


def reminders(ctx: Context, older_than_days: int | None = None) -> list[Reminder]:
    """The reminders that would go out: debts past the threshold whose customer has an e-mail address.

    The manager reads this list and confirms it with ``send_reminders``.
    """
    from pos_tui.services import accounts

    ctx.require(Right.VIEW_CREDIT)
    template = settings.get(ctx.store, REMINDER_TEMPLATE) or DEFAULT_REMINDER
    out = []
    for row in accounts.old_debts(ctx.store, older_than_days):
        if not row["email"]:
            continue
        name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or row["company"]
        body = _fill(template, name=name, amount=format_money(-row["balance"], locale()),
                     since=row["since"][:10], days=row["age_days"], shop=_shop(ctx.store))
        out.append(Reminder(row["id"], name, row["email"], row["balance"], row["age_days"], body))
    return out


def _fill(template: str, **values) -> str:
    """The shop's template with {name}, {amount}, {since}, {days}, {shop}; unknown fields stay as typed."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def set_reminder_template(ctx: Context, template: str) -> None:
    ctx.require(Right.MANAGE_SETTINGS)
    template = (template or "").strip()
    if not template or len(template) > 4000:
        raise PosError("The reminder text must have 1 to 4000 characters.")
    with ctx.store.write():
        settings.put(ctx.store, REMINDER_TEMPLATE, template)
        ctx.journal("setting_changed", key=REMINDER_TEMPLATE, value=len(template))


def send_reminders(ctx: Context, confirmed: list[Reminder]) -> list[int]:
    """Queue the reminders the manager confirmed (the manager right: day closing)."""
    ctx.require(Right.DAY_CLOSING)
    subject = _("Your customer account — {shop}").format(shop=_shop(ctx.store))
    ids = []
    with ctx.store.write():
        for r in confirmed:
            ids.append(email_store.enqueue(ctx.store, kind="reminder", to_addr=r.email, subject=subject, body=r.body,
                                           customer_id=r.customer_id, user_id=ctx.user.id))
        ctx.journal("reminders_queued", customers=[r.customer_id for r in confirmed])
    return ids


def queue(store: Store, limit: int = 100) -> list[dict]:
    """The visible queue, newest first (no bodies, no attachments)."""
    return email_store.listing(store, limit)


def resend(ctx: Context, message_id: int) -> None:
    """Put a failed (or waiting) message back at the head of the queue."""
    with ctx.store.write():
        if not email_store.requeue(ctx.store, message_id, ctx.store.now()):
            raise NotFound("No such e-mail waiting or failed.")
        ctx.journal("email_resend", id=message_id)


# -- sending -----------------------------------------------------------------------------------

def _message(row: dict, settings: SmtpSettings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = row["to_addr"]
    msg["Subject"] = row["subject"]
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1])
    msg.set_content(row["body"])
    if row.get("attachment") is not None:
        msg.add_attachment(bytes(row["attachment"]), maintype="application", subtype="pdf",
                           filename=row["attachment_name"] or "document.pdf")
    return msg


def _deliver(settings: SmtpSettings, msg: EmailMessage) -> None:
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SEND_TIMEOUT_S,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=SEND_TIMEOUT_S)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(msg)


def send_due(store: Store, limit: int = 20) -> dict[str, int]:
    """Try once each message that is due; return how many went out and how many failed.

    Messages are claimed in a short write transaction, so two terminals' workers never send one twice;
    the network is used outside any transaction.
    """
    settings = smtp_settings(store)
    if not settings.configured:
        return {"sent": 0, "failed": 0}
    now = store.clock()
    with store.write():
        rows = email_store.claim_due(store, now.isoformat(timespec="seconds"),
                                     (now - timedelta(minutes=10)).isoformat(timespec="seconds"), limit)
    done = {"sent": 0, "failed": 0}
    for row in rows:
        try:
            _deliver(settings, _message(row, settings))
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            attempts = row["attempts"] + 1
            later = (None if attempts > len(RETRY_DELAYS_MIN) else
                     (store.clock() + timedelta(minutes=RETRY_DELAYS_MIN[attempts - 1])).isoformat(timespec="seconds"))
            reason = " ".join(str(exc).split()) or type(exc).__name__
            with store.write():
                email_store.mark_failed(store, row["id"], reason, later)
            done["failed"] += 1
        else:
            with store.write():
                email_store.mark_sent(store, row["id"], store.now())
            done["sent"] += 1
    return done


class EmailWorker:
    """Sends the queue every ``interval`` seconds in a daemon thread with its own store connection."""

    def __init__(self, db_path: str | Path, interval: float = 30.0, clock=None) -> None:
        self.db_path = str(db_path)
        self.interval = interval
        self.clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="pos-tui-email", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Send now (after a message was queued) instead of at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        kwargs = {"clock": self.clock} if self.clock else {}
        from pos_tui.services.context import open_store

        store = open_store(self.db_path, **kwargs)
        try:
            while not self._stop.is_set():
                try:
                    send_due(store)
                    self.last_error = None
                except Exception as exc:  # a busy or broken store: try again at the next tick, never crash the app
                    self.last_error = str(exc)
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            store.close()
