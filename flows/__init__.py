"""Prefect flows over redaction.pipeline."""

import redaction  # noqa: F401  # first: its offline switches apply before prefect or pymupdf loads
