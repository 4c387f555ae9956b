"""A day's screens in one language show no word of the other (issue 14): what a user reads follows --lang."""

from __future__ import annotations

import re

import pytest

from helpers_ui_checkout import CLAIRE_CARD, JAM, CANDLE, MANAGER_ID, claire_id, context, demo_store, open_checkout, scan
from pos_tui import i18n
from pos_tui.services import credit
from pos_tui.ui.app import PosApp

# Words only the UI writes (never the demo's data: product and customer names, labels typed by the shop).
FRENCH = ("Vente", "Solde", "Espèces", "Annuler", "Quitter", "Rechercher", "Paiement", "Reste", "Encaisser",
          "Clôture", "Journée", "Fond de caisse", "Chèque", "Carte bancaire", "Aucun", "Imprimer", "Nouveau")
ENGLISH = ("Sale", "Balance", "Cash", "Cancel", "Quit", "Search", "Payment", "Remaining", "Closing", "Cheque",
           "Card", "None", "Print", "New", "Customers")


def screen_text(app) -> str:
    """Every character the terminal shows now (the top screen, as composed)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def other_language_words(text: str, words) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


@pytest.mark.parametrize("lang,giveaways", [("en", FRENCH), ("fr", ENGLISH)])
async def test_a_day_of_screens_reads_in_one_language(tmp_path, lang, giveaways):
    store = demo_store(tmp_path)
    credit.top_up(context(store), claire_id(store), 5000, "ESP")
    i18n.set_language(lang)
    seen: dict[str, list[str]] = {}
    app = PosApp(store=store)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            seen["login"] = other_language_words(screen_text(app), giveaways)
            await open_checkout(app, pilot, MANAGER_ID)
            await scan(pilot, JAM)
            await scan(pilot, CANDLE)
            await scan(pilot, CLAIRE_CARD)
            seen["checkout"] = other_language_words(screen_text(app), giveaways)
            await pilot.press("f10")
            await pilot.pause()
            seen["payment"] = other_language_words(screen_text(app), giveaways)
            await pilot.press("escape")
            await pilot.pause()
            for name, key in (("credit panel", "f4"), ("lookup", "f2"), ("closing", "f9"), ("receipts", "ctrl+t")):
                await pilot.press(key)
                await pilot.pause()
                seen[name] = other_language_words(screen_text(app), giveaways)
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            seen["help"] = other_language_words(screen_text(app), giveaways)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            seen["palette"] = other_language_words(screen_text(app), giveaways)
    finally:
        store.close()
    found = {k: v for k, v in seen.items() if v}
    assert found == {}, f"{lang} screens show words of the other language: {found}"
