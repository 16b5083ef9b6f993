"""Secrets kept outside the database, and files only their owner may read.

A :class:`KeyFile` is a random key in a file of its own (mode 0600, in a folder of mode
0700), created on first use: by default under cleancopy's home, or wherever a setting
points (a secret store's mounted file, a path on another disk). Two processes creating
it at the same moment end with one key: each writes a private temporary file and links
it into place; the one that loses reads the winner's key.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import threading
from pathlib import Path

from redaction.errors import StorageError

log = logging.getLogger(__name__)

AUDIT_KEY_INFO = "audit_key"
"""Where the store puts the audit log's :class:`KeyFile` in every Session's ``info``."""
MIN_KEY_BYTES = 32
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by its owner only; an existing
    folder keeps its mode."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist, and take read and write
    away from group and others if it does (a database file, before it is opened)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_IMODE(mode) & 0o077:
            os.fchmod(fd, stat.S_IMODE(mode) & 0o700)
    finally:
        os.close(fd)


class KeyFile:
    """A secret key in a file, read once per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def read(self) -> bytes | None:
        """The key, or None when the file does not exist."""
        with self._lock:
            if self._key is None:
                self._key = self._read()
            return self._key

    def _read(self) -> bytes | None:
        try:
            data = self.path.read_bytes().strip()
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StorageError(f"the key file {self.path} cannot be read: {e.strerror}") from e
        if len(data) < MIN_KEY_BYTES:
            raise StorageError(f"the key file {self.path} holds {len(data)} bytes; a key needs at least "
                               f"{MIN_KEY_BYTES}: restore the file (never replace it with a new key)")
        if mode & 0o077:
            log.warning("the key file %s can be read by other accounts (mode %o): chmod 600 it", self.path, mode)
        return data

    def create(self) -> bytes:
        """Write a new random key (64 hex digits) unless one appeared meanwhile; returns the key."""
        with self._lock:
            private_dir(self.path.parent)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
            try:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
                try:
                    os.link(tmp, self.path)
                    log.info("created the key file %s", self.path)
                except FileExistsError:
                    pass  # another process made it first: theirs is the key
            except OSError as e:
                raise StorageError(f"the key file {self.path} cannot be written: {e.strerror}") from e
            finally:
                tmp.unlink(missing_ok=True)
            self._key = self._read()
            assert self._key is not None
            return self._key
