"""What a reviewer adds by hand over HTTP: boxes drawn, search hits, whole pages, the
release preview; staff proposing; decision and audit entry in one transaction."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from redaction import pipeline, release
from redaction.models import Box
from redaction.review import audit
from redaction.review.manual import to_page_coords
from tests.review.conftest import CASE_ID, born_digital, page_csrf, process

Clients = Callable[[str], TestClient]


def _doc(ctx: pipeline.Context, name: str = "01-note.pdf") -> int:
    return next(d.id for d in pipeline.current_documents(ctx, CASE_ID) if d.file_name == name)


def _word_rect(ctx: pipeline.Context, doc_id: int, word: str, page: int = 0) -> tuple[float, float, float, float]:
    w = next(w for w in pipeline.load_pages(ctx, doc_id)[page].words if w.text.strip(".,") == word)
    return (w.box.x0 - 1, w.box.y0 - 2, w.box.x1 + 1, w.box.y1 + 2)


def _manual_rows(ctx: pipeline.Context) -> list[tuple[str, str, str, bool]]:
    return [(r.reason, r.status, r.text, r.whole_page) for r, _ in pipeline.list_proposals(ctx, CASE_ID)
            if r.detector == "reviewer"]


def test_head_draws_a_box_with_a_reason_and_it_is_accepted_and_audited(ctx: pipeline.Context,
                                                                        client_for: Clients) -> None:
    c = client_for("Joan Allen")
    doc = _doc(ctx, "02-other.pdf")
    x0, y0, x1, y1 = _word_rect(ctx, doc, "painting")
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/1/boxes",
               data={"x0": x0, "y0": y0, "x1": x1, "y1": y1, "reason": "RV", "note": "not relevant to the request",
                     "csrf_token": page_csrf(c)}, headers={"accept": "application/json"})
    assert r.status_code == 200, r.text
    assert _manual_rows(ctx) == [("RV", "accepted", "painting", False)]
    last = audit.entries(ctx, CASE_ID)[-1]
    assert (last.action, last.actor, last.proposal_id) == ("added-accepted", "Joan Allen", r.json()["proposal_id"])
    assert "reason:RV" in last.detail and "note: not relevant" in last.detail
    assert audit.verify_chain(ctx, CASE_ID).ok


@pytest.mark.parametrize("form, message", [
    ({"reason": ""}, "choose a reason"),
    ({"reason": "SG", "note": ""}, "needs a note"),
    ({"reason": "TP", "party_id": "tp-99"}, "not in the case"),
])
def test_a_box_without_a_proper_reason_is_refused(ctx: pipeline.Context, client_for: Clients,
                                                  form: dict[str, str], message: str) -> None:
    c = client_for("Joan Allen")
    doc = _doc(ctx)
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/1/boxes",
               data={"x0": 70, "y0": 80, "x1": 200, "y1": 110, "csrf_token": page_csrf(c), **form})
    assert r.status_code == 400 and message in r.text
    assert _manual_rows(ctx) == []


def test_a_box_without_the_csrf_token_is_refused(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    r = c.post(f"/cases/{CASE_ID}/docs/{_doc(ctx)}/pages/1/boxes",
               data={"x0": 70, "y0": 80, "x1": 200, "y1": 110, "reason": "RV"})
    assert r.status_code == 403
    assert _manual_rows(ctx) == []


def test_staff_propose_boxes_that_wait_for_a_head(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Sam Staff")
    doc = _doc(ctx, "02-other.pdf")
    x0, y0, x1, y1 = _word_rect(ctx, doc, "painting")
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/1/boxes",
               data={"x0": x0, "y0": y0, "x1": x1, "y1": y1, "reason": "RV", "csrf_token": page_csrf(c)},
               follow_redirects=False)
    assert r.status_code == 303
    assert _manual_rows(ctx) == [("RV", "pending", "painting", False)]
    # but still cannot decide it
    pid = next(r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.detector == "reviewer")
    r = c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": pid, "decision": "accept",
                                                 "csrf_token": page_csrf(c)})
    assert r.status_code == 403


def test_search_finds_every_hit_and_adds_a_box_on_each(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    tok = page_csrf(c)
    page = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "csrf_token": tok})
    assert page.status_code == 200 and "3 hit(s)" in page.text
    r = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "add": "all", "reason": "RV",
                                                 "note": "test", "csrf_token": tok},
               headers={"accept": "application/json"})
    assert r.json()["added"] == 3
    assert sorted(t for _, _, t, _ in _manual_rows(ctx)) == ["Amelia", "Amelia", "Amelia"]
    again = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "add": "all", "reason": "RV",
                                                     "csrf_token": tok}, headers={"accept": "application/json"})
    assert again.json()["added"] == 0 and again.json()["covered"] == 3  # hits already boxed are left


def test_search_term_stays_out_of_urls_and_the_log(ctx: pipeline.Context, client_for: Clients,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    c = client_for("Joan Allen")
    assert c.get(f"/cases/{CASE_ID}/search?term=Amelia").status_code == 405
    with caplog.at_level("DEBUG"):
        c.post(f"/cases/{CASE_ID}/search", data={"term": "Turnbull", "add": "all", "reason": "TP",
                                                 "party_id": "tp-2", "csrf_token": page_csrf(c)})
    assert "Turnbull" not in caplog.text


def test_whole_page_is_withheld_with_its_reason(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    doc = _doc(ctx, "02-other.pdf")
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/1/whole", data={"reason": "SG", "note": "risk to the child",
                                                                  "csrf_token": page_csrf(c)}, follow_redirects=False)
    assert r.status_code == 303
    (row,) = _manual_rows(ctx)
    assert row[0] == "SG" and row[1] == "accepted" and row[3] is True


def test_preview_shows_the_page_as_released_and_is_never_stored_by_caches(ctx: pipeline.Context,
                                                                        client_for: Clients) -> None:
    c = client_for("Joan Allen")
    doc = _doc(ctx, "02-other.pdf")
    x0, y0, x1, y1 = _word_rect(ctx, doc, "painting")
    url = f"/cases/{CASE_ID}/docs/{doc}/pages/1"
    before = c.get(url + "/preview.png")
    assert before.headers["cache-control"] == "private, no-store"
    c.post(url + "/boxes", data={"x0": x0, "y0": y0, "x1": x1, "y1": y1, "reason": "RV", "csrf_token": page_csrf(c)})
    after = c.get(url + "/preview.png")
    img_b = np.asarray(Image.open(io.BytesIO(before.content)).convert("L"), dtype=float)
    img_a = np.asarray(Image.open(io.BytesIO(after.content)).convert("L"), dtype=float)
    scale = img_a.shape[1] / 595
    region = (slice(int(y0 * scale) + 2, int(y1 * scale) - 2), slice(int(x0 * scale) + 2, int(x1 * scale) - 2))
    assert img_b[region].mean() > 200  # white paper with a word on it
    assert img_a[region].mean() < 60  # solid box: the word removed
    assert "preview-image" in c.get(url + "/preview").text


def test_decision_and_audit_entry_are_one_transaction(ctx: pipeline.Context, client_for: Clients,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    c = client_for("Joan Allen")
    pid = pipeline.list_proposals(ctx, CASE_ID)[0][0].id

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError):
        c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": pid, "decision": "accept",
                                                 "csrf_token": page_csrf(c)})
    assert next(r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.id == pid) == "pending"


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_box_drawn_on_a_rotated_page_lands_on_its_words(tmp_path: Path, rotation: int) -> None:
    from redaction.review.pages import to_displayed

    w, h = 595.0, 842.0
    word = Box(100.0, 200.0, 160.0, 214.0)
    shown = to_displayed([word.x0, word.y0, word.x1, word.y1], w, h, rotation)
    assert to_page_coords(shown, w, h, rotation) == word


def test_a_drawn_box_on_a_rotated_page_is_released_dark(tmp_path: Path) -> None:
    from redaction.review import auth
    from redaction.review.app import create_app
    from redaction.settings import Settings
    from tests.review.conftest import CASE, log_in

    d = tmp_path / "inbox" / CASE_ID
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    (d / "files" / "01-turned.pdf").write_bytes(born_digital([["Amelia went to the library on Tuesday."]],
                                                             rotate=90))
    ctx = pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1))
    process(ctx, d)
    auth.add_reviewer(ctx, "Joan Allen", "head", "correct horse battery")
    c = log_in(TestClient(create_app(ctx)), "Joan Allen")
    doc = _doc(ctx, "01-turned.pdf")
    wb = next(w for w in pipeline.load_pages(ctx, doc)[0].words if w.text == "library").box
    from redaction.review.pages import to_displayed

    x0, y0, x1, y1 = to_displayed([wb.x0 - 1, wb.y0 - 1, wb.x1 + 1, wb.y1 + 1], 595, 842, 90)
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/1/boxes", data={
        "x0": x0, "y0": y0, "x1": x1, "y1": y1, "reason": "RV", "csrf_token": page_csrf(c)}, follow_redirects=False)
    assert r.status_code == 303
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    out = tmp_path / "out"
    release.release_case(ctx, CASE_ID, out)
    with pymupdf.open(out / "01-turned.pdf") as pdf:
        text = pdf[0].get_text()
    assert "library" not in text and "Tuesday" in text


def test_case_list_shows_a_hold_and_its_reason(ctx: pipeline.Context, client_for: Clients) -> None:
    from redaction.procedure import states

    states.hold(ctx, CASE_ID, "Joan Allen", "legal advice sought")
    page = client_for("Joan Allen").get("/").text
    assert "on hold: legal advice sought" in page


def test_search_looks_in_the_second_reading_of_a_line_too(ctx: pipeline.Context,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from redaction.review.manual import search
    from redaction.store import repository
    from tests.detect.pages import make_page

    first = make_page(["Spoke with Mr 6mer Kaya today; Omer Kaya agreed."])
    second = make_page(["Spoke with Mr Omer Kaya today; Omer Kaya agreed."])
    page = dataclasses.replace(first, reread=second.words)
    monkeypatch.setattr(repository, "load_pages", lambda _store, _doc_id: [page])
    docs = [d for d in pipeline.current_documents(ctx, CASE_ID) if d.status != "held"]
    hits = search(ctx, CASE_ID, "omer kaya")
    # per document: the one the first reading found and the one only the second did, once each
    assert len(hits) == 2 * len(docs)
    assert all(h.text.startswith("Omer Kaya") for h in hits)
    assert len({h.boxes[0].x0 for h in hits}) == 2  # two places on the page
