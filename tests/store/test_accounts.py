"""The account queries: failures counted by name key and forgotten when old, sessions
ended per account, assignments set and taken away once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redaction.context import Context
from redaction.store import accounts
from redaction.store.db import ReviewerRow
from tests.store.store_support import with_cases

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    c = with_cases(tmp_path, "SAR-A")
    with c.store.session() as s, s.begin():
        s.add_all([ReviewerRow(id=1, name="Joan Allen", role="head", password_hash="x"),
                   ReviewerRow(id=2, name="Sam Teale", role="deputy", password_hash="y")])
    return c


def test_reviewers_by_name_and_id(ctx: Context) -> None:
    with ctx.store.session() as s:
        assert accounts.reviewer_count(s) == 2
        row = accounts.reviewer_named(s, "Sam Teale")
        assert row is not None and row.id == 2
        assert accounts.reviewer_named(s, "sam teale") is None  # names are exact
        assert accounts.reviewer_by_id(s, 1) is not None and accounts.reviewer_by_id(s, 9) is None


def test_failures_count_per_name_and_old_ones_are_forgotten(ctx: Context) -> None:
    with ctx.store.session() as s, s.begin():
        for minutes in (0, 1, 2):
            accounts.record_failure(s, "key-a", T0 + dt.timedelta(minutes=minutes), T0 - dt.timedelta(hours=1))
        accounts.record_failure(s, "key-b", T0, T0 - dt.timedelta(hours=1))
    with ctx.store.session() as s:
        assert accounts.failures_since(s, "key-a", T0 - dt.timedelta(minutes=1)) == 3
        assert accounts.failures_since(s, "key-a", T0 + dt.timedelta(seconds=30)) == 2
    with ctx.store.session() as s, s.begin():  # a failure an hour later forgets those before its cut-off
        accounts.record_failure(s, "key-a", T0 + dt.timedelta(hours=1), T0 + dt.timedelta(minutes=1))
    with ctx.store.session() as s, s.begin():
        assert accounts.failures_since(s, "key-a", T0 - dt.timedelta(days=1)) == 2
        assert accounts.failures_since(s, "key-b", T0 - dt.timedelta(days=1)) == 0
        accounts.clear_failures(s, "key-a")
    with ctx.store.session() as s:
        assert accounts.failures_since(s, "key-a", T0 - dt.timedelta(days=1)) == 0


def test_sessions_are_found_by_token_hash_and_ended_per_account(ctx: Context) -> None:
    later = T0 + dt.timedelta(hours=8)
    with ctx.store.session() as s, s.begin():
        accounts.add_session(s, "h1", 1, "c1", T0, later)
        accounts.add_session(s, "h2", 1, "c2", T0, later)
        accounts.add_session(s, "h3", 2, "c3", T0, later)
    with ctx.store.session() as s, s.begin():
        row = accounts.session_by_token(s, "h3")
        assert row is not None and (row.reviewer_id, row.csrf_token) == (2, "c3")
        assert accounts.end_sessions_of(s, 1) == 2
        assert accounts.end_sessions_of(s, 1) == 0
        accounts.end_session(s, "h3")
    with ctx.store.session() as s, s.begin():
        assert all(accounts.session_by_token(s, h) is None for h in ("h1", "h2", "h3"))
        accounts.add_session(s, "h4", 2, "c4", T0, T0 + dt.timedelta(minutes=1))
        accounts.add_session(s, "h5", 2, "c5", T0 + dt.timedelta(hours=1), later)  # drops the expired h4
    with ctx.store.session() as s:
        assert accounts.session_by_token(s, "h4") is None and accounts.session_by_token(s, "h5") is not None


def test_assignments_are_set_once_and_taken_away(ctx: Context) -> None:
    with ctx.store.session() as s, s.begin():
        accounts.set_assignment(s, "SAR-A", 2, assigned=True)
        accounts.set_assignment(s, "SAR-A", 2, assigned=True)
    with ctx.store.session() as s, s.begin():
        assert accounts.assigned_cases(s, 2) == frozenset({"SAR-A"}) and accounts.assigned_cases(s, 1) == frozenset()
        accounts.set_assignment(s, "SAR-A", 2, assigned=False)
    with ctx.store.session() as s:
        assert accounts.assignment(s, "SAR-A", 2) is None
