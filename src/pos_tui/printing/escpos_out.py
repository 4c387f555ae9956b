"""Receipt elements -> ESC/POS commands through python-escpos."""

from __future__ import annotations

from pos_tui.printing.receipt import Barcode, Pair, Receipt, Rule, Text, layout_pair, layout_text, printable


def render(receipt: Receipt, printer, width: int = 48, *, cut: bool = True) -> None:
    """Write ``receipt`` on a python-escpos printer object (Dummy, Network, File, Serial, Usb)."""
    font = "b" if width == 42 else "a"
    printer.set(align="left", font=font, bold=False, normal_textsize=True)
    for element in receipt.elements:
        if isinstance(element, (Text, Pair)):
            lines = layout_text(element, width) if isinstance(element, Text) else layout_pair(element, width)
            align = element.align if isinstance(element, Text) else "left"
            if element.big:
                printer.set(align=align, font=font, bold=element.bold, double_width=True, double_height=True)
            else:
                printer.set(align=align, font=font, bold=element.bold, normal_textsize=True)
            # Centering is done by the printer for centered text: send the stripped line.
            printer.text("".join((line.strip() if align == "center" else line) + "\n" for line in lines))
        elif isinstance(element, Rule):
            printer.set(align="left", font=font, bold=False, normal_textsize=True)
            printer.text(element.char * width + "\n")
        elif isinstance(element, Barcode):
            printer.set(align="center", font=font, bold=False, normal_textsize=True)
            # barcode() only adds checks we already made, and print()s "Using hardware barcode renderer"
            # to stdout on every call; _hw_barcode writes the same bytes without the chatter.
            printer._hw_barcode("{B" + printable(element.data), "CODE128", height=64, width=2, pos="BELOW",
                                font="A", align_ct=True, function_type="B", check=True)
    printer.set(align="left", font="a", bold=False, normal_textsize=True)
    if cut:
        printer.cut()
    if receipt.open_drawer:
        printer.cashdraw(2)


def to_bytes(receipt: Receipt, width: int = 48) -> bytes:
    """The exact bytes a printer would receive (python-escpos ``Dummy``)."""
    from escpos.printer import Dummy  # lazy: python-escpos is slow to import, needed only to print

    dummy = Dummy()
    render(receipt, dummy, width)
    return dummy.output
