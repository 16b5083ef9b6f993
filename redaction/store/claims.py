"""Leases on documents, so that several workers (processes, machines) sharing one
database read and propose each document once.

A claim is one atomic ``UPDATE documents SET claimed_by=me, claimed_until=now+lease
WHERE id=? AND (unclaimed OR lease over OR mine)``: on PostgreSQL the row lock taken by
the update makes the second worker see the first's claim; on SQLite writes are serialised.
A worker that finds the document claimed waits for the claim to end (or its lease to
run out, when a worker died) and then finds the work done.

A claim names its holder: host, boot id (``/proc/sys/kernel/random/boot_id``), process id
and that process's start time, thread. A claim held by a process of this host that no
longer exists (killed, crashed, or the host rebooted since) is taken over at once, not
after the lease: the start time tells a live process from a new one that reuses its id.
Another host's claim is only taken over when its lease has run out (its processes
cannot be seen from here).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from redaction.store.db import DocumentRow, utcnow

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25


def _host() -> str:
    return socket.gethostname()[:48].replace(":", "-")


@functools.cache
def boot_id() -> str:
    """This boot of this host ("" where the kernel does not say)."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot, /proc/PID/stat field 22), or None
    if there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # the name, in brackets, may hold spaces


def worker_id() -> str:
    """This worker: ``host:boot id:pid.start time:thread`` (a forked child gets its own)."""
    pid = os.getpid()
    return f"{_host()}:{boot_id()}:{pid}.{start_time(pid) or 0}:{threading.get_ident() % 10**8}"


def holder_is_gone(holder: str) -> bool:
    """Whether the claim's holder is a process of this host that no longer exists. An
    other host's claim is never judged from here."""
    parts = holder.split(":")
    if len(parts) == 3 and parts[0] == _host() and parts[1].isdigit():  # host:pid:thread, before boot ids
        return start_time(int(parts[1])) is None  # no such process now (one that exists may be a new one)
    if len(parts) != 4 or parts[0] != _host() or not boot_id() or not parts[1]:
        return False
    if parts[1] != boot_id():
        return True  # this host has rebooted since: every process of that boot is gone
    pid, _, started = parts[2].partition(".")
    if not pid.isdigit():
        return False
    return start_time(int(pid)) != started  # gone, or its id reused by a newer process


def try_claim(sessions: sessionmaker[Session], doc_id: int, lease_seconds: int) -> bool | None:
    """True: the document is ours now; False: another worker holds it; None: no such document."""
    me, now = worker_id(), utcnow()
    with sessions() as s, s.begin():
        row = s.execute(select(DocumentRow.claimed_by).where(DocumentRow.id == doc_id)).first()
        if row is None:
            return None
        free = [DocumentRow.claimed_by.is_(None), DocumentRow.claimed_until < now, DocumentRow.claimed_by == me]
        holder = row[0]
        dead = holder is not None and holder != me and holder_is_gone(holder)
        if dead:
            free.append(DocumentRow.claimed_by == holder)  # still that dead holder's when we update
        res = s.execute(
            update(DocumentRow)
            .where(DocumentRow.id == doc_id, or_(*free))
            .values(claimed_by=me, claimed_until=now + dt.timedelta(seconds=lease_seconds))
        )
        got = bool(res.rowcount == 1)  # type: ignore[attr-defined]
    if got and dead:
        log.warning("document %d: the claim of a process that no longer exists was taken over", doc_id)
    return got


def release(sessions: sessionmaker[Session], doc_id: int) -> None:
    with sessions() as s, s.begin():
        s.execute(update(DocumentRow).where(DocumentRow.id == doc_id, DocumentRow.claimed_by == worker_id())
                  .values(claimed_by=None, claimed_until=None))


@contextmanager
def claimed(sessions: sessionmaker[Session], doc_id: int, lease_seconds: int) -> Iterator[None]:
    """Hold the document's claim for the block, waiting while another worker holds it."""
    waited = False
    while not (got := try_claim(sessions, doc_id, lease_seconds)):
        if got is None:  # no such document: the block says so
            yield
            return
        if not waited:
            log.info("document %d is being worked on by another worker: waiting", doc_id)
            waited = True
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        release(sessions, doc_id)
