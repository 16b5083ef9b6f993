"""Every move of the procedure, and every refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redaction import pipeline, release
from redaction.errors import NotReadyError
from redaction.procedure import consents, states
from redaction.procedure.states import ProcedureError, State
from redaction.review import audit
from tests.procedure.conftest import CASE_ID, born_digital


def _moves(ctx: pipeline.Context) -> list[str]:
    return [e.detail.split(";")[0] for e in audit.entries(ctx, CASE_ID) if e.action == "state"]


def test_import_with_parties_pending_awaits_consents(ctx: pipeline.Context) -> None:
    assert states.get(ctx, CASE_ID).state is State.AWAITING_CONSENTS
    assert _moves(ctx) == ["received -> awaiting-consents"]


def test_last_answer_makes_the_case_ready(ctx: pipeline.Context) -> None:
    consents.record(ctx, CASE_ID, "tp-2", "granted", "office")
    assert states.get(ctx, CASE_ID).state is State.AWAITING_CONSENTS
    consents.record(ctx, CASE_ID, "tp-3", "refused", "office")
    assert states.get(ctx, CASE_ID).state is State.READY


def test_decision_sign_off_and_release_walk_the_states(ctx: pipeline.Context, tmp_path: object) -> None:
    from pathlib import Path

    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    assert states.get(ctx, CASE_ID).state is State.IN_REVIEW
    from redaction import signoff

    signoff.record_sign_off(ctx, CASE_ID, "Joan Allen")
    assert states.get(ctx, CASE_ID).state is State.APPROVED
    release.release_case(ctx, CASE_ID, Path(str(tmp_path)) / "out", actor="Joan Allen")
    assert states.get(ctx, CASE_ID).state is State.RELEASED
    assert _moves(ctx)[1:] == ["awaiting-consents -> in-review", "in-review -> approved", "approved -> released"]
    assert audit.verify_chain(ctx, CASE_ID).ok


def test_hold_refuses_release_and_sign_off_and_unhold_returns(ctx: pipeline.Context, tmp_path: object) -> None:
    from pathlib import Path

    from redaction import signoff

    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    states.hold(ctx, CASE_ID, "Joan Allen", "legal advice sought: possible litigation")
    with pytest.raises(ProcedureError, match="on hold"):
        release.release_case(ctx, CASE_ID, Path(str(tmp_path)) / "out")
    with pytest.raises(ProcedureError, match="on hold"):
        signoff.record_sign_off(ctx, CASE_ID, "Joan Allen")
    assert not (Path(str(tmp_path)) / "out").exists()
    back = states.unhold(ctx, CASE_ID, "Joan Allen")
    assert back.state is State.IN_REVIEW
    release.release_case(ctx, CASE_ID, Path(str(tmp_path)) / "out")
    assert states.get(ctx, CASE_ID).state is State.RELEASED


@pytest.mark.parametrize("action, message", [
    (lambda c: states.unhold(c, CASE_ID, "x"), "not on hold"),
    (lambda c: states.hold(c, CASE_ID, "x", "  "), "say why"),
    (lambda c: states.move(c, CASE_ID, State.RELEASED, "x"), "cannot become released"),
    (lambda c: states.move(c, CASE_ID, State.APPROVED, "x"), "cannot become approved"),
    (lambda c: states.extend(c, CASE_ID, dt.date(2026, 10, 1), "late", "x"), "must be after"),
    (lambda c: states.extend(c, CASE_ID, dt.date(2026, 12, 1), "", "x"), "needs its reason"),
])
def test_illegal_moves_are_refused_with_a_message(ctx: pipeline.Context, action: object, message: str) -> None:
    with pytest.raises(ProcedureError, match=message):
        action(ctx)  # type: ignore[operator]


def test_a_held_case_cannot_be_held_again_nor_a_released_one_held(ctx: pipeline.Context, tmp_path: object) -> None:
    from pathlib import Path

    states.hold(ctx, CASE_ID, "x", "legal advice")
    with pytest.raises(ProcedureError, match="already on hold"):
        states.hold(ctx, CASE_ID, "x", "again")
    states.unhold(ctx, CASE_ID, "x")
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    release.release_case(ctx, CASE_ID, Path(str(tmp_path)) / "out")
    with pytest.raises(ProcedureError, match="released"):
        states.hold(ctx, CASE_ID, "x", "too late")


def test_release_with_undecided_proposals_is_refused(ctx: pipeline.Context, tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(NotReadyError):
        release.release_case(ctx, CASE_ID, Path(str(tmp_path)) / "out")


def test_extension_moves_the_deadline_and_is_audited(ctx: pipeline.Context) -> None:
    assert states.deadline(ctx, CASE_ID) == dt.date(2026, 11, 16)
    st = states.extend(ctx, CASE_ID, dt.date(2026, 12, 14), "agency reply awaited", "Joan Allen")
    assert st.extended_to == dt.date(2026, 12, 14) and states.deadline(ctx, CASE_ID) == dt.date(2026, 12, 14)
    assert any(e.action == "extended" and "agency reply awaited" in e.detail for e in audit.entries(ctx, CASE_ID))


def test_an_extension_outlasts_the_case_folder_being_read_again(ctx: pipeline.Context, case_dir: Path) -> None:
    states.extend(ctx, CASE_ID, dt.date(2027, 1, 20), "complex request", "Joan Allen")
    (case_dir / "files" / "03-late.pdf").write_bytes(born_digital(["Amelia read a book."]))
    pipeline.import_case(ctx, case_dir)
    assert states.deadline(ctx, CASE_ID) == dt.date(2027, 1, 20)


def test_an_extension_past_two_further_months_is_refused(ctx: pipeline.Context) -> None:
    # received 2026-11-02: one month to 2026-12-02, two further months to 2027-02-02 at most
    states.extend(ctx, CASE_ID, dt.date(2027, 2, 2), "complex request", "Joan Allen")
    with pytest.raises(ProcedureError, match="two further months"):
        states.extend(ctx, CASE_ID, dt.date(2027, 2, 3), "complex request", "Joan Allen")
    assert states.deadline(ctx, CASE_ID) == dt.date(2027, 2, 2)
