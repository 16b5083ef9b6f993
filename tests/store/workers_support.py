"""Worker processes for the several-workers tests. Each is spawned (nothing shared with
the other but the database and the store, as on two machines), takes its settings from
CLEANCOPY_* variables as a deployed worker does, and records which documents it read
(saved OCR pages for) and which it ran detection on, so a test can tell who did what.

``mode="flow"`` runs the Prefect process-case flow against the Prefect server the two
machines share (as a deployment's workers do; the test's own server, whose address
:func:`shared_prefect_env` hands over); ``mode="pipeline"`` calls the same library steps
directly and then decides its share of the proposals at the same moment as the other worker.

Two processes that each start an ephemeral Prefect server can pick the same port from
Prefect's range and end up talking to the other's server, which then stops under them
(connection refused): one server for both keeps the test about the workers."""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any


def _count(read: list[int], detected: list[str]) -> None:
    from redaction import detect
    from redaction.pipeline import ocr as ocr_stage

    save_pages, detect_document = ocr_stage._save_pages, detect.detect_document

    def counting_save(ctx: Any, doc_id: int, *a: Any) -> Any:
        read.append(doc_id)
        return save_pages(ctx, doc_id, *a)

    def counting_detect(case: Any, file_name: str, *a: Any, **k: Any) -> Any:
        detected.append(file_name)
        return detect_document(case, file_name, *a, **k)

    ocr_stage._save_pages = counting_save  # type: ignore[assignment]
    detect.detect_document = counting_detect  # type: ignore[assignment]


def work(n: int, env: dict[str, str], case_dir: str, mode: str, start: Any, decided: Any, results: Any) -> None:
    os.environ.update(env)
    try:
        from redaction import pipeline
        from redaction.settings import load_settings

        read: list[int] = []
        detected: list[str] = []
        _count(read, detected)
        home = os.environ["CLEANCOPY_HOME"]
        if mode == "flow":
            from flows.orchestrator import prepare_prefect

            prepare_prefect(load_settings(home))
            from flows.params import CaseToProcess
            from flows.process_case import process_case

            start.wait(timeout=180)  # both workers begin together
            summary = process_case(case=CaseToProcess(case_folder=case_dir))  # home: CLEANCOPY_HOME
            case_id, documents = summary.case_id, [d.document_id for d in summary.documents if d.problem is None]
            decided.wait(timeout=300)
            mine: tuple[int, ...] = ()
        else:
            start.wait(timeout=180)
            ctx = pipeline.open_context(load_settings(home))
            imp = pipeline.import_case(ctx, case_dir)
            pipeline.ocr_documents(ctx, list(imp.to_process))
            for doc_id in imp.to_process:
                pipeline.propose_document(ctx, doc_id)
            pipeline.propose_case_again(ctx, imp.case_id)
            case_id, documents = imp.case_id, list(imp.to_process)
            decided.wait(timeout=300)  # both have finished processing: now decide at the same moment
            ids = sorted(r.id for r, _ in pipeline.list_proposals(ctx, case_id))
            mine = tuple(i for i in ids if i % 2 == n)
            if n == 0:
                pipeline.decide(ctx, case_id, "Worker Zero", accept=mine)
            else:
                pipeline.decide(ctx, case_id, "Worker One", reject=mine)
        results.put({"n": n, "case_id": case_id, "read": read, "detected": detected, "documents": documents,
                     "decided": list(mine)})
    except BaseException:
        results.put({"n": n, "error": traceback.format_exc()})
        raise


def run_two(envs: list[dict[str, str]], case_dir: str, mode: str = "pipeline",
            timeout: float = 900) -> list[dict[str, Any]]:
    """Start two worker processes on one case and return what each did, worker 0 first."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    start, decided, results = ctx.Barrier(2), ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=work, args=(n, envs[n], case_dir, mode, start, decided, results))
             for n in range(2)]
    for p in procs:
        p.start()
    try:
        out = [results.get(timeout=timeout) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    errors = [r["error"] for r in out if "error" in r]
    assert not errors, errors[0]
    return sorted(out, key=lambda r: r["n"])


def shared_prefect_env() -> dict[str, str]:
    """The address of the Prefect server this process uses (the test harness's), for the
    workers to share it."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "mode='flow' needs the prefect_harness fixture: the workers share its server"
    return {"PREFECT_API_URL": str(url)}


def worker_env(home: Path, db_url: str, store: str, ocr_cache: Path) -> dict[str, str]:
    """One worker's settings, as a deployment would give them (the audit key is one file
    for every machine, as a secret store would hand it out: beside the homes here)."""
    return {"CLEANCOPY_HOME": str(home), "CLEANCOPY_AUDIT_KEY_FILE": str(home.parent / "audit.key"),
            "CLEANCOPY_DATABASE_URL": db_url, "CLEANCOPY_STORE": store,
            "CLEANCOPY_OCR_CACHE": str(ocr_cache), "CLEANCOPY_OCR_WORKERS": "1", "CLEANCOPY_OCR_BATCH_PAGES": "1",
            "CLEANCOPY_OCR_ENGINE": "tesseract", "PYTHONHASHSEED": "0"}
