"""Shared fixtures: a network guard that lets only loopback through, and one Prefect
test harness for the whole session (only started by tests that ask for it)."""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import redaction  # noqa: F401  # its offline switches, before any test module imports pymupdf or prefect

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


# libraries whose native code sends telemetry when loaded (redaction/offline.py keeps them out)
NATIVE_PHONES_HOME = ("onnxruntime",)


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse every connection, datagram and name lookup of this process's Python code
    that is not loopback (Prefect's ephemeral server lives on loopback). Yields the list
    of attempts refused.

    It cannot see native code or subprocesses (onnxruntime's telemetry resolved its host
    through libc, past every patch here, while tests using this fixture passed): at the end
    it fails if a library known to phone home natively was loaded at all. The proof that
    nothing leaves is tests/test_offline.py, which traces every process from outside."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    real_sendto = socket.socket.sendto

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        host = address[0] if isinstance(address, tuple) else address
        if not _is_loopback(host):
            attempts.append(str(host))
            raise NetworkBlocked(f"network access to {host!r} attempted during an offline test")

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        check(self, address)
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        check(self, address)
        return real_connect_ex(self, address)

    def guarded_sendto(self: socket.socket, data: Any, *args: Any) -> Any:
        check(self, args[-1])  # sendto(data, address) or sendto(data, flags, address)
        return real_sendto(self, data, *args)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            attempts.append(str(host))
            raise socket.gaierror(f"name lookup of {host!r} attempted during an offline test")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", guarded_sendto)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield attempts
    native = [m for m in NATIVE_PHONES_HOME if m in sys.modules]
    assert not native, f"{native} loaded during an offline test: its native code opens sockets no patch here sees"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):  # a loaded 2-core machine needs more than 30 s
        yield


# --- property-based fuzzing (tests/test_*_fuzz.py) ---------------------------------------
# One profile, bounded: CLEANCOPY_FUZZ_EXAMPLES raises the number of inputs for a longer
# run by hand (the default keeps each fuzz test to seconds); no example database is
# written (a failure prints the input to reproduce it with @reproduce_failure).

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "cleancopy", database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("cleancopy")
