"""Receipts as data (SPEC §9): a list of elements, laid out for a paper width.

Pure: no I/O, no Textual, no SQLite. ``render_text`` gives the on-screen preview;
``printing.escpos_out.render`` sends the same elements to an ESC/POS printer.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

# Columns per line: 80 mm paper with font A = 48, with font B setups 42; 58 mm paper = 32.
PAPER_WIDTHS = (48, 42, 32)


@dataclass(frozen=True)
class Text:
    text: str
    align: str = "left"  # left | center | right
    bold: bool = False
    big: bool = False  # double width and height: counts twice the columns


@dataclass(frozen=True)
class Pair:
    """A label on the left and a value flush right (amounts)."""

    left: str
    right: str
    bold: bool = False
    big: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Barcode:
    """A Code128 barcode of ``data`` (voucher codes, the sale number)."""

    data: str


@dataclass
class Receipt:
    elements: list = field(default_factory=list)
    open_drawer: bool = False

    def add(self, *elements) -> Receipt:
        self.elements.extend(elements)
        return self


def printable(text: str) -> str:
    """Babel's narrow/ordinary no-break spaces become plain spaces; other controls are dropped."""
    text = (text or "").replace("\u202f", " ").replace("\u00a0", " ").replace("\u2009", " ")
    return "".join(ch for ch in text if ch == "\n" or ch >= " ")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(printable(text), width=width, break_long_words=True, break_on_hyphens=False) or [""]


def layout_text(element: Text, width: int) -> list[str]:
    columns = width // 2 if element.big else width
    lines = _wrap(element.text, columns)
    if element.align == "center":
        return [line.center(columns).rstrip() for line in lines]
    if element.align == "right":
        return [line.rjust(columns) for line in lines]
    return lines


def layout_pair(element: Pair, width: int) -> list[str]:
    """The label wraps on its own lines; the value sits right-aligned on the last one."""
    columns = width // 2 if element.big else width
    right = printable(element.right)[:columns]
    room = columns - len(right) - 1
    left_lines = _wrap(element.left, max(room, 1)) if room >= 8 else _wrap(element.left, columns) + [""]
    last = left_lines[-1]
    return left_lines[:-1] + [last + " " * (columns - len(last) - len(right)) + right]


def render_text(receipt: Receipt, width: int = 48) -> list[str]:
    """The receipt as it will print, one string per printed line (big text shown at its real width)."""
    if width not in PAPER_WIDTHS:
        raise ValueError(f"paper width must be one of {PAPER_WIDTHS}")
    out: list[str] = []
    for element in receipt.elements:
        if isinstance(element, Text):
            lines = layout_text(element, width)
            out += [" ".join(line) if element.big else line for line in lines]
        elif isinstance(element, Pair):
            lines = layout_pair(element, width)
            out += [" ".join(line) if element.big else line for line in lines]
        elif isinstance(element, Rule):
            out.append(element.char * width)
        elif isinstance(element, Barcode):
            out.append(("||| " + element.data + " |||").center(width).rstrip())
    return out
