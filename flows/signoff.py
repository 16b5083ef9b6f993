"""Send the reviewer's decision to a release-case run waiting for it, and read back
where the case's release runs stand.

The run is found through the Prefect API: flow ``release-case``, state Paused
(Suspended), parameter ``case_id``. The decision is delivered with Prefect's
``aresume_flow_run`` (awaited: called from async code, ``resume_flow_run`` only
returns a coroutine), which checks it against the :class:`ReviewerDecision` schema the
run saved when it suspended; then the run's state is read back from the server, and a
run still Paused counts as not resumed. (``send_input`` is for a *running* flow that
calls ``receive_input``; it does not resume a suspended one.)

What Prefect receives is a reference to the cleancopy audit entry holding the sign-off
— not the reviewer's name nor their comment, which stay in cleancopy's audit log.
"""

from __future__ import annotations

import asyncio
import logging
from uuid import UUID

from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.flow_runs import aresume_flow_run

from flows.params import DESK_REFERENCE, ReviewerDecision
from flows.release import REFUSED_KEY
from redaction.errors import StorageError
from redaction.review.runs import RunState

log = logging.getLogger(__name__)

RELEASE_FLOW = "release-case"
RECENT_RUNS = 200  # how many of the latest release runs are searched for a case's
# Prefect marks a run Suspended a moment *before* it saves the schema of the input it waits
# for, and a resume sent in between is refused ("Run input schema not found"): wait for it
SCHEMA_WAIT_S = 30.0


class ResumeError(StorageError):
    """A waiting release run was sent the decision but did not resume."""


def _decision(case_id: str, approved: bool, audit_seq: int) -> ReviewerDecision:
    return ReviewerDecision(
        approved=approved,
        reviewer=f"{DESK_REFERENCE}{audit_seq}",
        comment=f"recorded in cleancopy's audit log of case {case_id}, entry {audit_seq}",
    )


def _of_case(runs: list[FlowRun], case_id: str) -> list[FlowRun]:
    return [r for r in runs if (r.parameters or {}).get("case_id") == case_id]


async def _ready_for_input(client: PrefectClient, run_id: UUID) -> bool:
    """True once the suspended run has saved the schema of the decision it waits for."""
    run = await client.read_flow_run(run_id)
    keyset = run.state.state_details.run_input_keyset if run.state else None
    if not keyset or "schema" not in keyset:
        return False
    return bool(await client.filter_flow_run_input(run_id, keyset["schema"], 1, set()))


async def _wait_ready(run_id: UUID, case_id: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SCHEMA_WAIT_S
    async with get_client() as client:
        while not await _ready_for_input(client, run_id):
            if loop.time() > deadline:
                raise ResumeError(f"release run {run_id} of case {case_id} is paused but has not said what "
                                  f"decision it waits for after {SCHEMA_WAIT_S:.0f} s: look at it in the "
                                  "Prefect UI, then sign off again")
            await asyncio.sleep(0.25)


async def _state(client: PrefectClient, run: FlowRun) -> RunState:
    st = run.state
    typ, name, message = (st.type.value, st.name or "", st.message or "") if st else ("PENDING", "", "")
    if typ == StateType.PAUSED.value:  # say why it waits, when an early resume was refused
        notes = await client.filter_flow_run_input(run.id, REFUSED_KEY, 50, set())
        if notes:
            latest = max(notes, key=lambda n: n.created or 0)  # type: ignore[arg-type, return-value]
            message = str(latest.decoded_value)
    return RunState(str(run.id), typ, name, message, run.created)


class PrefectReleaseRuns:
    """The release runs of the Prefect server configured by PREFECT_API_URL."""

    async def waiting(self, case_id: str) -> list[UUID]:
        """Release-case runs of this case suspended for the reviewer, oldest first."""
        async with get_client() as client:
            runs = await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[RELEASE_FLOW])),
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))),
            )
        found = _of_case(runs, case_id)
        found.sort(key=lambda r: r.created or r.expected_start_time or 0)  # type: ignore[arg-type, return-value]
        return [r.id for r in found]

    async def resume(self, case_id: str, approved: bool, audit_seq: int) -> list[RunState]:
        """Resume every release-case run of the case waiting for the reviewer with the
        decision recorded as audit entry ``audit_seq``; each run's state as the server
        reports it afterwards. Raises :class:`ResumeError` if one stays Paused."""
        decision = _decision(case_id, approved, audit_seq).model_dump()
        resumed: list[RunState] = []
        for run_id in await self.waiting(case_id):
            await _wait_ready(run_id, case_id)
            await aresume_flow_run(run_id, run_input=decision)
            async with get_client() as client:
                state = await _state(client, await client.read_flow_run(run_id))
            if state.type == StateType.PAUSED.value:
                raise ResumeError(f"release run {run_id} of case {case_id} was sent the sign-off but is still "
                                  f"{state.name or 'paused'}: look at it in the Prefect UI")
            log.info("release run %s of case %s resumed with the decision of audit entry %d (now %s)", run_id,
                     case_id, audit_seq, state.name or state.type)
            resumed.append(state)
        return resumed

    async def latest(self, case_id: str) -> RunState | None:
        async with get_client() as client:
            runs = await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[RELEASE_FLOW])),
                sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=RECENT_RUNS,
            )
            found = _of_case(runs, case_id)
            return await _state(client, found[0]) if found else None


def send_decision(case_id: str, approved: bool, audit_seq: int) -> list[RunState]:
    """:meth:`PrefectReleaseRuns.resume` for synchronous callers (the CLI)."""
    return asyncio.run(PrefectReleaseRuns().resume(case_id, approved, audit_seq))


def server_configured() -> bool:
    """True when a Prefect server is configured (PREFECT_API_URL): the only place a
    release run can be waiting. In ephemeral mode there is none to tell."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())
