"""A synthetic case as written to disk, shared by both document families: the scanner
profile, the files rendered from their pages (scans, images, born-digital PDFs) with
each page's truth, and truth.json (see :mod:`redaction.synth.generate` for the formats)."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from redaction.case import Case
from redaction.synth import scan
from redaction.synth.documents.context import Built
from redaction.synth.layout import TruthWord

TRUTH_FORMAT = "cleancopy-synth-truth/1"
EXT = {"pdf_scan": "pdf", "pdf_scan_ocr": "pdf", "pdf_text": "pdf", "png": "png", "jpeg": "jpg", "tiff": "tif"}


@dataclass(frozen=True)
class Profile:
    name: str
    n_docs: tuple[int, int] = (4, 6)
    dpis: tuple[int, ...] = (150, 200, 200, 240, 300)
    max_angle: float = 1.0
    blur: tuple[float, float] = (0.0, 0.9)
    speckle: tuple[int, int] = (50, 600)
    noise: tuple[int, int] = (0, 8)
    jpeg_quality: tuple[int, int] = (45, 80)
    edge_shadow_p: float = 0.2
    sideways_p: float = 0.08  # a scanned PDF page or JPEG stored turned, shown upright by /Rotate or EXIF
    formats: dict[str, float] = field(
        default_factory=lambda: {
            "pdf_scan": 0.32,
            "pdf_scan_ocr": 0.1,
            "pdf_text": 0.13,
            "png": 0.15,
            "jpeg": 0.15,
            "tiff": 0.15,
        }
    )
    contact_listed_p: float = 1.0  # chance each contact detail is written in the manifest
    doc_note_p: float = 0.5  # chance a file gets a documents: entry
    long_docs: bool = False  # fuller documents: more log entries, minute items, paragraphs
    case_id: str | None = None
    plan: tuple[tuple[str, str], ...] = ()  # fixed (kind, format) list, for the demo


@dataclass
class GeneratedCase:
    case_dir: Path
    truth_path: Path
    case: Case
    truth: dict[str, Any]


def fresh_folders(out_dir: Path, case_id: str, overwrite: bool) -> tuple[Path, Path]:
    """The case folder (with its files/) and the truth folder beside it, empty."""
    case_dir = Path(out_dir) / case_id
    truth_dir = Path(out_dir) / f"{case_id}.truth"
    for d in (case_dir, truth_dir):
        if d.exists() and any(d.iterdir()):
            if not overwrite:
                raise FileExistsError(f"{d} exists and is not empty (pass overwrite=True to replace it)")
            shutil.rmtree(d)
    (case_dir / "files").mkdir(parents=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    return case_dir, truth_dir


def render(
    doc: Any,
    pages: list[list[TruthWord]],
    fmt: str,
    prof: Profile,
    rng: random.Random,
    nrng: np.random.Generator,
    built: Built,
) -> tuple[bytes, list[dict[str, Any]]]:
    own = built.meta.authored if built.meta.authored is not None else built.meta.kind in ("agency_letter", "email")
    authored = {
        "authored": built.meta.author is not None and own,
        "author_party": built.meta.author,
    }
    if fmt == "pdf_text":
        out = []
        for i, words in enumerate(pages):
            out.append(page_truth(i, 595.0, 842.0, None, 0.0, 0, [(w, w.box) for w in words], authored))
        return scan.pdf_bytes(doc), out

    dpi = rng.choice(prof.dpis)
    quality = rng.randint(*prof.jpeg_quality)
    images = []
    rotations = []
    out = []
    for i, words in enumerate(pages):
        img, rotation, truth = _scan_page(doc[i], i, words, fmt, prof, rng, nrng, dpi, quality, authored)
        images.append(img)
        rotations.append(rotation)
        out.append(truth)
    return _scanned_file(images, rotations, out, fmt, quality, dpi, rng), out


def _scan_page(page: Any, i: int, words: list[TruthWord], fmt: str, prof: Profile, rng: random.Random,
               nrng: np.random.Generator, dpi: int, quality: int,
               authored: dict[str, Any]) -> tuple[Any, int, dict[str, Any]]:
    """One page scanned: turned, shifted, degraded, maybe stored sideways; its image, its
    stored rotation and its truth (boxes in the displayed page's points)."""
    angle = round(rng.uniform(-prof.max_angle, prof.max_angle), 3)
    shift = (rng.uniform(-6, 6), rng.uniform(-6, 6))
    img, boxes_px = scan.rasterise_turned(page, dpi, [w.box for w in words], angle, shift)
    d = scan.Degradation(
        blur=round(rng.uniform(*prof.blur), 2),
        speckle=rng.randint(*prof.speckle),
        noise=rng.randint(*prof.noise) if fmt in ("pdf_scan", "pdf_scan_ocr", "jpeg") else 0,
        ink=rng.randint(10, 60),
        paper=rng.randint(238, 252),
        jpeg_quality=quality,
        edge_shadow=rng.random() < prof.edge_shadow_p,
    )
    img, boxes = scan.degrade(img, boxes_px, d, nrng)
    upright = img.size
    rotation = 0
    if fmt in ("pdf_scan", "pdf_scan_ocr", "jpeg") and prof.sideways_p and rng.random() < prof.sideways_p:
        img, _ = scan.store_sideways(img, boxes)  # the truth stays in the upright (displayed) page
        rotation = 90
    if fmt.startswith("pdf_scan"):
        pw, ph = 595.0, 842.0
        kx, ky = pw / upright[0], ph / upright[1]
    else:
        kx = ky = 72.0 / stored_dpi(fmt, dpi)
        pw, ph = upright[0] * kx, upright[1] * ky
    pts = [(b[0] * kx, b[1] * ky, b[2] * kx, b[3] * ky) for b in boxes]
    truth = page_truth(i, pw, ph, stored_dpi(fmt, dpi), angle, rotation, list(zip(words, pts, strict=True)), authored)
    return img, rotation, truth


def _scanned_file(images: list[Any], rotations: list[int], out: list[dict[str, Any]], fmt: str, quality: int,
                  dpi: int, rng: random.Random) -> bytes:
    """The scanned pages as the file format asks (a scanned PDF with or without its OCR
    layer, a JPEG, a PNG or a TIFF)."""
    if fmt.startswith("pdf_scan"):
        layers = None
        if fmt == "pdf_scan_ocr":
            layers = [
                [(w["text"], (w["box"][0], w["box"][1], w["box"][2], w["box"][3])) for w in page["words"]]
                for page in out
            ]
        return scan.scanned_pdf_bytes(images, quality, dpi, rotations, layers)
    if fmt == "jpeg":
        return scan.jpeg_bytes(images[0], quality, dpi, exif_rotate=rotations[0])
    if fmt == "png":
        return scan.png_bytes(images[0], dpi)
    return scan.tiff_bytes(images, dpi, bilevel=dpi >= 200 and rng.random() < 0.5)


def stored_dpi(fmt: str, dpi: int) -> float:
    """The dpi a reader gets back from the file: PNG stores pixels per metre, rounded."""
    if fmt == "png":
        return round(round(dpi / 0.0254) * 0.0254, 6)
    return float(dpi)


def page_truth(
    index: int,
    width: float,
    height: float,
    dpi: float | None,
    angle: float,
    rotation: int,
    words: list[tuple[TruthWord, tuple[float, float, float, float]]],
    authored: dict[str, Any],
) -> dict[str, Any]:
    return {
        "index": index,
        "width": round(width, 3),
        "height": round(height, 3),
        "dpi": dpi,
        "rotation": rotation,
        "skew_deg": angle,
        "page": dict(authored),
        "words": [
            {
                "text": w.text,
                "box": [round(v, 2) for v in box],
                "class": w.tag.cls,
                "party_id": w.tag.party_id,
                "role": w.tag.role,
            }
            for w, box in words
        ],
    }


PartyTruth = tuple[str | None, bool, str, str, bool]  # id, an organisation?, name, consent, withheld


def case_truth(family: str | None, case_id: str, seed: int, profile: str, parties: list[PartyTruth],
               other_children: list[str], files: list[dict[str, Any]]) -> dict[str, Any]:
    """A case's truth as the evaluation's judge reads it (``family`` None: the dev family,
    whose truth names none)."""
    return {
        "format": TRUTH_FORMAT,
        **({"family": family} if family is not None else {}),
        "case_id": case_id,
        "seed": seed,
        "profile": profile,
        "coordinates": "PDF points of the working page, origin top-left, y down; box = [x0, y0, x1, y1]",
        "parties": [
            {"id": pid, "kind": "organisation" if org else "person", "name": name, "consent": consent,
             "withheld": withheld}
            for pid, org, name, consent, withheld in parties
        ],
        "other_children": other_children,
        "files": files,
    }


def dump_truth(truth: dict[str, Any]) -> str:
    """JSON with one word per line: diffable, and small enough to commit for the demo."""
    head = {k: v for k, v in truth.items() if k != "files"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append(' "files": [')
    for fi, f in enumerate(truth["files"]):
        fhead = {k: v for k, v in f.items() if k != "pages"}
        lines.append("  {" + json.dumps(fhead, ensure_ascii=False)[1:-1] + ', "pages": [')
        for pi, p in enumerate(f["pages"]):
            phead = {k: v for k, v in p.items() if k != "words"}
            lines.append("   {" + json.dumps(phead, ensure_ascii=False)[1:-1] + ', "words": [')
            for wi, w in enumerate(p["words"]):
                sep = "," if wi < len(p["words"]) - 1 else ""
                lines.append("    " + json.dumps(w, ensure_ascii=False) + sep)
            lines.append("   ]}" + ("," if pi < len(f["pages"]) - 1 else ""))
        lines.append("  ]}" + ("," if fi < len(truth["files"]) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"
