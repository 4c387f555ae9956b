"""Receipts on ESC/POS printers (SPEC §9, issue 6): golden bytes from python-escpos ``Dummy``, a fake
network printer on 127.0.0.1, DUPLICATA counting, paper widths, printer settings, and the app's
printing worker driven through Pilot.

Network traffic stays on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers_core import make_customer, make_store
from helpers_ui_checkout import (
    CANDLE as CANDLE_EAN,
    CLAIRE_CARD,
    JAM as JAM_EAN,
    SIZE,
    claire_id,
    context,
    demo_store,
    last_sale,
    method_key,
    open_checkout,
    scan,
)
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.domain.products import Product
from pos_tui.printing.connection import DEFAULT_TIMEOUT_MS, PrinterTarget, parse_printer_url
from pos_tui.printing.escpos_out import to_bytes
from pos_tui.printing.receipt import PAPER_WIDTHS, render_text
from pos_tui.services import checkout, credit, printing, products
from pos_tui.services.printing import PrinterOffline
from pos_tui.store.integrity import verify_chain

FIXED_NOW = datetime(2025, 3, 14, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("POS_TUI_REGEN_GOLDEN") == "1"

JAM = Product(0, "3762428454229", "Confiture abricot 370 g", 460, 550)  # 5,5 %
CANDLE = Product(0, "3761917675602", "Bougie parfumée vanille", 1380, 2000)  # 20 %
LONG_NAME = "Coffret dégustation huiles d'olive vierge extra de Provence AOP"[:60]

# The default job (profile "default", code page CP858, table 19 there): ESC @, ESC t 19 once, then text in
# CP858, where é is 0x82 and € is 0xD5; no code page switch inside the job.
START = b"\x1b@\x1bt\x13"
E_ACUTE = b"\x82"
EURO = b"\xd5"
BIG, NORMAL = b"\x1d!\x11", b"\x1d!\x00"  # GS ! n: double width and height, then back
CUT = b"\x1bd\x06\x1dV\x00"  # ESC d 6 feeds the paper past the blade, GS V 0 cuts: the last bytes of a job
DRAWER = b"\x1bp\x0022"  # ESC p 0 50 50: pulse the drawer on pin 2


def test_code_page_bytes_are_what_the_tests_expect():
    assert "é€".encode("cp858") == E_ACUTE + EURO


def euros(text: str) -> re.Pattern:
    """``"18,40 €"`` as printed: the digits, then € as 0xD5 (CP858)."""
    digits = text[:-1] if text.endswith("€") else text
    return re.compile(re.escape(digits.encode("ascii")) + re.escape(EURO))


def has(data: bytes, *parts: bytes | re.Pattern) -> bool:
    """``parts`` one after the other in ``data`` (bytes literally, patterns as regexes)."""
    pattern = b"".join(p.pattern if isinstance(p, re.Pattern) else re.escape(p) for p in parts)
    return re.search(pattern, data) is not None


def barcode128(data: str) -> bytes:
    """GS k 73 n {B<data>: a Code128 barcode, code set B."""
    payload = b"{B" + data.encode("ascii")
    return b"\x1dkI" + bytes([len(payload)]) + payload


def golden(name: str, data: bytes) -> None:
    """Compare with ``tests/golden/<name>``; ``POS_TUI_REGEN_GOLDEN=1`` rewrites it (review the diff)."""
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}; set POS_TUI_REGEN_GOLDEN=1 once and review it"
    assert data == path.read_bytes(), f"{name} changed; set POS_TUI_REGEN_GOLDEN=1 to accept"


def printed_lines(data: bytes) -> list[tuple[str, bool]]:
    """The text lines of ESC/POS output, each with whether it prints double width.

    Barcodes are dropped; every other command sent here is three bytes long (ESC/GS, a letter, one
    parameter), except ``ESC @`` and the drawer pulse.
    """
    while (start := data.find(b"\x1dkI")) >= 0:
        data = data[:start] + data[start + 4 + data[start + 3]:]
    data = data.replace(DRAWER, b"").replace(b"\x1b@", b"")
    lines, current, double = [], bytearray(), False
    i = 0
    while i < len(data):
        byte = data[i]
        if byte in (0x1B, 0x1D):
            if data[i + 1:i + 2] == b"!" and byte == 0x1D:
                double = data[i + 2] & 0xF0 != 0
            i += 3
        elif byte == 0x0A:
            lines.append((bytes(current).decode("cp858"), double))
            current = bytearray()
            i += 1
        else:
            current.append(byte)
            i += 1
    return lines


# -- a shop ---------------------------------------------------------------------------------------

class Shop:
    def __init__(self, tmp_path: Path) -> None:
        self.store, self.manager, self.cashier = make_store(tmp_path, clock=lambda: FIXED_NOW)
        products.create(self.manager, JAM.barcode, JAM.name, JAM.price, JAM.vat_rate)
        products.create(self.manager, CANDLE.barcode, CANDLE.name, CANDLE.price, CANDLE.vat_rate)
        self.claire = make_customer(self.manager, "Claire", "Martin", card_code="CL000001")
        with self.store.write():
            self.store.put_setting("shop_name", "Épicerie du Marché")

    def product(self, barcode: str) -> Product:
        row = self.store.one("SELECT * FROM products WHERE barcode = ?", (barcode,))
        return Product(row["id"], row["barcode"], row["name"], row["price"], row["vat_rate"])

    def sell(self, *tenders: tuple[str, int], customer: bool = True, extra: list[Product] = ()):
        cart = Cart(customer_id=self.claire.id if customer else None)
        cart.add_product(self.product(JAM.barcode))
        cart.add_product(self.product(CANDLE.barcode))
        for product in extra:
            cart.add_product(product)
        return checkout.close_sale(self.cashier, cart, [Tender(m, a) for m, a in tenders])

    def sale_on_credit(self):
        """Claire tops up 30,00 in cash, then buys jam and candle (18,40) on CRED: balance 11,60."""
        credit.top_up(self.manager, self.claire.id, 3000, "ESP")
        return self.sell(("CRED", 1840))

    def prints(self) -> list[dict]:
        return self.store.query("SELECT doc_kind, doc_id, copy_no, status FROM receipt_prints ORDER BY id")

    def reprint_journal(self) -> list[dict]:
        return [json.loads(r["detail"]) for r in
                self.store.query("SELECT detail FROM journal WHERE kind = 'reprint' ORDER BY id")]


@pytest.fixture
def shop(tmp_path):
    shop = Shop(tmp_path)
    try:
        yield shop
    finally:
        shop.store.close()


def sale_bytes(shop: Shop, sale_id: int, copy_no: int = 0, width: int = 48) -> bytes:
    return to_bytes(printing.build(shop.store, "sale", sale_id, copy_no), width)


# -- golden bytes: one test per document ------------------------------------------------------------

def test_s4_sale_receipt_bytes(shop):
    sale = shop.sale_on_credit()
    data = sale_bytes(shop, sale.sale_id)
    assert b"Confiture abricot 370 g" in data
    assert b"Bougie parfum" + E_ACUTE + b"e vanille" in data
    assert data.startswith(START) and data.count(b"\x1bt") == 1  # reset, one code page for the whole job
    # TOTAL prints bold, double width and height (GS ! 0x11) on half the columns: only the changes are sent
    assert b"-\n\x1bE\x01" + BIG + b"TOTAL            18,40 \xd5\n\x1bE\x00" + NORMAL + b"CRED" in data
    assert b"CRED Cr" + E_ACUTE + b"dit client" in data and euros("18,40 €").search(data)
    assert b"Client                             Claire Martin\n" in data
    # the customer's balance after the sale, on the "Solde" line
    assert has(data, b"Solde du cr" + E_ACUTE + b"dit apr\x8as cette vente        ", euros("11,60 €"), b"\n")
    assert barcode128("T000001") in data  # the sale number, for returns
    assert data.endswith(CUT)  # feed, cut; no drawer for a CRED payment
    assert DRAWER not in data
    golden("sale_receipt_48.bin", data)


def test_cash_sale_opens_the_drawer_before_the_final_cut(shop):
    sale = shop.sell(("ESP", 2000), customer=False)
    data = sale_bytes(shop, sale.sale_id)
    assert b"Rendu" in data and euros("1,60 €").search(data)
    assert data.endswith(DRAWER + CUT)
    assert DRAWER not in sale_bytes(shop, sale.sale_id, copy_no=1)  # a DUPLICATA never opens it


def test_s7_gift_voucher_sale_carries_the_code_barcode(shop):
    cart = Cart()
    cart.add_gift_voucher(5000)
    result = checkout.close_sale(shop.cashier, cart, [Tender("CB", 5000)])
    (voucher,) = result.vouchers_issued
    data = sale_bytes(shop, result.sale_id)
    assert barcode128(voucher.code) in data
    assert barcode128(f"T{result.number:06d}") in data
    assert b"Bon cadeau" in data and euros("50,00 €").search(data)
    assert printing.sale_documents(shop.store, result.sale_id) == [("sale", result.sale_id), ("voucher", voucher.id)]

    slip = to_bytes(printing.build(shop.store, "voucher", voucher.id))
    assert b"BON CADEAU" in slip and barcode128(voucher.code) in slip
    # double width, centred; the amount keeps the title's style, so no command between them
    assert has(slip, b"\x1ba\x01\x1bE\x01" + BIG + b"BON CADEAU\n50,00 ", euros("€"), b"\n")
    assert b"Valable jusqu'au                     sans limite\n" in slip
    assert b"\x90mis le                         14/03/2025 10:00\n" in slip  # É is 0x90 in CP858
    assert slip.endswith(CUT)


def test_s1_credit_top_up_receipt_bytes(shop):
    credit.top_up(shop.manager, shop.claire.id, 1234, "ESP")
    entry = credit.top_up(shop.manager, shop.claire.id, 5000, "CB").entry
    data = to_bytes(printing.build(shop.store, "credit", entry.id))
    assert b"ALIMENTATION DU CR\x90DIT\n" in data
    assert b"Client                             Claire Martin\n" in data
    assert b"Moyen                          CB Carte bancaire\n" in data
    assert has(data, BIG + b"Montant          50,00 ", euros("€"), b"\n")  # double width
    assert has(data, b"Ancien solde                             ", euros("12,34 €"), b"\n")
    assert has(data, b"Nouveau solde                            ", euros("62,34 €"), b"\n")
    assert data.endswith(CUT)  # paid by card: no drawer
    golden("credit_top_up_48.bin", data)


def test_cash_refund_receipt_opens_the_drawer(shop):
    credit.top_up(shop.manager, shop.claire.id, 5000, "CB")
    entry = credit.refund(shop.manager, shop.claire.id, 2000, "ESP").entry
    data = to_bytes(printing.build(shop.store, "credit", entry.id))
    assert b"REMBOURSEMENT DE CR\x90DIT\n" in data and b"Moyen                                ESP Esp\x8aces\n" in data
    assert has(data, b"Montant         -20,00 ", euros("€"), b"\n")
    assert has(data, b"Ancien solde                             ", euros("50,00 €"), b"\n")
    assert has(data, b"Nouveau solde                            ", euros("30,00 €"))
    assert data.endswith(DRAWER + CUT)


def test_s11_credit_note_slip_keeps_the_vat_parts(shop):
    original = shop.sell(("CB", 1840), customer=False)
    sale = checkout.find_sale(shop.store, str(original.number))
    lines = {row["id"]: 1 for row in sale["returnable"]}
    result = checkout.return_items(shop.manager, original.number, lines, "credit_note")
    (note,) = result.vouchers_issued
    slip = to_bytes(printing.build(shop.store, "voucher", note.id))
    assert b"\x1ba\x01\x1bE\x01" + BIG + b"AVOIR\n" in slip and euros("18,40 €").search(slip)
    assert b"dont TVA 20 %" in slip and euros("13,80 €").search(slip)
    assert b"dont TVA 5,5 %" in slip and euros("4,60 €").search(slip)
    assert f"Vente n°{original.number + 1:>40}\n".encode("cp858") in slip  # ° is 0xF8 in CP858
    assert barcode128(note.code) in slip and slip.endswith(CUT)
    # the return's own receipt carries the credit note's barcode too
    assert barcode128(note.code) in sale_bytes(shop, result.sale_id)


# -- DUPLICATA ----------------------------------------------------------------------------------------

def test_reprint_says_duplicata_and_is_counted(shop, tmp_path):
    sale = shop.sale_on_credit()
    out = tmp_path / "printer.bin"
    target = parse_printer_url(f"file://{out}")

    first = printing.print_document(shop.store, target, "sale", sale.sale_id, shop.cashier.user.id, 2)
    assert first.copy_no == 0
    assert out.read_bytes() == sale_bytes(shop, sale.sale_id)
    assert b"DUPLICATA" not in out.read_bytes()
    assert shop.reprint_journal() == []

    again = printing.print_document(shop.store, target, "sale", sale.sale_id, shop.manager.user.id, 1)
    assert again.copy_no == 1 and "DUPLICATA 1" in "\n".join(again.lines)
    data = out.read_bytes()
    assert b"DUPLICATA 1\n" in data
    assert data == sale_bytes(shop, sale.sale_id, copy_no=1)
    assert shop.prints() == [{"doc_kind": "sale", "doc_id": sale.sale_id, "copy_no": 0, "status": "ok"},
                             {"doc_kind": "sale", "doc_id": sale.sale_id, "copy_no": 1, "status": "ok"}]
    assert shop.reprint_journal() == [{"doc": "sale", "id": sale.sale_id, "copy": 1}]
    assert any("DUPLICATA 2" in line for line in printing.preview(shop.store, "sale", sale.sale_id))

    printing.print_document(shop.store, target, "sale", sale.sale_id, shop.manager.user.id, 1)
    assert [j["copy"] for j in shop.reprint_journal()] == [1, 2]
    row = next(r for r in printing.history(shop.store) if r["doc_kind"] == "sale")
    assert (row["copies"], row["failed"]) == (3, 0)


# -- paper widths ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", PAPER_WIDTHS)
def test_width_respected_for_a_60_character_name(shop, width):
    assert len(LONG_NAME) == 60
    products.create(shop.manager, "4006381333931", LONG_NAME, 2990, 2000)
    sale = shop.sell(("CB", 4830), extra=[shop.product("4006381333931")])
    printing.set_printer_settings(shop.manager, "none", width, False, "12 rue des Lilas, 75011 Paris " * 3,
                                  "Merci de votre visite et à bientôt dans notre épicerie du quartier !")
    lines = printing.preview(shop.store, "sale", sale.sale_id)
    assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
    name_lines = [line for line in lines if line.startswith(("Coffret", "huiles", "vierge", "de Provence",
                                                               "d'olive", "extra", "Provence"))]
    assert len(name_lines) >= 2  # the name wraps
    assert " ".join(" ".join(line.split()) for line in name_lines).startswith(LONG_NAME.replace(" AOP", ""))
    assert "29,90 €" in "\n".join(lines)

    data = to_bytes(printing.build(shop.store, "sale", sale.sale_id), width)
    for text, double in printed_lines(data):
        assert len(text) * (2 if double else 1) <= width, (text, double)
    if width == 42:
        assert b"\x1bM\x01" in data  # font B gives 42 columns on 80 mm paper


def test_render_text_refuses_an_unknown_width(shop):
    sale = shop.sell(("CB", 1840))
    with pytest.raises(ValueError):
        render_text(printing.build(shop.store, "sale", sale.sale_id), 40)


# -- printer addresses ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("tcp://192.168.1.50:9100", PrinterTarget("tcp", host="192.168.1.50", port=9100)),
    ("tcp://printer.local", PrinterTarget("tcp", host="printer.local", port=9100)),
    ("tcp://127.0.0.1:9101", PrinterTarget("tcp", host="127.0.0.1", port=9101)),
    ("192.168.1.50:9100", PrinterTarget("tcp", host="192.168.1.50", port=9100)),  # SPEC §9 writes host:9100
    ("usb://04b8:0202", PrinterTarget("usb", vendor=0x04B8, product=0x0202)),
    ("serial:///dev/ttyUSB0?baud=19200", PrinterTarget("serial", path="/dev/ttyUSB0", baud=19200)),
    ("serial:///dev/ttyS0", PrinterTarget("serial", path="/dev/ttyS0", baud=9600)),
    ("file:///dev/usb/lp0", PrinterTarget("file", path="/dev/usb/lp0")),
    ("none", PrinterTarget("none")),
    (" NONE ", PrinterTarget("none")),
    ("", PrinterTarget("none")),
    (None, PrinterTarget("none")),
])
def test_parse_printer_url(url, expected):
    target = parse_printer_url(url)
    assert target == expected
    assert target.enabled == (expected.kind != "none")


@pytest.mark.parametrize("junk", [
    "tcp://", "tcp://:9100", "tcp://host:notaport", "tcp://host:99999", "usb://zz:01", "usb://04b8",
    "serial://", "serial:///dev/ttyS0?baud=fast", "file://", "http://printer", "printer", "192.168.1.50:",
    "host:9100:1",
])
def test_parse_printer_url_refuses_junk(junk):
    with pytest.raises(PosError) as refused:
        parse_printer_url(junk)
    assert "Adresse d'imprimante invalide" in refused.value.message


# -- printer settings -------------------------------------------------------------------------------------

def test_printer_settings_are_validated_journaled_and_need_the_right(shop):
    with pytest.raises(RightDenied):
        printing.set_printer_settings(shop.cashier, "tcp://10.0.0.9:9100", 48, True, "", "")
    with pytest.raises(PosError, match="invalide"):
        printing.set_printer_settings(shop.manager, "tcp://", 48, True, "", "")
    with pytest.raises(PosError, match="largeur"):
        printing.set_printer_settings(shop.manager, "tcp://10.0.0.9:9100", 40, True, "", "")
    assert printing.printer_settings(shop.store).url == "none"
    assert shop.store.scalar("SELECT count(*) FROM journal WHERE kind = 'setting_changed'") == 0

    saved = printing.set_printer_settings(shop.manager, " tcp://10.0.0.9:9100 ", "42", True,
                                          "12 rue des Lilas\n75011 Paris\n", "À bientôt !")
    assert saved == printing.PrinterSettings("tcp://10.0.0.9:9100", 42, True, "12 rue des Lilas\n75011 Paris",
                                             "À bientôt !")
    assert printing.printer_target(shop.store) == PrinterTarget("tcp", host="10.0.0.9", port=9100)
    assert printing.printer_target(shop.store, "none") == PrinterTarget("none")  # --printer none wins
    assert printing.printer_target(shop.store, "file:///tmp/x") == PrinterTarget("file", path="/tmp/x")
    assert printing.auto_print(shop.store) and printing.paper_width(shop.store) == 42
    keys = [json.loads(r["detail"])["key"] for r in
            shop.store.query("SELECT detail FROM journal WHERE kind = 'setting_changed' ORDER BY id")]
    assert keys == ["printer_url", "paper_width", "auto_print", "receipt_header", "receipt_footer"]
    lines = printing.preview(shop.store, "credit", credit.top_up(shop.manager, shop.claire.id, 100, "CB").entry.id)
    assert lines[1].strip() == "12 rue des Lilas" and "À bientôt !" in lines[-1]

    printing.set_printer_settings(shop.manager, "none", 42, False, "12 rue des Lilas\n75011 Paris", "À bientôt !")
    assert shop.store.scalar("SELECT count(*) FROM journal WHERE kind = 'setting_changed'") == 7  # what changed


# -- a fake network printer on 127.0.0.1 -----------------------------------------------------------------------

class FakePrinter:
    """A TCP server on 127.0.0.1 (a free port) that records what each connection sends.

    Bounded: ``accept`` times out, each connection is read until the client closes it (or a
    read times out), and the thread stops by itself after ``lifetime`` seconds.
    """

    def __init__(self, port: int = 0, lifetime: float = 20.0) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self.jobs: list[bytes] = []
        self.deadline = time.monotonic() + lifetime
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            while not self._stop.is_set() and time.monotonic() < self.deadline:
                try:
                    conn, _ = self.sock.accept()
                except socket.timeout:
                    continue
                with conn:
                    conn.settimeout(5)
                    chunks = []
                    try:
                        while chunk := conn.recv(65536):
                            chunks.append(chunk)
                    except OSError:
                        pass
                    self.jobs.append(b"".join(chunks))
        finally:
            self.sock.close()

    def wait_for(self, n: int = 1, timeout: float = 10.0) -> list[bytes]:
        end = time.monotonic() + timeout
        while len(self.jobs) < n and time.monotonic() < end:
            time.sleep(0.02)
        return self.jobs

    async def wait_in_app(self, pilot, n: int = 1, timeout: float = 60.0) -> list[bytes]:
        """``wait_for`` for Pilot tests: the app's event loop keeps running (it is what starts the print worker)."""
        end = time.monotonic() + timeout
        while len(self.jobs) < n and time.monotonic() < end:
            await pilot.pause(0.05)
        return self.jobs

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)

    def __enter__(self) -> FakePrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 with nobody listening: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_e2e_sale_receipt_reaches_the_network_printer(shop):
    sale = shop.sale_on_credit()
    assert DEFAULT_TIMEOUT_MS == 5000
    with FakePrinter() as printer:
        outcome = printing.print_document(shop.store, parse_printer_url(printer.url), "sale", sale.sale_id,
                                          shop.cashier.user.id, 2)
        (job,) = printer.wait_for(1)
    assert outcome.copy_no == 0
    assert job == sale_bytes(shop, sale.sale_id)  # exactly the golden bytes
    assert b"Confiture abricot 370 g" in job and b"Bougie parfum" + E_ACUTE + b"e vanille" in job
    assert b"TOTAL            18,40 \xd5" in job
    assert has(job, b"Solde du cr", E_ACUTE, b"dit apr\x8as cette vente        ", euros("11,60 €"))
    assert shop.prints() == [{"doc_kind": "sale", "doc_id": sale.sale_id, "copy_no": 0, "status": "ok"}]


