"""The checkout's lines table (RowCachedTable) draws exactly what Textual's DataTable draws, after any
sequence of changes, while drawing again only the rows that changed (issue 17: a scan into a long basket)."""

from __future__ import annotations

import random

import pytest
from rich.text import Text
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import DataTable

from pos_tui.ui.widgets.tables import RowCachedTable


class TwoTables(App):
    CSS = "DataTable { width: 1fr; height: 14; }"

    def compose(self):
        with Horizontal():
            yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)
            yield RowCachedTable(id="cached", cursor_type="row", zebra_stripes=True)

    def tables(self) -> list[DataTable]:
        return [self.query_one("#plain", DataTable), self.query_one("#cached", DataTable)]


def _drawn(table: DataTable) -> list[list[tuple[str, str]]]:
    return [[(segment.text, str(segment.style)) for segment in table.render_line(y)]
            for y in range(table.size.height)]


def _row(rng: random.Random, n: int) -> list:
    name = rng.choice(["Café", "Pain de campagne", "Lait entier 1 L", "Chocolat noir 70 % tablette 200 g"])
    return [Text(f"{name} {n}", no_wrap=True, overflow="ellipsis"), str(rng.randint(1, 12)),
            Text(f"{rng.randint(0, 99_999) / 100:.2f} €", justify="right", style=rng.choice(["", "bold red"]))]


async def test_draws_what_a_datatable_draws_after_any_change():
    rng = random.Random(3)  # 60 random changes: adds, cell updates, cursor moves, removals, clears
    app = TwoTables()
    async with app.run_test(size=(100, 16)) as pilot:
        for table in app.tables():
            table.add_columns("Article", "Qty", "Total")
        keys: list[str] = []
        counter = 0
        for step in range(60):
            op = rng.choice(["add", "add", "add", "update", "cursor", "remove", "clear"] if step > 5
                            else ["add"])
            if op == "add" or not keys:
                counter += 1
                row = _row(rng, counter)
                for table in app.tables():
                    table.add_row(*row, key=str(counter))
                    table.move_cursor(row=table.row_count - 1, animate=False)
                keys.append(str(counter))
            elif op == "update":
                key, value = rng.choice(keys), str(rng.randint(1, 99))
                for table in app.tables():
                    table.update_cell(key, table.ordered_columns[1].key, value, update_width=True)
            elif op == "cursor":
                row = rng.randrange(len(keys))
                for table in app.tables():
                    table.move_cursor(row=row, animate=False)
            elif op == "remove":
                key = keys.pop(rng.randrange(len(keys)))
                for table in app.tables():
                    table.remove_row(key)
            elif op == "clear" and rng.random() < 0.3:
                keys.clear()
                counter = 0  # keys are reused after a clear, as the checkout does ("0", "1", ...)
                for table in app.tables():
                    table.clear()
            app.set_focus(None)  # neither focused: both draw their cursor alike
            await pilot.pause()
            plain, cached = app.tables()
            assert _drawn(cached) == _drawn(plain), f"step {step} ({op})"
            if step % 10 == 9:  # focused (the cursor's colours change): each in turn, drawn the same
                seen = []
                for table in (plain, cached):
                    table.focus()
                    await pilot.pause()
                    seen.append(_drawn(table))
                assert seen[1] == seen[0], f"step {step}, focused"


async def test_adding_a_row_to_a_full_table_draws_only_the_rows_that_changed():
    app = TwoTables()
    async with app.run_test(size=(100, 16)) as pilot:
        plain, cached = app.tables()
        cached.add_columns("Article", "Qty", "Total")
        rng = random.Random(7)
        for n in range(40):
            cached.add_row(*_row(rng, n), key=str(n))
            cached.move_cursor(row=cached.row_count - 1, animate=False)
        await pilot.pause()
        drawn = []
        real = DataTable._render_line_in_row

        def counted(self, row_key, *args):
            if self is cached:
                drawn.append(row_key)
            return real(self, row_key, *args)

        DataTable._render_line_in_row = counted
        try:
            cached.add_row(*_row(rng, 40), key="40")  # a scan: one more line, the cursor on it
            cached.move_cursor(row=cached.row_count - 1, animate=False)
            await pilot.pause()
        finally:
            DataTable._render_line_in_row = real
        # The new row and the one the cursor left (and the header once): not the 13 rows in sight.
        rows = {key.value for key in drawn if key.value is not None}
        assert rows and rows <= {"39", "40"}, rows
        shown = ["".join(text for text, _style in line) for line in _drawn(cached)]
        assert any(" 40 " in line for line in shown), shown  # the new line is in sight


async def test_rows_added_in_one_go_are_the_rows_added_one_by_one():
    """The customer search refills its results with add_keyed_rows: the same table as add_row one by one
    (data, order, keys, cursor, what is drawn), after a clear too; a key already there is refused."""
    from textual.widgets.data_table import DuplicateKey

    class Twin(TwoTables):
        def compose(self):
            with Horizontal():
                yield RowCachedTable(id="plain", cursor_type="row", zebra_stripes=True)
                yield RowCachedTable(id="cached", cursor_type="row", zebra_stripes=True)

    app = Twin()
    async with app.run_test(size=(100, 16)) as pilot:
        one_by_one, in_one_go = app.tables()
        for table in (one_by_one, in_one_go):
            table.add_columns("Article", "Qty", "Total")
        rng = random.Random(11)
        for fill in range(3):
            rows = [(_row(rng, n), f"c{fill}-{n}") for n in range(rng.randint(0, 30))]
            for table in (one_by_one, in_one_go):
                table.clear()
            for cells, key in rows:
                one_by_one.add_row(*cells, key=key)
            in_one_go.add_keyed_rows(rows)
            app.set_focus(None)
            await pilot.pause()
            assert in_one_go.row_count == one_by_one.row_count == len(rows)
            assert [in_one_go.get_row_at(i) for i in range(len(rows))] == [cells for cells, _key in rows]
            assert [in_one_go.coordinate_to_cell_key((i, 0)).row_key.value for i in range(len(rows))] == \
                [key for _cells, key in rows]
            assert in_one_go.cursor_coordinate == one_by_one.cursor_coordinate
            assert _drawn(in_one_go) == _drawn(one_by_one), f"fill {fill}"
        with pytest.raises(DuplicateKey):
            in_one_go.add_keyed_rows([(_row(rng, 1), in_one_go.coordinate_to_cell_key((0, 0)).row_key.value)])
