"""The procedure at the review desk, through the real app: both clocks, consents with
their evidence, letters (written, downloaded, marked sent), hold and unhold, an
extension, a safeguarding withholding; the same audit entries as the CLI's commands;
CSRF and roles; nothing served for another case; everything escaped."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from redaction import cli, pipeline
from redaction.procedure import consents, letters, states
from redaction.procedure.clocks import ClockStatus
from redaction.review import audit, auth, pages
from redaction.review.app import create_app
from redaction.settings import Settings
from tests.procedure.conftest import CASE_ID, make_case
from tests.review.conftest import PASSWORD, log_in, page_csrf

Clients = Callable[[str], TestClient]
PROC = f"/cases/{CASE_ID}/procedure"
TODAY = dt.date.today()
# the day of the answers the tests record: after receipt (2026-11-02), never in the future
ANSWERED = min(TODAY, dt.date(2026, 11, 5)).isoformat()


def _processed(root: Path) -> pipeline.Context:
    ctx = pipeline.open_context(Settings(home=root / "home", ocr_engine="null", ocr_workers=1,
                                         school_name="Rosemead Primary School"))
    imp = pipeline.import_case(ctx, make_case(root))
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    for name, role in (("Joan Allen", "head"), ("Dee Patel", "deputy"), ("Sam Staff", "staff")):
        auth.add_reviewer(ctx, name, role, PASSWORD)
    auth.assign(ctx, "Sam Staff", CASE_ID)
    auth.assign(ctx, "Dee Patel", CASE_ID)
    ctx.store.sessions.kw["bind"].dispose()  # the database whole in its file, to be copied
    return ctx


@pytest.fixture(scope="module")
def processed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case processed and the reviewers added once; each test gets a copy."""
    return _processed(tmp_path_factory.mktemp("procedure-desk")).settings.home


def _copy(home: Path, to: Path) -> pipeline.Context:
    shutil.copytree(home, to)
    return pipeline.open_context(Settings(home=to, ocr_engine="null", ocr_workers=1,
                                          school_name="Rosemead Primary School"))


@pytest.fixture
def ctx(tmp_path: Path, processed_home: Path) -> pipeline.Context:
    return _copy(processed_home, tmp_path / "home")


@pytest.fixture
def client_for(ctx: pipeline.Context) -> Clients:
    app = create_app(ctx)
    return lambda name: log_in(TestClient(app), name)


def _post(c: TestClient, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None,
          csrf: bool = True) -> httpx.Response:
    if csrf:
        data = {**data, "csrf_token": page_csrf(c, PROC)}
    return c.post(path, data=data, files=files, follow_redirects=False)


def _trail(ctx: pipeline.Context) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.detail) for e in audit.entries(ctx, CASE_ID)]


def test_the_procedure_page_shows_both_clocks_and_every_party(client_for: Clients) -> None:
    r = client_for("Sam Staff").get(PROC)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    school = re.search(r'id="clock-school" data-due="([^"]+)"', r.text)
    statutory = re.search(r'id="clock-statutory" data-due="([^"]+)"', r.text)
    # received 2026-11-02: the school's 14 days, and the calendar month from the day of receipt
    assert school and school.group(1) == "2026-11-16"
    assert statutory and statutory.group(1) == "2026-12-02"
    for name in ("Daniel Price", "Gloria Mendes", "Barnet Family Services"):
        assert name in r.text
    assert "maternal grandmother" in r.text and "2027-02-02" in r.text  # the latest an extension may reach
    assert 'id="view-only"' in r.text and "record-consent" not in r.text  # staff: no forms


