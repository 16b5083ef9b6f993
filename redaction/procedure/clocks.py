"""The two clocks on every case, and the date arithmetic behind them (nothing else
computes a due date).

- **The school's own commitment**: an answer within 14 days of receipt. A recorded
  extension moves it to the extended date (the case's deadline as stored).
- **The statutory period** for a subject access request: one calendar month, the day of
  receipt counted as day one (ICO, "How long do we have to comply?"): from the day the
  request arrives to the corresponding calendar date of the next month (received
  2026-04-30, due 2026-05-30); where the next month has no such date, its last day
  (received 2027-01-31, due 2027-02-28; 2028-02-29 in a leap year). It may be extended by
  up to two further months, with a recorded reason: to the corresponding date three months
  after receipt at the latest.

The ICO allows until the next working day when the date falls on a weekend or a public
holiday; the clocks keep the calendar date (the earlier, safe one) and say when it falls
on a weekend. Public holidays are not known here.

A clock stops when the case is released: it was then met or missed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

SCHOOL_DAYS = 14
STATUTORY_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
DUE_SOON_DAYS = 3  # "due soon": this many days left or fewer


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding calendar date ``months`` later; the last day of that month
    when it has no such date (31 January + 1 month = 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def school_due(received: dt.date) -> dt.date:
    """The school's own commitment: 14 days after receipt."""
    return received + dt.timedelta(days=SCHOOL_DAYS)


def statutory_due(received: dt.date) -> dt.date:
    """One calendar month, the day of receipt counted."""
    return add_months(received, STATUTORY_MONTHS)


def statutory_limit(received: dt.date) -> dt.date:
    """The latest an extension may reach: two further months."""
    return add_months(received, STATUTORY_MONTHS + MAX_EXTENSION_MONTHS)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself on a weekday, else the Monday after (public holidays not known)."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def extension_problem(received: dt.date, to: dt.date) -> str | None:
    """Why an extension to ``to`` is not allowed, or None when it is."""
    if to <= received:
        return f"the extended deadline {to} must be after the request arrived ({received})"
    limit = statutory_limit(received)
    if to > limit:
        return (f"the statutory period can be extended by up to two further months: {to} is after "
                f"{limit} (three calendar months from receipt on {received})")
    return None


class ClockStatus(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    RUNNING = "running"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True)
class Clock:
    name: str  # school | statutory
    label: str
    due: dt.date
    base_due: dt.date  # before any extension
    status: ClockStatus
    days_left: int  # from today (negative: overdue by that many); 0 once stopped
    extended: bool = False

    @property
    def running(self) -> bool:
        return self.status in (ClockStatus.OVERDUE, ClockStatus.DUE_SOON, ClockStatus.RUNNING)

    @property
    def on_weekend(self) -> bool:
        return self.due.weekday() >= 5

    @property
    def summary(self) -> str:
        """One line for a person: "due 30 May 2026 (Saturday), 3 day(s) left"."""
        when = f"{self.due:%d %B %Y}" + (f" ({self.due:%A}; the ICO allows until {next_working_day(self.due):%A %d %B})"
                                          if self.on_weekend and self.name == "statutory" else "")
        ext = f", extended from {self.base_due:%d %B %Y}" if self.extended else ""
        if self.status is ClockStatus.MET:
            return f"met (due {when}{ext})"
        if self.status is ClockStatus.MISSED:
            return f"missed (due {when}{ext})"
        left = (f"overdue by {-self.days_left} day(s)" if self.days_left < 0 else
                "due today" if self.days_left == 0 else f"{self.days_left} day(s) left")
        return f"due {when}{ext}: {left}"


def _clock(name: str, label: str, due: dt.date, base: dt.date, today: dt.date, stopped_on: dt.date | None,
           within_days: int) -> Clock:
    extended = due != base
    if stopped_on is not None:
        return Clock(name, label, due, base, ClockStatus.MET if stopped_on <= due else ClockStatus.MISSED, 0,
                     extended)
    left = (due - today).days
    status = (ClockStatus.OVERDUE if left < 0 else ClockStatus.DUE_SOON if left <= within_days
              else ClockStatus.RUNNING)
    return Clock(name, label, due, base, status, left, extended)


def case_clocks(received: dt.date, today: dt.date, extended_to: dt.date | None = None,
                released_on: dt.date | None = None, within_days: int = DUE_SOON_DAYS) -> tuple[Clock, Clock]:
    """The school's clock and the statutory clock of a case received on ``received``.

    ``extended_to``: a recorded extension. It moves the school's commitment to that date,
    and the statutory date too when it is later than the first month (an extension
    within the month leaves the statutory date where it was). ``released_on`` stops both."""
    base_school, base_statutory = school_due(received), statutory_due(received)
    school = extended_to or base_school
    statutory = max(base_statutory, extended_to) if extended_to else base_statutory
    return (
        _clock("school", "School's 14 days", school, base_school, today, released_on, within_days),
        _clock("statutory", "Statutory month", statutory, base_statutory, today, released_on, within_days),
    )


def stored_clocks(received: dt.date, deadline: dt.date, today: dt.date, released_on: dt.date | None = None,
                  within_days: int = DUE_SOON_DAYS) -> tuple[Clock, Clock]:
    """The clocks of a case as the store holds it: its deadline is the school's 14 days
    unless an extension (recorded, or in case.yaml) moved it."""
    extended_to = deadline if deadline != school_due(received) else None
    return case_clocks(received, today, extended_to, released_on, within_days)


def priority(clocks: tuple[Clock, ...]) -> tuple[int, int]:
    """Sorts cases most urgent first: past the statutory date, past the school's, due
    soon, running, then stopped (released); fewer days left first."""
    urgent = most_urgent(clocks)
    if urgent is None:
        return (4, 0)
    if any(c.name == "statutory" and c.status is ClockStatus.OVERDUE for c in clocks):
        rank = 0
    elif urgent.status is ClockStatus.OVERDUE:
        rank = 1
    else:
        rank = 2 if urgent.status is ClockStatus.DUE_SOON else 3
    return (rank, urgent.days_left)


def most_urgent(clocks: tuple[Clock, ...]) -> Clock | None:
    """The running clock with the fewest days left (None once the case is released)."""
    running = [c for c in clocks if c.running]
    return min(running, key=lambda c: (c.days_left, c.name)) if running else None
