"""Release: a case's clean copies, each rebuilt from what it shows and proven clean.

The order of the stages (each in :mod:`redaction.release.stages`): plan → for each
document, true removal and a photocopy of the result → verify it → bundle the
verified outputs → verify the bundle → the pack, photocopied and verified → publish
all at once (a half-written release is never visible). One problem anywhere and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from redaction import faults
from redaction.context import Context
from redaction.models import Leak
from redaction.ocr.parallel import single_threaded_tesseract
from redaction.procedure import consents, states
from redaction.release import publish, stages, verifier
from redaction.release.stages import ReleasedDocument, ReleaseResult
from redaction.release.terms import withheld_terms
from redaction.review import audit
from redaction.store import sha256_bytes
from redaction.store.db import ReleaseRow

__all__ = ["ReleaseResult", "ReleasedDocument", "release_case"]

log = logging.getLogger(__name__)


def release_case(ctx: Context, case_id: str, out_dir: Path | str, actor: str = "cleancopy") -> ReleaseResult:
    """Release every current document of ``case_id`` to ``out_dir`` (a folder, or an
    S3 address such as ``s3://bucket/released/CASE_ID``). Refused while the case is on
    hold or a proposal undecided; a case not yet signed off is approved by ``actor``."""
    states.before_release(ctx, case_id, actor)
    with single_threaded_tesseract():  # one tesseract per worker thread, as the OCR stage does
        return _release(ctx, case_id, out_dir, actor)


def _release(ctx: Context, case_id: str, out_dir: Path | str, actor: str) -> ReleaseResult:
    plan = stages.plan(ctx, case_id)
    faults.point("release.planned")
    terms = withheld_terms(consents.case_manifest(ctx, case_id))
    opts = stages.options(ctx)
    built: list[stages.Built] = []
    leaks: list[Leak] = []
    readings = verifier.Readings()
    for item in plan.documents:
        b = stages.build(ctx, item, opts)
        faults.point("release.built")
        leaks += stages.check(b, terms, opts.workers, readings).leaks
        built.append(b)
    stages.refuse_if(case_id, leaks)
    faults.point("release.verified")
    bundle = stages.bundle(built)
    if bundle is not None:
        stages.refuse_if(case_id, stages.check(bundle, terms, opts.workers, readings).leaks)
    faults.point("release.bundled")
    pack, pack_leaks = stages.pack_files(ctx, plan, built, actor, opts, terms)
    stages.refuse_if(case_id, pack_leaks)
    faults.point("release.packed")
    files = {b.output_name: b.output for b in built}
    if bundle is not None:
        files[bundle.output_name] = bundle.output
    files |= pack
    for data in files.values():
        ctx.store.blobs.put(data)
    files["schedule.csv"] = stages.schedule_csv(built, plan.held)
    faults.point("release.stored")
    bundle_sha = sha256_bytes(bundle.output if bundle is not None else b"")
    # the audit log's head as this release saw it, in the manifest and the release row:
    # `cleancopy audit verify` then finds entries deleted or rewritten later
    head = audit.head(ctx, case_id)
    about = {"case_id": case_id, "released_by": actor, "released_at": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), "bundle_sha256": bundle_sha, "audit_head": head.as_dict()}
    where = publish.publish(files, out_dir, about)
    faults.point("release.published")
    pages = sum(len(b.pages) for b in built)
    with ctx.store.session() as s, s.begin():
        s.add(ReleaseRow(case_id=case_id, out_dir=where, bundle_sha256=bundle_sha, documents=len(built),
                         pages=pages, redactions=sum(len(b.redactions) for b in built),
                         audit_seq=head.seq, audit_sha256=head.sha256, audit_hmac=head.hmac))
    faults.point("release.recorded")
    states.after_release(ctx, case_id, actor)
    log.info("case %s released: %d document(s), %d page(s)", case_id, len(built), pages)
    released = tuple(ReleasedDocument(b.file_name, b.output_name, len(b.pages), len(b.redactions)) for b in built)
    return ReleaseResult(case_id, where, released, plan.held, bundle_sha)
