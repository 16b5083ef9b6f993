"""The flows under one session-wide Prefect test harness: the nightly run processes the
inbox's new case and writes the due report, the release writes the verified clean copy,
a broken case fails with a message that quotes nothing — and afterwards no name, address,
phone or email of the case is found anywhere in Prefect's database or storage folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.nightly import nightly
from flows.params import CaseToProcess
from flows.process_case import process_case
from flows.release import release_case
from redaction import pipeline
from redaction.case import load_manifest
from redaction.settings import load_settings
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE
from tests.flows.test_flow_params import BAD_MANIFEST

pytestmark = pytest.mark.slow


def case_strings(case_dir: Path, truth: dict[str, object]) -> set[str]:
    """Every name, alias, address, phone and email of the case, and the words of the
    people's names: what must never reach Prefect."""
    case = load_manifest(case_dir)
    people = [case.child.name, *case.child.aliases, case.requester.name, *case.requester.aliases]
    whole: list[str] = []
    for p in case.third_parties:
        (people if p.kind.value == "person" else whole).append(p.name)
        people += [*p.aliases, *p.staff]
        whole += [*p.addresses, *p.phones, *p.emails]
    people += [s.split(",")[0] for s in case.staff]
    for p in truth["parties"]:  # type: ignore[attr-defined]
        (people if p["kind"] == "person" else whole).append(p["name"])
    people += [c if isinstance(c, str) else c["name"] for c in truth.get("other_children", [])]  # type: ignore[attr-defined]
    out = {s.casefold() for s in people + whole}
    for name in people:
        for word in name.replace("-", " ").split():
            w = word.strip(".,'").casefold()
            if len(w) >= 4 and w not in {"mrs.", "miss"}:
                out.add(w)
    return out


@pytest.fixture
def storage(tmp_path: Path, prefect_harness: None) -> Iterator[Path]:
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings

    folder = tmp_path / "prefect-storage"
    with temporary_settings({PREFECT_LOCAL_STORAGE_PATH: folder}):
        yield folder


_SHORT = 5  # a string this short (an acronym alias, "CCSC") is looked for as a word of its own


def _found(strings: set[str], folders: list[Path], files: list[Path]) -> dict[str, list[str]]:
    """Which of ``strings`` (case-folded) the files hold, and where. A short string is looked
    for only where no letter or digit adjoins it: four letters occur by chance inside the
    random ids and encoded values a database holds ("...XcCsCq..."), while a text that leaked
    prints them as a word."""
    hits: dict[str, list[str]] = {}
    short = {s: re.compile(rf"(?<![a-z0-9]){re.escape(s)}(?![a-z0-9])") for s in strings if len(s) <= _SHORT}
    paths = files + [p for f in folders if f.exists() for p in f.rglob("*") if p.is_file()]
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes().decode("utf-8", "replace").casefold()
        for s in strings:
            if (short[s].search(data) is not None) if s in short else s in data:
                hits.setdefault(s, []).append(path.name)
    return hits


def test_a_short_string_is_found_as_a_word_not_inside_another() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "db"
        f.write_bytes(b"\x00id=9fXcCsCq2\x00")
        assert _found({"ccsc", "9fxc"}, [], [f]) == {}
        f.write_bytes(b"\x00referred to CCSC on Monday\x00")
        assert _found({"ccsc"}, [], [f]) == {"ccsc": ["db"]}


def test_nightly_and_release_leave_no_case_text_in_prefect(
    tmp_path: Path, storage: Path, no_network: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    monkeypatch.setenv("CLEANCOPY_HOME", str(home))  # the flows take the home of the machine running them
    monkeypatch.setenv("CLEANCOPY_INBOX", str(inbox))
    monkeypatch.setenv("CLEANCOPY_OCR_CACHE", str(OCR_CACHE))
    monkeypatch.setenv("CLEANCOPY_OCR_WORKERS", "1")
    gen = generate_case(inbox, seed=20261128, n_docs=4, profile="demo")
    case_id = gen.case.case_id
    strings = case_strings(gen.case_dir, gen.truth)
    assert gen.case.child.name.casefold() in strings and len(strings) > 10

    # a second case whose case.yaml breaks on a line that names someone
    broken = inbox / "SAR-BROKEN-1"
    (broken / "files").mkdir(parents=True)
    child = gen.case.child.name
    (broken / "case.yaml").write_text(BAD_MANIFEST.format(name=child))

    summary = nightly()
    assert summary.processed == (case_id,) and summary.failed == () and summary.invalid == 1
    report = Path(summary.report)
    assert report.parent == home / "reports"
    assert report.read_text().splitlines()[0].startswith("case_id,received,deadline")
    # the generated case was received in 2026 and never released: overdue today
    assert case_id in report.read_text() and summary.overdue == 1

    # run again: nothing new, nothing processed
    assert nightly().processed == ()

    state = process_case(CaseToProcess(case_folder=str(broken)), return_state=True)
    assert state.is_failed()
    # the library's message quotes the bad value (here: the child's name); Prefect's does not
    assert state.message and "case.yaml, line 6" in state.message
    assert child.casefold() not in state.message.casefold()

    ctx = pipeline.open_context(load_settings(home))
    assert pipeline.case_status(ctx, case_id).proposals > 0
    pipeline.decide(ctx, case_id, "Office Reviewer", accept_all=True)
    out = tmp_path / "release"
    outcome = release_case(case_id, out_dir=str(out))
    assert outcome.status == "released" and outcome.decided_by == "cli"
    assert (out / "clean-copy.pdf").exists() and (out / "schedule.csv").exists()
    assert outcome.documents and outcome.held_back == 0
    assert not pipeline.case_status(ctx, case_id).pending and pipeline.case_status(ctx, case_id).released

    # the release's result was persisted (release-case persists to suspend): it is here
    assert any(storage.rglob("*")), "release-case should have written its result to the storage folder"
    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    db = Path(PREFECT_SERVER_DATABASE_CONNECTION_URL.value().split(":///", 1)[1])
    assert db.exists()
    db_files = [db, db.with_name(db.name + "-wal")]
    # the check can fail: the case's words are in cleancopy's own store
    assert _found(strings, [], [home / "cleancopy.db", home / "cleancopy.db-wal"])
    # ... and Prefect's database holds the runs (their ids), but none of the case's words
    assert _found({case_id.casefold(), "sar-broken-1"}, [], db_files)
    assert _found(strings, [storage], db_files) == {}
    assert no_network == []
