"""The local Prefect server a home's commands reuse: found by its address file, used
only when it answers on loopback."""

from __future__ import annotations

import http.server
import json
import os
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
