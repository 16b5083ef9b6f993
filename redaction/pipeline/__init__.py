"""The stages wired together: the only package that knows their order.

A case runs  import → ocr → propose (→ propose again, knowing the people found in the
other documents) → decide (the desk or the CLI) → release (redaction/release/).  Each
stage is a plain function taking a :class:`Context` and ids, returning small typed values
(ids, counts, hashes, messages about files), never document text, so the Prefect tasks
over them pass nothing sensitive to Prefect.

    importing.py   import_case: the case folder into the store
    ocr.py         ocr_documents, iter_ocr_documents: every page read
    propose.py     propose_document, propose_case_again, detect_key
    decisions.py   decide: a reviewer's accept and reject, audited
    consent.py     record_consent: an answer kept, the case proposed again
    status.py      case_status, all_case_ids
    reads.py       the case, its documents, proposals and pages, by context
"""

from __future__ import annotations

from redaction.context import Context, open_context
from redaction.pipeline.consent import record_consent
from redaction.pipeline.decisions import decide
from redaction.pipeline.importing import DocumentRef, ImportResult, import_case
from redaction.pipeline.ocr import OcrResult, iter_ocr_documents, ocr_documents
from redaction.pipeline.propose import (
    DETECTOR_VERSION,
    DetectKey,
    ProposeResult,
    case_names,
    detect_key,
    propose_case_again,
    propose_document,
)
from redaction.pipeline.reads import case_manifest, current_documents, list_proposals, load_pages
from redaction.pipeline.status import CaseStatus, all_case_ids, case_status

__all__ = [
    "Context", "open_context",
    "import_case", "ImportResult", "DocumentRef",
    "ocr_documents", "iter_ocr_documents", "OcrResult",
    "propose_document", "propose_case_again", "detect_key", "case_names", "DetectKey", "ProposeResult",
    "DETECTOR_VERSION",
    "decide",
    "record_consent",
    "case_status", "all_case_ids", "CaseStatus",
    "case_manifest", "current_documents", "list_proposals", "load_pages",
]
