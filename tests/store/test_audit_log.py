"""The audit log's queries: entries in order per case, the last one, the unsealed ones,
the case's releases in order; and take_turn runs on a case with no tip yet."""

from __future__ import annotations

from pathlib import Path

from redaction.store import audit_log
from redaction.store.db import AuditRow, ReleaseRow
from tests.store.store_support import with_cases


def _row(case_id: str, seq: int, hmac: str | None = "m") -> AuditRow:
    return AuditRow(case_id=case_id, seq=seq, actor="a", action="x", proposal_id=None, detail="", at=f"t{seq}",
                    prev_sha256="p", entry_sha256=f"e{case_id}{seq}", entry_hmac=hmac)


def test_entries_tips_and_releases_per_case(tmp_path: Path) -> None:
    ctx = with_cases(tmp_path, "SAR-A", "SAR-B")
    with ctx.store.session() as s, s.begin():
        s.add_all([_row("SAR-A", 2, None), _row("SAR-B", 1), _row("SAR-A", 1, None), _row("SAR-A", 3)])
        s.add_all([ReleaseRow(case_id="SAR-A", out_dir=f"/r{i}", bundle_sha256="c" * 64, documents=1, pages=1,
                              redactions=0) for i in (1, 2)])
    with ctx.store.session() as s, s.begin():
        audit_log.take_turn(s, "SAR-A")  # no tip row yet: nothing to wait for, no error
        assert [r.seq for r in audit_log.case_entries(s, "SAR-A")] == [1, 2, 3]
        last = audit_log.last_entry(s, "SAR-A")
        assert last is not None and last.seq == 3
        assert audit_log.last_entry(s, "SAR-C") is None
        assert [(r.case_id, r.seq) for r in audit_log.unsealed_entries(s)] == [("SAR-A", 1), ("SAR-A", 2)]
        assert [r.out_dir for r in audit_log.case_releases(s, "SAR-A")] == ["/r1", "/r2"]
        assert audit_log.case_releases(s, "SAR-B") == []
        assert audit_log.tip(s, "SAR-A") is None and audit_log.key_record(s) is None
        latest = audit_log.last_entry_of(s, "SAR-A", ("x", "y"))
        assert latest is not None and latest.seq == 3
        assert audit_log.last_entry_of(s, "SAR-A", ("y",)) is None
