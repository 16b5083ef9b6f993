"""OCR test fixtures live in ocr_fixtures.py (importable by the tests for helpers)."""

from __future__ import annotations

from tests.ocr.ocr_fixtures import born_digital, scanned_factory

__all__ = ["born_digital", "scanned_factory"]
