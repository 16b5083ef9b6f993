"""The school's day against a real Prefect server on loopback: the deployments are
served by infra/serve.py, staff start process-case through the API, the release waits
(suspended) for the reviewer through a restart of the serving process, and the
reviewer's ``cleancopy decide --sign-off`` lets it write the verified clean copy.

Everything runs in subprocesses with a temporary PREFECT_HOME; nothing leaves loopback
(analytics off, the OCR cache holds the generated case's pages)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from redaction import pipeline
from redaction.review import audit
from redaction.settings import Settings
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE
from tests.flows.test_flows_no_text import _found, case_strings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, check: Any, timeout: float, every: float = 0.5) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = check()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Proc:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._f = log.open("ab")
        self.p = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self._f, stderr=subprocess.STDOUT,
                                  start_new_session=True)

    def stop(self) -> None:
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGINT)  # the whole group: the server's or runner's children too
            try:
                self.p.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait(10)
        self._f.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env.update({
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "CLEANCOPY_HOME": str(home),
        "CLEANCOPY_INBOX": str(inbox),
        "CLEANCOPY_OCR_CACHE": str(OCR_CACHE),
        "CLEANCOPY_OCR_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
    })
    server = Proc([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                   str(port), "--analytics-off", "--no-scheduler", "--no-late-runs"], env, tmp_path / "server.log")
    procs = [server]
    http = httpx.Client(base_url=api, timeout=10)

    def healthy() -> bool:
        try:
            return http.get("/health").status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait("the Prefect server", healthy, 90)
        yield {"api": api, "env": env, "home": home, "inbox": inbox, "http": http, "procs": procs,
               "tmp": tmp_path}
    finally:
        for p in reversed(procs):
            p.stop()
        http.close()


def _serve(world: dict[str, Any]) -> Proc:
    p = Proc([sys.executable, "-m", "infra.serve", "--home", str(world["home"])], world["env"],
             world["tmp"] / "serve.log")
    world["procs"].append(p)
    return p


def _run_state(http: httpx.Client, run_id: str) -> tuple[str, str]:
    st = http.get(f"/flow_runs/{run_id}").json()["state"]
    return st["type"], st["name"]


def _start(http: httpx.Client, flow: str, deployment: str, parameters: dict[str, Any]) -> str:
    dep = http.get(f"/deployments/name/{flow}/{deployment}").json()
    r = http.post(f"/deployments/{dep['id']}/create_flow_run", json={"parameters": parameters})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _finished(http: httpx.Client, run_id: str, log: Path) -> str:
    def done() -> str | None:
        typ, _ = _run_state(http, run_id)
        return typ if typ in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    typ = _wait(f"flow run {run_id} to finish", done, 120)
    assert typ == "COMPLETED", f"{typ}; serve log:\n{log.read_text()[-3000:]}"
    return str(typ)


def test_release_waits_for_the_reviewer_through_a_restart(world: dict[str, Any]) -> None:
    t0 = time.monotonic()
    http: httpx.Client = world["http"]
    gen = generate_case(world["inbox"], seed=20261128, n_docs=4, profile="demo")
    case_id = gen.case.case_id
    serve = _serve(world)
    _wait("the served deployments", lambda: http.get("/deployments/name/release-case/release-case").status_code
          == 200 and http.get("/deployments/name/nightly/nightly").status_code == 200, 60)
    nightly = http.get("/deployments/name/nightly/nightly").json()
    assert nightly["schedules"][0]["schedule"]["timezone"] == "Europe/London"

    # the UI's form refuses a bad case id before any run exists
    dep = http.get("/deployments/name/process-case/process-case").json()
    bad = http.post(f"/deployments/{dep['id']}/create_flow_run", json={"parameters": {"case": {"case_id": "a b"}}})
    assert bad.status_code == 409 and "Validation failed" in bad.text

    run = _start(http, "process-case", "process-case", {"case": {"case_id": case_id}})
    _finished(http, run, serve.log)
    ctx = pipeline.open_context(Settings(home=world["home"], inbox=world["inbox"]))
    assert pipeline.case_status(ctx, case_id).proposals > 0
    pipeline.decide(ctx, case_id, "Office Reviewer", accept_all=True)

    release = _start(http, "release-case", "release-case", {"case_id": case_id})
    _wait("the release to suspend for the reviewer", lambda: _run_state(http, release) == ("PAUSED", "Suspended"),
          90)
    out = world["home"] / "releases" / case_id
    assert not out.exists()

    # restart the serving process while the release waits
    serve.stop()
    assert _run_state(http, release) == ("PAUSED", "Suspended")
    serve = _serve(world)

    signed = subprocess.run(
        [sys.executable, "-m", "redaction.cli", "decide", case_id, "--reviewer", "Office Reviewer", "--sign-off",
         "--comment", "all proposals checked", "--home", str(world["home"])],
        env=world["env"], cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert signed.returncode == 0, signed.stderr
    assert "waiting release run was resumed" in signed.stdout and release in signed.stdout

    _finished(http, release, serve.log)
    assert (out / "clean-copy.pdf").exists() and (out / "schedule.csv").exists()
    st = pipeline.case_status(ctx, case_id)
    assert st.released
    actions = [e.action for e in audit.entries(ctx, case_id) if e.action != "state"]  # state moves apart
    assert actions[-2:] == ["signed-off", "released"]
    assert audit.verify_chain(ctx, case_id).ok
    assert f"run:{release}" in audit.entries(ctx, case_id)[-1].detail

    # a second release waits again (the sign-off was used up); the reviewer refuses it from
    # the Prefect UI's form (the same API call): the refusal is recorded and nothing written
    again = _start(http, "release-case", "release-case", {"case_id": case_id, "out_dir": str(world["tmp"] / "x")})
    _wait("the second release to suspend", lambda: _run_state(http, again) == ("PAUSED", "Suspended"), 90)
    wrong = http.post(f"/flow_runs/{again}/resume", json={"run_input": {"approved": "perhaps"}})
    assert wrong.json()["status"] == "REJECT"  # checked against the saved ReviewerDecision schema
    r = http.post(f"/flow_runs/{again}/resume",
                  json={"run_input": {"approved": False, "reviewer": "JA", "comment": "page 2 needs a rescan"}})
    assert r.json()["status"] == "ACCEPT", r.text
    _finished(http, again, serve.log)
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
