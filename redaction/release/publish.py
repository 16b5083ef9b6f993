"""Make a verified release visible all at once, or not at all.

To a folder: the files are written into a staging folder beside the target, each
flushed to disk, ``release-manifest.json`` (every file's name, size and hash) last,
and the staging folder is then renamed to the target in one step. A reader either
sees no target or a whole release; a crash leaves only a staging folder, removed at
the next release into the same parent once the process that made it is gone. A
target that already holds a release is never mixed with another: the same release
again (same files, same bytes) is a no-op, anything else is refused.

To S3 (``s3://bucket/prefix``): every object is written once, the manifest last
(store/s3_cases.py).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from redaction import faults
from redaction.errors import InputError, StorageError
from redaction.store import s3_cases, sha256_bytes

log = logging.getLogger(__name__)

MANIFEST = "release-manifest.json"
_STAGING = ".cleancopy-staging-"


def manifest_bytes(files: Mapping[str, bytes], about: Mapping[str, Any]) -> bytes:
    body = {**about, "files": [{"name": n, "sha256": sha256_bytes(d), "bytes": len(d)}
                               for n, d in sorted(files.items())]}
    return json.dumps(body, indent=2, sort_keys=True).encode("utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_staging(parent: Path) -> int:
    """Remove staging folders left in ``parent`` by releases whose process is gone."""
    removed = 0
    if not parent.is_dir():
        return 0
    for entry in parent.iterdir():
        if not entry.name.startswith(_STAGING) or not entry.is_dir() or entry.is_symlink():
            continue
        pid_text = entry.name[len(_STAGING):].split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    if removed:
        log.info("removed %d unfinished release folder(s)", removed)
    return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_release(target: Path, files: Mapping[str, bytes]) -> bool:
    try:
        listed = json.loads((target / MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    want = {n: sha256_bytes(d) for n, d in files.items()}
    return {f["name"]: f["sha256"] for f in listed} == want


def _write_folder(files: Mapping[str, bytes], manifest: bytes, target: Path) -> str:
    target = target.absolute()
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_staging(parent)
    if target.exists() or target.is_symlink():
        if _same_release(target, files):
            log.info("release already in place, unchanged")
            return str(target.resolve())
        if target.is_symlink() or not target.is_dir() or any(target.iterdir()):
            raise InputError(
                f"{target} already holds other files (an earlier release?): a release is never mixed with "
                "another; release to a new folder (for example add the date)")
        target.rmdir()
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=parent))
    try:
        for i, (name, data) in enumerate([*files.items(), (MANIFEST, manifest)]):
            if name == MANIFEST:
                faults.point("publish.before-manifest")
            with open(staging / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if i == 0:
                faults.point("publish.writing")
        _fsync_dir(staging)
        faults.point("publish.before-rename")
        try:
            os.rename(staging, target)
        except OSError as e:
            raise StorageError(f"{target} could not be written: {e.strerror}; nothing was released") from e
        faults.point("publish.renamed")
        _fsync_dir(parent)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return str(target.resolve())


def publish(files: Mapping[str, bytes], out_dir: Path | str, about: Mapping[str, Any]) -> str:
    """Write ``files`` and the release manifest to ``out_dir`` (a folder or an S3
    address), all or nothing. Returns where they went."""
    if s3_cases.is_s3_url(out_dir):
        url = str(out_dir).rstrip("/")
        s3_cases.publish_release(files, url, manifest=manifest_bytes(files, about))
        return url
    return _write_folder(files, manifest_bytes(files, about), Path(out_dir))
