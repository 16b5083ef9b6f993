"""``cleancopy status`` shows both clocks of a case, as the review desk does."""

from __future__ import annotations

import datetime as dt

import pytest

from redaction import cli, pipeline
from redaction.procedure import states
from tests.procedure.conftest import CASE_ID


def test_status_shows_the_schools_fourteen_days_and_the_statutory_month(
        ctx: pipeline.Context, capsys: pytest.CaptureFixture[str]) -> None:
    states.extend(ctx, CASE_ID, dt.date(2027, 1, 15), "complex request", "Joan Allen")
    assert cli.main(["status", CASE_ID, "--home", str(ctx.settings.home)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "statutory month" in ln)
    school, statutory = line.strip().split("; ")
    assert school.startswith("school's 14 days: due 15 January 2027, extended from 16 November 2026")
    assert statutory.startswith("statutory month: due 15 January 2027, extended from 02 December 2026")
