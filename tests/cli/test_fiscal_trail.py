"""Issue 15: anchors outside the database, signed staff records and a chained journal, as `verify` sees them."""

from __future__ import annotations

import json
import stat

import pytest
from helpers_core import CASHIER_NAME, CASHIER_PIN, MANAGER_NAME, MANAGER_PIN, english  # noqa: F401 - fixture
from helpers_fiscal import FiscalShop, cut_tail, put_back, shell, snapshot

from pos_tui.cli import main
from pos_tui.domain.rights import PRESETS
from pos_tui.services import auth
from pos_tui.store.anchors import anchor_path


@pytest.fixture
def shop(tmp_path):
    shop = FiscalShop(tmp_path)
    shop.day("2026-11-27", (1200, "ESP", 2000), (3400, "CB", 550))
    shop.day("2026-11-28", (500, "ESP", 2000), (700, "CB", 1000))
    yield shop
    shop.store.close()


def _verify(shop, capsys, *extra):
    code = main(["--lang", "en", "--db", str(shop.path), "verify", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def _anchors(shop):
    return [json.loads(line) for line in anchor_path(shop.store).read_text().splitlines()]


def test_each_z_appends_its_anchor_to_an_owner_only_log(shop, capsys):
    log = anchor_path(shop.store)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = _anchors(shop)
    assert [(a["z"], a["day"]) for a in lines] == [(1, "2026-11-27"), (2, "2026-11-28")]
    z2 = shop.store.one("SELECT id FROM z_closings WHERE number = 2")
    entry = shop.store.one("SELECT id, sig FROM signatures WHERE table_name = 'z_closings' AND record_id = ?",
                           (z2["id"],))
    assert lines[1]["seq"] == entry["id"] and entry["sig"].startswith(lines[1]["fp"])
    assert _verify(shop, capsys)[0] == 0
    # pos-tui z prints the same anchor, in the form verify --anchor takes back.
    fp = entry["sig"][:16]
    assert main(["--lang", "en", "--db", str(shop.path), "z", "--date", "2026-11-28", "--user", MANAGER_NAME,
                 "--pin", MANAGER_PIN]) == 0
    printed = f"#{entry['id']} · {fp[:4]}-{fp[4:8]}-{fp[8:12]}-{fp[12:]}"
    assert f"Chain anchor {printed}" in capsys.readouterr().out


def test_z_result_and_ticket_carry_the_anchor(shop):
    from pos_tui.services import printing

    shop.on("2026-11-29", 10)
    shop.sell(900)
    shop.on("2026-11-29", 19)
    from pos_tui.services import closing

    z = closing.close_day(shop.manager)
    assert z.chain_seq == _anchors(shop)[-1]["seq"]
    assert z.fingerprint.replace("-", "") == _anchors(shop)[-1]["fp"]
    ticket = "\n".join(printing.preview(shop.store, "z", z.number))
    assert f"#{z.chain_seq} · {z.fingerprint}" in ticket


def _last_z_seq(shop):
    return _anchors(shop)[-1]["seq"]


def test_tail_truncation_back_through_a_z_is_named_through_the_log(shop, capsys):
    anchored = _last_z_seq(shop)
    first_z_seq = _anchors(shop)[0]["seq"]
    # Delete the last sales with their signatures, back through the last Z: the rest is a sound chain.
    cut_tail(shop.path, first_z_seq + 2)
    shop.reopen()
    code, _out, err = _verify(shop, capsys)
    assert code == 1
    assert f"the chain stops at #{first_z_seq + 2}; Z n°2 of 2026-11-28 anchored #{anchored}" in err


def test_tail_truncation_is_named_through_a_typed_anchor(shop, capsys):
    line = _anchors(shop)[-1]
    cut_tail(shop.path, _anchors(shop)[0]["seq"])
    anchor_path(shop.store).unlink()  # the log went too: only the paper Z is left
    shop.reopen()
    fp = line["fp"]
    code, _out, err = _verify(shop, capsys, "--anchor", f"{line['seq']}:{fp[:4]}-{fp[4:8]}-{fp[8:12]}-{fp[12:]}")
    assert code == 1
    assert f"the chain stops at #{_anchors_seq_after_cut(shop)}; the anchor typed on the command line " \
           f"anchored #{line['seq']}" in err
    assert "anchor log" in err and "is missing" in err


def _anchors_seq_after_cut(shop):
    return shop.store.scalar("SELECT max(id) FROM signatures")


def test_restoring_an_older_copy_is_named(shop, tmp_path, capsys):
    copy = snapshot(shop.store, tmp_path / "yesterday.db")
    shop.day("2026-11-29", (2500, "ESP", 2000))
    paper = _anchors(shop)[-1]  # what the Z ticket of the 29th says
    shop.store.close()
    put_back(copy, shop.path)
    shop.reopen()
    head = shop.store.scalar("SELECT max(id) FROM signatures")
    code, _out, err = _verify(shop, capsys)
    assert code == 1
    assert f"the chain stops at #{head}; Z n°3 of 2026-11-29 anchored #{paper['seq']}" in err
    # The same through the number on the paper Z, once the log is gone too.
    anchor_path(shop.store).unlink()
    code, _out, err = _verify(shop, capsys, "--anchor", f"{paper['seq']}:{paper['fp']}")
    assert code == 1 and f"the chain stops at #{head}; the anchor typed on the command line" in err


def test_an_older_copy_that_went_on_selling_is_named(shop, tmp_path, capsys):
    copy = snapshot(shop.store, tmp_path / "yesterday.db")
    shop.day("2026-11-29", (2500, "ESP", 2000))
    anchored = _last_z_seq(shop)
    shop.store.close()
    put_back(copy, shop.path)
    shop.reopen()
    for _ in range(12):  # the restored till sells on, past the anchored position
        shop.on("2026-11-29", 11)
        shop.sell(100)
    code, _out, err = _verify(shop, capsys)
    assert code == 1
    assert f"chain entry #{anchored} is not the one Z n°3 of 2026-11-29 anchored" in err


def test_a_typed_anchor_that_matches_passes(shop, capsys):
    line = _anchors(shop)[0]
    code, out, err = _verify(shop, capsys, "--anchor", f"{line['seq']}:{line['fp']}")
    assert code == 0, err
    assert "1 typed anchor found in the chain" in out  # a count with its plural form (issue 14)


@pytest.mark.parametrize("text", ["345", "abc:3f2a91bc", "12:xyz", "12:3f2a", ""])
def test_a_malformed_anchor_is_refused(shop, capsys, text):
    code, _out, err = _verify(shop, capsys, "--anchor", text)
    assert code == 2 and "Not an anchor" in err and "Traceback" not in err


def test_an_edited_anchor_line_is_named(shop, capsys):
    log = anchor_path(shop.store)
    lines = log.read_text().splitlines()
    edited = json.loads(lines[0])
    edited["seq"] += 1000
    log.write_text(json.dumps(edited) + "\n" + lines[1] + "\n")
    code, _out, err = _verify(shop, capsys)
    assert code == 1 and "line 1: altered" in err


def test_rights_given_with_the_sqlite_shell_are_named(shop, capsys):
    conn = shell(shop.path)
    conn.execute("UPDATE users SET role = 'manager', rights = ? WHERE name = ?",
                 (",".join(sorted(r.value for r in PRESETS["manager"])), CASHIER_NAME))
    conn.close()
    code, _out, err = _verify(shop, capsys)
    assert code == 1
    assert f"users #2 ({CASHIER_NAME}): role, rights differ from its signed staff record" in err


def test_a_pin_reset_with_the_sqlite_shell_is_named(shop, capsys):
    from pos_tui.domain.users import hash_pin

    conn = shell(shop.path)
    conn.execute("UPDATE users SET pin_hash = ? WHERE name = 'Manon'", (hash_pin("0000"),))
    conn.close()
    code, _out, err = _verify(shop, capsys)
    assert code == 1 and "users #1 (Manon): PIN differ" in err


def test_a_user_added_with_the_sqlite_shell_is_named(shop, capsys):
    conn = shell(shop.path)
    conn.execute("INSERT INTO users(name, pin_hash, role, rights, created_at) SELECT 'Intrus', pin_hash, role,"
                 " rights, created_at FROM users WHERE id = 1")
    conn.close()
    code, _out, err = _verify(shop, capsys)
    assert code == 1 and "users #3 (Intrus): no signed staff record" in err


def test_staff_changes_through_pos_tui_are_signed(shop, capsys):
    paul = auth.create_user(shop.manager, "Paul", "4321", "cashier")
    auth.set_rights(shop.manager, paul.id, set(PRESETS["manager"]), "manager")
    kinds = [r["kind"] for r in shop.store.query("SELECT kind FROM staff_log WHERE user_id = ? ORDER BY id",
                                                 (paul.id,))]
    assert kinds == ["created", "rights_changed"]
    assert shop.store.scalar("SELECT count(*) FROM staff_log l JOIN signatures s ON s.table_name = 'staff_log'"
                             " AND s.record_id = l.id") == shop.store.scalar("SELECT count(*) FROM staff_log")
    assert _verify(shop, capsys)[0] == 0
    assert auth.login(shop.store, CASHIER_NAME, CASHIER_PIN).name == CASHIER_NAME


def test_an_edited_journal_row_is_named(shop, capsys):
    target = shop.store.scalar("SELECT id FROM journal WHERE kind = 'z_closing' ORDER BY id LIMIT 1")
    conn = shell(shop.path)
    conn.execute("UPDATE journal SET detail = '{}' WHERE id = ?", (target,))
    conn.close()
    code, _out, err = _verify(shop, capsys)
    assert code == 1 and f"journal #{target}: record or signature altered" in err


def test_a_journal_row_added_by_hand_is_named(shop, capsys):
    conn = shell(shop.path)
    conn.execute("INSERT INTO journal(created_at, kind, user_id, terminal, detail)"
                 " VALUES ('2026-11-28T20:00:00', 'login', 1, 1, '{}')")
    conn.close()
    # A later business action must not sign it in passing.
    shop.on("2026-11-29", 10)
    shop.sell(100)
    code, _out, err = _verify(shop, capsys)
    assert code == 1 and "record has no signature" in err


def test_z_month_and_year_show_the_frozen_closings(tmp_path, capsys, english):
    from pos_tui.services import periods, printing

    shop = FiscalShop(tmp_path)
    shop.day("2026-10-30", (1200, "ESP", 2000), (3400, "CB", 550))
    shop.day("2026-11-02", (500, "ESP", 2000))
    login = ["--user", MANAGER_NAME, "--pin", MANAGER_PIN]
    assert main(["--lang", "en", "--db", str(shop.path), "z", "--month", "2026-10", *login]) == 0
    out = capsys.readouterr().out
    assert "Monthly closing n° 1 · 2026-10 · 2026-10-01 → 2026-10-31" in out
    assert "Z closings: 1 (n° 1 to 1)" in out and "Period grand total: €46.00" in out
    assert "Perpetual grand total: €46.00" in out and "Chain anchor #" in out
    assert main(["--lang", "en", "--db", str(shop.path), "z", "--month", "2026-11", *login]) == 0
    out = capsys.readouterr().out
    assert "2026-11 is not closed yet: the sum of its Z so far (1)." in out and "€5.00" in out
    assert main(["--lang", "en", "--db", str(shop.path), "z", "--year", "2026", *login]) == 0
    assert "2026 is not closed yet: the sum of its Z so far (2)." in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(shop.path), "z", "--month", "2026-13", *login]) == 2
    assert "Not a month: '2026-13' (use YYYY-MM)." in capsys.readouterr().err
    october = periods.month(shop.store, "2026-10")
    ticket = "\n".join(printing.preview(shop.store, "period", october["id"]))
    assert "Monthly closing n° 1 · 2026-10" in ticket and "Period grand total" in ticket
    assert periods.anchor_text(shop.store, october) in ticket
    shop.store.close()
