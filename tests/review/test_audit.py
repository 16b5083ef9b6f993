"""The keyed audit log: every kind of rewriting someone with the database but not the
key could try is found by verify_chain, and it says what is wrong. Tampering is done
with plain SQL, the plain sha256 chain recomputed with the published formula."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from redaction import pipeline, release, signoff
from redaction.errors import StorageError
from redaction.review import audit
from redaction.settings import Settings
from redaction.store.db import AuditKeyRow, AuditRow, AuditTipRow, ReleaseRow
from redaction.store.keys import KeyFile
from tests.review.conftest import CASE_ID

HEAD = "Joan Allen"


def _release_row(ctx: pipeline.Context) -> None:
    """What a release writes to the database, its audit head included (the release's
    own tests render and verify; here only the log matters)."""
    with ctx.store.session() as s, s.begin():
        row = ReleaseRow(case_id=CASE_ID, out_dir="/released", bundle_sha256="c" * 64, documents=2, pages=3,
                         redactions=4)
        audit.record_head(s, row)
        s.add(row)


def _released(ctx: pipeline.Context, tmp_path: Path) -> audit.AuditHead:
    """Every proposal decided, signed off, released; two entries after. Returns the release's head."""
    pipeline.decide(ctx, CASE_ID, HEAD, accept_all=True)
    signoff.record_sign_off(ctx, CASE_ID, HEAD, True, "")
    _release_row(ctx)
    signoff.record_released(ctx, CASE_ID, HEAD, "c" * 64, 2)
    audit.record(ctx, CASE_ID, HEAD, [("note", None, "one"), ("note", None, "two")])
    with ctx.store.session() as s:
        rel = s.scalars(select(ReleaseRow)).one()
        assert rel.audit_seq is not None and rel.audit_sha256 and rel.audit_hmac
        return audit.AuditHead(CASE_ID, rel.audit_seq, rel.audit_sha256, rel.audit_hmac)


def _rechain(ctx: pipeline.Context) -> None:
    """What an attacker without the key can do: recompute every plain sha256."""
    with ctx.store.session() as s, s.begin():
        prev = audit.GENESIS
        for r in s.scalars(select(AuditRow).where(AuditRow.case_id == CASE_ID).order_by(AuditRow.seq)):
            r.prev_sha256 = prev
            r.entry_sha256 = audit.entry_hash(prev, r.case_id, r.seq, r.actor, r.action, r.proposal_id,
                                              r.detail, r.at)
            prev = r.entry_sha256


def _last_seq(ctx: pipeline.Context) -> int:
    return audit.entries(ctx, CASE_ID)[-1].seq


def test_an_untouched_log_verifies_with_its_hmacs_tip_and_release_head(ctx: pipeline.Context,
                                                                        tmp_path: Path) -> None:
    head = _released(ctx, tmp_path)
    rep = audit.verify_chain(ctx, CASE_ID)
    assert rep.ok, rep.problems
    assert rep.keyed and rep.heads_checked == 1 and rep.last_seq == _last_seq(ctx)
    assert all(e.entry_hmac for e in audit.entries(ctx, CASE_ID))
    assert head.seq < rep.last_seq  # the head is where the log stood at the release
    assert audit.check_head(ctx, "release-manifest.json", head).ok


def test_deleting_the_last_entry_is_found(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    last = _last_seq(ctx)
    with ctx.store.session() as s, s.begin():
        s.execute(delete(AuditRow).where(AuditRow.seq == last))
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok
    assert rep.problem == f"entries after {last - 1} missing: the log's tip record says the log reached entry {last}"


def test_an_edited_entry_with_its_plain_hash_recomputed_is_found(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    last = _last_seq(ctx)
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 2).values(actor="Someone Else"))
    _rechain(ctx)
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok and rep.first_bad_seq == 2
    assert rep.problem.startswith(f"entries 2 to {last} altered after being written")
    # the release's head no longer matches either
    assert any("is not the one release" in p for p in rep.problems)


def test_an_edit_without_recomputing_names_the_one_entry(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 3).values(detail="nothing to see"))
    rep = audit.verify_chain(ctx, CASE_ID)
    assert rep.problems == ("entry 3 altered after being written (the HMAC does not match: content changed, "
                            "entries moved, or hashes recomputed)",)


