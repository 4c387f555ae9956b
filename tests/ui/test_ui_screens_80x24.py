"""Issue 13 at 80x24: footers that fit with the keys that matter, no stray character after the palette
key, the help screen (F1) in both languages, key labels following the language, Textual's own words
translated, the cash count's status and Z button in sight."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandInput, CommandPalette
from textual.widgets import Button, Static

from helpers_ui_screens import SCREENS, demo_template, footer_keys, store, visit  # noqa: F401 - fixtures
from pos_tui import i18n
from pos_tui.ui.app import PosApp
from pos_tui.ui.keys import key_rows
from pos_tui.ui.screens.checkout import CheckoutScreen
from pos_tui.ui.screens.help import HelpScreen

SMALL = (80, 24)

# The keys each screen's footer must show at 80 columns (French, the longest words).
IMPORTANT = {
    "login": {"f1", "ctrl+q"},
    "lookup": {"ctrl+n", "f1", "f3"},
    "customer": {"e", "f4", "escape", "f1"},
    "checkout": {"f10", "f2", "f7", "f1"},
    "checkout-lines": {"f10", "f2", "f5", "f7", "f8", "f1"},
    "payment": {"f10", "escape", "f1"},
    "credit": {"escape", "ctrl+s", "f1"},
    "closing": {"escape", "f12", "f10", "ctrl+e", "f1"},
    "closing-cash": {"escape", "f12", "f1"},
    "closing-z": {"escape", "f12", "f1"},
    "closing-periods": {"escape", "f10", "f1"},
    "receipts": {"r", "p", "escape", "f1"},
    "products": {"ctrl+n", "escape", "f1"},
    "staff": {"ctrl+n", "r", "p", "u", "escape", "f1"},
    "returns": {"f2", "f1"},
    "vouchers": {"escape", "f1"},
    "methods": {"ctrl+n", "space", "escape", "f1"},
    "email": {"escape", "r", "s", "d", "f1"},
}


@pytest.mark.parametrize("name", SCREENS)
async def test_footer_fits_80_columns_with_the_important_keys(store, name):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, name)
        shown, cut = footer_keys(pilot.app)
        assert not cut, f"{name}: keys cut at 80 columns: {cut}"
        assert IMPORTANT[name] <= set(shown), f"{name}: missing {IMPORTANT[name] - set(shown)} in {shown}"


async def test_no_stray_character_after_the_palette_key(store):
    """The compact footer's right margin left the last column to whatever key was cut under it."""
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "checkout-lines")
        last_line = pilot.app.screen._compositor.render_strips()[-1].text
        assert len(last_line) == 80
        assert last_line.rstrip().endswith("^p palette"), repr(last_line)


def _help_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return "\n".join(str(w.content) for w in screen.query(Static))


async def test_f1_lists_every_key_of_the_screen_and_the_global_ones_in_french(store):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "checkout-lines")
        await pilot.press("f1")
        await pilot.pause()
        text = _help_text(pilot.app)
        # hidden from the footer, still in the help
        assert re.search(r"^Ctrl\+B / F11 +Bon cadeau$", text, re.M)
        assert re.search(r"^Ctrl\+E +Quantité$", text, re.M)
        assert re.search(r"^F8 +Annuler vente$", text, re.M)  # the help says more than the footer's word
        # global keys
        assert "Partout" in text and re.search(r"^F9 +Synthèse du jour \(X\) et clôture \(Z\)$", text, re.M)
        assert re.search(r"^Ctrl\+L +Changer de caissier$", text, re.M)
        assert "Échap" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CheckoutScreen)


async def test_f1_on_a_modal_screen_and_in_english(store, english):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "payment")
        await pilot.press("f1")
        await pilot.pause()
        text = _help_text(pilot.app)
        assert "Payment" in text and re.search(r"^F10 / Ctrl\+Enter +Close sale$", text, re.M)
        assert re.search(r"^Esc +Back to the sale$", text, re.M)
        assert "Everywhere" in text and "Switch cashier" in text
        assert "Clôture" not in text and "Partout" not in text
        await pilot.press("f1")  # F1 again closes it too
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)


