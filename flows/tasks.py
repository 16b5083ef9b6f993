"""Thin Prefect tasks over the library: each calls one library function and passes
ids, counts, file names and hashes — never document text. Results are not persisted
(persist_result=False) and not cached by Prefect (the library caches OCR).

A failing step raises :class:`StepFailed`, whose message is made here from the
library error's class, exit code and the ids involved (and, for errors designed to be
shown, their message): Prefect stores failure messages and pickles exceptions, so the
original error — which for a broken case.yaml may quote its lines — never reaches it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from sqlalchemy.exc import OperationalError

from flows.params import ProcessOptions
from redaction import inbox, orchestration, pipeline, release, signoff
from redaction.errors import CleanCopyError, ExitCode, ManifestError
from redaction.settings import load_settings

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# I/O steps retry with backoff (a busy database, a network share); CPU steps do not
IO_RETRIES = 2
IO_RETRY_DELAYS: list[float] = [2.0, 10.0]


def _storage_fault(task: object, task_run: object, state: State[object]) -> bool:
    """Retry only a storage fault (database or store busy or unreachable); a wrong case
    folder or an undecided proposal will not mend itself."""
    data = state.data
    exc = data if isinstance(data, BaseException) else None
    if exc is None:
        try:
            state.result(raise_on_failure=True)
        except BaseException as e:  # noqa: BLE001
            exc = e
    return isinstance(exc, CleanCopyError) and exc.exit_code == ExitCode.STORAGE


class StepFailed(CleanCopyError):
    """A flow step failed. Its message names ids, files and codes only."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.INTERNAL) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[type, tuple[str, ExitCode]]:
        return (type(self), (self.message, self.exit_code))


def safe_message(e: BaseException) -> str:
    """What Prefect may keep of an error: never a quotation from a case."""
    if isinstance(e, ManifestError):
        where = Path(e.file).name if e.file else "case.yaml"
        if e.line is not None:
            where += f", line {e.line}"
        if e.field:
            where += f", field '{e.field}'"
        return f"{where} is not valid: run 'cleancopy run CASE_FOLDER' on the server to see why"
    if isinstance(e, CleanCopyError):
        return e.message  # library messages name files, pages and fields, never document text
    if isinstance(e, OSError | OperationalError):
        return f"{type(e).__name__}: the database or a folder could not be reached (see the cleancopy log)"
    return f"{type(e).__name__} (an internal error: see the cleancopy log on the server)"


def guarded(step: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except StepFailed:
                raise
            except Exception as e:  # noqa: BLE001 - every error is translated
                log.error("%s failed: %s", step, type(e).__name__, exc_info=False)
                if isinstance(e, CleanCopyError):
                    code = e.exit_code
                elif isinstance(e, OSError | OperationalError):
                    code = ExitCode.STORAGE
                else:
                    code = ExitCode.INTERNAL
                raise StepFailed(f"{step}: {safe_message(e)}", code) from None

        return inner

    return wrap


def context(options: ProcessOptions | None = None) -> pipeline.Context:
    """The library's context, from the settings of the machine running the flow
    (CLEANCOPY_HOME and the other CLEANCOPY_* variables of the serving process or worker)."""
    settings = load_settings()
    if options is not None:
        update = options.overrides()
        if update:
            settings = settings.model_copy(update=update)
    return orchestration.open_context(settings)


@task(name="find-case-folder", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("find-case-folder")
def find_case_folder(case_id: str) -> str:
    return inbox.find_case_folder(context(), case_id)


@task(name="import-case", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("import-case")
def import_case(case_dir: str) -> pipeline.ImportResult:
    return pipeline.import_case(context(), case_dir)  # a folder or an s3:// address


@task(name="read-and-propose", persist_result=False, cache_policy=NO_CACHE)
@guarded("read-and-propose")
def read_and_propose(document_ids: list[int],
                     options: ProcessOptions | None = None) -> orchestration.ReadAndProposed:
    return orchestration.read_and_propose(context(options), document_ids)


@task(name="propose-case-again", persist_result=False, cache_policy=NO_CACHE)
@guarded("propose-case-again")
def propose_case_again(case_id: str) -> list[pipeline.ProposeResult]:
    return pipeline.propose_case_again(context(), case_id)


@task(name="scan-inbox", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("scan-inbox")
def scan_inbox() -> list[inbox.InboxEntry]:
    return inbox.scan_inbox(context())


@task(name="write-due-report", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("write-due-report")
def write_due_report(today: dt.date, within_days: int) -> tuple[str, int, int]:
    """Returns the report's path and how many cases are overdue and due soon."""
    path, rows = inbox.write_due_report(context(), today, within_days)
    return str(path), sum(r.status == "overdue" for r in rows), sum(r.status == "due-soon" for r in rows)


@task(name="case-status", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("case-status")
def case_status(case_id: str) -> pipeline.CaseStatus:
    return pipeline.case_status(context(), case_id)


@task(name="standing-sign-off", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("standing-sign-off")
def standing_sign_off(case_id: str) -> signoff.SignOff | None:
    return signoff.standing_sign_off(context(), case_id)


@task(name="sign-off-problem", persist_result=False, cache_policy=NO_CACHE,
      retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS,
      retry_condition_fn=_storage_fault)
@guarded("sign-off-problem")
def sign_off_problem(case_id: str, reviewer: str, approved: bool, comment: str) -> str | None:
    """Why the decision cannot be recorded now (case ids and counts), or None."""
    return signoff.sign_off_problem(context(), case_id, reviewer, approved, comment)


@task(name="record-sign-off", persist_result=False, cache_policy=NO_CACHE)
@guarded("record-sign-off")
def record_sign_off(case_id: str, reviewer: str, approved: bool, comment: str) -> int:
    return signoff.record_sign_off(context(), case_id, reviewer, approved, comment).seq


@task(name="release-case", persist_result=False, cache_policy=NO_CACHE)
@guarded("release-case")
def release_case(case_id: str, out_dir: str, actor: str, run_ref: str) -> release.ReleaseResult:
    ctx = context()
    res = release.release_case(ctx, case_id, out_dir, actor=actor)
    signoff.record_released(ctx, case_id, actor, res.bundle_sha256, len(res.documents), run_ref)
    return res


@task(name="document-ids", persist_result=False, cache_policy=NO_CACHE)
@guarded("document-ids")
def document_ids(case_id: str) -> dict[str, int]:
    return {d.file_name: d.id for d in pipeline.current_documents(context(), case_id)}


def releases_dir(case_id: str) -> str:
    return str((load_settings().home / "releases" / case_id).resolve())
