"""A release becomes visible whole or not at all, and is never mixed with another."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from redaction.errors import InputError
from redaction.release import publish

FILES = {"01-note.pdf": b"%PDF-1.7 one", "clean-copy.pdf": b"%PDF-1.7 all", "schedule.csv": b"a,b\n"}
ABOUT = {"case_id": "SAR-T-1"}


def test_a_release_appears_with_its_manifest_written_last(tmp_path: Path) -> None:
    where = publish.publish(FILES, tmp_path / "out", ABOUT)
    out = Path(where)
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, publish.MANIFEST])
    manifest = json.loads((out / publish.MANIFEST).read_text())
    assert manifest["case_id"] == "SAR-T-1"
    assert {f["name"] for f in manifest["files"]} == set(FILES)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cleancopy-staging-")]


def test_the_same_release_again_is_a_no_op_and_another_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish.publish(FILES, out, ABOUT)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    publish.publish(FILES, out, {"case_id": "SAR-T-1", "again": True})
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    with pytest.raises(InputError, match="never mixed"):
        publish.publish({**FILES, "01-note.pdf": b"%PDF-1.7 changed"}, out, ABOUT)
    assert (out / "01-note.pdf").read_bytes() == FILES["01-note.pdf"]


def test_a_folder_holding_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    with pytest.raises(InputError, match="already holds"):
        publish.publish(FILES, out, ABOUT)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_an_empty_folder_is_released_into(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    publish.publish(FILES, out, ABOUT)
    assert (out / publish.MANIFEST).exists()


_CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from redaction.release import publish
    real = os.fsync
    def slow(fd):
        real(fd)
        print("synced", flush=True)
        time.sleep(0.3)
    os.fsync = slow
    files = {f"{i:02d}.pdf": bytes(1000) for i in range(20)}
    publish.publish(files, Path(sys.argv[1]), {"case_id": "SAR-T-1"})
""")


@pytest.mark.slow
def test_a_release_killed_while_writing_leaves_nothing_visible_and_is_cleaned_next_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(out)], stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    for _ in range(3):  # three files flushed: the kill lands mid-release
        assert child.stdout.readline().strip() == "synced"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert not out.exists()
    staging = [p for p in tmp_path.iterdir() if p.name.startswith(".cleancopy-staging-")]
    assert len(staging) == 1
    publish.publish(FILES, out, ABOUT)
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, publish.MANIFEST])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cleancopy-staging-")]


def test_a_staging_folder_of_a_live_release_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / f".cleancopy-staging-{os.getpid()}-abc"
    live.mkdir()
    time.sleep(0.01)
    assert publish.clean_staging(tmp_path) == 0
    assert live.exists()
