"""An address parted into its street, towns and postcode."""

from __future__ import annotations

from redaction.detect.addresses import parse_address


def test_address_parts_are_parsed() -> None:
    a = parse_address("Flat 2, 14 Elm Road, Palmers Green, London N11 2AB")
    assert a.postcode == "n112ab"
    assert ("London",) in a.towns and ("Palmers", "Green") in a.towns
