"""The staff screen and ``pos-tui users``: add, rights, PINs, unlock, deactivate (SPEC §2).

Users are never deleted (sales and the journal point at them). Every change is journaled
with who did it and the value before and after. Two guards keep the shop manageable: nobody
removes their own "manage users" right, and the last active user holding it cannot be
deactivated or lose it.

Recovery (every manager locked or forgotten): whoever can read the shop's signing key file
proves they own the shop machine; ``recovery_context`` gives them a context that may only
unlock a user or reset a PIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import PRESETS, Right, format_rights, parse_rights
from pos_tui.domain.users import User, hash_pin, is_manager, validate_pin, validate_user_name
from pos_tui.services.context import Context
from pos_tui.store import users as users_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import record_staff

ROLES = ("cashier", "manager", "custom")


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: str
    rights: frozenset[Right]
    locked: bool
    active: bool
    last_login: str | None  # ISO time, None if never


def _row(r: dict) -> StaffRow:
    return StaffRow(r["id"], r["name"], r["role"], parse_rights(r["rights"]), bool(r["locked"]), bool(r["active"]),
                    r["last_login"])


def list_staff(ctx: Context) -> list[StaffRow]:
    ctx.require(Right.MANAGE_USERS)
    return [_row(r) for r in users_store.list_all(ctx.store)]


def find(ctx: Context, name: str) -> StaffRow:
    """A user by name, active or not."""
    for row in list_staff(ctx):
        if row.name.casefold() == (name or "").strip().casefold():
            return row
    raise NotFound("Unknown user {name!r}.", name=(name or "").strip())


def _target(store: Store, user_id: int) -> dict:
    row = users_store.row_by_id(store, user_id)
    if row is None:
        raise NotFound("Unknown user.")
    return row


def _user_managers(store: Store, *, without: int | None = None, rights_of: tuple[int, frozenset] | None = None) -> int:
    """Active users holding "manage users", as they would be after the change described."""
    n = 0
    for r in users_store.active_rows(store):
        if r["id"] == without:
            continue
        rights = rights_of[1] if rights_of and r["id"] == rights_of[0] else parse_rights(r["rights"])
        n += Right.MANAGE_USERS in rights
    return n


def add_user(ctx: Context, name: str, pin: str, role: str = "cashier", rights: set[Right] | None = None) -> User:
    """A new user from a preset (cashier, manager), optionally with hand-picked rights."""
    ctx.require(Right.MANAGE_USERS)
    if role not in PRESETS and not (role == "custom" and rights is not None):
        raise PosError("Unknown role {role!r} (cashier or manager).", role=role)
    chosen = frozenset(rights) if rights is not None else PRESETS[role]
    if rights is not None and role in PRESETS and chosen != PRESETS[role]:
        role = "custom"
    name = validate_user_name(name)
    pin = validate_pin(pin, manager=is_manager(role, chosen))
    pin_hash = hash_pin(pin)  # slow: outside the write lock
    with ctx.store.write():
        if users_store.any_by_name(ctx.store, name):
            raise PosError("A user named {name!r} already exists.", name=name)
        user_id = users_store.insert(ctx.store, name, pin_hash, role, format_rights(chosen))
        ctx.journal("user_created", target=user_id, name=name, role=role, rights=format_rights(chosen))
        _sign(ctx, user_id, "created")
    return users_store.by_id(ctx.store, user_id)


def set_rights(ctx: Context, user_id: int, rights: set[Right], role: str | None = None) -> User:
    """Give or take rights. The role follows: a preset's name when the rights equal it, else custom."""
    ctx.require(Right.MANAGE_USERS)
    rights = frozenset(rights)
    if role is None or role not in PRESETS or PRESETS[role] != rights:
        role = next((name for name, preset in PRESETS.items() if preset == rights), "custom")
    with ctx.store.write():
        target = _target(ctx.store, user_id)
        before = parse_rights(target["rights"])
        if (target["active"] and Right.MANAGE_USERS in before and Right.MANAGE_USERS not in rights
                and _user_managers(ctx.store, rights_of=(user_id, rights)) == 0):
            raise PosError("{name} is the last active user who can manage users.", name=target["name"])
        if user_id == ctx.user.id and Right.MANAGE_USERS in before and Right.MANAGE_USERS not in rights:
            raise PosError("You cannot take away your own right to manage users: another manager must do it.")
        users_store.set_rights(ctx.store, user_id, role, format_rights(rights))
        ctx.journal("rights_changed", target=user_id, name=target["name"],
                    before={"role": target["role"], "rights": target["rights"]},
                    after={"role": role, "rights": format_rights(rights)})
        _sign(ctx, user_id, "rights_changed")
    return users_store.by_id(ctx.store, user_id)


