"""Claims on documents: one worker at a time, a lease that runs out, a released claim."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from redaction import pipeline
from redaction.settings import Settings
from redaction.store import claims
from redaction.store.db import CaseRow, DocumentRow, utcnow


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    c = pipeline.open_context(Settings(home=tmp_path, ocr_engine="null", ocr_workers=1))
    with c.store.session() as s, s.begin():
        s.add(CaseRow(case_id="SAR-C", received=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 1), case_dir="/x",
                      manifest_sha256="a" * 64, manifest_blob="b" * 64))
        s.add(DocumentRow(id=1, case_id="SAR-C", file_name="a.pdf", original_sha256="c" * 64))
    return c


def _in_other_thread(fn: object) -> object:
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(fn()))  # type: ignore[operator]
    t.start()
    t.join()
    return out[0]


def test_a_claimed_document_cannot_be_claimed_by_another_worker_until_released(ctx: pipeline.Context) -> None:
    sessions = ctx.store.sessions
    assert claims.try_claim(sessions, 1, 60) is True
    assert claims.try_claim(sessions, 1, 60) is True  # the same worker again
    assert _in_other_thread(lambda: claims.try_claim(sessions, 1, 60)) is False
    claims.release(sessions, 1)
    assert _in_other_thread(lambda: claims.try_claim(sessions, 1, 60)) is True


def test_a_lease_that_ran_out_can_be_taken_over(ctx: pipeline.Context) -> None:
    sessions = ctx.store.sessions
    assert _in_other_thread(lambda: claims.try_claim(sessions, 1, 60)) is True
    assert claims.try_claim(sessions, 1, 60) is False
    with sessions() as s, s.begin():
        s.execute(update(DocumentRow).values(claimed_until=utcnow() - dt.timedelta(seconds=1)))
    assert claims.try_claim(sessions, 1, 60) is True


def test_no_such_document_is_not_a_claim(ctx: pipeline.Context) -> None:
    assert claims.try_claim(ctx.store.sessions, 99, 60) is None


def test_a_document_another_worker_is_proposing_is_left_to_it(ctx: pipeline.Context) -> None:
    assert _in_other_thread(lambda: claims.try_claim(ctx.store.sessions, 1, 60)) is True
    res = pipeline.propose_document(ctx, 1)
    assert res.busy and res.new == 0
