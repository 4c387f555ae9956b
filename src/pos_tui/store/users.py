"""Users table."""

from __future__ import annotations

from pos_tui.domain.rights import parse_rights
from pos_tui.domain.users import User
from pos_tui.store.db import Store


def _user(row: dict) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], rights=parse_rights(row["rights"]),
                failed_pins=row["failed_pins"], locked=bool(row["locked"]))


def list_active(store: Store) -> list[User]:
    return [_user(r) for r in store.query("SELECT * FROM users WHERE active = 1 ORDER BY lower(name)")]


def by_name(store: Store, name: str) -> tuple[User, str] | None:
    row = store.one("SELECT * FROM users WHERE lower(name) = lower(?) AND active = 1", (name.strip(),))
    return (_user(row), row["pin_hash"]) if row else None


def by_id(store: Store, user_id: int) -> User | None:
    row = store.one("SELECT * FROM users WHERE id = ?", (user_id,))
    return _user(row) if row else None


def name_of(store: Store, user_id: int | None) -> str | None:
    return store.scalar("SELECT name FROM users WHERE id = ?", (user_id,))


def insert(store: Store, name: str, pin_hash: str, role: str, rights: str) -> int:
    return store.insert_id(
        "INSERT INTO users(name, pin_hash, role, rights, created_at) VALUES (?, ?, ?, ?, ?)",
        (name, pin_hash, role, rights, store.now()),
    )


def set_failed(store: Store, user_id: int, failed: int, locked: bool) -> None:
    """Set the misses (an unlock also forgets checks a crashed terminal left counted)."""
    store.conn.execute("UPDATE users SET failed_pins = ?, locked = ?, pins_checking = 0 WHERE id = ?",
                     (failed, int(locked), user_id))


def pin_counts(store: Store, user_id: int) -> tuple[int, int, bool]:
    """(misses, PIN checks in progress, locked) of a user, read inside the caller's transaction."""
    row = store.conn.execute("SELECT failed_pins, pins_checking, locked FROM users WHERE id = ?",
                             (user_id,)).fetchone()
    return row[0], row[1], bool(row[2])


def begin_pin_check(store: Store, user_id: int) -> None:
    store.conn.execute("UPDATE users SET pins_checking = pins_checking + 1 WHERE id = ?", (user_id,))


def end_pin_check(store: Store, user_id: int, failed: int, locked: bool) -> None:
    store.conn.execute("UPDATE users SET pins_checking = CASE WHEN pins_checking > 0 THEN pins_checking - 1 ELSE 0 END, failed_pins = ?, locked = ?"
                     " WHERE id = ?", (failed, int(locked), user_id))


def set_rights(store: Store, user_id: int, role: str, rights: str) -> None:
    store.conn.execute("UPDATE users SET role = ?, rights = ? WHERE id = ?", (role, rights, user_id))


def count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM users WHERE active = 1")


def list_all(store: Store) -> list[dict]:
    """Every user, active or not, with the time of their last login (from the journal)."""
    return store.query(
        "SELECT u.id, u.name, u.role, u.rights, u.locked, u.failed_pins, u.active,"
        " (SELECT max(j.created_at) FROM journal j WHERE j.kind = 'login' AND j.user_id = u.id) AS last_login"
        " FROM users u ORDER BY u.active DESC, lower(u.name)")


def any_by_name(store: Store, name: str) -> dict | None:
    """A user by name, active or not (the staff screen and ``pos-tui users`` reach deactivated ones too)."""
    return store.one("SELECT * FROM users WHERE lower(name) = lower(?)", ((name or "").strip(),))


def row_by_id(store: Store, user_id: int) -> dict | None:
    return store.one("SELECT * FROM users WHERE id = ?", (user_id,))


def set_pin_hash(store: Store, user_id: int, pin_hash: str) -> None:
    """A new PIN also forgets the misses and the lock: whoever set it handed it over."""
    store.conn.execute("UPDATE users SET pin_hash = ?, failed_pins = 0, locked = 0, pins_checking = 0 WHERE id = ?",
                     (pin_hash, user_id))


def set_active(store: Store, user_id: int, active: bool) -> None:
    store.conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))


def active_rows(store: Store) -> list[dict]:
    return store.query("SELECT id, role, rights FROM users WHERE active = 1")
