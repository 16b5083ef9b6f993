"""Seeded synthetic case folders with per-word truth.

``generate_case(out_dir, seed)`` writes::

    out_dir/<case_id>/case.yaml             the manifest (../shared/spec/case-folder.md)
    out_dir/<case_id>/files/NN-<slug>.<ext> the source files (formats below)
    out_dir/<case_id>.truth/truth.json      the truth, kept OUT of the case folder

File formats (``"format"`` in the truth): ``pdf_scan`` (image-only PDF, one A4 page per
scan), ``pdf_scan_ocr`` (the same with a scanner's invisible text layer), ``pdf_text``
(born-digital, real text), ``png``, ``jpeg`` (single page) and ``tiff`` (multi-page,
grey or bilevel G4). Images carry their dpi in their metadata.

Truth (``truth.json``): per file its name, format, kind and author; per page::

    {"index": 0, "width": 595.0, "height": 842.0, "dpi": 200.0, "rotation": 0,
     "skew_deg": 0.31, "page": {"authored": false, "author_party": null},
     "words": [{"text": "Price,", "box": [x0, y0, x1, y1], "class": "refused_ref",
                "party_id": "tp-1", "role": null}, ...]}

Coordinates are those of the page as *displayed* (upright), in PDF points, origin
top-left, x right, y down; ``box`` is ``[x0, y0, x1, y1]``. For the usual ``rotation: 0``
page that is exactly PyMuPDF's page coordinate system of the working PDF page the
pipeline makes from the file (``redaction.models.Box``), and ``width``/``height`` are its
CropBox: A4 for PDFs; for images pixels * 72 / the dpi the file states, which is what
``redaction.ingest`` computes (PNG's dpi is its pixels-per-metre read back, e.g.
199.9996). A sideways scan (``rotation: 90``: the image is stored turned and shown
upright by the page's /Rotate or the JPEG's EXIF orientation) keeps its truth in the
upright page; map a box to unrotated page coordinates with
``pymupdf.Rect(box) * page.derotation_matrix`` (as ``redaction.evaluation.judge`` does).
``dpi`` is null for born-digital pages. See :mod:`redaction.synth.scan` for how boxes
follow the scan's skew and shift.

Classes: ``refused_ref`` (any reference to a refused or pending third party: name forms,
alias, their agency's name and staff, contact details), ``other_child``,
``relationship_ref`` ("mum's partner", "Nan" pointing at a refused or pending person)
and ``keep`` (everything else). Kept names of the child, requester and staff carry
``role`` child_name / requester_name / staff_name; mentions of a granted party keep
their ``party_id``; other children have ``party_id`` null. A page written by a third
party (its letter, its worker's e-mail) has ``authored: true`` and ``author_party``,
whatever that party's consent.

The same seed and profile give byte-identical case.yaml, truth.json and files.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from redaction.case import Case, load_manifest
from redaction.synth import scan
from redaction.synth.cast import Actor, Cast, Org, build_cast
from redaction.synth.documents import BUILDERS, Built, Ctx, agency_letter
from redaction.synth.layout import TruthWord

log = logging.getLogger(__name__)

TRUTH_FORMAT = "cleancopy-synth-truth/1"
DEMO_SEED = 20261920
FORMATS = ("pdf_scan", "pdf_scan_ocr", "pdf_text", "png", "jpeg", "tiff")
_EXT = {"pdf_scan": "pdf", "pdf_scan_ocr": "pdf", "pdf_text": "pdf", "png": "png", "jpeg": "jpg", "tiff": "tif"}
_ORDER = ["record_form", "observation", "concern_log", "referral", "minutes", "agency_letter", "email"]


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


PROFILES: dict[str, Profile] = {
    "default": Profile("default"),
    "demo": Profile(
        "demo",
        dpis=(200,),
        max_angle=0.6,
        blur=(0.0, 0.4),
        speckle=(30, 120),
        noise=(0, 0),
        jpeg_quality=(70, 75),
        edge_shadow_p=0.0,
        sideways_p=0.0,
        doc_note_p=0.6,
        case_id="SAR-DEMO-001",
        long_docs=True,
        plan=(
            ("record_form", "pdf_scan"),
            ("observation", "png"),
            ("concern_log", "tiff"),
            ("minutes", "pdf_scan"),
            ("agency_letter", "jpeg"),
            ("email", "pdf_text"),
        ),
    ),
    "hard": Profile(
        "hard",
        n_docs=(5, 8),
        dpis=(150, 200, 300),
        max_angle=1.0,
        blur=(0.5, 1.2),
        speckle=(400, 1500),
        noise=(6, 14),
        jpeg_quality=(35, 60),
        edge_shadow_p=0.5,
        sideways_p=0.3,
        contact_listed_p=0.7,
        doc_note_p=0.3,
    ),
}


@dataclass
class GeneratedCase:
    case_dir: Path
    truth_path: Path
    case: Case
    truth: dict[str, Any]


FAMILIES = ("dev", "b")  # dev: this module's documents; b: redaction.synth.family_b, written apart


def generate_case(
    out_dir: Path,
    seed: int,
    *,
    n_docs: int | None = None,
    profile: str = "default",
    overwrite: bool = False,
    family: str = "dev",
) -> GeneratedCase:
    """Write one synthetic case folder and its truth (see module docstring). ``family``
    ``"b"`` writes a case of :mod:`redaction.synth.family_b` instead (same layout and
    truth format; its truth carries ``"family": "b"``)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown synth profile {profile!r}: choose one of {', '.join(PROFILES)}")
    if family not in FAMILIES:
        raise ValueError(f"unknown synth family {family!r}: choose one of {', '.join(FAMILIES)}")
    prof = PROFILES[profile]
    if family == "b":
        if prof.plan:
            raise ValueError(f"profile {profile!r} is a fixed dev-family plan: family b has none")
        from redaction.synth.family_b import generate_case_b

        result: GeneratedCase = generate_case_b(out_dir, seed, n_docs=n_docs, profile=prof, overwrite=overwrite)
        return result
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    received = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    cast = build_cast(rng, received=received)
    case_id = prof.case_id or f"SAR-SYN-{seed:06d}"

    case_dir = Path(out_dir) / case_id
    truth_dir = Path(out_dir) / f"{case_id}.truth"
    for d in (case_dir, truth_dir):
        if d.exists() and any(d.iterdir()):
            if not overwrite:
                raise FileExistsError(f"{d} exists and is not empty (pass overwrite=True to replace it)")
            shutil.rmtree(d)
    (case_dir / "files").mkdir(parents=True)
    truth_dir.mkdir(parents=True, exist_ok=True)

    ctx = Ctx(cast, rng, long=prof.long_docs)
    if prof.plan:  # a fixed plan (the demo): n_docs takes its first files
        plan = list(prof.plan)[: n_docs if n_docs is not None else None]
        if not plan:
            raise ValueError("n_docs must be at least 1")
    else:
        plan = _plan(rng, prof, n_docs, cast)
    files: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    letters = 0
    for i, (kind, fmt) in enumerate(plan, start=1):
        if kind == "agency_letter":
            built = agency_letter(ctx, cast.orgs[letters % len(cast.orgs)] if letters else ctx.o)
            letters += 1
        else:
            built = BUILDERS[kind](ctx)
        doc, pages = built.writer.finish()
        if fmt in ("png", "jpeg") and len(pages) > 1:
            fmt = "pdf_scan"
        name = f"{i:02d}-{built.meta.slug}.{_EXT[fmt]}"
        data, page_truth = _render(doc, pages, fmt, prof, rng, nrng, built)
        (case_dir / "files" / name).write_bytes(data)
        files.append(
            {
                "file": name,
                "format": fmt,
                "kind": built.meta.kind,
                "author": built.meta.author,
                "pages": page_truth,
            }
        )
        if built.meta.author and rng.random() < max(prof.doc_note_p, 0.6) or rng.random() < prof.doc_note_p:
            note: dict[str, Any] = {"file": name, "record_type": built.meta.record_type}
            if built.meta.author:
                note["author"] = built.meta.author
            notes.append(note)
        log.debug("synth %s: file %d: %d pages", case_id, i, len(pages))

    # the office knows something of some files, never of all: keep both kinds in every case
    if len(files) > 1 and not notes:
        notes.append({"file": files[0]["file"], "record_type": "personal"})
    elif len(files) > 1 and len(notes) == len(files):
        notes.remove(next((n for n in reversed(notes) if "author" not in n), notes[-1]))
    manifest = _manifest(cast, case_id, prof, rng, notes)
    (case_dir / "case.yaml").write_text(manifest, encoding="utf-8")
    truth = _truth(cast, case_id, seed, prof, files)
    truth_path = truth_dir / "truth.json"
    truth_path.write_text(_dump_truth(truth), encoding="utf-8")
    return GeneratedCase(case_dir, truth_path, load_manifest(case_dir), truth)


