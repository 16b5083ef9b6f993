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

Lines OCR read twice (:mod:`redaction.ocr.reread`, ``OcrPage.reread``) are looked at in
both readings: the detectors run again on each page with its lines in their second reading,
and a proposal found only there counts where the first reading was unsure of the words
under it, not over a name the first reading says stays, and (a stranger's name the NER model
guessed) not on words read with little confidence; a first-reading guess at a stranger's
name on a word the second reading reads as a name that stays is dropped.

:func:`merge` folds duplicates and sorts. Nothing here logs document text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from redaction.case import Case
from redaction.detect.base import ALL_DETECTORS, DetectConfig, DetectContext, Detector
from redaction.detect.config import fingerprint as config_fingerprint
from redaction.detect.config import load_detect_config
from redaction.detect.merge import merge
from redaction.detect.rules import RULES
from redaction.models import Box, OcrPage, ProposalDraft, Reason
from redaction.ocr.reread import REREAD_CONF
from redaction.settings import Settings

__all__ = [
    "ALL_DETECTORS",
    "DetectConfig",
    "DetectContext",
    "Detector",
    "ProposalDraft",
    "config_fingerprint",
    "config_for",
    "default_detectors",
    "detect_document",
    "merge",
]

log = logging.getLogger(__name__)


def config_for(settings: Settings) -> DetectConfig:
    """The configuration the settings choose: the file ``settings.detect_config`` names (or the
    defaults), with the settings' people finder. A file that does not parse stops the run."""
    return load_detect_config(settings.detect_config, known_rules=frozenset(RULES),
                              presidio_model=settings.ner_model)


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
    # the detectors' modules load spaCy: imported when a document is detected, not when the
    # pipeline is (commands that never detect start without it)
    from redaction.detect import manifest

    cfg = config or DetectConfig()
    dets = detectors if detectors is not None else default_detectors(cfg)
    names = dict(case_names or {})
    first = DetectContext(case=case, file_name=file_name, pages=list(pages), config=cfg, case_names=names)
    drafts = _run(dets, first)
    # the lines OCR read a second time (redaction.ocr.reread): what is found in either
    # reading is proposed, so a name garbled in one and read right in the other is not missed
    views = [p.reread_view() for p in pages]
    if any(v is not p for v, p in zip(views, pages, strict=True)):
        again = DetectContext(case=case, file_name=file_name, pages=views, config=cfg, case_names=names)
        second = _run(dets, again)
        at = {p.page_index: i for i, p in enumerate(pages)}
        # a stranger's name the NER model guessed on a word of the first reading that the second
        # reads as the child's, the requester's or a staff member's name ("Rael" / "Nasra") is them
        kept_again = manifest.kept_name_boxes(again)
        drafts = [d for d in drafts if not (d.reason is Reason.UNLISTED_PERSON and d.page_index in at
                                            and _all_kept(d, kept_again[at[d.page_index]], cfg.kept_share))]
        drafts += [d for d in second if d.page_index in at
                   and _first_reading_unsure(d, pages[at[d.page_index]])
                   and _not_noise(d, views[at[d.page_index]], cfg.noise_conf)
                   and not _over_kept_name(d, manifest.kept_name_boxes(first)[at[d.page_index]])]
    merged = merge(drafts)
    log.info("%d proposals (%d before merge) over %d pages", len(merged), len(drafts), len(pages))
    return merged


def _first_reading_unsure(d: ProposalDraft, page: OcrPage) -> bool:
    """A proposal from the second reading counts unless every word of the first reading
    under it was read confidently: there the first reading, which proposed nothing, is
    trusted (a child's name read well first and garbled second is not taken for a stranger)."""
    if d.whole_page:
        return True
    under = [w for w in page.words if any(_mostly_inside(w.box, b) for b in d.boxes)]
    return not under or any(w.conf < REREAD_CONF for w in under)


