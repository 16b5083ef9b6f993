"""What the storage tests set up alike: a fresh SQLite home with case rows in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from redaction.context import Context, open_context
from redaction.settings import Settings
from redaction.store.db import CaseRow


def with_cases(home: Path, *case_ids: str) -> Context:
    """A context on a fresh SQLite home holding a row for each case (no documents)."""
    ctx = open_context(Settings(home=home, ocr_engine="null", ocr_workers=1))
    with ctx.store.session() as s, s.begin():
        for case_id in case_ids:
            s.add(CaseRow(case_id=case_id, received=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 1),
                          case_dir="x", manifest_sha256="a" * 64, manifest_blob="b" * 64))
    return ctx
