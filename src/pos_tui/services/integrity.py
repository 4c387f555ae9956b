"""``pos-tui verify``: the SQLite file, the signature chain and every cached balance, checked together."""

from __future__ import annotations

from typing import Callable

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.store import accounts as accounts_store
from pos_tui.store import anchors
from pos_tui.store import ledger as ledger_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import chain_stores, sqlite_integrity, verify_chain, verify_staff

parse_anchor = anchors.parse_typed  # ``SEQ:FINGERPRINT`` typed from a paper Z


def problems(store: Store, typed_anchors: list[anchors.Anchor] = (), *, quick: bool = False,
             progress: Callable[[int, int], None] | None = None, store_code: str | None = None) -> list[str]:
    """What is wrong with the store, one sentence each (empty: all is well): each store's chain and anchor
    log (``store_code``: that store's only; typed anchors are looked for in its chain, else in any), the
    anchors typed from a paper Z, the signed staff records, the file (skipped when ``quick``: SQLite's
    page-level check takes seconds on a large file), the balances and the totals kept from them.
    ``progress(done, total)`` follows the chain walk."""
    shops = chain_stores(store)
    several = len(shops) > 1  # then each problem names its store
    if store_code is not None:
        code = store_code.strip().upper()
        shops = [s for s in shops if s["code"] == code]
        if not shops:
            raise PosError("There is no store {code}.", code=code)
    only = shops[0]["id"] if store_code is not None else None
    found = verify_chain(store, progress=progress, store_id=only)
    for shop in shops:
        trouble = anchors.check(store, log=True, store_id=shop["id"])
        found += [_("store {code}: {problem}").format(code=shop["code"], problem=p) for p in trouble] \
            if several else trouble
    if typed_anchors:
        found += anchors.check(store, list(typed_anchors), log=False, store_id=only)
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
    kept_days = {r["day"]: (r["n"], r["total"]) for r in accounts_store.debts_by_start(store)}
    summed_days = {r["day"]: (r["n"], r["total"]) for r in accounts_store.debts_by_start_from_customers(store)}
    for day in sorted(set(kept_days) | set(summed_days)):
        if kept_days.get(day) != summed_days.get(day):
            kept_n, kept_total = kept_days.get(day, (0, 0))
            n, total = summed_days.get(day, (0, 0))
            # Count/total pairs, as the outstanding totals above are shown.
            found.append(_("debts begun on {day}: count/total kept {kept} differ from the customers {summed}").format(
                day=day, kept=f"{kept_n}/{kept_total}", summed=f"{n}/{total}"))
    return found
