"""Staff management (issue 11): add, rights, PINs, unlock, deactivate — each journaled, each guarded."""

from __future__ import annotations

import json

import pytest

from helpers_core import CASHIER_NAME, CASHIER_PIN, MANAGER_NAME, MANAGER_PIN, english, make_store  # noqa: F401
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.rights import PRESETS, Right
from pos_tui.services import auth, staff
from pos_tui.services.context import Context


@pytest.fixture
def shop(tmp_path, english):
    return make_store(tmp_path)


def _journal(store, kind):
    return [json.loads(r["detail"]) | {"user_id": r["user_id"]}
            for r in store.query("SELECT user_id, detail FROM journal WHERE kind = ? ORDER BY id", (kind,))]


def _users(store):
    return store.scalar("SELECT count(*) FROM users")


def test_add_cashier_then_log_in_as_them(shop):
    store, manager, _cashier = shop
    user = staff.add_user(manager, "Léa", "2468", "cashier")
    assert user.rights == PRESETS["cashier"]
    assert auth.login(store, "léa", "2468").id == user.id
    entry = _journal(store, "user_created")[-1]
    assert entry["name"] == "Léa" and entry["user_id"] == manager.user.id and entry["role"] == "cashier"
    rows = {r.name: r for r in staff.list_staff(manager)}
    assert rows["Léa"].last_login is not None and rows["Léa"].active


def test_add_refusals_write_nothing(shop):
    store, manager, cashier = shop
    before = _users(store)
    with pytest.raises(RightDenied):
        staff.add_user(cashier, "Léa", "2468")
    with pytest.raises(PosError, match="already exists"):
        staff.add_user(manager, CASHIER_NAME.upper(), "2468")
    with pytest.raises(PosError, match="6 to 8 digits"):
        staff.add_user(manager, "Boss", "2468", "manager")
    with pytest.raises(PosError, match="4 to 8 digits"):
        staff.add_user(manager, "Léa", "24")
    assert _users(store) == before


def test_custom_rights_and_manager_pin_rule(shop):
    _store, manager, _ = shop
    user = staff.add_user(manager, "Léa", "2468", "cashier", {Right.VIEW_CREDIT, Right.RETURNS})
    assert user.role == "custom" and user.rights == {Right.VIEW_CREDIT, Right.RETURNS}
    with pytest.raises(PosError, match="6 to 8 digits"):  # may authorise others: long PIN
        staff.add_user(manager, "Jo", "2468", "cashier", {Right.MANAGE_USERS})


def test_set_rights_journals_before_and_after(shop):
    store, manager, cashier = shop
    staff.set_rights(manager, cashier.user.id, PRESETS["cashier"] | {Right.RETURNS})
    entry = _journal(store, "rights_changed")[-1]
    assert entry["before"]["role"] == "cashier" and "returns" in entry["after"]["rights"]
    assert entry["after"]["role"] == "custom"
    staff.set_rights(manager, cashier.user.id, PRESETS["manager"])
    assert store.scalar("SELECT role FROM users WHERE id = ?", (cashier.user.id,)) == "manager"


def test_cannot_remove_own_manage_users_right(shop):
    store, manager, _ = shop
    second = staff.add_user(manager, "Bruno", "246810", "manager")
    with pytest.raises(PosError, match="your own right to manage users"):
        staff.set_rights(manager, manager.user.id, PRESETS["cashier"])
    assert "manage_users" in store.scalar("SELECT rights FROM users WHERE id = ?", (manager.user.id,))
    staff.set_rights(Context(store, second), manager.user.id, PRESETS["cashier"])  # another manager may
    assert "manage_users" not in store.scalar("SELECT rights FROM users WHERE id = ?", (manager.user.id,))


def test_s11_refuse_to_deactivate_the_last_manager(shop):
    store, manager, cashier = shop
    with pytest.raises(PosError, match="last active manager"):
        staff.set_active(manager, manager.user.id, False)
    with pytest.raises(PosError, match="last active user who can manage users"):
        staff.set_rights(manager, manager.user.id, PRESETS["cashier"])
    with pytest.raises(RightDenied):
        staff.set_active(cashier, manager.user.id, False)
    second = staff.add_user(manager, "Bruno", "246810", "manager")
    with pytest.raises(PosError, match="yourself"):
        staff.set_active(manager, manager.user.id, False)
    staff.set_active(Context(store, second), manager.user.id, False)  # another manager remains: allowed
    assert store.scalar("SELECT active FROM users WHERE id = ?", (manager.user.id,)) == 0
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'user_deactivated'") == 1


def test_deactivated_user_cannot_log_in_and_name_stays_taken(shop):
    store, manager, cashier = shop
    staff.set_active(manager, cashier.user.id, False)
    with pytest.raises(PosError, match="Unknown user"):
        auth.login(store, CASHIER_NAME, CASHIER_PIN)
    with pytest.raises(PosError, match="already exists"):
        staff.add_user(manager, CASHIER_NAME, "1111")
    staff.set_active(manager, cashier.user.id, True)
    assert auth.login(store, CASHIER_NAME, CASHIER_PIN).id == cashier.user.id
    kinds = [r["kind"] for r in store.query("SELECT kind FROM journal WHERE kind LIKE 'user_%activated' ORDER BY id")]
    assert kinds == ["user_deactivated", "user_activated"]


def test_unlock_and_reset_pin(shop, monkeypatch):
    store, manager, cashier = shop
    monkeypatch.setattr(auth, "_sleep", lambda s: None)
    for _ in range(5):
        with pytest.raises(PosError):
            auth.login(store, CASHIER_NAME, "0000")
    with pytest.raises(PosError, match="locked"):
        auth.login(store, CASHIER_NAME, CASHIER_PIN)
    staff.unlock(manager, cashier.user.id)
    assert auth.login(store, CASHIER_NAME, CASHIER_PIN)
    entry = _journal(store, "user_unlocked")[-1]
    assert entry["before"]["locked"] is True and entry["after"]["locked"] is False
    staff.reset_pin(manager, cashier.user.id, "9753")
    with pytest.raises(PosError, match="Wrong PIN"):
        auth.login(store, CASHIER_NAME, CASHIER_PIN)
    assert auth.login(store, CASHIER_NAME, "9753")
    with pytest.raises(RightDenied):
        staff.reset_pin(cashier, manager.user.id, "111111")
    staff.reset_pin(cashier, cashier.user.id, "8642")  # one's own PIN needs no right
    assert [e["name"] for e in _journal(store, "pin_changed")] == [CASHIER_NAME]


def test_recovery_context_unlocks_with_the_key_only(shop, monkeypatch):
    store, manager, _ = shop
    monkeypatch.setattr(auth, "_sleep", lambda s: None)
    for _ in range(5):
        with pytest.raises(PosError):
            auth.login(store, MANAGER_NAME, "000000")
    rescue = staff.recovery_context(store)
    staff.unlock(rescue, manager.user.id)
    assert auth.login(store, MANAGER_NAME, MANAGER_PIN)
    entry = _journal(store, "user_unlocked")[-1]
    assert entry["user_id"] is None and entry["via"] == "signing key"
    with pytest.raises(RightDenied):
        staff.add_user(rescue, "Intrus", "123456", "manager")
    with pytest.raises(RightDenied):
        staff.set_active(rescue, manager.user.id, False)


def test_recovery_refused_without_readable_key(shop, monkeypatch, tmp_path):
    store, _manager, _ = shop
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    monkeypatch.setenv("POS_TUI_KEY_FILE", str(bad))
    with pytest.raises(PosError, match="signing key"):
        staff.recovery_context(store)
