"""A local Prefect server that ``cleancopy run`` and ``release`` reuse while it runs.

``cleancopy server`` runs one in the foreground, listening on loopback, its database under
cleancopy's home (``HOME/prefect``, so a later start skips the migrations), and writes its
address to ``HOME/prefect/server.json``. A command that runs a flow asks that address for
its health (loopback only, a fraction of a second, without importing Prefect); when it
answers, the flow runs against it instead of starting an ephemeral server of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