def _not_noise(d: ProposalDraft, view: OcrPage, min_conf: float) -> bool:
    """A stranger's name (the NER model's guess, no manifest behind it) from the second
    reading counts only on words it read with some confidence: a heading garbled twice
    ("Soncrs") is not somebody."""
    if d.reason is not Reason.UNLISTED_PERSON or d.whole_page:
        return True
    under = [w for w in view.words if any(_under(w.box, b) for b in d.boxes)]
    return bool(under) and all(w.conf >= min_conf for w in under)


def _over_kept_name(d: ProposalDraft, kept: tuple[Box, ...]) -> bool:
    """A proposal from the second reading over a place where the first read the child's, the
    requester's or a staff member's name: the second reading garbled it; the name stays."""
    return not d.whole_page and any(_under(k, b) for k in kept for b in d.boxes)


def _all_kept(d: ProposalDraft, kept: tuple[Box, ...], share: float) -> bool:
    """Every box of ``d`` is mostly a kept name's (a proposal that is nothing but that name):
    kept names cover ``share`` of its length along its line (where two kept names overlap, as
    the child's and the requester's surname on one word do, once)."""
    return not d.whole_page and bool(d.boxes) and all(
        _covered_along(b, kept) >= share * max(1e-6, b.width, b.height) for b in d.boxes)


def _covered_along(b: Box, kept: tuple[Box, ...]) -> float:
    """How much of ``b``'s length the kept boxes on its line cover together."""
    spans = sorted(s for s in (_along(b, k) for k in kept) if s is not None)
    total, reach = 0.0, float("-inf")
    for lo, hi in spans:
        lo = max(lo, reach)
        if hi > lo:
            total += hi - lo
            reach = hi
    return total


def _along(b: Box, k: Box) -> tuple[float, float] | None:
    """The stretch of ``b``'s length ``k`` covers, when ``k`` is on ``b``'s line (a box longer than
    high runs along x; higher than long, a word on a page turned a quarter, along y)."""
    if b.width >= b.height:
        mid = (k.y0 + k.y1) / 2
        lo, hi = max(b.x0, k.x0), min(b.x1, k.x1)
        return (lo, hi) if b.y0 <= mid <= b.y1 and hi > lo else None
    mid = (k.x0 + k.x1) / 2
    lo, hi = max(b.y0, k.y0), min(b.y1, k.y1)
    return (lo, hi) if b.x0 <= mid <= b.x1 and hi > lo else None


def _under(w: Box, b: Box) -> bool:
    """Word box ``w`` is under proposal box ``b``: mostly inside it, with its middle across the
    line in ``b``'s middle half (a proposal's box is padded above and below its line; on a
    tightly set page the padding reaches the lines above and below, whose words are not
    under it)."""
    if not _mostly_inside(w, b):
        return False
    if b.width >= b.height:  # upright text runs along x
        mid, lo, hi = (w.y0 + w.y1) / 2, b.y0 + b.height / 4, b.y1 - b.height / 4
    else:
        mid, lo, hi = (w.x0 + w.x1) / 2, b.x0 + b.width / 4, b.x1 - b.width / 4
    return lo <= mid <= hi


def _mostly_inside(w: Box, b: Box) -> bool:
    ix = min(w.x1, b.x1) - max(w.x0, b.x0)
    iy = min(w.y1, b.y1) - max(w.y0, b.y0)
    return ix > 0 and iy > 0 and ix * iy >= 0.3 * max(1e-6, w.width * w.height)


def _run(detectors: list[Detector], ctx: DetectContext) -> list[ProposalDraft]:
    drafts: list[ProposalDraft] = []
    for det in detectors:
        t0 = time.perf_counter()
        found = det.detect(ctx)
        log.debug(
            "detector %s: %d proposals on %d pages in %.0f ms",
            det.name, len(found), len(ctx.pages), (time.perf_counter() - t0) * 1000,
        )
        drafts += found
    return drafts