# --- planning ----------------------------------------------------------------------------


def _plan(rng: random.Random, prof: Profile, n_docs: int | None, cast: Cast) -> list[tuple[str, str]]:
    n = n_docs if n_docs is not None else rng.randint(*prof.n_docs)
    if n < 1:
        raise ValueError("n_docs must be at least 1")
    must = ["agency_letter", "concern_log"]
    rest = [k for k in _ORDER if k not in must]
    rng.shuffle(rest)
    kinds = (must + rest)[:n]
    while len(kinds) < n:  # more files than kinds: repeat letters and logs
        kinds.append(rng.choice(["agency_letter", "concern_log", "email", "observation"]))
    kinds.sort(key=_ORDER.index)
    fmts, weights = zip(*prof.formats.items(), strict=True)
    return [(k, rng.choices(fmts, weights)[0]) for k in kinds]


# --- rendering -----------------------------------------------------------------------------


def _render(
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
            out.append(_page_truth(i, 595.0, 842.0, None, 0.0, 0, [(w, w.box) for w in words], authored))
        return scan.pdf_bytes(doc), out

    dpi = rng.choice(prof.dpis)
    quality = rng.randint(*prof.jpeg_quality)
    images = []
    rotations = []
    out = []
    for i, words in enumerate(pages):
        angle = round(rng.uniform(-prof.max_angle, prof.max_angle), 3)
        shift = (rng.uniform(-6, 6), rng.uniform(-6, 6))
        img, boxes_px = scan.rasterise_turned(doc[i], dpi, [w.box for w in words], angle, shift)
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
        images.append(img)
        rotations.append(rotation)
        if fmt.startswith("pdf_scan"):
            pw, ph = 595.0, 842.0
            kx, ky = pw / upright[0], ph / upright[1]
        else:
            kx = ky = 72.0 / _stored_dpi(fmt, dpi)
            pw, ph = upright[0] * kx, upright[1] * ky
        pts = [(b[0] * kx, b[1] * ky, b[2] * kx, b[3] * ky) for b in boxes]
        out.append(
            _page_truth(i, pw, ph, _stored_dpi(fmt, dpi), angle, rotation, list(zip(words, pts, strict=True)), authored)
        )
    if fmt.startswith("pdf_scan"):
        layers = None
        if fmt == "pdf_scan_ocr":
            layers = [
                [(w["text"], (w["box"][0], w["box"][1], w["box"][2], w["box"][3])) for w in page["words"]]
                for page in out
            ]
        data = scan.scanned_pdf_bytes(images, quality, dpi, rotations, layers)
    elif fmt == "jpeg":
        data = scan.jpeg_bytes(images[0], quality, dpi, exif_rotate=rotations[0])
    elif fmt == "png":
        data = scan.png_bytes(images[0], dpi)
    else:
        data = scan.tiff_bytes(images, dpi, bilevel=dpi >= 200 and rng.random() < 0.5)
    return data, out


def _stored_dpi(fmt: str, dpi: int) -> float:
    """The dpi a reader gets back from the file: PNG stores pixels per metre, rounded."""
    if fmt == "png":
        return round(round(dpi / 0.0254) * 0.0254, 6)
    return float(dpi)


def _page_truth(
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


# --- manifest and truth ----------------------------------------------------------------------


def _listed(rng: random.Random, prof: Profile, values: list[str]) -> list[str]:
    out = [v for v in values if rng.random() < prof.contact_listed_p]
    return out


def _party_entry(p: Actor | Org, rng: random.Random, prof: Profile) -> dict[str, Any]:
    e: dict[str, Any] = {"id": p.party_id}
    if isinstance(p, Org):
        e["kind"] = "organisation"
        e["name"] = p.name
        if p.short:
            e["aliases"] = [p.short]
        e["staff"] = [s.full for s in p.staff]
        e["addresses"] = _listed(rng, prof, [p.address.one_line])
        e["phones"] = _listed(rng, prof, list(dict.fromkeys([p.phone, *(s.phone for s in p.staff if s.phone)])))
        e["emails"] = _listed(rng, prof, [p.email, *(s.email for s in p.staff if s.email)])
    else:
        e["kind"] = "person"
        e["name"] = p.full
        e["relationship"] = p.relationship
        if p.alias:
            e["aliases"] = [p.alias]
        if p.address:
            e["addresses"] = _listed(rng, prof, [p.address.one_line])
        if p.phone:
            e["phones"] = _listed(rng, prof, [p.phone])
        if p.email:
            e["emails"] = _listed(rng, prof, [p.email])
    e = {k: v for k, v in e.items() if v != []}
    e["consent"] = p.consent
    return e


def _manifest(cast: Cast, case_id: str, prof: Profile, rng: random.Random, notes: list[dict[str, Any]]) -> str:
    data: dict[str, Any] = {"case_id": case_id, "received": cast.received}
    if any(p.consent == "pending" for p in _parties(cast)) and rng.random() < 0.5:
        data["extended_to"] = cast.received + dt.timedelta(days=rng.randint(28, 60))
        data["extension_reason"] = "reply from a third party awaited"
    child: dict[str, Any] = {"name": cast.child.full}
    if cast.child.alias:
        child["aliases"] = [cast.child.alias]
    data["child"] = child
    data["requester"] = {"name": cast.requester.full, "relationship": cast.requester.relationship}
    parties = _parties(cast)
    data["third_parties"] = [_party_entry(p, rng, prof) for p in parties]
    data["staff"] = [f"{s.title} {s.full}, {s.role}" for s in cast.staff]
    if notes:
        data["documents"] = notes
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"# synthetic case made by redaction.synth (profile {prof.name}); every name is invented\n" + text


def _parties(cast: Cast) -> list[Actor | Org]:
    out: list[Actor | Org] = [*cast.persons, *cast.orgs]
    return sorted(out, key=lambda p: int((p.party_id or "tp-0").split("-")[1]))


def _truth(cast: Cast, case_id: str, seed: int, prof: Profile, files: list[dict[str, Any]]) -> dict[str, Any]:
    parties = _parties(cast)
    return {
        "format": TRUTH_FORMAT,
        "case_id": case_id,
        "seed": seed,
        "profile": prof.name,
        "coordinates": "PDF points of the working page, origin top-left, y down; box = [x0, y0, x1, y1]",
        "parties": [
            {
                "id": p.party_id,
                "kind": "organisation" if isinstance(p, Org) else "person",
                "name": p.name if isinstance(p, Org) else p.full,
                "consent": p.consent,
                "withheld": p.withheld,
            }
            for p in parties
        ],
        "other_children": [o.full for o in cast.others],
        "files": files,
    }


def _dump_truth(truth: dict[str, Any]) -> str:
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
