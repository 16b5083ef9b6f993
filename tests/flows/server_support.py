"""A real Prefect server on loopback for the flow tests: the server in a subprocess with
a temporary PREFECT_HOME, helpers to start runs through its API and wait for them.
Nothing leaves loopback (analytics off; the OCR cache holds the generated case's pages)."""

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

from tests.e2e_support import OCR_CACHE

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Any, timeout: float, every: float = 0.5) -> Any:
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


def world(tmp_path: Path, prefect_database_url: str | None = None) -> Iterator[dict[str, Any]]:
    """A Prefect server on a free loopback port (its database: SQLite in a temporary
    PREFECT_HOME, or the PostgreSQL database ``prefect_database_url``)."""
    port = free_port()
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
    if prefect_database_url:
        from sqlalchemy.engine import make_url

        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = (
            make_url(prefect_database_url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))
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
        wait_for("the Prefect server", healthy, 90)
        yield {"api": api, "env": env, "home": home, "inbox": inbox, "http": http, "procs": procs,
               "tmp": tmp_path}
    finally:
        for p in reversed(procs):
            p.stop()
        http.close()


def start_serving(world: dict[str, Any]) -> Proc:
    p = Proc([sys.executable, "-m", "infra.serve", "--home", str(world["home"])], world["env"],
             world["tmp"] / "serve.log")
    world["procs"].append(p)
    return p


def run_state(http: httpx.Client, run_id: str) -> tuple[str, str]:
    st = http.get(f"/flow_runs/{run_id}").json()["state"]
    return st["type"], st["name"]


def waiting_for_input(http: httpx.Client, run_id: str) -> bool:
    """Suspended *and* its input schema saved: Prefect marks the run Suspended a moment
    before it saves the schema, and a resume sent in between is refused."""
    st = http.get(f"/flow_runs/{run_id}").json()["state"]
    assert st["type"] not in ("FAILED", "CRASHED"), st
    if (st["type"], st["name"]) != ("PAUSED", "Suspended"):
        return False
    key = ((st.get("state_details") or {}).get("run_input_keyset") or {}).get("schema")
    return bool(key) and http.get(f"/flow_runs/{run_id}/input/{key}").status_code == 200


def _post(http: httpx.Client, url: str, body: dict[str, Any]) -> httpx.Response:
    """A busy server (its SQLite locked by the serve process) answers 503: ask again."""
    for _ in range(10):
        r = http.post(url, json=body)
        if r.status_code != 503:
            break
        time.sleep(1)
    return r


def resume(http: httpx.Client, run_id: str, run_input: dict[str, Any]) -> str:
    """What the Prefect UI's Resume form sends; the server's verdict (ACCEPT, REJECT ...)."""
    r = _post(http, f"/flow_runs/{run_id}/resume", {"run_input": run_input})
    assert r.status_code < 300 and "status" in r.json(), r.text
    return str(r.json()["status"])


def start_run(http: httpx.Client, flow: str, deployment: str, parameters: dict[str, Any]) -> str:
    dep = http.get(f"/deployments/name/{flow}/{deployment}").json()
    r = _post(http, f"/deployments/{dep['id']}/create_flow_run", {"parameters": parameters})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def finished(http: httpx.Client, run_id: str, log: Path, timeout: float = 120) -> str:
    def done() -> str | None:
        typ, _ = run_state(http, run_id)
        return typ if typ in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    typ = wait_for(f"flow run {run_id} to finish", done, timeout)
    assert typ == "COMPLETED", f"{typ}; serve log:\n{log.read_text()[-3000:]}"
    return str(typ)
