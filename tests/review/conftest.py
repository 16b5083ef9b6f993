"""A small processed case (born-digital pages, null OCR, so detection proposes without
tesseract), reviewers of each role, and logged-in TestClients; and, for the slow tests,
one real Prefect server for the whole session with the desk in its own process."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pymupdf
import pytest
from fastapi.testclient import TestClient

from redaction import pipeline
from redaction.review import auth
from redaction.review.app import create_app
from redaction.settings import Settings

CASE_ID = "SAR-R-001"
BROWSER_CASE = "SAR-R-002"  # signed off in the browser by the sign-off test
DESK_CASE = "SAR-R-003"  # reviewed whole in the browser by the desk test
PASSWORD = "correct horse battery"

CASE = f"""\
case_id: {CASE_ID}
received: 2026-11-02
child: {{name: "Amelia Hart"}}
requester: {{name: "Claire Hart", relationship: mother}}
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    phones: ["07700 900123"]
    consent: refused
  - id: tp-2
    kind: person
    name: "Sophie Turnbull"
    consent: refused
staff: ["Mrs Joan Allen, Headteacher"]
"""


def born_digital(pages: list[list[str]], rotate: int = 0) -> bytes:
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        for i, line in enumerate(lines):
            page.insert_text((72, 100 + 20 * i), line, fontsize=11)
        if rotate:
            page.set_rotation(rotate)
    return doc.tobytes()


def make_case(root: Path) -> Path:
    d = root / "inbox" / CASE_ID
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-note.pdf").write_bytes(born_digital([
        ["Amelia came in with Daniel Price today.", "Call Mr Price on 07700900123 if needed."],
        ["Amelia played with Sophie Turnbull at lunch."],
    ]))
    (d / "files" / "02-other.pdf").write_bytes(born_digital([["Amelia enjoyed painting with Mrs Allen."]]))
    return d


def process(ctx: pipeline.Context, case_dir: Path) -> None:
    imp = pipeline.import_case(ctx, case_dir)
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    c = pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1))
    process(c, make_case(tmp_path))
    for name, role in (("Joan Allen", "head"), ("Sam Staff", "staff")):
        auth.add_reviewer(c, name, role, PASSWORD)
    auth.assign(c, "Sam Staff", CASE_ID)  # heads see every case; others the cases assigned to them
    return c


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m, "the login page has no CSRF field"
    return m.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    r = client.post("/login", data={"name": name, "password": password, "csrf_token": login_csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def page_csrf(client: TestClient, path: str = "/") -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert m, f"{path} has no CSRF field"
    return m.group(1)


@pytest.fixture
def client_for(ctx: pipeline.Context) -> Callable[[str], TestClient]:
    app = create_app(ctx)

    def make(name: str) -> TestClient:
        return log_in(TestClient(app), name)

    return make


def copy_of_case(root: Path, case_id: str) -> Path:
    """The generated case under another id."""
    d = make_case(root / case_id)
    (d / "case.yaml").write_text((d / "case.yaml").read_text().replace(CASE_ID, case_id))
    return d.rename(d.parent / case_id)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One Prefect server for the session, the process serving the deployments, the desk
    (``cleancopy review``) in its own process, and three processed copies of the case."""
    from tests.flows import server_support
    from tests.flows.server_support import Proc, free_port, start_serving, wait_for

    tmp = tmp_path_factory.mktemp("prefect-world")
    servers = server_support.world(tmp)
    w = next(servers)
    try:
        ctx = pipeline.open_context(Settings(home=w["home"], ocr_engine="null", ocr_workers=1))
        process(ctx, make_case(tmp))
        for case_id in (BROWSER_CASE, DESK_CASE):
            process(ctx, copy_of_case(tmp, case_id))
        for name, role in (("Joan Allen", "head"), ("Sam Staff", "staff")):
            auth.add_reviewer(ctx, name, role, PASSWORD)
        w["ctx"] = ctx
        w["serve"] = start_serving(w)
        port = free_port()
        desk = Proc([sys.executable, "-m", "redaction.cli", "review", "--home", str(w["home"]), "--port", str(port)],
                    w["env"], tmp / "desk.log")
        w["procs"].append(desk)
        w["desk"] = f"http://127.0.0.1:{port}"
        http: httpx.Client = w["http"]

        def up() -> bool:
            try:
                desk_ok = httpx.get(w["desk"] + "/login", timeout=5).status_code == 200
            except httpx.HTTPError:
                desk_ok = False
            return desk_ok and http.get("/deployments/name/release-case/release-case").status_code == 200

        wait_for("the desk and the served deployments", up, 90)
        yield w
    finally:
        servers.close()
