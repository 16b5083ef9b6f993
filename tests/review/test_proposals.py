"""Proposals a reviewer recognises, over HTTP: the party's name, relationship and consent,
the words covered and the rule in words on the page; the case-wide table with its
filters, bulk decisions and undo; a page withheld whole taking its inner boxes; a box
moved and resized; search hits with context, covered marks, ticks and no duplicates."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redaction import pipeline
from redaction.review import audit
from redaction.review.app import create_app
from tests.review.conftest import CASE, CASE_ID, born_digital, log_in, page_csrf, process

Clients = Callable[[str], TestClient]


def _page(ctx: pipeline.Context, name: str = "01-note.pdf", n: int = 1) -> str:
    doc = next(d for d in pipeline.current_documents(ctx, CASE_ID) if d.file_name == name)
    return f"/cases/{CASE_ID}/docs/{doc.id}/pages/{n}"


def _status(ctx: pipeline.Context) -> dict[int, str]:
    return {r.id: r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID)}


def test_a_proposal_names_the_person_their_consent_the_words_and_the_rule(ctx: pipeline.Context,
                                                                           client_for: Clients) -> None:
    text = client_for("Joan Allen").get(_page(ctx)).text
    item = re.search(r'<li class="proposal status-pending" id="p(\d+)".*?</li>', text, re.S)
    assert item
    block = item.group(0)
    assert "Daniel Price" in block and "refused consent" in block
    assert re.search(r'<q class="text">[^<]*Price[^<]*</q>', block)  # the words it covers, from the OCR
    assert "names a third party who has not consented" in block or "contact details" in block
    assert re.search(r"score \d\.\d\d", block)
    # a short label on each box: the reason code and the person's initial
    labels = re.findall(r'<text class="label-text">([^<]*)</text>', text)
    assert labels and all(re.match(r"\? (TP|TPC|TPX) ", html.unescape(lb)) for lb in labels)
    assert any("Daniel P." in html.unescape(lb) for lb in labels)


def test_the_table_filters_by_party_and_status_and_decides_in_bulk_with_undo(ctx: pipeline.Context,
                                                                            client_for: Clients) -> None:
    c = client_for("Joan Allen")
    every = c.get(f"/cases/{CASE_ID}/proposals").text
    rows = re.findall(r'<tr class="status-pending" id="row-(\d+)"', every)
    assert sorted(map(int, rows)) == sorted(_status(ctx))
    tp2 = c.get(f"/cases/{CASE_ID}/proposals", params={"party": "tp-2"}).text
    ids = [int(i) for i in re.findall(r'id="row-(\d+)"', tp2)]
    expected = [r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.party_id == "tp-2"]
    assert ids == expected and "Sophie Turnbull" in tp2 and "Daniel Price" not in tp2.split("<tbody>")[1]
    r = c.post(f"/cases/{CASE_ID}/proposals", data={"id": ids, "decision": "reject", "party": "tp-2",
                                                    "csrf_token": page_csrf(c)}, follow_redirects=False)
    assert r.status_code == 303 and "party=tp-2" in r.headers["location"]
    assert all(_status(ctx)[i] == "rejected" for i in ids)
    assert [i for i, s in _status(ctx).items() if s != "pending"] == ids
    back = c.get(r.headers["location"]).text
    assert 'id="undo"' in back
    undo_ids = re.search(r'name="ids" value="([\d,]+)"', back)
    assert undo_ids
    c.post(f"/cases/{CASE_ID}/undo", data={"ids": undo_ids.group(1), "csrf_token": page_csrf(c)})
    assert set(_status(ctx).values()) == {"pending"}
    undone = [e for e in audit.entries(ctx, CASE_ID) if e.action == "undone"]
    assert sorted(e.proposal_id or 0 for e in undone) == sorted(ids)
    assert all(e.detail == "back to pending" for e in undone)
    # the status filter shows only what it names
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept=(ids[0],))
    accepted = c.get(f"/cases/{CASE_ID}/proposals", params={"status": "accepted"}).text
    assert re.findall(r'id="row-(\d+)"', accepted) == [str(ids[0])]


def test_staff_cannot_decide_from_the_table_or_undo(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Sam Staff")
    pid = next(iter(_status(ctx)))
    tok = page_csrf(c)
    assert c.post(f"/cases/{CASE_ID}/proposals", data={"id": pid, "decision": "accept",
                                                       "csrf_token": tok}).status_code == 403
    assert c.post(f"/cases/{CASE_ID}/undo", data={"ids": str(pid), "csrf_token": tok}).status_code == 403
    assert set(_status(ctx).values()) == {"pending"}


def test_a_page_withheld_whole_takes_its_undecided_boxes_with_it(ctx: pipeline.Context,
                                                                 client_for: Clients) -> None:
    c = client_for("Sam Staff")  # staff: the whole page waits for a head's decision
    page = _page(ctx)
    inner = [r.id for r, name in pipeline.list_proposals(ctx, CASE_ID) if name == "01-note.pdf" and r.page_index == 0]
    r = c.post(page + "/whole", data={"reason": "RV", "note": "not part of the request",
                                      "csrf_token": page_csrf(c)}, headers={"accept": "application/json"})
    whole = r.json()["proposal_id"]
    head = client_for("Joan Allen")
    head.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": whole, "decision": "accept",
                                                "csrf_token": page_csrf(head)})
    st = _status(ctx)
    assert st[whole] == "accepted" and all(st[i] == "accepted" for i in inner)
    others = [i for i, s in st.items() if i not in inner and i != whole]
    assert others and all(st[i] == "pending" for i in others)  # other pages are untouched
    follow = [e for e in audit.entries(ctx, CASE_ID) if e.proposal_id in inner]
    assert all(e.detail == "covered by a page withheld whole" for e in follow)


def test_a_box_moved_and_resized_covers_the_new_words(ctx: pipeline.Context, client_for: Clients,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    c = client_for("Joan Allen")
    note = next(d for d in pipeline.current_documents(ctx, CASE_ID) if d.file_name == "01-note.pdf")
    words = {w.text: w.box for w in pipeline.load_pages(ctx, note.id)[0].words}
    today = words["today."]
    row = next(r for r, name in pipeline.list_proposals(ctx, CASE_ID)
               if name == "01-note.pdf" and r.page_index == 0 and "Price" in r.text)
    with caplog.at_level("DEBUG"):
        r = c.post(f"/cases/{CASE_ID}/proposals/{row.id}/box",
                   data={"index": 0, "x0": today.x0 - 1, "y0": today.y0 - 1, "x1": today.x1 + 1,
                         "y1": today.y1 + 1, "csrf_token": page_csrf(c)}, headers={"accept": "application/json"})
    assert r.status_code == 200, r.text
    moved = next(p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.id == row.id)
    assert moved.text == "today." and moved.boxes[0][0] == pytest.approx(today.x0 - 1, abs=0.01)
    entry = [e for e in audit.entries(ctx, CASE_ID) if e.action != "state"][-1]
    assert entry.action == "reshaped" and entry.proposal_id == row.id and "->" in entry.detail
    assert "today" not in entry.detail and "Price" not in entry.detail and "today" not in caplog.text
    # resized: widened over the name before it as well
    came = words["came"]
    c.post(f"/cases/{CASE_ID}/proposals/{row.id}/box",
           data={"index": 0, "x0": came.x0 - 1, "y0": today.y0 - 1, "x1": today.x1 + 1, "y1": today.y1 + 1,
                 "csrf_token": page_csrf(c)})
    grown = next(p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.id == row.id)
    assert grown.text.startswith("came") and grown.text.endswith("today.") and "Price" in grown.text
    # a proposal of another case, or staff, cannot
    assert c.post(f"/cases/{CASE_ID}/proposals/999999/box", data={"x0": 1, "y0": 1, "x1": 9, "y1": 9,
                                                                  "csrf_token": page_csrf(c)}).status_code == 404
    s = client_for("Sam Staff")
    assert s.post(f"/cases/{CASE_ID}/proposals/{row.id}/box", data={"x0": 1, "y0": 1, "x1": 9, "y1": 9,
                                                                    "csrf_token": page_csrf(s)}).status_code == 403


def test_search_hits_show_context_covered_marks_and_only_ticked_ones_are_boxed(ctx: pipeline.Context,
                                                                               client_for: Clients) -> None:
    c = client_for("Joan Allen")
    tok = page_csrf(c)
    page = c.post(f"/cases/{CASE_ID}/search", data={"term": "price", "csrf_token": tok}).text
    hits = re.findall(r'<li class="hit( covered)?" data-key="([0-9a-f]+)">(.*?)</li>', page, re.S)
    assert len(hits) == 2  # "Daniel Price" and "Mr Price": both proposed already
    assert all(cov for cov, _, _ in hits) and "covered already" in page
    assert "Amelia came in with Daniel <mark>Price</mark> today." in html.unescape(re.sub(r"\s+", " ", page))
    assert page.count("/image.png") == 2  # a thumbnail of each hit's page
    amelia = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "csrf_token": tok}).text
    keys = re.findall(r'<li class="hit" data-key="([0-9a-f]+)"', amelia)
    assert len(keys) == 3
    r = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "add": "picked", "hit": keys[:2], "reason": "RV",
                                                 "csrf_token": tok})
    assert "2 box(es) added" in r.text
    after = re.findall(r'<li class="hit( covered)?" data-key="([0-9a-f]+)"', r.text)
    assert [k for cov, k in after if cov] == keys[:2] and [k for cov, k in after if not cov] == keys[2:]
    again = c.post(f"/cases/{CASE_ID}/search", data={"term": "amelia", "add": "picked", "hit": keys, "reason": "RV",
                                                     "csrf_token": tok}, headers={"accept": "application/json"})
    assert again.json() == {"added": 1, "covered": 2, "unknown": 0}  # never a second box on a hit
    boxed = [r for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.detector == "reviewer"]
    assert sorted(r.text for r in boxed) == ["Amelia", "Amelia", "Amelia"]


def test_names_and_words_are_escaped_on_every_new_screen(tmp_path: Path, ctx: pipeline.Context) -> None:
    evil = '<img src=x onerror=alert(1)>'
    d = tmp_path / "inbox" / "SAR-X-001"
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE.replace(CASE_ID, "SAR-X-001").replace(
        'name: "Sophie Turnbull"', 'name: "Sophie <img src=x onerror=alert(1)>"'))
    (d / "files" / "01-x.pdf").write_bytes(born_digital([["Amelia met Sophie <img src=x onerror=alert(1)> there."]]))
    process(ctx, d)
    c = log_in(TestClient(create_app(ctx)), "Joan Allen")
    doc = pipeline.current_documents(ctx, "SAR-X-001")[0].id
    screens = [c.get(f"/cases/SAR-X-001/docs/{doc}/pages/1").text, c.get("/cases/SAR-X-001/proposals").text,
               c.get("/cases/SAR-X-001").text,
               c.post("/cases/SAR-X-001/search", data={"term": "sophie", "csrf_token": page_csrf(c)}).text]
    assert all(evil not in s for s in screens)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in screens[:2])
