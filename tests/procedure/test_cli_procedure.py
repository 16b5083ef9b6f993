"""A case taken from received to released with the CLI alone: letters, replies, a hold and
its release, decisions, sign-off and the release pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction import cli
from redaction.errors import ExitCode
from redaction.procedure.pdfdoc import text_of
from tests.procedure.conftest import CASE_ID, make_case

pytestmark = pytest.mark.slow


def test_received_to_released_with_the_cli_alone(tmp_path: Path, prefect_harness: None,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CLEANCOPY_OCR_ENGINE", "null")
    monkeypatch.setenv("CLEANCOPY_SCHOOL_NAME", "Rosemead Primary School")
    case_dir = make_case(tmp_path)
    home = str(tmp_path / "home")

    def run(*args: str) -> int:
        return cli.main([*args, "--home", home])

    def said() -> str:
        return capsys.readouterr().out

    assert run("run", str(case_dir)) == ExitCode.OK
    assert run("reviewer", "add", "Joan Allen", "--role", "head", "--password", "a long password") == 0
    said()
    assert run("status", CASE_ID) == 0 and "awaiting-consents" in said()

    assert run("letters", CASE_ID, "--out", str(tmp_path / "letters"), "--by", "Office") == 0
    out = said()
    letter = tmp_path / "letters" / f"{CASE_ID}-consent-tp-2.pdf"
    assert str(letter) in out and letter.is_file() and "Gloria Mendes" in text_of(letter.read_bytes())

    reply = tmp_path / "reply-tp-2.pdf"
    reply.write_bytes(b"%PDF-1.4 reply")
    assert run("consent", CASE_ID, "tp-2", "refused", "--evidence", str(reply), "--on", "2026-11-06") == 0
    assert "still waiting for tp-3" in said()
    assert run("consent", CASE_ID, "tp-3", "granted") == 0
    assert "every third party has answered" in said()
    assert run("status", CASE_ID) == 0 and ": ready;" in said()

    assert run("extend", CASE_ID, "--to", "2026-12-14", "--reason", "agency reply awaited") == 0
    said()
    assert run("hold", CASE_ID, "--reason", "legal advice sought") == 0
    said()
    assert run("decide", CASE_ID, "--reviewer", "Joan Allen", "--accept-all") == 0  # review may go on
    said()
    rel = tmp_path / "release"
    assert run("release", CASE_ID, "--out", str(rel), "--reviewer", "Joan Allen") == ExitCode.BAD_INPUT
    assert "on hold" in capsys.readouterr().err and not rel.exists()
    assert run("unhold", CASE_ID) == 0 and "ready again" in said()

    assert run("release", CASE_ID, "--out", str(rel), "--reviewer", "Joan Allen") == 0
    assert "covering-letter.pdf" in said()
    for f in ("clean-copy.pdf", "schedule-of-redactions.pdf", "covering-letter.pdf", "01-note.pdf"):
        assert (rel / f).is_file(), f
    copy = text_of((rel / "clean-copy.pdf").read_bytes())
    assert "Gloria" not in copy and "Daniel" not in copy and "Barnet Family Services" in copy  # tp-3 granted
    assert "Joan Allen" in text_of((rel / "covering-letter.pdf").read_bytes())
    assert run("status", CASE_ID) == 0
    status = said()
    assert "released" in status and "2026-12-14" in status
    assert run("hold", CASE_ID, "--reason", "too late") == ExitCode.BAD_INPUT
    assert cli.main(["audit", "verify", CASE_ID, "--home", home]) == 0
