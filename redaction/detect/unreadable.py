"""Scanned pages OCR could not read: proposed whole for the reviewer (reason ``UR``).

A page scanned upside down is read the right way up by the OCR engine; what still reads
as noise (handwriting, a page smudged or photographed at an angle, a scan far too faint)
holds words no detector can see. Rather than release it on the strength of a reading
that found nothing, the whole page is proposed: the reviewer reads it by eye and either
withholds it or rejects the proposal and draws boxes on what must go.

A page reads badly when at least ``unreadable_min_words`` words were found and fewer than
``unreadable_good_share`` of them (:class:`~redaction.detect.config.DetectConfig`) were read
confidently (three letters or more, confidence 70 or more). The noisiest readable scans of
the evaluation sets (blur, speckle, JPEG at 150 dpi) keep a third of their words good; a
page read upside down keeps under a tenth.
"""

from __future__ import annotations

from redaction.detect.base import DetectContext
from redaction.detect.rules import rule
from redaction.models import Box, OcrPage, ProposalDraft, Reason, TextSource
from redaction.ocr.base import well_read

NAME = "unreadable"
UNREADABLE = rule("unreadable.page")


def good_share(page: OcrPage) -> float:
    """The share of the page's words read confidently (1.0 for a page without words)."""
    if not page.words:
        return 1.0
    return sum(well_read(w.text, w.conf) for w in page.words) / len(page.words)


def unreadable(page: OcrPage, min_words: int = 12, min_good_share: float = 0.15) -> bool:
    return page.source is TextSource.TESSERACT and len(page.words) >= min_words and \
        good_share(page) < min_good_share


class UnreadablePageDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        return [
            ProposalDraft(
                page_index=page.page_index,
                boxes=(Box(0.0, 0.0, page.width, page.height),),
                reason=Reason.UNREADABLE,
                detector=NAME,
                score=UNREADABLE.base(ctx.config),
                party_id=None,
                text="",
                explanation=UNREADABLE.explain(f" ({round(100 * good_share(page))}% of {len(page.words)} words "
                                               "read with confidence): read it by eye before release"),
                whole_page=True,
            )
            for page in ctx.pages
            if unreadable(page, ctx.config.unreadable_min_words, ctx.config.unreadable_good_share)
        ]
