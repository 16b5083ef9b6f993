"""Run a transaction again when it lost a race with another writer.

Two reviewers (threads of the review desk) or two workers writing to one case at once can
collide: both read the audit chain's last entry and both try to add the next number (the
unique key refuses one), or SQLite reports its database busy, or PostgreSQL picks a
deadlock victim. Nothing half-written remains (the transaction rolled back), so the whole
function runs again, with the other writer's rows now in view. Only functions whose
transaction is their only lasting effect are wrapped."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 6
_BUSY = ("database is locked", "deadlock detected", "could not serialize", "database table is locked")


def lost_race(e: Exception) -> bool:
    if isinstance(e, IntegrityError):
        return "unique" in str(e.orig).lower() or "duplicate key" in str(e.orig).lower()
    return isinstance(e, OperationalError) and any(b in str(e.orig).lower() for b in _BUSY)


def retry_on_conflict(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except (IntegrityError, OperationalError) as e:
                if attempt == ATTEMPTS or not lost_race(e):
                    raise
                log.info("%s lost a race with another writer (attempt %d): running it again", fn.__name__, attempt)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    return inner
