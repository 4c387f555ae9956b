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
    tables: list[RenderableType] = [block_table(b) for b in summary_blocks(data, method_labels)]
    chart = Group(Text(_("Sales per hour"), style="bold"), hour_chart(data["per_hour"]))
    return [*tables, chart]


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

    def compose(self) -> ComposeResult:
        yield from self._statics(self._renderables())

    @staticmethod
    def _statics(renderables: list[RenderableType]) -> list[Static]:
        last = len(renderables) - 1
        return [Static(r, classes="summary-block summary-chart" if i == last else "summary-block")
                for i, r in enumerate(renderables)]

    def _renderables(self) -> list[RenderableType]:
        if self.data is None:
            return []
        labels = {m.code: m.name for m in methods.all_methods(self.till.store)}
        return render_summary(self.data, labels)

    def show(self, data: dict) -> None:
        """Redraw with another summary (same shape: the blocks never change in number)."""
        self.data = data
        statics = list(self.query(".summary-block").results(Static))
        renderables = self._renderables()
        if len(statics) != len(renderables):
            self.remove_children()
            self.mount_all(self._statics(renderables))
            return
        for static, renderable in zip(statics, renderables):
            static.update(renderable)

    def plain_text(self, width: int = 100) -> str:
        """What the blocks say, as plain text (for tests and for copying)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for renderable in self._renderables():
            console.print(renderable)
        return console.export_text()
