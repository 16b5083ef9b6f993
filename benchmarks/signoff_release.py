"""Does a sign-off in the review desk release the waiting release run?

Starts a Prefect server on loopback, serves the deployments (infra/serve.py), runs
``cleancopy review`` with PREFECT_API_URL set, processes a small case, starts a
``release-case`` run and waits for it to suspend, decides every proposal, signs off
through the desk over HTTP, then follows the run for up to a minute and prints its
state beside the expected one:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/signoff_release.py

Uses the desk's HTTP and the CLI only, so it measures any version of cleancopy.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction import pipeline  # noqa: E402
from redaction.review import auth  # noqa: E402
from redaction.settings import Settings  # noqa: E402
from tests.flows import server_support  # noqa: E402
from tests.flows.server_support import Proc, free_port, run_state, start_run, start_serving, wait_for  # noqa: E402
from tests.review.conftest import CASE_ID, PASSWORD, log_in, make_case, page_csrf, process  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="signoff-bench-") as d:
        tmp = Path(d)
        servers = server_support.world(tmp)
        w = next(servers)
        try:
            ctx = pipeline.open_context(Settings(home=w["home"], ocr_engine="null", ocr_workers=1))
            process(ctx, make_case(tmp))
            auth.add_reviewer(ctx, "Joan Allen", "head", PASSWORD)
            start_serving(w)
            port = free_port()
            w["procs"].append(Proc([sys.executable, "-m", "redaction.cli", "review", "--home", str(w["home"]),
                                    "--port", str(port)], w["env"], tmp / "desk.log"))
            http: httpx.Client = w["http"]
            wait_for("the served deployments",
                     lambda: http.get("/deployments/name/release-case/release-case").status_code == 200, 90)
            desk = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

            def desk_up() -> bool:
                try:
                    return desk.get("/login").status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for("the desk", desk_up, 60)
            log_in(desk, "Joan Allen")  # type: ignore[arg-type]
            run = start_run(http, "release-case", "release-case", {"case_id": CASE_ID})
            wait_for("the release to suspend", lambda: run_state(http, run) == ("PAUSED", "Suspended"), 90)
            pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
            t0 = time.monotonic()
            r = desk.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": page_csrf(desk, f"/cases/{CASE_ID}")})
            print(f"desk sign-off answered HTTP {r.status_code}")
            end = t0 + 60
            state = run_state(http, run)
            while time.monotonic() < end and state[0] not in ("COMPLETED", "FAILED", "CRASHED"):
                time.sleep(1)
                state = run_state(http, run)
            took = time.monotonic() - t0
            print(f"release run after the desk's sign-off: {state[0]} ({state[1]}) after {took:.0f} s "
                  f"(expected: COMPLETED)")
            released = (w["home"] / "releases" / CASE_ID / "clean-copy.pdf").is_file()
            print(f"clean copy written: {'yes' if released else 'no'}")
            return 0 if state[0] == "COMPLETED" else 1
        finally:
            servers.close()


if __name__ == "__main__":
    sys.exit(main())
