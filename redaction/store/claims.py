"""Leases on documents, so that several workers (processes, machines) sharing one
database read and propose each document once.

A claim is one atomic ``UPDATE documents SET claimed_by=me, claimed_until=now+lease
WHERE id=? AND (unclaimed OR lease over OR mine)``: on PostgreSQL the row lock taken by
the update makes the second worker see the first's claim; on SQLite writes are serialised.
A worker that finds the document claimed waits for the claim to end (or its lease to
run out, when a worker died) and then finds the work done.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from redaction.store.db import DocumentRow, utcnow

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25


def worker_id() -> str:
    """This worker: host, process and thread (a forked child gets its own)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{threading.get_ident() % 10**8}"


def try_claim(sessions: sessionmaker[Session], doc_id: int, lease_seconds: int) -> bool | None:
    """True: the document is ours now; False: another worker holds it; None: no such document."""
    me, now = worker_id(), utcnow()
    with sessions() as s, s.begin():
        if s.get(DocumentRow, doc_id) is None:
            return None
        res = s.execute(
            update(DocumentRow)
            .where(DocumentRow.id == doc_id,
                   or_(DocumentRow.claimed_by.is_(None), DocumentRow.claimed_until < now,
                       DocumentRow.claimed_by == me))
            .values(claimed_by=me, claimed_until=now + dt.timedelta(seconds=lease_seconds))
        )
        return bool(res.rowcount == 1)  # type: ignore[attr-defined]


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
