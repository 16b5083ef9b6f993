"""A local Prefect server that ``cleancopy run`` and ``release`` reuse while it runs.

``cleancopy server`` runs one in the foreground, listening on loopback, its database under
cleancopy's home (``HOME/prefect``, so a later start skips the migrations), and writes its
address to ``HOME/prefect/server.json``. A command that runs a flow asks that address for
its health (loopback only, a fraction of a second, without importing Prefect); when it
answers, the flow runs against it instead of starting an ephemeral server of its own.

When none answers, the command starts a server of its own (:class:`CommandServer`):
the same server Prefect's ephemeral mode starts (uvicorn serving Prefect's API on a free
loopback port, the UI off, the same database under the home), but started by cleancopy
before Prefect is imported, so that its start (seconds: it imports Prefect's whole server)
overlaps the command's own start instead of following it, and the command never imports
Prefect's server itself. It ends with the command.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
PROBE_SECONDS = 0.5


def prefect_home(home: Path) -> Path:
    """Where Prefect keeps its database and storage for this cleancopy home."""
    return (home / "prefect").resolve()


def address_file(home: Path) -> Path:
    return prefect_home(home) / "server.json"


def _answers(url: str) -> bool:
    if urlsplit(url).hostname not in LOOPBACK:
        return False
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=PROBE_SECONDS) as r:  # noqa: S310 - loopback only
            return bool(r.status == 200)
    except (OSError, urllib.error.URLError, ValueError):
        return False


def running_server(home: Path) -> str | None:
    """The API address of the local server started for this home, if it answers."""
    try:
        url = str(json.loads(address_file(home).read_text(encoding="utf-8"))["api_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if _answers(url) else None


def serve(home: Path, port: int, host: str = "127.0.0.1") -> int:
    """Run Prefect's server for this home in the foreground until it is stopped."""
    if host not in LOOPBACK:
        raise ValueError("the local server listens on loopback only")
    where = prefect_home(home)
    where.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PREFECT_HOME=str(where), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED=os.environ.get("PREFECT_UI_ENABLED", "false"))
    env.pop("PREFECT_API_URL", None)
    api = f"http://{host}:{port}/api"
    address_file(home).write_text(json.dumps({"api_url": api}), encoding="utf-8")
    try:
        return subprocess.call([sys.executable, "-m", "prefect", "server", "start", "--host", host,
                                "--port", str(port), "--no-ui" if env["PREFECT_UI_ENABLED"] == "false" else "--ui"],
                               env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        address_file(home).unlink(missing_ok=True)


# what Prefect's ephemeral mode sets for the server it starts (prefect.server.api.server);
# and two of the services it runs turned off, which on a command's own server have nothing
# to do but poll: automations' triggers (nobody can add an automation to it) and the
# database's vacuum (the home's long-lived server does that). An idle server takes about 7 %
# of a core from OCR, under 5 % without the triggers.
_EPHEMERAL_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
                  "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
                  "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "false"}
_ADDRESS_IN_USE = 3  # uvicorn's exit code when the port was taken


class CommandServer:
    """Prefect's server of one command: started, maybe not answering yet. Prefect's
    environment (PREFECT_HOME and the rest) must be set before it is made. Its errors go to
    ``HOME/prefect/command-server.log`` (the server logs errors only; no document text
    reaches it)."""

    def __init__(self, home: Path) -> None:
        self.log = prefect_home(home) / "command-server.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | _EPHEMERAL_ENV
        self.process, self.api_url = self._spawn()

    def _spawn(self) -> tuple[subprocess.Popen[bytes], str]:
        port = _free_port()
        spec = importlib.util.find_spec("prefect")  # found, not imported
        app_dir = [] if spec is None or spec.origin is None else ["--app-dir", str(Path(spec.origin).parent.parent)]
        with open(self.log, "ab") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", *app_dir, "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
                env=self._env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        return process, f"http://127.0.0.1:{port}/api"

    def ready(self, timeout: float) -> bool:
        """Wait until the server answers (True), or has failed or ``timeout`` passed (False).
        A port taken between choosing it and listening on it is chosen again, once."""
        end = time.monotonic() + timeout
        again = True
        while time.monotonic() < end:
            code = self.process.poll()
            if code == _ADDRESS_IN_USE and again:
                again = False
                self.process, self.api_url = self._spawn()
            elif code is not None:
                return False
            elif _answers(self.api_url):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
