"""The inbox scan (new, changed, unchanged, unreadable case folders) and the due report."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from redaction import inbox, pipeline
from redaction.errors import NotFoundError
from redaction.settings import Settings
from tests.e2e_support import snapshot
from tests.test_pipeline import CASE, _born_digital


def _case(root: Path, case_id: str, received: str = "2026-11-02", name: str = "Daniel Price") -> Path:
    d = root / case_id
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE.replace("SAR-T-001", case_id).replace("2026-11-02", received)
                                 .replace("Daniel Price", name))
    (d / "files" / "01-note.pdf").write_bytes(_born_digital([f"Amelia came in with {name} today."]))
    return d


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    return pipeline.open_context(Settings(home=tmp_path / "home", inbox=tmp_path / "inbox", ocr_engine="null",
                                          ocr_workers=1))


def _states(ctx: pipeline.Context) -> dict[str, str]:
    return {Path(e.folder).name: e.state for e in inbox.scan_inbox(ctx)}


def test_scan_finds_new_then_unchanged_then_changed_folders(ctx: pipeline.Context, tmp_path: Path) -> None:
    a = _case(tmp_path / "inbox", "SAR-A-001")
    _case(tmp_path / "inbox", "SAR-B-002")
    (tmp_path / "inbox" / "not-a-case").mkdir()
    assert _states(ctx) == {"SAR-A-001": "new", "SAR-B-002": "new"}
    pipeline.import_case(ctx, a)
    assert _states(ctx) == {"SAR-A-001": "unchanged", "SAR-B-002": "new"}
    (a / "files" / "02-late.pdf").write_bytes(_born_digital(["A later note."]))
    assert _states(ctx)["SAR-A-001"] == "changed"  # a file added
    pipeline.import_case(ctx, a)
    assert _states(ctx)["SAR-A-001"] == "unchanged"
    (a / "files" / "02-late.pdf").write_bytes(_born_digital(["A corrected later note."]))
    assert _states(ctx)["SAR-A-001"] == "changed"  # a file's bytes changed
    pipeline.import_case(ctx, a)
    (a / "case.yaml").write_text((a / "case.yaml").read_text().replace("refused", "granted"))
    assert _states(ctx)["SAR-A-001"] == "changed"  # the manifest changed
    pipeline.import_case(ctx, a)
    (a / "files" / "02-late.pdf").unlink()
    assert _states(ctx)["SAR-A-001"] == "changed"  # a file removed


def test_scan_does_not_change_the_inbox(ctx: pipeline.Context, tmp_path: Path) -> None:
    _case(tmp_path / "inbox", "SAR-A-001")
    before = snapshot(tmp_path / "inbox")
    inbox.scan_inbox(ctx)
    assert snapshot(tmp_path / "inbox") == before


def test_unreadable_manifest_is_reported_without_its_text(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = _case(tmp_path / "inbox", "SAR-A-001")
    (d / "case.yaml").write_text('case_id: SAR-A-001\nchild: {name: "Zebedee Quill"\n  bad: [\n')
    (entry,) = inbox.scan_inbox(ctx)
    assert entry.state == "invalid" and entry.case_id is None
    assert entry.problem and "ManifestError" in entry.problem and "Zebedee" not in entry.problem


def test_a_held_back_file_does_not_make_the_case_run_every_night(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = _case(tmp_path / "inbox", "SAR-A-001")
    (d / "files" / "99-broken.pdf").write_bytes(b"%PDF-1.7\ngarbage")
    pipeline.import_case(ctx, d)
    assert _states(ctx)["SAR-A-001"] == "unchanged"


def test_due_cases_are_overdue_or_within_three_days_and_not_released(ctx: pipeline.Context, tmp_path: Path) -> None:
    today = dt.date(2026, 11, 20)
    # deadline = received + 14 days
    for cid, received in [("SAR-OVER-1", "2026-11-01"), ("SAR-SOON-1", "2026-11-09"),
                          ("SAR-EDGE-3", "2026-11-09"), ("SAR-LATER-1", "2026-11-15"),
                          ("SAR-DONE-1", "2026-11-01")]:
        pipeline.import_case(ctx, _case(tmp_path / "inbox", cid, received))
    with ctx.store.session() as s, s.begin():
        from redaction.store.db import CaseRow, ReleaseRow

        edge = s.get(CaseRow, "SAR-EDGE-3")
        assert edge is not None
        edge.deadline = today + dt.timedelta(days=3)
        s.add(ReleaseRow(case_id="SAR-DONE-1", out_dir="x", bundle_sha256="0" * 64, documents=1, pages=1,
                         redactions=0))
    due = inbox.due_cases(ctx, today)
    assert [(d.case_id, d.status, d.days_left) for d in due] == [
        ("SAR-OVER-1", "overdue", -5), ("SAR-EDGE-3", "due-soon", 3), ("SAR-SOON-1", "due-soon", 3)
    ]
    path, rows = inbox.write_due_report(ctx, today)
    assert path == ctx.settings.home / "reports" / "due-2026-11-20.csv"
    got = list(csv.DictReader(path.read_text().splitlines()))
    assert [r["case_id"] for r in got] == [r.case_id for r in rows]
    assert got[0] == {"case_id": "SAR-OVER-1", "received": "2026-11-01", "deadline": "2026-11-15",
                      "days_left": "-5", "status": "overdue", "state": "ready", "documents": "1", "pages": "1",
                      "statutory_due": "2026-12-01", "statutory_days_left": "11"}  # the calendar month
    assert "Price" not in path.read_text() and "Amelia" not in path.read_text()


def test_case_folder_by_id_from_the_inbox_or_the_last_import(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = _case(tmp_path / "inbox", "SAR-A-001")
    assert inbox.find_case_folder(ctx, "SAR-A-001") == str(d.resolve())
    elsewhere = _case(tmp_path / "desk", "SAR-B-002")
    pipeline.import_case(ctx, elsewhere)
    assert inbox.find_case_folder(ctx, "SAR-B-002") == str(elsewhere.resolve())
    with pytest.raises(NotFoundError, match="SAR-C-003"):
        inbox.find_case_folder(ctx, "SAR-C-003")
