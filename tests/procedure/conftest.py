"""A small born-digital case with a refused partner, a pending grandmother (with an
address) and a pending agency (no address), processed with the null OCR engine."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redaction import pipeline
from redaction.settings import Settings

CASE_ID = "SAR-P-001"
CASE = f"""\
case_id: {CASE_ID}
received: 2026-11-02
child: {{name: "Amelia Hart"}}
requester: {{name: "Claire Hart", relationship: mother}}
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    relationship: "mother's partner"
    phones: ["07700 900123"]
    consent: refused
  - id: tp-2
    kind: person
    name: "Gloria Mendes"
    relationship: "maternal grandmother"
    addresses: ["14 Elm Road, London N11 2AB"]
    consent: pending
  - id: tp-3
    kind: organisation
    name: "Barnet Family Services"
    consent: pending
staff: ["Mrs Joan Allen, Headteacher"]
documents:
  - file: 01-note.pdf
    record_type: personal
  - file: 02-obs.pdf
    record_type: developmental
"""


def born_digital(lines: list[str]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + 20 * i), line, fontsize=11)
    return doc.tobytes()


def make_case(root: Path) -> Path:
    d = root / "inbox" / CASE_ID
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-note.pdf").write_bytes(born_digital(
        ["Amelia came in with Daniel Price today.", "Gloria Mendes collected her at 3pm.",
         "Barnet Family Services will visit."]))
    (d / "files" / "02-obs.pdf").write_bytes(born_digital(["Amelia enjoyed painting with Mrs Allen."]))
    return d


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    return make_case(tmp_path)


@pytest.fixture
def ctx(tmp_path: Path, case_dir: Path) -> pipeline.Context:
    c = pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1,
                                       school_name="Rosemead Primary School"))
    imp = pipeline.import_case(c, case_dir)
    pipeline.ocr_documents(c, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(c, doc_id)
    return c