def test_printer_offline_keeps_the_sale_and_a_later_reprint_succeeds(shop):
    sale = shop.sale_on_credit()
    before = shop.store.query("SELECT * FROM sales WHERE id = ?", (sale.sale_id,))
    target = parse_printer_url(f"tcp://127.0.0.1:{closed_port()}")
    started = time.monotonic()
    with pytest.raises(PrinterOffline) as offline:
        printing.print_document(shop.store, target, "sale", sale.sale_id, shop.cashier.user.id, 2)
    assert time.monotonic() - started < DEFAULT_TIMEOUT_MS / 1000
    assert "Imprimante hors ligne" in offline.value.message
    assert "réimprimez depuis l'historique" in offline.value.message
    assert shop.prints() == [{"doc_kind": "sale", "doc_id": sale.sale_id, "copy_no": 0, "status": "failed"}]
    # the sale, its payment and the ledger are untouched, and the signature chain still holds
    assert shop.store.query("SELECT * FROM sales WHERE id = ?", (sale.sale_id,)) == before
    assert shop.store.scalar("SELECT balance FROM customers WHERE id = ?", (shop.claire.id,)) == 1160
    assert verify_chain(shop.store) == []
    row = next(r for r in printing.history(shop.store) if r["doc_kind"] == "sale")
    assert (row["copies"], row["failed"]) == (0, 1)

    with FakePrinter() as printer:
        target = parse_printer_url(printer.url)
        # copy_no counts successful prints: the customer never got paper, so this is the original
        retry = printing.print_document(shop.store, target, "sale", sale.sale_id, shop.cashier.user.id, 2)
        assert retry.copy_no == 0
        printer.wait_for(1)
        again = printing.print_document(shop.store, target, "sale", sale.sale_id, shop.manager.user.id, 1)
        first, second = printer.wait_for(2)
    assert first == sale_bytes(shop, sale.sale_id) and b"DUPLICATA" not in first
    assert again.copy_no == 1 and b"DUPLICATA 1" in second
    assert [(p["copy_no"], p["status"]) for p in shop.prints()] == [(0, "failed"), (0, "ok"), (1, "ok")]
    assert shop.reprint_journal() == [{"doc": "sale", "id": sale.sale_id, "copy": 1}]


