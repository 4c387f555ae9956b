"""The fast paths of signing (issue 17): each must give exactly the bytes of the general way, since
``verify`` re-checks records signed years ago and records signed today the same way."""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_tui.store import integrity
from pos_tui.store.db import Store, _detail_json, _local_now
from pos_tui.store.integrity import SIGNED_COLUMNS, SIGNED_WHEN_SET, _canonical_slow, _InsertPlan, _stored


class Kind(enum.IntEnum):
    ONE = 1


class Word(str, enum.Enum):
    SALE = "sale"


@pytest.fixture(scope="module")
def store():
    store = Store(":memory:")
    yield store
    store.close()


# What a column may be handed: the plain values records hold, and the odd ones the general way converts.
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ['"', "\\", "%", "%s", "%d", "{}", "\u2028", "\x00\x1f", "é€😀"])
values = (st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | texts
          | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.just(Kind.ONE) | st.just(Word.SALE)
          | st.sampled_from(["12", "-3", "+4", " 5", "007"]))


def _general_way(store, table: str, row: dict) -> bytes:
    """What insert_signed signed before the templates: each value as its column stores it, then the json form."""
    types = store.column_types(table)
    record = {col: (row[col] if col == "id" else _stored(row[col], types.get(col, ""))) for col in SIGNED_COLUMNS[table]}
    optional = SIGNED_WHEN_SET.get(table, ())
    return _canonical_slow(table, {k: v for k, v in record.items() if not (v is None and k in optional)})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(sorted(SIGNED_COLUMNS)), data=st.data())
def test_signed_form_is_the_general_way_byte_for_byte(store, table, data):
    columns = tuple(c for c in SIGNED_COLUMNS[table] if c != "id")
    extra = ("store_id",) if table in integrity.STORE_TABLES else ()
    plan = _InsertPlan(store, table, columns)
    types = store.column_types(table)
    plain = data.draw(st.booleans(), label="plain")  # half the records as records hold them: the template's
    row = {"id": data.draw(st.integers(min_value=1, max_value=2**63 - 1))}
    for col in columns:
        if plain:
            kind = st.integers(min_value=-(2**63), max_value=2**63 - 1) if types[col] == "INTEGER" else texts
            row[col] = data.draw(st.none() | kind, label=col)
        else:
            row[col] = data.draw(values, label=col)
    params = tuple(row[c] for c in columns) + tuple(1 for _ in extra)
    fast = plan.signed_form((row["id"], *params))
    if plain:
        assert fast is not None
    signed = fast or plan.general_form(store, (row["id"], *params))
    assert signed == _general_way(store, table, row)


def test_plain_records_take_the_template_and_odd_ones_do_not(store):
    columns = tuple(c for c in SIGNED_COLUMNS["credit_ledger"] if c != "id")
    plan = _InsertPlan(store, "credit_ledger", columns)
    row = {"id": 7, "customer_id": 3, "kind": "sale_payment", "amount": -1250, "method": None, "sale_id": 9,
           "label": 'Vente "x" 100%', "user_id": 1, "terminal": 2, "created_at": "2026-11-29T10:00:00+01:00",
           "balance_after": -1250, "idempotency_key": None, "business_day": "2026-11-29", "card_id": None}
    params = (row["id"], *(row[c] for c in columns), 1)
    assert plan.signed_form(params) == _general_way(store, "credit_ledger", row)
    assert b"card_id" not in plan.signed_form(params)  # signed only when set
    with_card = (*params[:-2], 4, 1)
    assert b'"card_id":4' in plan.signed_form(with_card)
    assert plan.signed_form((*params[:3], Word.SALE, *params[4:])) is None  # a str subclass: the general way


@settings(max_examples=300, deadline=None)
@given(key=st.binary(min_size=1, max_size=130), prev=st.text(max_size=70), message=st.binary(max_size=600))
def test_mac_from_pad_states_is_hmac_sha256(key, prev, message):
    assert integrity._mac(key, prev, message) == hmac.new(key, prev.encode() + message, hashlib.sha256).hexdigest()


def test_clock_without_astimezone_is_the_local_time_to_the_second():
    ours = _local_now()
    theirs = datetime.now().astimezone().replace(microsecond=0)
    assert ours.microsecond == 0 and ours.utcoffset() == theirs.utcoffset()
    assert abs((theirs - ours).total_seconds()) <= 1
    assert ours.isoformat(timespec="seconds")[19:] == theirs.isoformat(timespec="seconds")[19:]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8), max_size=6))
def test_journal_detail_json_is_json_dumps(detail):
    assert _detail_json(detail) == json.dumps(detail, ensure_ascii=False, sort_keys=True)
