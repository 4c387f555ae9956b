"""Shelf labels, customer cards and voucher slips (issue 11): the barcodes drawn decode back to their codes."""

from __future__ import annotations

import io
import os
import socket
import threading

import pytest

from helpers_barcode import read_png, read_svg
from helpers_core import english, make_customer, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.printing import labels
from pos_tui.printing.connection import parse_printer_url
from pos_tui.services import checkout, labels as label_service, products


@pytest.fixture
def shop(tmp_path, english):
    return make_store(tmp_path)


def test_ean13_png_and_svg_decode_to_the_code_with_its_check_digit():
    for code in ("2000000000015", "4006381333931", "3762428454229"):
        assert read_png(labels.barcode_png("ean13", code)) == {code}
        assert read_svg(labels.barcode_svg("ean13", code)) == [code]


def test_wrong_check_digit_is_refused_not_silently_fixed(english):
    # python-barcode would quietly replace the last digit: a label must never show another code.
    with pytest.raises(PosError, match="check digit"):
        labels.barcode_svg("ean13", "2000000000016")
    with pytest.raises(PosError):
        labels.shelf_label_png(labels.ShelfLabel("X", "1 €", "4006381333932"))


def test_code128_card_and_slip_decode():
    assert read_svg(labels.barcode_svg("code128", "CL000001")) == ["CL000001"]
    assert read_png(labels.customer_card_png("Épicerie", "Claire Martin", "CL000001")) == {"CL000001"}
    assert read_png(labels.voucher_slip_png("Épicerie", "Bon cadeau", "25,00 €", "29/11/2027", "BV7K3Q9XWMZ")) == {
        "BV7K3Q9XWMZ"}


def test_s11_label_sheet_for_new_bulk_products(shop, tmp_path):
    _store, manager, cashier = shop
    olives = products.create(manager, "", "Olives vertes (vrac) 100 g", 290, 550)
    bread = products.create(manager, "", "Pain de campagne maison", 350, 550)
    sheet = tmp_path / "labels.svg"
    label_service.write_label_sheet(manager, [olives.id, bread.barcode], sheet, copies=2)
    text = sheet.read_text(encoding="utf-8")
    assert read_svg(text) == [olives.barcode] * 2 + [bread.barcode] * 2
    assert 'width="210mm" height="297mm"' in text and "Olives vertes (vrac) 100 g" in text and "€2.90" in text
    assert os.stat(sheet).st_mode & 0o777 == 0o600
    with pytest.raises(RightDenied):
        label_service.write_label_sheet(cashier, [olives.id], tmp_path / "no.svg")
    with pytest.raises(PosError, match="At most 24"):
        label_service.write_label_sheet(manager, [olives.id, bread.id], tmp_path / "big.svg", copies=13)
    assert not (tmp_path / "no.svg").exists() and not (tmp_path / "big.svg").exists()


def test_customer_card_and_voucher_slip_files(shop, tmp_path):
    store, manager, cashier = shop
    claire = make_customer(manager, "Claire", "Martin", card_code="CL000001")
    card = label_service.write_customer_card(manager, claire.id, tmp_path / "card.png")
    assert read_png(card.read_bytes()) == {"CL000001"}
    cart = Cart()
    cart.add_gift_voucher(2500, "2027-11-29")
    (voucher,) = checkout.close_sale(cashier, cart, [Tender("CB", 2500)]).vouchers_issued
    slip = label_service.write_voucher_slip(manager, voucher.code, tmp_path / "slip.png")
    assert read_png(slip.read_bytes()) == {voucher.code}
    with pytest.raises(RightDenied):
        label_service.write_voucher_slip(cashier, voucher.code, tmp_path / "x.png")
    with pytest.raises(PosError, match="Unknown voucher"):
        label_service.write_voucher_slip(manager, "BVNOPE", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


class FakePrinter:
    """A TCP printer on 127.0.0.1 that keeps every byte it is sent."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.sock.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk

    def close(self) -> bytes:
        self.thread.join(timeout=10)
        self.sock.close()
        return self.data


def _raster_to_png(data: bytes) -> bytes:
    """Rebuild the picture from the first ``GS v 0`` raster command (one bit per dot, 1 = black)."""
    from PIL import Image

    at = data.index(b"\x1dv0")
    x_bytes = data[at + 4] + 256 * data[at + 5]
    height = data[at + 6] + 256 * data[at + 7]
    raster = data[at + 8: at + 8 + x_bytes * height]
    assert len(raster) == x_bytes * height
    img = Image.frombytes("1", (x_bytes * 8, height), bytes(b ^ 0xFF for b in raster))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_s11_label_png_to_a_fake_tcp_printer_is_a_raster_image(shop):
    store, manager, _ = shop
    olives = products.create(manager, "", "Olives vertes (vrac) 100 g", 290, 550)
    printer = FakePrinter()
    label_service.print_shelf_label(manager, olives.id, parse_printer_url(f"tcp://127.0.0.1:{printer.port}"))
    data = printer.close()
    assert b"\x1dv0" in data  # GS v 0: print raster bit image
    assert read_png(_raster_to_png(data)) == {olives.barcode}
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'labels_printed'") == 1


def test_printer_down_is_a_clear_message(shop):
    store, manager, _ = shop
    olives = products.create(manager, "", "Olives", 290, 550)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nobody listens there now
    with pytest.raises(PosError, match="did not take the label"):
        label_service.print_shelf_label(manager, olives.id, parse_printer_url(f"tcp://127.0.0.1:{port}"))
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'labels_printed'") == 0
