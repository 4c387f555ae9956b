"""Printer connections from a URL: tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600,
file:///dev/usb/lp0, none (preview only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from pos_tui.domain.errors import PosError
from pos_tui.printing.escpos_out import PrinterModel, render

DEFAULT_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class PrinterTarget:
    kind: str  # none | tcp | usb | serial | file
    host: str = ""
    port: int = 9100
    vendor: int = 0
    product: int = 0
    path: str = ""
    baud: int = 9600
    # profile and code page (None: the shop's setting); not part of the address, so not compared
    model: PrinterModel | None = field(default=None, compare=False)

    @property
    def enabled(self) -> bool:
        return self.kind != "none"


def parse_printer_url(url: str | None) -> PrinterTarget:
    text = (url or "none").strip()
    if text.lower() in ("", "none"):
        return PrinterTarget("none")
    if "://" not in text and re.fullmatch(r"[A-Za-z0-9.\-]+:\d{1,5}", text):
        text = "tcp://" + text  # SPEC §9 writes a network printer as host:9100
    parsed = urlparse(text)
    try:
        if parsed.scheme == "tcp":
            if not parsed.hostname:
                raise ValueError("host missing")
            return PrinterTarget("tcp", host=parsed.hostname, port=parsed.port or 9100)
        if parsed.scheme == "usb":
            vendor, product = (parsed.netloc or parsed.path.strip("/")).split(":")
            return PrinterTarget("usb", vendor=int(vendor, 16), product=int(product, 16))
        if parsed.scheme == "serial":
            baud = int(parse_qs(parsed.query).get("baud", ["9600"])[0])
            if not parsed.path:
                raise ValueError("device missing")
            return PrinterTarget("serial", path=parsed.path, baud=baud)
        if parsed.scheme == "file":
            if not parsed.path:
                raise ValueError("path missing")
            return PrinterTarget("file", path=parsed.path)
    except ValueError as exc:
        raise PosError("Bad printer address {url!r}: {reason}", url=text, reason=str(exc)) from exc
    raise PosError("Bad printer address {url!r}: use tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600,"
                   " file:///dev/usb/lp0 or none.", url=text, reason="")


def open_printer(target: PrinterTarget, timeout_ms: int = DEFAULT_TIMEOUT_MS):
    """A python-escpos printer object, connected; raises on failure (callers translate)."""
    from escpos import printer as escpos_printer  # lazy: python-escpos is slow to import, needed only to print

    if target.kind == "tcp":
        device = escpos_printer.Network(target.host, port=target.port, timeout=timeout_ms / 1000)
    elif target.kind == "usb":
        device = escpos_printer.Usb(target.vendor, target.product, timeout=timeout_ms)
    elif target.kind == "serial":
        device = escpos_printer.Serial(target.path, baudrate=target.baud, timeout=timeout_ms / 1000)
    elif target.kind == "file":
        device = escpos_printer.File(target.path)
    else:
        raise PosError("No printer is set up (preview only).")
    device.open()
    return device


class PrinterOffline(PosError):
    """The printer did not take the document; the business action is saved anyway."""


def send(target: PrinterTarget, receipt, width: int, model: PrinterModel | None = None) -> None:
    """Print ``receipt`` on the target; raises ``PrinterOffline`` with a one-line reason when it fails."""
    if not target.enabled:
        raise PosError("No printer is set up (preview only).")
    try:
        device = open_printer(target)
        try:
            render(receipt, device, width, model=model or target.model)
        finally:
            try:
                device.close()
            except Exception:  # closing a dead connection may fail too; the outcome is already known
                pass
    except PosError:
        raise
    except Exception as exc:  # python-escpos raises socket, USB and serial errors of many types
        reason = " ".join(str(exc).split()) or type(exc).__name__  # one line for the toast
        raise PrinterOffline("Printer offline ({reason}): reprint from history.", reason=reason) from exc
