"""One exception hierarchy. Each class says whose problem it is and carries a
message a school office can act on. The CLI turns them into exit codes.

Messages name files, pages, lines and fields; they never quote document text.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    HELD_BACK = 3  # the run finished, but some source files were held back
    BAD_INPUT = 2  # the case folder or a command's arguments are wrong
    MISSING_TOOL = 4  # tesseract or another program is not installed
    STORAGE = 5  # the database or blob store failed
    VERIFICATION_FAILED = 6  # a clean copy still leaks: release refused
    NOT_READY = 7  # e.g. release asked for with proposals still undecided
    INTERNAL = 10


class CleanCopyError(Exception):
    """Base of every error cleancopy raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CleanCopyError):
    """The user's input is wrong: fix the case folder or the command."""

    exit_code = ExitCode.BAD_INPUT


class NotAllowedError(InputError):
    """The reviewer's account (its role) or session does not allow this; the message says
    who can (the review desk answers 403)."""


class ManifestError(InputError):
    """case.yaml is wrong. Names the file, the line and the field."""

    def __init__(self, file: str, problem: str, line: int | None = None, field: str | None = None):
        where = file
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.line = line
        self.field = field


class SourceFileError(InputError):
    """One source file cannot be used; it is held back and the rest goes on."""

    def __init__(self, file_name: str, problem: str, code: str) -> None:
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem
        # short machine code: corrupt, encrypted, empty, too-large, unknown-type; refused unread (casefolder.py):
        # link, special, bad-name, changed
        self.code = code


class MissingToolError(CleanCopyError):
    """A program cleancopy needs is not installed."""

    exit_code = ExitCode.MISSING_TOOL


class OcrError(CleanCopyError):
    """The OCR engine failed on a page."""

    exit_code = ExitCode.INTERNAL


class StorageError(CleanCopyError):
    """The database or the blob store failed or holds something unexpected."""

    exit_code = ExitCode.STORAGE


class NotFoundError(InputError):
    """A case, document or proposal that was asked for does not exist."""


class NotReadyError(CleanCopyError):
    """The case is not in a state that allows this step yet."""

    exit_code = ExitCode.NOT_READY


class VerificationError(CleanCopyError):
    """A clean copy failed verification: release is refused."""

    exit_code = ExitCode.VERIFICATION_FAILED

    def __init__(self, message: str, leaks: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.leaks = leaks


class ConfigError(CleanCopyError):
    """A setting or a detector configuration does not parse: the run stops."""

    exit_code = ExitCode.BAD_INPUT
