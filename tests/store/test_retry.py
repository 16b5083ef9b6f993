"""A transaction that lost a race runs again; any other failure is not retried."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from redaction.store.retry import ATTEMPTS, lost_race, retry_on_conflict


def _unique() -> IntegrityError:
    return IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: audit_log.case_id, audit_log.seq"))


def test_a_lost_race_runs_again_until_it_succeeds() -> None:
    calls: list[int] = []

    @retry_on_conflict
    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _unique()
        return "done"

    assert write() == "done" and len(calls) == 3


def test_other_failures_are_not_retried_and_a_race_lost_every_time_is_reported() -> None:
    calls: list[int] = []

    @retry_on_conflict
    def broken() -> None:
        calls.append(1)
        raise OperationalError("SELECT", {}, Exception("no such table: cases"))

    with pytest.raises(OperationalError):
        broken()
    assert len(calls) == 1

    @retry_on_conflict
    def always_loses() -> None:
        calls.append(1)
        raise _unique()

    with pytest.raises(IntegrityError):
        always_loses()
    assert len(calls) == 1 + ATTEMPTS


def test_what_counts_as_a_lost_race() -> None:
    assert lost_race(_unique())
    assert lost_race(OperationalError("UPDATE", {}, Exception("database is locked")))
    assert lost_race(OperationalError("UPDATE", {}, Exception("deadlock detected")))
    assert not lost_race(IntegrityError("INSERT", {}, Exception("FOREIGN KEY constraint failed")))
