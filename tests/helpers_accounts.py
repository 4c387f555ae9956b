"""Helpers for the customer-account tests (issue 16); module-level so 'spawn' children can import them."""

from __future__ import annotations


def card_spend_worker(db_path: str, user_id: int, card_code: str, amount: int, attempts: int, barrier,
                      results) -> None:
    """One terminal: scan an extra card, then try ``attempts`` CRED sales of ``amount`` each."""
    from pos_tui.domain.cards import CardLimitExceeded
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.credit import DebtLimitExceeded
    from pos_tui.domain.errors import PosError
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout
    from pos_tui.services.context import Context
    from pos_tui.services.context import open_store
    from pos_tui.store import users as users_store

    store = open_store(db_path)
    outcomes = []
    try:
        ctx = Context(store, users_store.by_id(store, user_id), terminal=20 + len(card_code))
        scanned = checkout.scan(store, card_code)
        barrier.wait(timeout=30)
        for _ in range(attempts):
            cart = Cart(customer_id=scanned.customer.id, card_id=scanned.card.id)
            cart.add_free("Repas", amount, 1000)
            try:
                checkout.close_sale(ctx, cart, [Tender("CRED", amount)])
            except CardLimitExceeded:
                outcomes.append("card_limit")
            except DebtLimitExceeded:
                outcomes.append("debt_limit")
            except PosError as exc:
                outcomes.append("error: " + exc.template)
            else:
                outcomes.append("ok")
    except Exception as exc:  # reported, so a broken store fails the test fast and readably
        outcomes.append(f"crash: {type(exc).__name__}: {exc}")
    finally:
        results.put((card_code, outcomes))
        store.close()
