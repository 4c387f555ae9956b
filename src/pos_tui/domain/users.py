"""Users and PINs: slow salted hash, constant-time compare, lockout after 5 misses."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_
from pos_tui.domain.text import clean_text
from pos_tui.domain.rights import Right

MAX_FAILED_PINS = 5
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    rights: frozenset[Right]
    failed_pins: int = 0
    locked: bool = False
    pin_change_due: bool = False  # logged in with a PIN shorter than its role now requires

    def can(self, right: Right) -> bool:
        return right in self.rights


MANAGER_MIN_PIN = 6  # a manager's PIN unlocks overrides and rights: 10^6 guesses, not 10^4
MANAGER_RIGHTS = frozenset({Right.MANAGE_USERS, Right.OVERRIDE_DEBT_LIMIT, Right.MANAGE_SETTINGS})


def is_manager(role: str, rights: frozenset[Right] | set[Right]) -> bool:
    """Whose PIN must be long: the manager role, or anyone holding a right that lets them authorise others."""
    return role == "manager" or bool(MANAGER_RIGHTS & set(rights))


def validate_pin(pin: str, *, manager: bool = False) -> str:
    """A new PIN: 4 to 8 digits, at least 6 for a manager (existing shorter PINs keep working)."""
    if not re.fullmatch(r"[0-9]{4,8}", pin or ""):
        raise PosError("A PIN is 4 to 8 digits.")
    if manager and len(pin) < MANAGER_MIN_PIN:
        raise PosError("A manager's PIN is {n} to 8 digits.", n=MANAGER_MIN_PIN)
    return pin


def validate_user_name(name: str) -> str:
    name = clean_text(name, N_("User name"))
    if not name or len(name) > 40:
        raise PosError("A user name is 1 to 40 characters.")
    return name


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """scrypt(PIN) with a random 16-byte salt, as ``scrypt$n$r$p$salt$hash``."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + f"{salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    """Constant-time comparison of a typed PIN against its stored hash."""
    try:
        algo, n, r, p, salt_hex, digest_hex = stored.split("$")
        if algo != "scrypt":
            return False
        expected = bytes.fromhex(digest_hex)
        digest = hashlib.scrypt(
            (pin or "").encode(), salt=bytes.fromhex(salt_hex), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)
