"""Serve cleancopy's deployments from one long-running process.

    PREFECT_API_URL=http://127.0.0.1:4200/api CLEANCOPY_HOME=/srv/cleancopy \\
        python -m infra.serve

``nightly``      at 02:00 Europe/London (the timezone is stored with the schedule, so the
                 run stays at 02:00 school time across the clock changes)
``process-case`` on demand: staff start it from the Prefect UI with a case id or folder
``release-case`` on demand: it waits (suspended, outside this process) for the reviewer

Schedules stay active when this process stops (``pause_on_shutdown=False``): a restart
for an upgrade must not silently stop the nightly run. A release waiting for the
reviewer is held by the Prefect server, not by this process; when the reviewer's input
arrives the run is started again here (or in whichever serve process is up).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.nightly import SCHOOL_TZ, nightly
from flows.process_case import process_case
from flows.release import release_case

NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = SCHOOL_TZ.key  # "Europe/London"


def _made(d: object) -> RunnerDeployment:
    """``to_deployment`` returns the deployment when called outside an event loop."""
    assert isinstance(d, RunnerDeployment), "build_deployments must be called from sync code"
    return d


def build_deployments(home: str | None = None, spread: bool = False) -> list[RunnerDeployment]:
    """The three deployments. cleancopy's home is no parameter of theirs (the forms in
    the Prefect UI never show a server path): a run uses the CLEANCOPY_HOME of the
    process running it. ``home``, for deployments run by a work pool's workers, is set
    as that variable in the runs' environment (job variables); ``infra.serve`` sets it
    in its own environment instead. ``spread``: the nightly run starts each case as its
    own process-case run, for a pool of workers to share (infra/deploy.py)."""
    common: dict[str, Any] = {"entrypoint_type": EntrypointType.MODULE_PATH, "tags": ["cleancopy"]}
    if home:
        common["job_variables"] = {"env": {"CLEANCOPY_HOME": home}}
    made = [
        nightly.to_deployment(
            name="nightly",
            schedules=[Cron(NIGHTLY_CRON, timezone=TIMEZONE)],
            parameters={"spread": True} if spread else {},
            description="Process new or changed case folders in the inbox; write the report of cases "
                        "overdue or due within 3 days (home/reports/due-<date>.csv).",
            concurrency_limit=1,
            **common,
        ),
        process_case.to_deployment(
            name="process-case",
            description="Process one case now: give its id (a folder in the inbox) or its folder's path.",
            **common,
        ),
        release_case.to_deployment(
            name="release-case",
            description="Wait for the reviewer's sign-off, then write the verified clean copy "
                        "(home/releases/<case_id>).",
            **common,
        ),
    ]
    return [_made(d) for d in made]


def main(argv: list[str] | None = None) -> None:
    from prefect import serve

    p = argparse.ArgumentParser(prog="python -m infra.serve", description=__doc__.splitlines()[0])
    p.add_argument("--home", default=os.environ.get("CLEANCOPY_HOME"),
                   help="cleancopy's home folder (default: $CLEANCOPY_HOME)")
    p.add_argument("--limit", type=int, default=2, help="runs at once in this process (default 2)")
    args = p.parse_args(argv)
    if args.home:  # the runs started here inherit it
        os.environ["CLEANCOPY_HOME"] = os.path.abspath(args.home)
    serve(*build_deployments(), pause_on_shutdown=False, limit=args.limit)


if __name__ == "__main__":
    main()
