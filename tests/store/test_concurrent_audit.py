"""The review desk's hash-chained audit log with several writers at once (threads of the
review desk, or workers), on PostgreSQL and on SQLite: appends to one case take turns
(the case row is locked; a transaction that lost the race runs again), so the chain
stays whole and no entry is lost."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from redaction import pipeline
from redaction.review import audit
from redaction.settings import Settings
from redaction.store.db import CaseRow


def test_simultaneous_appends_on_postgresql_keep_the_chain_whole(tmp_path: Path, pg_url: str) -> None:
    _four_writers(pipeline.open_context(Settings(home=tmp_path, database_url=pg_url, ocr_engine="null")))


def test_simultaneous_appends_on_sqlite_keep_the_chain_whole(tmp_path: Path) -> None:
    _four_writers(pipeline.open_context(Settings(home=tmp_path, ocr_engine="null")))


def _four_writers(ctx: pipeline.Context) -> None:
    with ctx.store.session() as s, s.begin():
        s.add(CaseRow(case_id="SAR-AUD", received=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 16),
                      case_dir="/x", manifest_sha256="a" * 64, manifest_blob="b" * 64))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(10):
                audit.record(ctx, "SAR-AUD", f"reviewer-{n}", [("note", None, f"{n}:{i}")])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[0]
    report = audit.verify_chain(ctx, "SAR-AUD")
    assert report.ok and report.entries == 40
    assert sorted(e.detail for e in audit.entries(ctx, "SAR-AUD")) == sorted(f"{n}:{i}" for n in range(4)
                                                                            for i in range(10))
