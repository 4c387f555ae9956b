"""A DataTable that draws again only the rows that changed (issue 17: a scan into a long basket).

Textual 8.2.8 (pinned) keys its row render cache on a table-wide update counter and on the cursor
position: adding one row, or moving the cursor to it, renders every visible row's cells again, so a
scan cost more the fuller the lines table was (about 27 rows of cells at 120x36, against 1-3 for the
first lines). Here a row's rendering is kept under what it actually depends on: the row's own version
(bumped when its cells change), its index (zebra stripes, mouse meta), whether the cursor or the mouse
is on it, the column widths, the widget's width and pseudo-classes. A scan then renders the new row and
the row the cursor left. Tables with row labels or a cell / column cursor use Textual's own path.
"""

from __future__ import annotations

from itertools import zip_longest

from textual.cache import LRUCache
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey, Row, RowKey


class RowCachedTable(DataTable):
    def __init__(self, *args, **kwargs) -> None:
        # Set first: DataTable's watchers (zebra stripes...) clear the caches while it initialises.
        self._row_versions: dict[RowKey, int] = {}
        self._next_version = 0
        self._rows_drawn: LRUCache = LRUCache(2000)
        super().__init__(*args, **kwargs)

    # -- what changes a row --------------------------------------------------------
    def _bump(self, row_key: RowKey) -> None:
        self._next_version += 1
        self._row_versions[row_key] = self._next_version

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._bump(row_key)
        return row_key

    def add_keyed_rows(self, rows: list[tuple[list, str]]) -> None:
        """Add ``(cells, key)`` rows at the bottom, as ``add_row`` one by one would (one-line rows, no labels),
        with the table-wide work done once: a customer search refills 50 rows per key, and ``add_row`` sorts
        the columns twice and re-checks the cursor for each (~60 % of the refill, issue 17)."""
        columns = self.ordered_columns
        width = len(columns)
        locations, data, table_rows, new_rows = self._row_locations, self._data, self.rows, self._new_rows
        for cells, key in rows:
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > width:
                raise ValueError("More values provided than there are columns.")
            locations[row_key] = len(table_rows)
            data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
            table_rows[row_key] = Row(row_key, 1, None, False)
            new_rows.add(row_key)
            self._bump(row_key)
        if not rows:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if len(table_rows) == len(rows) and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # the table was empty: a cell to highlight has appeared
        self._update_count += 1
        self.check_idle()

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        self._bump(RowKey(row_key) if isinstance(row_key, str) else row_key)

    def remove_row(self, row_key) -> None:
        super().remove_row(row_key)
        self._row_versions.pop(RowKey(row_key) if isinstance(row_key, str) else row_key, None)

    def clear(self, columns: bool = False):
        # Row keys are reused after a clear ("0", "1", ...): nothing drawn before may be taken for them.
        self._row_versions.clear()
        self._rows_drawn.clear()
        return super().clear(columns=columns)

    def add_column(self, *args, **kwargs):
        self._rows_drawn.clear()
        return super().add_column(*args, **kwargs)

    def remove_column(self, *args, **kwargs) -> None:
        self._rows_drawn.clear()
        super().remove_column(*args, **kwargs)

    def _clear_caches(self) -> None:  # resize, show_header, zebra stripes, cursor type... (Textual's own list)
        super()._clear_caches()
        self._rows_drawn.clear()

    def notify_style_update(self) -> None:  # a theme or CSS change
        self._rows_drawn.clear()
        super().notify_style_update()

    # -- drawing -------------------------------------------------------------------
    def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
        if self.cursor_type != "row" or self._labelled_row_exists:
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        row_index = self._row_locations.get(row_key) if row_key in self._row_locations else -1
        key = (
            row_key, self._row_versions.get(row_key, -1), row_index, line_no, base_style,
            cursor_location.row == row_index, hover_location.row == row_index,
            self.show_cursor, self._show_hover_cursor, self._pseudo_class_state,
            self.size.width, self.fixed_columns, self.cell_padding, self._row_label_column_width,
            tuple(column.get_render_width(self) for column in self.ordered_columns),
        )
        drawn = self._rows_drawn.get(key)
        if drawn is None:
            drawn = self._rows_drawn[key] = super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location)
        return drawn
