"""The local Prefect server a home's commands reuse: found by its address file, used
only when it answers on loopback; else the server a command starts for itself, before
Prefect is imported."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import orchestrator, server
from redaction.settings import Settings


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    th = threading.Thread(target=httpd.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api"
    httpd.shutdown()


def _write(home: Path, url: str) -> None:
    server.address_file(home).parent.mkdir(parents=True, exist_ok=True)
    server.address_file(home).write_text(json.dumps({"api_url": url}))


def test_a_server_that_answers_is_reused(tmp_path: Path, health: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert server.running_server(tmp_path) is None  # no address file
    _write(tmp_path, health)
    assert server.running_server(tmp_path) == health
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    orchestrator.use_local_server(Settings(home=tmp_path))
    assert os.environ["PREFECT_API_URL"] == health


def test_a_silent_or_remote_address_is_not_used(tmp_path: Path, health: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, health.replace("127.0.0.1", "192.0.2.1"))  # not loopback: never asked
    assert server.running_server(tmp_path) is None
    _write(tmp_path, health.rsplit(":", 1)[0] + ":1/api")  # nobody listens there
    assert server.running_server(tmp_path) is None
    server.address_file(tmp_path).write_text("not json")
    assert server.running_server(tmp_path) is None
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    orchestrator.use_local_server(Settings(home=tmp_path))
    assert "PREFECT_API_URL" not in os.environ


def test_the_server_listens_on_loopback_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        server.serve(tmp_path, 4200, host="0.0.0.0")  # noqa: S104 - the address refused


_COMMAND = """
import os, sys, sqlite3
from pathlib import Path
from flows import orchestrator
from redaction.settings import Settings

settings = Settings(home=Path(sys.argv[1]))
own = orchestrator.start_server(settings)
assert own is not None and "prefect" not in sys.modules
from prefect import flow  # imported while the server starts, as the command does

@flow(name="hello-command-server", persist_result=False)
def hello() -> int:
    return 41 + 1

orchestrator.use_server(own)
assert os.environ["PREFECT_API_URL"] == own.api_url
assert hello() == 42
assert "prefect.server.api.server" not in sys.modules  # Prefect never started a server of its own
db = Path(os.environ["PREFECT_HOME"]) / "prefect.db"
print(sqlite3.connect(db).execute("select count(*) from flow_run where state_type = 'COMPLETED'").fetchone()[0])
print(own.process.pid)
"""


@pytest.mark.slow  # about 10 s: Prefect's server starts
def test_a_command_runs_its_flows_on_the_server_it_started_first(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", _COMMAND, str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    runs, pid = done.stdout.split()[-2:]
    assert runs == "1"  # the run is in the home's own database
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


@pytest.mark.slow  # about 15 s: Prefect's server fails to listen, then starts
def test_a_port_taken_before_the_server_listens_is_chosen_again(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()  # another program's port: it takes connections and says nothing
        ports = iter([holder.getsockname()[1], 0])
        real = server._free_port
        monkeypatch.setattr(server, "_free_port", lambda: next(ports) or real())
        monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
        own = server.CommandServer(tmp_path)
        try:
            first = own.api_url
            assert own.ready(120)
            assert own.api_url != first  # uvicorn could not listen on the taken port: another was chosen
        finally:
            own.stop()
    assert own.process.poll() is not None
