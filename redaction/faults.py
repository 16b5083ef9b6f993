"""Named points where a test may kill the process, as a power cut would.

``CLEANCOPY_FAULT_AT=<point>`` makes the process kill itself (SIGKILL: no clean-up,
no ``finally``) the first time it reaches that point; unset, a point costs one
dictionary lookup. The crash tests (tests/test_crash_points.py) kill a run, a decision
and a release at every point in ``POINTS`` and check that the next run proceeds as if
nothing had happened. The points sit inside and just after every write.
"""

from __future__ import annotations

import os
import signal

ENV = "CLEANCOPY_FAULT_AT"

POINTS = (
    "import.in-transaction",
    "import.committed",
    "ocr.claimed",
    "ocr.read",
    "ocr.saving",
    "ocr.committed",
    "propose.in-transaction",
    "propose.committed",
    "decide.in-transaction",
    "decide.committed",
    "release.planned",
    "release.built",
    "release.verified",
    "release.bundled",
    "release.packed",
    "release.stored",
    "publish.writing",
    "publish.before-manifest",
    "publish.before-rename",
    "publish.renamed",
    "release.published",
    "release.recorded",
)


def point(name: str) -> None:
    """Die here if the environment asks for it (see module doc)."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
