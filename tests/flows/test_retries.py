"""I/O steps retry a storage fault only; a wrong input fails at once."""

from __future__ import annotations

import pytest
from prefect import flow, task

from flows.tasks import StepFailed, _storage_fault, guarded
from redaction.errors import ExitCode, NotFoundError

pytestmark = pytest.mark.slow  # the session's Prefect test harness


@pytest.mark.parametrize(("error", "calls"), [
    (OSError("share unreachable"), 3),
    (NotFoundError("case SAR-1 is not known here"), 1),
])
def test_only_storage_faults_are_retried(prefect_harness: None, error: Exception, calls: int) -> None:
    seen: list[int] = []

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=_storage_fault, persist_result=False)
    @guarded("io-step")
    def step() -> None:
        seen.append(1)
        raise error

    @flow(persist_result=False)
    def f() -> None:
        step()

    with pytest.raises(StepFailed) as info:
        f()
    assert len(seen) == calls
    assert info.value.exit_code == (ExitCode.STORAGE if calls == 3 else ExitCode.BAD_INPUT)
