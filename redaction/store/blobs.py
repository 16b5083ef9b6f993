"""Content-addressed blob store: originals, working PDFs, page images, OCR words and
outputs, each stored once under its sha256. Blobs are never modified in place."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from redaction.errors import StorageError


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store bytes; return their sha256."""
        ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore:
    """Blobs as files ``root/ab/cdef...`` named by their sha256, readable by their owner
    only (files 0600, folders 0700)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise StorageError(f"'{sha256[:16]}' is not a sha256 blob id")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, data: bytes) -> str:
        digest = sha256_bytes(data)
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise StorageError(f"could not write to the local store at {self.root}: {e.strerror}") from e
        return digest

    def get(self, sha256: str) -> bytes:
        path = self._path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StorageError(f"blob {sha256[:12]} is missing from the local store at {self.root}") from None
        if sha256_bytes(data) != sha256:
            raise StorageError(f"blob {sha256[:12]} in the local store is damaged (hash mismatch)")
        return data

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()
