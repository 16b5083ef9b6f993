"""The ``cleancopy`` command. One handler at this edge turns errors into exit codes.

``run`` and ``release`` go through the orchestrator of the settings (redaction.orchestration:
by default the Prefect flows of ``flows/``, in Prefect's ephemeral mode when no server is
configured); the other commands read and write the store directly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from redaction.cli import cases, desk, procedure
from redaction.errors import CleanCopyError, ExitCode


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleancopy", description=__doc__.splitlines()[0] if __doc__ else None)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", help="folder holding the database and store "
                        "(default: $CLEANCOPY_HOME, else ./.cleancopy)")
    common.add_argument("-v", "--verbose", action="store_true",
                        help="show Prefect's and cleancopy's log, and the traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)
    cases.add_commands(sub, common)
    desk.add_commands(sub, common)
    procedure.add_commands(sub, common)
    desk.add_audit_commands(sub, common)
    return p


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
