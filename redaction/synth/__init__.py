"""Seeded generator of realistic synthetic case folders with per-word truth.

``generate_case(out_dir, seed)`` writes a case folder (case.yaml + files/) and, beside
it, ``<case_id>.truth/truth.json``. See :mod:`redaction.synth.generate`.
"""

from __future__ import annotations

from redaction.synth.casefiles import GeneratedCase
from redaction.synth.generate import DEMO_SEED, FAMILIES, PROFILES, generate_case

__all__ = ["DEMO_SEED", "FAMILIES", "PROFILES", "GeneratedCase", "generate_case"]
