from __future__ import annotations

from pathlib import Path

import pytest

from redaction.errors import StorageError
from redaction.store.blobs import LocalBlobStore, sha256_bytes


def test_blobs_are_content_addressed_and_stored_once(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    a = store.put(b"original scan bytes")
    assert a == sha256_bytes(b"original scan bytes")
    assert store.put(b"original scan bytes") == a
    assert store.get(a) == b"original scan bytes"
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_damaged_blob_is_refused(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    a = store.put(b"abc")
    (tmp_path / a[:2] / a[2:]).write_bytes(b"abd")
    with pytest.raises(StorageError, match="damaged"):
        store.get(a)


def test_missing_blob_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="missing"):
        LocalBlobStore(tmp_path).get("0" * 64)
