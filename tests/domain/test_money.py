"""Money (SPEC §1): integer cents, one parser, half-up rounding, Babel display, VAT split."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import (
    SHOP_VAT_RATES,
    format_amount,
    format_money,
    format_vat_rate,
    parse_money,
    parse_vat_rate,
    round_half_up,
    vat_split,
)

NBSP = "\u00a0"
# parse_money accepts up to 9 digits of euros.
MAX_CENTS = 10**11 - 1


# -- parse_money ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text, cents",
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12", 1200),
        ("-5", -500),
        ("1 234,50", 123450),
        ("12,5", 1250),
        ("0,01", 1),
        ("-0,99", -99),
        ("0", 0),
        (" 12,50 ", 1250),
        ("1\u00a0234,50\u00a0€", 123450),  # what format_money shows can be typed back
        ("1\u202f234,50", 123450),
        ("+3", 300),
    ],
)
def test_parse_money_accepts(text, cents):
    assert parse_money(text) == cents
    assert isinstance(parse_money(text), int)


@pytest.mark.parametrize("text", ["12,345", "abc", "", "1.2.3", "--5", "12,", ",5", "12,-5", "1e3", "12.5.", "€", "-"])
def test_parse_money_rejects(text):
    with pytest.raises(PosError) as info:
        parse_money(text)
    # a clear error naming what was typed
    assert repr(text.strip()) in str(info.value)


def test_parse_money_rejects_none():
    with pytest.raises(PosError):
        parse_money(None)


def test_parse_money_error_message_in_english(english):
    with pytest.raises(PosError) as info:
        parse_money("abc")
    assert str(info.value) == "Not an amount: 'abc' (examples: 12,50 or 12.50)"


# -- round_half_up ---------------------------------------------------------------

@pytest.mark.parametrize(
    "num, den, expected",
    [
        (5, 10, 1),  # 0.5 -> 1
        (-5, 10, -1),  # -0.5 -> -1 (away from zero)
        (15, 10, 2),
        (-15, 10, -2),
        (25, 10, 3),  # half-up, not banker's (half-even would give 2)
        (-25, 10, -3),
        (14, 10, 1),
        (-14, 10, -1),
        (16, 10, 2),
        (-16, 10, -2),
        (20, 10, 2),  # exact
        (-20, 10, -2),
        (0, 7, 0),
        (7, 7, 1),
        (1, 3, 0),
        (2, 3, 1),
        (-2, 3, -1),
        (5, -10, -1),  # negative denominator
        (-5, -10, 1),
        (10000 * 1000, 12000, 833),  # 833.33
        (10000 * 105, 10550, 100),  # 99.526
    ],
)
def test_round_half_up(num, den, expected):
    assert round_half_up(num, den) == expected


def test_round_half_up_zero_denominator():
    with pytest.raises(ZeroDivisionError):
        round_half_up(1, 0)


def _decimal_half_up(num: int, den: int) -> int:
    with localcontext() as ctx:
        ctx.prec = 120
        return int((Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=300)
@given(st.integers(-(10**15), 10**15), st.integers(-(10**6), 10**6).filter(lambda d: d != 0))
def test_round_half_up_matches_decimal(num, den):
    assert round_half_up(num, den) == _decimal_half_up(num, den)


@given(st.integers(-(10**9), 10**9), st.integers(1, 1000))
def test_round_half_up_exact_halves(k, den):
    # (2k+1)/2 is always a half: rounds away from zero.
    num = 2 * k + 1
    expected = k + 1 if num > 0 else k
    assert round_half_up(num, 2) == expected
    assert round_half_up(num * den, 2 * den) == expected


# -- format_money / format_amount -------------------------------------------------------

def test_format_money_fr():
    assert format_money(123450, "fr_FR") == f"1{NBSP}234,50{NBSP}€"
    assert format_money(123450) == f"1{NBSP}234,50{NBSP}€"  # fr_FR is the default


def test_format_money_fr_has_no_ordinary_or_narrow_spaces():
    text = format_money(123456789, "fr_FR")
    assert text == f"1{NBSP}234{NBSP}567,89{NBSP}€"
    assert " " not in text and "\u202f" not in text


def test_format_money_fr_negative_and_small():
    assert format_money(-123450, "fr_FR") == f"-1{NBSP}234,50{NBSP}€"
    assert format_money(5, "fr_FR") == f"0,05{NBSP}€"
    assert format_money(-1, "fr_FR") == f"-0,01{NBSP}€"
    assert format_money(0, "fr_FR") == f"0,00{NBSP}€"


def test_format_money_en():
    assert format_money(123450, "en_GB") == "€1,234.50"


@pytest.mark.parametrize("bad", [12.5, 1.0, True, "1250", Decimal("12.50")])
def test_format_money_refuses_non_int(bad):
    with pytest.raises(TypeError):
        format_money(bad)


@pytest.mark.parametrize(
    "cents, fr, en",
    [(1250, "12,50", "12.50"), (-500, "-5,00", "-5.00"), (7, "0,07", "0.07"), (-7, "-0,07", "-0.07"), (0, "0,00", "0.00"),
     (123450, "1234,50", "1234.50")],
)
def test_format_amount(cents, fr, en):
    assert format_amount(cents, "fr_FR") == fr
    assert format_amount(cents, "en_GB") == en


@settings(max_examples=300)
@given(st.integers(-MAX_CENTS, MAX_CENTS))
def test_parse_format_amount_roundtrip(cents):
    assert parse_money(format_amount(cents, "fr_FR")) == cents
    assert parse_money(format_amount(cents, "en_GB")) == cents


@settings(max_examples=150)
@given(st.integers(-MAX_CENTS, MAX_CENTS))
def test_parse_format_money_fr_roundtrip(cents):
    # What the screen shows in fr_FR can be typed (or pasted) back.
    assert parse_money(format_money(cents, "fr_FR")) == cents


# -- VAT ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "ttc, rate, ht, tva",
    [
        (1200, 2000, 1000, 200),
        (1000, 2000, 833, 167),  # 833.33
        (1000, 1000, 909, 91),  # 909.09
        (1055, 550, 1000, 55),
        (105, 550, 100, 5),  # 99.526 -> 100
        (1021, 210, 1000, 21),
        (5000, 0, 5000, 0),
        (0, 2000, 0, 0),
        (-1000, 2000, -833, -167),  # a return: symmetric
        (3, 2000, 3, 0),  # 2.5 -> 3 (half-up)
        (-3, 2000, -3, 0),
    ],
)
def test_vat_split(ttc, rate, ht, tva):
    assert vat_split(ttc, rate) == (ht, tva)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(-(10**7), 10**7), st.sampled_from(SHOP_VAT_RATES)), max_size=30))
def test_vat_per_rate_groups_add_up_to_ticket_total(lines):
    total_ttc = sum(ttc for ttc, _ in lines)
    groups: dict[int, int] = {}
    for ttc, rate in lines:
        groups[rate] = groups.get(rate, 0) + ttc
    total_ht = total_tva = 0
    for rate, ttc in groups.items():
        ht, tva = vat_split(ttc, rate)
        assert ht + tva == ttc
        # HT is TTC / (1 + rate) rounded half-up: within half a cent of the exact value
        assert abs(Decimal(ht) - Decimal(ttc) * 10000 / (10000 + rate)) <= Decimal("0.5")
        if rate == 0:
            assert tva == 0
        total_ht += ht
        total_tva += tva
    assert total_ht + total_tva == total_ttc


@pytest.mark.parametrize(
    "text, bp",
    [("20", 2000), ("10", 1000), ("5,5", 550), ("5.5", 550), ("2,1 %", 210), ("2.1%", 210), ("0", 0), ("20 %", 2000),
     ("5,50", 550), (20, 2000)],
)
def test_parse_vat_rate(text, bp):
    assert parse_vat_rate(text) == bp


@pytest.mark.parametrize("text", ["19,6", "7", "abc", "", "-20", "5,55", "200", "5,"])
def test_parse_vat_rate_rejects(text):
    with pytest.raises(PosError):
        parse_vat_rate(text)


@pytest.mark.parametrize("bp", SHOP_VAT_RATES)
def test_format_vat_rate_roundtrip(bp):
    assert parse_vat_rate(format_vat_rate(bp, "fr_FR")) == bp
    assert parse_vat_rate(format_vat_rate(bp, "en_GB")) == bp


def test_format_vat_rate_fr():
    assert format_vat_rate(550, "fr_FR") == "5,5 %"
    assert format_vat_rate(2000, "fr_FR") == "20 %"
    assert format_vat_rate(210, "fr_FR") == "2,1 %"


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=-10**13, max_value=10**13),
       locale=st.sampled_from(["fr_FR", "en_US", "de_DE", "nl_NL", "en_IN", "fr_CH", "ar_EG"]))
def test_format_money_is_exactly_what_babel_shows(cents, locale):
    """Amounts are laid out from a shape Babel gave once per locale: byte for byte Babel's own output
    (locales grouping otherwise, as India's lakhs, go through Babel for every amount)."""
    from pos_tui.domain.money import _babel_money

    assert format_money(cents, locale) == _babel_money(cents, locale, "EUR")
