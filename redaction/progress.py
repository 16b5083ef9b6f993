"""Progress of long work (reading pages, proposing redactions), for whoever shows it.

The library calls :func:`report` with counts; whoever wants to show them installs a
:class:`Progress` with :func:`watching` (the CLI: a bar on a terminal, plain lines
otherwise). Nothing is shown when nobody watches (a Prefect worker, the review desk).
Steps carry stage names and counts only — page and document numbers, never a file's
contents.

The reporter is process-wide (not a context variable): Prefect runs a flow's tasks on
threads of its own, and OCR results arrive on the thread collecting the workers' pages.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TextIO

STAGES = {
    "read": "reading pages",
    "propose": "proposing redactions",
    "propose-again": "checking each document against the others",
}


@dataclass(frozen=True)
class Step:
    stage: str  # a key of STAGES
    done: int  # how many of ``total`` are finished
    total: int
    unit: str = "page"  # page | document
    where: str = ""  # e.g. "document 2 of 4, page 3": numbers only

    @property
    def finished(self) -> bool:
        return self.done >= self.total


class Progress(Protocol):
    def update(self, step: Step) -> None: ...


_lock = threading.Lock()
_current: Progress | None = None


def report(stage: str, done: int, total: int, unit: str = "page", where: str = "") -> None:
    """Tell the watcher, if any, that ``done`` of ``total`` are finished."""
    watcher = _current
    if watcher is None or total <= 0:
        return
    with _lock:
        watcher.update(Step(stage, done, total, unit, where))


@contextmanager
def watching(progress: Progress) -> Iterator[Progress]:
    """Send the steps reported meanwhile to ``progress``."""
    global _current
    before, _current = _current, progress
    try:
        yield progress
    finally:
        _current = before


class _Both:
    def __init__(self, first: Progress, second: Progress) -> None:
        self.first, self.second = first, second

    def update(self, step: Step) -> None:
        self.first.update(step)
        self.second.update(step)


@contextmanager
def also_watching(progress: Progress) -> Iterator[Progress]:
    """Send the steps reported meanwhile to ``progress`` as well as to the watcher already
    installed (a flow run inside ``cleancopy run``: its log and the command's bar)."""
    before = _current
    with watching(progress if before is None else _Both(before, progress)):
        yield progress


def _label(step: Step) -> str:
    return STAGES.get(step.stage, step.stage)


class LineProgress:
    """One line per step (for logs and pipes)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def update(self, step: Step) -> None:
        if step.done == 0:
            self.out.write(f"{_label(step)}: {step.total} {step.unit}(s)\n")
        else:
            where = f" ({step.where})" if step.where else ""
            self.out.write(f"{_label(step)}: {step.unit} {step.done}/{step.total} done{where}\n")
        self.out.flush()


class LogProgress:
    """Counts for a log (a Prefect run's): each stage's start, each tenth of it and its end,
    so that a 500-page case logs a few lines, not one per page. Counts only: never ``where``."""

    def __init__(self, log: logging.Logger | logging.LoggerAdapter[logging.Logger], parts: int = 10) -> None:
        self.log, self.parts = log, parts

    def update(self, step: Step) -> None:
        if step.done == 0:
            self.log.info("%s: %d %s(s)", _label(step), step.total, step.unit)
        elif step.finished or step.done * self.parts // step.total != (step.done - 1) * self.parts // step.total:
            self.log.info("%s: %d/%d %s(s) done", _label(step), step.done, step.total, step.unit)


class TerminalProgress:
    """A bar redrawn in place on a terminal; a new line when the stage finishes."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def update(self, step: Step) -> None:
        filled = self.WIDTH * min(step.done, step.total) // step.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        where = f"  {step.where}" if step.where and not step.finished else ""
        line = f"{_label(step):<44} [{bar}] {step.done}/{step.total} {step.unit}(s){where}"
        self.out.write("\r" + line.ljust(110)[:110] + ("\n" if step.finished else ""))
        self.out.flush()
