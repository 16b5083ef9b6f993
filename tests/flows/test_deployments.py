"""The deployments as the serve script creates them in a Prefect server."""

from __future__ import annotations

import pytest

from infra.serve import build_deployments

pytestmark = pytest.mark.slow  # uses the session's Prefect test harness


def test_deployments_are_created_with_the_nightly_schedule_in_school_time(prefect_harness: None) -> None:
    from prefect.client.orchestration import get_client

    deps = build_deployments()
    ids = {d.name: d.apply() for d in deps}
    assert set(ids) == {"nightly", "process-case", "release-case"}
    with get_client(sync_client=True) as client:
        nightly = client.read_deployment(ids["nightly"])
        process = client.read_deployment(ids["process-case"])
        release = client.read_deployment(ids["release-case"])
    (sched,) = nightly.schedules
    assert sched.active
    assert sched.schedule.cron == "0 2 * * *"  # type: ignore[union-attr]
    assert sched.schedule.timezone == "Europe/London"  # type: ignore[union-attr]
    assert not process.schedules and not release.schedules
    assert nightly.entrypoint == "flows.nightly.nightly"
    assert process.entrypoint == "flows.process_case.process_case"
    assert release.entrypoint == "flows.release.release_case"
    # no server path in any form, nor a str/None toggle
    for dep in (nightly, process, release):
        assert dep.parameters == {}
        assert "home" not in dep.parameter_openapi_schema["properties"]
        assert "'null'" not in str(dep.parameter_openapi_schema)
    assert process.enforce_parameter_schema
    assert "CaseToProcess" in str(process.parameter_openapi_schema)
    workers = build_deployments("/srv/cleancopy")  # for a work pool: the home goes in the runs' environment
    assert all(d.job_variables == {"env": {"CLEANCOPY_HOME": "/srv/cleancopy"}} and not d.parameters for d in workers)
