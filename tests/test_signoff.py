"""The sign-off kept in the audit log: it stands until a later decision or a release."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction import pipeline, release, signoff
from redaction.errors import InputError, NotReadyError
from redaction.review import audit
from tests.test_pipeline import _run, case_dir, ctx  # noqa: F401 - fixtures


def test_sign_off_needs_every_proposal_decided(ctx: pipeline.Context, case_dir: Path) -> None:  # noqa: F811
    _run(ctx, case_dir)
    with pytest.raises(NotReadyError, match="undecided"):
        signoff.record_sign_off(ctx, "SAR-T-001", "Mrs Head")
    assert signoff.standing_sign_off(ctx, "SAR-T-001") is None


def test_sign_off_stands_until_a_later_decision(ctx: pipeline.Context, case_dir: Path) -> None:  # noqa: F811
    _run(ctx, case_dir)
    ids = [r.id for r, _ in pipeline.list_proposals(ctx, "SAR-T-001")]
    pipeline.decide(ctx, "SAR-T-001", "Mrs Head", accept_all=True)
    so = signoff.record_sign_off(ctx, "SAR-T-001", "Mrs Head", comment="checked twice")
    got = signoff.standing_sign_off(ctx, "SAR-T-001")
    assert got is not None and got.approved and got.reviewer == "Mrs Head" and got.seq == so.seq
    assert audit.entries(ctx, "SAR-T-001")[-1].detail == "comment: checked twice"
    pipeline.decide(ctx, "SAR-T-001", "Mr Deputy", reject=(ids[0],))
    assert signoff.standing_sign_off(ctx, "SAR-T-001") is None


def test_a_release_consumes_the_sign_off(ctx: pipeline.Context, case_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    _run(ctx, case_dir)
    pipeline.decide(ctx, "SAR-T-001", "Mrs Head", accept_all=True)
    signoff.record_sign_off(ctx, "SAR-T-001", "Mrs Head")
    res = release.release_case(ctx, "SAR-T-001", tmp_path / "out")
    signoff.record_released(ctx, "SAR-T-001", "Mrs Head", res.bundle_sha256, len(res.documents), "run-1")
    assert signoff.standing_sign_off(ctx, "SAR-T-001") is None
    assert audit.verify_chain(ctx, "SAR-T-001").ok


def test_a_refusal_must_say_why_and_stands(ctx: pipeline.Context, case_dir: Path) -> None:  # noqa: F811
    _run(ctx, case_dir)
    with pytest.raises(InputError, match="say why"):
        signoff.record_sign_off(ctx, "SAR-T-001", "Mrs Head", approved=False)
    signoff.record_sign_off(ctx, "SAR-T-001", "Mrs Head", approved=False, comment="page 2 needs a rescan")
    got = signoff.standing_sign_off(ctx, "SAR-T-001")
    assert got is not None and not got.approved
