"""Barcode images with python-barcode: shelf labels, customer cards, voucher slips (pure, no I/O).

- EAN-13 (product barcodes, in-store codes with prefix 2) and Code128 (card and voucher codes),
  drawn as SVG and as PNG.
- Shelf labels: one A4 SVG sheet (3 × 8 labels of 70 × 37 mm) for an office printer, or a
  PNG per label for the thermal printer (python-escpos ``image``).
- Customer cards and gift voucher slips as PNG files a manager can print or e-mail.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pos_tui.domain.errors import PosError
from pos_tui.domain.products import is_valid_gtin

THERMAL_DPI = 203  # ESC/POS thermal heads: 8 dots per mm
THERMAL_WIDTH_PX = 512  # fits 58 mm (384 px is the narrowest) — see thermal_width()


def _check_ean13(code: str) -> str:
    # python-barcode silently replaces a wrong check digit: validate first (LIBRARY-NOTES).
    if len(code) != 13 or not is_valid_gtin(code):
        raise PosError("Invalid barcode {code!r}: not an EAN-13 with a correct check digit.", code=code)
    return code


def _code128_data(data: str) -> str:
    if not data or not data.isascii() or not data.isprintable():
        raise PosError("A Code128 code is printable ASCII: {code!r}.", code=data)
    return data


def _symbol(kind: str, data: str, writer):
    from barcode import EAN13, Code128

    if kind == "ean13":
        return EAN13(_check_ean13(data)[:12], writer=writer)
    return Code128(_code128_data(data), writer=writer)


SVG_OPTIONS = {"module_width": 0.33, "module_height": 12.0, "quiet_zone": 3.0, "font_size": 8,
               "text_distance": 3.5}


def barcode_svg(kind: str, data: str) -> str:
    """A standalone SVG document (sizes in mm) of an ``ean13`` or ``code128`` symbol."""
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    _symbol(kind, data, SVGWriter()).write(out, options=SVG_OPTIONS)
    return out.getvalue().decode("utf-8")


def barcode_png(kind: str, data: str, *, dpi: int = 300, module_px: int = 3, text: bool = True,
                height_mm: int = 12) -> bytes:
    """A PNG of an ``ean13`` or ``code128`` symbol; each module ``module_px`` pixels wide, its bars
    ``height_mm`` whole millimetres high."""
    from barcode.writer import ImageWriter

    out = io.BytesIO()
    # python-barcode places bars at x mm and PIL truncates the pixel: a hair over the exact pitch
    # keeps every bar exactly ``module_px`` wide instead of one pixel short now and then.
    pitch = module_px * 25.4 / dpi + 1e-7
    options = {"dpi": dpi, "module_width": pitch, "module_height": height_mm, "quiet_zone": 10 * pitch,
               "write_text": text, "font_size": 10, "text_distance": 4.0}
    _symbol(kind, data, ImageWriter(format="PNG")).write(out, options=options)
    return out.getvalue()


# -- the A4 sheet -----------------------------------------------------------------------

@dataclass(frozen=True)
class ShelfLabel:
    name: str
    price: str  # already formatted, e.g. "2,90 €"
    barcode: str  # EAN-13
    detail: str = ""  # e.g. "le kg" or the VAT rate


SHEET_COLUMNS, SHEET_ROWS = 3, 8
LABEL_W, LABEL_H = 70.0, 37.0  # mm: the common 24-up A4 label stock
SHEET_W, SHEET_H = 210.0, 297.0
_TOP = (SHEET_H - SHEET_ROWS * LABEL_H) / 2


def _inner_svg(svg: str, x: float, y: float) -> str:
    """A python-barcode SVG document as a nested <svg> placed at (x, y) mm."""
    body = svg[svg.index("<svg"):]
    width = re.search(r'width="([0-9.]+)mm"', body).group(1)
    height = re.search(r'height="([0-9.]+)mm"', body).group(1)
    body = re.sub(r"<svg[^>]*>", f'<svg x="{x:.2f}mm" y="{y:.2f}mm" width="{width}mm" height="{height}mm">',
                  body, count=1)
    return body


def _fit(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def label_sheet_svg(labels: list[ShelfLabel]) -> str:
    """One A4 page (or more, stacked as pages of one tall file? no: refused over 24) of shelf labels."""
    if not labels:
        raise PosError("No label to print.")
    if len(labels) > SHEET_COLUMNS * SHEET_ROWS:
        raise PosError("At most {n} labels fit on one sheet.", n=SHEET_COLUMNS * SHEET_ROWS)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="{SHEET_W:.0f}mm" '
             f'height="{SHEET_H:.0f}mm">', '<rect width="100%" height="100%" style="fill:white"/>']
    for i, label in enumerate(labels):
        col, row = i % SHEET_COLUMNS, i // SHEET_COLUMNS
        x, y = col * LABEL_W, _TOP + row * LABEL_H
        symbol = barcode_svg("ean13", label.barcode)
        parts.append(f'<g class="label" data-barcode="{escape(label.barcode)}">')
        parts.append(f'<text x="{x + 4:.2f}mm" y="{y + 6:.2f}mm" font-family="DejaVu Sans, sans-serif" '
                     f'font-size="3.4mm">{escape(_fit(label.name, 34))}</text>')
        parts.append(f'<text x="{x + LABEL_W - 4:.2f}mm" y="{y + 13:.2f}mm" text-anchor="end" '
                     f'font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="6mm">'
                     f'{escape(label.price)}</text>')
        if label.detail:
            parts.append(f'<text x="{x + 4:.2f}mm" y="{y + 12:.2f}mm" font-family="DejaVu Sans, sans-serif" '
                         f'font-size="2.6mm">{escape(_fit(label.detail, 24))}</text>')
        parts.append(_inner_svg(symbol, x + 2, y + 14))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# -- PNG cards, slips and thermal labels --------------------------------------------------

def _font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _compose(width: int, lines: list[tuple[str, int]], symbol_png: bytes, *, border: bool = False) -> bytes:
    """Text lines (text, size in px) above a barcode, black on white, as a 1-bit PNG."""
    from PIL import Image, ImageDraw

    symbol = Image.open(io.BytesIO(symbol_png)).convert("L")
    if symbol.width > width:
        raise PosError("The barcode is too wide for the label.")
    pad = 12
    heights = [size + size // 3 for _text, size in lines]
    height = pad + sum(heights) + symbol.height + pad
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = pad
    for (text, size), h in zip(lines, heights):
        font = _font(size)
        shown = text
        while shown and draw.textlength(shown, font=font) > width - 2 * pad:
            shown = shown[:-2] + "…"
        draw.text(((width - draw.textlength(shown, font=font)) / 2, y), shown, font=font, fill=0)
        y += h
    img.paste(symbol, ((width - symbol.width) // 2, y))
    if border:
        draw.rectangle((0, 0, width - 1, height - 1), outline=0, width=3)
    out = io.BytesIO()
    img.point(lambda v: 0 if v < 128 else 255).convert("1").save(out, format="PNG")
    return out.getvalue()


def shelf_label_png(label: ShelfLabel, width: int = THERMAL_WIDTH_PX) -> bytes:
    """One shelf label for the thermal printer (203 dpi, ``width`` dots wide)."""
    symbol = barcode_png("ean13", label.barcode, dpi=THERMAL_DPI, module_px=3, height_mm=10)
    lines = [(label.name, 26), (label.price, 44)] + ([(label.detail, 20)] if label.detail else [])
    return _compose(width, lines, symbol)


def customer_card_png(shop_name: str, holder: str, card_code: str) -> bytes:
    """A customer card (credit-card shape, 85.6 × 54 mm at 300 dpi) with the card code as Code128."""
    symbol = barcode_png("code128", card_code, dpi=300, module_px=4, height_mm=14)
    return _compose(1011, [(shop_name, 56), (holder, 44)], symbol, border=True)


def voucher_slip_png(shop_name: str, title: str, amount: str, expiry: str, code: str) -> bytes:
    """A gift voucher slip: amount, expiry and the voucher code as Code128."""
    symbol = barcode_png("code128", code, dpi=300, module_px=4, height_mm=14)
    return _compose(1200, [(shop_name, 52), (title, 44), (amount, 96), (expiry, 36)], symbol, border=True)


def print_png(printer, png: bytes, *, cut: bool = True) -> None:
    """Send a PNG to a python-escpos printer as a raster image (``GS v 0``)."""
    from PIL import Image

    printer.set(align="center")
    printer.image(Image.open(io.BytesIO(png)), impl="bitImageRaster", center=False)
    printer.text("\n")
    if cut:
        printer.cut()
