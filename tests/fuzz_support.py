"""Bounds for the fuzz tests: how many inputs, and a watchdog so an input that makes a
parser spin fails the test (naming it) instead of hanging CI."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def examples(default: int) -> int:
    """``default`` inputs, or CLEANCOPY_FUZZ_EXAMPLES of them for a longer run."""
    return int(os.environ.get("CLEANCOPY_FUZZ_EXAMPLES", default))


class Hang(AssertionError):
    """One input took longer than the watchdog allows."""


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Fail with :class:`Hang` if the block runs longer than ``seconds`` (SIGALRM; the
    Python code is interrupted at its next bytecode). Should it be stuck in C code that
    never returns, faulthandler ends the process after three times as long, printing
    every thread's stack: CI fails, it does not hang."""

    def ring(_sig: int, _frame: Any) -> None:
        raise Hang(f"an input took more than {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds * 3, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        faulthandler.cancel_dump_traceback_later()


def only(expected: type[BaseException] | tuple[type[BaseException], ...], fn: Callable[[], T],
         seconds: float) -> T | BaseException:
    """``fn()``'s result, or the ``expected`` exception it raised; anything else fails."""
    with watchdog(seconds):
        try:
            return fn()
        except expected as e:
            return e