def reset_pin(ctx: Context, user_id: int, pin: str) -> User:
    """A manager (or the recovery context) gives a user a new PIN; it also unlocks them."""
    if not getattr(ctx, "recovery", False) and user_id != ctx.user.id:
        ctx.require(Right.MANAGE_USERS)
    target = _target(ctx.store, user_id)
    pin = validate_pin(pin, manager=is_manager(target["role"], parse_rights(target["rights"])))
    pin_hash = hash_pin(pin)
    with ctx.store.write():
        target = _target(ctx.store, user_id)
        users_store.set_pin_hash(ctx.store, user_id, pin_hash)
        kind = "pin_changed" if user_id == ctx.user.id and not getattr(ctx, "recovery", False) else "pin_reset"
        ctx.journal(kind, target=user_id, name=target["name"],
                    before={"locked": bool(target["locked"]), "failed_pins": target["failed_pins"]},
                    after={"locked": False, "failed_pins": 0}, **_how(ctx))
        _sign(ctx, user_id, kind)
    return users_store.by_id(ctx.store, user_id)


def unlock(ctx: Context, user_id: int) -> User:
    if not getattr(ctx, "recovery", False):
        ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = _target(ctx.store, user_id)
        users_store.set_failed(ctx.store, user_id, 0, False)
        ctx.journal("user_unlocked", target=user_id, name=target["name"],
                    before={"locked": bool(target["locked"]), "failed_pins": target["failed_pins"]},
                    after={"locked": False, "failed_pins": 0}, **_how(ctx))
        _sign(ctx, user_id, "unlocked")
    return users_store.by_id(ctx.store, user_id)


def set_active(ctx: Context, user_id: int, active: bool) -> User:
    """Deactivate (no more logins; their sales keep pointing at them) or reactivate a user."""
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        target = _target(ctx.store, user_id)
        if not active:
            if (target["active"] and Right.MANAGE_USERS in parse_rights(target["rights"])
                    and _user_managers(ctx.store, without=user_id) == 0):
                raise PosError("{name} is the last active manager and cannot be deactivated.", name=target["name"])
            if user_id == ctx.user.id:
                raise PosError("You cannot deactivate yourself: another manager must do it.")
        if bool(target["active"]) != active:
            users_store.set_active(ctx.store, user_id, active)
            ctx.journal("user_activated" if active else "user_deactivated", target=user_id, name=target["name"],
                        before={"active": bool(target["active"])}, after={"active": active})
            _sign(ctx, user_id, "activated" if active else "deactivated")
    return users_store.by_id(ctx.store, user_id)


# -- recovery ---------------------------------------------------------------------------

def _sign(ctx: Context, user_id: int, kind: str) -> None:
    """The user's state after the change as a signed staff record (issue 15); ``verify`` compares them."""
    record_staff(ctx.store, user_id, kind, None if getattr(ctx, "recovery", False) else ctx.user.id, ctx.terminal)


def _how(ctx: Context) -> dict:
    return {"via": "signing key"} if getattr(ctx, "recovery", False) else {}


@dataclass
class RecoveryContext(Context):
    """Acts as nobody (journal user NULL), proved by reading the signing key: unlock and reset a PIN only."""

    recovery: bool = True

    def journal(self, kind: str, **detail: object) -> None:
        self.store.journal(kind, None, self.terminal, **detail)


def recovery_context(store: Store, terminal: int = 1) -> RecoveryContext:
    """Refused unless this process can read the shop's signing key (made now if nothing was signed yet)."""
    from pos_tui.store.integrity import load_key

    try:
        load_key(store)
    except PosError as exc:
        raise PosError("Recovery needs the shop's signing key: {reason}", reason=exc.message) from exc
    nobody = User(id=0, name="(signing key)", role="custom", rights=frozenset())
    return RecoveryContext(store, nobody, terminal)


def find_any(store: Store, name: str) -> StaffRow:
    """A user by name for the recovery commands (no login, hence no rights check here)."""
    row = users_store.any_by_name(store, name)
    if row is None:
        raise NotFound("Unknown user {name!r}.", name=(name or "").strip())
    return _row({**row, "last_login": None})
