"""The day summary (X and Z): one renderer draws a summary dict, whether it is the live X of
``services.closing.summary`` or the figures frozen in a Z row."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.geometry import Size
from textual.widgets import Static

from pos_tui.i18n import _
from pos_tui.printing.day_report import Block, summary_blocks
from pos_tui.services import methods
from pos_tui.ui.format import money
from pos_tui.ui.till import TillAccess

CHART_WIDTH = 28  # columns of the longest bar in the sales-per-hour chart
_EIGHTHS = " ▏▎▍▌▋▊▉"


def block_table(block: Block) -> Table:
    table = Table(title=block.title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, show_header=block.show_header, expand=True,
                  show_footer=block.total is not None, footer_style="bold")
    for i, header in enumerate(block.headers):
        footer = block.total[i] if block.total else ""
        if i == 0:
            table.add_column(header, footer=footer, ratio=1, overflow="ellipsis", no_wrap=True)
        else:
            table.add_column(header, footer=footer, justify="right", no_wrap=True)
    for row in block.rows:
        table.add_row(*(Text(cell) for cell in row))
    if not block.rows:
        table.add_row(Text(_("none"), style="dim"), *([""] * (len(block.headers) - 1)))
    return table


def hour_chart(per_hour: list[dict], width: int = CHART_WIDTH) -> Text:
    """Sales per hour as horizontal bars, ``09h ████████▍ 123,40 € (4)``; an hour without sales in between
    shows an empty bar."""
    if not per_hour:
        return Text(_("No sale yet."), style="dim")
    by_hour = {int(r["hour"]): r for r in per_hour}
    top = max((r["total"] for r in per_hour), default=0)
    amounts = [money(r["total"]) for r in per_hour]
    amount_width = max(len(a) for a in amounts)
    text = Text(no_wrap=True)
    for hour in range(min(by_hour), max(by_hour) + 1):
        row = by_hour.get(hour, {"n": 0, "total": 0})
        eighths = round(8 * width * row["total"] / top) if top > 0 and row["total"] > 0 else 0
        bar = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
        text.append(f"{hour:02d}h ")
        text.append(bar.ljust(width), style="bold cyan")
        text.append(f" {money(row['total']):>{amount_width}}")
        text.append(f" ({row['n']})\n" if row["n"] else "\n", style="dim")
    text.rstrip()
    return text


def render_summary(data: dict, method_labels: dict[str, str] | None = None) -> list[RenderableType]:
    """The renderables of a summary (one per block, the per-hour chart last): used for the X and every Z."""
    return [_renderable(part) for part in summary_parts(data, method_labels)]


def summary_parts(data: dict, method_labels: dict[str, str] | None = None) -> list[Block | list[dict]]:
    """What each renderable of ``render_summary`` shows: its block, and the hours of the chart last."""
    return [*summary_blocks(data, method_labels), data["per_hour"]]


def _renderable(part: Block | list[dict]) -> RenderableType:
    if isinstance(part, Block):
        return block_table(part)
    return Group(Text(_("Sales per hour"), style="bold"), hour_chart(part))


class SummaryBlock(Static):
    """One block of a summary. Its height at a width is measured once per content: measuring renders the whole
    table, and Textual forgets the measure at every repaint (opening F9 measured each table four times)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._heights: dict[int, int] = {}

    def update(self, *args, **kwargs) -> None:
        self._heights = {}
        super().update(*args, **kwargs)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = super().get_content_height(container, viewport, width)
        return self._heights[width]


class SummaryView(TillAccess, Grid):
    """The summary blocks in a grid: one column, two when the screen is wide (the screens' CSS says so)."""

    DEFAULT_CSS = """
    SummaryView { grid-size: 1; grid-rows: auto; grid-gutter: 1 2; height: auto; padding: 0 1; }
    SummaryView > .summary-block { height: auto; }
    SummaryView > .summary-chart { column-span: 2; }
    """

    def __init__(self, data: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data = data
        self._shown: list[Block | list[dict]] = []  # what each block's Static shows

    def compose(self) -> ComposeResult:
        self._shown = self._parts()
        yield from self._statics([_renderable(part) for part in self._shown])

    @staticmethod
    def _statics(renderables: list[RenderableType]) -> list[Static]:
        last = len(renderables) - 1
        return [SummaryBlock(r, classes="summary-block summary-chart" if i == last else "summary-block")
                for i, r in enumerate(renderables)]

    def _parts(self) -> list[Block | list[dict]]:
        if self.data is None:
            return []
        labels = {m.code: m.name for m in methods.all_methods(self.till.store)}
        return summary_parts(self.data, labels)

    def _renderables(self) -> list[RenderableType]:
        return [_renderable(part) for part in self._parts()]

    def show(self, data: dict) -> None:
        """Redraw with another summary (same shape: the blocks never change in number). Only the blocks whose
        figures changed are drawn again: re-opening F9 with the same figures lays out and paints nothing new."""
        self.data = data
        statics = list(self.query(".summary-block").results(Static))
        parts = self._parts()
        if len(statics) != len(parts):
            self._shown = parts
            self.remove_children()
            self.mount_all(self._statics([_renderable(part) for part in parts]))
            return
        for static, part, shown in zip(statics, parts, self._shown):
            if part != shown:
                static.update(_renderable(part))
        self._shown = parts

    def plain_text(self, width: int = 100) -> str:
        """What the blocks say, as plain text (for tests and for copying)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for renderable in self._renderables():
            console.print(renderable)
        return console.export_text()
