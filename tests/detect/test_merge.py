from __future__ import annotations

from redaction.detect.merge import merge
from redaction.models import Box, ProposalDraft, Reason


def draft(page: int, box: Box, score: float, expl: str, reason: Reason = Reason.THIRD_PARTY,
          whole: bool = False) -> ProposalDraft:
    return ProposalDraft(page, (box,), reason, "t", score, "tp-1", "x", expl, whole)


def test_duplicate_is_folded_into_the_strongest_with_both_explanations() -> None:
    a = draft(0, Box(10, 10, 50, 20), 0.9, "full name")
    b = draft(0, Box(11, 10, 30, 20), 0.85, "first name", Reason.UNLISTED_PERSON)
    (m,) = merge([b, a])
    assert m.score == 0.9 and m.reason is Reason.THIRD_PARTY
    assert m.explanation == "full name; first name"


def test_partly_overlapping_proposals_are_both_kept() -> None:
    a = draft(0, Box(10, 10, 50, 20), 0.9, "a")
    b = draft(0, Box(40, 10, 90, 20), 0.8, "b")
    assert len(merge([a, b])) == 2


def test_whole_page_and_other_pages_are_kept_apart_and_sorted() -> None:
    w = draft(1, Box(0, 0, 595, 842), 0.85, "signed", Reason.AUTHORED, whole=True)
    low = draft(1, Box(10, 500, 50, 510), 0.9, "name")
    high = draft(1, Box(10, 100, 50, 110), 0.5, "name")
    p0 = draft(0, Box(10, 700, 50, 710), 0.5, "name")
    assert merge([low, w, high, p0]) == [p0, w, high, low]
