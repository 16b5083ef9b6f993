"""A small processed case (born-digital pages, null OCR, so detection proposes without
tesseract), reviewers of each role, and logged-in TestClients."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from fastapi.testclient import TestClient

from redaction import pipeline
from redaction.review import auth
from redaction.review.app import create_app
from redaction.settings import Settings

CASE_ID = "SAR-R-001"
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
