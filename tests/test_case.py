from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redaction.case import Consent, PartyKind, load_manifest, parse_manifest
from redaction.errors import ManifestError

GOOD = """\
case_id: SAR-2026-014
received: 2026-11-02
extended_to: 2026-12-01
extension_reason: "agency reply awaited"
child:
  name: "Amelia Hart"
  aliases: ["Millie"]
requester:
  name: "Claire Hart"
  relationship: mother
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    relationship: "mother's partner"
    aliases: ["Big Dan"]
    addresses: ["14 Elm Road, London N11 2AB"]
    phones: ["07700 900123"]
    emails: ["dan.price@example.com"]
    consent: refused
    consent_evidence: replies/tp-1.pdf
  - id: tp-2
    kind: organisation
    name: "Barnet Family Services"
    staff: ["Sarah Okafor"]
    phones: ["020 7946 0942"]
    consent: pending
staff:
  - "Mrs Joan Allen, Headteacher"
documents:
  - file: 03-health-visitor-report.pdf
    record_type: personal
    author: tp-2
"""


def test_spec_example_parses_into_typed_case() -> None:
    case = parse_manifest(GOOD)
    assert case.case_id == "SAR-2026-014"
    assert case.received == dt.date(2026, 11, 2)
    assert case.deadline == dt.date(2026, 12, 1)
    assert case.child.aliases == ("Millie",)
    tp1, tp2 = case.third_parties
    assert tp1.consent is Consent.REFUSED and tp1.emails == ("dan.price@example.com",)
    assert tp2.kind is PartyKind.ORGANISATION and tp2.staff == ("Sarah Okafor",)
    assert tp2.withheld  # pending is treated as refused
    assert case.staff_names == ("Mrs Joan Allen",)
    note = case.note_for("03-health-visitor-report.pdf")
    assert note is not None and note.author == "tp-2"


def test_deadline_is_14_days_after_receipt_without_extension() -> None:
    case = parse_manifest(GOOD.replace("extended_to: 2026-12-01\n", ""))
    assert case.deadline == dt.date(2026, 11, 16)


def test_unknown_consent_names_line_and_field() -> None:
    with pytest.raises(ManifestError) as e:
        parse_manifest(GOOD.replace("consent: pending", "consent: maybe"), "inbox/x/case.yaml")
    assert e.value.line == 27
    assert e.value.field == "third_parties[2].consent"
    assert "inbox/x/case.yaml" in str(e.value) and "maybe" in str(e.value)


def test_repeated_party_id_is_rejected() -> None:
    with pytest.raises(ManifestError) as e:
        parse_manifest(GOOD.replace("id: tp-2", "id: tp-1"))
    assert e.value.field == "third_parties[2].id" and "twice" in str(e.value)


def test_missing_required_field_is_named() -> None:
    with pytest.raises(ManifestError) as e:
        parse_manifest(GOOD.replace('  name: "Claire Hart"\n', ""))
    assert e.value.field == "requester.name"


def test_yaml_syntax_error_names_line() -> None:
    with pytest.raises(ManifestError) as e:
        parse_manifest(GOOD.replace("child:\n", "child: [\n"))
    assert e.value.line is not None and "not valid YAML" in str(e.value)


def test_bad_case_id_and_date_rejected() -> None:
    with pytest.raises(ManifestError, match="case_id"):
        parse_manifest(GOOD.replace("SAR-2026-014", "SAR 2026/014"))
    with pytest.raises(ManifestError, match="received"):
        parse_manifest(GOOD.replace("received: 2026-11-02", "received: 2nd November"))


def test_author_must_be_a_known_party() -> None:
    with pytest.raises(ManifestError, match="author"):
        parse_manifest(GOOD.replace("author: tp-2", "author: tp-9"))


def test_missing_manifest_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="case.yaml"):
        load_manifest(tmp_path)
