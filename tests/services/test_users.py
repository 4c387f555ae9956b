"""Users, PINs, rights and lockout (SPEC §2)."""

from __future__ import annotations

import json

import pytest

from helpers_core import CASHIER_NAME, CASHIER_PIN, MANAGER_NAME, MANAGER_PIN, make_store
from pos_tui.domain.errors import NotFound, PosError, RightDenied
from pos_tui.domain.rights import PRESETS, Right, format_rights, parse_rights, require
from pos_tui.domain.users import MAX_FAILED_PINS, check_pin, hash_pin, validate_pin, validate_user_name
from pos_tui.services import auth
from pos_tui.services.context import Context
from pos_tui.store import Store
from pos_tui.store import users as users_store


# -- PIN hashing ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def stored_hash():
    return hash_pin("4321")


def test_hash_is_salted_and_slow_kind(stored_hash):
    other = hash_pin("4321")
    assert stored_hash != other  # a new random salt each time
    assert stored_hash.startswith("scrypt$16384$8$1$")
    assert "4321" not in stored_hash
    algo, n, r, p, salt, digest = stored_hash.split("$")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32


def test_same_salt_same_hash():
    salt = bytes(range(16))
    assert hash_pin("1234", salt) == hash_pin("1234", salt)
    assert hash_pin("1234", salt) != hash_pin("1235", salt)


def test_check_pin(stored_hash):
    assert check_pin("4321", stored_hash) is True
    assert check_pin("4322", stored_hash) is False
    assert check_pin("", stored_hash) is False
    assert check_pin(None, stored_hash) is False


@pytest.mark.parametrize(
    "mangle",
    [
        lambda h: "",
        lambda h: "garbage",
        lambda h: h.replace("scrypt", "bcrypt", 1),
        lambda h: h + "$extra",
        lambda h: "$".join(h.split("$")[:5] + ["zz-not-hex"]),  # bad digest
        lambda h: "$".join(h.split("$")[:4] + ["nothex"] + h.split("$")[5:]),  # bad salt
        lambda h: h.replace("$16384$", "$abc$", 1),  # bad cost
        lambda h: h.replace("$16384$", "$3$", 1),  # scrypt refuses n not a power of 2
        lambda h: h[:-2],  # truncated digest
    ],
)
def test_check_pin_malformed_stored_hash_is_false(stored_hash, mangle):
    assert check_pin("4321", mangle(stored_hash)) is False


@pytest.mark.parametrize("pin", ["1234", "0000", "12345678", "00001"])
def test_validate_pin_ok(pin):
    assert validate_pin(pin) == pin


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", None, " 1234", "12 34", "-1234", "1234\n"])
def test_validate_pin_refused(pin):
    with pytest.raises(PosError):
        validate_pin(pin)


def test_validate_user_name():
    assert validate_user_name("  Ana ") == "Ana"
    for bad in ("", "   ", "x" * 41):
        with pytest.raises(PosError):
            validate_user_name(bad)


def test_rights_presets_and_parsing():
    assert PRESETS["manager"] == frozenset(Right)
    assert PRESETS["cashier"] == {Right.VIEW_CREDIT, Right.PAY_WITH_CREDIT}
    assert Right.ADD_CREDIT not in PRESETS["cashier"] and Right.NEGATIVE_CREDIT not in PRESETS["cashier"]
    assert parse_rights(format_rights(PRESETS["manager"])) == PRESETS["manager"]
    assert parse_rights("") == frozenset()
    with pytest.raises(RightDenied):
        require(PRESETS["cashier"], Right.ADD_CREDIT)
    require(PRESETS["cashier"], Right.VIEW_CREDIT)


# -- logins and lockout -------------------------------------------------------------------

@pytest.fixture
def shop(tmp_path):
    return make_store(tmp_path)


def _journal(store: Store, kind: str) -> list[dict]:
    rows = store.query("SELECT * FROM journal WHERE kind = ? ORDER BY id", (kind,))
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows


