"""A case run again: nothing to read or detect when nothing changed; a changed file, a
new file or a consent answer not yet proposed on makes the run go ahead."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import select

from redaction import pipeline, rerun
from redaction.procedure import consents
from redaction.settings import Settings
from redaction.store.db import ConsentRow, DocumentRow, utcnow

CASE = """\
case_id: SAR-R-001
received: 2026-11-02
child: {name: "Amelia Hart"}
requester: {name: "Claire Hart", relationship: mother}
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    phones: ["07700 900123"]
    consent: pending
staff: ["Mrs Joan Allen, Headteacher"]
"""


def _pdf(lines: list[str]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + 20 * i), line, fontsize=11)
    return doc.tobytes()


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    d = tmp_path / "inbox" / "SAR-R-001"
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-note.pdf").write_bytes(_pdf(["Amelia came in with Daniel Price today.",
                                                    "Call Mr Price on 07700900123 if needed."]))
    (d / "files" / "02-other.pdf").write_bytes(_pdf(["Amelia enjoyed painting with Mrs Allen."]))
    (d / "files" / "03-broken.pdf").write_bytes(b"%PDF-1.7 not really")
    return d


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    return pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1))


def _run(ctx: pipeline.Context, case_dir: Path) -> pipeline.ImportResult:
    imp = pipeline.import_case(ctx, case_dir)
    pipeline.ocr_documents(ctx, imp.to_process)
    for d in imp.to_process:
        pipeline.propose_document(ctx, d)
    pipeline.propose_case_again(ctx, imp.case_id)
    return imp


def test_an_unchanged_folder_has_nothing_to_do_and_shows_what_the_store_holds(
        ctx: pipeline.Context, case_dir: Path) -> None:
    assert rerun.import_unless_current(ctx, case_dir) is None  # never run: everything to do
    imp = _run(ctx, case_dir)
    lines = rerun.import_unless_current(ctx, case_dir)
    assert lines is not None and lines.case_id == "SAR-R-001"
    by_name = {d.file_name: d for d in lines.documents}
    assert sorted(by_name) == ["01-note.pdf", "02-other.pdf", "03-broken.pdf"]
    assert by_name["01-note.pdf"].pages == 1 and by_name["01-note.pdf"].proposals >= 2  # name and phone
    live = {d.id: len([r for r, name in pipeline.list_proposals(ctx, imp.case_id) if r.document_id == d.id])
            for d in pipeline.current_documents(ctx, imp.case_id)}
    assert {d.document_id: d.proposals for d in lines.documents} == live
    assert by_name["03-broken.pdf"].problem and lines.held_back == 1
    assert by_name["02-other.pdf"].problem is None


def test_a_changed_or_added_file_is_work(ctx: pipeline.Context, case_dir: Path) -> None:
    _run(ctx, case_dir)
    (case_dir / "files" / "02-other.pdf").write_bytes(_pdf(["Amelia enjoyed painting with Daniel."]))
    assert rerun.import_unless_current(ctx, case_dir) is None
    _run(ctx, case_dir)
    assert rerun.import_unless_current(ctx, case_dir) is not None
    (case_dir / "files" / "04-new.pdf").write_bytes(_pdf(["A new note."]))
    assert rerun.import_unless_current(ctx, case_dir) is None


def test_a_consent_answer_not_yet_proposed_on_is_work(ctx: pipeline.Context, case_dir: Path) -> None:
    imp = _run(ctx, case_dir)
    with ctx.store.session() as s, s.begin():  # an answer stored without proposing again
        s.add(ConsentRow(case_id=imp.case_id, party_id="tp-1", answer="granted", answered_on=utcnow().date(),
                         recorded_by="test", recorded_at=utcnow()))
    assert consents.key(ctx, imp.case_id)
    stale = rerun.needs_work(ctx, pipeline.import_case(ctx, case_dir))
    assert sorted(stale) == sorted(imp.to_process)
    pipeline.propose_case_again(ctx, imp.case_id)
    assert rerun.import_unless_current(ctx, case_dir) is not None


def test_a_folder_as_at_its_last_finished_run_is_not_proposed_again(ctx: pipeline.Context, case_dir: Path) -> None:
    imp = _run(ctx, case_dir)
    rerun.record_run(ctx, imp.case_id)
    with ctx.store.session() as s, s.begin():  # as when a document's case names moved in the second pass
        for d in s.scalars(select(DocumentRow).where(DocumentRow.case_id == imp.case_id)):
            d.detect_key = None
    assert rerun.needs_work(ctx, pipeline.import_case(ctx, case_dir))
    assert rerun.import_unless_current(ctx, case_dir) is not None
    (case_dir / "files" / "02-other.pdf").write_bytes(_pdf(["Amelia enjoyed painting with Daniel."]))
    assert rerun.import_unless_current(ctx, case_dir) is None
