"""The credit panel, the receipt preview and the credit settings, driven through Pilot (S1, S3)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select

from helpers_ui_credit import FIXED_NOW, french, log_in, make_shop, open_panel, text_of  # noqa: F401
from pos_tui.domain.errors import RightDenied
from pos_tui.domain.rights import Right
from pos_tui.i18n import _, catalog
from pos_tui.services import auth, credit, printing, settings
from pos_tui.services.context import Context
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.screens.credit_panel import CreditPanelScreen
from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen
from pos_tui.ui.screens.settings import CreditSettingsScreen, DebtLimitScreen

pytestmark = pytest.mark.usefixtures("french")

SRC = Path(__file__).resolve().parents[2] / "src" / "pos_tui"


async def type_into(pilot, selector: str, text: str) -> None:
    """Focus an Input, clear it and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*text)


async def choose_method(pilot, code: str) -> None:
    pilot.app.screen.query_one("#credit-method", Select).value = code
    await pilot.pause()


# -- S1: top-up by keyboard alone ----------------------------------------------------

async def test_s1_manager_tops_up_claire(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        assert isinstance(app.screen, CreditPanelScreen)
        assert app.focused.id == "credit-amount"
        # amount, Enter -> the method menu opens on the first method; "c" picks CB at once -> label; Enter records
        await pilot.press(*"50,00", "enter")
        await pilot.pause()
        assert app.screen.query_one("#credit-method", Select).expanded
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#credit-method", Select).value == "CB"
        assert app.focused.id == "credit-label"
        await pilot.press("enter")
        await pilot.pause()

        rows = shop.ledger()
        assert len(rows) == 1
        assert (rows[0]["amount"], rows[0]["method"], rows[0]["kind"]) == (5000, "CB", "top_up")
        assert rows[0]["user_id"] == shop.marie.id and rows[0]["terminal"] == 1
        assert shop.balance() == 5000

        assert isinstance(app.screen, ReceiptPreviewScreen)
        receipt = text_of(app, "#receipt-preview")
        assert "5 0 , 0 0   €" in receipt  # the amount, double width
        assert any(line.startswith("Nouveau solde") and line.endswith("50,00 €") for line in receipt.splitlines())
        assert "Ancien solde" in receipt and "Claire Martin" in receipt
        assert "Marie" in receipt and "14/03/2025 10:00" in receipt
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, CreditPanelScreen)
        assert app.focused.id == "credit-amount"
        assert "50,00" in text_of(app, "#credit-balance") and "crédit" in text_of(app, "#credit-balance")
        assert app.screen.query_one("#credit-balance").has_class("credit")
        assert app.screen.query_one("#credit-history", DataTable).row_count == 1
        assert app.screen.query_one("#credit-amount", Input).value == ""
        assert app.screen.query_one("#credit-method", Select).is_blank()
        assert app.screen.idempotency_key is None  # reset with the form


async def test_double_submit_writes_once(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        screen = app.screen
        await type_into(pilot, "#credit-amount", "10")
        await choose_method(pilot, "ESP")
        screen.idempotency_key = "k" * 32  # the key of an attempt whose answer was lost
        credit.top_up(Context(shop.store, shop.marie), shop.claire.id, 1000, "ESP", idempotency_key="k" * 32)
        screen.action_submit()  # the retry replays: nothing more written
        await pilot.pause()
        assert len(shop.ledger()) == 1
        assert isinstance(app.screen, ReceiptPreviewScreen)


# -- S3: a cashier cannot top up ---------------------------------------------------------

async def test_s3_cashier_cannot_top_up(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.paul, shop.claire.id)
        assert isinstance(app.screen, CreditPanelScreen)
        assert not app.screen.query("#credit-amount")
        assert not app.screen.query("#credit-form")
        assert "0,00" in text_of(app, "#credit-balance")  # the cashier still sees the balance
        await pilot.press("ctrl+s", "l")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)
    assert shop.ledger() == []
    with pytest.raises(RightDenied) as refused:
        credit.top_up(Context(shop.store, shop.paul), shop.claire.id, 5000, "CB")
    assert refused.value.message == "Vous n'avez pas le droit de ajouter du crédit."
    assert shop.ledger() == []


