"""The whole job through the `cleancopy` CLI and its Prefect flows, judged from outside.

A seeded synthetic case (names rendered, rasterised, degraded like a photocopy) is run,
every proposal accepted, the clean copy released; then the released PDFs are judged
the way a reader would recover text from them: rendered pixels, text layer, embedded
images under each box. Sockets to anything but loopback are blocked throughout.
OCR is cached by page-image hash in tests/resources/ocr-cache (see its README).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pymupdf
import pytest

from redaction import cli
from redaction.errors import ExitCode
from redaction.evaluation.judge import judge_release, must_go
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE, norm, refused_name_tokens, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture
def generated(tmp_path: Path):  # type: ignore[no-untyped-def]
    return generate_case(tmp_path / "inbox", seed=20261128, n_docs=4, profile="demo")


def _cli(*args: str) -> int:
    return cli.main(list(args))


def test_case_folder_in_verified_clean_copy_out(
    generated, tmp_path: Path, prefect_harness: None, no_network: list[str],  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLEANCOPY_OCR_CACHE", str(OCR_CACHE))
    case_dir: Path = generated.case_dir
    case_id = generated.case.case_id
    truth = generated.truth
    # a corrupt scan beside the good ones: held back, the rest goes on
    (case_dir / "files" / "99-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\ngarbage")
    before = snapshot(case_dir)
    home, out = str(tmp_path / "home"), tmp_path / "release"

    assert _cli("run", str(case_dir), "--home", home) == ExitCode.HELD_BACK
    printed = capsys.readouterr().out
    assert "99-broken.pdf" in printed and "held back" in printed

    assert _cli("proposals", case_id, "--home", home, "--json") == 0
    proposals = json.loads(capsys.readouterr().out)
    assert proposals and all(p["status"] == "pending" for p in proposals)
    assert {"id", "document", "page", "box", "party", "reason", "detector", "score", "status"} <= set(proposals[0])

    # release refuses while anything is undecided
    assert _cli("release", case_id, "--out", str(out), "--home", home) == ExitCode.NOT_READY
    assert not out.exists() or not any(out.iterdir())

    assert _cli("reviewer", "add", "Mrs Test", "--role", "head", "--password", "a long password", "--home", home) == 0
    assert _cli("decide", case_id, "--reviewer", "Mrs Test", "--accept-all", "--home", home) == 0
    assert _cli("release", case_id, "--out", str(out), "--home", home) == ExitCode.HELD_BACK
    capsys.readouterr()

    # the inbox is untouched and nothing reached beyond loopback
    assert snapshot(case_dir) == before
    assert no_network == []

    # one PDF per readable source, same pages and page sizes as the source
    for f in truth["files"]:
        src = case_dir / "files" / f["file"]
        released = out / (Path(f["file"]).stem + ".pdf")
        assert released.exists(), f["file"]
        with pymupdf.open(released) as rd:
            assert rd.page_count == len(f["pages"])
            assert not rd.metadata.get("author") and not rd.metadata.get("title")
            assert rd.xref_xml_metadata() == 0
            for page in rd:
                assert not list(page.annots()) and not list(page.widgets())
            if src.suffix.lower() == ".pdf":
                with pymupdf.open(src) as sd:
                    assert [p.rect for p in rd] == [p.rect for p in sd]
    assert (out / "clean-copy.pdf").exists()
    with pymupdf.open(out / "clean-copy.pdf") as bundle:
        assert bundle.page_count == sum(len(f["pages"]) for f in truth["files"])

    verdicts = judge_release(out, truth)
    names = refused_name_tokens(truth)
    refused_names = [v for v in verdicts if v.cls == "refused_ref" and norm(v.text) in names]
    assert refused_names, "the generated case should name a refused person"
    missed = [(v.file, v.page_index) for v in refused_names if not v.redacted]
    assert not missed, f"refused names left readable at {missed}"
    refs = [v for v in verdicts if v.cls == "refused_ref"]
    assert sum(v.redacted for v in refs) / len(refs) >= 0.9
    leaks = [(v.file, v.page_index, v.cls) for v in verdicts if must_go(v) and (v.text_leak or v.image_leak)
             and v.redacted]
    assert not leaks, f"redacted words still recoverable: {leaks}"
    protected = [v for v in verdicts if v.role in ("child_name", "requester_name") and v.cls != "authored_page"]
    assert protected and not [v for v in protected if v.redacted]

    # the schedule names documents, pages, codes and parties, never the words
    schedule = (out / "schedule.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(schedule.splitlines()))
    assert rows and {"document", "page", "reason", "party_id"} <= set(rows[0])
    words = {norm(w) for w in schedule.replace(",", " ").split()}
    assert not (words & names)

    # Prefect holds ids, paths, counts and file names, never the documents' words
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        logs = client.read_logs(limit=200)
        runs = client.read_flow_runs(limit=50)
    prefect_text = " ".join(lg.message for lg in logs) + " " + " ".join(
        f"{r.parameters} {r.state.message if r.state else ''}" for r in runs)
    assert runs
    assert not ({norm(w) for w in prefect_text.replace("/", " ").split()} & names)

    # status says released
    assert _cli("status", case_id, "--home", home) == 0
    assert "released" in capsys.readouterr().out
