"""The date arithmetic of the two clocks: the ICO's calendar month (day of receipt
counted, the corresponding date, else the month's last day), month ends, leap years,
extensions of up to two further months, and when a clock is met, missed or running."""

from __future__ import annotations

import datetime as dt

import pytest

from redaction.procedure import clocks
from redaction.procedure.clocks import ClockStatus

D = dt.date


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 4, 30), D(2026, 5, 30)),   # the brief's example: day of receipt counted
    (D(2026, 9, 3), D(2026, 10, 3)),    # the ICO's example
    (D(2026, 1, 1), D(2026, 2, 1)),
    (D(2026, 12, 15), D(2027, 1, 15)),  # over the year's end
    (D(2027, 1, 31), D(2027, 2, 28)),   # no 31 February: the month's last day
    (D(2028, 1, 31), D(2028, 2, 29)),   # ... 29 in a leap year
    (D(2028, 1, 29), D(2028, 2, 29)),
    (D(2027, 1, 29), D(2027, 2, 28)),
    (D(2028, 2, 29), D(2028, 3, 29)),   # from a leap day
    (D(2026, 3, 31), D(2026, 4, 30)),
    (D(2026, 5, 31), D(2026, 6, 30)),
    (D(2026, 8, 31), D(2026, 9, 30)),
    (D(2026, 10, 31), D(2026, 11, 30)),
    (D(2026, 7, 31), D(2026, 8, 31)),   # both months have a 31st
])
def test_statutory_month_ends_on_the_corresponding_date_or_the_months_last_day(received: dt.date,
                                                                               due: dt.date) -> None:
    assert clocks.statutory_due(received) == due


@pytest.mark.parametrize(("received", "limit"), [
    (D(2026, 4, 30), D(2026, 7, 30)),
    (D(2026, 11, 30), D(2027, 2, 28)),  # the extension's end has no 30th either
    (D(2027, 11, 30), D(2028, 2, 29)),  # ... in a leap year
    (D(2026, 10, 31), D(2027, 1, 31)),
    (D(2026, 12, 31), D(2027, 3, 31)),
    (D(2026, 1, 31), D(2026, 4, 30)),   # counted from receipt, not from 28 February
])
def test_an_extension_reaches_at_most_three_calendar_months_from_receipt(received: dt.date, limit: dt.date) -> None:
    assert clocks.statutory_limit(received) == limit
    assert clocks.extension_problem(received, limit) is None
    problem = clocks.extension_problem(received, limit + dt.timedelta(days=1))
    assert problem is not None and "two further months" in problem


def test_an_extension_to_the_day_of_receipt_or_before_is_refused() -> None:
    assert "after the request arrived" in (clocks.extension_problem(D(2026, 11, 2), D(2026, 11, 2)) or "")
    assert clocks.extension_problem(D(2026, 11, 2), D(2026, 11, 3)) is None


def test_school_commitment_is_fourteen_days_after_receipt() -> None:
    assert clocks.school_due(D(2026, 11, 2)) == D(2026, 11, 16)
    assert clocks.school_due(D(2028, 2, 20)) == D(2028, 3, 5)  # through a leap day
    assert clocks.school_due(D(2027, 2, 20)) == D(2027, 3, 6)


def test_add_months_walks_the_calendar_and_refuses_going_back() -> None:
    assert clocks.add_months(D(2026, 1, 31), 0) == D(2026, 1, 31)
    assert clocks.add_months(D(2026, 1, 31), 13) == D(2027, 2, 28)
    assert clocks.add_months(D(2026, 6, 15), 24) == D(2028, 6, 15)
    with pytest.raises(ValueError):
        clocks.add_months(D(2026, 1, 1), -1)


def test_a_weekend_due_date_is_kept_and_the_next_working_day_named() -> None:
    sat = D(2026, 5, 30)
    assert sat.weekday() == 5
    assert clocks.next_working_day(sat) == D(2026, 6, 1)
    assert clocks.next_working_day(D(2026, 5, 31)) == D(2026, 6, 1)
    assert clocks.next_working_day(D(2026, 5, 29)) == D(2026, 5, 29)
    _school, statutory = clocks.case_clocks(D(2026, 4, 30), today=D(2026, 5, 1))
    assert statutory.due == sat and statutory.on_weekend
    assert "Saturday" in statutory.summary and "Monday 01 June" in statutory.summary


