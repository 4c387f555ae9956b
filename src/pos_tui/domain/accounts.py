"""Customer accounts beyond the balance (issue 16): statements and the age of debts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pos_tui.domain.errors import PosError


@dataclass(frozen=True)
class StatementLine:
    entry_id: int
    created_at: str
    kind: str
    label: str
    sale_number: int | None
    method: str | None
    amount: int
    balance_after: int
    card: str = ""  # the card that spent (empty: the account holder's card or the till)


@dataclass(frozen=True)
class Statement:
    """One customer's account over a period: opening balance, every entry, closing balance."""

    customer_id: int
    customer_name: str
    company: str
    card_code: str
    email: str
    debt_limit: int
    date_from: str
    date_to: str
    opening: int
    lines: tuple[StatementLine, ...] = field(default_factory=tuple)
    debt_since: str | None = None  # when the current debt began, if the closing balance is negative

    @property
    def credits(self) -> int:
        """Money put on the account in the period (top-ups, sale credits)."""
        return sum(line.amount for line in self.lines if line.amount > 0)

    @property
    def debits(self) -> int:
        """Money taken from the account in the period (negative)."""
        return sum(line.amount for line in self.lines if line.amount < 0)

    @property
    def closing(self) -> int:
        return self.lines[-1].balance_after if self.lines else self.opening


def parse_period(date_from: str | None, date_to: str | None, today: date) -> tuple[str, str]:
    """``YYYY-MM-DD`` bounds (inclusive); default: the first of this month to today."""
    def one(text: str | None, default: date, what: str) -> date:
        if not text:
            return default
        try:
            if len(text.strip()) != 10:
                raise ValueError(text)
            return date.fromisoformat(text.strip())
        except ValueError:
            raise PosError("Not a date for {what}: {text!r} (use YYYY-MM-DD).", what=what, text=text) from None

    start = one(date_from, today.replace(day=1), "--from")
    end = one(date_to, today, "--to")
    if end < start:
        raise PosError("The period ends before it starts ({start} > {end}).", start=start.isoformat(),
                       end=end.isoformat())
    return start.isoformat(), end.isoformat()


def debt_age_days(since: str | None, today: date) -> int | None:
    """Whole calendar days since the debt began: a debt from yesterday 23:50 is 1 day old this morning."""
    if not since:
        return None
    started = datetime.fromisoformat(since).date()
    return max((today - started).days, 0)


def validate_days(days: int, what: str) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
        raise PosError("{what} must be a whole number of days between 1 and 3650.", what=what)
    return days