@pytest.mark.parametrize("recompute", [False, True])
def test_reordered_entries_are_found(ctx: pipeline.Context, tmp_path: Path, recompute: bool) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        for a, b in ((2, -1), (3, 2), (-1, 3)):
            s.execute(update(AuditRow).where(AuditRow.case_id == CASE_ID, AuditRow.seq == a).values(seq=b))
    if recompute:
        _rechain(ctx)
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok and rep.first_bad_seq == 2 and "entries 2 to" in rep.problem and "altered" in rep.problem


def test_blanked_hmacs_and_a_forged_entry_are_found(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 4).values(detail="forged", entry_hmac=None))
    _rechain(ctx)
    rep = audit.verify_chain(ctx, CASE_ID)
    assert "entry 4 has no HMAC: written without the audit key, or the HMAC removed" in rep.problems


def test_truncation_to_before_the_release_is_found_though_the_tip_is_put_back(ctx: pipeline.Context,
                                                                              tmp_path: Path) -> None:
    pipeline.decide(ctx, CASE_ID, HEAD, accept_all=True)
    with ctx.store.session() as s:  # a copy of the tip taken before the sign-off, by someone who reads the db
        old = s.get(AuditTipRow, CASE_ID)
        assert old is not None
        copy = (old.seq, old.sha256, old.hmac)
    signoff.record_sign_off(ctx, CASE_ID, HEAD, True, "")
    _release_row(ctx)
    with ctx.store.session() as s, s.begin():
        head_seq = s.scalars(select(ReleaseRow.audit_seq)).one()
        s.execute(delete(AuditRow).where(AuditRow.seq > copy[0]))
        tip = s.get(AuditTipRow, CASE_ID)
        assert tip is not None
        tip.seq, tip.sha256, tip.hmac = copy
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok
    assert rep.problems[0].startswith(f"entries after {copy[0]} missing: release 1 (")
    assert rep.problems[0].endswith(f"says the log reached entry {head_seq}")


def test_a_release_head_moved_back_is_found(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        e2 = s.scalars(select(AuditRow).where(AuditRow.seq == 2)).one()
        s.execute(update(ReleaseRow).values(audit_seq=2, audit_sha256=e2.entry_sha256))
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok and any("audit head in release 1" in p and "altered" in p for p in rep.problems)


def test_a_manifest_head_catches_a_release_row_deleted_with_the_tail(ctx: pipeline.Context, tmp_path: Path) -> None:
    head = _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        s.execute(delete(AuditRow).where(AuditRow.seq >= head.seq - 1))
        s.execute(delete(ReleaseRow))
        s.execute(delete(AuditTipRow))
    assert "the record of the log's last entry was removed" in audit.verify_chain(ctx, CASE_ID).problem
    rep = audit.check_head(ctx, "out/release-manifest.json", head)
    assert f"entries after {head.seq - 2} missing: out/release-manifest.json says the log reached entry {head.seq}" \
        in rep.problems
    forged = audit.AuditHead(CASE_ID, head.seq - 2, head.sha256, head.hmac)
    assert any("altered" in p for p in audit.check_head(ctx, "manifest", forged).problems)


def test_stripping_every_trace_of_the_key_is_found(ctx: pipeline.Context, tmp_path: Path) -> None:
    _released(ctx, tmp_path)
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 2).values(actor="Someone Else"))
        s.execute(update(AuditRow).values(entry_hmac=None))
        s.execute(update(ReleaseRow).values(audit_seq=None, audit_sha256=None, audit_hmac=None))
        s.execute(delete(AuditTipRow))
        s.execute(delete(AuditKeyRow))
    _rechain(ctx)
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok and "no entry carries an HMAC though the audit key" in rep.problem


def test_the_key_lives_outside_the_database_readable_by_its_owner_only(ctx: pipeline.Context) -> None:
    audit.record(ctx, CASE_ID, HEAD, [("note", None, "x")])
    path = ctx.settings.audit_key_path
    assert path == ctx.settings.home / "secrets" / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    key = path.read_bytes().strip()
    assert len(key) == 64
    for f in ctx.settings.home.glob("cleancopy.db*"):
        assert key not in f.read_bytes()
    with ctx.store.session() as s:
        rec = s.get(AuditKeyRow, 1)
        assert rec is not None and rec.fingerprint == audit.fingerprint(key) and rec.fingerprint != key.decode()


