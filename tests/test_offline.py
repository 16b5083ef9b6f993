"""Offline, proven from outside the process: ``run``, ``decide``, ``release`` and the review
desk each run as a real command under ``strace -f -e trace=connect,sendto`` (every thread
and child process: Prefect's ephemeral server, the OCR pool, tesseract), and the trace
must hold no connection to anything but loopback, a local (AF_UNIX, netlink) socket or the
configured database and S3 endpoints — and no DNS query at all, to any address.

Unlike an in-process socket patch, this sees native code (onnxruntime's telemetry uploader
resolved its host through libc, invisible to Python) and subprocesses. Before the switches
in redaction/offline.py a run made 8 DNS queries and a release 4 to 6.
"""

from __future__ import annotations

import http.cookiejar
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRACE = shutil.which("strace") or "/usr/bin/strace"

# --- reading a trace ------------------------------------------------------------------

_CALL = re.compile(r"^(?:\[pid\s+)?(?P<pid>\d+)\]?\s+(?P<call>connect|sendto)\((?P<args>.*)$")
_FAMILY = re.compile(r"\{sa_family=(?P<family>AF_[A-Z0-9]+)(?P<rest>[^}]*)\}")
_NL_FAMILY = re.compile(r"\{nl_family=AF_NETLINK")
_PORT = re.compile(r"sin6?_port=htons\((?P<port>\d+)\)")
_ADDR4 = re.compile(r'sin_addr=inet_addr\("(?P<addr>[^"]+)"\)')
_ADDR6 = re.compile(r'inet_pton\(AF_INET6,\s*"(?P<addr>[^"]+)"')
_LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}  # AF_UNSPEC: a UDP socket disconnected


@dataclass(frozen=True)
class Attempt:
    pid: int
    call: str
    family: str
    address: str
    port: int | None
    line: str


def parse_trace(text: str) -> list[Attempt]:
    """Every connect/sendto in an ``strace -f`` output that names an address (a sendto on a
    connected socket names none: its connect was traced)."""
    out: list[Attempt] = []
    for line in text.splitlines():
        m = _CALL.match(line.strip())
        if m is None:
            continue
        args = m["args"]
        if _NL_FAMILY.search(args):
            out.append(Attempt(int(m["pid"]), m["call"], "AF_NETLINK", "", None, line))
            continue
        fam = _FAMILY.search(args)
        if fam is None:
            if m["call"] == "connect" and "resumed>" not in line:
                out.append(Attempt(int(m["pid"]), m["call"], "?", "", None, line))  # unreadable: fail closed
            continue
        rest = fam["rest"] + args[fam.end():]
        port = _PORT.search(rest)
        addr = _ADDR4.search(rest) or _ADDR6.search(rest)
        out.append(Attempt(int(m["pid"]), m["call"], fam["family"], addr["addr"] if addr else "",
                           int(port["port"]) if port else None, line))
    return out


def _is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def allowed_endpoints(env: dict[str, str]) -> set[tuple[str, int]]:
    """The configured database and S3 endpoints (numeric addresses only: resolving a name
    would be a DNS query, which is refused whatever it is for)."""
    out: set[tuple[str, int]] = set()
    for url, default_port in ((env.get("CLEANCOPY_DATABASE_URL", ""), 5432), (env.get("AWS_ENDPOINT_URL", ""), 443)):
        if "://" not in url:
            continue
        parts = urllib.parse.urlsplit(url)
        if parts.hostname:
            port = parts.port or (80 if parts.scheme == "http" else default_port)
            out.add((parts.hostname, port))
    return out


def violations(attempts: list[Attempt], endpoints: set[tuple[str, int]] = frozenset()) -> list[Attempt]:  # type: ignore[assignment]
    """Attempts that break the promise: any DNS query (port 53, even to a loopback
    resolver), and any connection that is not local, loopback or a configured endpoint."""
    bad = []
    for a in attempts:
        if a.port == 53:
            bad.append(a)
        elif a.family in _LOCAL_FAMILIES:
            continue
        elif a.family in ("AF_INET", "AF_INET6") and (_is_loopback(a.address) or (a.address, a.port) in endpoints):
            continue
        else:
            bad.append(a)
    return bad


# the lines strace printed for onnxruntime's telemetry before redaction/offline.py (one run)
_BEFORE = """\
5804  connect(9, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0
5805  connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>
5805  <... connect resumed>)            = 0
5805  sendto(8, "We\\1\\0\\0\\1\\0\\0\\0\\0\\0\\0\\6mobile\\6events\\4data\\t"..., 50, MSG_NOSIGNAL, NULL, 0) = 50
"""


def test_the_trace_reader_sees_what_a_run_did_before() -> None:
    bad = violations(parse_trace(_BEFORE))
    assert [(a.pid, a.address, a.port) for a in bad] == [(5804, "10.255.255.53", 53), (5805, "10.255.255.53", 53)]


