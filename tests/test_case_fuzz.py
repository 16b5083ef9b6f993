"""Fuzzing the case.yaml parser (hypothesis): whatever the bytes, parse_manifest and
manifest_from_bytes give a Case or a ManifestError naming the file, never another
exception, never a hang. Inputs: any text and bytes; YAML documents of any shape; a
valid manifest with one field at a time replaced by any YAML value; YAML's own traps
(aliases, tags, deep nesting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from redaction.case import Case, manifest_from_bytes, parse_manifest
from redaction.errors import ManifestError
from tests.fuzz_support import examples, only

pytestmark = pytest.mark.slow  # bounded: a few seconds each (CLEANCOPY_FUZZ_EXAMPLES for longer)

VALID: dict[str, Any] = {
    "case_id": "SAR-F-001",
    "received": dt.date(2026, 11, 2),
    "child": {"name": "Amelia Hart", "aliases": ["Millie"]},
    "requester": {"name": "Claire Hart", "relationship": "mother"},
    "third_parties": [
        {"id": "tp-1", "kind": "person", "name": "Daniel Price", "phones": ["07700 900123"], "consent": "refused"},
        {"id": "tp-2", "kind": "organisation", "name": "Acme Care", "consent": "granted"},
    ],
    "staff": ["Mrs Joan Allen, Headteacher"],
    "documents": [{"file": "01-note.pdf", "record_type": "personal", "author": "tp-1"}],
}
TRAPS = [
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "case_id: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",  # billion laughs
    "case_id: !!python/object/apply:os.system [echo hi]\n",
    "case_id: !!binary aGVsbG8=\nreceived: 2026-11-02\n",
    "[" * 5000 + "]" * 5000,
    "{a: " * 3000 + "1" + "}" * 3000,
    "- " * 5000 + "x",
    "case_id: SAR-1\nreceived: 2026-02-30\n",
    "case_id: SAR-1\nreceived: 99999-01-01\n",
    "case_id: SAR-1\ncase_id: SAR-2\n",
    "? [a, b]\n: c\n",
    "case_id: SAR-1\n? {x: 1}\n: 2\n",
    "\ufeffcase_id: SAR-1\n",
    "%YAML 9.9\n---\na: 1\n",
    "--- 1\n--- 2\n",
    "\x00\x01\x02",
    "case_id: .nan\nreceived: .inf\n",
    "case_id: !!int abc\n",
    "case_id: !!float x\n",
    "case_id: !!timestamp 2026-13-45\n",
    "received: !!timestamp yesterday\n",
    "case_id: SAR-1\nreceived: 2026-11-02\nchild: {name: [a]}\nrequester: {name: b}\n",
]


def _check(result: Case | BaseException, file: str = "case.yaml") -> None:
    if isinstance(result, ManifestError):
        assert result.message.startswith(file), result.message  # names the file
        assert result.file == file
    else:
        assert isinstance(result, Case), type(result)


@settings(max_examples=examples(300))
@given(st.text())
@example(TRAPS[0]).via("billion laughs")
def test_any_text(text: str) -> None:
    _check(only(ManifestError, lambda: parse_manifest(text), seconds=10))


@settings(max_examples=examples(150))
@given(st.binary())
@example(b"\xff\xfe\x00c\x00a").via("UTF-16 bytes")
@example(b"case_id: SAR-1\n\xc3\x28").via("broken UTF-8")
def test_any_bytes(data: bytes) -> None:
    _check(only(ManifestError, lambda: manifest_from_bytes(data, "s3://school/inbox/X/case.yaml"), seconds=10),
           "s3://school/inbox/X/case.yaml")


@pytest.mark.parametrize("text", TRAPS, ids=range(len(TRAPS)))
def test_yaml_traps(text: str) -> None:
    _check(only(ManifestError, lambda: parse_manifest(text), seconds=10))


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.dates(), st.datetimes(), st.sampled_from(["", " ", "refused", "SAR-1", "2026-11-02", "tp-1"]),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4)),
    max_leaves=20)


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@settings(max_examples=examples(200))
@given(_values)
def test_any_yaml_document(doc: Any) -> None:
    text = _dump(doc)
    _check(only(ManifestError, lambda: parse_manifest(text), seconds=10))


def _paths(v: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(v, dict):
        for k, sub in v.items():
            out += _paths(sub, (*prefix, k))
    elif isinstance(v, list):
        for i, sub in enumerate(v):
            out += _paths(sub, (*prefix, i))
    return out


PATHS = _paths(VALID)


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


def test_the_valid_manifest_parses() -> None:
    case = parse_manifest(_dump(VALID))
    assert case.case_id == "SAR-F-001" and len(case.third_parties) == 2 and case.documents[0].author == "tp-1"


@settings(max_examples=examples(400))
@given(st.sampled_from(PATHS), _values, st.booleans())
def test_a_valid_manifest_with_one_field_replaced(path: tuple[Any, ...], value: Any, drop: bool) -> None:
    doc = _replace(VALID, path, value)
    if drop and isinstance(doc, dict) and path and path[0] in doc:
        doc = {k: v for k, v in doc.items() if k != path[0]}
    _check(only(ManifestError, lambda: parse_manifest(_dump(doc)), seconds=10))