def test_a_missing_key_is_never_replaced_silently(ctx: pipeline.Context) -> None:
    audit.record(ctx, CASE_ID, HEAD, [("note", None, "x")])
    path = ctx.settings.audit_key_path
    path.unlink()
    fresh = pipeline.open_context(ctx.settings)  # a new process: nothing cached
    with pytest.raises(StorageError, match="audit key file .* is missing"):
        audit.record(fresh, CASE_ID, HEAD, [("note", None, "y")])
    assert not path.exists()
    rep = audit.verify_chain(fresh, CASE_ID)
    assert not rep.ok and "is missing: the HMACs cannot be checked" in rep.problem


def test_a_machine_with_another_key_refuses_to_write(ctx: pipeline.Context, tmp_path: Path) -> None:
    audit.record(ctx, CASE_ID, HEAD, [("note", None, "x")])
    other_key = tmp_path / "elsewhere" / "audit.key"
    other = pipeline.open_context(Settings(home=ctx.settings.home, ocr_engine="null", audit_key_file=other_key))
    with pytest.raises(StorageError, match="key file .* is missing, but this database's audit log is keyed"):
        audit.record(other, CASE_ID, HEAD, [("note", None, "y")])
    assert not other_key.exists()  # no new key made where the log already has one
    KeyFile(other_key).create()  # a second machine set up with a key of its own
    other = pipeline.open_context(other.settings)
    with pytest.raises(StorageError, match="not the key this database's audit log is written with"):
        audit.record(other, CASE_ID, HEAD, [("note", None, "y")])
    assert "is not the key this log is written with" in audit.verify_chain(other, CASE_ID).problem
    shared = pipeline.open_context(Settings(home=tmp_path / "second-machine", database_url=ctx.settings.db_url,
                                            ocr_engine="null", audit_key_file=ctx.settings.audit_key_path))
    audit.record(shared, CASE_ID, HEAD, [("note", None, "from the second machine")])
    assert audit.verify_chain(ctx, CASE_ID).ok


def test_a_log_from_before_the_key_is_sealed_at_its_first_use(ctx: pipeline.Context) -> None:
    audit.record(ctx, CASE_ID, HEAD, [("note", None, "old one"), ("note", None, "old two")])
    with ctx.store.session() as s, s.begin():  # as the migration leaves an older database
        s.execute(update(AuditRow).values(entry_hmac=None))
        s.execute(delete(AuditTipRow))
        s.execute(delete(AuditKeyRow))
    ctx.settings.audit_key_path.unlink()
    old = pipeline.open_context(ctx.settings)
    rep = audit.verify_chain(old, CASE_ID)
    assert rep.ok and not rep.keyed  # not keyed yet: the sha256 chain alone
    audit.record(old, CASE_ID, HEAD, [("note", None, "new")])
    rep = audit.verify_chain(old, CASE_ID)
    assert rep.ok and rep.keyed
    assert all(e.entry_hmac for e in audit.entries(old, CASE_ID))


@pytest.mark.slow  # a real release: rendered, photocopied, verified
def test_a_release_records_its_head_in_the_row_and_the_manifest(ctx: pipeline.Context, tmp_path: Path) -> None:
    pipeline.decide(ctx, CASE_ID, HEAD, accept_all=True)
    before = audit.entries(ctx, CASE_ID)[-1]
    release.release_case(ctx, CASE_ID, tmp_path / "out", actor=HEAD)
    manifest = json.loads((tmp_path / "out" / "release-manifest.json").read_bytes())
    head = audit.AuditHead.from_dict(manifest["audit_head"])
    assert head.seq >= before.seq and head.case_id == CASE_ID
    with ctx.store.session() as s:
        rel = s.scalars(select(ReleaseRow)).one()
        assert (rel.audit_seq, rel.audit_sha256, rel.audit_hmac) == (head.seq, head.sha256, head.hmac)
    rep = audit.check_head(ctx, "release-manifest.json", head)
    assert rep.ok and rep.heads_checked == 2


def test_an_audit_head_round_trips_through_a_manifest() -> None:
    h = audit.AuditHead("SAR-1", 7, "a" * 64, "b" * 64)
    assert audit.AuditHead.from_dict(h.as_dict()) == h
    with pytest.raises(StorageError):
        audit.AuditHead.from_dict({"seq": "x"})
