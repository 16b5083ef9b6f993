"""The release's stages, each a plain function; ``redaction.release`` runs them in order.

plan → build each document (render.py's true removal, then a photocopy of what that
shows) → verify each → bundle the verified outputs → verify the bundle → the pack
(schedule, covering letter: photocopied and verified too) → publish all at once.
Nothing is written under the output folder until every file has passed.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from redaction import render
from redaction.context import Context
from redaction.errors import InputError, NotReadyError, VerificationError
from redaction.models import Box, DocumentStatus, Leak, ProposalStatus, Reason, Redaction, VerificationReport
from redaction.procedure import pack
from redaction.release import photocopy, verifier
from redaction.release.terms import Term
from redaction.store import repository
from redaction.store.db import DocumentRow, ProposalRow
from redaction.store.serial import boxes_from_json

log = logging.getLogger(__name__)

BUNDLE = "clean-copy.pdf"
REPORT_LIMIT = 5


@dataclass(frozen=True)
class ReleasedDocument:
    file_name: str
    output_name: str
    pages: int
    redactions: int


@dataclass(frozen=True)
class ReleaseResult:
    case_id: str
    out_dir: str
    documents: tuple[ReleasedDocument, ...]
    held_back: tuple[str, ...]
    bundle_sha256: str
    leaks: tuple[Leak, ...] = field(default=())


@dataclass(frozen=True)
class Planned:
    """One current document to release, with its accepted redactions and the places
    a reviewer kept (rejected proposals' boxes, by page)."""

    doc: DocumentRow
    redactions: tuple[Redaction, ...]
    kept: dict[int, tuple[Box, ...]]


@dataclass(frozen=True)
class Plan:
    case_id: str
    documents: tuple[Planned, ...]
    held: tuple[str, ...]


@dataclass(frozen=True)
class Built:
    file_name: str
    output_name: str
    output: bytes = field(repr=False)
    redactions: tuple[Redaction, ...]
    pages: tuple[verifier.PageExpectation, ...]


def _redaction(r: ProposalRow) -> Redaction:
    return Redaction(proposal_id=r.id, page_index=r.page_index, boxes=boxes_from_json(r.boxes),
                     reason=Reason(r.reason), party_id=r.party_id, text=r.text, whole_page=r.whole_page)


def plan(ctx: Context, case_id: str) -> Plan:
    """What is to be released; refused while a proposal is undecided or a document unread."""
    proposals = repository.live_proposals(ctx.store, case_id)
    pending = [r for r, _ in proposals if r.status == ProposalStatus.PENDING]
    if pending:
        raise NotReadyError(
            f"case {case_id} has {len(pending)} undecided proposal(s): decide them all "
            f"(cleancopy decide {case_id} --reviewer NAME ...) before release")
    planned, held = [], []
    for doc in repository.current_documents(ctx.store, case_id):
        if doc.status == DocumentStatus.HELD:
            held.append(doc.file_name)
            continue
        if doc.status != DocumentStatus.PROPOSED:
            raise NotReadyError(f"{doc.file_name} has not been read and checked yet: run 'cleancopy run' again")
        rows = [r for r, _ in proposals if r.document_id == doc.id]
        kept: dict[int, list[Box]] = {}
        for r in rows:
            if r.status == ProposalStatus.REJECTED:
                kept.setdefault(r.page_index, []).extend(boxes_from_json(r.boxes))
        planned.append(Planned(doc, tuple(_redaction(r) for r in rows if r.status == ProposalStatus.ACCEPTED),
                               {k: tuple(v) for k, v in kept.items()}))
    names = [Path(p.doc.file_name).stem + ".pdf" for p in planned]
    if len(set(names)) != len(names) or BUNDLE in names:
        raise InputError(f"case {case_id}: two source files share a name stem, or one is named like the "
                         f"bundle ({BUNDLE}); rename one")
    return Plan(case_id, tuple(planned), tuple(held))


def options(ctx: Context) -> photocopy.Options:
    s = ctx.settings
    return photocopy.Options(dpi=float(s.release_dpi), jpeg_quality=s.release_jpeg_quality,
                             text_layer=s.release_text_layer, workers=s.ocr_workers)


def build(ctx: Context, item: Planned, opts: photocopy.Options) -> Built:
    """True removal (render.py), then the photocopy of what that shows. (The redacted
    file itself is never released: only the photocopy is, and the verifier checks it.)"""
    doc = item.doc
    assert doc.working_sha256 is not None
    source = ctx.store.blobs.get(doc.working_sha256)
    # plain black boxes: a code printed on a box would be ink OCR reads into the text layer
    # under the box; the schedule of redactions gives each page's reasons
    redacted = render.render_document(source, item.redactions, doc.file_name, labels=False)
    boxes: dict[int, list[Box]] = {}
    for r in item.redactions:
        boxes.setdefault(r.page_index, []).extend(r.boxes)
    output = photocopy.photocopy(redacted, source, doc.file_name, opts, boxes)
    pages = verifier.expectations(source, item.redactions, item.kept)
    return Built(doc.file_name, Path(doc.file_name).stem + ".pdf", output, item.redactions, tuple(pages))


def check(built: Built, terms: Sequence[Term], workers: int,
          readings: verifier.Readings | None = None) -> VerificationReport:
    return verifier.verify(built.output_name, built.output, built.pages, terms, workers=workers,
                           readings=readings)


def bundle(parts: Sequence[Built]) -> Built | None:
    """The whole file in order, from the verified outputs' own pages."""
    if not parts:
        return None
    out = pikepdf.new()
    for part in parts:
        with pikepdf.open(io.BytesIO(part.output)) as src:
            out.pages.extend(src.pages)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=True)
    reds, offset = [], 0
    for part in parts:
        reds += [replace(r, page_index=r.page_index + offset) for r in part.redactions]
        offset += len(part.pages)
    pages = tuple(p for part in parts for p in part.pages)
    return Built(BUNDLE, BUNDLE, buf.getvalue(), tuple(reds), pages)


