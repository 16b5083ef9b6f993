"""Two worker processes on one case at once, against PostgreSQL and against SQLite:
every document is read once, by one of them; no proposal is duplicated; decisions the
two make at the same moment are all kept; every claim is given back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from redaction import pipeline
from redaction.settings import Settings
from redaction.store.db import DecisionRow, DocumentRow, PageRow, ProposalRow, make_engine
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE
from tests.store.workers_support import run_two, worker_env

pytestmark = pytest.mark.slow


def check_shared_work(db_url: str, store: str, home: Path, results: list[dict[str, Any]]) -> pipeline.Context:
    """What two workers did to one case: each document read once, by one worker; every
    document proposed; no proposal twice; no claim left behind."""
    case_id = results[0]["case_id"]
    docs = set(results[0]["documents"])
    assert docs and set(results[1]["documents"]) == docs  # both saw the same documents
    read = Counter(results[0]["read"]) + Counter(results[1]["read"])
    assert not set(results[0]["read"]) & set(results[1]["read"]), "a document was read by both workers"
    assert set(read) == docs and set(read.values()) == {1}
    ctx = pipeline.open_context(Settings(home=home, database_url=db_url, store=store))
    with ctx.store.session() as s:
        for d in s.scalars(select(DocumentRow).where(DocumentRow.case_id == case_id)):
            assert d.claimed_by is None and d.claimed_until is None  # every claim given back
            if d.id in docs:
                assert d.status == "proposed"
                pages = s.scalars(select(PageRow.page_index).where(PageRow.document_id == d.id)).all()
                assert sorted(pages) == list(range(d.page_count))
        dupes = s.execute(select(ProposalRow.document_id, ProposalRow.key, func.count())
                          .group_by(ProposalRow.document_id, ProposalRow.key).having(func.count() > 1)).all()
        assert dupes == []
    return ctx


def _run(tmp_path: Path, db_url: str) -> None:
    generated = generate_case(tmp_path / "inbox", seed=20261128, n_docs=4, profile="demo")
    store = str(tmp_path / "shared-blobs")  # one store for both, as a bucket is for several machines
    homes = [tmp_path / "machine-a", tmp_path / "machine-b"]
    results = run_two([worker_env(h, db_url, store, OCR_CACHE) for h in homes], str(generated.case_dir))
    print("read:", [r["read"] for r in results], "detected:", [len(r["detected"]) for r in results])
    ctx = check_shared_work(db_url, store, homes[0], results)
    with ctx.store.session() as s:
        decisions = s.scalars(select(DecisionRow)).all()
    live = {r.id: r for r, _ in pipeline.list_proposals(ctx, results[0]["case_id"])}
    assert len(live) > 10
    assert sorted(d.proposal_id for d in decisions) == sorted(live)  # both workers' decisions kept
    for d in decisions:
        want = ("Worker Zero", "accepted") if d.proposal_id % 2 == 0 else ("Worker One", "rejected")
        assert (d.reviewer, d.status) == want and live[d.proposal_id].status == want[1]


def test_two_workers_on_one_case_against_postgresql(tmp_path: Path, pg_url: str) -> None:
    _run(tmp_path, pg_url)  # an empty database: both workers migrate it at once (an advisory lock)


def test_two_workers_on_one_case_against_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    make_engine(url).dispose()  # SQLite has no advisory lock: migrate before the workers start
    _run(tmp_path, url)
