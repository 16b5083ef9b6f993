from __future__ import annotations

import pytest

from redaction.detect import DetectConfig, DetectContext, ProposalDraft, detect_document
from redaction.errors import ConfigError
from redaction.models import Box, Reason
from tests.detect.pages import make_case, make_page

NO_PRESIDIO = DetectConfig(detectors=("manifest", "contact", "authorship", "relationship"))


def test_empty_document_and_empty_pages_give_nothing() -> None:
    assert detect_document(make_case(), "x.pdf", []) == []
    assert detect_document(make_case(), "x.pdf", [make_page([])]) == []


def test_unknown_detector_or_bad_threshold_stops_the_run() -> None:
    with pytest.raises(ConfigError):
        DetectConfig(detectors=("manifest", "magic"))
    with pytest.raises(ConfigError):
        DetectConfig(fuzzy_mid=1.5)


def test_custom_detectors_follow_the_protocol() -> None:
    class Fixed:
        name = "fixed"

        def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
            return [ProposalDraft(0, (Box(1, 1, 2, 2),), Reason.UNLISTED_PERSON, self.name, 0.3, None)]

    (d,) = detect_document(make_case(), "x.pdf", [make_page(["x"])], detectors=[Fixed()])
    assert d.detector == "fixed"


def test_detectors_combine_and_duplicates_merge() -> None:
    pages = [
        make_page(["Daniel Price (mum's partner) rang from 07700 900123.", "He lives at 14 Elm Road."], 0),
        make_page(["Amelia was happy.", "Yours sincerely,", "Sarah Okafor"], 1, top=600),
    ]
    drafts = detect_document(make_case(), "02-notes.pdf", pages, NO_PRESIDIO)
    reasons = [(d.page_index, d.reason) for d in drafts]
    assert (0, Reason.THIRD_PARTY) in reasons
    assert (0, Reason.RELATIONSHIP) in reasons
    assert (0, Reason.THIRD_PARTY_CONTACT) in reasons
    assert (1, Reason.AUTHORED) in reasons
    assert (1, Reason.THIRD_PARTY_STAFF) in reasons
    assert not any("Amelia" in d.text for d in drafts)
    order = [(d.page_index, not d.whole_page, d.boxes[0].y0, d.boxes[0].x0) for d in drafts]
    assert order == sorted(order)
    for d in drafts:
        assert d.party_id in ("tp-1", "tp-2") and d.explanation and d.boxes


def test_a_strangers_name_holding_a_surname_the_child_and_requester_share_survives_the_second_reading() -> None:
    # "Hart" is the child's and the requester's surname: one word, counted once against the rest
    import dataclasses

    page = make_page(["17.6.26 |Oliver Hart told staff that Mum was upset.", "Seen by the office."])
    line = {(w.block, w.line) for w in page.words if w.text == "|Oliver"}
    again = tuple(w for w in page.words if (w.block, w.line) in line)
    page = dataclasses.replace(page, reread=again)
    drafts = detect_document(make_case(), "x.pdf", [page])
    assert "|Oliver Hart" in [d.text for d in drafts]
