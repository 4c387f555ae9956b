"""Receipt elements -> ESC/POS bytes for a printer model (python-escpos capability profile).

One job is built as one byte string: ``ESC @`` (reset) first, the code page chosen once
(``ESC t n``, CP858 by default: € and the French accents in one table, numbered as the
profile says), a style command only where the style changes, then the drawer pulse and
``GS V`` (cut) last. Text is encoded for that code page; a character the page lacks is
written the way ``as_printed`` shows it in the preview (``€`` -> ``EUR``, else ``?``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.printing.receipt import Barcode, Pair, Receipt, Rule, Text, layout_pair, layout_text, printable

ESC, GS = b"\x1b", b"\x1d"
DEFAULT_PROFILE = "default"
DEFAULT_CODE_PAGE = "CP858"
# the tables a French receipt can use, best first (€ and accents; CP850 and CP437 lack €)
CODE_PAGES = ("CP858", "CP1252", "ISO_8859-15", "CP850", "CP437")
# what to print when the code page lacks a character (the preview shows the same)
SUBSTITUTES = {"€": "EUR", "Œ": "OE", "œ": "oe", "’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"',
               "…": "...", "—": "-", "–": "-", "•": "*", "·": "."}


def profile_names() -> list[str]:
    from escpos.capabilities import CAPABILITIES

    return sorted(CAPABILITIES["profiles"])


def _codec(code_page: str) -> str:
    return code_page.lower().replace("iso_8859-", "iso8859_")


@dataclass(frozen=True)
class PrinterModel:
    """A printer profile and the code page the job uses on it (``None``: the model has no table we can use)."""

    profile: str = DEFAULT_PROFILE
    code_page: str = DEFAULT_CODE_PAGE

    def resolved(self) -> tuple[str, int | None, bool, bool]:
        """(code page used, its number in the profile, full cut, partial cut)."""
        from escpos.capabilities import get_profile

        data = get_profile(self.profile).profile_data
        tables = {name: int(number) for number, name in data.get("codePages", {}).items()}
        for name in (self.code_page, *CODE_PAGES):
            if name in tables:
                features = data.get("features", {})
                return name, tables[name], bool(features.get("paperFullCut")), bool(features.get("paperPartCut"))
        return "CP437", None, bool(data.get("features", {}).get("paperFullCut")), False

    @property
    def codec(self) -> str:
        return _codec(self.resolved()[0])


def encode(text: str, codec: str) -> bytes:
    out = bytearray()
    for ch in printable(text):
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            out += SUBSTITUTES.get(ch, "?").encode(codec, errors="replace")
    return bytes(out)


def as_printed(text: str, codec: str) -> str:
    """The text as the printer will show it (for the on-screen preview)."""
    return encode(text, codec).decode(codec)


class _Job:
    """The bytes of one job, with the printer's current style so that only changes are sent."""

    def __init__(self, model: PrinterModel, font: str) -> None:
        code_page, number, self.full_cut, self.part_cut = model.resolved()
        self.codec = _codec(code_page)
        self.data = bytearray(ESC + b"@")  # reset: left, font A, not bold, normal size, page 0
        self.state = {"align": "left", "font": "a", "bold": False, "big": False}
        if number is not None:  # always once, even for page 0: the printer may keep a page set by another job
            self.data += ESC + b"t" + bytes([number])
        self.barcode_ready = False
        self.style(font=font)

    def style(self, **wanted) -> None:
        for key, value in wanted.items():
            if self.state[key] == value:
                continue
            self.state[key] = value
            if key == "align":
                self.data += ESC + b"a" + bytes([{"left": 0, "center": 1, "right": 2}[value]])
            elif key == "font":
                self.data += ESC + b"M" + bytes([1 if value == "b" else 0])
            elif key == "bold":
                self.data += ESC + b"E" + bytes([1 if value else 0])
            elif key == "big":
                self.data += GS + b"!" + bytes([0x11 if value else 0x00])  # double width and height

    def line(self, text: str) -> None:
        self.data += encode(text, self.codec) + b"\n"

    def barcode(self, data: str) -> None:
        if not self.barcode_ready:  # height, module width, HRI font and position stay set for the job
            self.data += GS + b"h" + bytes([64]) + GS + b"w" + bytes([2]) + GS + b"f" + bytes([0]) + GS + b"H" + bytes([2])
            self.barcode_ready = True
        payload = b"{B" + printable(data).encode("ascii", errors="replace")
        self.data += GS + b"kI" + bytes([len(payload)]) + payload


def job_bytes(receipt: Receipt, width: int = 48, model: PrinterModel | None = None, *, cut: bool = True) -> bytes:
    """The exact bytes of one print job for ``receipt`` on ``model``."""
    job = _Job(model or PrinterModel(), "b" if width == 42 else "a")
    for element in receipt.elements:
        if isinstance(element, (Text, Pair)):
            lines = layout_text(element, width) if isinstance(element, Text) else layout_pair(element, width)
            align = element.align if isinstance(element, Text) else "left"
            job.style(align=align, bold=element.bold, big=element.big)
            for line in lines:  # centred text is centred by the printer: send it stripped
                job.line(line.strip() if align == "center" else line)
        elif isinstance(element, Rule):
            job.style(align="left", bold=False, big=False)
            job.line(element.char * width)
        elif isinstance(element, Barcode):
            job.style(align="center", bold=False, big=False)
            job.barcode(element.data)
    if receipt.open_drawer:
        job.data += ESC + b"p\x00" + bytes([50, 50])  # pulse pin 2 (before the cut: the cut ends the job)
    if cut:
        job.data += ESC + b"d\x06"  # feed the last line past the blade
        if job.full_cut or job.part_cut:
            job.data += GS + b"V" + (b"\x00" if job.full_cut else b"\x01")
    return bytes(job.data)


def render(receipt: Receipt, printer, width: int = 48, *, cut: bool = True, model: PrinterModel | None = None) -> None:
    """Send ``receipt`` to a python-escpos printer object (Network, File, Serial, Usb, Dummy) in one write."""
    printer._raw(job_bytes(receipt, width, model, cut=cut))


def to_bytes(receipt: Receipt, width: int = 48, model: PrinterModel | None = None) -> bytes:
    """The exact bytes a printer receives for ``receipt``."""
    return job_bytes(receipt, width, model)
