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


def _holder(ctx: pipeline.Context) -> str | None:
    with ctx.store.session() as s:
        row = s.get(DocumentRow, 1)
        assert row is not None
        return row.claimed_by


def _claimed_by(ctx: pipeline.Context, holder: str, lease_seconds: int = 3600) -> None:
    with ctx.store.sessions() as s, s.begin():
        s.execute(update(DocumentRow).values(claimed_by=holder,
                                             claimed_until=utcnow() + dt.timedelta(seconds=lease_seconds)))


def test_a_claim_names_host_boot_process_and_its_start(ctx: pipeline.Context) -> None:
    import os
    import socket

    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
    host, boot, proc, _thread = (_holder(ctx) or "").split(":")
    assert host == socket.gethostname()[:48] and boot == claims.boot_id() and len(boot) == 36
    assert proc == f"{os.getpid()}.{claims.start_time(os.getpid())}"


def test_the_claim_of_a_killed_process_on_this_host_is_taken_over_at_once(ctx: pipeline.Context,
                                                                           tmp_path: Path) -> None:
    """A worker killed with -9 while holding a claim with a 30-minute lease: the next one
    takes the document at once."""
    import os
    import signal
    import subprocess
    import sys

    code = (
        "import sys, time\n"
        "from redaction import pipeline\n"
        "from redaction.settings import Settings\n"
        "from redaction.store import claims\n"
        "ctx = pipeline.open_context(Settings(home=sys.argv[1], ocr_engine='null', ocr_workers=1))\n"
        "assert claims.try_claim(ctx.store.sessions, 1, 1800)\n"
        "print('claimed', flush=True)\n"
        "time.sleep(60)\n"
    )
    root = Path(__file__).resolve().parents[2]
    p = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                         env=dict(os.environ, PYTHONPATH=str(root)))
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "claimed"
        assert claims.try_claim(ctx.store.sessions, 1, 60) is False  # alive: its claim stands
        assert f":{p.pid}." in (_holder(ctx) or "")
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
    assert f":{os.getpid()}." in (_holder(ctx) or "")


def test_a_reused_process_id_or_an_earlier_boot_does_not_hold_a_claim(ctx: pipeline.Context) -> None:
    import os

    me = claims.worker_id()
    host, boot, proc, _thread = me.split(":")
    pid = proc.split(".")[0]
    _claimed_by(ctx, f"{host}:{boot}:{pid}.1:1")  # this very pid, but a process that started earlier
    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
    _claimed_by(ctx, f"{host}:00000000-0000-0000-0000-000000000000:{os.getppid()}.1:1")  # before a reboot
    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
    parent = os.getppid()
    _claimed_by(ctx, f"{host}:{boot}:{parent}.{claims.start_time(parent)}:1")  # a live process of this host
    assert claims.try_claim(ctx.store.sessions, 1, 60) is False


def test_another_hosts_claim_is_taken_over_only_after_its_lease(ctx: pipeline.Context) -> None:
    import os

    _claimed_by(ctx, f"elsewhere:{claims.boot_id()}:999999999.1:1")  # no such pid here: not ours to judge
    assert claims.try_claim(ctx.store.sessions, 1, 60) is False
    _claimed_by(ctx, "old-form-host:123:456")  # a claim written before holders named their boot
    assert claims.try_claim(ctx.store.sessions, 1, 60) is False
    host = claims.worker_id().split(":")[0]
    _claimed_by(ctx, f"{host}:{os.getppid()}:456")  # the old form, of a live process here
    assert claims.try_claim(ctx.store.sessions, 1, 60) is False
    _claimed_by(ctx, f"{host}:999999999:456")  # the old form, of no process here
    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
    _claimed_by(ctx, f"elsewhere:{claims.boot_id()}:999999999.1:1", lease_seconds=-1)
    assert claims.try_claim(ctx.store.sessions, 1, 60) is True
