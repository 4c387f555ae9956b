"""The e-mail queue: messages waiting for the SMTP server, claimed by one worker at a time."""

from __future__ import annotations

from pos_tui.store.db import Store

_LIST = ("SELECT id, created_at, kind, customer_id, to_addr, subject, attachment_name, status, attempts,"
         " next_try_at, last_error, sent_at FROM email_queue")


def enqueue(store: Store, *, kind: str, to_addr: str, subject: str, body: str, customer_id: int | None,
            user_id: int | None, attachment_name: str | None = None, attachment: bytes | None = None) -> int:
    now = store.now()
    return store.insert_id(
        "INSERT INTO email_queue(created_at, kind, customer_id, user_id, to_addr, subject, body, attachment_name,"
        " attachment, status, attempts, next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)",
        (now, kind, customer_id, user_id, to_addr, subject, body, attachment_name, attachment, now))


def claim_due(store: Store, now: str, stale_before: str, limit: int) -> list[dict]:
    """Messages due now (or left 'sending' by a crashed worker), marked as being sent (inside ``write``)."""
    rows = store.query(
        "SELECT * FROM email_queue WHERE (status = 'queued' AND next_try_at <= ?)"
        " OR (status = 'sending' AND claimed_at < ?) ORDER BY id LIMIT ?", (now, stale_before, limit))
    for row in rows:
        store.conn.execute("UPDATE email_queue SET status = 'sending', claimed_at = ? WHERE id = ?", (now, row["id"]))
    return rows


def mark_sent(store: Store, message_id: int, now: str) -> None:
    store.conn.execute("UPDATE email_queue SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL,"
                     " claimed_at = NULL WHERE id = ?", (now, message_id))


def mark_failed(store: Store, message_id: int, error: str, next_try_at: str | None) -> None:
    """Count the attempt; retry at ``next_try_at``, or give up ('failed') when it is None."""
    store.conn.execute(
        "UPDATE email_queue SET status = ?, attempts = attempts + 1, last_error = ?, next_try_at = coalesce(?, next_try_at),"
        " claimed_at = NULL WHERE id = ?", ("queued" if next_try_at else "failed", error[:300], next_try_at, message_id))


def requeue(store: Store, message_id: int, now: str) -> bool:
    cur = store.conn.execute("UPDATE email_queue SET status = 'queued', next_try_at = ?, claimed_at = NULL"
                           " WHERE id = ? AND status IN ('queued', 'failed')", (now, message_id))
    return cur.rowcount == 1


def listing(store: Store, limit: int = 100) -> list[dict]:
    return store.query(_LIST + " ORDER BY id DESC LIMIT ?", (limit,))


def by_id(store: Store, message_id: int) -> dict | None:
    return store.one("SELECT * FROM email_queue WHERE id = ?", (message_id,))


def counts(store: Store) -> dict[str, int]:
    return {r["status"]: r["n"] for r in store.query("SELECT status, count(*) AS n FROM email_queue GROUP BY status")}
