"""Issue 15: signed period archives that verify alone, and online backups that verify."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import stat
import zipfile

import pytest
from helpers_core import MANAGER_NAME, MANAGER_PIN, english  # noqa: F401 - fixture
from helpers_fiscal import FiscalShop, selling_worker

from pos_tui.cli import main
from pos_tui.services import archive, backup, closing, credit, customers
from pos_tui.store.db import Store


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def shop(tmp_path):
    """Two months of history: sales at three rates, a credit top-up, a cash movement, the Z of each day."""
    shop = FiscalShop(tmp_path)
    shop.on("2026-10-30", 9)
    claire = customers.create(shop.manager, {"first_name": "Claire", "last_name": "Martin"})
    credit.top_up(shop.manager, claire.id, 5000, "CB")
    closing.add_cash_movement(shop.manager, "float", 10000, "")
    shop.day("2026-10-30", (1200, "ESP", 2000), (3400, "CB", 550))
    shop.day("2026-10-31", (999, "CHQ", 1000))
    for day in ("2026-11-02", "2026-11-03", "2026-11-30"):
        shop.day(day, (500, "ESP", 2000), (700, "CB", 1000), (2100, "ESP", 550))
    shop.day("2026-12-01", (800, "ESP", 2000))
    yield shop
    shop.store.close()


def _key(shop):
    return shop.path.with_name(shop.path.name + ".key")


def _export(shop, tmp_path, period="2026-11"):
    return archive.export(shop.manager, period, tmp_path)


def test_archive_of_each_month_round_trips_alone(shop, tmp_path):
    key = archive.read_key(_key(shop))
    for period, sales in (("2026-10", 3), ("2026-11", 9)):
        written = _export(shop, tmp_path, period)
        assert written.path.name == f"pos-tui-archive-{period}.zip"
        assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
        report = archive.verify(written.path, key)
        assert report.problems == [] and report.signatures_checked
        assert report.manifest["records"]["sales"] == sales
        with zipfile.ZipFile(written.path) as zf:
            names = set(zf.namelist())
            assert {"manifest.json", "manifest.hmac", "sales.jsonl", "signatures.jsonl", "anchors.jsonl",
                    "z_closings.jsonl", "period_closings.jsonl", "journal.jsonl"} <= names
            zs = [json.loads(line) for line in zf.read("z_closings.jsonl").decode().splitlines()]
            months = [json.loads(line) for line in zf.read("period_closings.jsonl").decode().splitlines()]
            anchors = zf.read("anchors.jsonl").decode().splitlines()
        assert [m["period"] for m in months] == [period]
        assert months[0]["period_total"] == sum(z["period_total"] for z in zs)
        assert len(anchors) == len(zs)
    assert "sales" in report.manifest["records"]
    # The export is journaled (and the journal row is signed like the others).
    assert shop.store.scalar("SELECT count(*) FROM journal WHERE kind = 'export' AND detail LIKE '%archive%'") == 2


def test_archive_verifies_on_the_command_line_without_the_database(shop, tmp_path, capsys):
    assert main(["--lang", "en", "--db", str(shop.path), "archive", "--period", "2026-11", str(tmp_path / "nov.zip"),
                 "--user", MANAGER_NAME, "--pin", MANAGER_PIN]) == 0
    assert "Archive of 2026-11 (2026-11-01 → 2026-11-30) written to" in capsys.readouterr().out
    elsewhere = tmp_path / "years-later"
    elsewhere.mkdir()
    shutil.copy(tmp_path / "nov.zip", elsewhere / "nov.zip")
    shutil.copy(_key(shop), elsewhere / "shop.key")
    shop.store.close()
    shop.path.unlink()  # no database anywhere near
    code = main(["--lang", "en", "--db", str(elsewhere / "none.db"), "verify", "--archive",
                 str(elsewhere / "nov.zip"), "--key", str(elsewhere / "shop.key")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Archive verified: 2026-11 (2026-11-01 → 2026-11-30)" in out.out
    assert not (elsewhere / "none.db").exists()
    # Without the key only the parts are checked, and it says so.
    assert main(["--lang", "en", "--db", str(elsewhere / "none.db"), "verify", "--archive",
                 str(elsewhere / "nov.zip")]) == 0
    assert "without the key" in capsys.readouterr().out
    shop.store = Store(tmp_path / "reopened.db")  # for the fixture's teardown


def _rewrite(path, changes: dict[str, bytes]):
    """Rebuild the zip with some parts replaced (valid CRCs: a deliberate edit, not a damaged file)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts.update(changes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_one_changed_byte_in_a_part_is_named(shop, tmp_path):
    path = _export(shop, tmp_path).path
    key = archive.read_key(_key(shop))
    with zipfile.ZipFile(path) as zf:
        sales = zf.read("sales.jsonl")
    at = sales.index(b'"total":') + len(b'"total":')
    edited = sales[:at] + bytes([sales[at] ^ 0x01]) + sales[at + 1:]  # one digit of one total
    _rewrite(path, {"sales.jsonl": edited})
    problems = archive.verify(path, key).problems
    assert "sales.jsonl: altered (its SHA-256 is not the manifest's)" in problems
    # Without the key too: the part no longer matches the manifest.
    assert "sales.jsonl: altered (its SHA-256 is not the manifest's)" in archive.verify(path, None).problems


def test_a_forged_manifest_and_record_are_named_with_the_key(shop, tmp_path):
    path = _export(shop, tmp_path).path
    key = archive.read_key(_key(shop))
    with zipfile.ZipFile(path) as zf:
        sales = [json.loads(line) for line in zf.read("sales.jsonl").decode().splitlines()]
        manifest = json.loads(zf.read("manifest.json"))
    sales[0]["total"] += 100
    forged = "".join(json.dumps(s, sort_keys=True, separators=(",", ":")) + "\n" for s in sales).encode()
    import hashlib

    for part in manifest["parts"]:
        if part["name"] == "sales.jsonl":
            part["sha256"] = hashlib.sha256(forged).hexdigest()
    _rewrite(path, {"sales.jsonl": forged, "manifest.json": json.dumps(manifest).encode()})
    problems = archive.verify(path, key).problems
    assert "manifest.json: altered, or made with another key (its HMAC does not match)" in problems
    assert any(p.startswith(f"sales #{sales[0]['id']}: record or signature altered") for p in problems)


@pytest.mark.parametrize("part", ["journal.jsonl", "sales.jsonl", "signatures.jsonl", "manifest.json"])
def test_one_flipped_byte_in_the_file_is_named(shop, tmp_path, part):
    path = _export(shop, tmp_path).path
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    data = bytearray(path.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x20
    path.write_bytes(bytes(data))
    problems = archive.verify(path, archive.read_key(_key(shop))).problems
    assert problems and all(part in p for p in problems), problems


def test_verify_archive_refuses_a_bad_key_file_and_a_non_archive(shop, tmp_path, capsys):
    path = _export(shop, tmp_path).path
    (tmp_path / "bad.key").write_text("not hex")
    assert main(["--lang", "en", "verify", "--archive", str(path), "--key", str(tmp_path / "bad.key")]) == 2
    assert "Cannot read the key" in capsys.readouterr().err
    (tmp_path / "nope.zip").write_bytes(b"hello")
    assert main(["--lang", "en", "verify", "--archive", str(tmp_path / "nope.zip"), "--key", str(_key(shop))]) == 1
    assert "not a readable archive" in capsys.readouterr().err


def test_archive_needs_the_export_right_and_a_real_period(shop, tmp_path):
    from pos_tui.domain.errors import PosError, RightDenied

    with pytest.raises(RightDenied):
        archive.export(shop.cashier, "2026-11", tmp_path)
    with pytest.raises(PosError, match="Not a month"):
        archive.export(shop.manager, "2026-13", tmp_path)
    with pytest.raises(PosError, match="does not exist"):
        archive.export(shop.manager, "2026-11", tmp_path / "missing" / "a.zip")
    assert not list(tmp_path.glob("*.zip"))


def test_backup_while_another_process_closes_sales_verifies(shop, tmp_path, capsys):
    ctx = multiprocessing.get_context("spawn")
    started, stop, sold = ctx.Event(), ctx.Event(), ctx.Queue()
    shop.on("2026-12-02", 10)
    worker = ctx.Process(target=selling_worker, args=(str(shop.path), shop.cashier.user.id, started, stop, sold))
    worker.start()
    copies = []
    try:
        assert started.wait(60)
        for n in range(3):  # the other till sells all along: it stops only after the third copy
            result = backup.backup(shop.store, tmp_path / f"copy{n}.db")
            assert result.problems == [], result.problems
            copies.append(result)
    finally:
        stop.set()
        total = sold.get(timeout=120)
        worker.join(60)
    assert worker.exitcode == 0
    counts = []
    for c in copies:
        for path in (c.path, c.key, c.anchors):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        copy = Store(c.path, migrate=False)
        counts.append(copy.scalar("SELECT count(*) FROM sales WHERE business_day = '2026-12-02'"))
        copy.close()
    # Each copy is one consistent moment of a store that kept growing; none is ahead of the live file.
    assert counts == sorted(counts) and 5 <= counts[0] and counts[-1] <= total
    assert shop.store.scalar("SELECT count(*) FROM sales WHERE business_day = '2026-12-02'") == total
    # The last copy verifies with the command line too, through its own key and anchor log.
    code = main(["--lang", "en", "--db", str(copies[-1].path), "verify"])
    assert code == 0, capsys.readouterr().err
