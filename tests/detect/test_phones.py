"""Phone numbers compare in one national form however they are written."""

from __future__ import annotations

import pytest

from redaction.detect.phones import normalise_phone


@pytest.mark.parametrize("raw", [
    "07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700-900-123", "0044 7700 900 123",
    "(07700) 900123", "+447700900123",
])
def test_phone_numbers_normalise_to_one_form(raw: str) -> None:
    assert normalise_phone(raw) == "07700900123"
