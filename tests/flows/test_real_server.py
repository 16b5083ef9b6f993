"""The school's day against a real Prefect server on loopback: the deployments are
served by infra/serve.py, staff start process-case through the API, the release waits
(suspended) for the reviewer through a restart of the serving process, and the
reviewer's ``cleancopy decide --sign-off`` lets it write the verified clean copy.

Everything runs in subprocesses with a temporary PREFECT_HOME; nothing leaves loopback
(analytics off, the OCR cache holds the generated case's pages)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from redaction import pipeline
from redaction.review import audit, auth
from redaction.settings import Settings
from redaction.synth import generate_case
from tests.flows import server_support
from tests.flows.server_support import (
    ROOT,
    finished,
    resume,
    run_state,
    start_run,
    start_serving,
    wait_for,
    waiting_for_input,
)
from tests.flows.test_flows_no_text import _found, case_strings

pytestmark = pytest.mark.slow


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    yield from server_support.world(tmp_path)


def test_release_waits_for_the_reviewer_through_a_restart(world: dict[str, Any]) -> None:
    t0 = time.monotonic()
    http: httpx.Client = world["http"]
    gen = generate_case(world["inbox"], seed=20261128, n_docs=4, profile="demo")
    case_id = gen.case.case_id
    serve = start_serving(world)
    wait_for("the served deployments", lambda: http.get("/deployments/name/release-case/release-case").status_code
          == 200 and http.get("/deployments/name/nightly/nightly").status_code == 200, 60)
    nightly = http.get("/deployments/name/nightly/nightly").json()
    assert nightly["schedules"][0]["schedule"]["timezone"] == "Europe/London"

    # the UI's form refuses a bad case id before any run exists
    dep = http.get("/deployments/name/process-case/process-case").json()
    bad = http.post(f"/deployments/{dep['id']}/create_flow_run", json={"parameters": {"case": {"case_id": "a b"}}})
    assert bad.status_code == 409 and "Validation failed" in bad.text
    # ... and an empty form, or one naming both a case id and a folder; it shows no server path
    for wrong in ({}, {"case_id": case_id, "case_folder": str(world["inbox"] / case_id)}):
        bad = http.post(f"/deployments/{dep['id']}/create_flow_run", json={"parameters": {"case": wrong}})
        assert bad.status_code == 409 and "Validation failed" in bad.text, wrong
    assert dep["parameters"] == {} and str(world["home"]) not in str(dep["parameter_openapi_schema"])

    run = start_run(http, "process-case", "process-case", {"case": {"case_id": case_id}})
    finished(http, run, serve.log)
    ctx = pipeline.open_context(Settings(home=world["home"], inbox=world["inbox"]))
    assert pipeline.case_status(ctx, case_id).proposals > 0
    auth.add_reviewer(ctx, "Office Reviewer", "head", "a long password")
    pipeline.decide(ctx, case_id, "Office Reviewer", accept_all=True)

    release = start_run(http, "release-case", "release-case", {"case_id": case_id})
    wait_for("the release to suspend for the reviewer", lambda: waiting_for_input(http, release), 90)
    out = world["home"] / "releases" / case_id
    assert not out.exists()

    # restart the serving process while the release waits
    serve.stop()
    assert run_state(http, release) == ("PAUSED", "Suspended")
    serve = start_serving(world)

    signed = subprocess.run(
        [sys.executable, "-m", "redaction.cli", "decide", case_id, "--reviewer", "Office Reviewer", "--sign-off",
         "--comment", "all proposals checked", "--home", str(world["home"])],
        env=world["env"], cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert signed.returncode == 0, signed.stderr
    assert "waiting release run was resumed" in signed.stdout and release in signed.stdout

    finished(http, release, serve.log)
    assert (out / "clean-copy.pdf").exists() and (out / "schedule.csv").exists()
    st = pipeline.case_status(ctx, case_id)
    assert st.released
    actions = [e.action for e in audit.entries(ctx, case_id) if e.action != "state"]  # state moves apart
    assert actions[-2:] == ["signed-off", "released"]
    assert audit.verify_chain(ctx, case_id).ok
    assert f"run:{release}" in audit.entries(ctx, case_id)[-1].detail

    # a second release waits again (the sign-off was used up); the reviewer refuses it from
    # the Prefect UI's form (the same API call): the refusal is recorded and nothing written
    again = start_run(http, "release-case", "release-case", {"case_id": case_id, "out_dir": str(world["tmp"] / "x")})
    wait_for("the second release to suspend", lambda: waiting_for_input(http, again), 90)
    assert resume(http, again, {"approved": "perhaps"}) == "REJECT"  # checked against the saved ReviewerDecision schema
    assert resume(http, again, {"approved": False, "reviewer": "JA", "comment": "page 2 needs a rescan"}) == "ACCEPT"
    finished(http, again, serve.log)
    last = audit.entries(ctx, case_id)[-1]
    assert (last.action, last.actor, last.detail) == ("release-refused", "JA", "comment: page 2 needs a rescan")
    assert not (world["tmp"] / "x").exists()

    # nothing of the case reached this server's database or storage either: parameters,
    # run inputs, persisted results, logs of the runs in their subprocesses
    prefect_home = world["tmp"] / "prefect-home"
    assert (prefect_home / "prefect.db").exists() and any((prefect_home / "storage").rglob("*"))
    assert _found({case_id.casefold()}, [prefect_home], [])
    assert _found(case_strings(gen.case_dir, gen.truth), [prefect_home], []) == {}
    print(f"real-server test: {time.monotonic() - t0:.0f} s after the server was up")
