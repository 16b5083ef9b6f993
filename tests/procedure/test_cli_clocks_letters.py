"""``cleancopy status`` shows both clocks of a case, and ``cleancopy letters --mark-sent``
records a letter sent, as the review desk does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redaction import cli, pipeline
from redaction.procedure import letters, states
from redaction.review import audit
from tests.procedure.conftest import CASE_ID


def test_status_shows_the_schools_fourteen_days_and_the_statutory_month(
        ctx: pipeline.Context, capsys: pytest.CaptureFixture[str]) -> None:
    states.extend(ctx, CASE_ID, dt.date(2027, 1, 15), "complex request", "Joan Allen")
    assert cli.main(["status", CASE_ID, "--home", str(ctx.settings.home)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "statutory month" in ln)
    school, statutory = line.strip().split("; ")
    assert school.startswith("school's 14 days: due 15 January 2027, extended from 16 November 2026")
    assert statutory.startswith("statutory month: due 15 January 2027, extended from 02 December 2026")


def test_a_letter_is_marked_sent_once_and_audited(ctx: pipeline.Context, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    home = str(ctx.settings.home)
    assert cli.main(["letters", CASE_ID, "--out", str(tmp_path / "l"), "--by", "Office", "--home", home]) == 0
    (w,) = letters.written(ctx, CASE_ID)
    assert f"(letter {w.id}, dated" in capsys.readouterr().out and w.marked_sent_on is None
    today = dt.date.today().isoformat()
    assert cli.main(["letters", CASE_ID, "--mark-sent", str(w.id), "--on", today, "--by", "Office",
                     "--home", home]) == 0
    assert f"letter {w.id} to tp-2 marked sent on {today}" in capsys.readouterr().out
    assert letters.written(ctx, CASE_ID)[0].marked_sent_by == "Office"
    sent = [e for e in audit.entries(ctx, CASE_ID) if e.action == "letter-sent"]
    assert [(e.actor, e.detail) for e in sent] == [("Office", f"consent request to tp-2 sent on {today}")]
    assert cli.main(["letters", CASE_ID, "--mark-sent", str(w.id), "--home", home]) == 2
    assert "already marked sent" in capsys.readouterr().err
    assert cli.main(["letters", CASE_ID, "--mark-sent", str(w.id + 7), "--home", home]) != 0
