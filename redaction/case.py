"""The case manifest (case.yaml) as typed values, parsed with errors that name the
file, the line and the field. Format: ../shared/spec/case-folder.md.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redaction.casefolder import MANIFEST, CaseFolder
from redaction.errors import ManifestError
from redaction.procedure import clocks

CASE_ID_RE = re.compile(r"^[A-Za-z0-9-]+$")


class Consent(enum.StrEnum):
    REFUSED = "refused"
    GRANTED = "granted"
    PENDING = "pending"


class PartyKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class RecordType(enum.StrEnum):
    DEVELOPMENTAL = "developmental"
    PERSONAL = "personal"


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    relationship: str = ""


@dataclass(frozen=True)
class ThirdParty:
    id: str
    kind: PartyKind
    name: str
    consent: Consent
    relationship: str = ""
    aliases: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()
    consent_evidence: str | None = None

    @property
    def withheld(self) -> bool:
        """Refused, or pending (treated as refused until an answer is recorded)."""
        return self.consent in (Consent.REFUSED, Consent.PENDING)


@dataclass(frozen=True)
class DocumentNote:
    file: str
    record_type: RecordType | None = None
    author: str | None = None  # a third party id


@dataclass(frozen=True)
class Case:
    case_id: str
    received: dt.date
    child: Person
    requester: Person
    third_parties: tuple[ThirdParty, ...] = ()
    staff: tuple[str, ...] = ()  # "Mrs Joan Allen, Headteacher"
    documents: tuple[DocumentNote, ...] = ()
    extended_to: dt.date | None = None
    extension_reason: str | None = None
    manifest_sha256: str = field(default="", compare=False)

    @property
    def deadline(self) -> dt.date:
        """The school's deadline: its own 14 days, or the recorded extension."""
        return self.extended_to or clocks.school_due(self.received)

    def party(self, party_id: str) -> ThirdParty | None:
        return next((p for p in self.third_parties if p.id == party_id), None)

    def note_for(self, file_name: str) -> DocumentNote | None:
        return next((d for d in self.documents if d.file == file_name), None)

    @property
    def staff_names(self) -> tuple[str, ...]:
        """Staff entries without their role: "Mrs Joan Allen, Headteacher" -> "Mrs Joan Allen"."""
        return tuple(s.split(",")[0].strip() for s in self.staff)


# --- parsing -------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
    """SafeLoader that remembers the line of every mapping key and sequence item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict | set):  # `? [a, b]` (found by fuzzing)
            raise ManifestError(loader.name, "has a list or mapping where a field name should be",
                                key_node.start_mark.line + 1)
        if key in mapping:
            raise ManifestError(
                loader.name, f"'{key}' is given twice", key_node.start_mark.line + 1, str(key)
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


class _LineDict(dict[str, Any]):
    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date-shaped value that is no date (2026-02-30) stays text, so the field that
    needs a date says so, with its line (found by fuzzing)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError, AttributeError):  # AttributeError: `!!timestamp` on no date at all
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def line(self, m: Any, key: str) -> int | None:
        if isinstance(m, _LineDict):
            return m.lines.get(key, m.line or None)
        return None

    def fail(self, m: Any, key: str, problem: str, path: str) -> ManifestError:
        return ManifestError(self.file, problem, self.line(m, key), path)

    def mapping(self, v: Any, path: str, parent: Any = None, key: str = "") -> _LineDict:
        if not isinstance(v, dict):
            raise self.fail(parent, key, "must be a mapping of fields", path)
        return v  # type: ignore[return-value]

    def text(self, m: Any, key: str, path: str, required: bool = True) -> str | None:
        if key not in m or m[key] is None:
            if required:
                raise ManifestError(
                    self.file, "is required but missing", getattr(m, "line", None), path
                )
            return None
        v = m[key]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(m, key, "must be non-empty text", path)
        return v.strip()

    def texts(self, m: Any, key: str, path: str) -> tuple[str, ...]:
        if key not in m or m[key] is None:
            return ()
        v = m[key]
        if not isinstance(v, list):
            raise self.fail(m, key, "must be a list", path)
        out = []
        for i, item in enumerate(v):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                raise self.fail(m, key, f"item {i + 1} must be non-empty text", path)
            out.append(item.strip())
        return tuple(out)

    def date(self, m: Any, key: str, path: str, required: bool = True) -> dt.date | None:
        if key not in m or m[key] is None:
            if required:
                raise ManifestError(
                    self.file, "is required but missing", getattr(m, "line", None), path
                )
            return None
        v = m[key]
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                pass
        raise self.fail(m, key, "must be a date written YYYY-MM-DD", path)

    def enum(self, m: Any, key: str, path: str, cls: type[enum.Enum], required: bool = True) -> Any:
        raw = self.text(m, key, path, required)
        if raw is None:
            return None
        try:
            return cls(raw.lower())
        except ValueError:
            allowed = " | ".join(e.value for e in cls)
            raise self.fail(m, key, f"'{raw}' is not one of: {allowed}", path) from None


def _load_yaml(text: str, file: str) -> Any:
    """case.yaml's YAML read with line marks; any YAML problem as a :class:`ManifestError`."""
    try:
        loader = _LineLoader(text)
        loader.name = file
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except ManifestError:
        raise
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise ManifestError(file, f"is not valid YAML ({e.problem})", line) from None
    except yaml.YAMLError as e:
        raise ManifestError(file, f"is not valid YAML ({e})") from None
    except (ValueError, TypeError, OverflowError) as e:  # `!!int abc` and the like (found by fuzzing)
        raise ManifestError(file, f"holds a value YAML cannot read ({type(e).__name__}): check the tags (!!...)"
                            ) from None
    except RecursionError:  # [[[[... or {a: {a: ... thousands deep (found by fuzzing)
        raise ManifestError(file, "is nested far too deeply to be a case manifest (lists or mappings inside "
                            "each other hundreds of levels deep)") from None


