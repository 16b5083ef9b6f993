"""What the ``cleancopy`` command prints, run as a user runs it (a subprocess, Prefect in
ephemeral mode): an error is the project's message and exit code only — Prefect's
tracebacks only with --verbose — and ``run`` reports its progress on stderr, counts
only, never a word of the case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.server import prefect_home
from redaction.errors import ExitCode
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE
from tests.flows.test_flows_no_text import case_strings

pytestmark = pytest.mark.slow  # each command starts Prefect's ephemeral server

ROOT = Path(__file__).resolve().parents[1]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env |= {"PYTHONPATH": str(ROOT), "CLEANCOPY_OCR_CACHE": str(OCR_CACHE), "CLEANCOPY_OCR_WORKERS": "1"}
    return subprocess.run([sys.executable, "-m", "redaction.cli", *args, "--home", str(home)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_errors_are_one_message_and_run_shows_progress(tmp_path: Path) -> None:
    home = tmp_path / "home"
    unknown = _cli(home, "release", "NO-SUCH-CASE", "--out", str(tmp_path / "out"))
    assert unknown.returncode == ExitCode.BAD_INPUT
    assert unknown.stdout == "" and unknown.stderr.splitlines() == [
        "cleancopy: case-status: case NO-SUCH-CASE is not known here: run 'cleancopy run CASE_DIR' first"]
    verbose = _cli(home, "release", "NO-SUCH-CASE", "--out", str(tmp_path / "out"), "--verbose")
    assert verbose.returncode == ExitCode.BAD_INPUT and "Traceback" in verbose.stderr
    assert unknown.stderr.splitlines()[0] in verbose.stderr.splitlines()

    gen = generate_case(tmp_path / "inbox", seed=20261128, n_docs=4, profile="demo")
    ran = _cli(home, "run", str(gen.case_dir))
    assert ran.returncode == ExitCode.OK, ran.stderr
    lines = ran.stderr.splitlines()
    assert "proposing redactions: 4 document(s)" in lines
    assert "proposing redactions: document 4/4 done (document 4)" in lines
    assert "checking each document against the others: document 4/4 done" in lines
    assert all(line.startswith(("reading pages", "proposing", "checking")) for line in lines), lines
    said = ran.stderr.casefold()
    assert not [s for s in case_strings(gen.case_dir, gen.truth) if s in said]
    # the Prefect server the command started for itself logs to the home: no word of the case there
    log = prefect_home(home) / "command-server.log"
    assert log.is_file(), "the command should have started its own Prefect server"
    logged = log.read_text(encoding="utf-8", errors="replace").casefold()
    assert not [s for s in case_strings(gen.case_dir, gen.truth) if s in logged]
    assert f"case {gen.case.case_id}" in ran.stdout

    # run again on the unchanged folder: the same table, nothing read or proposed, no flow run
    runs_db = home / "prefect" / "prefect.db"

    def flow_runs() -> int:
        import sqlite3

        with sqlite3.connect(runs_db) as db:
            return int(db.execute("select count(*) from flow_run").fetchone()[0])

    before = flow_runs()
    again = _cli(home, "run", str(gen.case_dir))
    assert again.returncode == ExitCode.OK, again.stderr
    assert again.stdout == ran.stdout and again.stderr == ""
    assert flow_runs() == before >= 1
