"""PDFs that hide a refused party's details the way real files do, made in code.

Each maker returns one PDF whose page shows an ordinary note about the child and,
somewhere a reader may or may not see, the refused party ``SECRET_NAME`` with a phone
and an email (``SECRET_*``). ``VISIBLE`` makers put the secret where a reader *can* see
it (so a correct release must box it); the others hide it where no reader looks (so a
correct release must simply not carry it). Used by the release tests, the verifier's
tests and ``benchmarks/release.py``.

The makers are in :mod:`.visible` and :mod:`.hidden`; the note, the secret and the page
and picture helpers in :mod:`.page`.
"""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.adversarial.hidden import HIDDEN
from redaction.synth.adversarial.page import (
    CASE_YAML,
    CHILD,
    NOTE,
    SECRET_EMAIL,
    SECRET_LINE,
    SECRET_NAME,
    SECRET_PHONE,
    H,
    W,
    text_picture,
)
from redaction.synth.adversarial.visible import VISIBLE

__all__ = [
    "ALL", "CASE_YAML", "CHILD", "HIDDEN", "NOTE", "SECRET_EMAIL", "SECRET_LINE", "SECRET_NAME", "SECRET_PHONE",
    "VISIBLE", "H", "W", "text_picture",
]

ALL: dict[str, Callable[[], bytes]] = {**VISIBLE, **HIDDEN}
