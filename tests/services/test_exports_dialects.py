"""CSV exports for people (the spreadsheet dialect of the language) and for programs (raw), issue 14."""

import csv
import io

import pytest

from helpers_core import make_store
from pos_tui import i18n
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import auth, checkout, closing, credit, customers
from pos_tui.services.context import Context


@pytest.fixture
def lang():
    previous = i18n.get_language()

    def use(code):
        i18n.set_language(code)

    yield use
    i18n.set_language(previous)


def _day_with_a_z(tmp_path):
    """18,40 sold in cash, a 50,00 top-up by CB and a 20,00 cash refund, 5,00 cash out, then a Z counted 1 short."""
    store, manager, _cashier = make_store(tmp_path)
    evil = Context(store, auth.create_user(manager, "=cmd|calc", "432100", "cashier"), 3)
    cart = Cart()
    cart.add_free("Panier", 1840, 2000)
    checkout.close_sale(evil, cart, [Tender("ESP", 2000)])
    claire = customers.create(manager, {"first_name": "Claire", "last_name": "Martin"})
    credit.top_up(manager, claire.id, 5000, "CB")
    credit.refund(manager, claire.id, 2000, "ESP")
    closing.add_cash_movement(manager, "float", 10000, "Fond de caisse")
    closing.add_cash_movement(manager, "out", 500, "Timbres")
    expected = closing.summary(store, closing.business_day(store))["cash"]["expected"]
    day = closing.business_day(store)
    closing.close_day(manager, counted=expected - 100)
    z = closing.z_of_day(store, day)
    return store, manager, z


def _sheet_rows(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # UTF-8 BOM: spreadsheets detect the encoding
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def _find(rows, label):
    return next(r for r in rows if r[1] == label)


def test_z_csv_french_dialect_shows_the_screen_figures_in_euros(tmp_path, lang):
    lang("fr")
    store, manager, z = _day_with_a_z(tmp_path)
    text = closing.export_summary(manager, z["figures"], z)
    assert ";" in text.splitlines()[0]
    rows = _sheet_rows(text, ";")
    assert rows[0] == ["Bloc", "Article", "Nombre", "Montant (€)", "HT (€)", "TVA (€)"]
    assert _find(rows, "Numéro du Z")[2] == str(z["number"])
    assert _find(rows, "Clôturé à")[3].count("/") == 2  # the date as the screen writes it
    assert _find(rows, "Chiffre d'affaires TTC")[3] == "18,40"
    assert _find(rows, "Remboursements en espèces")[3] == "-20,00"  # negative, as on screen
    assert _find(rows, "Sortie d'espèces")[3] == "-5,00"
    expected = z["figures"]["cash"]["expected"]
    assert _find(rows, "Espèces attendues")[3] == f"{expected / 100:.2f}".replace(".", ",")
    assert _find(rows, "Compté")[3] == f"{(expected - 100) / 100:.2f}".replace(".", ",")
    assert _find(rows, "Écart")[3] == "-1,00"
    assert [r[0] for r in rows if r[1] == "5,5 %" or r[1] == "20 %"] == ["TVA par taux"]
    rate = next(r for r in rows if r[1] == "20 %")
    assert rate[3:] == ["18,40", "15,33", "3,07"]
    # the cashier's name cannot run as a formula; negative amounts stay numbers
    assert any(r[1] == "'=cmd|calc" for r in rows)
    assert not any(cell.startswith("'-") for r in rows for cell in r)
    # no English left in a French export
    flat = " ".join(" ".join(r) for r in rows)
    for word in ("Turnover", "Cash", "Refund", "Counted", "Difference", "Amount"):
        assert word not in flat


def test_z_csv_english_dialect(tmp_path, lang):
    lang("en")
    _store, manager, z = _day_with_a_z(tmp_path)
    rows = _sheet_rows(closing.export_summary(manager, z["figures"], z), ",")
    assert rows[0] == ["Block", "Item", "Count", "Amount (€)", "Excl. VAT (€)", "VAT (€)"]
    assert _find(rows, "Turnover incl. VAT")[3] == "18.40"
    assert _find(rows, "Difference")[3] == "-1.00"
    flat = " ".join(" ".join(r) for r in rows)
    for word in ("Espèces", "Vente", "Solde", "Compté", "Écart"):
        assert word not in flat


def test_z_csv_raw_keeps_cents_and_english_keys(tmp_path, lang):
    lang("fr")
    _store, manager, z = _day_with_a_z(tmp_path)
    text = closing.export_summary(manager, z["figures"], z, fmt="raw")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["block", "item", "count", "amount_cents"]
    assert ["turnover", "incl. VAT", "", "1840"] in rows
    assert ["z", "number", str(z["number"]), ""] in rows and ["z", "closed_at", z["closed_at"], ""] in rows
    assert ["cash", "counted", "", str(z["counted"])] in rows and ["cash", "difference", "", "-100"] in rows
    assert ["per_cashier", "'=cmd|calc", "1", "1840"] in rows


def test_unknown_format_is_refused(tmp_path, lang):
    lang("en")
    _store, manager, z = _day_with_a_z(tmp_path)
    with pytest.raises(Exception, match="Unknown export format"):
        closing.export_summary(manager, z["figures"], z, fmt="xlsx")


def test_credit_report_sheet_round_trips(tmp_path, lang):
    lang("fr")
    store, manager, _cashier = make_store(tmp_path)
    c = customers.create(manager, {"first_name": "=1+1", "last_name": "Dubois", "company": "@SUM(A1)"})
    credit.top_up(manager, c.id, 12345, "CB")
    rows = _sheet_rows(credit.report_csv(credit.report(manager)), ";")
    assert rows[0] == ["N° client", "Prénom", "Nom de famille", "Société", "Solde (€)", "Plafond de dette (€)"]
    assert rows[1] == [str(c.id), "'=1+1", "Dubois", "'@SUM(A1)", "123,45", "0,00"]
    raw = list(csv.reader(io.StringIO(credit.report_csv(credit.report(manager), "raw"))))
    assert raw[0][4] == "balance_cents" and raw[1][4] == "12345"
