"""Several workers sharing the night: the deployments registered with a process work pool
(infra/deploy.py), three Prefect workers with their own homes and one database, store and
inbox (as on three machines), each running one flow at a time, and a nightly run that
starts each new case as its own process-case run for the pool to share, waits for them
and reports each: the nightly run takes one worker, the two cases the other two.

A real Prefect server on loopback (tests/flows/server_support.py) with its database on
PostgreSQL, cleancopy's database on PostgreSQL too (SQLite for both where .ci/run could
not start a PostgreSQL server); the workers run their flow runs in subprocesses, as in
production."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from redaction import pipeline
from redaction.settings import Settings
from redaction.store.db import make_engine
from redaction.synth import generate_case
from tests.flows import server_support
from tests.flows.server_support import ROOT, Proc, finished, start_run
from tests.store.pg import maybe_pg_database

pytestmark = pytest.mark.slow


@pytest.fixture
def databases() -> Iterator[list[str | None]]:
    """Two PostgreSQL databases (Prefect's, cleancopy's) as in production; None each
    where no server answers (then SQLite, and the test says so)."""
    made = [maybe_pg_database(), maybe_pg_database()]
    urls = [next(g) for g in made]
    yield urls
    for g in made:
        next(g, None)  # drop the database


@pytest.fixture
def world(tmp_path: Path, databases: list[str | None]) -> Iterator[dict[str, Any]]:
    yield from server_support.world(tmp_path, databases[0])


def test_nightly_spreads_its_cases_over_the_workers_of_a_pool(world: dict[str, Any],
                                                              databases: list[str | None]) -> None:
    import subprocess

    if None in databases:
        print("no PostgreSQL server: Prefect and cleancopy ran on SQLite")

    http: httpx.Client = world["http"]
    tmp: Path = world["tmp"]
    gen = generate_case(world["inbox"], seed=20261128, n_docs=4, profile="demo")
    first = gen.case.case_id
    second = f"{first}-B"  # the same scans under another case id: its pages are in the OCR cache too
    shutil.copytree(gen.case_dir, world["inbox"] / second)
    manifest = world["inbox"] / second / "case.yaml"
    manifest.write_text(manifest.read_text().replace(f"case_id: {first}", f"case_id: {second}", 1))

    deployed = subprocess.run([sys.executable, "-m", "infra.deploy", "--pool", "cleancopy"], env=world["env"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert deployed.returncode == 0, deployed.stderr[-3000:]
    nightly = http.get("/deployments/name/nightly/nightly").json()
    assert nightly["work_pool_name"] == "cleancopy" and nightly["parameters"].get("spread") is True

    db_url = databases[1] or f"sqlite:///{tmp / 'shared.db'}"
    make_engine(db_url).dispose()  # migrated before the workers start (SQLite has no advisory lock)
    shared = {"CLEANCOPY_DATABASE_URL": db_url, "CLEANCOPY_STORE": str(tmp / "shared-store"),
              "CLEANCOPY_AUDIT_KEY_FILE": str(tmp / "audit.key"),
              "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "1"}
    workers = []
    machines = ("machine-a", "machine-b", "machine-c")
    for name in machines:
        env = world["env"] | shared | {"CLEANCOPY_HOME": str(tmp / name)}
        w = Proc([sys.executable, "-m", "prefect", "worker", "start", "--pool", "cleancopy", "--limit", "1",
                  "--name", name], env, tmp / f"{name}.log")
        world["procs"].append(w)
        workers.append(w)

    run = start_run(http, "nightly", "nightly", {})
    try:
        finished(http, run, workers[0].log, timeout=300)
    except AssertionError:
        raise AssertionError("\n".join(w.log.read_text()[-3000:] for w in workers)) from None
    logs = "\n".join(w.log.read_text()[-2000:] for w in workers)
    children = http.post("/flow_runs/filter", json={
        "flow_runs": {"parent_flow_run_id": {"operator": "and_", "any_": [run]}}}).json()
    case_runs = [r for r in children if r["deployment_id"] is not None]
    assert len(case_runs) == 2, logs
    assert {r["state"]["type"] for r in case_runs} == {"COMPLETED"}
    assert {r["parameters"]["case"]["case_id"] for r in case_runs} == {first, second}

    ctx = pipeline.open_context(Settings(home=tmp / "office", database_url=db_url, store=str(tmp / "shared-store"),
                                         audit_key_file=tmp / "audit.key"))
    for case_id in (first, second):
        st = pipeline.case_status(ctx, case_id)
        assert st.proposals > 0 and st.documents == 4
    # every worker ran a flow (its home exists): one the nightly run (its due report), the
    # other two a case each (one flow at a time per worker); no blob on any machine
    assert all((tmp / m).is_dir() for m in machines), logs
    assert sorted(len(list((tmp / m / "reports").glob("due-*.csv"))) for m in machines) == [0, 0, 1]
    assert not any((tmp / m / "blobs").exists() for m in machines)
