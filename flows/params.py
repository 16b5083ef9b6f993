"""The typed inputs of the flows. Prefect turns these pydantic models into the forms
staff fill in the Prefect UI and checks the values before a run starts.

They hold ids, folder paths, options and a reviewer's decision — never document text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from prefect.input import RunInput
from pydantic import BaseModel, ConfigDict, Field, model_validator

CASE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"

CaseId = Annotated[
    str,
    Field(pattern=CASE_ID_PATTERN, max_length=64, description="the case id, e.g. SAR-2026-014",
          examples=["SAR-2026-014"]),
]


OCR_ENGINES = {"tesseract": "tesseract", "text layers only": "null"}


class ProcessOptions(BaseModel):
    """How to read the case. Leave as they are to use the server's settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ocr_engine: Literal["server setting", "tesseract", "text layers only"] = Field(
        default="server setting", title="OCR engine",
        description="tesseract reads scans; 'text layers only' reads born-digital PDFs without OCR")
    ocr_workers: int = Field(default=0, ge=0, le=64, title="OCR processes",
                             description="how many pages are read at once; 0: the server's setting")

    def overrides(self) -> dict[str, object]:
        """The settings these options change (none when left as they are)."""
        out: dict[str, object] = {}
        if self.ocr_engine != "server setting":
            out["ocr_engine"] = OCR_ENGINES[self.ocr_engine]
        if self.ocr_workers:
            out["ocr_workers"] = self.ocr_workers
        return out


CASE_FOLDER_PATTERN = r"^(/.*|s3://[^/]+/.+)$"


class CaseToProcess(BaseModel):
    """Which case to process: its id (a folder of that name in the inbox, or the folder
    it was last read from), or the path of a case folder — one of the two.

    Both are plain text fields (empty: not given), and the form's schema says "exactly
    one of them" (``oneOf``), so the Prefect server refuses an empty form, or one with
    both, before any run exists."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [
            {"title": "by case id", "properties": {"case_id": {"minLength": 1},
                                                   "case_folder": {"maxLength": 0}}, "required": ["case_id"]},
            {"title": "by folder", "properties": {"case_folder": {"minLength": 1},
                                                  "case_id": {"maxLength": 0}}, "required": ["case_folder"]},
        ]},
    )

    case_id: str = Field(
        default="", max_length=64, pattern=r"^$|" + CASE_ID_PATTERN, title="Case id",
        description="the case id, e.g. SAR-2026-014 (its folder in the inbox); leave empty to give a folder",
        examples=["SAR-2026-014"])
    case_folder: str = Field(
        default="", max_length=1024, pattern=r"^$|" + CASE_FOLDER_PATTERN, title="Case folder",
        description="or: the absolute path of a case folder holding case.yaml and files/, or its S3 "
        "address (s3://bucket/inbox/CASE_ID)")
    options: ProcessOptions = Field(default_factory=ProcessOptions)

    @model_validator(mode="after")
    def _one_of(self) -> CaseToProcess:
        if bool(self.case_id) == bool(self.case_folder):
            raise ValueError("give either case_id or case_folder, not both and not neither")
        folder = self.case_folder
        if folder.startswith("s3://"):
            if len(folder.rstrip("/").split("/")) < 4:
                raise ValueError("case_folder in S3 must name the case folder: s3://bucket/inbox/CASE_ID")
        elif folder and not Path(folder).is_absolute():
            raise ValueError("case_folder must be an absolute path on the machine that runs the flow, "
                             "or an s3://bucket/prefix address")
        return self


OutDir = Annotated[str, Field(
    max_length=1024, title="Release folder",
    description="where to write the clean copy: an absolute folder or an s3:// address; "
    "empty: releases/CASE_ID in cleancopy's home")]


DESK_REFERENCE = "cleancopy audit entry "


class ReviewerDecision(RunInput):
    """The reviewer's answer to a release waiting for sign-off. Prefect keeps it in its
    database: write your name or initials as the office knows you, and no names or
    details from the case in the comment."""

    approved: bool = Field(description="true: release the clean copy; false: refuse and say why")
    reviewer: str = Field(min_length=1, max_length=128, description="who decides")
    comment: str = Field(default="", max_length=500, description="why (needed when refusing)")


def audit_entry_of(decision: ReviewerDecision) -> int | None:
    """The audit entry a decision sent by the review desk or the CLI refers to (they
    record the sign-off themselves, then send only this reference); None for a decision
    typed into the Prefect UI's form."""
    ref = decision.reviewer.removeprefix(DESK_REFERENCE)
    return int(ref) if ref != decision.reviewer and ref.isdigit() else None
