"""Nothing outlives a killed command: its watcher ends every process it started, the OCR
workers die with their parent, and the next run after a ``kill -9`` during OCR proceeds at
once (the dead run's claims taken over) with the same proposals and no duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def processes_with(marker: str) -> dict[int, str]:
    """Live processes whose environment holds ``marker`` (NAME=value): pid -> command line."""
    needle = marker.encode()
    out: dict[int, str] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{d}/environ").read_bytes().split(b"\0")
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in env and state != "Z":
            out[int(d)] = cmd
    return out


def wait_until(pred, timeout: float, step: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def test_a_killed_holder_leaves_no_process_behind(tmp_path: Path) -> None:
    marker = f"LIFELINE_TEST={tmp_path.name}"
    code = (
        "import subprocess, sys, time\n"
        "from redaction import lifeline\n"
        "lifeline.hold()\n"
        "subprocess.Popen(['sleep', '300'])\n"  # a child, and a grandchild in a session of its own
        "subprocess.Popen([sys.executable, '-c', 'import subprocess; subprocess.Popen([\"sleep\", \"301\"]).wait()'],"
        " start_new_session=True)\n"
        "print('ready', flush=True)\n"
        "time.sleep(300)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), LIFELINE_TEST=tmp_path.name)
    env.pop("CLEANCOPY_LIFELINE", None)
    p = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        assert wait_until(lambda: sum("sleep 30" in c for c in processes_with(marker).values()) == 2, 10)
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert wait_until(lambda: not processes_with(marker), 8), processes_with(marker)


def test_an_ocr_worker_dies_with_its_parent(tmp_path: Path) -> None:
    marker = f"LIFELINE_TEST={tmp_path.name}"
    code = (
        "import multiprocessing as mp, os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from redaction.ocr.worker import init_worker\n"
        "if __name__ == '__main__':\n"
        "    ex = ProcessPoolExecutor(1, mp_context=mp.get_context('spawn'), initializer=init_worker,"
        " initargs=(os.getpid(),))\n"
        "    ex.submit(time.sleep, 300)\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(300)\n"
    )
    script = tmp_path / "pool.py"
    script.write_text(code)
    env = dict(os.environ, PYTHONPATH=str(ROOT), LIFELINE_TEST=tmp_path.name)
    env.pop("CLEANCOPY_LIFELINE", None)  # no watcher: the kernel's death signal alone
    p = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        assert wait_until(lambda: any("spawn_main" in c for c in processes_with(marker).values()), 20)
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert wait_until(lambda: not any("spawn_main" in c for c in processes_with(marker).values()), 5), \
        processes_with(marker)


def _has_tesseract_library(pid: int) -> bool:
    try:
        return "libtesseract" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _proposals(home: Path, case_id: str, env: dict[str, str]) -> list[dict[str, object]]:
    p = subprocess.run([sys.executable, "-m", "redaction.cli", "proposals", case_id, "--json", "--home", str(home)],
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return list(json.loads(p.stdout))


def _comparable(rows: list[dict[str, object]]) -> Counter[str]:
    return Counter(json.dumps([r["document"], r["page"], r["reason"], r["party"], r["boxes"], r["status"]])
                   for r in rows)


@pytest.mark.slow  # real OCR, three runs of the case
def test_kill_9_during_ocr_leaves_no_orphan_and_the_next_run_proceeds_at_once(tmp_path: Path) -> None:
    from redaction.synth import generate_case

    gen = generate_case(tmp_path / "inbox", seed=20261128, n_docs=2, profile="demo")
    home = tmp_path / "home"
    marker = f"CLEANCOPY_HOME={home}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env |= {"PYTHONPATH": str(ROOT), "CLEANCOPY_HOME": str(home), "CLEANCOPY_OCR_WORKERS": "2",
            "CLEANCOPY_OCR_CACHE": str(tmp_path / "ocr-cache"), "CLEANCOPY_WORKER_LEASE_SECONDS": "86400"}
    cmd = [sys.executable, "-m", "redaction.cli", "run", str(gen.case_dir)]

    first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # a pool worker is reading: it has tesseract's library loaded (it loads it at its first
        # page), or a tesseract program runs beside the pool's workers (a line read again runs
        # tesseract in the parent before the pool starts: a tesseract alone is not the moment sought)
        def pool_reading() -> bool:
            seen = processes_with(marker)
            workers = [pid for pid, c in seen.items() if "spawn_main" in c]
            return bool(workers) and (any(c.startswith("tesseract") for c in seen.values())
                                      or any(_has_tesseract_library(pid) for pid in workers))

        assert wait_until(pool_reading, 240), "the run never reached the OCR pool"
        assert any("uvicorn" in c for c in processes_with(marker).values())  # Prefect's ephemeral server
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert wait_until(lambda: not processes_with(marker), 8), f"left running: {processes_with(marker)}"

    started = time.monotonic()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    took = time.monotonic() - started
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert took < 600  # the dead run's claims (a lease of a day) did not make it wait
    assert "being worked on by another worker" not in again.stderr
    assert wait_until(lambda: not processes_with(marker), 8), f"left running: {processes_with(marker)}"

    rows = _proposals(home, gen.case.case_id, env)
    assert rows and all(c == 1 for c in _comparable(rows).values())  # no duplicates
    reference_home = tmp_path / "reference"
    ref_env = env | {"CLEANCOPY_HOME": str(reference_home)}  # same OCR cache: a run never interrupted
    ref = subprocess.run(cmd, env=ref_env, capture_output=True, text=True, timeout=900)
    assert ref.returncode == 0, ref.stderr[-2000:]
    assert _comparable(rows) == _comparable(_proposals(reference_home, gen.case.case_id, ref_env))
