"""The ``cleancopy`` command. One handler at this edge turns errors into exit codes.

``run`` and ``release`` go through the orchestrator of the settings (redaction.orchestration:
by default the Prefect flows of ``flows/``, in Prefect's ephemeral mode when no server is
configured); the other commands read and write the store directly.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from redaction.errors import CleanCopyError, ExitCode


def _home(args: argparse.Namespace) -> Path:
    if args.home:
        return Path(args.home)
    return Path(os.environ.get("CLEANCOPY_HOME") or ".cleancopy")


def _orchestrator(args: argparse.Namespace) -> Any:
    """What runs the stages (Prefect's flows by default): see redaction.orchestration."""
    from redaction import orchestration
    from redaction.settings import load_settings

    return orchestration.load(load_settings(_home(args)))


def _ctx(args: argparse.Namespace) -> Any:
    from redaction import orchestration
    from redaction.settings import load_settings

    return orchestration.open_context(load_settings(_home(args)))


def _place(where: str) -> str:
    """A case folder or release folder: an S3 address as given, a local path made absolute."""
    from redaction.store.s3_cases import is_s3_url

    return where.rstrip("/") if is_s3_url(where) else str(Path(where).resolve())


def cmd_run(args: argparse.Namespace) -> int:
    case_dir = _place(args.case_dir)
    from redaction.case import load_manifest, manifest_from_bytes
    from redaction.store import s3_cases

    # a broken case.yaml is reported here in full, before Prefect sees it
    if s3_cases.is_s3_url(case_dir):
        manifest_from_bytes(s3_cases.read_object(f"{case_dir}/case.yaml"), f"{case_dir}/case.yaml")
    else:
        load_manifest(Path(case_dir))
    from redaction import rerun

    # the folder as it was at the last run (every file's hash, case.yaml, consent answers,
    # detection code): nothing to read or detect, so no flow run is started
    ctx = _ctx(args)
    summary: Any = rerun.import_unless_current(ctx, case_dir)
    if summary is None:
        from redaction.detect import config_for
        from redaction.detect.people import warm_up
        from redaction.progress import watching

        wanted = config_for(ctx.settings)  # a bad detector configuration stops here, before any flow
        orchestrator = _orchestrator(args)
        warm_up(wanted.presidio_model, wanted.presidio_union_model)  # while Prefect's server starts
        with watching(_progress_reporter()):
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

    rows = pipeline.list_proposals(_ctx(args), args.case_id)
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


def _known_reviewer(args: argparse.Namespace, action: str) -> str:
    """--reviewer must be a reviewer account that may decide: its name as stored."""
    from redaction.review import auth

    args.reviewer = auth.require_reviewer(_ctx(args), args.reviewer, action).name
    return str(args.reviewer)


def cmd_decide(args: argparse.Namespace) -> int:
    from redaction import pipeline

    if not (args.accept_all or args.accept or args.reject or args.sign_off):
        raise _usage("decide needs --accept-all, --accept ID..., --reject ID... or --sign-off")
    _known_reviewer(args, "decide proposals or sign off")
    if not (args.accept_all or args.accept or args.reject):
        return _sign_off(args)
    n = pipeline.decide(
        _ctx(args), args.case_id, args.reviewer,
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

    so = signoff.record_sign_off(_ctx(args), args.case_id, args.reviewer, True, args.comment or "")
    print(f"case {args.case_id} signed off by {args.reviewer} (audit entry {so.seq})")
    try:
        resumed = _orchestrator(args).send_decision(args.case_id, True, so.seq)
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
              f"the clean copy appears in {_home(args) / 'releases' / args.case_id}")
        return ExitCode.OK
    print(f"no release run is waiting: start one (cleancopy release {args.case_id} --out FOLDER, or the "
          "release-case deployment), it releases at once on this sign-off")
    return ExitCode.OK


def cmd_release(args: argparse.Namespace) -> int:
    out = _place(args.out)
    if args.reviewer:
        from redaction import signoff

        _known_reviewer(args, "sign off")
        signoff.record_sign_off(_ctx(args), args.case_id, args.reviewer, True, "")
    res = _orchestrator(args).release_case(args.case_id, out)
    if res.status != "released":
        print(f"release of case {args.case_id} refused by the reviewer ({res.decided_by}, see "
              f"'cleancopy audit verify' and the review desk's audit page): nothing written. When it is "
              f"put right: cleancopy decide {args.case_id} --reviewer NAME --sign-off")
        return ExitCode.NOT_READY
    from redaction import pipeline

    docs = pipeline.current_documents(_ctx(args), args.case_id)
    names = {d.id: d.file_name for d in docs}
    for d in res.documents:
        print(f"  {Path(names[d.document_id]).stem + '.pdf':<40} {d.pages:>4} page(s) {d.redactions:>4} "
              "redaction(s)  verified")
    print(f"clean copy: {out}/clean-copy.pdf")
    print(f"schedule:   {out}/schedule.csv and {out}/schedule-of-redactions.pdf")
    print(f"letter:     {out}/covering-letter.pdf")
    if res.held_back:
        print(f"not included (held back): {', '.join(d.file_name for d in docs if d.status == 'held')}")
        return ExitCode.HELD_BACK
    return ExitCode.OK


def cmd_status(args: argparse.Namespace) -> int:
    from redaction import pipeline

    ctx = _ctx(args)
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


def _date(text: str | None, what: str) -> Any:
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _usage(f"{what} must be a date like 2026-12-01, not '{text}'") from None


def cmd_letters(args: argparse.Namespace) -> int:
    from redaction.procedure import letters

    ctx = _ctx(args)
    if args.mark_sent is not None:
        w = letters.mark_sent(ctx, args.case_id, args.mark_sent, args.by or "cleancopy letters",
                              _date(args.on, "--on"))
        print(f"case {args.case_id}: letter {w.id} to {w.party_id} marked sent on {w.marked_sent_on}")
        return ExitCode.OK
    out = Path(args.out) if args.out else ctx.settings.home / "letters" / args.case_id
    sent = letters.write_letters(ctx, args.case_id, out, args.by or "cleancopy letters")
    if not sent:
        print(f"case {args.case_id}: no third party is waiting to be asked (pending, with an address or email)")
    for letter in sent:
        print(f"  {letter.party_id:<10} {letter.path}  (letter {letter.id}, dated {letter.sent_on}, reply by "
              f"{letter.reply_by})")
    if sent:
        print(f"{len(sent)} letter(s) in {out}; copies kept with the case. When one has gone out: "
              f"cleancopy letters {args.case_id} --mark-sent LETTER [--on DATE]")
    return ExitCode.OK


def cmd_consent(args: argparse.Namespace) -> int:
    from redaction import pipeline
    from redaction.procedure import consents, states

    ctx = _ctx(args)
    evidence = consents.Evidence.from_file(Path(args.evidence)) if args.evidence else None
    case = pipeline.record_consent(ctx, args.case_id, args.party_id, args.answer, args.by or "cleancopy consent",
                           evidence=evidence, on=_date(args.on, "--on"))
    left = consents.pending_parties(case)
    print(f"case {args.case_id}: {args.party_id} {args.answer}; proposals brought up to date; "
          f"state {states.get(ctx, args.case_id).state.value}"
          + (f"; still waiting for {', '.join(left)}" if left else "; every third party has answered"))
    return ExitCode.OK


def cmd_hold(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.hold(_ctx(args), args.case_id, args.by or "cleancopy hold", args.reason)
    print(f"case {args.case_id} on hold (was {st.held_from.value if st.held_from else '-'}): nothing is released "
          f"until 'cleancopy unhold {args.case_id}'")
    return ExitCode.OK


def cmd_unhold(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.unhold(_ctx(args), args.case_id, args.by or "cleancopy unhold")
    print(f"case {args.case_id} is {st.state.value} again")
    return ExitCode.OK


def cmd_extend(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.extend(_ctx(args), args.case_id, _date(args.to, "--to"), args.reason, args.by or "cleancopy extend")
    print(f"case {args.case_id}: deadline now {st.extended_to} ({st.extension_reason})")
    return ExitCode.OK


def cmd_withhold(args: argparse.Namespace) -> int:
    from redaction.procedure import safeguarding

    box = None
    if args.box:
        try:
            x0, y0, x1, y1 = (float(v) for v in args.box.split(","))
        except ValueError:
            raise _usage("--box must be x0,y0,x1,y1 in page points (as 'cleancopy proposals' prints them)") from None
        box = (x0, y0, x1, y1)
    elif not args.whole_page:
        raise _usage("say what to withhold: --box x0,y0,x1,y1 or --whole-page")
    reason = {"safeguarding": "SG", "reviewer": "RV"}[args.reason]
    _known_reviewer(args, "withhold information")
    pid = safeguarding.withhold(_ctx(args), args.case_id, args.document, args.page - 1, args.reviewer, args.note,
                                box, reason)
    print(f"case {args.case_id}: withheld as proposal {pid} ({reason}); the note stays in the audit log")
    return ExitCode.OK


def cmd_review(args: argparse.Namespace) -> int:
    from redaction.review.app import secure_cookies_for, serve

    ctx = _ctx(args)
    # with a Prefect server configured, a sign-off resumes the release run waiting for it
    release_runs = _orchestrator(args).release_runs()
    print(f"review desk on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    if secure_cookies_for(ctx, args.host):
        print("its cookies are Secure: browsers send them over HTTPS only, so serve it behind a TLS proxy "
              "(CLEANCOPY_REVIEW_SECURE_COOKIES=false turns this off)", flush=True)
    serve(ctx, host=args.host, port=args.port, release_runs=release_runs)
    return ExitCode.OK


def cmd_server(args: argparse.Namespace) -> int:
    print(f"local Prefect server for {_home(args)} on http://127.0.0.1:{args.port}/ (Ctrl-C to stop); "
          "'cleancopy run' and 'release' with this home use it while it runs", flush=True)
    return int(_orchestrator(args).serve(args.port))


def cmd_reviewer_add(args: argparse.Namespace) -> int:
    import getpass

    from redaction.review import auth

    password = args.password
    if password is None:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise _usage("the two passwords differ: nothing was saved")
    rv = auth.add_reviewer(_ctx(args), args.name, args.role, password)
    print(f"reviewer {rv.name} saved ({rv.role}{', can sign off' if rv.can_sign_off else ', cannot sign off'})")
    return ExitCode.OK


def cmd_reviewer_assign(args: argparse.Namespace) -> int:
    from redaction.review import auth

    rv = auth.assign(_ctx(args), args.name, args.case_id, remove=args.remove)
    if args.remove:
        print(f"{rv.name} no longer sees case {args.case_id}" + (" (a head sees every case)" if rv.sees_all_cases
                                                                  else ""))
    else:
        print(f"{rv.name} ({rv.role}) may now see case {args.case_id} at the review desk"
              + (" (a head sees every case anyway)" if rv.sees_all_cases else ""))
    return ExitCode.OK


def _manifest_heads(paths: list[str], case_id: str) -> list[tuple[str, Any]]:
    """The audit heads recorded in release manifests (their ``audit_head``)."""
    from redaction.review import audit

    heads = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            path = path / "release-manifest.json"
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as e:
            raise _usage(f"{path}: not a readable release manifest ({type(e).__name__})") from None
        if not isinstance(data, dict) or "audit_head" not in data:
            raise _usage(f"{path}: has no audit_head (a release manifest written before the audit log was keyed?)")
        h = audit.AuditHead.from_dict(data["audit_head"])
        if h.case_id != case_id:
            raise _usage(f"{path}: is the manifest of case {h.case_id}, not {case_id}")
        heads.append((str(path), h))
    return heads


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from redaction import pipeline
    from redaction.review import audit

    ctx = _ctx(args)
    pipeline.current_documents(ctx, args.case_id)  # an unknown case is an error, not an empty log
    rep = audit.verify_chain(ctx, args.case_id, heads=_manifest_heads(args.manifest or [], args.case_id))
    checks = ("HMAC-SHA256 checked" if rep.keyed else "not keyed yet: sha256 chain only") + \
        f", {rep.heads_checked} release head(s) checked"
    if rep.ok:
        print(f"{args.case_id}: audit log intact, {rep.entries} entries ({checks}), last entry {rep.last_seq} "
              f"hash {rep.last_sha256}")
        return ExitCode.OK
    print(f"{args.case_id}: audit log TAMPERED ({len(rep.problems)} problem(s); {checks}):", file=sys.stderr)
    for problem in rep.problems:
        print(f"  - {problem}", file=sys.stderr)
    return ExitCode.VERIFICATION_FAILED


class _UsageError(CleanCopyError):
    exit_code = ExitCode.BAD_INPUT


def _usage(msg: str) -> _UsageError:
    return _UsageError(msg)


def _progress_reporter() -> Any:
    from redaction.progress import LineProgress, TerminalProgress

    return TerminalProgress(sys.stderr) if sys.stderr.isatty() else LineProgress(sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleancopy", description=__doc__.splitlines()[0] if __doc__ else None)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", help="folder holding the database and store "
                        "(default: $CLEANCOPY_HOME, else ./.cleancopy)")
    common.add_argument("-v", "--verbose", action="store_true",
                        help="show Prefect's and cleancopy's log, and the traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)
    _case_commands(sub, common)
    _desk_commands(sub, common)
    _procedure_commands(sub, common)
    _audit_commands(sub, common)
    return p


def _case_commands(
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


def _desk_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """review, server, reviewer add / assign."""
    rv = sub.add_parser("review", parents=[common], help="serve the review desk in the browser")
    rv.add_argument("--port", type=int, default=8750)
    rv.add_argument("--host", default="127.0.0.1")
    rv.set_defaults(fn=cmd_review)
    sv = sub.add_parser("server", parents=[common],
                        help="run a local Prefect server (database in the home) that run and release reuse")
    sv.add_argument("--port", type=int, default=4200)
    sv.set_defaults(fn=cmd_server)
    rvr = sub.add_parser("reviewer", help="manage the people who may review")
    rvr_sub = rvr.add_subparsers(dest="reviewer_command", required=True)
    ra = rvr_sub.add_parser("add", parents=[common], help="add a reviewer (or reset their role and password)")
    ra.add_argument("name")
    ra.add_argument("--role", required=True, choices=["head", "deputy", "manager", "staff"])
    ra.add_argument("--password", help="asked for when left out (better: it stays out of the shell history)")
    ra.set_defaults(fn=cmd_reviewer_add)
    rs = rvr_sub.add_parser("assign", parents=[common], help="let a reviewer see a case at the desk (heads see all)")
    rs.add_argument("name")
    rs.add_argument("case_id")
    rs.add_argument("--remove", action="store_true", help="take the case away from the reviewer instead")
    rs.set_defaults(fn=cmd_reviewer_assign)


def _procedure_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The school's procedure: letters, consent, hold, unhold, extend, withhold."""
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--by", help="who is doing this (kept in the audit log)")
    le = sub.add_parser("letters", parents=[common, who], help="write consent-request letters to pending parties")
    le.add_argument("case_id")
    le.add_argument("--out", help="folder for the letters (default HOME/letters/CASE_ID)")
    le.add_argument("--mark-sent", type=int, metavar="LETTER", help="record that this letter went out instead")
    le.add_argument("--on", help="with --mark-sent: the day it went out (default today)")
    le.set_defaults(fn=cmd_letters)
    co = sub.add_parser("consent", parents=[common, who], help="record a third party's answer")
    co.add_argument("case_id")
    co.add_argument("party_id")
    co.add_argument("answer", choices=["granted", "refused"])
    co.add_argument("--evidence", help="the reply (a scan, an email saved as PDF): kept with the request")
    co.add_argument("--on", help="the date of the answer (default today)")
    co.set_defaults(fn=cmd_consent)
    ho = sub.add_parser("hold", parents=[common, who], help="put a case on hold (legal advice): no release")
    ho.add_argument("case_id")
    ho.add_argument("--reason", required=True)
    ho.set_defaults(fn=cmd_hold)
    uh = sub.add_parser("unhold", parents=[common, who], help="take a case off hold")
    uh.add_argument("case_id")
    uh.set_defaults(fn=cmd_unhold)
    ex = sub.add_parser("extend", parents=[common, who], help="record an extension of the deadline")
    ex.add_argument("case_id")
    ex.add_argument("--to", required=True, help="the new deadline (YYYY-MM-DD)")
    ex.add_argument("--reason", required=True)
    ex.set_defaults(fn=cmd_extend)
    wh = sub.add_parser("withhold", parents=[common], help="withhold more (safeguarding): a box or a whole page")
    wh.add_argument("case_id")
    wh.add_argument("--document", type=int, required=True, help="document id (see 'cleancopy proposals')")
    wh.add_argument("--page", type=int, required=True, help="page number, from 1")
    wh.add_argument("--box", help="x0,y0,x1,y1 in page points")
    wh.add_argument("--whole-page", action="store_true")
    wh.add_argument("--reason", choices=["safeguarding", "reviewer"], default="safeguarding")
    wh.add_argument("--note", required=True, help="why (never printed in the release pack)")
    wh.add_argument("--reviewer", required=True)
    wh.set_defaults(fn=cmd_withhold)


def _audit_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """audit verify."""
    au = sub.add_parser("audit", help="check the audit log")
    au_sub = au.add_subparsers(dest="audit_command", required=True)
    av = au_sub.add_parser("verify", parents=[common],
                           help="check a case's audit log: chain, HMACs and the heads its releases recorded")
    av.add_argument("case_id")
    av.add_argument("--manifest", nargs="+", metavar="FILE",
                    help="release manifests (or release folders) whose audit head to check too")
    av.set_defaults(fn=cmd_audit_verify)


class _Quiet(logging.Filter):
    """Without --verbose: the log of Prefect and of the flows is not shown (an error
    they log is the one the CLI then prints, once, as its message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(("prefect", "flows", "httpx", "uvicorn.error"))


def _logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        return
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")  # Prefect's own console handler
    for h in logging.getLogger().handlers:
        if not any(isinstance(f, _Quiet) for f in h.filters):
            h.addFilter(_Quiet())


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # run as the program: nothing it starts (Prefect's server, OCR workers) outlives it
        from redaction import lifeline

        lifeline.hold()
    args = build_parser().parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    _logging(verbose)
    try:
        return int(args.fn(args))
    except CleanCopyError as e:
        if verbose:
            logging.getLogger("cleancopy").exception("the error in full")
        print(f"cleancopy: {e.message}", file=sys.stderr)
        return int(e.exit_code)
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if verbose:
            raise
        print(f"cleancopy: an internal error ({type(e).__name__}); run the command again with --verbose to see "
              "where it happened, and report it", file=sys.stderr)
        return int(ExitCode.INTERNAL)


if __name__ == "__main__":
    sys.exit(main())
