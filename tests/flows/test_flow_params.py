"""The flows' typed parameters: what the Prefect UI's forms accept and refuse."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from prefect.exceptions import ParameterTypeError
from pydantic import ValidationError

from flows.nightly import nightly
from flows.params import CaseToProcess, ReviewerDecision
from flows.process_case import process_case
from flows.release import release_case


def test_a_case_is_named_by_id_or_folder_not_both_nor_neither() -> None:
    assert CaseToProcess(case_id="SAR-2026-014").case_folder is None
    assert CaseToProcess(case_folder="/srv/inbox/SAR-2026-014").case_id is None
    for bad in ({}, {"case_id": "SAR-1", "case_folder": "/srv/inbox/SAR-1"}):
        with pytest.raises(ValidationError, match="either case_id or case_folder"):
            CaseToProcess(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("params", [
    {"case": {"case_id": "SAR 2026/014"}},  # not letters, digits and '-'
    {"case": {"case_id": "x" * 65}},
    {"case": {"case_folder": "relative/folder"}},
    {"case": {"case_id": "SAR-1", "options": {"ocr_engine": "gpt"}}},
    {"case": {"case_id": "SAR-1", "options": {"ocr_workers": 0}}},
    {"case": {"case_id": "SAR-1", "colour": "blue"}},
])
def test_process_case_refuses_bad_values_before_a_run(params: dict[str, object]) -> None:
    with pytest.raises(ParameterTypeError):
        process_case.validate_parameters(params)


def test_process_case_form_schema_carries_the_rules() -> None:
    schema = process_case.parameters.model_dump()
    defs = schema["definitions"]
    case = defs["CaseToProcess"]["properties"]
    id_schema = next(s for s in case["case_id"]["anyOf"] if s.get("type") == "string")
    assert id_schema["pattern"] and id_schema["maxLength"] == 64
    opts = defs["ProcessOptions"]["properties"]
    engines = next(s for s in opts["ocr_engine"]["anyOf"] if s.get("type") == "string")
    assert engines["enum"] == ["tesseract", "null"]
    assert schema["required"] == ["case"]


def test_release_case_refuses_a_bad_case_id_before_a_run() -> None:
    with pytest.raises(ParameterTypeError):
        release_case.validate_parameters({"case_id": "../../etc"})
    assert release_case.validate_parameters({"case_id": "SAR-2026-014"})["case_id"] == "SAR-2026-014"


def test_nightly_takes_only_optional_parameters() -> None:
    assert nightly.parameters.model_dump().get("required", []) == []


def test_reviewer_decision_is_typed() -> None:
    d = ReviewerDecision(approved=True, reviewer="JA")
    assert d.comment == ""
    with pytest.raises(ValidationError):
        ReviewerDecision(approved=True, reviewer="")
    with pytest.raises(ValidationError):
        ReviewerDecision(approved=True, reviewer="JA", comment="x" * 501)


BAD_MANIFEST = """\
case_id: SAR-BROKEN-1
received: 2026-11-02
child: {{name: "Amy Hart"}}
requester: {{name: "Jo Hart", relationship: mother}}
third_parties:
  - {{id: tp-1, kind: person, name: "Zed Quill", consent: "{name}"}}
"""


def test_a_failed_step_keeps_no_quotation_of_a_broken_manifest(tmp_path: Path) -> None:
    from flows.tasks import StepFailed, guarded
    from redaction.case import load_manifest

    (tmp_path / "case.yaml").write_text(BAD_MANIFEST.format(name="Zebedee Quill"))

    @guarded("import-case")
    def step() -> None:
        load_manifest(tmp_path)

    with pytest.raises(StepFailed) as info:
        step()
    assert "Zebedee" not in str(info.value) and "case.yaml, line 6, field 'third_parties[1].consent'" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert "Zebedee" not in repr(pickle.loads(pickle.dumps(info.value)).args)