# -- refunds ---------------------------------------------------------------------------

async def test_refund_needs_confirmation(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 5000, "CB")
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await type_into(pilot, "#credit-amount", "-20,00")
        await choose_method(pilot, "ESP")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = text_of(app, "#confirm-question")
        assert "20,00" in question and "Claire Martin" in question and "Espèces" in question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)
        assert len(shop.ledger()) == 1
        assert "rien" in text_of(app, "#credit-error")

        key = app.screen.idempotency_key
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # "No" has the focus: a stray Enter writes nothing
        await pilot.pause()
        assert len(shop.ledger()) == 1
        assert app.screen.idempotency_key == key  # same attempt, same key

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        rows = shop.ledger()
        assert [r["amount"] for r in rows] == [5000, -2000]
        assert (rows[1]["kind"], rows[1]["method"], rows[1]["idempotency_key"]) == ("refund", "ESP", key)
        assert shop.balance() == 3000
        assert isinstance(app.screen, ReceiptPreviewScreen)
        receipt = text_of(app, "#receipt-preview")
        # the amount prints double width: the preview gives each character two columns
        assert "- 2 0 , 0 0   €" in receipt and "Nouveau solde" in receipt and "30,00 €" in receipt
        await pilot.press("escape")
        await pilot.pause()
        assert "30,00" in text_of(app, "#credit-balance")


async def test_refund_without_right_says_so(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 5000, "CB")
    clerk = auth.create_user(shop.manager_ctx, "Lou", "1111", "cashier")
    clerk = auth.set_rights(shop.manager_ctx, clerk.id, {Right.VIEW_CREDIT, Right.ADD_CREDIT})
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, clerk, shop.claire.id)
        await type_into(pilot, "#credit-amount", "-20")
        await choose_method(pilot, "ESP")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)  # no confirmation asked
        assert "saisir du crédit négatif" in text_of(app, "#credit-error")
    assert len(shop.ledger()) == 1


async def test_bad_amount_shows_error(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await type_into(pilot, "#credit-amount", "12,3x")
        await choose_method(pilot, "ESP")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#credit-error")
        assert "Montant invalide" in text_of(app, "#credit-error") and "12,3x" in text_of(app, "#credit-error")
        assert error.has_class("error") and error.region.height >= 1
        assert isinstance(app.screen, CreditPanelScreen)
        # no method chosen: said so
        await type_into(pilot, "#credit-amount", "12,30")
        app.screen.query_one("#credit-method", Select).clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "moyen de paiement" in text_of(app, "#credit-error")
    assert shop.ledger() == []


async def test_refund_over_limit_refused_with_figures(tmp_path):
    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 1000)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        assert "10,00" in text_of(app, "#credit-limits") and "-10,00" in text_of(app, "#credit-limits")
        await type_into(pilot, "#credit-amount", "-25")
        await choose_method(pilot, "ESP")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)  # refused before any confirmation is asked
        message = text_of(app, "#credit-error")
        # balance 0, limit 10, would leave -25, 15 over the limit
        for figure in ("0,00", "10,00", "-25,00", "15,00"):
            assert figure in message, (figure, message)
        assert message.startswith("Refusé")
        assert app.screen.query_one("#credit-amount", Input).value == "-25"  # kept to correct it
    assert shop.ledger() == []


# -- history paging --------------------------------------------------------------------

async def test_history_pages(tmp_path):
    shop = make_shop(tmp_path)
    for i in range(120):
        credit.top_up(shop.manager_ctx, shop.claire.id, 100 + i, "CB", f"op {i}")
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        table = app.screen.query_one("#credit-history", DataTable)
        assert table.row_count == 50
        assert text_of(app, "#credit-count").startswith("50 sur 120 opérations")
        # newest first, running balance per row
        assert table.get_row_at(0)[3].plain == "op 119"
        # move the cursor to the end of the list: the next page comes
        table.focus()
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == 100
        assert text_of(app, "#credit-count").startswith("100 sur 120")
        # the load-more key (PageDown) from the form
        app.screen.query_one("#credit-amount", Input).focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.row_count == 120
        assert text_of(app, "#credit-count") == "120 sur 120 opérations"
        assert table.get_row_at(119)[3].plain == "op 0"
        await pilot.press("pagedown")  # nothing more: no duplicate rows
        await pilot.pause()
        assert table.row_count == 120


