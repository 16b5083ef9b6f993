"""Progress of long work: counts go to whoever watches, as lines or as a bar."""

from __future__ import annotations

import io

from redaction import progress
from redaction.progress import LineProgress, Step, TerminalProgress, watching


class Recorder:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def update(self, step: Step) -> None:
        self.steps.append(step)


def test_steps_reach_the_watcher_only_while_it_watches() -> None:
    progress.report("read", 1, 2)  # nobody watches: nothing happens
    rec = Recorder()
    with watching(rec):
        progress.report("read", 0, 2)
        progress.report("read", 1, 2, where="document 1 of 1, page 1")
        progress.report("read", 0, 0)  # nothing to do: not reported
    progress.report("read", 2, 2)
    assert [(s.done, s.total, s.where) for s in rec.steps] == [(0, 2, ""), (1, 2, "document 1 of 1, page 1")]


def test_plain_lines_and_a_bar() -> None:
    out = io.StringIO()
    lines = LineProgress(out)
    for done in range(3):
        lines.update(Step("read", done, 2, where=f"page {done}" if done else ""))
    assert out.getvalue().splitlines() == [
        "reading pages: 2 page(s)", "reading pages: page 1/2 done (page 1)", "reading pages: page 2/2 done (page 2)"]
    out = io.StringIO()
    bar = TerminalProgress(out)
    bar.update(Step("propose", 1, 4, "document"))
    bar.update(Step("propose", 4, 4, "document"))
    first, second = out.getvalue().split("\r")[1:]
    assert "[" + "#" * 7 + "-" * 23 + "] 1/4 document(s)" in first and not first.endswith("\n")
    assert "[" + "#" * 30 + "] 4/4" in second and second.endswith("\n")


def test_a_log_gets_counts_a_few_times_per_stage() -> None:
    import logging

    class Catch(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    log = logging.getLogger("test-progress-log")
    log.setLevel(logging.INFO)
    catch = Catch()
    log.addHandler(catch)
    rec = Recorder()
    try:
        with watching(rec), progress.also_watching(progress.LogProgress(log)):
            for i in range(101):
                progress.report("read", i, 100, where=f"document 1 of 1, page {i}")
    finally:
        log.removeHandler(catch)
    assert len(rec.steps) == 101  # the watcher already there still sees every step
    assert catch.lines[0] == "reading pages: 100 page(s)"
    assert catch.lines[-1] == "reading pages: 100/100 page(s) done"
    assert len(catch.lines) == 11 and not any("document" in line for line in catch.lines)
