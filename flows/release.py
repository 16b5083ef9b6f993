"""The release flow: render, verify and write the clean copy of a decided case."""

from __future__ import annotations

from prefect import flow

from flows import tasks
from redaction import pipeline


@flow(name="release-case", persist_result=False, log_prints=False)
def release_case(home: str, case_id: str, out_dir: str) -> pipeline.ReleaseResult:
    return tasks.release_case(home, case_id, out_dir)
