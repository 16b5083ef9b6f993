"""The process-case flow: import the case folder, read every page and propose redactions."""

from __future__ import annotations

import logging

from prefect import flow, get_run_logger

from flows import tasks
from flows.params import CaseToProcess
from redaction import orchestration, progress
from redaction.rerun import CaseRunSummary


@flow(name="process-case", persist_result=False, log_prints=False, validate_parameters=True)
def process_case(case: CaseToProcess) -> CaseRunSummary:
    """Import a case folder, read every page and propose redactions.

    ``case``: the case id (a folder of that name in the inbox) or a case folder's path,
    and reading options. cleancopy's home is the one of the machine running the flow
    (CLEANCOPY_HOME), never a field of the form."""
    logger = get_run_logger()
    with progress.also_watching(progress.LogProgress(logger)):  # counts only, never text
        return _process(case, logger)


def _process(case: CaseToProcess, logger: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> CaseRunSummary:
    case_dir = case.case_folder or tasks.find_case_folder(case.case_id)
    imported = tasks.import_case(case_dir)
    # each document proposed as soon as its pages are read, while the next ones are read
    done = tasks.read_and_propose(list(imported.to_process), case.options)
    ocr = {r.document_id: r for r in done.ocr}
    proposed = {r.document_id: r for r in done.proposed}
    # again, each document knowing the people found in the others
    proposed |= {r.document_id: r for r in tasks.propose_case_again(imported.case_id)}
    summary = orchestration.case_summary(imported, ocr, proposed)
    docs = summary.documents
    if imported.warnings:  # their text names files: counted here, shown by the command that ran the case
        logger.warning("case %s: %d warning(s) about the case folder", summary.case_id, len(imported.warnings))
    logger.info("case %s: %d document(s), %d page(s), %d proposal(s), %d held back", summary.case_id,
                len(docs), sum(d.pages for d in docs), sum(d.proposals for d in docs), summary.held_back)
    return summary
