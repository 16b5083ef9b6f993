"""Detection and redaction figures on the synthetic dev set, beside "Presidio as shipped".

    .venv/bin/python benchmarks/evaluate.py --cases 30 --seed 1000 --out DEV_DIR

A thin wrapper over ``python -m redaction.evaluation`` (same options; see there).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redaction.evaluation.__main__ import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
