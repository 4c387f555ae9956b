"""Logins, users, rights, lockout (SPEC §2)."""

from __future__ import annotations

import time
from dataclasses import replace

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import PRESETS, Right, format_rights
from pos_tui.domain.users import (
    MANAGER_MIN_PIN,
    MAX_FAILED_PINS,
    User,
    check_pin,
    hash_pin,
    is_manager,
    validate_pin,
    validate_user_name,
)
from pos_tui.i18n import ngettext_lazy
from pos_tui.services.context import Context
from pos_tui.store import users as users_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import record_staff


def list_users(store: Store) -> list[User]:
    return users_store.list_active(store)


def failure_delay(failed: int) -> float:
    """Seconds a wrong PIN keeps its answer waiting: grows with the misses, short enough for a typo."""
    return min(2.0, 0.25 * failed)


_sleep = time.sleep  # tests make it instant


def login(store: Store, name: str, pin: str, terminal: int = 1) -> User:
    """Check a PIN. Five misses lock the user (kept in the database) until a manager unlocks it.

    The attempt is counted inside the write lock *before* the slow hash is checked, so
    parallel guesses can never check more than five PINs; a success then gives back its own
    count and the misses made before it, never the ones counted meanwhile by others.
    """
    found = users_store.by_name(store, name or "")
    if found is None:
        with store.write():
            store.journal("login_unknown_user", None, terminal, name=(name or "")[:40])
        _sleep(failure_delay(1))
        raise NotFound("Unknown user {name!r}.", name=(name or "").strip())
    user, pin_hash = found
    with store.write():
        failed, checking, locked = users_store.pin_counts(store, user.id)
        if locked or failed + checking >= MAX_FAILED_PINS:
            raise PosError("{name} is locked after too many wrong PINs: a manager must unlock it.", name=user.name)
        users_store.begin_pin_check(store, user.id)
    misses_before = failed
    ok = check_pin(pin or "", pin_hash)
    with store.write():
        failed, _checking, locked = users_store.pin_counts(store, user.id)
        if ok:
            # Forget the misses made before this check, keep those other terminals made meanwhile.
            users_store.end_pin_check(store, user.id, max(0, failed - misses_before), locked)
            if not locked:  # else wrong guesses counted meanwhile locked the user: refused below
                store.journal("login", user.id, terminal)
                logged = users_store.by_id(store, user.id)
                short = is_manager(logged.role, logged.rights) and len(pin) < MANAGER_MIN_PIN
                return replace(logged, pin_change_due=short)
        else:
            failed += 1
            locked = locked or failed >= MAX_FAILED_PINS
            users_store.end_pin_check(store, user.id, failed, locked)
            store.journal("pin_failed", user.id, terminal, failed=failed, locked=locked)
    if ok:
        raise PosError("{name} is locked after too many wrong PINs: a manager must unlock it.", name=user.name)
    _sleep(failure_delay(failed))
    if locked:
        raise PosError("Wrong PIN. {name} is now locked: a manager must unlock it.", name=user.name)
    left = MAX_FAILED_PINS - failed
    raise PosError(ngettext_lazy("Wrong PIN ({left} try left).", "Wrong PIN ({left} tries left).", left), left=left)


def create_first_manager(store: Store, name: str, pin: str, terminal: int = 1, *,
                         short_pin_ok: bool = False) -> User:
    """Create the store's first manager; refused once any user exists.

    ``short_pin_ok`` is for the demo store only, whose documented PINs are 4 digits.
    """
    name, pin = validate_user_name(name), validate_pin(pin, manager=not short_pin_ok)
    with store.write():
        if users_store.count(store):
            raise PosError("This store already has users; log in as a manager to add more.")
        user_id = users_store.insert(store, name, hash_pin(pin), "manager", format_rights(PRESETS["manager"]))
        store.journal("user_created", user_id, terminal, name=name, role="manager")
        record_staff(store, user_id, "created", user_id, terminal)
    return users_store.by_id(store, user_id)


def create_user(ctx: Context, name: str, pin: str, role: str) -> User:
    ctx.require(Right.MANAGE_USERS)
    if role not in PRESETS:
        raise PosError("Unknown role {role!r} (cashier or manager).", role=role)
    name, pin = validate_user_name(name), validate_pin(pin, manager=is_manager(role, PRESETS[role]))
    with ctx.store.write():
        if users_store.by_name(ctx.store, name):
            raise PosError("A user named {name!r} already exists.", name=name)
        user_id = users_store.insert(ctx.store, name, hash_pin(pin), role, format_rights(PRESETS[role]))
        ctx.journal("user_created", name=name, role=role)
        record_staff(ctx.store, user_id, "created", ctx.user.id, ctx.terminal)
    return users_store.by_id(ctx.store, user_id)


def set_rights(ctx: Context, user_id: int, rights: set[Right], role: str = "custom") -> User:
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = users_store.by_id(ctx.store, user_id)
        if target is None:
            raise NotFound("Unknown user.")
        users_store.set_rights(ctx.store, user_id, role, format_rights(rights))
        ctx.journal("rights_changed", target=user_id, rights=format_rights(rights), role=role)
        record_staff(ctx.store, user_id, "rights_changed", ctx.user.id, ctx.terminal)
    return users_store.by_id(ctx.store, user_id)


def unlock(ctx: Context, user_id: int) -> User:
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = users_store.by_id(ctx.store, user_id)
        if target is None:
            raise NotFound("Unknown user.")
        users_store.set_failed(ctx.store, user_id, 0, False)
        ctx.journal("user_unlocked", target=user_id)
        record_staff(ctx.store, user_id, "unlocked", ctx.user.id, ctx.terminal)
    return users_store.by_id(ctx.store, user_id)
