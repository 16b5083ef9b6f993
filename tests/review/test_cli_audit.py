"""The CLI's reviewer, decide and audit commands: every decision audited under a known
reviewer account, `reviewer assign`, and `audit verify` saying what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from redaction import cli, pipeline
from redaction.errors import ExitCode
from redaction.review import audit, auth
from redaction.store.db import AuditRow, CaseReviewerRow, DecisionRow, ReleaseRow
from tests.review.conftest import CASE_ID, PASSWORD


def _run(ctx: pipeline.Context, *args: str) -> int:
    return cli.main([*args, "--home", str(ctx.settings.home)])


def _decisions(ctx: pipeline.Context) -> list[AuditRow]:
    return [e for e in audit.entries(ctx, CASE_ID) if e.action in ("accepted", "rejected")]


def test_accept_all_from_the_cli_is_audited_under_the_account(ctx: pipeline.Context,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    pending = [r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID)]
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "  Joan Allen ", "--accept-all") == 0
    assert f"{len(pending)} decision(s) recorded for case {CASE_ID} by Joan Allen" in capsys.readouterr().out
    entries = _decisions(ctx)
    assert sorted(e.proposal_id for e in entries if e.proposal_id is not None) == sorted(pending)
    assert {(e.actor, e.action, e.detail) for e in entries} == {("Joan Allen", "accepted", "cli: all pending")}
    with ctx.store.session() as s:
        assert {d.reviewer for d in s.scalars(select(DecisionRow))} == {"Joan Allen"}
    assert audit.verify_chain(ctx, CASE_ID).ok


def test_reject_from_the_cli_is_audited(ctx: pipeline.Context) -> None:
    pid = pipeline.list_proposals(ctx, CASE_ID)[0][0].id
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "Joan Allen", "--reject", str(pid)) == 0
    assert [(e.action, e.proposal_id, e.detail) for e in _decisions(ctx)] == [("rejected", pid, "cli")]


def test_an_unknown_reviewer_is_refused_with_nothing_decided(ctx: pipeline.Context,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "Joan Alen", "--accept-all") == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "--reviewer 'Joan Alen' is not a reviewer account" in err and "cleancopy reviewer add" in err
    assert all(r.status == "pending" for r, _ in pipeline.list_proposals(ctx, CASE_ID))
    assert _decisions(ctx) == []
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "Joan Alen", "--sign-off") == ExitCode.BAD_INPUT


def test_a_staff_account_cannot_decide_from_the_cli(ctx: pipeline.Context, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "Sam Staff", "--accept-all") == ExitCode.BAD_INPUT
    assert "staff account" in capsys.readouterr().err
    assert _decisions(ctx) == []


def test_withhold_and_release_need_a_known_reviewer(ctx: pipeline.Context, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    doc = pipeline.current_documents(ctx, CASE_ID)[0].id
    assert _run(ctx, "withhold", CASE_ID, "--document", str(doc), "--page", "1", "--whole-page",
                "--note", "risk", "--reviewer", "Nobody") == ExitCode.BAD_INPUT
    assert _run(ctx, "release", CASE_ID, "--out", str(tmp_path / "out"), "--reviewer", "Nobody") \
        == ExitCode.BAD_INPUT
    assert capsys.readouterr().err.count("is not a reviewer account") == 2


def test_reviewer_assign_gives_and_takes_a_case(ctx: pipeline.Context, capsys: pytest.CaptureFixture[str]) -> None:
    auth.add_reviewer(ctx, "Kim Deputy", "deputy", PASSWORD)
    kim = auth.require_reviewer(ctx, "Kim Deputy")
    assert not auth.may_see(ctx, kim, CASE_ID)
    assert _run(ctx, "reviewer", "assign", "Kim Deputy", CASE_ID) == 0
    assert f"Kim Deputy (deputy) may now see case {CASE_ID}" in capsys.readouterr().out
    assert auth.may_see(ctx, kim, CASE_ID)
    assert _run(ctx, "reviewer", "assign", "Kim Deputy", CASE_ID) == 0  # twice: still one assignment
    with ctx.store.session() as s:
        assert len(s.scalars(select(CaseReviewerRow).where(CaseReviewerRow.reviewer_id == kim.id)).all()) == 1
    assert _run(ctx, "reviewer", "assign", "Kim Deputy", CASE_ID, "--remove") == 0
    assert not auth.may_see(ctx, kim, CASE_ID)
    assert _run(ctx, "reviewer", "assign", "Nobody", CASE_ID) == ExitCode.BAD_INPUT
    assert _run(ctx, "reviewer", "assign", "Kim Deputy", "SAR-NONE") == ExitCode.BAD_INPUT


def _released(ctx: pipeline.Context, tmp_path: Path) -> Path:
    """Decided and signed off from the CLI, a release's row and manifest (the release's own
    tests render and verify), one entry after. Returns the manifest."""
    assert _run(ctx, "decide", CASE_ID, "--reviewer", "Joan Allen", "--accept-all", "--sign-off") == 0
    with ctx.store.session() as s, s.begin():
        row = ReleaseRow(case_id=CASE_ID, out_dir=str(tmp_path / "out"), bundle_sha256="c" * 64, documents=2,
                         pages=3, redactions=4)
        head = audit.record_head(s, row)
        s.add(row)
    audit.record(ctx, CASE_ID, "Joan Allen", [("note", None, "after the release")])
    manifest = tmp_path / "out" / "release-manifest.json"
    manifest.parent.mkdir()
    manifest.write_text(json.dumps({"case_id": CASE_ID, "audit_head": head.as_dict(), "files": []}))
    return manifest


def test_audit_verify_says_intact_and_what_it_checked(ctx: pipeline.Context, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    manifest = _released(ctx, tmp_path)
    capsys.readouterr()
    assert _run(ctx, "audit", "verify", CASE_ID, "--manifest", str(manifest.parent)) == 0
    out = capsys.readouterr().out
    assert "audit log intact" in out and "HMAC-SHA256 checked, 2 release head(s) checked" in out


def test_audit_verify_names_the_deleted_tail_and_exits_non_zero(ctx: pipeline.Context, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    _released(ctx, tmp_path)
    last = audit.entries(ctx, CASE_ID)[-1].seq
    with ctx.store.session() as s, s.begin():
        s.execute(delete(AuditRow).where(AuditRow.seq == last))
    capsys.readouterr()
    assert _run(ctx, "audit", "verify", CASE_ID) == ExitCode.VERIFICATION_FAILED
    err = capsys.readouterr().err
    assert f"{CASE_ID}: audit log TAMPERED (1 problem(s)" in err
    assert f"  - entries after {last - 1} missing" in err


def test_audit_verify_names_an_altered_entry(ctx: pipeline.Context, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 2).values(actor="Someone Else"))
    capsys.readouterr()
    assert _run(ctx, "audit", "verify", CASE_ID) == ExitCode.VERIFICATION_FAILED
    assert "  - entry 2 altered after being written" in capsys.readouterr().err


def test_audit_verify_refuses_a_manifest_of_another_case(ctx: pipeline.Context, tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"audit_head": {"case_id": "SAR-X", "seq": 1, "sha256": "a", "hmac": "b"}}))
    assert _run(ctx, "audit", "verify", CASE_ID, "--manifest", str(bad)) == ExitCode.BAD_INPUT
    bad.write_text("{}")
    assert _run(ctx, "audit", "verify", CASE_ID, "--manifest", str(bad)) == ExitCode.BAD_INPUT
