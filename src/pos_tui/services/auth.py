"""Logins, users, rights, lockout (SPEC §2)."""

from __future__ import annotations

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import PRESETS, Right, format_rights
from pos_tui.domain.users import MAX_FAILED_PINS, User, check_pin, hash_pin, validate_pin, validate_user_name
from pos_tui.services.context import Context
from pos_tui.store import users as users_store
from pos_tui.store.db import Store


def list_users(store: Store) -> list[User]:
    return users_store.list_active(store)


def login(store: Store, name: str, pin: str, terminal: int = 1) -> User:
    """Check a PIN. Five misses lock the user (kept in the database) until a manager unlocks it."""
    found = users_store.by_name(store, name or "")
    if found is None:
        with store.write():
            store.journal("login_unknown_user", None, terminal, name=(name or "")[:40])
        raise NotFound("Unknown user {name!r}.", name=(name or "").strip())
    user, pin_hash = found
    if user.locked:
        raise PosError("{name} is locked after too many wrong PINs: a manager must unlock it.", name=user.name)
    ok = check_pin(pin or "", pin_hash)
    with store.write():
        # Re-read inside the write lock: another terminal may have counted a miss meanwhile.
        current = users_store.by_id(store, user.id)
        if ok:
            if current.failed_pins:
                users_store.set_failed(store, user.id, 0, False)
            store.journal("login", user.id, terminal)
            return users_store.by_id(store, user.id)
        failed = current.failed_pins + 1
        locked = failed >= MAX_FAILED_PINS
        users_store.set_failed(store, user.id, failed, locked)
        store.journal("pin_failed", user.id, terminal, failed=failed, locked=locked)
    if locked:
        raise PosError("Wrong PIN. {name} is now locked: a manager must unlock it.", name=user.name)
    raise PosError("Wrong PIN ({left} tries left).", left=MAX_FAILED_PINS - failed)


def create_first_manager(store: Store, name: str, pin: str, terminal: int = 1) -> User:
    """Create the store's first manager; refused once any user exists."""
    name, pin = validate_user_name(name), validate_pin(pin)
    with store.write():
        if users_store.count(store):
            raise PosError("This store already has users; log in as a manager to add more.")
        user_id = users_store.insert(store, name, hash_pin(pin), "manager", format_rights(PRESETS["manager"]))
        store.journal("user_created", user_id, terminal, name=name, role="manager")
    return users_store.by_id(store, user_id)


def create_user(ctx: Context, name: str, pin: str, role: str) -> User:
    ctx.require(Right.MANAGE_USERS)
    name, pin = validate_user_name(name), validate_pin(pin)
    if role not in PRESETS:
        raise PosError("Unknown role {role!r} (cashier or manager).", role=role)
    with ctx.store.write():
        if users_store.by_name(ctx.store, name):
            raise PosError("A user named {name!r} already exists.", name=name)
        user_id = users_store.insert(ctx.store, name, hash_pin(pin), role, format_rights(PRESETS[role]))
        ctx.journal("user_created", name=name, role=role)
    return users_store.by_id(ctx.store, user_id)


def set_rights(ctx: Context, user_id: int, rights: set[Right], role: str = "custom") -> User:
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = users_store.by_id(ctx.store, user_id)
        if target is None:
            raise NotFound("Unknown user.")
        users_store.set_rights(ctx.store, user_id, role, format_rights(rights))
        ctx.journal("rights_changed", target=user_id, rights=format_rights(rights), role=role)
    return users_store.by_id(ctx.store, user_id)


def unlock(ctx: Context, user_id: int) -> User:
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = users_store.by_id(ctx.store, user_id)
        if target is None:
            raise NotFound("Unknown user.")
        users_store.set_failed(ctx.store, user_id, 0, False)
        ctx.journal("user_unlocked", target=user_id)
    return users_store.by_id(ctx.store, user_id)
