"""Family C: a third family of synthetic case folders, written apart from detection.

Neither the dev family (:mod:`redaction.synth.documents`) nor family B
(:mod:`redaction.synth.family_b`) nor detection was read to write it; it shares with them
only the typesetting that keeps each word's truth (:mod:`redaction.synth.layout`), the
scanner and the case writer (:mod:`redaction.synth.scan`, :mod:`redaction.synth.casefiles`).
Its people and name pools (:mod:`.pool`, :mod:`.people`), documents (:mod:`.docs`), page
furniture (:mod:`.paper`) and scanners (:func:`scan_profile`) are its own.

``generate_case_c(out_dir, seed)`` writes the layout and truth format of
:func:`redaction.synth.generate.generate_case` (which calls it for ``family="c"``); its
truth says ``"family": "c"``. Case ids are ``SAR-C-<seed>``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from redaction.case import Consent, load_manifest
from redaction.synth import casefiles
from redaction.synth.casefiles import GeneratedCase, Profile
from redaction.synth.family_c.casting import cast_case
from redaction.synth.family_c.docs import BUILDERS
from redaction.synth.family_c.pen import Pen
from redaction.synth.family_c.people import Agency, CaseCast, Person

FAMILY = "c"


def scan_profile(prof: Profile) -> Profile:
    """Family C's scanners for a profile: a copier at 180 or 220 dpi, a phone-photo JPEG
    at 250, more tilt than the others, fewer born-digital files."""
    hard = prof.name == "hard"
    return dataclasses.replace(
        prof,
        n_docs=(5, 7) if hard else (4, 6),
        dpis=(180, 220, 250, 300) if not hard else (150, 180, 220),
        max_angle=2.0 if hard else 1.6,
        blur=(0.3, 1.4) if hard else (0.0, 1.1),
        speckle=(200, 1400) if hard else (40, 700),
        noise=(4, 14) if hard else (1, 9),
        jpeg_quality=(32, 58) if hard else (42, 82),
        edge_shadow_p=0.5 if hard else 0.25,
        sideways_p=0.2 if hard else 0.12,
        formats={"pdf_scan": 0.3, "pdf_scan_ocr": 0.12, "pdf_text": 0.08, "png": 0.1, "jpeg": 0.22, "tiff": 0.18},
        plan=(),
        case_id=None,
    )


def _plan(rng: random.Random, cast: CaseCast, n: int) -> list[str]:
    withheld_writers = ["agency_letter"]
    for kind, agency in (("police_notice", "police"), ("nurse_record", "school_nursing")):
        a = cast.agency(agency)
        if a is not None and a.withheld:
            withheld_writers.append(kind)
    kinds = ["cp_conference", rng.choice(withheld_writers), rng.choice(["diary", "hand_note"])]
    rest = [k for k in BUILDERS if k not in kinds]
    rng.shuffle(rest)
    kinds += rest[: max(0, n - len(kinds))]
    rng.shuffle(kinds)
    return kinds[:n]


def generate_case_c(
    out_dir: Path, seed: int, *, n_docs: int | None = None, profile: Profile, overwrite: bool = False
) -> GeneratedCase:
    prof = scan_profile(profile)
    rng = random.Random(f"cleancopy-synth-family-c/{seed}")
    nrng = np.random.default_rng([seed, 0xC])
    received = dt.date(2026, 1, 12) + dt.timedelta(days=rng.randint(0, 290))
    cast = cast_case(rng, received)
    case_id = f"SAR-C-{seed:05d}"
    case_dir, truth_dir = casefiles.fresh_folders(out_dir, case_id, overwrite)
    n = n_docs if n_docs is not None else rng.randint(*prof.n_docs)
    if n < 1:
        raise ValueError("n_docs must be at least 1")
    fmts, weights = zip(*prof.formats.items(), strict=True)
    files: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for i, kind in enumerate(_plan(rng, cast, n), start=1):
        built = BUILDERS[kind](Pen(cast, rng, long=prof.long_docs))
        doc, pages = built.writer.finish()
        fmt = rng.choices(fmts, weights)[0]
        if kind in ("diary", "hand_note") and fmt == "pdf_text":
            fmt = "jpeg"  # handwriting is never born digital
        if fmt in ("png", "jpeg") and len(pages) > 1:
            fmt = rng.choice(["pdf_scan", "tiff"])
        name = f"{i:02d}-{built.meta.slug}.{casefiles.EXT[fmt]}"
        data, page_truth = casefiles.render(doc, pages, fmt, prof, rng, nrng, built)
        (case_dir / "files" / name).write_bytes(data)
        files.append(
            {"file": name, "format": fmt, "kind": built.meta.kind, "author": built.meta.author, "pages": page_truth}
        )
        if (built.meta.author and rng.random() < 0.5) or rng.random() < 0.3:
            note: dict[str, Any] = {"file": name, "record_type": built.meta.record_type}
            if built.meta.author:
                note["author"] = built.meta.author
            notes.append(note)
    (case_dir / "case.yaml").write_text(_manifest(cast, case_id, prof, rng, notes), encoding="utf-8")
    truth = _truth(cast, case_id, seed, profile.name, files)
    truth_path = truth_dir / "truth.json"
    truth_path.write_text(casefiles.dump_truth(truth), encoding="utf-8")
    return GeneratedCase(case_dir, truth_path, load_manifest(case_dir), truth)


def _listed(rng: random.Random, p: float, values: list[str | None]) -> list[str]:
    return [v for v in values if v and rng.random() < p]


def _entry(x: Person | Agency, rng: random.Random, lp: float) -> dict[str, Any]:
    e: dict[str, Any] = {"id": x.pid}
    if isinstance(x, Agency):
        e["kind"] = "organisation"
        e["name"] = x.title
        e["aliases"] = [x.short]
        e["staff"] = [w.full for w in x.workers]
        e["addresses"] = _listed(rng, lp, [x.office.one_line])
        e["phones"] = _listed(rng, lp, list(dict.fromkeys([x.phone, *(w.phone for w in x.workers)])))
        e["emails"] = _listed(rng, lp, [x.inbox, *(w.email for w in x.workers)])
    else:
        e["kind"] = "person"
        e["name"] = x.full
        e["relationship"] = x.relation
        if x.nickname:
            e["aliases"] = [x.nickname]
        e["addresses"] = _listed(rng, lp, [x.address.one_line if x.address else None])
        e["phones"] = _listed(rng, lp, [x.phone])
        e["emails"] = _listed(rng, lp, [x.email])
    e = {k: v for k, v in e.items() if v != []}
    e["consent"] = x.consent
    return e


def _manifest(cast: CaseCast, case_id: str, prof: Profile, rng: random.Random, notes: list[dict[str, Any]]) -> str:
    data: dict[str, Any] = {"case_id": case_id, "received": cast.received}
    if any(x.consent == Consent.PENDING for x in cast.parties()) and rng.random() < 0.5:
        data["extended_to"] = cast.received + dt.timedelta(days=rng.randint(29, 61))
        data["extension_reason"] = "a third party has not yet replied"
    child: dict[str, Any] = {"name": cast.child.full}
    if cast.child.nickname:
        child["aliases"] = [cast.child.nickname]
    data["child"] = child
    data["requester"] = {"name": cast.requester.full, "relationship": cast.requester.relation}
    data["third_parties"] = [_entry(x, rng, prof.contact_listed_p) for x in cast.parties()]
    data["staff"] = [f"{s.title} {s.full}, {s.job}" for s in cast.staff]
    if notes:
        data["documents"] = notes
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"# synthetic case, family C (profile {prof.name}); every name is invented\n" + text


def _truth(cast: CaseCast, case_id: str, seed: int, profile: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    parties = [(x.pid, isinstance(x, Agency), x.title if isinstance(x, Agency) else x.full, x.consent, x.withheld)
               for x in cast.parties()]
    return casefiles.case_truth(FAMILY, case_id, seed, profile, parties, [k.full for k in cast.peers], files)