def _person(r: _Reader, data: dict[str, Any], key: str) -> Person:
    """The child or the requester (``key``), required."""
    m = r.mapping(data.get(key), key, data, key) if key in data else None
    if m is None:
        raise ManifestError(r.file, "is required but missing", None, key)
    name = r.text(m, "name", f"{key}.name")
    assert name is not None
    return Person(
        name=name,
        aliases=r.texts(m, "aliases", f"{key}.aliases"),
        relationship=r.text(m, "relationship", f"{key}.relationship", required=False) or "",
    )


def _third_parties(r: _Reader, data: dict[str, Any]) -> list[ThirdParty]:
    """``third_parties``: a list of parties, each id once."""
    parties: list[ThirdParty] = []
    seen: dict[str, int | None] = {}
    raw_parties = data.get("third_parties") or []
    if not isinstance(raw_parties, list):
        raise r.fail(data, "third_parties", "must be a list", "third_parties")
    for i, raw in enumerate(raw_parties):
        path = f"third_parties[{i + 1}]"
        m = r.mapping(raw, path, data, "third_parties")
        pid = r.text(m, "id", f"{path}.id")
        assert pid is not None
        if pid in seen:
            raise r.fail(m, "id", f"id '{pid}' is used twice (first at line {seen[pid]})", f"{path}.id")
        seen[pid] = r.line(m, "id")
        parties.append(
            ThirdParty(
                id=pid,
                kind=r.enum(m, "kind", f"{path}.kind", PartyKind, required=False) or PartyKind.PERSON,
                name=r.text(m, "name", f"{path}.name") or "",
                consent=r.enum(m, "consent", f"{path}.consent", Consent),
                relationship=r.text(m, "relationship", f"{path}.relationship", required=False) or "",
                aliases=r.texts(m, "aliases", f"{path}.aliases"),
                addresses=r.texts(m, "addresses", f"{path}.addresses"),
                phones=r.texts(m, "phones", f"{path}.phones"),
                emails=r.texts(m, "emails", f"{path}.emails"),
                staff=r.texts(m, "staff", f"{path}.staff"),
                consent_evidence=r.text(m, "consent_evidence", f"{path}.consent_evidence", required=False),
            )
        )
    return parties


def _documents(r: _Reader, data: dict[str, Any], party_ids: set[str]) -> list[DocumentNote]:
    """``documents``: notes on files, each file once, an author the id of a third party."""
    docs: list[DocumentNote] = []
    raw_docs = data.get("documents") or []
    if not isinstance(raw_docs, list):
        raise r.fail(data, "documents", "must be a list", "documents")
    seen_files: set[str] = set()
    for i, raw in enumerate(raw_docs):
        path = f"documents[{i + 1}]"
        m = r.mapping(raw, path, data, "documents")
        fname = r.text(m, "file", f"{path}.file")
        assert fname is not None
        if fname in seen_files:
            raise r.fail(m, "file", f"'{fname}' is listed twice", f"{path}.file")
        seen_files.add(fname)
        author = r.text(m, "author", f"{path}.author", required=False)
        if author is not None and author not in party_ids:
            raise r.fail(m, "author", f"'{author}' is not the id of a third party", f"{path}.author")
        docs.append(
            DocumentNote(
                file=fname,
                record_type=r.enum(m, "record_type", f"{path}.record_type", RecordType, required=False),
                author=author,
            )
        )
    return docs


def parse_manifest(text: str, file: str = "case.yaml") -> Case:
    """Parse case.yaml text. Raises :class:`ManifestError` naming line and field."""
    data = _load_yaml(text, file)
    r = _Reader(file)
    if not isinstance(data, dict):
        raise ManifestError(file, "must be a mapping of fields (case_id, received, child, ...)", 1)
    case_id = r.text(data, "case_id", "case_id")
    assert case_id is not None
    if not CASE_ID_RE.match(case_id):
        raise r.fail(data, "case_id", "may hold only letters, digits and '-'", "case_id")
    received = r.date(data, "received", "received")
    assert received is not None
    child = _person(r, data, "child")
    requester = _person(r, data, "requester")
    parties = _third_parties(r, data)
    docs = _documents(r, data, {p.id for p in parties})
    return Case(
        case_id=case_id,
        received=received,
        extended_to=r.date(data, "extended_to", "extended_to", required=False),
        extension_reason=r.text(data, "extension_reason", "extension_reason", required=False),
        child=child,
        requester=requester,
        third_parties=tuple(parties),
        staff=r.texts(data, "staff", "staff"),
        documents=tuple(docs),
        manifest_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def load_manifest(case_dir: Path) -> Case:
    """The case folder's case.yaml, read as :mod:`redaction.casefolder` reads (never through a link)."""
    with CaseFolder(case_dir) as folder:
        return manifest_from_bytes(folder.manifest_bytes(), str(Path(case_dir) / MANIFEST))


def manifest_from_bytes(data: bytes, file: str) -> Case:
    """case.yaml's bytes parsed; errors name ``file`` (a path, or an S3 address)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError(file, "is not UTF-8 text") from None
    return parse_manifest(text, file)
