"""Register cleancopy's deployments with a work pool, for Prefect workers on several
machines (infra/README.md, "Scale"; infra/storage.md for the shared database, store
and inbox they need).

    PREFECT_API_URL=http://prefect.school.internal:4200/api python -m infra.deploy --pool cleancopy
    prefect worker start --pool cleancopy --limit 2          # then, on every worker machine

The pool is created (type ``process``) when missing. The deployments name their flows by
module path, so no image or code storage is involved: every worker machine has the code
installed (or PYTHONPATH pointing at a checkout) and the same CLEANCOPY_* settings. The
nightly deployment spreads its cases over the pool (one process-case run per case) unless
``--no-spread``.
"""

from __future__ import annotations

import argparse


def ensure_pool(name: str) -> None:
    """Create the process work pool ``name`` if there is none."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))


def main(argv: list[str] | None = None) -> None:
    from prefect import deploy

    from infra.serve import build_deployments

    p = argparse.ArgumentParser(prog="python -m infra.deploy", description=__doc__.splitlines()[0])
    p.add_argument("--pool", default="cleancopy", help="the work pool (default: cleancopy)")
    p.add_argument("--home", default=None, help="a home folder every worker has (set as CLEANCOPY_HOME in "
                   "the runs' environment); default: each worker's CLEANCOPY_HOME")
    p.add_argument("--no-spread", action="store_true", help="the nightly run processes its cases itself")
    args = p.parse_args(argv)
    ensure_pool(args.pool)
    ids = deploy(*build_deployments(args.home, spread=not args.no_spread), work_pool_name=args.pool,
                 build=False, push=False, print_next_steps_message=False, ignore_warnings=True)
    assert isinstance(ids, list)  # called from sync code
    print(f"{len(ids)} deployment(s) registered with work pool '{args.pool}'")


if __name__ == "__main__":
    main()
