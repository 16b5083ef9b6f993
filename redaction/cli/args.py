"""What every command of ``cleancopy`` shares: where the home is, the context and the
orchestrator it opens, and the usage error (:mod:`redaction.cli`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from redaction.errors import CleanCopyError, ExitCode


def home_of(args: argparse.Namespace) -> Path:
    if args.home:
        return Path(args.home)
    return Path(os.environ.get("CLEANCOPY_HOME") or ".cleancopy")


def orchestrator_of(args: argparse.Namespace) -> Any:
    """What runs the stages (Prefect's flows by default): see redaction.orchestration."""
    from redaction import orchestration
    from redaction.settings import load_settings

    return orchestration.load(load_settings(home_of(args)))


def open_ctx(args: argparse.Namespace) -> Any:
    from redaction import orchestration
    from redaction.settings import load_settings

    return orchestration.open_context(load_settings(home_of(args)))


def place_of(where: str) -> str:
    """A case folder or release folder: an S3 address as given, a local path made absolute."""
    from redaction.store.s3_cases import is_s3_url

    return where.rstrip("/") if is_s3_url(where) else str(Path(where).resolve())


def known_reviewer(args: argparse.Namespace, action: str) -> str:
    """--reviewer must be a reviewer account that may decide: its name as stored."""
    from redaction.review import auth

    args.reviewer = auth.require_reviewer(open_ctx(args), args.reviewer, action).name
    return str(args.reviewer)


def parse_date(text: str | None, what: str) -> Any:
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise usage(f"{what} must be a date like 2026-12-01, not '{text}'") from None


class UsageError(CleanCopyError):
    exit_code = ExitCode.BAD_INPUT


def usage(msg: str) -> UsageError:
    return UsageError(msg)


def progress_reporter() -> Any:
    from redaction.progress import LineProgress, TerminalProgress

    return TerminalProgress(sys.stderr) if sys.stderr.isatty() else LineProgress(sys.stderr)