def test_login_right_pin(shop):
    store, manager, _ = shop
    user = auth.login(store, MANAGER_NAME.lower(), MANAGER_PIN, terminal=3)  # names are case-insensitive
    assert user.id == manager.user.id and user.role == "manager"
    assert user.rights == PRESETS["manager"]
    logins = _journal(store, "login")
    assert [(r["user_id"], r["terminal"]) for r in logins] == [(user.id, 3)]


def test_wrong_pin_says_tries_left(shop, english):
    store, _m, cashier = shop
    with pytest.raises(PosError) as info:
        auth.login(store, CASHIER_NAME, "0000", terminal=2)
    assert str(info.value) == "Wrong PIN (4 tries left)."
    assert info.value.params["left"] == MAX_FAILED_PINS - 1
    with pytest.raises(PosError) as info:
        auth.login(store, CASHIER_NAME, "0001", terminal=2)
    assert "3 tries left" in str(info.value)
    failed = _journal(store, "pin_failed")
    assert [(r["user_id"], r["terminal"], r["detail"]["failed"]) for r in failed] == [
        (cashier.user.id, 2, 1), (cashier.user.id, 2, 2)]
    assert users_store.by_id(store, cashier.user.id).failed_pins == 2


def test_right_pin_resets_the_count(shop):
    store, _m, cashier = shop
    for _ in range(MAX_FAILED_PINS - 1):
        with pytest.raises(PosError):
            auth.login(store, CASHIER_NAME, "9999")
    assert auth.login(store, CASHIER_NAME, CASHIER_PIN).failed_pins == 0
    assert users_store.by_id(store, cashier.user.id).failed_pins == 0
    # the count starts again: one more miss does not lock
    with pytest.raises(PosError) as info:
        auth.login(store, CASHIER_NAME, "9999")
    assert info.value.params["left"] == MAX_FAILED_PINS - 1
    assert not users_store.by_id(store, cashier.user.id).locked


def test_unknown_user(shop):
    store, _m, _c = shop
    with pytest.raises(NotFound):
        auth.login(store, "Nobody", "1234", terminal=4)
    rows = _journal(store, "login_unknown_user")
    assert len(rows) == 1 and rows[0]["user_id"] is None and rows[0]["terminal"] == 4
    assert rows[0]["detail"]["name"] == "Nobody"


def test_five_wrong_pins_lock_and_lock_survives_restart(shop, english):
    store, manager, cashier = shop
    for attempt in range(1, MAX_FAILED_PINS + 1):
        with pytest.raises(PosError) as info:
            auth.login(store, CASHIER_NAME, "1111")
    assert "locked" in str(info.value)  # the fifth says so
    row = store.one("SELECT failed_pins, locked FROM users WHERE id = ?", (cashier.user.id,))
    assert row == {"failed_pins": MAX_FAILED_PINS, "locked": 1}
    failed = _journal(store, "pin_failed")
    assert len(failed) == MAX_FAILED_PINS
    assert failed[-1]["detail"] == {"failed": MAX_FAILED_PINS, "locked": True}
    assert [r["detail"]["locked"] for r in failed[:-1]] == [False] * (MAX_FAILED_PINS - 1)
    store.close()

    # a restart: a new Store object on the same file
    reopened = store.reopen()
    with pytest.raises(PosError) as info:
        auth.login(reopened, CASHIER_NAME, CASHIER_PIN)  # even the right PIN
    assert "locked" in str(info.value) and "manager" in str(info.value)
    assert users_store.by_id(reopened, cashier.user.id).locked

    # a cashier cannot unlock (here: even themselves, with a context built by hand)
    cashier_ctx = Context(reopened, users_store.by_id(reopened, cashier.user.id))
    with pytest.raises(RightDenied):
        auth.unlock(cashier_ctx, cashier.user.id)
    assert users_store.by_id(reopened, cashier.user.id).locked

    manager_ctx = Context(reopened, users_store.by_id(reopened, manager.user.id), terminal=1)
    unlocked = auth.unlock(manager_ctx, cashier.user.id)
    assert not unlocked.locked and unlocked.failed_pins == 0
    assert auth.login(reopened, CASHIER_NAME, CASHIER_PIN).id == cashier.user.id
    rows = _journal(reopened, "user_unlocked")
    assert len(rows) == 1 and rows[0]["user_id"] == manager.user.id and rows[0]["detail"] == {"target": cashier.user.id}


