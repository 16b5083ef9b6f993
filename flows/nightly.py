"""The nightly flow: process every new or changed case folder in the inbox, then write
the report of cases overdue or due within three days.

Each case runs as a **subflow** of the nightly run, not through ``run_deployment``:
the night's work is one run in the UI with a child run per case, it needs no
process-case deployment to exist, and a case that fails is recorded as a failed child
run while the others go on. (To spread cases over several workers, start process-case
runs with ``run_deployment`` instead: see infra/README.md, "Scale".)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger

from flows import tasks
from flows.params import CaseToProcess, ProcessOptions
from flows.process_case import process_case

SCHOOL_TZ = ZoneInfo("Europe/London")


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
def nightly(home: str | None = None, due_within_days: int = 3, options: ProcessOptions | None = None) -> NightlySummary:
    """Scan the inbox for new or changed case folders, process each, and write
    ``home/reports/due-<date>.csv`` (ids, dates and counts)."""
    logger = get_run_logger()
    entries = tasks.scan_inbox(home)
    todo = [e for e in entries if e.state in ("new", "changed")]
    invalid = [e for e in entries if e.state == "invalid"]
    for e in invalid:
        logger.warning("a case folder in the inbox could not be read: %s", e.problem)
    logger.info("inbox: %d case folder(s), %d to process, %d unreadable", len(entries), len(todo), len(invalid))
    processed: list[str] = []
    failed: list[str] = []
    for e in todo:
        # by id when the folder is named after it (the spec's layout): the child run's
        # parameters then hold the case id only, not a folder name chosen by someone
        by_id = e.case_id is not None and e.folder.rstrip("/").rsplit("/", 1)[-1] == e.case_id
        case = (CaseToProcess(case_id=e.case_id, options=options or ProcessOptions()) if by_id
                else CaseToProcess(case_folder=e.folder, options=options or ProcessOptions()))
        state = process_case(case, home, return_state=True)
        (processed if state.is_completed() else failed).append(e.case_id or "")
    report, overdue, due_soon = tasks.write_due_report(home, school_today(), due_within_days)
    logger.info("due report written: %d overdue, %d due within %d days", overdue, due_soon, due_within_days)
    summary = NightlySummary(len(entries), tuple(processed), tuple(failed), len(invalid), report, overdue, due_soon)
    if failed:
        raise tasks.StepFailed(f"nightly: {len(failed)} case(s) failed: {', '.join(failed)}; "
                               f"the others were processed and the due report written")
    return summary