# -- rights ------------------------------------------------------------------------------

async def test_no_view_right_hides_balance(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 4200, "CB")
    nobody = auth.create_user(shop.manager_ctx, "Zoé", "2222", "cashier")
    nobody = auth.set_rights(shop.manager_ctx, nobody.id, set())
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, nobody, shop.claire.id)
        assert isinstance(app.screen, CreditPanelScreen)
        assert text_of(app, "#credit-denied") == "Vous n'avez pas le droit de voir le crédit."
        assert "Claire Martin" in text_of(app, "#credit-customer")
        for hidden in ("#credit-balance", "#credit-balance-digits", "#credit-history", "#credit-amount"):
            assert not app.screen.query(hidden), hidden
        await pilot.press("pagedown")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CreditPanelScreen)


async def test_english_no_view_right_message(tmp_path):
    from pos_tui import i18n

    shop = make_shop(tmp_path)
    nobody = auth.set_rights(shop.manager_ctx, shop.paul.id, set())
    i18n.set_language("en")  # the french fixture restores French afterwards
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, nobody, shop.claire.id)
        assert text_of(app, "#credit-denied") == "You do not have the right to view credit."


# -- manager settings ----------------------------------------------------------------------

async def test_credit_settings_saved(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        app.push_screen(CreditSettingsScreen())
        await pilot.pause()
        assert app.focused.id == "settings-default-limit"
        assert app.focused.value == "0,00"
        await type_into(pilot, "#settings-default-limit", "30,00")
        await pilot.click("#settings-forbid-balance")
        await pilot.pause()
        assert app.screen.query_one("#settings-forbid-balance", Checkbox).value is True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CreditSettingsScreen)
    assert settings.default_debt_limit(shop.store) == 3000
    policy = settings.credit_policy(shop.store)
    assert policy.forbid_negative_balance is True and policy.forbid_negative_entries is False
    changed = shop.store.query("SELECT detail FROM journal WHERE kind = 'setting_changed' ORDER BY id")
    assert len(changed) == 2  # the limit and the one switch that moved, nothing else


async def test_credit_settings_bad_input_and_no_right(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        app.push_screen(CreditSettingsScreen())
        await pilot.pause()
        await type_into(pilot, "#settings-default-limit", "-5")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CreditSettingsScreen)
        assert "0 ou plus" in text_of(app, "#settings-error")
        await pilot.press("escape")
        await pilot.pause()
    assert settings.default_debt_limit(shop.store) == 0

    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.paul)
        app.push_screen(CreditSettingsScreen())
        await pilot.pause()
        assert text_of(app, "#settings-error") == "Vous n'avez pas le droit de gérer les réglages."
        await type_into(pilot, "#settings-default-limit", "99")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CreditSettingsScreen)
        assert "gérer les réglages" in text_of(app, "#settings-error")
    assert settings.default_debt_limit(shop.store) == 0


async def test_debt_limit_key_in_panel(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        app.screen.query_one("#credit-history", DataTable).focus()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, DebtLimitScreen)
        await type_into(pilot, "#debt-limit-amount", "100")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)
        assert "100,00" in text_of(app, "#credit-limits")
    assert shop.store.scalar("SELECT debt_limit FROM customers WHERE id = ?", (shop.claire.id,)) == 10000


async def test_command_palette_offers_credit_settings(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"plafond de dette de")
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebtLimitScreen)
        assert app.screen.customer_id == shop.claire.id
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"glages du cr")
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CreditSettingsScreen)


# -- layout ------------------------------------------------------------------------------------

