"""Family B: a second, independently written family of synthetic case folders.

The dev family (:mod:`redaction.synth.documents`, :mod:`redaction.synth.cast`) is what
detection was developed against. Family B shares only the typesetting that keeps each
word's truth (:mod:`redaction.synth.layout`) and the scanner (:mod:`redaction.synth.scan`);
its people, names, agencies, documents, sentences, tables, fonts and scan settings are
its own (:mod:`.pool`, :mod:`.people`, :mod:`.docs`, :mod:`.paper`). Judge a rule
written against one family on the other.

``generate_case_b(out_dir, seed)`` writes the same layout and truth format as
:func:`redaction.synth.generate.generate_case` (which calls it for ``family="b"``);
its truth says ``"family": "b"``. Case ids are ``SAR-B-<seed>``.
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
from redaction.synth.family_b.casting import draw_case
from redaction.synth.family_b.docs import BUILDERS, NEEDS
from redaction.synth.family_b.people import Agency, People, Person
from redaction.synth.family_b.scribe import Scribe

FAMILY = "b"


def scan_profile(prof: Any) -> Any:
    """Family B's scanners for a profile: other resolutions, tilt, grain and formats."""
    if prof.name == "hard":
        return dataclasses.replace(
            prof,
            n_docs=(5, 8),
            dpis=(150, 200, 300),
            max_angle=1.6,
            blur=(0.4, 1.3),
            speckle=(300, 1800),
            noise=(5, 15),
            jpeg_quality=(30, 60),
            edge_shadow_p=0.6,
            sideways_p=0.25,
            plan=(),
            case_id=None,
        )
    return dataclasses.replace(
        prof,
        n_docs=(4, 7),
        dpis=(150, 200, 240, 300),
        max_angle=1.3,
        blur=(0.1, 1.0),
        speckle=(80, 900),
        noise=(2, 10),
        jpeg_quality=(40, 78),
        edge_shadow_p=0.3,
        sideways_p=0.1,
        plan=(),
        case_id=None,
        formats={"pdf_scan": 0.28, "pdf_scan_ocr": 0.08, "pdf_text": 0.1, "png": 0.12, "jpeg": 0.2, "tiff": 0.22},
    )


def _plan(rng: random.Random, people: People, n: int) -> list[str]:
    authored = ["services_letter", *(k for k, need in NEEDS.items() if people.agency_of(need))]
    def withheld_writer(kind: str) -> bool:
        a = people.agency_of(NEEDS[kind]) if kind in NEEDS else None
        return a is None or a.withheld

    withheld_authored = [k for k in authored if withheld_writer(k)]
    kinds = ["chronology", "core_group"]
    first_authored = rng.choice(withheld_authored or authored)
    kinds.append(first_authored)
    rest = [k for k in ["sen_plan", "diary", "phone_log", *authored] if k not in kinds]
    rng.shuffle(rest)
    kinds += rest[: max(0, n - len(kinds))]
    rng.shuffle(kinds)
    return kinds