def refuse_if(case_id: str, leaks: Sequence[Leak]) -> None:
    if leaks:
        first = "; ".join(str(lk) for lk in leaks[:REPORT_LIMIT])
        more = len(leaks) - REPORT_LIMIT
        raise VerificationError(
            f"release of case {case_id} refused: {len(leaks)} problem(s) found on verification: {first}"
            + (f"; and {more} more" if more > 0 else ""), tuple(leaks))


def pack_files(ctx: Context, plan_: Plan, built: Sequence[Built], actor: str,
               opts: photocopy.Options, terms: Sequence[Term]) -> tuple[dict[str, bytes], list[Leak]]:
    """The schedule of redactions and the covering letter, photocopied and verified."""
    made = pack.build(ctx, plan_.case_id, [(b.file_name, b.redactions) for b in built], plan_.held, actor)
    files: dict[str, bytes] = {}
    leaks: list[Leak] = []
    for name, data in made.items():
        copy = photocopy.photocopy(data, data, name, opts)
        pages = verifier.expectations(data, [])
        leaks += verifier.verify(name, copy, pages, terms, workers=opts.workers).leaks
        files[name] = copy
    return files, leaks


def schedule_csv(built: Sequence[Built], held: Sequence[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["document", "page", "reason", "party_id", "proposal_id", "whole_page"])
    for b in built:
        for red in sorted(b.redactions, key=lambda x: (x.page_index, x.proposal_id)):
            w.writerow([b.file_name, red.page_index + 1, red.reason.value, red.party_id or "", red.proposal_id,
                        "yes" if red.whole_page else "no"])
    for name in held:
        w.writerow([name, "", "HELD", "", "", "not included: the file could not be read"])
    return buf.getvalue().encode("utf-8")
