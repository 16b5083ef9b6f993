"""A reviewer may withhold further information where disclosure would put the child at
risk: reason code ``SG``, a note required. The note stays in the audit log; it is never
printed in the release pack (which shows the code and "information withheld to protect
the child" only)."""

from __future__ import annotations

from redaction.context import Context
from redaction.errors import InputError
from redaction.models import Box, Reason
from redaction.procedure import states
from redaction.review.auth import Reviewer
from redaction.review.manual import ManualRequest, add_to_page
from redaction.review.pages import page_row
from redaction.store import casework


def notes_of(ctx: Context, case_id: str) -> list[str]:
    """The notes of the case's safeguarding redactions (to check the pack never shows them)."""
    with ctx.store.session() as s:
        details = casework.safeguarding_details(s, case_id)
    return [d.split("note: ", 1)[1] for d in details if "note: " in d]


def withhold(ctx: Context, case_id: str, document_id: int, page_index: int, reviewer: str, note: str,
             box: tuple[float, float, float, float] | None = None, reason: str = Reason.SAFEGUARDING.value) -> int:
    """A box (unrotated page points, as ``cleancopy proposals`` prints them) or the whole page
    withheld by ``reviewer`` with ``reason`` (safeguarding by default) and a note; accepted at
    once and audited. Returns the proposal id."""
    who = Reviewer(id=0, name=reviewer.strip(), role="head")
    if not who.name:
        raise InputError("--reviewer must name the person withholding the information")
    boxes: list[Box] | None = None
    if box is not None:
        with ctx.store.session() as s:
            _doc, page = page_row(s, case_id, document_id, page_index)
        x0, y0, x1, y1 = box
        b = Box(max(0.0, min(x0, x1)), max(0.0, min(y0, y1)), min(page.width, max(x0, x1)),
                min(page.height, max(y0, y1)))
        if b.width < 1 or b.height < 1:
            raise InputError("the box is too small: give x0,y0,x1,y1 in page points")
        boxes = [b]
    pid = add_to_page(ctx, case_id, document_id, page_index, boxes, ManualRequest(reason, None, note), who,
                      "withheld" if box is not None else "whole page withheld")
    if pid is None:
        raise InputError("that information is already withheld the same way")
    states.after_decision(ctx, case_id, who.name)
    return pid
