"""Every proposal names the rule that made it; a rule's base score comes from the configuration."""

from __future__ import annotations

from redaction.detect import DetectConfig, detect_document
from redaction.detect.rules import RULES, rule_of, slug, tag
from redaction.evaluation.coverage import rules_of
from redaction.models import OcrPage, Reason
from tests.detect.pages import make_case, make_page

NO_PRESIDIO = DetectConfig(detectors=("manifest", "contact", "authorship", "relationship", "unreadable"))


def _pages() -> list[OcrPage]:
    return [
        make_page(["Daniel Price (mum's partner) rang from 07700 900123.", "He lives at 14 Elm Road.",
                   "Her partner said D. Price would come."], 0),
        make_page(["Amelia was happy.", "Yours sincerely,", "Sarah Okafor"], 1, top=600),
    ]


def test_every_proposal_ends_in_the_id_of_a_listed_rule_of_its_detector() -> None:
    drafts = detect_document(make_case(), "x.pdf", _pages(), NO_PRESIDIO)
    assert drafts
    for d in drafts:
        ids = [rule_of(p) for p in d.explanation.split("; ")]
        assert ids and all(i in RULES for i in ids), d.explanation
        assert any(RULES[i].detector == d.detector for i in ids if i)


def test_people_the_manifest_does_not_list_carry_their_rule_too() -> None:
    page = make_page(["Amelia played with Oliver Hartley at lunch.", "Oliver Hartley was kind."], 0)
    drafts = [d for d in detect_document(make_case(), "x.pdf", [page]) if d.detector == "presidio"]
    assert any(d.reason is Reason.OTHER_CHILD for d in drafts)
    for d in drafts:
        assert all(rule_of(p) in RULES for p in d.explanation.split("; ")), d.explanation


def test_a_configured_rule_score_is_the_proposals_score() -> None:
    drafts = detect_document(make_case(), "x.pdf", _pages(), NO_PRESIDIO)
    signed = [d for d in drafts if d.whole_page]
    assert signed and all(d.score == RULES["authorship.signature"].score for d in signed)
    lower = DetectConfig(detectors=NO_PRESIDIO.detectors, rule_scores={"authorship.signature": 0.42})
    again = [d for d in detect_document(make_case(), "x.pdf", _pages(), lower) if d.whole_page]
    assert again and all(d.score == 0.42 for d in again)


def test_tags_are_read_back_and_replaced() -> None:
    assert rule_of(tag("full name (OCR-tolerant match)", "manifest.full-name")) == "manifest.full-name"
    assert tag(tag("x", "a.b"), "c.d") == "x [c.d]"
    assert rule_of("a reviewer's box") is None
    assert slug("surname, first name") == "surname-first-name"


def test_the_evaluation_counts_a_proposal_by_its_rule_ids() -> None:
    expl = "full name (OCR-tolerant match) [manifest.full-name]; phone number [contact.phone]"
    assert rules_of(expl) == ("manifest.full-name", "contact.phone")
    assert rules_of("OCR could not read 41% of it") == ("OCR could not read #% of it",)
