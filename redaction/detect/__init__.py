"""Detection: propose redactions from a document's OCR'd words, driven by the case
manifest.

    drafts = detect_document(case, file_name, pages)          # list[ProposalDraft]

Detectors (each a :class:`Detector`: ``name`` and ``detect(ctx)``):

- ``manifest``: names, partial forms and aliases of withheld parties and their staff,
  organisation names and acronyms (OCR-tolerant; the child's, requester's and staff's
  names are protected);
- ``contact``: their phones, emails and addresses;
- ``authorship``: pages a withheld party wrote (whole page);
- ``relationship``: "mum's partner", "Nan" ... pointing at a withheld person;
- ``presidio``: people the manifest does not list, and other children;
- ``unreadable``: scanned pages OCR could not read (whole page, for the reviewer's eyes).

:func:`merge` folds duplicates and sorts. Nothing here logs document text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from redaction.case import Case
from redaction.detect.base import ALL_DETECTORS, DetectConfig, DetectContext, Detector
from redaction.detect.merge import merge
from redaction.models import OcrPage, ProposalDraft, Reason

__all__ = [
    "ALL_DETECTORS",
    "DetectConfig",
    "DetectContext",
    "Detector",
    "ProposalDraft",
    "default_detectors",
    "detect_document",
    "merge",
]

log = logging.getLogger(__name__)


def default_detectors(config: DetectConfig) -> list[Detector]:
    """The detectors ``config.detectors`` names, in a fixed order."""
    from redaction.detect.authorship import AuthorshipDetector
    from redaction.detect.contacts import ContactDetector
    from redaction.detect.manifest import ManifestDetector
    from redaction.detect.people import PresidioDetector
    from redaction.detect.relationships import RelationshipDetector
    from redaction.detect.unreadable import UnreadablePageDetector

    available: dict[str, Detector] = {
        "manifest": ManifestDetector(),
        "contact": ContactDetector(),
        "authorship": AuthorshipDetector(),
        "relationship": RelationshipDetector(),
        "presidio": PresidioDetector(),
        "unreadable": UnreadablePageDetector(),
    }
    return [available[n] for n in ALL_DETECTORS if n in config.detectors]


def detect_document(
    case: Case,
    file_name: str,
    pages: list[OcrPage],
    config: DetectConfig | None = None,
    detectors: list[Detector] | None = None,
    case_names: Mapping[str, Reason] | None = None,
) -> list[ProposalDraft]:
    """Run the detectors over one document's pages; merged proposals sorted by page
    and position. ``detectors`` overrides the configured set (tests, experiments);
    ``case_names`` are name words of people found in the case's other documents."""
    cfg = config or DetectConfig()
    ctx = DetectContext(case=case, file_name=file_name, pages=list(pages), config=cfg,
                        case_names=dict(case_names or {}))
    drafts: list[ProposalDraft] = []
    for det in detectors if detectors is not None else default_detectors(cfg):
        t0 = time.perf_counter()
        found = det.detect(ctx)
        log.debug(
            "detector %s: %d proposals on %d pages in %.0f ms",
            det.name, len(found), len(pages), (time.perf_counter() - t0) * 1000,
        )
        drafts += found
    merged = merge(drafts)
    log.info("%d proposals (%d before merge) over %d pages", len(merged), len(drafts), len(pages))
    return merged
