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
import logging
import random
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from redaction.case import Consent, load_manifest
from redaction.synth import casefiles
from redaction.synth.casefiles import GeneratedCase, Profile
from redaction.synth.cast import Actor, Cast, Org
from redaction.synth.casting import build_cast
from redaction.synth.documents import BUILDERS
from redaction.synth.documents.context import Ctx
from redaction.synth.documents.letters import agency_letter
from redaction.synth.family_b import generate_case_b
from redaction.synth.family_c import generate_case_c

log = logging.getLogger(__name__)

DEMO_SEED = 20261920
FORMATS = ("pdf_scan", "pdf_scan_ocr", "pdf_text", "png", "jpeg", "tiff")
_ORDER = ["record_form", "observation", "concern_log", "referral", "minutes", "agency_letter", "email"]




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


# dev: this module's documents; b: redaction.synth.family_b and c: redaction.synth.family_c, each written apart
FAMILIES = ("dev", "b", "c")


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
    ``"b"`` or ``"c"`` writes a case of :mod:`redaction.synth.family_b` or
    :mod:`redaction.synth.family_c` instead (same layout and truth format; its truth
    carries ``"family": "b"`` or ``"c"``)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown synth profile {profile!r}: choose one of {', '.join(PROFILES)}")
    if family not in FAMILIES:
        raise ValueError(f"unknown synth family {family!r}: choose one of {', '.join(FAMILIES)}")
    prof = PROFILES[profile]
    if family in ("b", "c"):
        if prof.plan:
            raise ValueError(f"profile {profile!r} is a fixed dev-family plan: family {family} has none")
        make = generate_case_b if family == "b" else generate_case_c
        result: GeneratedCase = make(out_dir, seed, n_docs=n_docs, profile=prof, overwrite=overwrite)
        return result
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    received = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    cast = build_cast(rng, received=received)
    case_id = prof.case_id or f"SAR-SYN-{seed:06d}"

    case_dir, truth_dir = casefiles.fresh_folders(out_dir, case_id, overwrite)

    ctx = Ctx(cast, rng, long=prof.long_docs)
    if prof.plan:  # a fixed plan (the demo): n_docs takes its first files
        plan = list(prof.plan)[: n_docs if n_docs is not None else None]
        if not plan:
            raise ValueError("n_docs must be at least 1")
    else:
        plan = _plan(rng, prof, n_docs, cast)
    files, notes = _write_files(ctx, plan, case_dir / "files", case_id, prof, nrng)
    _keep_both_kinds(files, notes)
    manifest = _manifest(cast, case_id, prof, rng, notes)
    (case_dir / "case.yaml").write_text(manifest, encoding="utf-8")
    truth = _truth(cast, case_id, seed, prof, files)
    truth_path = truth_dir / "truth.json"
    truth_path.write_text(casefiles.dump_truth(truth), encoding="utf-8")
    return GeneratedCase(case_dir, truth_path, load_manifest(case_dir), truth)


def _write_files(ctx: Ctx, plan: list[tuple[str, str]], files_dir: Path, case_id: str, prof: Profile,
                 nrng: np.random.Generator) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Build and write each planned file (its page truth, and a note case.yaml gives of
    it when the office knows something of it), drawing from the case's random streams in
    plan order."""
    rng, cast = ctx.rng, ctx.cast
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
        name = f"{i:02d}-{built.meta.slug}.{casefiles.EXT[fmt]}"
        data, page_truth = casefiles.render(doc, pages, fmt, prof, rng, nrng, built)
        (files_dir / name).write_bytes(data)
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
    return files, notes


def _keep_both_kinds(files: list[dict[str, Any]], notes: list[dict[str, Any]]) -> None:
    """The office knows something of some files, never of all: keep both kinds in every case."""
    if len(files) > 1 and not notes:
        notes.append({"file": files[0]["file"], "record_type": "personal"})
    elif len(files) > 1 and len(notes) == len(files):
        notes.remove(next((n for n in reversed(notes) if "author" not in n), notes[-1]))


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
    if any(p.consent == Consent.PENDING for p in _parties(cast)) and rng.random() < 0.5:
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
    parties = [(p.party_id, isinstance(p, Org), p.name if isinstance(p, Org) else p.full, p.consent, p.withheld)
               for p in _parties(cast)]
    return casefiles.case_truth(None, case_id, seed, prof.name, parties, [o.full for o in cast.others], files)
