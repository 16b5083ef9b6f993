"""Nothing leaves the machine: the switches that keep cleancopy's libraries from phoning home.

Applied by ``redaction/__init__.py``, so it runs before any other module of the package
(and of ``flows`` and ``infra``, which import it first) is imported, in every entry point:
the CLI, the Prefect flows and workers, the review desk, and the OCR worker processes
(spawned processes import ``redaction`` again before they unpickle any work). The
environment variables are inherited by every subprocess (Prefect's ephemeral server,
tesseract, the OCR pool).

What would reach out, and how it is stopped:

- **onnxruntime** (Microsoft's 1DS telemetry, ``mobile.events.data.microsoft.com``, a few
  seconds after it initialises). PyMuPDF 2.0 imports it by itself: ``import pymupdf``
  tries ``pymupdf.layout`` (pymupdf-layout, an ONNX layout model) and ``pymupdf4llm``
  (whose OCR helpers import onnxruntime), each in ``try: ... except ImportError``.
  cleancopy uses neither (no ``get_layout``, ``find_tables`` or Markdown export), so
  both names are set to ``None`` in ``sys.modules``: their import fails, PyMuPDF carries
  on without them, and onnxruntime is never loaded at all (``import pymupdf`` also drops
  from 0.7 s to 0.2 s). Pinning or removing the packages would not do: pymupdf 2.0
  *requires* both, so pip installs them whatever the lock says. In case something else
  loads onnxruntime anyway, ``ORT_DISABLE_TELEMETRY=1`` (read by onnxruntime when it
  initialises) keeps its uploader from being created.
- **Prefect**: SDK analytics (``DO_NOT_TRACK``) and the server's telemetry heartbeat
  (``PREFECT_SERVER_ANALYTICS_ENABLED=false``, inherited by the ephemeral server).
- **tldextract** (via presidio's email recognizer) would fetch the public suffix list:
  :mod:`redaction.detect.presidio_engine` builds its extractor on the bundled snapshot with no
  URLs and no cache.
- **spaCy / Presidio** load the installed model packages only; nothing is downloaded.

These are set, not defaulted: an operator's environment cannot turn telemetry back on.
``tests/test_offline.py`` runs ``run``, ``release`` and the desk under ``strace`` and
fails on any connection that is not loopback, a local socket or the configured
database or S3 endpoint, and on any DNS query.
"""

from __future__ import annotations

import os
import sys

# environment switches, forced in this process and inherited by its children
ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PYMUPDF_SUGGEST_LAYOUT_ANALYZER": "0",  # PyMuPDF would print advice to install the layout package
}

# optional parts of PyMuPDF 2.0 that load onnxruntime; cleancopy uses neither
UNUSED_MODULES = ("pymupdf.layout", "pymupdf4llm")


def apply() -> None:
    """Set the switches (idempotent). Must run before pymupdf or prefect is imported."""
    for name, value in ENVIRONMENT.items():
        os.environ[name] = value
    for name in UNUSED_MODULES:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # "import name" now raises ImportError
