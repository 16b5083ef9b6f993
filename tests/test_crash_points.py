"""Killed at every write (redaction.faults.POINTS), then run again: the same proposals,
no duplicates, a whole release or none, nothing left running, no staging left behind.

Each point: a fresh home; the whole job (import, read, propose, decide, release) in a
process that SIGKILLs itself at the point; then the same job again, unharmed; the
result is compared with a run that was never interrupted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redaction.faults import ENV, POINTS
from redaction.synth import adversarial as adv
from redaction.synth.adversarial.hidden import hidden_layer
from redaction.synth.adversarial.visible import visible_text

pytestmark = pytest.mark.slow

CASE_ID = "SAR-ADV-001"
ROOT = Path(__file__).resolve().parents[1]
JOB = """
import json, sys
from pathlib import Path
from redaction import pipeline, release
from redaction.settings import Settings

def main():
    case_dir, home, out = (Path(a) for a in sys.argv[1:4])
    ctx = pipeline.open_context(Settings(home=home, ocr_workers=1, release_text_layer=False))
    imp = pipeline.import_case(ctx, case_dir)
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    pipeline.propose_case_again(ctx, imp.case_id)
    pipeline.decide(ctx, imp.case_id, "Mrs Allen", accept_all=True)
    release.release_case(ctx, imp.case_id, out)
    rows = [(name, r.page_index, r.reason, r.party_id, r.boxes, r.status)
            for r, name in pipeline.list_proposals(ctx, imp.case_id)]
    print(json.dumps(sorted(rows)))

if __name__ == "__main__":
    main()
"""


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("crash") / "inbox" / CASE_ID
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(adv.CASE_YAML)
    (d / "files" / "01-note.pdf").write_bytes(visible_text())
    (d / "files" / "02-layer.pdf").write_bytes(hidden_layer())
    return d


def _job(case_dir: Path, home: Path, out: Path, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env["PYTHONPATH"] = str(ROOT)
    env["CLEANCOPY_HOME"] = str(home)
    if fault:
        env[ENV] = fault
    return subprocess.run([sys.executable, "-c", JOB, str(case_dir), str(home), str(out)], env=env,
                          capture_output=True, text=True, timeout=600)


def _left_running(home: Path) -> list[int]:
    """Processes still carrying the job's home in their environment."""
    mark = f"CLEANCOPY_HOME={home}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if mark in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _released(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "release-manifest.json"}


@pytest.fixture(scope="module")
def reference(case_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("reference")
    done = _job(case_dir, root / "home", root / "out")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, _released(root / "out")


@pytest.mark.parametrize("point", POINTS)
def test_killed_at_each_write_the_next_run_finishes_as_if_nothing_happened(
        point: str, case_dir: Path, reference: tuple[str, dict[str, bytes]], tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "released" / CASE_ID
    killed = _job(case_dir, home, out, fault=point)
    assert killed.returncode == -9, f"{point} was never reached: {killed.stderr[-1500:]}"
    deadline = time.monotonic() + 15
    while _left_running(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _left_running(home) == []
    assert not out.exists() or (out / "release-manifest.json").exists()  # whole or none
    again = _job(case_dir, home, out)
    assert again.returncode == 0, again.stderr[-2000:]
    proposals, files = reference
    assert again.stdout == proposals  # same proposals, same decisions, no duplicates
    assert _released(out) == files
    assert [p.name for p in out.parent.iterdir()] == [CASE_ID]  # no staging folder left
