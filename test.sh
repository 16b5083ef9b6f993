#!/usr/bin/env bash
# The tests: sets itself up (venv, pinned packages, tesseract), then lint, types and pytest.
# Extra arguments go to pytest (e.g. ./test.sh -m "not slow", or -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests
.venv/bin/ruff check redaction flows infra ner_models tests benchmarks
.venv/bin/mypy redaction flows infra
.venv/bin/mypy --strict redaction
# -n auto: one pytest worker per core (pytest-xdist); -rs: every skipped test says why
.venv/bin/python -m pytest -q -rs -n auto "$@"
