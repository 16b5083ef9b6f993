"""The repository's reads: live proposals, the names found by rule (never by explanation text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.context import Context
from redaction.errors import NotFoundError
from redaction.models import ProposalStatus, Reason
from redaction.store import repository
from redaction.store.db import DecisionRow, DocumentRow, ProposalRow, ReleaseRow
from tests.store.store_support import with_cases

CASE = "SAR-R"


def _proposal(doc: int, key: str, text: str, *, rule: str = "", status: str = ProposalStatus.PENDING,
              explanation: str = "a name", reason: Reason = Reason.OTHER_CHILD) -> ProposalRow:
    return ProposalRow(document_id=doc, page_index=0, boxes=[[0, 0, 1, 1]], reason=reason.value, detector="presidio",
                       score=0.6, party_id=None, text=text, explanation=explanation, rule=rule, status=status, key=key)


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    c = with_cases(tmp_path, CASE)
    with c.store.session() as s, s.begin():
        s.add(DocumentRow(id=1, case_id=CASE, file_name="a.pdf", original_sha256="c" * 64))
        s.add(DocumentRow(id=2, case_id=CASE, file_name="b.pdf", original_sha256="d" * 64))
        s.add_all([
            _proposal(1, "k1", "Amir"),
            _proposal(1, "k2", "Bea", rule="case-name", explanation="the same words as k1's"),
            _proposal(1, "k3", "Cal", status=ProposalStatus.WITHDRAWN),
            _proposal(2, "k4", "Dee", explanation="a name word of a person found elsewhere in this case"),
            _proposal(2, "k5", "Eve", reason=Reason.THIRD_PARTY),
        ])
    return c


def test_found_names_leave_out_a_rule_whatever_the_explanation_says(ctx: Context) -> None:
    rows = repository.found_names(ctx.store, CASE, "presidio", (Reason.OTHER_CHILD,), exclude_rule="case-name")
    assert rows == [("Amir", Reason.OTHER_CHILD), ("Dee", Reason.OTHER_CHILD)]


def test_found_names_leave_out_the_document_asked(ctx: Context) -> None:
    rows = repository.found_names(ctx.store, CASE, "presidio", (Reason.OTHER_CHILD, Reason.THIRD_PARTY),
                                  exclude_document=1, exclude_rule="case-name")
    assert [t for t, _ in rows] == ["Dee", "Eve"]


def test_live_proposals_leave_out_withdrawn_ones(ctx: Context) -> None:
    assert [(r.key, name) for r, name in repository.live_proposals(ctx.store, CASE)] == [
        ("k1", "a.pdf"), ("k2", "a.pdf"), ("k4", "b.pdf"), ("k5", "b.pdf")]
    assert repository.live_proposal_count(ctx.store, 1) == 2


def test_an_unknown_case_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFoundError, match="SAR-NONE"):
        repository.current_documents(ctx.store, "SAR-NONE")


def test_proposals_by_key_page_and_status(ctx: Context) -> None:
    with ctx.store.session() as s:
        row = repository.proposal_with_key(s, 1, "k3")
        assert row is not None and row.status == ProposalStatus.WITHDRAWN  # withdrawn ones are stored too
        assert repository.proposal_with_key(s, 2, "k3") is None
        assert repository.find_proposal(s, row.id) is not None and repository.find_proposal(s, 999) is None
        on_page = repository.proposals_on_page(s, 1, 0, (ProposalStatus.PENDING,))
        assert [r.key for r in on_page] == ["k1", "k2"]
        assert repository.proposals_on_page(s, 1, 1, (ProposalStatus.PENDING,)) == []
        boxes = repository.boxes_by_status(s, 2, (ProposalStatus.PENDING, ProposalStatus.ACCEPTED))
        assert boxes == [(0, [[0, 0, 1, 1]]), (0, [[0, 0, 1, 1]])]


def test_decision_history_latest_first_and_latest_release(ctx: Context) -> None:
    with ctx.store.session() as s, s.begin():
        pid = repository.proposal_with_key(s, 1, "k1").id  # type: ignore[union-attr]
        for status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.ACCEPTED):
            s.add(DecisionRow(proposal_id=pid, reviewer="JA", status=status.value))
        s.add_all([ReleaseRow(case_id=CASE, out_dir=f"/r{i}", bundle_sha256="c" * 64, documents=1, pages=1,
                              redactions=0) for i in (1, 2)])
    with ctx.store.session() as s:
        assert repository.decision_history(s, pid, 2) == ["accepted", "rejected"]
        latest = repository.latest_release(s, CASE)
        assert latest is not None and latest.out_dir == "/r2"
        assert repository.latest_release(s, "SAR-NONE") is None
