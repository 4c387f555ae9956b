"""Two terminals (two OS processes on one SQLite file) never spend the same credit twice (SPEC §4, S13)."""

from __future__ import annotations

import multiprocessing
import queue

from helpers_core import ledger_rows, make_customer, make_store, refund_worker, store_sale_worker
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, credit, stores

ROUNDS = 5


def test_s13_two_processes_cannot_overspend_credit(tmp_path, engine):
    store, manager, _cashier = make_store(tmp_path)
    # Each round starts two processes; PostgreSQL's run repeats the race fewer times (the suite's time).
    rounds = ROUNDS if engine == "sqlite" else 2
    db_path = store.target
    mp = multiprocessing.get_context("spawn")

    for round_no in range(rounds):
        customer = make_customer(manager, "Race", f"Client{round_no}")
        assert customer.debt_limit == 0
        credit.top_up(manager, customer.id, 1000, "CB")

        barrier = mp.Barrier(2)
        results = mp.Queue()
        workers = [
            mp.Process(target=refund_worker,
                       args=(db_path, manager.user.id, customer.id, 800, "ESP", barrier, results))
            for _ in range(2)
        ]
        for w in workers:
            w.start()
        outcomes = []
        try:
            for _ in workers:
                outcomes.append(results.get(timeout=60))
        except queue.Empty:  # pragma: no cover - a worker died: show what happened
            raise AssertionError(f"round {round_no}: a worker gave no answer; got {outcomes}") from None
        finally:
            for w in workers:
                w.join(timeout=30)
                if w.is_alive():  # pragma: no cover
                    w.kill()
        assert all(w.exitcode == 0 for w in workers), [w.exitcode for w in workers]

        ok = [o for o in outcomes if o[0] == "ok"]
        refused = [o for o in outcomes if o[0] == "refused"]
        assert len(ok) == 1 and len(refused) == 1, f"round {round_no}: {outcomes}"
        assert ok[0][2] == 200
        # the loser saw the winner's write: 200 - 800 is 600 below a floor of 0
        assert refused[0][1:] == ("DebtLimitExceeded", 600)

        rows = ledger_rows(store, customer.id)
        assert [(r["kind"], r["amount"], r["method"], r["balance_after"]) for r in rows] == [
            ("top_up", 1000, "CB", 1000), ("refund", -800, "ESP", 200)]
        assert rows[1]["id"] == ok[0][1]
        assert store.scalar("SELECT balance FROM customers WHERE id = ?", (customer.id,)) == 200
        assert credit.status(manager, customer.id).balance == 200

    assert store.scalar("SELECT count(*) FROM credit_ledger WHERE kind = 'refund'") == rounds
    assert store.query(
        "SELECT c.id FROM customers c WHERE c.balance != "
        "(SELECT coalesce(sum(amount), 0) FROM credit_ledger l WHERE l.customer_id = c.id)") == []


def _race(target: str, manager, runs: list[tuple]) -> list[tuple]:
    """Start one till process per (store code, customer, voucher, cents), released together."""
    mp = multiprocessing.get_context("spawn")
    barrier, results = mp.Barrier(len(runs)), mp.Queue()
    workers = [mp.Process(target=store_sale_worker, args=(target, code, manager.user.id, customer, voucher, cents,
                                                            barrier, results)) for code, customer, voucher, cents in runs]
    for w in workers:
        w.start()
    try:
        return sorted(results.get(timeout=90) for _ in workers)
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():  # pragma: no cover
                w.kill()


def test_s18_two_stores_spend_one_balance_at_once_never_overspend(tmp_path):
    """Two tills of two stores (two processes, two connections) pay 800 with the credit of one customer
    holding 1 000, at the same moment: one sale goes through, the other is refused, the balance is 200."""
    store, manager, _cashier = make_store(tmp_path)
    stores.add_store(manager, "PARIS", "Paris Bastille")
    for round_no in range(2):
        customer = make_customer(manager, "Race", f"Stores{round_no}")
        credit.top_up(manager, customer.id, 1000, "CB")
        outcomes = _race(store.target, manager, [("MAIN", customer.id, None, 800), ("PARIS", customer.id, None, 800)])
        assert [o[0] for o in outcomes] == ["ok", "refused"], outcomes
        assert store.scalar("SELECT balance FROM customers WHERE id = ?", (customer.id,)) == 200
        rows = ledger_rows(store, customer.id)
        assert [(r["kind"], r["amount"], r["balance_after"]) for r in rows] == [
            ("top_up", 1000, 1000), ("sale_payment", -800, 200)]
        assert rows[1]["store_id"] == (1 if outcomes[0][1] == "MAIN" else 2)


def test_s18_one_voucher_redeemed_at_once_in_two_stores_is_redeemed_once(tmp_path):
    """A gift voucher sold in MAIN, scanned at the same moment in MAIN and in PARIS: one redemption."""
    store, manager, _cashier = make_store(tmp_path)
    stores.add_store(manager, "PARIS", "Paris Bastille")
    for round_no in range(2):
        cart = Cart()
        cart.add_gift_voucher(3000)
        sold = checkout.close_sale(manager, cart, [Tender("CB", 3000)])
        code = sold.vouchers_issued[0].code
        outcomes = _race(store.target, manager, [("MAIN", None, code, 5000), ("PARIS", None, code, 5000)])
        assert [o[0] for o in outcomes] == ["ok", "refused"], (round_no, outcomes)
        voucher_id = sold.vouchers_issued[0].id
        assert store.scalar("SELECT count(*) FROM voucher_redemptions WHERE voucher_id = ?", (voucher_id,)) == 1
