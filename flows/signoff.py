"""Send the reviewer's decision to a release-case run waiting for it.

The run is found through the Prefect API: flow ``release-case``, state Paused
(Suspended), parameter ``case_id``. The decision is delivered with
``prefect.flow_runs.resume_flow_run(flow_run_id, run_input=...)``, which checks it
against the :class:`ReviewerDecision` schema the run saved when it suspended and
reschedules the run. (``send_input`` is for a *running* flow that calls
``receive_input``; it does not resume a suspended one.)

What Prefect receives is a reference to the cleancopy audit entry holding the sign-off
— not the reviewer's name nor their comment, which stay in cleancopy's audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import resume_flow_run

from flows.params import ReviewerDecision

log = logging.getLogger(__name__)

RELEASE_FLOW = "release-case"


def waiting_release_runs(case_id: str) -> list[UUID]:
    """Release-case runs of this case suspended for the reviewer, oldest first."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[RELEASE_FLOW])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))),
        )
    found = [r for r in runs if (r.parameters or {}).get("case_id") == case_id]
    found.sort(key=lambda r: r.created or r.expected_start_time or 0)  # type: ignore[arg-type, return-value]
    return [r.id for r in found]


def send_decision(case_id: str, approved: bool, audit_seq: int) -> list[UUID]:
    """Resume every release-case run of the case that waits for the reviewer with the
    decision recorded as audit entry ``audit_seq``. Returns the runs resumed (empty:
    none was waiting)."""
    decision = ReviewerDecision(
        approved=approved,
        reviewer=f"cleancopy audit entry {audit_seq}",
        comment=f"recorded in cleancopy's audit log of case {case_id}, entry {audit_seq}",
    )
    resumed = []
    for run_id in waiting_release_runs(case_id):
        resume_flow_run(run_id, run_input=decision.model_dump())
        log.info("release run %s of case %s resumed with the decision of audit entry %d", run_id, case_id,
                 audit_seq)
        resumed.append(run_id)
    return resumed


def server_configured() -> bool:
    """True when a Prefect server is configured (PREFECT_API_URL): the only place a
    release run can be waiting. In ephemeral mode there is none to tell."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def desk_hook() -> Callable[[str, bool, int], int]:
    """The review desk's ``on_sign_off``: how many waiting release runs were resumed
    (0 when none waits or the Prefect server cannot be reached: the desk then releases
    itself)."""

    def on_sign_off(case_id: str, approved: bool, audit_seq: int) -> int:
        try:
            return len(send_decision(case_id, approved, audit_seq))
        except Exception as e:  # noqa: BLE001 - the desk must not fail because Prefect is down
            # the desk then releases itself; a run left waiting can be cancelled in the UI
            log.warning("could not reach the Prefect server to resume a release of case %s (%s)", case_id,
                        type(e).__name__)
            return 0

    return on_sign_off
