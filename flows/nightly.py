"""The nightly flow: process every new or changed case folder in the inbox, then write
the report of cases overdue or due within three days.

By default each case runs as a **subflow** of the nightly run: the night's work is one
run in the UI with a child run per case, it needs no process-case deployment to exist,
and a case that fails is recorded as a failed child run while the others go on.

With ``spread=True`` (several workers sharing a PostgreSQL database, an S3 store and an
S3 inbox: infra/storage.md) each case is started as its own run of the
``process-case/process-case`` deployment, all at once, so every worker of the pool takes
a share of the night; the nightly run waits for them (still linked as its children) and
reports each case as it ended.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger

from flows import tasks
from flows.params import CaseToProcess, ProcessOptions
from flows.process_case import process_case
from redaction.inbox import FolderState

SCHOOL_TZ = ZoneInfo("Europe/London")
PROCESS_CASE_DEPLOYMENT = "process-case/process-case"


@dataclass(frozen=True)
class NightlySummary:
    folders: int
    processed: tuple[str, ...]  # case ids run tonight
    failed: tuple[str, ...]
    invalid: int  # folders whose case.yaml could not be read
    report: str  # path of the due report
    overdue: int
    due_soon: int


def school_today() -> dt.date:
    return dt.datetime.now(SCHOOL_TZ).date()


@flow(name="nightly", persist_result=False, log_prints=False)
def nightly(due_within_days: int = 3, options: ProcessOptions = ProcessOptions(),  # noqa: B008 - frozen
            spread: bool = False, spread_timeout_hours: float = 8.0) -> NightlySummary:
    """Scan the inbox for new or changed case folders, process each, and write
    ``reports/due-<date>.csv`` in cleancopy's home (ids, dates and counts).

    ``spread``: start each case as its own process-case deployment run so that every
    worker shares the night (needs the deployment and an inbox every worker sees); the
    nightly run waits up to ``spread_timeout_hours`` for them."""
    logger = get_run_logger()
    entries = tasks.scan_inbox()
    todo = [e for e in entries if e.state.to_import]
    invalid = [e for e in entries if e.state is FolderState.INVALID]
    for e in invalid:
        logger.warning("a case folder in the inbox could not be read: %s", e.problem)
    logger.info("inbox: %d case folder(s), %d to process, %d unreadable", len(entries), len(todo), len(invalid))
    processed: list[str] = []
    failed: list[str] = []
    cases = [(e.case_id or "", _case_param(e.folder, e.case_id, options)) for e in todo]
    if spread:
        for case_id, ok in spread_cases(cases, spread_timeout_hours * 3600):
            (processed if ok else failed).append(case_id)
    else:
        for case_id, case in cases:
            state = process_case(case, return_state=True)
            (processed if state.is_completed() else failed).append(case_id)
    report, overdue, due_soon = tasks.write_due_report(school_today(), due_within_days)
    logger.info("due report written: %d overdue, %d due within %d days", overdue, due_soon, due_within_days)
    summary = NightlySummary(len(entries), tuple(processed), tuple(failed), len(invalid), report, overdue, due_soon)
    if failed:
        raise tasks.StepFailed(f"nightly: {len(failed)} case(s) failed: {', '.join(failed)}; "
                               f"the others were processed and the due report written")
    return summary


def _case_param(folder: str, case_id: str | None, options: ProcessOptions) -> CaseToProcess:
    """By id when the folder is named after it (the spec's layout): the child run's
    parameters then hold the case id only, not a folder name chosen by someone."""
    if case_id is not None and folder.rstrip("/").rsplit("/", 1)[-1] == case_id:
        return CaseToProcess(case_id=case_id, options=options)
    return CaseToProcess(case_folder=folder, options=options)


def spread_cases(cases: list[tuple[str, CaseToProcess]],
                 timeout_seconds: float, poll_seconds: float = 5.0) -> list[tuple[str, bool]]:
    """Start a process-case deployment run per case, all at once (any worker of the pool
    takes each), wait for them all, and say for each case whether its run completed.
    A retried nightly run does not start a case twice (an idempotency key per parent run
    and case)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import FlowRun
    from prefect.context import FlowRunContext
    from prefect.deployments import run_deployment

    logger = get_run_logger()
    ctx = FlowRunContext.get()
    parent = str(ctx.flow_run.id) if ctx and ctx.flow_run else "local"
    started: dict[str, str] = {}
    for case_id, case in cases:
        run = run_deployment(PROCESS_CASE_DEPLOYMENT, parameters={"case": case.model_dump(mode="json")},
                             timeout=0, idempotency_key=f"{parent}:{case_id}", as_subflow=True)
        assert isinstance(run, FlowRun)  # called from sync code: the run itself, not a coroutine
        started[case_id] = str(run.id)
    logger.info("started %d process-case run(s) for the workers to share", len(started))
    ended: dict[str, bool] = {}
    deadline = time.monotonic() + timeout_seconds
    with get_client(sync_client=True) as client:
        while len(ended) < len(started):
            for case_id, run_id in started.items():
                if case_id in ended:
                    continue
                state = client.read_flow_run(uuid.UUID(run_id)).state
                if state is not None and state.is_final():
                    ended[case_id] = state.is_completed()
            if len(ended) < len(started):
                if time.monotonic() > deadline:
                    logger.warning("%d process-case run(s) still running at the time limit: counted as failed",
                                   len(started) - len(ended))
                    break
                time.sleep(poll_seconds)
    return [(case_id, ended.get(case_id, False)) for case_id in started]
