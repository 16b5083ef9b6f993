"""The flows' typed parameters: what the Prefect UI's forms accept and refuse."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from prefect.exceptions import ParameterTypeError
from pydantic import ValidationError

from flows.nightly import nightly
from flows.params import CaseToProcess, ProcessOptions, ReviewerDecision, audit_entry_of
from flows.process_case import process_case
from flows.release import release_case


def test_a_case_is_named_by_id_or_folder_not_both_nor_neither() -> None:
    assert CaseToProcess(case_id="SAR-2026-014").case_folder == ""
    assert CaseToProcess(case_folder="/srv/inbox/SAR-2026-014").case_id == ""
    for bad in ({}, {"case_id": "SAR-1", "case_folder": "/srv/inbox/SAR-1"}, {"case_id": "", "case_folder": ""}):
        with pytest.raises(ValidationError, match="either case_id or case_folder"):
            CaseToProcess(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("params", [
    {"case": {"case_id": "SAR 2026/014"}},  # not letters, digits and '-'
    {"case": {"case_id": "x" * 65}},
    {"case": {"case_folder": "relative/folder"}},
    {"case": {"case_id": "SAR-1", "options": {"ocr_engine": "gpt"}}},
    {"case": {"case_id": "SAR-1", "options": {"ocr_workers": -1}}},
    {"case": {"case_id": "SAR-1", "options": {"ocr_engine": None}}},
    {"case": {"case_id": "SAR-1", "colour": "blue"}},
])
def test_process_case_refuses_bad_values_before_a_run(params: dict[str, object]) -> None:
    with pytest.raises(ParameterTypeError):
        process_case.validate_parameters(params)


def test_process_case_form_schema_carries_the_rules() -> None:
    schema = process_case.parameters.model_dump()
    defs = schema["definitions"]
    case = defs["CaseToProcess"]["properties"]
    assert case["case_id"]["pattern"].startswith("^$|") and case["case_id"]["maxLength"] == 64
    opts = defs["ProcessOptions"]["properties"]
    assert opts["ocr_engine"]["enum"] == ["server setting", "tesseract", "text layers only"]
    assert schema["required"] == ["case"]
    # plain fields: no str/None toggle in the UI, and no server path among the parameters
    assert "'null'" not in str(schema) and "anyOf" not in str(schema)
    assert set(schema["properties"]) == {"case"}


@pytest.mark.parametrize("case, ok", [
    ({}, False),
    ({"case_id": "", "case_folder": ""}, False),
    ({"case_id": "SAR-1", "case_folder": "/srv/inbox/SAR-1"}, False),
    ({"case_id": "SAR-1"}, True),
    ({"case_id": "", "case_folder": "/srv/inbox/SAR-1"}, True),
    ({"case_folder": "s3://bucket/inbox/SAR-1"}, True),
    ({"case_folder": "inbox/SAR-1"}, False),
])
def test_the_server_refuses_a_form_without_exactly_one_case(case: dict[str, str], ok: bool) -> None:
    """What the Prefect server checks when a run is created from the form (the same
    JSON-schema validation), before any run exists."""
    from prefect.utilities.schema_tools import ValidationError as SchemaError
    from prefect.utilities.schema_tools import validate

    schema = process_case.parameters.model_dump()
    if ok:
        validate({"case": case}, schema, raise_on_error=True, ignore_required=False)
    else:
        with pytest.raises(SchemaError):
            validate({"case": case}, schema, raise_on_error=True, ignore_required=False)


def test_options_change_only_what_is_chosen() -> None:
    assert ProcessOptions().overrides() == {}
    assert ProcessOptions(ocr_engine="text layers only", ocr_workers=2).overrides() == {
        "ocr_engine": "null", "ocr_workers": 2}


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


def test_a_decision_from_the_desk_names_its_audit_entry() -> None:
    assert audit_entry_of(ReviewerDecision(approved=True, reviewer="cleancopy audit entry 12")) == 12
    assert audit_entry_of(ReviewerDecision(approved=True, reviewer="JA")) is None
    assert audit_entry_of(ReviewerDecision(approved=True, reviewer="cleancopy audit entry x")) is None


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
