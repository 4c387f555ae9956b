"""``pos-tui verify``: the SQLite file, the signature chain and every cached balance, checked together."""

from __future__ import annotations

from pos_tui.i18n import _
from pos_tui.store import anchors
from pos_tui.store import ledger as ledger_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import sqlite_integrity, verify_chain, verify_staff

parse_anchor = anchors.parse_typed  # ``SEQ:FINGERPRINT`` typed from a paper Z


def problems(store: Store, typed_anchors: list[anchors.Anchor] = ()) -> list[str]:
    """What is wrong with the store, one sentence each (empty: all is well): the chain, the anchors (the log
    beside the database and any typed from a paper Z), the signed staff records, the file, the balances."""
    found = verify_chain(store)
    found += anchors.check(store, list(typed_anchors))
    found += verify_staff(store)
    result = sqlite_integrity(store)
    if result != "ok":
        found.append(_("SQLite integrity check: {result}").format(result=result))
    for row in ledger_store.mismatched_balances(store):
        found.append(
            _("customer {id}: cached balance {balance} but ledger sum {sum}").format(
                id=row["id"], balance=row["balance"], sum=row["ledger_sum"])
        )
    return found