async def test_panel_fits_80x24(tmp_path):
    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 100000)
    for i in range(30):
        credit.top_up(shop.manager_ctx, shop.claire.id, 123456, "CHQ", "un libellé assez long pour être coupé")
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        screen = app.screen
        for selector in ("#credit-customer", "#credit-balance", "#credit-limits", "#credit-balance-digits",
                         "#credit-history", "#credit-count", "#credit-amount", "#credit-method", "#credit-label"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and region.width >= 1, selector
            assert region.right <= 80 and region.bottom <= 23, (selector, region)  # the footer keeps row 24
        table = screen.query_one("#credit-history", DataTable)
        assert table.region.height >= 6
        assert table.virtual_size.width <= table.region.width  # no horizontal scrolling
        await type_into(pilot, "#credit-amount", "1x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = screen.query_one("#credit-error")
        assert error.region.height >= 1 and error.region.bottom <= 23
        assert screen.query_one("#credit-amount").region.bottom <= 23
        # a wider terminal gives the label column the extra room; the loaded rows stay
        narrow = table.columns["label"].width
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert table.columns["label"].width == narrow + 40
        assert table.row_count == 30
        assert table.virtual_size.width <= table.region.width


# -- the credit receipt (one layout: printing.documents, through services.printing.preview) -----------

def _set_width(shop, width: int) -> None:
    printing.set_printer_settings(shop.manager_ctx, "none", width, False, "", "")


@pytest.mark.parametrize("width", [32, 42, 48])
def test_credit_receipt_lines(tmp_path, width):
    shop = make_shop(tmp_path)
    with shop.store.write():
        shop.store.put_setting("shop_name", "Épicerie du Marché")
    _set_width(shop, width)
    credit.top_up(shop.manager_ctx, shop.claire.id, 1234, "ESP")
    entry = credit.top_up(Context(shop.store, shop.marie, 2), shop.claire.id, 5000, "CB",
                          label="Recharge de printemps pour la famille").entry
    lines = printing.preview(shop.store, "credit", entry.id)
    assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
    text = "\n".join(lines)
    assert lines[0].strip() == "Épicerie du Marché"
    # amounts print with plain spaces (Babel's no-break spaces are normalised for the printer)
    # (the amount prints double width: two columns per character in the preview)
    for expected in ("ALIMENTATION DU CRÉDIT", "14/03/2025 10:00", "Claire Martin", "CB", "Marie",
                     "5 0 , 0 0   €", "12,34 €", "62,34 €", "Ancien solde", "Nouveau solde"):
        assert expected in text, expected
    assert any(line.startswith("Caissier Marie") and line.endswith("Caisse 2") for line in lines)


def test_credit_receipt_refund_into_debt(tmp_path):
    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 5000)
    credit.top_up(shop.manager_ctx, shop.claire.id, 500, "ESP")
    entry = credit.refund(shop.manager_ctx, shop.claire.id, 2000, "ESP").entry
    lines = printing.preview(shop.store, "credit", entry.id)
    assert all(len(line) <= 48 for line in lines)
    text = "\n".join(lines)
    assert "REMBOURSEMENT DE CRÉDIT" in text and "- 2 0 , 0 0   €" in text and "-15,00 €" in text
    assert "5,00 €" in text and "(dette)" in text


def test_credit_receipt_layout_is_pure():
    code = ("import sys, pos_tui.printing.documents, pos_tui.printing.receipt; "
            "bad = [m for m in ('textual', 'sqlite3', 'sqlite_utils', 'escpos') if m in sys.modules]; "
            "sys.exit(str(bad) if bad else 0)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_one_credit_receipt_layout():
    assert not (SRC / "printing" / "credit_receipt.py").exists()


# -- every string on these screens has its French ---------------------------------------------------

def _translated_literals(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
                and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return found


def test_french_catalog_covers_credit_screens():
    from pos_tui.domain.rights import RIGHT_LABELS
    from pos_tui.ui.screens.credit_panel import KIND_LABELS

    fr = catalog("fr")
    wanted = set()
    for relative in ("ui/screens/credit_panel.py", "ui/screens/settings.py", "ui/screens/receipts.py",
                     "printing/documents.py"):
        wanted |= _translated_literals(SRC / relative)
    wanted |= set(KIND_LABELS.values()) | set(RIGHT_LABELS.values())
    wanted.add("You do not have the right to {right}.")
    missing = sorted(s for s in wanted if s not in fr)
    assert not missing, missing
    assert _("Credit settings") == "Réglages du crédit"
