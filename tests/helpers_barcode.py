"""A small barcode reader for tests: EAN-13 and Code128 from PNG pixels or SVG bars.

Written from the symbologies' tables (not python-barcode's encoder), so a label that
decodes here carries the code a scanner would read, check digit and checksum included.
"""

from __future__ import annotations

import io
import re

_L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
_R = ["".join("1" if b == "0" else "0" for b in code) for code in _L]
_G = [code[::-1] for code in _R]
_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]

# Code128 bar patterns by value (ISO/IEC 15417, table 1), as module strings.
_C128_WIDTHS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 "
    "113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 "
    "113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 "
    "241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 "
    "211232"
).split()


def _bits(widths: str) -> str:
    return "".join(("1" if i % 2 == 0 else "0") * int(w) for i, w in enumerate(widths))


_C128 = {_bits(w): v for v, w in enumerate(_C128_WIDTHS)}
_C128_STOP = _bits("2331112")


def decode_ean13(bits: str) -> str | None:
    if len(bits) != 95 or bits[:3] != "101" or bits[45:50] != "01010" or bits[92:] != "101":
        return None
    parity, digits = "", ""
    for i in range(6):
        chunk = bits[3 + 7 * i: 10 + 7 * i]
        if chunk in _L:
            parity, digits = parity + "L", digits + str(_L.index(chunk))
        elif chunk in _G:
            parity, digits = parity + "G", digits + str(_G.index(chunk))
        else:
            return None
    for i in range(6):
        chunk = bits[50 + 7 * i: 57 + 7 * i]
        if chunk not in _R:
            return None
        digits += str(_R.index(chunk))
    if parity not in _PARITY:
        return None
    code = str(_PARITY.index(parity)) + digits
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return code if (10 - total % 10) % 10 == int(code[12]) else None


def decode_code128(bits: str) -> str | None:
    if not bits.endswith(_C128_STOP) or (len(bits) - 13) % 11:
        return None
    values = [_C128.get(bits[i: i + 11]) for i in range(0, len(bits) - 13, 11)]
    if None in values or len(values) < 2 or values[0] not in (103, 104, 105):
        return None
    *body, check = values
    if (body[0] + sum(i * v for i, v in enumerate(body[1:], 1))) % 103 != check:
        return None
    mode, out = {103: "A", 104: "B", 105: "C"}[body[0]], ""
    for v in body[1:]:
        if mode == "C":
            if v < 100:
                out += f"{v:02d}"
            else:
                mode = {100: "B", 101: "A"}.get(v, mode)
        elif v == 99:
            mode = "C"
        elif mode == "B":
            if v < 96:
                out += chr(v + 32)
            elif v == 101:
                mode = "A"
        else:
            if v < 64:
                out += chr(v + 32)
            elif v < 96:
                out += chr(v - 64)
            elif v == 100:
                mode = "B"
    return out


def _runs_to_bits(runs: list[tuple[int, int]], module: float) -> str:
    return "".join(str(dark) * max(1, round(n / module)) for dark, n in runs)


def _decode_runs(runs: list[tuple[int, int]]) -> str | None:
    """runs: (1 dark / 0 light, length) from the first bar to the last."""
    if len(runs) < 20:
        return None
    span = sum(n for _d, n in runs)
    # A symbol's width in modules is known: 95 for an EAN-13, 11 k + 13 for a Code128 of k symbols
    # (start, data, check). Try each and read every run in modules of that width (bars drawn at a
    # fractional pixel pitch come out one pixel wider or narrower here and there).
    for modules in [95] + [11 * k + 13 for k in range(3, 80)]:
        module = span / modules
        if module < 1:
            break
        bits = _runs_to_bits(runs, module)
        if len(bits) != modules:
            continue
        found = decode_ean13(bits) if modules == 95 else decode_code128(bits)
        if found:
            return found
    return None


def _symbol_runs(row: list[int], quiet: int) -> list[list[tuple[int, int]]]:
    """Groups of runs separated by light gaps of at least ``quiet`` pixels."""
    runs: list[tuple[int, int]] = []
    for px in row:
        dark = 1 if px < 128 else 0
        if runs and runs[-1][0] == dark:
            runs[-1] = (dark, runs[-1][1] + 1)
        else:
            runs.append((dark, 1))
    groups, current = [], []
    for dark, n in runs:
        if not dark and n >= quiet:
            if current:
                groups.append(current)
            current = []
        elif dark or current:
            current.append((dark, n))
    if current:
        groups.append(current)
    return [g[:-1] if g and g[-1][0] == 0 else g for g in groups]


def read_png(png: bytes) -> set[str]:
    """Every EAN-13 / Code128 found on any pixel row of the image."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    found = set()
    seen_rows = set()
    for y in range(img.height):
        row = [img.getpixel((x, y)) for x in range(img.width)]
        key = tuple(row)
        if key in seen_rows:
            continue
        seen_rows.add(key)
        for group in _symbol_runs(row, quiet=20):
            code = _decode_runs(group)
            if code:
                found.add(code)
    return found


def read_svg(svg: str) -> list[str]:
    """Decode each python-barcode symbol (black rects in mm) of an SVG, in document order."""
    codes = []
    for block in re.findall(r"<svg[^>]*>.*?</svg>", svg[1:] if svg.startswith("<svg") else svg, flags=re.S):
        rects = [(float(x), float(w)) for x, w in
                 re.findall(r'<rect x="([0-9.]+)mm" y="[0-9.]+mm" width="([0-9.]+)mm"[^>]*fill:black', block)]
        if not rects:
            continue
        rects.sort()
        runs: list[tuple[int, int]] = []
        unit = min(w for _x, w in rects)
        pos = rects[0][0]
        for x, w in rects:
            gap = round((x - pos) / unit)
            if gap:
                runs.append((0, gap))
            runs.append((1, round(w / unit)))
            pos = x + w
        bits = "".join(str(d) * n for d, n in runs)
        codes.append(decode_ean13(bits) or decode_code128(bits) or "")
    return codes