def test_help_rows_hold_every_declared_key():
    keys = {k for row in key_rows(CheckoutScreen) for k in row.keys}
    assert {"f10", "ctrl+enter", "f2", "f6", "ctrl+b", "f11", "f12", "ctrl+e", "ctrl+d", "delete", "plus",
            "ctrl+r", "ctrl+u", "f5", "f7", "f8", "escape"} <= keys
    assert {k for row in key_rows(PosApp) for k in row.keys} >= {"f1", "f2", "f3", "f4", "f9", "ctrl+q", "ctrl+p"}


async def test_footer_labels_follow_a_language_switch(store):
    """Bindings are built once at import: their words must be translated when the footer shows them."""
    i18n.set_language("en")
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "checkout-lines")
        descriptions = {b.binding.description for b in pilot.app.screen.active_bindings.values()}
        assert {"Pay", "Park", "Cancel"} <= descriptions and "Payer" not in descriptions
    i18n.set_language("fr")
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "checkout-lines")
        descriptions = {b.binding.description for b in pilot.app.screen.active_bindings.values()}
        assert {"Payer", "Attente", "Annuler"} <= descriptions and "Pay" not in descriptions


async def test_palette_system_commands_and_placeholder_in_french(store):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "lookup")
        titles = {c.title for c in pilot.app.get_system_commands(pilot.app.screen)}
        assert {"Thème", "Quitter", "Touches", "Capture d'écran"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CommandPalette)
        assert pilot.app.screen.query_one(CommandInput).placeholder == "Rechercher une commande…"


async def test_cash_count_status_and_z_button_stay_in_sight_at_80x24(store):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "closing-cash")
        await pilot.press(*"312,40")
        await pilot.pause()
        screen = pilot.app.screen
        status = screen.query_one("#count-status", Static)
        button = screen.query_one("#close-day", Button)
        visible = screen.region
        assert "312,40" in str(status.render()) or "312,40" in str(status.content)
        for widget in (status, button):
            region = widget.region
            assert region.height and visible.contains_region(region), (widget.id, region)
            assert widget.visible


async def test_customer_box_does_not_wrap_the_debt_limit_at_80x24(store):
    """The company account of the demo may owe 300,00 €: "Plafond de dette 300,00 €" on one line."""
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "checkout")
        await pilot.press(*"ATELIER1", "enter")
        await pilot.pause()
        limit = pilot.app.screen.query_one("#customer-limit", Static)
        assert "300,00" in str(limit.content)
        assert limit.size.height == 1, limit.size


@pytest.mark.parametrize("name, table_id", [("products", "#products-list"), ("receipts", "#receipts-table"),
                                             ("vouchers", "#vouchers-list"), ("staff", "#staff-list"),
                                             ("credit", "#credit-history")])
async def test_lists_fit_80_columns_without_scrolling_sideways(store, name, table_id):
    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, name)
        table = pilot.app.screen.query_one(table_id)
        assert table.max_scroll_x == 0, f"{name}: {table.virtual_size.width} columns in {table.size.width}"


async def test_select_menu_key_in_french(store):
    """Textual's own "Dismiss menu" (an open Select) is translated where the footer reads it."""
    from textual.widgets import Select

    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "closing-cash")
        pilot.app.screen.query_one("#movement-kind", Select).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        descriptions = {a.binding.description for a in pilot.app.screen.active_bindings.values()}
        assert "Fermer le menu" in descriptions and "Dismiss menu" not in descriptions


async def test_staff_column_titles_are_not_cut(store):
    """'Dernière connexion' was cut to its first 15 letters at 80 columns."""
    from textual.widgets import DataTable

    async with PosApp(store).run_test(size=SMALL) as pilot:
        await visit(pilot.app, pilot, "staff")
        table = pilot.app.screen.query_one("#staff-list", DataTable)
        cut = [str(c.label) for c in table.columns.values() if c.get_render_width(table) - 2 * table.cell_padding
               < len(str(c.label))]
        assert cut == []
        assert table.max_scroll_x == 0
