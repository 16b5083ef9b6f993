"""OCR results cached by key: engine name, engine config, page-image hash.

The same page image read by the same engine configuration gives the same words, so a
re-run (or the same page in another version of a file) does no OCR.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path

from redaction.ocr.base import PixelWord

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def cache_key(engine_name: str, config_key: str, png_sha256: str) -> str:
    return f"{engine_name}-{config_key}-{png_sha256}"


class MemoryOcrCache:
    """In-memory cache (tests, one-off runs)."""

    def __init__(self) -> None:
        self._d: dict[str, list[PixelWord]] = {}

    def get(self, key: str) -> list[PixelWord] | None:
        words = self._d.get(key)
        return list(words) if words is not None else None

    def put(self, key: str, words: list[PixelWord]) -> None:
        self._d[key] = list(words)


class NoOcrCache:
    """Caches nothing."""

    def get(self, key: str) -> list[PixelWord] | None:
        return None

    def put(self, key: str, words: list[PixelWord]) -> None:
        return None


class DirOcrCache:
    """One JSON file per key under ``root`` (sharded by a hash of the key), written
    atomically (temp file + rename). An unreadable entry counts as a miss."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        h = hashlib.sha256(key.encode("utf-8")).hexdigest()
        safe = _UNSAFE.sub("_", key)[:150]
        return self.root / h[:2] / f"{safe}.json"

    def get(self, key: str) -> list[PixelWord] | None:
        p = self.path_for(key)
        try:
            raw = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as e:
            log.warning("OCR cache entry unreadable (%s): treated as a miss", type(e).__name__)
            return None
        try:
            data = json.loads(raw)
            if data.get("key") != key:
                return None
            return [PixelWord.from_json(w) for w in data["words"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("OCR cache entry %s is damaged: treated as a miss", p.name[:40])
            return None

    def put(self, key: str, words: list[PixelWord]) -> None:
        p = self.path_for(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"key": key, "words": [w.to_json() for w in words]}, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=p.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
