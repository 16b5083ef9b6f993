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


class ProcessOptions(BaseModel):
    """How to read the case. Leave empty to use the server's settings."""

    model_config = ConfigDict(extra="forbid")

    ocr_engine: Literal["tesseract", "null"] | None = Field(
        default=None, description="tesseract reads scans; null reads only text layers (for tests)")
    ocr_workers: int | None = Field(default=None, ge=1, le=64, description="OCR processes; empty: one per core")


class CaseToProcess(BaseModel):
    """Which case to process: its id (a folder of that name in the inbox, or the folder
    it was last read from), or the path of a case folder."""

    model_config = ConfigDict(extra="forbid")

    case_id: CaseId | None = None
    case_folder: str | None = Field(
        default=None, min_length=1, max_length=1024,
        description="absolute path of a case folder holding case.yaml and files/, or its S3 address "
        "(s3://bucket/inbox/CASE_ID)")
    options: ProcessOptions = Field(default_factory=ProcessOptions)

    @model_validator(mode="after")
    def _one_of(self) -> CaseToProcess:
        if (self.case_id is None) == (self.case_folder is None):
            raise ValueError("give either case_id or case_folder, not both and not neither")
        folder = self.case_folder
        if folder is not None and folder.startswith("s3://"):
            if len(folder.rstrip("/").split("/")) < 4:
                raise ValueError("case_folder in S3 must name the case folder: s3://bucket/inbox/CASE_ID")
        elif folder is not None and not Path(folder).is_absolute():
            raise ValueError("case_folder must be an absolute path on the machine that runs the flow, "
                             "or an s3://bucket/prefix address")
        return self


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