def test_locked_user_refused_without_counting(shop):
    store, _m, cashier = shop
    with store.write():
        users_store.set_failed(store, cashier.user.id, MAX_FAILED_PINS, True)
    n_journal = store.scalar("SELECT count(*) FROM journal")
    with pytest.raises(PosError):
        auth.login(store, CASHIER_NAME, CASHIER_PIN)
    assert _journal(store, "login") == []
    assert store.scalar("SELECT failed_pins FROM users WHERE id = ?", (cashier.user.id,)) == MAX_FAILED_PINS
    assert store.scalar("SELECT count(*) FROM journal") == n_journal


def test_unlock_unknown_user(shop):
    _store, manager, _c = shop
    with pytest.raises(NotFound):
        auth.unlock(manager, 9999)


# -- user management ------------------------------------------------------------------------

def test_cashier_cannot_create_users(shop):
    store, _m, cashier = shop
    before = store.scalar("SELECT count(*) FROM users")
    with pytest.raises(RightDenied):
        auth.create_user(cashier, "Intruder", "1234", "manager")
    with pytest.raises(RightDenied):
        auth.set_rights(cashier, cashier.user.id, set(Right))
    assert store.scalar("SELECT count(*) FROM users") == before
    assert users_store.by_id(store, cashier.user.id).rights == PRESETS["cashier"]


def test_create_user_checks(shop):
    store, manager, _c = shop
    with pytest.raises(PosError):
        auth.create_user(manager, CASHIER_NAME.upper(), "1234", "cashier")  # duplicate, any case
    with pytest.raises(PosError):
        auth.create_user(manager, "Zoé", "12", "cashier")
    with pytest.raises(PosError):
        auth.create_user(manager, "Zoé", "1234", "boss")
    assert store.scalar("SELECT count(*) FROM users") == 2


def test_created_user_stored_with_hash_and_journal(shop):
    store, manager, cashier = shop
    row = store.one("SELECT * FROM users WHERE id = ?", (cashier.user.id,))
    assert row["role"] == "cashier" and parse_rights(row["rights"]) == PRESETS["cashier"]
    assert row["pin_hash"] != CASHIER_PIN and check_pin(CASHIER_PIN, row["pin_hash"])
    created = _journal(store, "user_created")
    assert [(r["user_id"], r["detail"]["name"], r["detail"]["role"]) for r in created] == [
        (manager.user.id, MANAGER_NAME, "manager"), (manager.user.id, CASHIER_NAME, "cashier")]


def test_set_rights(shop):
    store, manager, cashier = shop
    user = auth.set_rights(manager, cashier.user.id, {Right.VIEW_CREDIT, Right.ADD_CREDIT})
    assert user.rights == {Right.VIEW_CREDIT, Right.ADD_CREDIT} and user.role == "custom"
    rows = _journal(store, "rights_changed")
    assert rows[-1]["detail"]["target"] == cashier.user.id
    assert rows[-1]["detail"]["rights"] == "add_credit,view_credit"
    # a fresh login carries the new rights
    assert auth.login(store, CASHIER_NAME, CASHIER_PIN).rights == {Right.VIEW_CREDIT, Right.ADD_CREDIT}
    with pytest.raises(NotFound):
        auth.set_rights(manager, 9999, set())


def test_create_first_manager_refused_when_users_exist(shop):
    store, _m, _c = shop
    with pytest.raises(PosError):
        auth.create_first_manager(store, "Another", "987654")
    assert store.scalar("SELECT count(*) FROM users") == 2
    assert _journal(store, "user_created")[-1]["detail"]["name"] == CASHIER_NAME


def test_create_first_manager_on_empty_store(tmp_path):
    store = Store(tmp_path / "new.db")
    with pytest.raises(PosError):
        auth.create_first_manager(store, "Boss", "12")  # invalid PIN: nothing created
    assert store.scalar("SELECT count(*) FROM users") == 0
    boss = auth.create_first_manager(store, "Boss", "246801")
    assert boss.role == "manager" and boss.rights == PRESETS["manager"]
    assert [u.name for u in auth.list_users(store)] == ["Boss"]
