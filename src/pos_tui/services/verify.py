"""Every check of ``pos-tui verify`` on one store, for the command and for a fresh backup copy."""

from __future__ import annotations

from pos_tui.i18n import _
from pos_tui.store import anchors, ledger
from pos_tui.store.db import Store
from pos_tui.store.integrity import sqlite_integrity, verify_chain, verify_staff


def check_store(store: Store, typed: list[anchors.Anchor] = ()) -> list[str]:
    """The problems found: chain, anchors, staff records, SQLite integrity, balances against the ledger."""
    problems = verify_chain(store)
    problems += anchors.check(store, list(typed))
    problems += verify_staff(store)
    integrity = sqlite_integrity(store)
    if integrity != "ok":
        problems.append(_("SQLite integrity check: {result}").format(result=integrity))
    for row in ledger.mismatched_balances(store):
        problems.append(_("customer {id}: cached balance {balance} but ledger sum {sum}").format(
            id=row["id"], balance=row["balance"], sum=row["ledger_sum"]))
    return problems