def test_both_clocks_run_from_receipt_and_say_how_many_days_are_left() -> None:
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=D(2026, 11, 10))
    assert (school.name, school.due, school.days_left, school.status) == ("school", D(2026, 11, 16), 6,
                                                                          ClockStatus.RUNNING)
    assert (statutory.due, statutory.days_left, statutory.status) == (D(2026, 12, 2), 22, ClockStatus.RUNNING)
    assert clocks.most_urgent((school, statutory)) == school


@pytest.mark.parametrize(("today", "school_status", "statutory_status"), [
    (D(2026, 11, 13), ClockStatus.DUE_SOON, ClockStatus.RUNNING),   # 3 days left: due soon
    (D(2026, 11, 12), ClockStatus.RUNNING, ClockStatus.RUNNING),    # 4 days left
    (D(2026, 11, 16), ClockStatus.DUE_SOON, ClockStatus.RUNNING),   # due today
    (D(2026, 11, 17), ClockStatus.OVERDUE, ClockStatus.RUNNING),
    (D(2026, 11, 29), ClockStatus.OVERDUE, ClockStatus.DUE_SOON),
    (D(2026, 12, 3), ClockStatus.OVERDUE, ClockStatus.OVERDUE),
])
def test_overdue_and_due_soon(today: dt.date, school_status: ClockStatus, statutory_status: ClockStatus) -> None:
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=today)
    assert (school.status, statutory.status) == (school_status, statutory_status)


def test_an_extension_past_the_month_moves_both_clocks() -> None:
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=D(2026, 12, 20), extended_to=D(2027, 1, 20))
    assert school.due == statutory.due == D(2027, 1, 20)
    assert school.extended and statutory.extended and statutory.base_due == D(2026, 12, 2)
    assert statutory.status is ClockStatus.RUNNING and statutory.days_left == 31
    assert "extended from 02 December 2026" in statutory.summary


def test_an_extension_within_the_month_leaves_the_statutory_date() -> None:
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=D(2026, 11, 20), extended_to=D(2026, 11, 25))
    assert school.due == D(2026, 11, 25) and school.extended and school.status is ClockStatus.RUNNING
    assert statutory.due == D(2026, 12, 2) and not statutory.extended


def test_a_release_stops_both_clocks_met_or_missed() -> None:
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=D(2027, 3, 1), released_on=D(2026, 11, 20))
    assert (school.status, statutory.status) == (ClockStatus.MISSED, ClockStatus.MET)
    assert not school.running and clocks.most_urgent((school, statutory)) is None
    assert school.summary.startswith("missed") and statutory.summary.startswith("met")
    school, statutory = clocks.case_clocks(D(2026, 11, 2), today=D(2027, 3, 1), released_on=D(2026, 11, 16))
    assert school.status is ClockStatus.MET  # on the day itself


def test_clocks_from_the_stored_deadline_tell_an_extension_from_the_fourteen_days() -> None:
    school, statutory = clocks.stored_clocks(D(2026, 11, 2), D(2026, 11, 16), today=D(2026, 11, 3))
    assert not school.extended and statutory.due == D(2026, 12, 2)
    school, statutory = clocks.stored_clocks(D(2026, 11, 2), D(2027, 1, 10), today=D(2026, 11, 3))
    assert school.extended and statutory.due == D(2027, 1, 10)


def test_cases_sort_past_the_statute_first_then_past_the_school_then_due_soon_then_released() -> None:
    today = D(2026, 12, 10)
    past_statute = clocks.case_clocks(D(2026, 11, 2), today)               # statutory 2026-12-02
    past_school = clocks.case_clocks(D(2026, 11, 20), today)               # school 2026-12-04
    past_school_longer = clocks.case_clocks(D(2026, 11, 15), today)        # school 2026-11-29
    due_soon = clocks.case_clocks(D(2026, 11, 28), today)                  # school 2026-12-12
    running = clocks.case_clocks(D(2026, 12, 9), today)
    released = clocks.case_clocks(D(2026, 10, 1), today, released_on=D(2026, 10, 20))
    order = sorted([released, running, due_soon, past_school, past_statute, past_school_longer],
                   key=clocks.priority)
    assert order == [past_statute, past_school_longer, past_school, due_soon, running, released]
