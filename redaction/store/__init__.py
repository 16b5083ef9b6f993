"""Storage: the blob store and the review database, opened together from settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from redaction.settings import Settings
from redaction.store.blobs import BlobStore, LocalBlobStore, sha256_bytes
from redaction.store.db import make_engine, make_sessionmaker

__all__ = ["Store", "open_store", "sha256_bytes", "BlobStore", "LocalBlobStore"]


@dataclass
class Store:
    blobs: BlobStore
    sessions: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()


def open_store(settings: Settings) -> Store:
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    return Store(blobs=LocalBlobStore(settings.blob_root), sessions=make_sessionmaker(engine))
