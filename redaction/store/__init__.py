"""Storage: the blob store and the review database, opened together from settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from redaction.errors import StorageError
from redaction.settings import Settings
from redaction.store.blobs import BlobStore, LocalBlobStore, sha256_bytes
from redaction.store.db import make_engine, make_sessionmaker
from redaction.store.keys import AUDIT_KEY_INFO, KeyFile, private_dir
from redaction.store.s3 import S3BlobStore

__all__ = ["Store", "open_store", "open_blob_store", "sha256_bytes", "BlobStore", "LocalBlobStore"]


@dataclass
class Store:
    blobs: BlobStore
    sessions: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()


def open_store(settings: Settings) -> Store:
    """The blob store and the database. Home is made readable by its owner only (0700),
    and so is a SQLite database file (0600, its -wal and -shm files follow it). Every
    session carries the audit key's file in ``info`` (redaction.review.audit)."""
    private_dir(settings.home)
    engine = make_engine(settings.db_url)
    info = {AUDIT_KEY_INFO: KeyFile(settings.audit_key_path)}
    return Store(blobs=open_blob_store(settings), sessions=make_sessionmaker(engine, info))


def open_blob_store(settings: Settings) -> BlobStore:
    """The S3 store when CLEANCOPY_STORE is an s3:// URL; the folder it names otherwise
    (a folder several machines share, for instance); else blobs/ in home."""
    if settings.store and settings.store.startswith("s3://"):
        return S3BlobStore(settings.store)
    if settings.store and "://" in settings.store:
        raise StorageError(f"CLEANCOPY_STORE '{settings.store}' is neither an s3://bucket/prefix URL nor a folder")
    return LocalBlobStore(Path(settings.store) if settings.store else settings.blob_root)
