"""Stateful property test of customer credit (SPEC §4).

Random sequences of top-ups, refunds, debt-limit changes, policy toggles and
idempotent retries, checked against a small model after every step:

* the cached ``customers.balance`` == sum of the ledger == the latest ``balance_after``;
* a negative entry never takes the balance below the floor in force when it was written
  (minus the debt limit, or 0 when negative balances are forbidden);
* ledger rows are never removed nor changed;
* a refused action writes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from helpers_core import make_customer, make_store
from pos_tui.domain.credit import DebtLimitExceeded
from pos_tui.domain.errors import PosError
from pos_tui.services import credit
from pos_tui.services import settings as shop_settings

CUSTOMERS = st.integers(0, 1)
AMOUNTS = st.one_of(st.sampled_from([0, -1, 1, -100]), st.integers(-2000, 6000))
METHODS = st.sampled_from(["ESP", "CB", "CHQ", "CRED"])


@dataclass(frozen=True)
class Keyed:
    """What an idempotency key was first used for."""

    customer: int  # index into the machine's customers
    kind: str  # "top_up" or "refund"
    amount: int  # the positive amount passed to the service
    method: str
    entry_id: int
    balance_after: int


class CreditMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="pos-tui-sm-"))
        self.store, self.manager, _cashier = make_store(self.folder)
        self.ids = [make_customer(self.manager, "Hélène", "Dubois").id,
                    make_customer(self.manager, "Paul", "Durand").id]
        # the model
        self.balance = [0, 0]
        self.limit = [0, 0]
        self.forbid_entries = False
        self.forbid_balance = False
        self.rows: list[dict] = []  # every ledger row ever written, as first read
        self.keys: dict[str, Keyed] = {}
        self.key_counter = 0

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------
    def floor(self, c: int) -> int:
        return 0 if self.forbid_balance else -self.limit[c]

    def snapshot(self) -> tuple:
        store = self.store
        return (
            store.scalar("SELECT count(*) FROM credit_ledger"),
            store.scalar("SELECT max(id) FROM credit_ledger"),
            tuple(store.query("SELECT id, balance, debt_limit FROM customers ORDER BY id")),
        )

    def new_key(self, use_key: bool) -> str | None:
        if not use_key:
            return None
        self.key_counter += 1
        return f"op-{self.key_counter}"

    def record(self, result, c: int, kind: str, amount: int, method: str, key: str | None) -> None:
        signed = amount if kind == "top_up" else -amount
        old = self.balance[c]
        entry = result.entry
        assert not result.replayed
        assert (result.old_balance, result.new_balance) == (old, old + signed)
        assert (entry.customer_id, entry.kind.value, entry.amount, entry.method) == (self.ids[c], kind, signed, method)
        assert entry.balance_after == old + signed
        assert entry.user_id == self.manager.user.id
        if signed < 0:
            # the limit in force at the moment of this write
            assert entry.balance_after >= self.floor(c), (entry, self.limit[c], self.forbid_balance)
        else:
            assert entry.balance_after > old
        self.balance[c] = old + signed
        self.rows.append(self.store.one("SELECT * FROM credit_ledger WHERE id = ?", (entry.id,)))
        if key:
            self.keys[key] = Keyed(c, kind, amount, method, entry.id, entry.balance_after)

    def refused(self, before: tuple, exc: PosError) -> None:
        assert isinstance(exc, PosError)
        assert self.snapshot() == before, "a refused action wrote something"

    # -- rules ---------------------------------------------------------------------------
    @rule(c=CUSTOMERS, amount=AMOUNTS, method=METHODS, use_key=st.booleans())
    def top_up(self, c, amount, method, use_key):
        key = self.new_key(use_key)
        expected_ok = amount > 0 and method != "CRED"
        before = self.snapshot()
        try:
            result = credit.top_up(self.manager, self.ids[c], amount, method, idempotency_key=key)
        except PosError as exc:
            self.refused(before, exc)
            assert not expected_ok, f"top-up of {amount} by {method} refused: {exc}"
            return
        assert expected_ok, f"top-up of {amount} by {method} accepted"
        self.record(result, c, "top_up", amount, method, key)

    @rule(c=CUSTOMERS, amount=AMOUNTS, method=METHODS, use_key=st.booleans())
    def refund(self, c, amount, method, use_key):
        key = self.new_key(use_key)
        valid = not self.forbid_entries and amount > 0 and method != "CRED"
        within = self.balance[c] - amount >= self.floor(c)
        before = self.snapshot()
        try:
            result = credit.refund(self.manager, self.ids[c], amount, method, idempotency_key=key)
        except DebtLimitExceeded as exc:
            self.refused(before, exc)
            assert valid and not within, f"refund of {amount} by {method} refused for the limit"
            assert exc.floor == self.floor(c)
            assert exc.shortfall == self.floor(c) - (self.balance[c] - amount) > 0
            return
        except PosError as exc:
            self.refused(before, exc)
            assert not valid, f"refund of {amount} by {method} refused: {exc}"
            return
        assert valid and within, f"refund of {amount} by {method} accepted from {self.balance[c]}"
        self.record(result, c, "refund", amount, method, key)

    @rule(c=CUSTOMERS, cents=st.one_of(st.sampled_from([0, -1]), st.integers(-500, 8000)))
    def set_debt_limit(self, c, cents):
        before = self.snapshot()
        try:
            shop_settings.set_customer_debt_limit(self.manager, self.ids[c], cents)
        except PosError as exc:
            self.refused(before, exc)
            assert cents < 0
            return
        assert cents >= 0
        self.limit[c] = cents
        assert credit.status(self.manager, self.ids[c]).debt_limit == cents

    @rule(which=st.sampled_from(["entries", "balance"]))
    def toggle_policy(self, which):
        if which == "entries":
            self.forbid_entries = not self.forbid_entries
            policy = shop_settings.set_credit_policy(self.manager, forbid_negative_entries=self.forbid_entries)
        else:
            self.forbid_balance = not self.forbid_balance
            policy = shop_settings.set_credit_policy(self.manager, forbid_negative_balance=self.forbid_balance)
        assert (policy.forbid_negative_entries, policy.forbid_negative_balance) == (
            self.forbid_entries, self.forbid_balance)

    @precondition(lambda self: self.keys)
    @rule(data=st.data(), change=st.sampled_from(["same", "amount", "method", "customer", "kind"]))
    def retry_key(self, data, change):
        key = data.draw(st.sampled_from(sorted(self.keys)), label="key")
        first = self.keys[key]
        c, kind, amount, method = first.customer, first.kind, first.amount, first.method
        if change == "amount":
            amount += 1
        elif change == "method":
            method = "CHQ" if method != "CHQ" else "ESP"
        elif change == "customer":
            c = 1 - c
        elif change == "kind":
            kind = "refund" if kind == "top_up" else "top_up"
        call = credit.top_up if kind == "top_up" else credit.refund
        before = self.snapshot()
        try:
            result = call(self.manager, self.ids[c], amount, method, idempotency_key=key)
        except PosError as exc:
            self.refused(before, exc)
            assert change != "same", f"retry of {key} refused: {exc}"
            return
        assert change == "same", f"key {key} reused for another operation was accepted"
        assert self.snapshot() == before
        assert result.replayed
        assert result.entry.id == first.entry_id
        assert result.new_balance == first.balance_after

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def balances_agree(self):
        for c, customer_id in enumerate(self.ids):
            cached = self.store.scalar("SELECT balance FROM customers WHERE id = ?", (customer_id,))
            total = self.store.scalar(
                "SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE customer_id = ?", (customer_id,))
            latest = self.store.scalar(
                "SELECT balance_after FROM credit_ledger WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                (customer_id,))
            assert cached == total == self.balance[c]
            assert latest == (cached if latest is not None else None)
            if latest is None:
                assert cached == 0

    @invariant()
    def ledger_rows_never_removed_nor_changed(self):
        stored = self.store.query("SELECT * FROM credit_ledger ORDER BY id")
        assert stored == self.rows

    @invariant()
    def running_balances_chain(self):
        for customer_id in self.ids:
            rows = self.store.query(
                "SELECT amount, balance_after FROM credit_ledger WHERE customer_id = ? ORDER BY id", (customer_id,))
            previous = 0
            for row in rows:
                assert row["balance_after"] == previous + row["amount"]
                previous = row["balance_after"]


CreditMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCreditStateMachine = CreditMachine.TestCase
