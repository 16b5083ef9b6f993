"""Deployments, schedules, server and worker commands."""

import redaction  # noqa: F401  # first: its offline switches apply before prefect or pymupdf loads
