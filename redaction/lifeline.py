"""Nothing outlives the command: every process a ``cleancopy`` command starts (Prefect's
ephemeral server, the OCR pool, tesseract) ends when the command ends, however it ends —
``kill -9`` included, when no handler or ``atexit`` of the command runs.

:func:`hold` (called by the CLI when it runs as a program) puts a token in the command's
environment, which every descendant inherits (Prefect passes its environment on to its
server, the OCR pool and tesseract inherit it), and starts a small watcher process, in a
session of its own (a Ctrl-C or a closed terminal does not stop it first), reading a pipe
whose only writer is the command. When the command ends the pipe closes; the watcher
then ends every process still carrying the token: SIGTERM, and SIGKILL after a grace.
Orphans are found by the token, not by their parent (they are reparented once the
command is gone), and the watcher itself never carries it.

The OCR pool's workers also ask the kernel to kill them if the process that started
them dies (``PR_SET_PDEATHSIG``, :func:`die_with_parent`), which covers runs started by a
Prefect worker rather than the CLI.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

TOKEN_ENV = "CLEANCOPY_LIFELINE"
GRACE_SECONDS = 3.0
_PR_SET_PDEATHSIG = 1


def hold() -> None:
    """Start the watcher for this process (once; Linux only, else nothing)."""
    if os.environ.get(TOKEN_ENV) or not Path("/proc/self/environ").exists():
        return
    token = uuid.uuid4().hex
    read_end, write_end = os.pipe()  # both non-inheritable (PEP 446): only the watcher gets read_end
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    subprocess.Popen([sys.executable, "-m", "redaction.lifeline", token, str(read_end)], env=env,
                     pass_fds=(read_end,), start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    os.close(read_end)
    _KEEP.append(write_end)  # held open (never written) until this process is gone
    os.environ[TOKEN_ENV] = token


_KEEP: list[int] = []


def carriers(token: str) -> list[int]:
    """Processes whose environment holds the token (other than this one)."""
    needle = f"{TOKEN_ENV}={token}".encode()
    me, out = os.getpid(), []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        try:
            env = Path(f"/proc/{d}/environ").read_bytes()
        except OSError:
            continue
        if needle in env.split(b"\0"):
            out.append(int(d))
    return out


def end_all(token: str, grace: float = GRACE_SECONDS) -> int:
    """SIGTERM every carrier of the token, SIGKILL those left after ``grace``; how many there were."""
    found = carriers(token)
    for pid in found:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and carriers(token):
        time.sleep(0.1)
    for pid in carriers(token):
        _signal(pid, signal.SIGKILL)
    return len(found)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux); if the parent
    is already gone, exit now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)


def _watch(token: str, fd: int) -> None:
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            if not os.read(fd, 1):  # end of file: the command is gone
                break
        except InterruptedError:
            continue
        except OSError:
            break
    end_all(token)


if __name__ == "__main__":
    _watch(sys.argv[1], int(sys.argv[2]))
