"""The desk's commands (``review``, ``server``, ``reviewer add`` / ``assign``) and ``audit
verify``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from redaction.cli.args import home_of, open_ctx, orchestrator_of, usage
from redaction.errors import ExitCode


def cmd_review(args: argparse.Namespace) -> int:
    from redaction.review.app import secure_cookies_for, serve

    ctx = open_ctx(args)
    # with a Prefect server configured, a sign-off resumes the release run waiting for it
    release_runs = orchestrator_of(args).release_runs()
    print(f"review desk on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    if secure_cookies_for(ctx, args.host):
        print("its cookies are Secure: browsers send them over HTTPS only, so serve it behind a TLS proxy "
              "(CLEANCOPY_REVIEW_SECURE_COOKIES=false turns this off)", flush=True)
    serve(ctx, host=args.host, port=args.port, release_runs=release_runs)
    return ExitCode.OK


def cmd_server(args: argparse.Namespace) -> int:
    print(f"local Prefect server for {home_of(args)} on http://127.0.0.1:{args.port}/ (Ctrl-C to stop); "
          "'cleancopy run' and 'release' with this home use it while it runs", flush=True)
    return int(orchestrator_of(args).serve(args.port))


def cmd_reviewer_add(args: argparse.Namespace) -> int:
    import getpass

    from redaction.review import auth

    password = args.password
    if password is None:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise usage("the two passwords differ: nothing was saved")
    rv = auth.add_reviewer(open_ctx(args), args.name, args.role, password)
    print(f"reviewer {rv.name} saved ({rv.role}{', can sign off' if rv.can_sign_off else ', cannot sign off'})")
    return ExitCode.OK


def cmd_reviewer_assign(args: argparse.Namespace) -> int:
    from redaction.review import auth

    rv = auth.assign(open_ctx(args), args.name, args.case_id, remove=args.remove)
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
            raise usage(f"{path}: not a readable release manifest ({type(e).__name__})") from None
        if not isinstance(data, dict) or "audit_head" not in data:
            raise usage(f"{path}: has no audit_head (a release manifest written before the audit log was keyed?)")
        h = audit.AuditHead.from_dict(data["audit_head"])
        if h.case_id != case_id:
            raise usage(f"{path}: is the manifest of case {h.case_id}, not {case_id}")
        heads.append((str(path), h))
    return heads


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from redaction import pipeline
    from redaction.review import audit

    ctx = open_ctx(args)
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


def add_commands(
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


def add_audit_commands(
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


