"""Where a case's release stands, as the review desk shows it.

The desk hands a sign-off to a release run waiting for it through :class:`ReleaseRuns`
(``flows/signoff.py`` implements it over the Prefect API; this package never imports
Prefect). What the case page shows comes from two places: the latest release run, if a
Prefect server is configured (waiting, running, or how it ended, with its message), and
cleancopy's own store (the release written, the refusal recorded in the audit log).

Nothing here holds document text: run ids, state names, file names, counts, and the
messages cleancopy's flows wrote (ids and codes only) or the reviewer's refusal comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from redaction.context import Context
from redaction.store import audit_log, repository
from redaction.store.db import AuditRow, ReleaseRow

# Prefect's state types, as the desk groups them
WAITING_TYPES = frozenset({"PAUSED"})
RUNNING_TYPES = frozenset({"SCHEDULED", "PENDING", "RUNNING"})


@dataclass(frozen=True)
class RunState:
    """One release run as the orchestrator reports it."""

    run_id: str
    type: str  # Prefect's state type: PAUSED, SCHEDULED, RUNNING, COMPLETED, FAILED, ...
    name: str  # the state's name: Suspended, Late, Completed, ...
    message: str = ""  # the state's message, or the note left by a refused early resume
    created: dt.datetime | None = None


class ReleaseRuns(Protocol):
    """The release runs of a case held by an orchestrator (Prefect)."""

    async def resume(self, case_id: str, approved: bool, audit_seq: int) -> list[RunState]:
        """Hand the decision recorded as audit entry ``audit_seq`` to every run of the
        case that waits for it; return each run's state read back afterwards (empty:
        none was waiting). Raises when a waiting run could not be resumed."""
        ...

    async def latest(self, case_id: str) -> RunState | None:
        """The case's most recent release run, if any."""
        ...


@dataclass(frozen=True)
class ReleasedFile:
    name: str
    size: int


@dataclass(frozen=True)
class ReleaseView:
    """What the case page says about the release (also served as JSON)."""

    state: str  # none | waiting | running | released | refused | cancelled
    message: str
    run_id: str = ""
    out_dir: str = ""
    files: tuple[ReleasedFile, ...] = field(default_factory=tuple)

    @property
    def settled(self) -> bool:
        """No change is coming without someone acting (the page stops polling)."""
        return self.state not in ("waiting", "running")


def latest_release(ctx: Context, case_id: str) -> ReleaseRow | None:
    with ctx.store.session() as s:
        return repository.latest_release(s, case_id)


def released_files(out_dir: str) -> tuple[ReleasedFile, ...]:
    """The files of a release written to a local folder (none for an S3 address)."""
    folder = Path(out_dir)
    if "://" in out_dir or not folder.is_dir():
        return ()
    return tuple(ReleasedFile(p.name, p.stat().st_size) for p in sorted(folder.iterdir())
                 if p.is_file() and not p.name.startswith("."))


def released_file(ctx: Context, case_id: str, name: str) -> Path | None:
    """The path of one file of the case's latest local release, if ``name`` is one."""
    row = latest_release(ctx, case_id)
    if row is None:
        return None
    if name not in {f.name for f in released_files(row.out_dir)}:
        return None
    return Path(row.out_dir) / name


def _last_outcome(ctx: Context, case_id: str) -> AuditRow | None:
    with ctx.store.session() as s:
        return audit_log.last_entry_of(s, case_id, ("released", "release-refused"))


def _refusal(entry: AuditRow) -> str:
    why = entry.detail.removeprefix("comment: ").strip() or "no reason recorded"
    return f"release refused by {entry.actor}: {why}"


def view(ctx: Context, case_id: str, run: RunState | None) -> ReleaseView:
    """Combine the latest release run (if any) with what cleancopy recorded."""
    row = latest_release(ctx, case_id)
    done = _last_outcome(ctx, case_id)

    def released(run_id: str = "") -> ReleaseView:
        assert row is not None
        files = released_files(row.out_dir)
        return ReleaseView("released", f"released: {row.documents} document(s), {row.pages} page(s), "
                           f"{row.redactions} redaction(s), each verified", run_id, row.out_dir, files)

    if run is not None:
        if run.type in WAITING_TYPES:
            return ReleaseView("waiting", run.message or "the release run writes the clean copy once the case "
                               "is signed off", run.run_id)
        if run.type in RUNNING_TYPES:
            return ReleaseView("running", "the release run is rendering and verifying every file", run.run_id)
        if run.type == "COMPLETED":
            if done is not None and done.action == "released" and f"run:{run.run_id}" in done.detail and row:
                return released(run.run_id)
            if done is not None and done.action == "release-refused":
                return ReleaseView("refused", _refusal(done), run.run_id)
        if run.type in ("FAILED", "CRASHED"):
            return ReleaseView("refused", f"the release run stopped: {run.message or run.name}", run.run_id)
        if run.type in ("CANCELLED", "CANCELLING"):
            return ReleaseView("cancelled", "the release run was cancelled", run.run_id)
    if done is not None and done.action == "release-refused":
        return ReleaseView("refused", _refusal(done))
    if row is not None:
        return released()
    return ReleaseView("none", "not released yet")