def test_no_printer_set_up_is_a_clear_refusal(shop):
    sale = shop.sell(("CB", 1840))
    with pytest.raises(PosError, match="Aucune imprimante"):
        printing.print_document(shop.store, parse_printer_url("none"), "sale", sale.sale_id, None, 1)
    assert shop.prints() == []


# -- the app: printing worker, preview, history, settings (Pilot) ------------------------------------------------

@pytest.fixture
def demo(tmp_path):
    store = demo_store(tmp_path)
    try:
        yield store
    finally:
        store.close()


def auto_print_on(store) -> None:
    printing.set_printer_settings(context(store), "none", 48, True, "", "")


async def wait_for_printing(app, pilot, timeout: float = 60.0) -> None:
    """Wait (bounded) until a print job started since the previous wait and every job started has been reported
    back on screen. Under load the job may start after this is called, or finish before it is."""
    end = time.monotonic() + timeout
    waited = getattr(app, "_prints_waited", 0)
    while time.monotonic() < end:
        if app.prints_started > waited and app.prints_reported == app.prints_started:
            break
        await pilot.pause(0.05)
    app._prints_waited = app.prints_started
    await pilot.pause()


def notifications(app) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


async def sell_on_credit(app, pilot, store) -> None:
    """F3, scan jam and candle, scan Claire's card, F10, CRED, Enter, Enter."""
    await open_checkout(app, pilot)
    await scan(pilot, JAM_EAN)
    await scan(pilot, CANDLE_EAN)
    await scan(pilot, CLAIRE_CARD)
    await pilot.press("f10")
    await pilot.pause()
    await pilot.press(method_key(store, "CRED"), "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_pilot_sale_prints_automatically(demo):
    from pos_tui.ui.app import PosApp

    claire = claire_id(demo)
    credit.top_up(context(demo), claire, 3000, "ESP")
    auto_print_on(demo)
    with FakePrinter() as printer:
        app = PosApp(store=demo, printer=parse_printer_url(printer.url))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await sell_on_credit(app, pilot, demo)
            await wait_for_printing(app, pilot)
            (job,) = await printer.wait_in_app(pilot, 1)
            sale = last_sale(demo)
            assert app.last_receipt == ("sale", sale["id"])
            assert ("Ticket envoyé à l'imprimante.", "information") in notifications(app)
    assert sale["total"] == 1840 and sale["customer_id"] == claire
    assert b"Confiture abricot 370 g" in job and b"TOTAL            18,40 \xd5" in job
    assert has(job, b"Solde du cr", E_ACUTE, b"dit apr\x8as cette vente        ", euros("11,60 €"))
    assert barcode128(f"T{sale['number']:06d}") in job


async def test_pilot_printer_down_shows_the_error_then_ctrl_o_reprints(demo):
    from pos_tui.ui.app import PosApp

    claire = claire_id(demo)
    credit.top_up(context(demo), claire, 3000, "ESP")
    auto_print_on(demo)
    port = closed_port()
    app = PosApp(store=demo, printer=parse_printer_url(f"tcp://127.0.0.1:{port}"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sell_on_credit(app, pilot, demo)
        await wait_for_printing(app, pilot)
        sale = last_sale(demo)
        assert sale["total"] == 1840  # the sale is saved whatever the printer does
        errors = [m for m, severity in notifications(app) if severity == "error"]
        assert errors and "Imprimante hors ligne" in errors[-1] and "réimprimez depuis l'historique" in errors[-1]
        assert demo.query("SELECT copy_no, status FROM receipt_prints WHERE doc_kind = 'sale' AND doc_id = ?",
                          (sale["id"],)) == [{"copy_no": 0, "status": "failed"}]
        assert app.screen.cart.is_empty and app.focused.id == "scan"  # the counter goes on

        with FakePrinter(port) as printer:  # the printer is back on the same address
            await pilot.press("ctrl+o")
            await wait_for_printing(app, pilot)
            (job,) = await printer.wait_in_app(pilot, 1)
        assert b"DUPLICATA" not in job and euros("11,60 €").search(job)  # the first paper copy
        assert ("Ticket envoyé à l'imprimante.", "information") in notifications(app)


async def test_pilot_history_preview_and_reprint(demo):
    from pos_tui.ui.app import PosApp
    from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen
    from pos_tui.ui.screens.receipts import ReceiptHistoryScreen

    claire = claire_id(demo)
    top_up = credit.top_up(context(demo), claire, 2500, "CB").entry
    with FakePrinter() as printer:
        app = PosApp(store=demo, printer=parse_printer_url(printer.url))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_checkout(app, pilot)
            await pilot.press("ctrl+t")
            await pilot.pause()
            assert isinstance(app.screen, ReceiptHistoryScreen)
            first = app.screen.rows[0]
            assert (first["doc_kind"], first["doc_id"], first["copies"]) == ("credit", top_up.id, 0)

            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReceiptPreviewScreen)
            shown = str(app.screen.query_one("#receipt-preview").content)
            assert shown.splitlines() == printing.preview(demo, "credit", top_up.id)
            assert "Nouveau solde" in shown and "DUPLICATA" not in shown
            await pilot.press("p")  # the first paper copy
            await wait_for_printing(app, pilot)
            assert "DUPLICATA 1" in str(app.screen.query_one("#receipt-preview").content)  # the next copy
            await pilot.press("escape")
            await pilot.pause()

            assert isinstance(app.screen, ReceiptHistoryScreen)
            await pilot.press("r")  # reprint: DUPLICATA 1
            await wait_for_printing(app, pilot)
            jobs = await printer.wait_in_app(pilot, 2)
            assert app.screen.rows[0]["copies"] == 2
            assert ("DUPLICATA 1 envoyé à l'imprimante.", "information") in notifications(app)
    original, duplicata = jobs
    assert b"DUPLICATA" not in original and b"DUPLICATA 1" in duplicata
    assert euros("25,00 €").search(duplicata)
    assert demo.scalar("SELECT count(*) FROM journal WHERE kind = 'reprint'") == 1


async def test_pilot_credit_top_up_prints_and_previews(demo):
    """S1 through the app: the top-up's receipt is previewed and, with auto-print on, printed."""
    from pos_tui.ui.app import PosApp
    from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen

    claire = claire_id(demo)
    auto_print_on(demo)
    with FakePrinter() as printer:
        app = PosApp(store=demo, printer=parse_printer_url(printer.url))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_checkout(app, pilot)
            app.open_credit_panel(claire)
            await pilot.pause()
            app.screen.query_one("#credit-amount").value = "50,00"
            app.screen.query_one("#credit-method").value = "CB"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await wait_for_printing(app, pilot)
            assert isinstance(app.screen, ReceiptPreviewScreen)
            (job,) = await printer.wait_in_app(pilot, 1)
            entry_id = demo.scalar("SELECT max(id) FROM credit_ledger WHERE customer_id = ?", (claire,))
            assert app.last_receipt == ("credit", entry_id)
    assert has(job, b"Montant          50,00 ", euros("€"))
    assert has(job, b"Nouveau solde                            ", euros("50,00 €"))


async def test_pilot_printer_settings_screen(demo):
    from textual.widgets import Checkbox, Input, Select, TextArea

    from pos_tui.store import users
    from pos_tui.ui.app import PosApp
    from pos_tui.ui.screens.printer_settings import PrinterSettingsScreen

    app = PosApp(store=demo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_checkout(app, pilot)
        app.push_screen(PrinterSettingsScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#printer-url", Input).value = "tcp://"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and "invalide" in str(screen.query_one("#printer-error").content)

        screen.query_one("#printer-url", Input).value = "tcp://127.0.0.1:9100"
        screen.query_one("#printer-width", Select).value = 32
        screen.query_one("#printer-auto", Checkbox).value = True
        screen.query_one("#printer-header", TextArea).text = "12 rue des Lilas\n75011 Paris"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PrinterSettingsScreen)
        assert printing.printer_settings(demo) == printing.PrinterSettings(
            "tcp://127.0.0.1:9100", 32, True, "12 rue des Lilas\n75011 Paris", "Merci de votre visite !")
        assert app.printer_target() == PrinterTarget("tcp", host="127.0.0.1", port=9100)

        # a cashier sees the refusal and nothing changes
        app.logged_in(users.by_id(demo, 2))
        await pilot.pause()
        app.push_screen(PrinterSettingsScreen())
        await pilot.pause()
        assert "droit" in str(app.screen.query_one("#printer-error").content)
        app.screen.query_one("#printer-url", Input).value = "none"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert printing.printer_settings(demo).url == "tcp://127.0.0.1:9100"


def test_z_and_x_reports_print_with_their_figures(tmp_path):
    """SPEC §8: the day summary is printable; a Z prints its frozen figures, an X the live ones."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.printing.escpos_out import to_bytes
    from pos_tui.services import auth, checkout, closing, printing
    from pos_tui.services.context import Context
    from pos_tui.store.db import Store

    store = Store(tmp_path / "z.db")
    ctx = Context(store, auth.create_first_manager(store, "Marie", "123456"), 1)
    cart = Cart()
    cart.add_free("Panier", 1840, 2000)
    checkout.close_sale(ctx, cart, [Tender("ESP", 2000)])
    day = closing.business_day(store)
    x_lines = printing.preview(store, "x", printing.x_doc_id(day))
    assert any("18,40" in line for line in x_lines)
    result = closing.close_day(ctx, counted=1840)
    z_lines = printing.preview(store, "z", result.number)
    assert any(f"Z n° {result.number}" in line for line in z_lines)
    assert any("18,40" in line for line in z_lines) and any("Compté" in line for line in z_lines)
    # Frozen: a sale on the next business day changes the X of that day, never the Z.
    cart = Cart()
    cart.add_free("Autre", 500, 2000)
    checkout.close_sale(ctx, cart, [Tender("CB", 500)])
    assert printing.preview(store, "z", result.number) == z_lines
    data = to_bytes(printing.build(store, "z", result.number))
    assert b"18,40" in data and data.endswith(CUT)
    assert any(row["doc_kind"] == "z" for row in printing.history(store, 10))
    assert all(len(line) <= 48 for line in z_lines)


# -- printer profiles and code pages (issue 14) -------------------------------------------------------------

ACCENTS = "Prix 12,50 € — é à ç ô Œ"


def accent_receipt():
    from pos_tui.printing.receipt import Receipt, Text

    return Receipt(open_drawer=True).add(Text(ACCENTS), Text("TOTAL", bold=True, big=True), Text("Merci", "center"))


@pytest.mark.parametrize("profile, code_page, table, encoded", [
    # Epson TM-T88V and TM-T20II: CP858 is table 19; it has € (0xD5) and the accents, not Œ (printed OE)
    ("TM-T88V", "CP858", 19, "Prix 12,50 \xd5 - \x82 \x85 \x87 \x93 OE"),
    ("TM-T20II", "CP858", 19, "Prix 12,50 \xd5 - \x82 \x85 \x87 \x93 OE"),
    # a Netum NT-80-V-UL numbers CP858 53
    ("NT-80-V-UL", "CP858", 53, "Prix 12,50 \xd5 - \x82 \x85 \x87 \x93 OE"),
    # CP1252 chosen: € is 0x80 and Œ exists (0x8C)
    ("TM-T88V", "CP1252", 16, "Prix 12,50 \x80 \x97 \xe9 \xe0 \xe7 \xf4 \x8c"),
    # the TM-T88II has no CP858: the job falls back to its CP1252 (table 16)
    ("TM-T88II", "CP858", 16, "Prix 12,50 \x80 \x97 \xe9 \xe0 \xe7 \xf4 \x8c"),
])
def test_golden_bytes_per_profile(profile, code_page, table, encoded):
    from pos_tui.printing.escpos_out import PrinterModel

    data = to_bytes(accent_receipt(), 48, PrinterModel(profile, code_page))
    assert data.startswith(b"\x1b@" + b"\x1bt" + bytes([table]))  # ESC @ first, then the one code page
    assert data.count(b"\x1bt") == 1
    assert encoded.encode("latin-1") + b"\n" in data
    # style commands only where the style changes: bold and big on for TOTAL, off once, centre for Merci
    assert data.count(b"\x1bE") == 2 and data.count(b"\x1d!") == 2 and data.count(b"\x1ba") == 1
    assert data.endswith(DRAWER + CUT)  # the drawer pulse, the feed, GS V last
    golden(f"accents_{profile}_{code_page}.bin", data)


def test_preview_shows_what_the_code_page_prints(shop):
    from pos_tui.printing.escpos_out import PrinterModel

    lines = printing.printed_text(accent_receipt(), 48, PrinterModel("TM-T88V", "CP858"))
    assert lines[0] == "Prix 12,50 € - é à ç ô OE"  # the preview says OE where the paper will
    assert printing.printed_text(accent_receipt(), 48, PrinterModel("TM-T88V", "CP1252"))[0] == "Prix 12,50 € — é à ç ô Œ"


def test_printer_profile_setting_is_validated_and_journaled(shop):
    with pytest.raises(RightDenied):
        printing.set_printer_model(shop.cashier, "TM-T88V", "CP858")
    with pytest.raises(PosError, match="Profil d'imprimante inconnu"):
        printing.set_printer_model(shop.manager, "TM-9999", "CP858")
    with pytest.raises(PosError, match="table de caractères"):
        printing.set_printer_model(shop.manager, "TM-T88V", "UTF-8")
    assert printing.printer_model(shop.store) == printing.PrinterModel("default", "CP858")
    saved = printing.set_printer_model(shop.manager, "tm-t20ii", "cp1252")
    assert saved == printing.PrinterModel("TM-T20II", "CP1252")
    assert printing.printer_target(shop.store).model == saved
    assert printing.printer_target(shop.store, None, "TM-T88V").model == printing.PrinterModel("TM-T88V", "CP1252")
    keys = [json.loads(r["detail"])["key"] for r in
            shop.store.query("SELECT detail FROM journal WHERE kind = 'setting_changed' ORDER BY id")]
    assert keys == ["printer_profile", "printer_code_page"]
    sale = shop.sale_on_credit()
    assert printing.printer_model(shop.store).codec == "cp1252"
    assert b"\x1bt\x10" in to_bytes(printing.build(shop.store, "sale", sale.sale_id), 48, printing.printer_model(shop.store))


def test_a_printer_without_cutter_gets_no_cut_command():
    from pos_tui.printing.escpos_out import PrinterModel

    data = to_bytes(accent_receipt(), 32, PrinterModel("POS-5890", "CP858"))  # 58 mm, no cutter in its profile
    assert data.startswith(b"\x1b@\x1bt5") and data.endswith(DRAWER + b"\x1bd\x06") and b"\x1dV" not in data