def test_the_trace_reader_allows_only_local_loopback_and_configured_endpoints() -> None:
    lines = "\n".join([
        '10 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, '
        '110) = -1 ENOENT (No such file or directory)',
        '11 connect(4, {sa_family=AF_INET, sin_port=htons(4200), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12 connect(5, {sa_family=AF_INET6, sin6_port=htons(8750), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '13 sendto(6, "\\0", 1, 0, NULL, 0) = 1',
        '14 sendto(7, {{len=20, type=RTM_GETADDR, flags=NLM_F_REQUEST|NLM_F_DUMP, seq=1, pid=0}, '
        '{ifa_family=AF_UNSPEC}}, '
        '20, 0, {nl_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
        '15 connect(8, {sa_family=AF_INET, sin_port=htons(5432), '
        'sin_addr=inet_addr("10.0.0.5")}, 16) = -1 EINPROGRESS',
        '16 connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("20.42.65.92")}, '
        '16) = -1 EINPROGRESS',
        '17 connect(10, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
        '18 sendto(11, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 1',
        '19 connect(12, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '20 connect(13, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL)}, 20) = 0',
        '',
    ])
    endpoints = allowed_endpoints({"CLEANCOPY_DATABASE_URL": "postgresql+psycopg://u:p@10.0.0.5/cc"})
    assert endpoints == {("10.0.0.5", 5432)}
    bad = violations(parse_trace(lines), endpoints)
    assert [a.pid for a in bad] == [16, 17, 18, 20]  # the internet, two DNS queries (loopback resolvers too), raw


# --- the commands under strace --------------------------------------------------------

needs_strace = pytest.mark.skipif(not Path(STRACE).exists(), reason="needs strace (apt-get install -y strace: "
                                  "scripts/setup.sh installs it)")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env |= {"PYTHONPATH": str(ROOT), "CLEANCOPY_HOME": str(home), "CLEANCOPY_OCR_WORKERS": "2",
            "CLEANCOPY_OCR_CACHE": str(home / "ocr-cache")}
    return env


def _traced(trace: Path, *args: str) -> list[str]:
    return [STRACE, "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
            sys.executable, "-m", "redaction.cli", *args]


def _check(trace: Path, env: dict[str, str]) -> list[Attempt]:
    attempts = parse_trace(trace.read_text(errors="replace"))
    bad = violations(attempts, allowed_endpoints(env))
    assert not bad, f"{trace.name}: {len(bad)} connection(s) beyond loopback:\n" + "\n".join(a.line for a in bad[:10])
    return attempts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@needs_strace
def test_run_release_and_desk_open_no_connection_beyond_loopback(tmp_path: Path) -> None:
    from redaction.synth import generate_case

    gen = generate_case(tmp_path / "inbox", seed=20261128, n_docs=2, profile="demo")
    home = tmp_path / "home"
    env = _env(home)
    cid = gen.case.case_id

    def cli(trace: str, *args: str, ok: tuple[int, ...] = (0,)) -> list[Attempt]:
        p = subprocess.run(_traced(tmp_path / trace, *args), env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=600)
        assert p.returncode in ok, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
        return _check(tmp_path / trace, env)

    ran = cli("run.trace", "run", str(gen.case_dir))
    assert any(a.family in ("AF_INET", "AF_INET6") for a in ran)  # the trace saw Prefect's loopback server
    cli("reviewer.trace", "reviewer", "add", "Joan Allen", "--role", "head", "--password", "a long test password")
    cli("decide.trace", "decide", cid, "--reviewer", "Joan Allen", "--accept-all")
    cli("release.trace", "release", cid, "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "clean-copy.pdf").is_file()

    port = _free_port()
    desk = subprocess.Popen(_traced(tmp_path / "desk.trace", "review", "--port", str(port)), env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    started = time.monotonic()
    try:
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(300):
            try:
                login = opener.open(base + "/login", timeout=5).read().decode()
                break
            except OSError:
                assert desk.poll() is None, desk.stderr.read() if desk.stderr else ""
                time.sleep(0.2)
        else:
            pytest.fail("the review desk did not start")
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', login)
        assert csrf is not None
        form = urllib.parse.urlencode({"name": "Joan Allen", "password": "a long test password",
                                       "csrf_token": csrf[1], "next": "/"}).encode()
        opener.open(base + "/login", data=form, timeout=30).read()
        case_page = opener.open(f"{base}/cases/{cid}", timeout=30).read().decode()
        assert cid in case_page
        page = re.search(rf"/cases/{cid}/docs/(\d+)/pages/1\b", case_page)
        assert page is not None
        image = opener.open(f"{base}{page[0]}/image.png", timeout=60).read()
        assert image.startswith(b"\x89PNG")
        # onnxruntime's uploader used to start a few seconds after the import: give it the time
        time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    finally:
        os.killpg(desk.pid, signal.SIGINT)
        try:
            desk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(desk.pid, signal.SIGKILL)
            desk.wait()
    _check(tmp_path / "desk.trace", env)


@pytest.mark.slow  # about 8 s: it imports Prefect
def test_no_entry_point_loads_onnxruntime() -> None:
    """Every entry point's modules, and PyMuPDF still reading a page, without onnxruntime."""
    code = (
        "import sys\n"
        "BLOCKED = ('onnxruntime', 'pymupdf4llm')\n"
        "import redaction.cli, redaction.pipeline, redaction.review.app, redaction.ocr.worker\n"
        "import flows.process_case, flows.release, flows.nightly, infra.serve\n"
        "import pymupdf\n"
        "doc = pymupdf.open(); page = doc.new_page(); page.insert_text((72, 72), 'Offline')\n"
        "assert page.get_text('words')[0][4] == 'Offline'\n"
        "import os\n"
        "loaded = [m for m, v in sys.modules.items() if v is not None and m.split('.')[0] in BLOCKED]\n"
        "print(sorted(loaded), os.environ['ORT_DISABLE_TELEMETRY'], os.environ['DO_NOT_TRACK'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "DO_NOT_TRACK")}
    env["PYTHONPATH"] = str(ROOT)
    p = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.split() == ["[]", "1", "1"]
