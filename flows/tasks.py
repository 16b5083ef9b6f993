"""Thin Prefect tasks over redaction.pipeline: each calls one library function and
passes ids, counts, file names and hashes — never document text. Results are not
persisted (persist_result=False) and not cached by Prefect (the library caches OCR)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from redaction import pipeline
from redaction.settings import load_settings


def _ctx(home: str) -> pipeline.Context:
    return pipeline.open_context(load_settings(home))


@task(name="import-case", persist_result=False, cache_policy=NO_CACHE)
def import_case(home: str, case_dir: str) -> pipeline.ImportResult:
    return pipeline.import_case(_ctx(home), Path(case_dir))


@task(name="ocr-documents", persist_result=False, cache_policy=NO_CACHE)
def ocr_documents(home: str, document_ids: list[int]) -> list[pipeline.OcrResult]:
    return pipeline.ocr_documents(_ctx(home), document_ids)


@task(name="propose-document", persist_result=False, cache_policy=NO_CACHE)
def propose_document(home: str, document_id: int) -> pipeline.ProposeResult:
    return pipeline.propose_document(_ctx(home), document_id)


@task(name="release-case", persist_result=False, cache_policy=NO_CACHE)
def release_case(home: str, case_id: str, out_dir: str) -> pipeline.ReleaseResult:
    return pipeline.release_case(_ctx(home), case_id, Path(out_dir))


@task(name="propose-case-again", persist_result=False, cache_policy=NO_CACHE)
def propose_case_again(home: str, case_id: str) -> list[pipeline.ProposeResult]:
    return pipeline.propose_case_again(_ctx(home), case_id)
