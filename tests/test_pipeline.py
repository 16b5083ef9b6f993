"""The stages wired together, without Prefect: versions, re-runs, held-back files,
decisions and the release gate. OCR uses the null engine except where stated."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redaction import pipeline, release, render
from redaction.errors import InputError, NotReadyError, VerificationError
from redaction.models import Redaction
from redaction.settings import Settings
from redaction.store.db import DocumentRow
from tests.e2e_support import snapshot

CASE = """\
case_id: SAR-T-001
received: 2026-11-02
child: {name: "Amelia Hart"}
requester: {name: "Claire Hart", relationship: mother}
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    phones: ["07700 900123"]
    consent: refused
staff: ["Mrs Joan Allen, Headteacher"]
"""


def _born_digital(lines: list[str]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + 20 * i), line, fontsize=11)
    return doc.tobytes()


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    d = tmp_path / "inbox" / "SAR-T-001"
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-note.pdf").write_bytes(_born_digital(
        ["Amelia came in with Daniel Price today.", "Call Mr Price on 07700900123 if needed."]))
    (d / "files" / "02-other.pdf").write_bytes(_born_digital(["Amelia enjoyed painting with Mrs Allen."]))
    scan = pymupdf.open(stream=_born_digital(["Amelia collected her coat."]), filetype="pdf")
    (d / "files" / "03-scan.png").write_bytes(scan[0].get_pixmap(dpi=100).tobytes("png"))
    return d


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    return pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1))


def _run(ctx: pipeline.Context, case_dir: Path) -> tuple[pipeline.ImportResult, list[pipeline.OcrResult]]:
    imp = pipeline.import_case(ctx, case_dir)
    ocr = pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    return imp, ocr


def test_refused_party_mentions_are_proposed_and_child_is_not(ctx: pipeline.Context, case_dir: Path) -> None:
    _run(ctx, case_dir)
    props = pipeline.list_proposals(ctx, "SAR-T-001")
    texts = {r.text for r, _ in props}
    assert any("Daniel" in t for t in texts) and any("Price" in t for t in texts)
    assert any("07700900123" in t for t in texts)
    assert not any("Amelia" in t or "Allen" in t for t in texts)
    assert {name for _, name in props} == {"01-note.pdf"}  # the null engine reads nothing in the PNG


def test_rerun_on_unchanged_folder_repeats_no_ocr_and_keeps_decisions(ctx: pipeline.Context,
                                                                      case_dir: Path) -> None:
    imp1, ocr1 = _run(ctx, case_dir)
    first = pipeline.list_proposals(ctx, "SAR-T-001")
    pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", reject=(first[0][0].id,))
    imp2, ocr2 = _run(ctx, case_dir)
    assert [d.id for d in imp2.documents] == [d.id for d in imp1.documents]
    assert sum(r.ocr_pages for r in ocr1) == 1  # the PNG went to the OCR engine once
    assert all(r.ocr_pages == 0 for r in ocr2)
    again = {r.id: r.status for r, _ in pipeline.list_proposals(ctx, "SAR-T-001")}
    assert again[first[0][0].id] == "rejected"
    assert len(again) == len(first)


def test_rescan_with_different_bytes_is_a_new_version_and_old_is_kept(ctx: pipeline.Context,
                                                                      case_dir: Path) -> None:
    imp1, _ = _run(ctx, case_dir)
    (case_dir / "files" / "02-other.pdf").write_bytes(_born_digital(["Amelia met Daniel Price at the gate."]))
    imp2, ocr2 = _run(ctx, case_dir)
    v1 = next(d for d in imp1.documents if d.file_name == "02-other.pdf")
    v2 = next(d for d in imp2.documents if d.file_name == "02-other.pdf")
    assert v2.id != v1.id and v2.version == 2
    with ctx.store.session() as s:
        old = s.get(DocumentRow, v1.id)
        assert old is not None and not old.current
        assert ctx.store.blobs.exists(old.original_sha256)
    assert {n for _, n in pipeline.list_proposals(ctx, "SAR-T-001")} == {"01-note.pdf", "02-other.pdf"}
    assert [r.pages for r in ocr2 if r.document_id == v2.id] == [1]


def test_bad_files_are_held_back_and_the_rest_goes_on(ctx: pipeline.Context, case_dir: Path) -> None:
    files = case_dir / "files"
    (files / "06-empty.pdf").write_bytes(b"")
    (files / "04-notes.docx").write_bytes(b"PK\x03\x04 not a scan")
    enc = pymupdf.open(stream=_born_digital(["secret"]), filetype="pdf")
    (files / "05-locked.pdf").write_bytes(enc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256,
                                                      user_pw="pw", owner_pw="pw"))
    before = snapshot(case_dir)
    imp, _ = _run(ctx, case_dir)
    held = {d.file_name: d.problem for d in imp.held_back}
    assert set(held) == {"06-empty.pdf", "04-notes.docx", "05-locked.pdf"}
    assert all(name in (msg or "") for name, msg in held.items())
    assert "password" in (held["05-locked.pdf"] or "")
    assert pipeline.list_proposals(ctx, "SAR-T-001")
    assert snapshot(case_dir) == before
    # release still works for the rest and says what was left out
    pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", accept_all=True)
    res = release.release_case(ctx, "SAR-T-001", case_dir.parent.parent / "out")
    assert set(res.held_back) == set(held)
    assert {d.file_name for d in res.documents} == {"01-note.pdf", "02-other.pdf", "03-scan.png"}


def test_release_waits_for_every_decision(ctx: pipeline.Context, case_dir: Path, tmp_path: Path) -> None:
    _run(ctx, case_dir)
    with pytest.raises(NotReadyError, match="undecided"):
        release.release_case(ctx, "SAR-T-001", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_release_removes_the_words_and_writes_schedule_without_them(ctx: pipeline.Context, case_dir: Path,
                                                                      tmp_path: Path) -> None:
    _run(ctx, case_dir)
    pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", accept_all=True)
    out = tmp_path / "out"
    res = release.release_case(ctx, "SAR-T-001", out)
    assert sorted(p.name for p in out.iterdir()) == [
        "01-note.pdf", "02-other.pdf", "03-scan.pdf", "clean-copy.pdf", "covering-letter.pdf",
        "release-manifest.json", "schedule-of-redactions.pdf", "schedule.csv"]
    with pymupdf.open(out / "01-note.pdf") as doc:
        text = doc[0].get_text()
    assert "Amelia" in text
    assert "Daniel" not in text and "Price" not in text and "07700900123" not in text
    schedule = (out / "schedule.csv").read_text()
    assert "TP" in schedule and "tp-1" in schedule
    assert "Daniel" not in schedule and "Price" not in schedule
    assert res.documents[0].redactions > 0


def test_release_refused_when_verification_finds_a_leak(ctx: pipeline.Context, case_dir: Path,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(ctx, case_dir)
    pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", accept_all=True)

    def switched_off(pdf: bytes, reds: list[Redaction], name: str, **_kw: object) -> bytes:
        return pdf  # redaction switched off: the accepted boxes are never applied

    monkeypatch.setattr(render, "render_document", switched_off)
    out = tmp_path / "out"
    with pytest.raises(VerificationError) as e:
        release.release_case(ctx, "SAR-T-001", out)
    # the names sit under the accepted boxes, which the page as drawn shows are not solid
    assert {(lk.document, lk.kind) for lk in e.value.leaks} == {("01-note.pdf", "box")}  # type: ignore[attr-defined]
    assert "Daniel" not in str(e.value)
    assert not out.exists()


def test_release_refused_when_a_withheld_name_is_readable_but_was_never_proposed(
        ctx: pipeline.Context, case_dir: Path, tmp_path: Path) -> None:
    # the null OCR engine reads nothing on scans, so no proposal covers the name in these
    # pixels: the verifier reads the released page itself and refuses
    scan = pymupdf.open(stream=_born_digital(["Daniel Price collected Amelia."]), filetype="pdf")
    (case_dir / "files" / "04-pickup.png").write_bytes(scan[0].get_pixmap(dpi=150).tobytes("png"))
    _run(ctx, case_dir)
    pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", accept_all=True)
    out = tmp_path / "out"
    with pytest.raises(VerificationError) as e:
        release.release_case(ctx, "SAR-T-001", out)
    assert "04-pickup.pdf page 1: withheld" in str(e.value) and "tp-1" in str(e.value)
    assert "Daniel" not in str(e.value) and "Price" not in str(e.value)
    assert not out.exists()


def test_unknown_reviewer_or_proposal_is_refused(ctx: pipeline.Context, case_dir: Path) -> None:
    _run(ctx, case_dir)
    with pytest.raises(InputError):
        pipeline.decide(ctx, "SAR-T-001", "  ", accept_all=True)
    with pytest.raises(InputError, match="99999"):
        pipeline.decide(ctx, "SAR-T-001", "Mrs Allen", accept=(99999,))


def test_ocr_failure_on_one_document_holds_it_back_and_keeps_the_rest(
        ctx: pipeline.Context, case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ocr.ocr_test_engines import FailsOnWideImagesEngine

    wide = pymupdf.open(stream=_born_digital(["Daniel Price"]), filetype="pdf")
    (case_dir / "files" / "04-wide.png").write_bytes(wide[0].get_pixmap(dpi=300).tobytes("png"))
    # the small scan is read at 150 dpi (1240 px wide); the 300 dpi one (2480 px) crashes the engine
    monkeypatch.setattr(pipeline.ocr, "_engine", lambda settings: FailsOnWideImagesEngine(2000))
    imp, ocr = _run(ctx, case_dir)
    by_name = {d.file_name: d.id for d in imp.documents}
    problems = {r.document_id: r.problem for r in ocr}
    assert problems[by_name["04-wide.png"]] and "04-wide.png" in (problems[by_name["04-wide.png"]] or "")
    assert problems[by_name["03-scan.png"]] is None and problems[by_name["01-note.pdf"]] is None
    st = pipeline.case_status(ctx, "SAR-T-001")
    assert st.held_back == 1 and st.documents == 4


def test_a_child_found_in_one_document_is_found_by_first_name_in_the_others(ctx: pipeline.Context,
                                                                            tmp_path: Path) -> None:
    d = tmp_path / "inbox2" / "SAR-T-001"
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-log.pdf").write_bytes(_born_digital(["Later Zuzanna cried at the door."]))
    (d / "files" / "02-obs.pdf").write_bytes(_born_digital(
        ["Amelia played with a child called Zuzanna Kowalczyk in the sandpit."]))
    imp = pipeline.import_case(ctx, d)
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)

    def in_log() -> list[str]:
        return [r.text for r, name in pipeline.list_proposals(ctx, "SAR-T-001")
                if name == "01-log.pdf" and r.reason == "OC"]

    assert in_log() == []  # the first document was read before the child was met
    again = pipeline.propose_case_again(ctx, "SAR-T-001")
    assert in_log() == ["Zuzanna"]
    assert sum(r.new for r in again) == 1
    assert sum(r.new for r in pipeline.propose_case_again(ctx, "SAR-T-001")) == 0  # settled


def test_each_document_is_saved_as_soon_as_its_pages_are_read(ctx: pipeline.Context, case_dir: Path) -> None:
    imp = pipeline.import_case(ctx, case_dir)
    stream = pipeline.iter_ocr_documents(ctx, imp.to_process)
    first = next(stream)
    assert first.document_id == imp.to_process[0] and first.pages == 1
    with ctx.store.session() as s:
        read = {d: bool(s.get(DocumentRow, d).pages) for d in imp.to_process}  # type: ignore[union-attr]
    assert read == {d: d == first.document_id for d in imp.to_process}  # the others not read yet
    rest = list(stream)
    assert [r.document_id for r in [first, *rest]] == list(imp.to_process)
