"""The commands of the school's procedure: ``letters``, ``consent``, ``hold``, ``unhold``,
``extend``, ``withhold``."""

from __future__ import annotations

import argparse
from pathlib import Path

from redaction.cli.args import known_reviewer, open_ctx, parse_date, usage
from redaction.errors import ExitCode


def cmd_letters(args: argparse.Namespace) -> int:
    from redaction.procedure import letters

    ctx = open_ctx(args)
    if args.mark_sent is not None:
        w = letters.mark_sent(ctx, args.case_id, args.mark_sent, args.by or "cleancopy letters",
                              parse_date(args.on, "--on"))
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

    ctx = open_ctx(args)
    evidence = consents.Evidence.from_file(Path(args.evidence)) if args.evidence else None
    case = pipeline.record_consent(ctx, args.case_id, args.party_id, args.answer, args.by or "cleancopy consent",
                           evidence=evidence, on=parse_date(args.on, "--on"))
    left = consents.pending_parties(case)
    print(f"case {args.case_id}: {args.party_id} {args.answer}; proposals brought up to date; "
          f"state {states.get(ctx, args.case_id).state.value}"
          + (f"; still waiting for {', '.join(left)}" if left else "; every third party has answered"))
    return ExitCode.OK


def cmd_hold(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.hold(open_ctx(args), args.case_id, args.by or "cleancopy hold", args.reason)
    print(f"case {args.case_id} on hold (was {st.held_from.value if st.held_from else '-'}): nothing is released "
          f"until 'cleancopy unhold {args.case_id}'")
    return ExitCode.OK


def cmd_unhold(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.unhold(open_ctx(args), args.case_id, args.by or "cleancopy unhold")
    print(f"case {args.case_id} is {st.state.value} again")
    return ExitCode.OK


def cmd_extend(args: argparse.Namespace) -> int:
    from redaction.procedure import states

    st = states.extend(open_ctx(args), args.case_id, parse_date(args.to, "--to"), args.reason,
                       args.by or "cleancopy extend")
    print(f"case {args.case_id}: deadline now {st.extended_to} ({st.extension_reason})")
    return ExitCode.OK


def cmd_withhold(args: argparse.Namespace) -> int:
    from redaction.procedure import safeguarding

    box = None
    if args.box:
        try:
            x0, y0, x1, y1 = (float(v) for v in args.box.split(","))
        except ValueError:
            raise usage("--box must be x0,y0,x1,y1 in page points (as 'cleancopy proposals' prints them)") from None
        box = (x0, y0, x1, y1)
    elif not args.whole_page:
        raise usage("say what to withhold: --box x0,y0,x1,y1 or --whole-page")
    reason = {"safeguarding": "SG", "reviewer": "RV"}[args.reason]
    known_reviewer(args, "withhold information")
    pid = safeguarding.withhold(open_ctx(args), args.case_id, args.document, args.page - 1, args.reviewer, args.note,
                                box, reason)
    print(f"case {args.case_id}: withheld as proposal {pid} ({reason}); the note stays in the audit log")
    return ExitCode.OK


def add_commands(
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