def test_a_consent_recorded_with_its_evidence_keeps_the_file_and_brings_proposals_up_to_date(
        ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    assert any(p.party_id == "tp-2" for p, _ in pipeline.list_proposals(ctx, CASE_ID))  # pending: withheld
    reply = b"%PDF-1.4 Gloria's signed reply"
    r = _post(head, f"{PROC}/consents", {"party_id": "tp-2", "answer": "granted", "on": ANSWERED},
              files={"evidence": ("reply from Gloria.pdf", reply, "application/pdf")})
    assert r.status_code == 303 and r.headers["location"] == f"{PROC}?done=consent"
    row = consents.answers(ctx, CASE_ID)["tp-2"]
    assert (row.answer, row.answered_on.isoformat(), row.recorded_by) == ("granted", ANSWERED, "Joan Allen")
    assert row.evidence_sha256 == hashlib.sha256(reply).hexdigest() and row.evidence_name == "reply from Gloria.pdf"
    assert ctx.store.blobs.get(row.evidence_sha256) == reply  # where the CLI keeps evidence: the blob store
    assert not [p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.party_id == "tp-2" and p.status != "withdrawn"]
    page = head.get(f"{PROC}?done=consent").text
    assert "The answer was recorded" in page and "reply from Gloria.pdf" in page
    link = re.search(rf'href="({PROC}/consents/\d+/evidence)"', page)
    assert link
    got = head.get(link.group(1))
    assert got.status_code == 200 and got.content == reply
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"


def test_an_empty_evidence_file_or_an_answer_that_is_neither_is_refused_and_nothing_recorded(
        ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    r = _post(head, f"{PROC}/consents", {"party_id": "tp-2", "answer": "granted"},
              files={"evidence": ("empty.pdf", b"", "application/pdf")})
    assert r.status_code == 400 and "empty" in r.text
    r = _post(head, f"{PROC}/consents", {"party_id": "tp-2", "answer": "maybe"})
    assert r.status_code == 400 and "granted or refused" in r.text
    r = _post(head, f"{PROC}/consents", {"party_id": "tp-9", "answer": "granted"})
    assert r.status_code == 400 and "no third party" in r.text
    assert consents.answers(ctx, CASE_ID) == {}


CHANGES: list[tuple[str, dict[str, str]]] = [
    ("/consents", {"party_id": "tp-2", "answer": "granted"}),
    ("/letters", {}),
    ("/hold", {"reason": "legal advice sought"}),
    ("/extension", {"to": "2026-12-20", "reason": "complex request"}),
    ("/withhold", {"document_id": "1", "page": "1", "whole_page": "1", "note": "risk at home"}),
]


def test_a_staff_account_cannot_change_the_procedure(ctx: pipeline.Context, client_for: Clients) -> None:
    before = _trail(ctx)
    staff = client_for("Sam Staff")
    for path, data in CHANGES:
        r = _post(staff, PROC + path, data)
        assert r.status_code == 403 and "staff account" in r.text, path
    assert _trail(ctx) == before and states.get(ctx, CASE_ID).state is states.State.AWAITING_CONSENTS


def test_a_change_without_the_sessions_csrf_token_is_refused(ctx: pipeline.Context, client_for: Clients) -> None:
    before = _trail(ctx)
    head = client_for("Joan Allen")
    for path, data in CHANGES:
        assert _post(head, PROC + path, data, csrf=False).status_code == 403, path
        r = _post(head, PROC + path, {**data, "csrf_token": "forged"}, csrf=False)
        assert r.status_code == 403 and "form expired" in r.text, path
    assert _trail(ctx) == before and states.get(ctx, CASE_ID).state is states.State.AWAITING_CONSENTS


def test_without_a_session_nothing_is_shown_or_changed(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx))
    assert c.get(PROC, follow_redirects=False).status_code == 303
    assert c.post(f"{PROC}/hold", data={"reason": "x"}).status_code == 401
    assert states.get(ctx, CASE_ID).state is states.State.AWAITING_CONSENTS


def test_letters_are_written_downloaded_and_marked_sent(ctx: pipeline.Context, client_for: Clients) -> None:
    deputy = client_for("Dee Patel")  # a deputy may run the procedure
    r = deputy.post(f"{PROC}/letters", data={"csrf_token": page_csrf(deputy, PROC)},
                    headers={"accept": "application/json"})
    assert r.status_code == 200 and r.json()["done"] == "letters"
    written = letters.written(ctx, CASE_ID)
    assert [w.party_id for w in written] == ["tp-2"]  # the only pending party with an address
    (w,) = written
    assert r.json()["letters"] == [w.id] and w.marked_sent_on is None
    assert (ctx.settings.home / "letters" / CASE_ID / f"{CASE_ID}-consent-tp-2.pdf").is_file()  # as the CLI writes
    pdf = deputy.get(f"{PROC}/letters/{w.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf" and "attachment" in pdf.headers["content-disposition"]
    assert pdf.content == ctx.store.blobs.get(hashlib.sha256(pdf.content).hexdigest())
    r2 = _post(deputy, f"{PROC}/letters/{w.id}/sent", {"on": TODAY.isoformat()})
    assert r2.status_code == 303
    (w,) = letters.written(ctx, CASE_ID)
    assert (w.marked_sent_on, w.marked_sent_by) == (TODAY, "Dee Patel")
    assert ("Dee Patel", "letter-sent", f"consent request to tp-2 sent on {TODAY}") in _trail(ctx)
    again = _post(deputy, f"{PROC}/letters/{w.id}/sent", {})
    assert again.status_code == 400 and "already marked sent" in again.text
    assert f"Sent {TODAY.isoformat()} by Dee Patel" in deputy.get(PROC).text


def test_hold_and_unhold(ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    assert _post(head, f"{PROC}/hold", {"reason": "  "}).status_code == 400
    assert _post(head, f"{PROC}/hold", {"reason": "legal advice sought"}).status_code == 303
    st = states.get(ctx, CASE_ID)
    assert st.state is states.State.ON_HOLD and st.hold_reason == "legal advice sought"
    page = head.get(PROC).text
    assert 'id="unhold"' in page and "legal advice sought" in page
    assert _post(head, f"{PROC}/hold", {"reason": "again"}).status_code == 400
    assert _post(head, f"{PROC}/unhold", {}).status_code == 303
    assert states.get(ctx, CASE_ID).state is states.State.AWAITING_CONSENTS


def test_an_extension_with_its_reason_moves_the_clocks_and_past_two_further_months_is_refused(
        ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    r = _post(head, f"{PROC}/extension", {"to": "2027-02-03", "reason": "complex request"})
    assert r.status_code == 400 and "two further months" in r.text
    assert _post(head, f"{PROC}/extension", {"to": "2027-01-15", "reason": ""}).status_code == 400
    assert states.deadline(ctx, CASE_ID) == dt.date(2026, 11, 16)
    r = _post(head, f"{PROC}/extension", {"to": "2027-01-15", "reason": "complex request"})
    assert r.status_code == 303
    got = head.get(f"{PROC}/clocks.json").json()["clocks"]
    assert [(c["name"], c["due"], c["extended"]) for c in got] == [("school", "2027-01-15", True),
                                                                   ("statutory", "2027-01-15", True)]
    assert got[1]["base_due"] == "2026-12-02"
    assert "Extended: complex request" in head.get(PROC).text


def test_a_safeguarding_withholding_of_a_whole_page_is_accepted_at_once_with_its_note_audited(
        ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    doc = pipeline.current_documents(ctx, CASE_ID)[0]
    r = head.post(f"{PROC}/withhold", headers={"accept": "application/json"}, data={
        "csrf_token": page_csrf(head, PROC), "document_id": str(doc.id), "page": "1", "whole_page": "1",
        "reason": "safeguarding", "note": "disclosure would put the child at risk"})
    assert r.status_code == 200
    pid = r.json()["proposal_id"]
    prop = next(p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.id == pid)
    assert (prop.reason, prop.status, prop.whole_page) == ("SG", "accepted", True)
    assert any("disclosure would put the child at risk" in d for _a, _x, d in _trail(ctx))
    r = head.post(f"{PROC}/withhold", headers={"accept": "application/json"}, data={
        "csrf_token": page_csrf(head, PROC), "document_id": str(doc.id), "page": "1", "reason": "reviewer",
        "x0": "300", "y0": "120", "x1": "72", "y1": "90", "note": "not part of the request"})
    box = next(p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.id == r.json()["proposal_id"])
    assert (box.reason, box.status, box.whole_page, box.boxes) == ("RV", "accepted", False, [[72, 90, 300, 120]])
    assert _post(head, f"{PROC}/withhold", {"document_id": str(doc.id), "page": "1", "x0": "1",
                                            "note": "x"}).status_code == 400  # half a box
    assert _post(head, f"{PROC}/withhold", {"document_id": str(doc.id), "page": "99", "whole_page": "1",
                                            "note": "x"}).status_code == 400
    assert _post(head, f"{PROC}/withhold", {"document_id": str(doc.id), "page": "1",
                                            "note": ""}).status_code == 400


def test_the_desk_audits_each_action_exactly_as_the_cli_does(tmp_path: Path, ctx: pipeline.Context,
                                                             client_for: Clients, processed_home: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    twin = _copy(processed_home, tmp_path / "twin")  # the same case, run through the CLI's commands
    monkeypatch.setenv("CLEANCOPY_OCR_ENGINE", "null")
    monkeypatch.setenv("CLEANCOPY_SCHOOL_NAME", "Rosemead Primary School")
    home = str(twin.settings.home)
    reply = tmp_path / "reply.pdf"
    reply.write_bytes(b"%PDF-1.4 the reply")
    doc = pipeline.current_documents(ctx, CASE_ID)[1]
    by = ["--by", "Joan Allen", "--home", home]
    for argv in (["letters", CASE_ID, "--out", str(tmp_path / "letters"), *by],
                 ["consent", CASE_ID, "tp-2", "refused", "--evidence", str(reply), "--on", ANSWERED, *by],
                 ["consent", CASE_ID, "tp-3", "granted", "--on", ANSWERED, *by],
                 ["extend", CASE_ID, "--to", "2027-01-15", "--reason", "complex request", *by],
                 ["hold", CASE_ID, "--reason", "legal advice sought", *by],
                 ["unhold", CASE_ID, *by],
                 ["withhold", CASE_ID, "--document", str(doc.id), "--page", "1", "--whole-page",
                  "--note", "risk to the child", "--reviewer", "Joan Allen", "--home", home]):
        assert cli.main(argv) == 0, argv

    head = client_for("Joan Allen")
    steps: list[tuple[str, dict[str, str], dict[str, tuple[str, bytes, str]] | None]] = [
        ("/letters", {}, None),
        ("/consents", {"party_id": "tp-2", "answer": "refused", "on": ANSWERED},
         {"evidence": ("reply.pdf", reply.read_bytes(), "application/pdf")}),
        ("/consents", {"party_id": "tp-3", "answer": "granted", "on": ANSWERED}, None),
        ("/extension", {"to": "2027-01-15", "reason": "complex request"}, None),
        ("/hold", {"reason": "legal advice sought"}, None),
        ("/unhold", {}, None),
        ("/withhold", {"document_id": str(doc.id), "page": "1", "whole_page": "1", "note": "risk to the child",
                       "reason": "safeguarding"}, None),
    ]
    for path, data, files in steps:
        assert _post(head, PROC + path, data, files).status_code == 303, path
    desk, by_cli = _trail(ctx), _trail(twin)
    assert desk == by_cli and len(desk) == 10


def test_nothing_of_another_case_is_served(ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    _post(head, f"{PROC}/letters", {})
    (w,) = letters.written(ctx, CASE_ID)
    assert head.get(f"/cases/SAR-NONE/procedure/letters/{w.id}.pdf").status_code == 404
    assert head.get(f"{PROC}/letters/{w.id + 1}.pdf").status_code == 404
    assert head.get(f"{PROC}/consents/1/evidence").status_code == 404
    assert head.get("/cases/SAR-NONE/procedure").status_code == 404
    auth.assign(ctx, "Sam Staff", CASE_ID, remove=True)  # not assigned: as if the case did not exist
    staff = client_for("Sam Staff")
    assert staff.get(PROC).status_code == 404 and staff.get(f"{PROC}/letters/{w.id}.pdf").status_code == 404


def test_what_a_reviewer_types_is_escaped(ctx: pipeline.Context, client_for: Clients) -> None:
    head = client_for("Joan Allen")
    _post(head, f"{PROC}/hold", {"reason": "<script>alert(1)</script> & advice"})
    page = head.get(PROC).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; advice" in page


def test_the_case_list_puts_cases_past_a_clock_or_due_soon_at_the_top(tmp_path: Path, ctx: pipeline.Context,
                                                                      client_for: Clients) -> None:
    later = tmp_path / "later"
    case_dir = make_case(later)
    yaml = (case_dir / "case.yaml").read_text()
    (case_dir / "case.yaml").write_text(yaml.replace(CASE_ID, "SAR-P-002").replace("2026-11-02", "2026-11-25"))
    case_dir.rename(case_dir.parent / "SAR-P-002")
    pipeline.import_case(ctx, case_dir.parent / "SAR-P-002")
    # 2026-11-20: the first case is past its 14 days, the second (received 2026-11-25) is within them
    listed = pages.case_list(ctx, today=dt.date(2026, 11, 20))
    assert [c.case_id for c in listed] == [CASE_ID, "SAR-P-002"]
    assert [k.status for k in listed[0].clocks] == [ClockStatus.OVERDUE, ClockStatus.RUNNING]
    # 2026-12-08: the second is now due soon, the first past the statutory month as well: still first
    listed = pages.case_list(ctx, today=dt.date(2026, 12, 8))
    assert [c.case_id for c in listed] == [CASE_ID, "SAR-P-002"]
    assert listed[0].clocks[1].status is ClockStatus.OVERDUE and listed[1].clocks[0].status is ClockStatus.DUE_SOON
    # an extension of the first moves it below the second
    states.extend(ctx, CASE_ID, dt.date(2027, 1, 30), "complex request", "Joan Allen")
    listed = pages.case_list(ctx, today=dt.date(2026, 12, 8))
    assert [c.case_id for c in listed] == ["SAR-P-002", CASE_ID]
    text = client_for("Joan Allen").get("/").text
    rows = re.findall(r'<tr class="([^"]*)" data-case="([^"]+)">', text)
    assert [cid for _cls, cid in rows] == [c.case_id for c in pages.case_list(ctx)]  # as sorted today
    assert text.count('class="clock-school date"') == text.count('class="clock-statutory date"') == 2
