"""Key files and private files: one key however many processes create it at once,
never a short one, and the database, the blob store and home readable by their owner only."""

from __future__ import annotations

import multiprocessing as mp
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from redaction import pipeline
from redaction.errors import StorageError
from redaction.settings import Settings
from redaction.store.keys import KeyFile


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _create(path: str, q: mp.Queue[bytes]) -> None:
    q.put(KeyFile(Path(path)).create())


def test_processes_creating_the_key_at_once_end_with_one_key(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "audit.key"
    ctx = mp.get_context("fork")
    q: mp.Queue[bytes] = ctx.Queue()
    procs = [ctx.Process(target=_create, args=(str(path), q)) for _ in range(4)]
    for p in procs:
        p.start()
    keys = {q.get(timeout=30) for _ in procs}
    for p in procs:
        p.join(timeout=30)
    assert len(keys) == 1 and keys == {path.read_bytes().strip()}
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert [f.name for f in path.parent.iterdir()] == ["audit.key"]  # no temporary file left


def test_a_short_or_unreadable_key_is_refused(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("too short")
    with pytest.raises(StorageError, match="at least 32"):
        KeyFile(short).read()
    assert KeyFile(tmp_path / "absent.key").read() is None


def test_home_database_and_blob_store_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ctx = pipeline.open_context(Settings(home=home, ocr_engine="null"))
    sha = ctx.store.blobs.put(b"a child's file")
    with ctx.store.session() as s, s.begin():  # a write: SQLite makes its -wal and -shm files
        s.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
    assert _mode(home) == 0o700
    db_files = sorted(home.glob("cleancopy.db*"))
    assert {f.name for f in db_files} >= {"cleancopy.db", "cleancopy.db-wal"}
    assert {f.name: _mode(f) for f in db_files} == {f.name: 0o600 for f in db_files}
    blob = ctx.settings.blob_root / sha[:2] / sha[2:]
    assert _mode(blob) == 0o600 and _mode(blob.parent) == 0o700 and _mode(ctx.settings.blob_root) == 0o700


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "cleancopy.db"
    db.touch(mode=0o644)
    db.chmod(0o644)
    pipeline.open_context(Settings(home=home, ocr_engine="null"))
    assert _mode(db) == 0o600
