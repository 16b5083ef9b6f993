#!/usr/bin/env bash
# The tests: sets itself up (venv, pinned packages, tesseract), then lint, types and pytest.
# Extra arguments go to pytest (e.g. ./test.sh -m "not slow").
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests
.venv/bin/ruff check redaction flows infra ner_models tests benchmarks
.venv/bin/mypy redaction flows infra
.venv/bin/python -m pytest -q -rs "$@"  # -rs: every skipped test says why (e.g. no PostgreSQL server)
