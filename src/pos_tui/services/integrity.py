"""``pos-tui verify``: the SQLite file, the signature chain and every cached balance, checked together."""

from __future__ import annotations

from typing import Callable

from pos_tui.i18n import _
from pos_tui.store import accounts as accounts_store
from pos_tui.store import anchors
from pos_tui.store import ledger as ledger_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import sqlite_integrity, verify_chain, verify_staff

parse_anchor = anchors.parse_typed  # ``SEQ:FINGERPRINT`` typed from a paper Z


def problems(store: Store, typed_anchors: list[anchors.Anchor] = (), *, quick: bool = False,
             progress: Callable[[int, int], None] | None = None) -> list[str]:
    """What is wrong with the store, one sentence each (empty: all is well): the chain, the anchors (the log
    beside the database and any typed from a paper Z), the signed staff records, the file (skipped when
    ``quick``: SQLite's page-level check takes seconds on a large file), the balances and the totals kept
    from them. ``progress(done, total)`` follows the chain walk."""
    found = verify_chain(store, progress=progress)
    found += anchors.check(store, list(typed_anchors))
    found += verify_staff(store)
    if not quick:
        result = sqlite_integrity(store)
        if result != "ok":
            found.append(_("SQLite integrity check: {result}").format(result=result))
    for row in ledger_store.mismatched_balances(store):
        found.append(
            _("customer {id}: cached balance {balance} but ledger sum {sum}").format(
                id=row["id"], balance=row["balance"], sum=row["ledger_sum"])
        )
    for row in accounts_store.wrong_debt_since(store):
        found.append(_("customer {id}: debt start {kept} but the ledger says {ledger}").format(
            id=row["id"], kept=row["debt_since"], ledger=row["ledger_since"]))
    kept, summed = ledger_store.outstanding(store), ledger_store.outstanding_from_balances(store)
    if kept != summed:
        found.append(_("outstanding credit/debt totals {kept} differ from the balances {summed}").format(
            kept=kept, summed=summed))
    return found
