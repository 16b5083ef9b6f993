"""The commands of a case: ``run``, ``proposals``, ``decide``, ``release``, ``status``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from redaction.cli.args import home_of, known_reviewer, open_ctx, orchestrator_of, place_of, progress_reporter, usage
from redaction.errors import CleanCopyError, ExitCode
from redaction.models import DocumentStatus


def cmd_run(args: argparse.Namespace) -> int:
    case_dir = place_of(args.case_dir)
    from redaction.case import load_manifest, manifest_from_bytes
    from redaction.store import s3_cases

    # a broken case.yaml is reported here in full, before Prefect sees it
    if s3_cases.is_s3_url(case_dir):
        manifest_from_bytes(s3_cases.read_object(f"{case_dir}/case.yaml"), f"{case_dir}/case.yaml")
    else:
        load_manifest(Path(case_dir))
    from redaction import rerun

    orchestrator = orchestrator_of(args)
    orchestrator.prepare()  # Prefect's server starts while the folder is checked and the people finder loads
    # the folder as it was at the last run (every file's hash, case.yaml, consent answers,
    # detection code): nothing to read or detect, so no flow run is started
    ctx = open_ctx(args)
    summary: Any = rerun.import_unless_current(ctx, case_dir)
    if summary is None:
        from redaction.detect import config_for
        from redaction.detect.presidio_engine import warm_up
        from redaction.progress import watching

        wanted = config_for(ctx.settings)  # a bad detector configuration stops here, before any flow
        warm_up(wanted.presidio_model, wanted.presidio_union_model)
        with watching(progress_reporter()):
            summary = orchestrator.process_case(case_dir)
        rerun.record_run(ctx, summary.case_id)
    print(f"case {summary.case_id}")
    print(f"  {'document':<40} {'pages':>5} {'proposals':>9}  problems")
    for d in summary.documents:
        print(f"  {d.file_name:<40} {d.pages:>5} {d.proposals:>9}  {d.problem or '-'}")
    for w in summary.warnings:
        print(f"warning: {w}")
    if summary.held_back:
        print(f"{summary.held_back} file(s) held back: fix them and run again; the rest was processed.")
        return ExitCode.HELD_BACK
    print(f"next: cleancopy proposals {summary.case_id}; cleancopy decide {summary.case_id} --reviewer NAME ...")
    return ExitCode.OK


def _union(boxes: list[list[float]]) -> list[float]:
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def cmd_proposals(args: argparse.Namespace) -> int:
    from redaction import pipeline

    rows = pipeline.list_proposals(open_ctx(args), args.case_id)
    items: list[dict[str, Any]] = [
        {
            "id": r.id,
            "document": name,
            "page": r.page_index + 1,
            "box": _union(r.boxes),
            "boxes": r.boxes,
            "party": r.party_id,
            "reason": r.reason,
            "detector": r.detector,
            "score": round(r.score, 3),
            "status": r.status,
            "whole_page": r.whole_page,
            "explanation": r.explanation,
        }
        for r, name in rows
    ]
    if args.json:
        json.dump(items, sys.stdout, indent=1)
        print()
        return ExitCode.OK
    print(f"{'id':>5} {'document':<32} {'page':>4}  {'box (pt)':<27} {'party':<8} {'reason':<6} "
          f"{'detector':<10} {'score':>5}  status")
    for it in items:
        parts = f" ({len(it['boxes'])} parts)" if len(it["boxes"]) > 1 else ""
        btxt = ",".join(f"{v:.0f}" for v in it["box"]) + parts
        print(f"{it['id']:>5} {it['document']:<32} {it['page']:>4}  {btxt:<27} {it['party'] or '-':<8} "
              f"{it['reason']:<6} {it['detector']:<10} {it['score']:>5.2f}  {it['status']}")
    print(f"{len(items)} proposal(s)")
    return ExitCode.OK


def cmd_decide(args: argparse.Namespace) -> int:
    from redaction import pipeline

    if not (args.accept_all or args.accept or args.reject or args.sign_off):
        raise usage("decide needs --accept-all, --accept ID..., --reject ID... or --sign-off")
    known_reviewer(args, "decide proposals or sign off")
    if not (args.accept_all or args.accept or args.reject):
        return _sign_off(args)
    n = pipeline.decide(
        open_ctx(args), args.case_id, args.reviewer,
        accept_all=args.accept_all, accept=tuple(args.accept or ()), reject=tuple(args.reject or ()),
        detail="cli" + (": all pending" if args.accept_all else ""),
    )
    print(f"{n} decision(s) recorded for case {args.case_id} by {args.reviewer}")
    if args.sign_off:
        return _sign_off(args)
    return ExitCode.OK


def _sign_off(args: argparse.Namespace) -> int:
    """Record the sign-off; with a Prefect server configured, resume the release run
    waiting for it."""
    from redaction import signoff

    so = signoff.record_sign_off(open_ctx(args), args.case_id, args.reviewer, True, args.comment or "")
    print(f"case {args.case_id} signed off by {args.reviewer} (audit entry {so.seq})")
    try:
        resumed = orchestrator_of(args).send_decision(args.case_id, True, so.seq)
    except CleanCopyError:
        raise
    except Exception as e:  # noqa: BLE001 - the sign-off is recorded whatever Prefect says
        print(f"the Prefect server could not be reached ({type(e).__name__}): the sign-off is recorded; "
              f"when the server is back, run this command again to resume a waiting release",
              file=sys.stderr)
        return ExitCode.STORAGE
    if resumed:
        runs = ", ".join(f"{r.run_id}: {r.name or r.type}" for r in resumed)
        print(f"the waiting release run was resumed ({runs}); "
              f"the clean copy appears in {home_of(args) / 'releases' / args.case_id}")
        return ExitCode.OK
    print(f"no release run is waiting: start one (cleancopy release {args.case_id} --out FOLDER, or the "
          "release-case deployment), it releases at once on this sign-off")
    return ExitCode.OK


def cmd_release(args: argparse.Namespace) -> int:
    out = place_of(args.out)
    if args.reviewer:
        from redaction import signoff

        known_reviewer(args, "sign off")
        signoff.record_sign_off(open_ctx(args), args.case_id, args.reviewer, True, "")
    res = orchestrator_of(args).release_case(args.case_id, out)
    if res.status != "released":
        print(f"release of case {args.case_id} refused by the reviewer ({res.decided_by}, see "
              f"'cleancopy audit verify' and the review desk's audit page): nothing written. When it is "
              f"put right: cleancopy decide {args.case_id} --reviewer NAME --sign-off")
        return ExitCode.NOT_READY
    from redaction import pipeline

    docs = pipeline.current_documents(open_ctx(args), args.case_id)
    names = {d.id: d.file_name for d in docs}
    for d in res.documents:
        print(f"  {Path(names[d.document_id]).stem + '.pdf':<40} {d.pages:>4} page(s) {d.redactions:>4} "
              "redaction(s)  verified")
    print(f"clean copy: {out}/clean-copy.pdf")
    print(f"schedule:   {out}/schedule.csv and {out}/schedule-of-redactions.pdf")
    print(f"letter:     {out}/covering-letter.pdf")
    if res.held_back:
        print(f"not included (held back): {', '.join(d.file_name for d in docs if d.status == DocumentStatus.HELD)}")
        return ExitCode.HELD_BACK
    return ExitCode.OK


def cmd_status(args: argparse.Namespace) -> int:
    from redaction import pipeline

    ctx = open_ctx(args)
    ids = [args.case_id] if args.case_id else pipeline.all_case_ids(ctx)
    if not ids:
        print("no cases yet: cleancopy run CASE_DIR")
    import datetime as dt

    from redaction.procedure import overview, states

    for cid in ids:
        st = pipeline.case_status(ctx, cid)
        cs = states.get(ctx, cid)
        left = (dt.date.fromisoformat(st.deadline) - dt.date.today()).days
        state = (
            "released" if st.released else
            "ready to release" if st.pending == 0 else f"{st.pending} proposal(s) to decide"
        )
        hold = f" ({cs.hold_reason})" if cs.hold_reason else ""
        due = "overdue by " + str(-left) + " day(s)" if left < 0 else f"{left} day(s) left"
        print(f"{st.case_id}: {cs.state.value}{hold}; due {st.deadline} ({due}"
              + (f", extended: {cs.extension_reason}" if cs.extension_reason else "") + ")")
        print("  " + "; ".join(f"{k.label.lower()}: {k.summary}" for k in overview.case_clocks(ctx, cid)))
        print(f"  received {st.received}; {st.documents} document(s), "
              f"{st.pages} page(s), {st.held_back} held back; {st.proposals} proposal(s): "
              f"{st.accepted} accepted, {st.rejected} rejected; {state}")
        if st.waiting_parties:
            print(f"  waiting for consent from: {', '.join(st.waiting_parties)} (treated as refused)")
    return ExitCode.OK


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """run, proposals, decide, release, status."""
    r = sub.add_parser("run", parents=[common], help="import a case folder, read it and propose redactions")
    r.add_argument("case_dir")
    r.set_defaults(fn=cmd_run)
    pr = sub.add_parser("proposals", parents=[common], help="list a case's proposed redactions")
    pr.add_argument("case_id")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(fn=cmd_proposals)
    d = sub.add_parser("decide", parents=[common], help="accept or reject proposals")
    d.add_argument("case_id")
    d.add_argument("--reviewer", required=True, help="your reviewer account (cleancopy reviewer add)")
    d.add_argument("--accept-all", action="store_true")
    d.add_argument("--accept", nargs="+", type=int, metavar="ID")
    d.add_argument("--reject", nargs="+", type=int, metavar="ID")
    d.add_argument("--sign-off", action="store_true",
                   help="sign the case off for release (every proposal decided); resumes a waiting release run")
    d.add_argument("--comment", help="a note kept with the sign-off in the audit log")
    d.set_defaults(fn=cmd_decide)
    rel = sub.add_parser("release", parents=[common], help="write the verified clean copy")
    rel.add_argument("case_id")
    rel.add_argument("--out", required=True)
    rel.add_argument("--reviewer", help="sign the case off as this reviewer first (named in the covering letter)")
    rel.set_defaults(fn=cmd_release)
    st = sub.add_parser("status", parents=[common], help="where each case stands")
    st.add_argument("case_id", nargs="?")
    st.set_defaults(fn=cmd_status)