def generate_case_b(
    out_dir: Path, seed: int, *, n_docs: int | None = None, profile: Any, overwrite: bool = False
) -> Any:
    prof = scan_profile(profile)
    people, rng = draw_case(seed)
    nrng = np.random.default_rng([seed, 0xB])
    case_id = f"SAR-B-{seed:05d}"
    case_dir, truth_dir = casefiles.fresh_folders(out_dir, case_id, overwrite)

    n = n_docs if n_docs is not None else rng.randint(*prof.n_docs)
    if n < 1:
        raise ValueError("n_docs must be at least 1")
    kinds = _plan(rng, people, n)[:n]
    fmts, weights = zip(*prof.formats.items(), strict=True)
    files: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds, start=1):
        built = BUILDERS[kind](Scribe(people, rng, long=prof.long_docs))
        fmt = rng.choices(fmts, weights)[0]
        doc, pages = built.writer.finish()
        if fmt in ("png", "jpeg") and len(pages) > 1:
            fmt = rng.choice(["pdf_scan", "tiff"])
        name = f"{i:02d}-{built.meta.slug}.{casefiles.EXT[fmt]}"
        data, page_truth = casefiles.render(doc, pages, fmt, prof, rng, nrng, built)
        (case_dir / "files" / name).write_bytes(data)
        files.append(
            {"file": name, "format": fmt, "kind": built.meta.kind, "author": built.meta.author, "pages": page_truth}
        )
        if (built.meta.author and rng.random() < 0.55) or rng.random() < 0.35:
            note: dict[str, Any] = {"file": name, "record_type": built.meta.record_type}
            if built.meta.author:
                note["author"] = built.meta.author
            notes.append(note)
    (case_dir / "case.yaml").write_text(_manifest(people, case_id, prof, rng, notes), encoding="utf-8")
    truth = _truth(people, case_id, seed, profile.name, files)
    truth_path = truth_dir / "truth.json"
    truth_path.write_text(casefiles.dump_truth(truth), encoding="utf-8")
    return casefiles.GeneratedCase(case_dir, truth_path, load_manifest(case_dir), truth)


def _parties(people: People) -> list[Person | Agency]:
    out: list[Person | Agency] = [*people.relatives, *people.agencies]
    return sorted(out, key=lambda x: int((x.pid or "tp-0").split("-")[1]))


def _listed(rng: random.Random, p: float, values: list[str]) -> list[str]:
    return [v for v in values if v and rng.random() < p]


def _manifest(people: People, case_id: str, prof: Any, rng: random.Random, notes: list[dict[str, Any]]) -> str:
    data: dict[str, Any] = {"case_id": case_id, "received": people.received}
    pending = any(x.consent == Consent.PENDING for x in _parties(people))
    if pending and rng.random() < 0.4:
        data["extended_to"] = people.received + dt.timedelta(days=rng.randint(30, 58))
        data["extension_reason"] = "awaiting a reply from a party asked for consent"
    c = people.child
    child: dict[str, Any] = {"name": c.name}
    if c.known_as:
        child["aliases"] = [c.known_as]
    data["child"] = child
    data["requester"] = {"name": people.requester.name, "relationship": people.requester.relation}
    lp = prof.contact_listed_p
    entries = []
    for x in _parties(people):
        e: dict[str, Any] = {"id": x.pid}
        if isinstance(x, Agency):
            e["kind"] = "organisation"
            e["name"] = x.title
            if x.short:
                e["aliases"] = [x.short]
            e["staff"] = [w.name for w in x.workers]
            e["addresses"] = _listed(rng, lp, [x.office.joined])
            e["phones"] = _listed(rng, lp, list(dict.fromkeys([x.switchboard, *(w.mobile or "" for w in x.workers)])))
            e["emails"] = _listed(rng, lp, [x.inbox, *(w.mail or "" for w in x.workers)])
        else:
            e["kind"] = "person"
            e["name"] = x.name
            e["relationship"] = x.relation
            if x.known_as:
                e["aliases"] = [x.known_as]
            e["addresses"] = _listed(rng, lp, [x.home.joined] if x.home else [])
            e["phones"] = _listed(rng, lp, [x.mobile or ""])
            e["emails"] = _listed(rng, lp, [x.mail or ""])
        e = {k: v for k, v in e.items() if v != []}
        e["consent"] = x.consent
        entries.append(e)
    data["third_parties"] = entries
    data["staff"] = [f"{s.title} {s.name}, {s.job}" for s in people.staff]
    if notes:
        data["documents"] = notes
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"# synthetic case, family B (profile {prof.name}); every name is invented\n" + text


def _truth(people: People, case_id: str, seed: int, profile: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    parties = [(x.pid, isinstance(x, Agency), x.title if isinstance(x, Agency) else x.name, x.consent, x.withheld)
               for x in _parties(people)]
    return casefiles.case_truth(FAMILY, case_id, seed, profile, parties, [k.name for k in people.peers], files)
