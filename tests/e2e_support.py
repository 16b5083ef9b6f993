"""Helpers shared by the end-to-end tests: folder snapshots and outside checks."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).parent / "resources"
OCR_CACHE = RESOURCES / "ocr-cache"


def snapshot(folder: Path) -> dict[str, tuple[str, float]]:
    """Every file under ``folder``: its hash and modification time."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if c.isalnum() and not unicodedata.combining(c))


def refused_name_tokens(truth: dict[str, Any]) -> set[str]:
    """Normalised name words (given names, surnames) of withheld person parties."""
    out: set[str] = set()
    for p in truth["parties"]:
        if p.get("withheld") and p.get("kind") == "person":
            for part in p["name"].replace("-", " ").split():
                if len(norm(part)) >= 3:
                    out.add(norm(part))
    return out


def kept_name_tokens(truth: dict[str, Any]) -> set[str]:
    """Normalised name words of the parties who stay (consented): a word one of them
    shares with a withheld party ("Popa" for the grandmother and the father) may be read."""
    out: set[str] = set()
    for p in truth["parties"]:
        if not p.get("withheld") and p.get("kind") == "person":
            out |= {norm(part) for part in p["name"].replace("-", " ").split() if len(norm(part)) >= 3}
    return out
